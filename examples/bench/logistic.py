"""LogisticRegression: binary on n=100000, p=50 and 10-class on n=50000, p=50.

Both fits use their defaults (scikit-learn: lbfgs, tol=1e-4; gradscratch: optim.LBFGS, tol=1e-8
on the standardized gradient); quality is the held-out log-loss, and the distance from the
optimum (scikit-learn's newton-cholesky at tol=1e-12) is reported for both. scikit-learn's
default stops about 2e-3 from the optimum, ours within 1e-7: each case is also timed against
scikit-learn at tol=1e-8, where it reaches the same accuracy (the comparison at equal
accuracy; its iteration count is then about ours).
"""

import numpy as np
from benchmark import Case, coefficient_distance
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


def _optimum():
    cache = {}

    def optimum(data):
        key = id(data)
        if key not in cache:
            model = sk.LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=1000)
            model.fit(*data[0])
            cache[key] = model.coef_, model.intercept_
        return cache[key]

    return optimum


def cases():
    cache = {}

    def data(key, n, n_classes, seed):
        def load():
            if key not in cache:
                cache[key] = _data(n, n_classes, seed)
            return cache[key]

        return load

    rows, optimum = [], _optimum()
    for name, load in (
        ("binary 100000x50", data("binary", 100_000, 2, 0)),
        ("10-class 50000x50", data("multi", 50_000, 10, 1)),
    ):
        for tol, label in ((1e-4, ""), (1e-8, ", vs scikit-learn at tol=1e-8")):
            rows.append(
                Case(
                    f"LogisticRegression {name}{label}",
                    load,
                    lambda d: gs.LogisticRegression().fit(*d[0]),
                    lambda d, tol=tol: sk.LogisticRegression(tol=tol).fit(*d[0]),
                    _log_loss,
                    "test log-loss",
                    "scikit-learn" if tol == 1e-4 else "scikit-learn, tol=1e-8",
                    optimum=optimum,
                    distance=coefficient_distance,
                )
            )
    return rows
