"""gradscratch: classic machine-learning models built straight from their mathematics.

Parametric models are a loss written with autograd.numpy and minimized by an optimizer from
``optim`` that you can swap; nonparametric models are vectorized numpy algorithms.

The parametric side (and with it optim and autograd) is imported on first use of one of its
names (``from gradscratch import Lasso`` works as usual): so ``import gradscratch.nonparametric``
loads neither optim nor autograd, as the layers promise.
"""

import sys

from gradscratch.base import ConvergenceWarning, NotFittedError
from gradscratch.nonparametric import *  # noqa: F403
from gradscratch.nonparametric import __all__ as _nonparametric

__version__ = "0.1.0"

# gradscratch.parametric.__all__, spelled out so that listing the names imports nothing
# (a test checks the two agree).
_parametric = (
    "ElasticNet",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "Lasso",
    "LinearRegression",
    "LogisticRegression",
    "Ridge",
    "enet_path",
    "lasso_path",
)

__all__ = ["ConvergenceWarning", "NotFittedError", *_parametric, *_nonparametric]


def __getattr__(name):
    if name in _parametric:
        import gradscratch.parametric

        value = getattr(gradscratch.parametric, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gradscratch' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})


def all_estimators():
    """The public estimator classes, sorted by name (the test suite checks every one)."""
    from gradscratch.base import BaseEstimator

    found = [getattr(sys.modules[__name__], name) for name in __all__]
    classes = [c for c in found if isinstance(c, type) and issubclass(c, BaseEstimator)]
    return sorted(classes, key=lambda c: c.__name__)
