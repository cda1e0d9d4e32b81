"""Parametric models: each a loss written with autograd.numpy, minimized by an optimizer."""

from gradscratch.parametric.lasso import ElasticNet, Lasso, enet_path, lasso_path
from gradscratch.parametric.linear import LinearRegression, Ridge

__all__ = ["LinearRegression", "Ridge", "Lasso", "ElasticNet", "lasso_path", "enet_path"]
