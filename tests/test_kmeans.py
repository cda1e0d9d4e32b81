"""KMeans against scikit-learn."""

import numpy as np
import pytest
from sklearn import cluster as skc
from sklearn.utils.estimator_checks import check_clustering

from gradscratch import ConvergenceWarning, KMeans
from gradscratch.datasets import load_iris, make_blobs


def _blobs():
    return make_blobs(500, 4, centers=6, cluster_std=1.5, random_state=0)[0]


@pytest.mark.parametrize("tol", [0.0, 1e-4])
@pytest.mark.parametrize("name", ["blobs", "iris"])
def test_same_init_same_fixed_point(name, tol):
    X = _blobs() if name == "blobs" else load_iris(return_X_y=True)[0]
    rng = np.random.default_rng(3)
    init = X[rng.choice(len(X), 5, replace=False)]
    ours = KMeans(5, init=init, tol=tol).fit(X)
    ref = skc.KMeans(5, init=init, n_init=1, tol=tol, algorithm="lloyd").fit(X)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=1e-10)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, atol=1e-8)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    assert ours.n_iter_ == ref.n_iter_
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-8)
    np.testing.assert_allclose(ours.score(X), ref.score(X), rtol=1e-10)


def test_kmeans_plus_plus_mean_inertia_within_one_percent():
    # On iris with k=8 the standard error of either mean is about 0.6%, while uniform random
    # starts are about 10% worse: the test separates good seeding from bad.
    X = load_iris(return_X_y=True)[0]
    ours = [KMeans(8, random_state=s).fit(X).inertia_ for s in range(100)]
    ref = [skc.KMeans(8, random_state=s).fit(X).inertia_ for s in range(100)]
    assert abs(np.mean(ours) / np.mean(ref) - 1) < 0.01


def test_n_init_auto_and_history():
    X = _blobs()
    model = KMeans(6, init="random", random_state=0).fit(X)
    assert len(model.inertia_history_) == model.n_iter_
    assert model.centers_history_.shape == (model.n_iter_ + 1, 6, 4)
    assert np.all(np.diff(model.inertia_history_) <= 1e-9)
    # "auto" = 10 runs from random starts: at least as good as a single run.
    single = KMeans(6, init="random", n_init=1, random_state=0).fit(X)
    assert model.inertia_ <= single.inertia_ + 1e-9
    with pytest.warns(RuntimeWarning, match="performing only one init"):
        KMeans(6, init=X[:6], n_init=3).fit(X)


def test_empty_cluster_is_reseeded():
    X = np.array([[0.0, 0.0], [0.1, 0.0], [10.0, 0.0], [10.1, 0.0]])
    init = np.array([[0.05, 0.0], [10.05, 0.0], [100.0, 0.0]])
    ours = KMeans(3, init=init).fit(X)
    ref = skc.KMeans(3, init=init, n_init=1).fit(X)
    assert len(np.unique(ours.labels_)) == 3
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, atol=1e-12)


def test_check_clustering():
    check_clustering("KMeans", KMeans(random_state=0))
    check_clustering("KMeans", KMeans(random_state=0), readonly_memmap=True)


def test_bad_input():
    X = _blobs()[:5]
    with pytest.raises(ValueError, match="n_samples=5 should be >= n_clusters=8"):
        KMeans().fit(X)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        KMeans(2).fit(bad)
    with pytest.raises(ValueError, match="X has 2 features, but KMeans is expecting 4"):
        KMeans(2).fit(X).predict(X[:, :2])
    with pytest.raises(ValueError, match="init must be"):
        KMeans(2, init="kmeans").fit(X)


def test_duplicate_points_warn():
    X = np.repeat([[0.0, 0.0], [1.0, 1.0]], 5, axis=0)
    with pytest.warns(ConvergenceWarning, match="Number of distinct clusters \\(2\\)"):
        model = KMeans(3, random_state=0).fit(X)
    assert model.inertia_ == 0.0
