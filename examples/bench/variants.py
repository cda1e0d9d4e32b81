"""The remaining estimators, so that the table covers every model: regressor and classifier
twins of the rows elsewhere, and the clustering estimator, at moderate sizes."""

import numpy as np
from benchmark import Case
from sklearn import cluster as sk_cluster
from sklearn import ensemble as sk_ensemble
from sklearn import metrics as sk_metrics
from sklearn import neighbors as sk_neighbors
from sklearn import tree as sk_tree

import gradscratch as gs
from gradscratch.datasets import make_blobs, make_classification, make_regression


def _held_out(make, n, **kw):
    X, y = make(n + 5_000, 20, random_state=1, **kw)
    return X[:n], y[:n], X[n:], y[n:]


def _r2(model, d):
    _, _, X, y = d
    return float(1 - np.sum((y - model.predict(X)) ** 2) / np.sum((y - y.mean()) ** 2))


def _accuracy(model, d):
    _, _, X, y = d
    return float(np.mean(model.predict(X) == y))


def _ari(model, d):
    return float(sk_metrics.adjusted_rand_score(d[1], model.labels_))


def _cached(build):
    cache = []

    def get():
        if not cache:
            cache.append(build())
        return cache[0]

    return get


def cases():
    reg = _cached(lambda: _held_out(make_regression, 20_000, noise=20.0, n_informative=8))
    clf = _cached(lambda: _held_out(make_classification, 20_000, n_informative=8, n_classes=3))
    blobs = _cached(lambda: make_blobs(3_000, 10, centers=5, random_state=0))
    tree_kw = dict(max_depth=10, random_state=0)
    forest_kw = dict(n_estimators=50, max_depth=10, n_jobs=2, random_state=0)
    gb_kw = dict(n_estimators=100, max_depth=3, random_state=0)
    return [
        Case(
            "DecisionTreeRegressor(max_depth=10) 20000x20",
            reg,
            lambda d: gs.DecisionTreeRegressor(**tree_kw).fit(d[0], d[1]),
            lambda d: sk_tree.DecisionTreeRegressor(**tree_kw).fit(d[0], d[1]),
            _r2,
            "test R^2",
        ),
        Case(
            "RandomForestRegressor(50 trees, depth 10) 20000x20",
            reg,
            lambda d: gs.RandomForestRegressor(**forest_kw).fit(d[0], d[1]),
            lambda d: sk_ensemble.RandomForestRegressor(**forest_kw).fit(d[0], d[1]),
            _r2,
            "test R^2",
        ),
        Case(
            "KNeighborsRegressor predict 5000 vs 20000, 20-D",
            reg,
            lambda d: gs.KNeighborsRegressor(n_neighbors=10).fit(d[0], d[1]).predict(d[2]),
            lambda d: (
                sk_neighbors.KNeighborsRegressor(n_neighbors=10, algorithm="brute")
                .fit(d[0], d[1])
                .predict(d[2])
            ),
            lambda pred, d: float(
                1 - np.sum((d[3] - pred) ** 2) / np.sum((d[3] - d[3].mean()) ** 2)
            ),
            "test R^2",
        ),
        Case(
            "GradientBoostingClassifier 3-class 20000x20, 100 x depth 3",
            clf,
            lambda d: gs.GradientBoostingClassifier(**gb_kw).fit(d[0], d[1]),
            lambda d: sk_ensemble.HistGradientBoostingClassifier(
                max_iter=100, max_depth=3, early_stopping=False, random_state=0
            ).fit(d[0], d[1]),
            _accuracy,
            "test accuracy",
            "sklearn HistGradientBoostingClassifier",
        ),
        Case(
            "AgglomerativeClustering(ward) 3000x10",
            blobs,
            lambda d: gs.AgglomerativeClustering(n_clusters=5).fit(d[0]),
            lambda d: sk_cluster.AgglomerativeClustering(n_clusters=5).fit(d[0]),
            _ari,
            "ARI to truth",
        ),
    ]
