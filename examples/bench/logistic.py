"""LogisticRegression: binary on n=100000, p=50 and 10-class on n=50000, p=50.

Both fits use their defaults (scikit-learn: lbfgs, tol=1e-4; gradscratch: optim.LBFGS,
tol=1e-4 relative to the starting gradient); quality is the held-out log-loss, so "the same
accuracy" is read off the table.
"""

import numpy as np
from benchmark import Case
from sklearn import linear_model as sk

import gradscratch as gs
from gradscratch.datasets import make_classification


def _data(n, n_classes, seed):
    X, y = make_classification(
        n + 10_000,
        50,
        n_informative=10,
        n_classes=n_classes,
        class_sep=0.7,
        flip_y=0.02,
        random_state=seed,
    )
    return (X[:n], y[:n]), (X[n:], y[n:])


def _log_loss(model, data):
    X, y = data[1]
    proba = np.clip(model.predict_proba(X), 1e-300, 1.0)
    return float(-np.mean(np.log(proba[np.arange(len(y)), y])))


def cases():
    cache = {}

    def data(key, n, n_classes, seed):
        def load():
            if key not in cache:
                cache[key] = _data(n, n_classes, seed)
            return cache[key]

        return load

    return [
        Case(
            "LogisticRegression binary 100000x50",
            data("binary", 100_000, 2, 0),
            lambda d: gs.LogisticRegression().fit(*d[0]),
            lambda d: sk.LogisticRegression().fit(*d[0]),
            _log_loss,
            "test log-loss",
        ),
        Case(
            "LogisticRegression 10-class 50000x50",
            data("multi", 50_000, 10, 1),
            lambda d: gs.LogisticRegression().fit(*d[0]),
            lambda d: sk.LogisticRegression().fit(*d[0]),
            _log_loss,
            "test log-loss",
        ),
    ]
