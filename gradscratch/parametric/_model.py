"""The one fit path of every parametric model: loss -> optim -> fitted attributes + trace.

A model validates its data, writes its loss with ``autograd.numpy`` as a function of one flat
parameter vector in its own units (the objective its docstring states), declares its
non-smooth penalty as a prox, and hands the lot to :func:`minimize_objective`.

What the optimizer sees is the same problem in standardized coordinates: with the objective
divided by its natural size ``divisor`` (its value at the start) and x = scale * z, it minimizes

    F(z) = loss(scale * z) / divisor  (+ the prox's penalty, rescaled the same way),

with scale_j = sqrt(divisor / H_jj), H_jj the objective's curvature along x_j at the start
(:func:`jacobi_scale`; for least squares 2 sum_i s_i (x_ij - mean_j)^2, plus 2 alpha for
Ridge's penalty): F has a unit Hessian diagonal there, whatever the units of the data. The
change of variables is exact (the argmin maps back as x = scale * z); it is what makes one
``tol`` mean the same on every model and data set (the largest gradient component of F,
invariant to rescaling a column or y), and what lets every optimizer's default
hyperparameters work. ``optim_result_`` reports ``x``, ``fun`` and
``trace["fun"]`` in the model's units (its objective, as documented); ``trace["grad_norm"]``
and ``stationarity`` are the stopping measure in standardized coordinates; ``coef_scale`` and
``objective_scale`` are the scale and divisor.
"""

import numbers
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import optim
from gradscratch._validation import warn_at_caller
from gradscratch.parametric._warnings import FitConvergenceWarning

__all__ = ["Objective", "ParametricModel", "jacobi_scale", "minimize_objective", "refine"]


def jacobi_scale(curvature, divisor=1.0):
    """sqrt(divisor / H_jj) for the Hessian diagonal ``curvature`` (1 where it is 0): the
    diagonal change of variables x = scale * z after which F = objective / divisor has a unit
    Hessian diagonal (Jacobi preconditioning, penalties included)."""
    h = np.asarray(curvature, dtype=np.float64)
    return np.where(h > 0, np.sqrt(divisor / np.where(h > 0, h, 1.0)), 1.0)


@dataclass
class Objective:
    """What a model hands to the optimizer.

    fun : the objective in the model's parameters x, smooth, written with autograd.numpy.
    x0 : the starting point.
    default_optimizer : used when the model's ``optimizer`` is None.
    prox : the non-smooth part (an ``optim.prox`` operator, in x), or None.
    scale : x = scale * z, z the optimizer's standardized coordinates (scalar or per-parameter).
    divisor : the optimizer minimizes fun / divisor (the objective's natural size).
    callback : passed to ``minimize`` (it sees x in the model's units; True stops the run).
    data : arrays passed to ``fun`` after x, or None: dask arrays make ``fun`` a mean over
        their row blocks, reduced by ``optim`` (``optim.blocks``; ``fun(x, *blocks)``).
    """

    fun: Callable
    x0: np.ndarray
    default_optimizer: object
    prox: object = None
    scale: object = 1.0
    divisor: float = 1.0
    callback: Callable = None
    data: tuple = None


def minimize_objective(model, objective):
    """Minimize ``objective`` with ``model.optimizer`` (or the default) in standardized
    coordinates; returns the minimizer in the model's units.

    Sets ``model.optim_result_`` (with ``coef_scale`` and ``objective_scale``) and
    ``model.n_iter_``; a run that did not converge warns once, at the user's line.
    """
    optimizer = model.optimizer if model.optimizer is not None else objective.default_optimizer
    if isinstance(optimizer, type):
        raise TypeError(
            f"optimizer must be an optimizer object, got the class {optimizer.__name__}: write "
            f"optimizer=optim.{optimizer.__name__}() (hyperparameters in the parentheses)."
        )
    if not callable(getattr(optimizer, "minimize", None)):
        raise TypeError(
            f"optimizer must be an optim optimizer such as optim.LBFGS(), got {optimizer!r}."
        )
    x0 = np.asarray(objective.x0, dtype=np.float64)
    scale = np.broadcast_to(np.asarray(objective.scale, dtype=np.float64), x0.shape).copy()
    divisor, fun = float(objective.divisor), objective.fun

    def standardized(z, *data):
        return fun(scale * z, *data) / divisor

    prox = None if objective.prox is None else optim.prox.Rescaled(objective.prox, scale, divisor)
    callback = None
    if objective.callback is not None:

        def callback(snapshot):
            snapshot["x"], snapshot["fun"] = scale * snapshot["x"], snapshot["fun"] * divisor
            return objective.callback(snapshot)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)  # said once below, with context
        result = optimizer.minimize(
            standardized,
            x0 / scale,
            prox=prox,
            max_iter=model.max_iter,
            tol=model.tol,
            callback=callback,
            **({} if objective.data is None else {"data": objective.data}),
        )
    # Report in the model's units: x, and the objective (fun and the trace's fun) unscaled;
    # the trace's grad_norm stays the stopping measure, in standardized coordinates.
    result.x, result.fun = scale * result.x, result.fun * divisor
    result.jac = result.jac * divisor / scale
    result.trace["fun"] = result.trace["fun"] * divisor
    result.coef_scale, result.objective_scale = scale, divisor
    model.optim_result_ = result
    model.n_iter_ = result.n_iter
    if not result.converged:
        warn_at_caller(
            f"{getattr(model, 'display_name', type(model).__name__)} with "
            f"{type(optimizer).__name__} did not converge: "
            f"{result.message}",
            FitConvergenceWarning,
        )
    return result.x


class _Run:
    """The settings ``minimize_objective`` reads, for a run that is not the model's own."""

    def __init__(self, model, optimizer, max_iter, tol):
        self.display_name = type(model).__name__
        self.optimizer, self.max_iter, self.tol = optimizer, max_iter, tol


def refine(model, objective, x, optimizer, tol, max_iter=20):
    """Continue a converged fit from x with ``optimizer`` down to ``tol`` (a Newton polish
    where the last digits matter, as for standard errors); the two runs are joined in
    ``model.optim_result_`` (counts summed, traces concatenated). Returns the refined x."""
    first = model.optim_result_
    run = _Run(model, optimizer, max_iter, tol)
    x = minimize_objective(run, Objective(**{**vars(objective), "x0": x}))
    second = run.optim_result_
    trace = {
        key: np.concatenate(
            [
                first.trace[key],
                second.trace[key][1:] + (first.trace[key][-1] if key == "time" else 0.0),
            ]
        )
        for key in first.trace
    }
    joined = type(first)({**second, "trace": trace})
    for key in ("n_iter", "n_fev", "n_gev", "n_hev"):
        joined[key] = first[key] + second[key]
    model.optim_result_, model.n_iter_ = joined, joined.n_iter
    return x


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
