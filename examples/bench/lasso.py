"""Lasso and ElasticNet on n=5000, p=1000 with 100 nonzero true coefficients."""

import numpy as np
from benchmark import Case, coefficient_distance
from sklearn import linear_model as sk

import gradscratch as gs
from gradscratch.datasets import make_regression

ALPHA = 1.0


def _data():
    return make_regression(5000, 1000, n_informative=100, noise=10.0, bias=3.0, random_state=0)


def _objective(l1_ratio):
    """scikit-learn's objective at the fitted coefficients (both sides scored the same way)."""

    def quality(model, data):
        X, y = data
        w = model.coef_
        r = y - X @ w - model.intercept_
        l1, l2 = ALPHA * l1_ratio, ALPHA * (1.0 - l1_ratio)
        return float(r @ r / (2 * len(y)) + l1 * np.abs(w).sum() + 0.5 * l2 * w @ w)

    return quality


def _optimum(l1_ratio):
    """Coordinate descent to tol=1e-12 (computed once per run, not timed)."""
    cache = {}

    def optimum(data):
        if l1_ratio not in cache:
            model = sk.ElasticNet(alpha=ALPHA, l1_ratio=l1_ratio, tol=1e-12, max_iter=100_000)
            model.fit(*data)
            cache[l1_ratio] = model.coef_, model.intercept_
        return cache[l1_ratio]

    return optimum


def cases():
    cache = {}

    def data():
        if "d" not in cache:
            cache["d"] = _data()
        return cache["d"]

    return [
        Case(
            "Lasso(alpha=1) 5000x1000",
            data,
            lambda d: gs.Lasso(alpha=ALPHA).fit(*d),
            lambda d: sk.Lasso(alpha=ALPHA).fit(*d),
            _objective(1.0),
            "objective",
            optimum=_optimum(1.0),
            distance=coefficient_distance,
        ),
        Case(
            "ElasticNet(alpha=1, l1_ratio=0.5) 5000x1000",
            data,
            lambda d: gs.ElasticNet(alpha=ALPHA, l1_ratio=0.5).fit(*d),
            lambda d: sk.ElasticNet(alpha=ALPHA, l1_ratio=0.5).fit(*d),
            _objective(0.5),
            "objective",
            optimum=_optimum(0.5),
            distance=coefficient_distance,
        ),
    ]
