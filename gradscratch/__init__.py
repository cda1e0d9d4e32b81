"""gradscratch: classic machine-learning models built straight from their mathematics.

Parametric models are a loss written with autograd.numpy and minimized by an optimizer from
``optim`` that you can swap; nonparametric models are vectorized numpy algorithms.
"""

from gradscratch.base import ConvergenceWarning, NotFittedError
from gradscratch.nonparametric import *  # noqa: F403
from gradscratch.nonparametric import __all__ as _nonparametric
from gradscratch.parametric import *  # noqa: F403
from gradscratch.parametric import __all__ as _parametric

__version__ = "0.1.0"

__all__ = ["ConvergenceWarning", "NotFittedError", *_parametric, *_nonparametric]


def all_estimators():
    """The public estimator classes, sorted by name (the test suite checks every one)."""
    from gradscratch.base import BaseEstimator

    found = [globals()[name] for name in __all__]
    classes = [c for c in found if isinstance(c, type) and issubclass(c, BaseEstimator)]
    return sorted(classes, key=lambda c: c.__name__)
