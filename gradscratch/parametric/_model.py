"""The one fit path of every parametric model: loss -> optim -> fitted attributes + trace.

A model validates its data, writes its loss with ``autograd.numpy`` as a function of one flat
parameter vector, declares its non-smooth penalty as a prox, and hands the lot to
:func:`minimize_objective`, which calls the optimizer (the model's own or its default) and
keeps the result (``optim_result_``, the trace that convergence plots read) and ``n_iter_``.
"""

import numbers
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["Objective", "ParametricModel", "minimize_objective"]


@dataclass
class Objective:
    """What a model hands to the optimizer.

    fun : f(x), smooth, written with autograd.numpy over a flat float64 vector.
    x0 : the starting point.
    default_optimizer : used when the model's ``optimizer`` is None.
    prox : the non-smooth part (an ``optim.prox`` operator), or None.
    tol_scale : the model's ``tol`` is relative to this gradient scale (the gradient norm at
        the natural starting point), so that ``tol`` means the same on data of any scale.
    callback : passed to ``minimize`` (returning True stops the run as converged).
    """

    fun: Callable
    x0: np.ndarray
    default_optimizer: object
    prox: object = None
    tol_scale: float = 1.0
    callback: Callable = None


def minimize_objective(model, objective):
    """Minimize ``objective`` with ``model.optimizer`` (or the default); returns the result.

    Sets ``model.optim_result_`` and ``model.n_iter_``.
    """
    optimizer = model.optimizer if model.optimizer is not None else objective.default_optimizer
    if not callable(getattr(optimizer, "minimize", None)):
        raise TypeError(
            f"optimizer must be an optim optimizer such as optim.LBFGS(), got {optimizer!r}."
        )
    result = optimizer.minimize(
        objective.fun,
        objective.x0,
        prox=objective.prox,
        max_iter=model.max_iter,
        tol=model.tol * objective.tol_scale,
        callback=objective.callback,
    )
    model.optim_result_ = result
    model.n_iter_ = result.n_iter
    return result


class ParametricModel:
    """Mixin validating the hyperparameters every parametric model shares."""

    def _check_common_params(self):
        if self.max_iter is not None and not (
            isinstance(self.max_iter, numbers.Integral) and self.max_iter >= 1
        ):
            raise ValueError(f"max_iter must be a positive integer or None, got {self.max_iter!r}.")
        if not (isinstance(self.tol, numbers.Real) and self.tol >= 0):
            raise ValueError(f"tol must be a non-negative number, got {self.tol!r}.")
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise ValueError(f"fit_intercept must be True or False, got {self.fit_intercept!r}.")


def check_non_negative(value, name):
    """Raise a clear error unless ``value`` is a finite real number >= 0."""
    if not (isinstance(value, numbers.Real) and np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}.")
