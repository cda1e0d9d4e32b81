"""Parametric models: each a loss written with autograd.numpy, minimized by an optimizer."""

from gradscratch.parametric.boosting import GradientBoostingClassifier, GradientBoostingRegressor
from gradscratch.parametric.lasso import ElasticNet, Lasso, enet_path, lasso_path
from gradscratch.parametric.linear import LinearRegression, Ridge
from gradscratch.parametric.logistic import LogisticRegression

__all__ = [
    "ElasticNet",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "Lasso",
    "LinearRegression",
    "LogisticRegression",
    "Ridge",
    "enet_path",
    "lasso_path",
]
