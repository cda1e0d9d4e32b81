"""KNN, k-means, ward linkage and PCA against scikit-learn / scipy on the same data."""

import numpy as np
from benchmark import Case
from scipy.cluster import hierarchy
from sklearn import cluster as skc
from sklearn import decomposition as skd
from sklearn import neighbors as skn

import gradscratch as gs
from gradscratch.datasets import make_blobs


def _cached(make):
    cache = {}

    def data():
        if "d" not in cache:
            cache["d"] = make()
        return cache["d"]

    return data


def _knn_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(25_000, 30))
    y = (X[:, 0] + X[:, 1] ** 2 + rng.normal(size=len(X)) > 1).astype(int)
    return X[:20_000], y[:20_000], X[20_000:], y[20_000:]


def _knn_fit_predict(model, d):
    X, y, Xq, _ = d
    model.fit(X, y)
    model.pred_ = model.predict(Xq)
    return model


def _kmeans_data():
    X, _ = make_blobs(100_000, 20, centers=10, cluster_std=3.0, random_state=0)
    return X


def _ward_data():
    return np.random.default_rng(0).normal(size=(5000, 10))


def _pca_data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(50_000, 30)) @ rng.normal(size=(30, 200)) + rng.normal(
        size=(50_000, 200)
    )


class _Linkage:
    """A linkage matrix with the fit/quality interface of the other rows."""

    def __init__(self, Z):
        self.Z = Z


def _pca_quality(model, X):
    Z = model.transform(X[:5000])
    return float(np.mean((model.inverse_transform(Z) - X[:5000]) ** 2))


def cases():
    return [
        Case(
            "KNN predict 5000 vs 20000 points, 30-D, k=5",
            _cached(_knn_data),
            lambda d: _knn_fit_predict(gs.KNeighborsClassifier(5), d),
            lambda d: _knn_fit_predict(skn.KNeighborsClassifier(5, algorithm="brute"), d),
            lambda m, d: float(np.mean(m.pred_ == d[3])),
            "accuracy",
        ),
        Case(
            "KMeans 100000x20, k=10",
            _cached(_kmeans_data),
            lambda X: gs.KMeans(10, random_state=0).fit(X),
            lambda X: skc.KMeans(10, random_state=0).fit(X),
            lambda m, X: m.inertia_,
            "inertia",
        ),
        Case(
            "ward linkage 5000x10",
            _cached(_ward_data),
            lambda X: _Linkage(gs.linkage(X, "ward")),
            lambda X: _Linkage(hierarchy.linkage(X, "ward")),
            lambda m, X: float(m.Z[:, 2].sum()),
            "sum of heights",
            reference_name="scipy",
        ),
        Case(
            "PCA 50000x200 -> 10 components",
            _cached(_pca_data),
            lambda X: gs.PCA(10).fit(X),
            lambda X: skd.PCA(10).fit(X),
            _pca_quality,
            "reconstruction MSE",
        ),
    ]
