"""LinearRegression and Ridge on n=200000, p=100."""

import numpy as np
from benchmark import Case, coefficient_distance
from sklearn import linear_model as sk

import gradscratch as gs
from gradscratch.datasets import make_regression


def _data():
    X, y = make_regression(200_000, 100, noise=10.0, bias=3.0, correlation=0.3, random_state=0)
    return X, y


def _r2(model, data):
    X, y = data
    return float(1 - np.sum((y - model.predict(X)) ** 2) / np.sum((y - y.mean()) ** 2))


def _optimum(alpha):
    """The exact coefficients: the normal equations of the centred data (well conditioned
    here), solved once."""

    def optimum(data):
        X, y = data
        m, ym = X.mean(axis=0), y.mean()
        Xc = X - m
        w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ (y - ym))
        return w, ym - m @ w

    return optimum


def cases():
    cache = {}

    def data():
        if "d" not in cache:
            cache["d"] = _data()
        return cache["d"]

    return [
        Case(
            "LinearRegression 200000x100",
            data,
            lambda d: gs.LinearRegression().fit(*d),
            lambda d: sk.LinearRegression().fit(*d),
            _r2,
            "R2",
            optimum=_optimum(0.0),
            distance=coefficient_distance,
        ),
        Case(
            "Ridge(alpha=1) 200000x100",
            data,
            lambda d: gs.Ridge(alpha=1.0).fit(*d),
            lambda d: sk.Ridge(alpha=1.0).fit(*d),
            _r2,
            "R2",
            optimum=_optimum(1.0),
            distance=coefficient_distance,
        ),
    ]
