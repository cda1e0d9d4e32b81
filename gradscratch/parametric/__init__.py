"""Parametric models: each a loss written with autograd.numpy, minimized by an optimizer."""

from gradscratch.parametric.boosting import GradientBoostingClassifier, GradientBoostingRegressor
from gradscratch.parametric.linear import LinearRegression, Ridge
from gradscratch.parametric.logistic import LogisticRegression

__all__ = [
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "LinearRegression",
    "LogisticRegression",
    "Ridge",
]
