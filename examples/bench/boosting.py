"""Gradient boosting: 100 stages of depth-3 trees on 20000 x 20 (Friedman #1 plus 10 noise
features), against scikit-learn's GradientBoostingRegressor (exact splits) and
HistGradientBoostingRegressor (histograms, compiled), same learning rate and depth.

gradscratch uses its default (Newton boosting on squared error, histogram trees grown a
level at a time with the subtraction trick, 255 bins); quality is the held-out R^2.
"""

import numpy as np
from benchmark import Case
from sklearn import ensemble as sk

import gradscratch as gs
from gradscratch.metrics import r2_score


def _data(n=20_000, n_test=5_000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n + n_test, 20))
    y = (
        10 * np.sin(np.pi * X[:, 0] * X[:, 1])
        + 20 * (X[:, 2] - 0.5) ** 2
        + 10 * X[:, 3]
        + 5 * X[:, 4]
        + rng.normal(size=n + n_test)
    )
    return (X[:n], y[:n]), (X[n:], y[n:])


def _r2(model, data):
    X, y = data[1]
    return float(r2_score(y, model.predict(X)))


def cases():
    cache = {}

    def data():
        if "d" not in cache:
            cache["d"] = _data()
        return cache["d"]

    def ours(d):
        return gs.GradientBoostingRegressor(n_estimators=100, max_depth=3, random_state=0).fit(
            *d[0]
        )

    return [
        Case(
            "GradientBoostingRegressor 20000x20, 100 x depth 3",
            data,
            ours,
            lambda d: sk.GradientBoostingRegressor(
                n_estimators=100, max_depth=3, random_state=0
            ).fit(*d[0]),
            _r2,
            "test R^2",
            "sklearn GradientBoostingRegressor",
        ),
        Case(
            "GradientBoostingRegressor 20000x20, 100 x depth 3 (vs hist)",
            data,
            ours,
            lambda d: sk.HistGradientBoostingRegressor(
                max_iter=100, max_depth=3, early_stopping=False, random_state=0
            ).fit(*d[0]),
            _r2,
            "test R^2",
            "sklearn HistGradientBoostingRegressor",
        ),
    ]
