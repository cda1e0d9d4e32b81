"""An optimizer as an object: hyperparameters, repr, equality, and methods that need one.

scikit-learn's conventions (``get_params``/``set_params``, a repr of the hyperparameters), so
that an optimizer nested in a model (``Ridge(optimizer=optim.LBFGS(m=5))``) clones, compares
and prints like any other parameter.
"""

import functools
import types

import numpy as np

__all__ = ["Hyperparameters", "on_instances"]


class on_instances:  # noqa: N801 (used as a decorator, like staticmethod)
    """A method that needs an optimizer object: reached through the class
    (``optim.LBFGS.minimize(f, x0)``), it raises an error that says what to write instead."""

    def __init__(self, method):
        self.method = method
        functools.update_wrapper(self, method)

    def __get__(self, obj, cls=None):
        if obj is not None:
            return types.MethodType(self.method, obj)
        name, method = cls.__name__, self.method.__name__

        @functools.wraps(self.method)
        def refuse(*args, **kwargs):
            raise TypeError(
                f"{name}.{method} was called on the class, not on an optimizer: create one "
                f"first, optim.{name}().{method}(f, x0) (hyperparameters go in the "
                f"parentheses, e.g. optim.{name}(...))."
            )

        return refuse


class Hyperparameters:
    """``get_params``/``set_params``, a repr and equality from the public attributes."""

    def get_params(self, deep=True):
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def set_params(self, **params):
        for key, value in params.items():
            if key not in self.get_params():
                raise ValueError(f"Invalid parameter {key!r} for {type(self).__name__}.")
            setattr(self, key, value)
        return self

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and _params_equal(self.get_params(), other.get_params())

    __hash__ = object.__hash__


def _params_equal(a, b):
    if a.keys() != b.keys():
        return False
    for key in a:
        try:
            if not bool(np.all(a[key] == b[key])):
                return False
        except (TypeError, ValueError):
            return False
    return True
