"""linkage against scipy, AgglomerativeClustering against scikit-learn."""

import numpy as np
import pytest
from scipy.cluster import hierarchy
from sklearn import cluster as skc
from sklearn.metrics import adjusted_rand_score
from sklearn.utils.estimator_checks import check_clustering

from gradscratch import AgglomerativeClustering, fcluster, linkage
from gradscratch.datasets import load_iris, make_blobs

METHODS = ["single", "complete", "average", "ward"]


def _data():
    rng = np.random.default_rng(0)
    return {
        "gauss": rng.normal(size=(120, 5)) + 10.0,
        "blobs": make_blobs(150, 3, centers=4, random_state=1)[0],
        "iris_jitter": load_iris(return_X_y=True)[0] + 1e-3 * rng.normal(size=(150, 4)),
        "tiny": rng.normal(size=(3, 2)),
    }


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", list(_data()))
def test_linkage_matches_scipy(method, name):
    X = _data()[name]
    Z, R = linkage(X, method), hierarchy.linkage(X, method)
    np.testing.assert_allclose(Z[:, 2], R[:, 2], rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(Z[:, 3], R[:, 3])
    np.testing.assert_array_equal(Z[:, :2], R[:, :2])


def test_linkage_long_chain_uses_nn_chain():
    # Points at 2^i: every round has a single reciprocal pair, the chain must take over.
    X = (2.0 ** np.arange(40))[:, None]
    for method in METHODS:
        np.testing.assert_allclose(
            linkage(X, method)[:, 2], hierarchy.linkage(X, method)[:, 2], rtol=1e-10
        )


@pytest.mark.parametrize("k", [1, 3, 7])
def test_fcluster_matches_scipy(k):
    X = _data()["blobs"]
    Z = linkage(X, "average")
    R = hierarchy.linkage(X, "average")
    np.testing.assert_array_equal(fcluster(Z, k, "maxclust"), hierarchy.fcluster(R, k, "maxclust"))
    h = (Z[-k, 2] + Z[-k + 1, 2]) / 2 if k > 1 else Z[-1, 2] + 1.0
    ours = fcluster(Z, h, criterion="distance")
    np.testing.assert_array_equal(ours, hierarchy.fcluster(R, h, "distance"))
    assert len(np.unique(ours)) == k


@pytest.mark.parametrize("method", METHODS)
def test_agglomerative_matches_sklearn(method):
    X = _data()["blobs"]
    ours = AgglomerativeClustering(n_clusters=4, linkage=method).fit(X)
    ref = skc.AgglomerativeClustering(n_clusters=4, linkage=method, compute_distances=True)
    ref.fit(X)
    assert adjusted_rand_score(ours.labels_, ref.labels_) == 1.0
    np.testing.assert_allclose(ours.distances_, ref.distances_, rtol=1e-10)
    if method == "ward":
        np.testing.assert_array_equal(ours.children_, ref.children_)


def test_distance_threshold_matches_sklearn():
    X = _data()["blobs"]
    ours = AgglomerativeClustering(n_clusters=None, distance_threshold=5.0).fit(X)
    ref = skc.AgglomerativeClustering(n_clusters=None, distance_threshold=5.0).fit(X)
    assert ours.n_clusters_ == ref.n_clusters_
    assert adjusted_rand_score(ours.labels_, ref.labels_) == 1.0


def test_check_clustering():
    check_clustering("AgglomerativeClustering", AgglomerativeClustering())
    check_clustering("AgglomerativeClustering", AgglomerativeClustering(), readonly_memmap=True)


def test_bad_input():
    X = _data()["tiny"]
    with pytest.raises(ValueError, match="n_samples=3 should be >= n_clusters=5"):
        AgglomerativeClustering(n_clusters=5).fit(X)
    with pytest.raises(ValueError, match="Exactly one of n_clusters"):
        AgglomerativeClustering(n_clusters=2, distance_threshold=1.0).fit(X)
    with pytest.raises(ValueError, match="method must be one of"):
        linkage(X, "centre")
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        linkage(bad, "ward")
    with pytest.raises(ValueError, match="contains NaN"):
        AgglomerativeClustering().fit(bad)


def test_duplicate_points():
    X = np.repeat(_data()["tiny"], 3, axis=0)
    for method in METHODS:
        Z = linkage(X, method)
        R = hierarchy.linkage(X, method)
        np.testing.assert_allclose(Z[:, 2], R[:, 2], atol=1e-12)
        np.testing.assert_array_equal(np.sort(Z[:, 3]), np.sort(R[:, 3]))
    labels = AgglomerativeClustering(n_clusters=3).fit(X).labels_
    assert adjusted_rand_score(labels, np.repeat([0, 1, 2], 3)) == 1.0


def test_dendrogram_and_plots():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gradscratch import PCA, KNeighborsClassifier
    from gradscratch.plotting import (
        _dendrogram_layout,
        plot_decision_regions,
        plot_dendrogram,
        plot_scree,
    )

    X = _data()["blobs"]
    Z = linkage(X, "ward")
    leaves = hierarchy.dendrogram(hierarchy.linkage(X, "ward"), no_plot=True)["leaves"]
    np.testing.assert_array_equal(_dendrogram_layout(Z)[0], leaves)
    fig, axes = plt.subplots(1, 3)
    plot_dendrogram(Z, ax=axes[0])
    plot_scree(PCA().fit(X), ax=axes[1])
    y = AgglomerativeClustering(4).fit_predict(X)
    plot_decision_regions(KNeighborsClassifier(3).fit(X[:, :2], y), X[:, :2], y, ax=axes[2])
    assert len(axes[0].collections[0].get_segments()) == len(X) - 1
    plt.close(fig)
