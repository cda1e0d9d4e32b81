"""Parametric models: each a loss written with autograd.numpy, minimized by an optimizer."""

from gradscratch.parametric.linear import LinearRegression, Ridge

__all__ = ["LinearRegression", "Ridge"]
