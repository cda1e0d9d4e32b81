"""Inputs that float64 cannot square, and matrices the machine cannot hold, are refused first.

At |x| ~ 1e160 the squares overflow: KNN gave accuracy 0, k-means an infinite inertia, PCA
numpy's "Eigenvalues did not converge" (scikit-learn raises an OverflowError or returns
inf there). Each model now says so at its boundary, with the remedy (rescaling by one
constant changes no neighbour, cluster or component); just inside the limit the answers
are those of the rescaled data and of scikit-learn. linkage on 100000 points asked numpy for
74.5 GiB after starting; it now names the memory needed and what to do before any work.
"""

import tracemalloc

import numpy as np
import pytest
from sklearn import cluster as skc
from sklearn import decomposition as skd
from sklearn import neighbors as skn

import gradscratch.nonparametric._limits as limits
from gradscratch import (
    PCA,
    KMeans,
    KNeighborsClassifier,
    KNeighborsRegressor,
    linkage,
)

TOO_LARGE = "too large for float64"


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, 3))
    return X, (X[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(int)


def _fits(scale):
    X, y = _data()
    X = X * scale
    return {
        "knn-classifier": lambda: KNeighborsClassifier(3).fit(X, y).predict(X),
        "knn-regressor": lambda: KNeighborsRegressor(3, p=3).fit(X, y * 1.0).predict(X),
        "knn-query": lambda: KNeighborsClassifier(3).fit(X / scale, y).predict(X),
        "kmeans": lambda: KMeans(3, random_state=0).fit(X),
        "kmeans-query": lambda: KMeans(3, random_state=0).fit(X / scale).transform(X),
        "pca-full": lambda: PCA(svd_solver="full").fit(X),
        "pca-covariance": lambda: PCA(svd_solver="covariance_eigh").fit(X),
        "pca-randomized": lambda: PCA(2, svd_solver="randomized", random_state=0).fit(X),
        "linkage": lambda: linkage(X, "ward"),
    }


@pytest.mark.parametrize("name", list(_fits(1.0)))
def test_squares_that_overflow_are_refused(name):
    with pytest.raises(ValueError, match=TOO_LARGE) as err:
        _fits(1e160)[name]()
    assert "Rescale" in str(err.value) and "max |x| = " in str(err.value)


@pytest.mark.parametrize("name", list(_fits(1.0)))
def test_squares_that_underflow_are_refused(name):
    with pytest.raises(ValueError, match="too small for float64"):
        _fits(1e-170)[name]()


def test_inside_the_limit_the_answers_are_those_of_the_rescaled_data():
    X, y = _data()
    s = 1e150  # squares of 1e300: finite
    knn = KNeighborsClassifier(5, weights="distance").fit(X * s, y)
    np.testing.assert_array_equal(
        knn.predict(X * s), KNeighborsClassifier(5, weights="distance").fit(X, y).predict(X)
    )
    ref = skn.KNeighborsClassifier(5, weights="distance").fit(X * s, y)
    np.testing.assert_allclose(knn.predict_proba(X * s), ref.predict_proba(X * s), rtol=1e-12)
    km = KMeans(3, random_state=0).fit(X * s)
    km1 = KMeans(3, random_state=0).fit(X)
    np.testing.assert_array_equal(km.labels_, km1.labels_)
    np.testing.assert_allclose(km.inertia_ / s**2, km1.inertia_, rtol=1e-12)
    ref_inertia = skc.KMeans(3, init=km1.cluster_centers_ * s, n_init=1).fit(X * s).inertia_
    np.testing.assert_allclose(km.inertia_, ref_inertia, rtol=1e-10)
    pca = PCA().fit(X * s)
    np.testing.assert_allclose(pca.explained_variance_ / s**2, PCA().fit(X).explained_variance_)
    ref_var = skd.PCA().fit(X * s).explained_variance_
    np.testing.assert_allclose(pca.explained_variance_, ref_var, rtol=1e-12)
    np.testing.assert_allclose(linkage(X * s, "ward")[:, 2] / s, linkage(X, "ward")[:, 2])


def test_the_limit_depends_on_the_power():
    X, y = _data()
    # manhattan sums |x - y|: 1e160 is fine; minkowski p=3 cubes: 1e110 is not
    ours = KNeighborsClassifier(3, p=1).fit(X * 1e160, y).predict(X * 1e160)
    np.testing.assert_array_equal(ours, KNeighborsClassifier(3, p=1).fit(X, y).predict(X))
    with pytest.raises(ValueError, match=r"powers \|x\|\^3"):
        KNeighborsClassifier(3, p=3).fit(X * 1e110, y)


def test_linkage_refuses_a_matrix_larger_than_memory_before_working(monkeypatch):
    monkeypatch.setattr(limits, "physical_memory", lambda: 2**26)  # 64 MiB
    X = np.random.default_rng(1).normal(size=(3000, 2))  # needs 69 MiB
    condensed = np.ones(3000 * 2999 // 2)
    tracemalloc.start()
    for method in ("ward", "average", "centroid"):
        with pytest.raises(MemoryError, match=r"3000 x 3000 float64 distance matrix") as err:
            linkage(X, method)
        assert "needs 0.1 GiB" in str(err.value) and "subsample" in str(err.value)
        assert "method='single'" in str(err.value)
    with pytest.raises(MemoryError, match="3000 x 3000"):
        linkage(condensed, "average")  # condensed input too
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 2**24  # refused up front: nothing near the 69 MiB matrix was allocated
    # single linkage on observations needs O(n) memory: it runs
    assert linkage(X[:1500], "single").shape == (1499, 4)


def test_linkage_on_100000_points_says_what_it_needs():
    available = limits.physical_memory()
    if available is None or available >= 8e10:
        pytest.skip("this machine could hold the 74.5 GiB matrix")
    X = np.zeros((100000, 2))
    tracemalloc.start()
    with pytest.raises(MemoryError, match="needs 74.5 GiB"):
        linkage(X, "ward")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 2**26  # refused before the work: a few copies of X at most
