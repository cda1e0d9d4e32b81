"""scipy's linkage API: every method, condensed input, fcluster's criteria, inconsistent.

Linkage matrices are compared in full (ids, sizes) and heights to 1e-10 on tie-free data; on
data with duplicated points, where ties make several trees equally right, the sorted heights.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist, squareform

from gradscratch import fcluster, inconsistent, linkage
from gradscratch.nonparametric._linkage_generic import generic_linkage

METHODS = ["single", "complete", "average", "weighted", "centroid", "median", "ward"]


def _data(kind, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "blobs":
        return np.repeat(rng.normal(size=(5, 3)) * 6, 12, axis=0) + rng.normal(size=(60, 3))
    if kind == "scaled":  # columns over six orders of magnitude, far from the origin
        return rng.normal(size=(50, 3)) * np.array([1e-3, 1.0, 1e3]) + 1e4
    return rng.normal(size=(70, 4))


def _assert_same(Z, R):
    np.testing.assert_allclose(Z[:, 2], R[:, 2], rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(Z[:, [0, 1, 3]], R[:, [0, 1, 3]])


@pytest.mark.parametrize("condensed", [False, True], ids=["observations", "condensed"])
@pytest.mark.parametrize("kind", ["random", "blobs", "scaled"])
@pytest.mark.parametrize("method", METHODS)
def test_linkage_matches_scipy(method, kind, condensed):
    X = _data(kind)
    y = pdist(X) if condensed else X
    _assert_same(linkage(y, method), hierarchy.linkage(y, method))


@pytest.mark.parametrize("method", ["centroid", "median"])
def test_inversions_as_scipy(method):
    # three points where the merged pair's centroid / midpoint is closer to the third
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 0.9]])
    Z, R = linkage(X, method), hierarchy.linkage(X, method)
    assert Z[1, 2] < Z[0, 2]  # non-monotone
    _assert_same(Z, R)
    X = np.random.default_rng(3).normal(size=(40, 2))  # five inversions with either method
    Z, R = linkage(X, method), hierarchy.linkage(X, method)
    assert np.any(np.diff(R[:, 2]) < 0)
    _assert_same(Z, R)


@pytest.mark.parametrize("method", METHODS)
def test_duplicated_points_give_scipy_heights(method):
    X = np.repeat(_data("random", 1)[:15], 3, axis=0)  # every distance tied at least 3 ways
    for y in (X, pdist(X)):
        Z, R = linkage(y, method), hierarchy.linkage(y, method)
        np.testing.assert_allclose(np.sort(Z[:, 2]), np.sort(R[:, 2]), rtol=1e-10, atol=1e-12)
        np.testing.assert_array_equal(np.sort(Z[:, 3]), np.sort(R[:, 3]))


@pytest.mark.parametrize("method", ["single", "complete", "average", "weighted"])
def test_condensed_distances_of_any_metric(method):
    X = _data("blobs", 2)
    for metric in ("cityblock", "chebyshev", "cosine"):
        y = pdist(X, metric)
        _assert_same(linkage(y, method), hierarchy.linkage(y, method))


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 40),
    method=st.sampled_from(["single", "complete", "average", "weighted", "ward"]),
)
def test_plain_lance_williams_agrees_with_the_fast_path(seed, n, method):
    X = np.random.default_rng(seed).normal(size=(n, 3))
    D = squareform(pdist(X))
    if method == "ward":
        D = D**2
    np.fill_diagonal(D, np.inf)
    plain = generic_linkage(D, method)
    if method == "ward":
        plain[:, 2] = np.sqrt(plain[:, 2])
    _assert_same(plain, linkage(X, method))


def test_bad_linkage_input():
    with pytest.raises(ValueError, match="is not such a number"):
        linkage(np.ones(4), "average")
    with pytest.raises(ValueError, match="negative distances"):
        linkage(np.array([1.0, -1.0, 2.0]), "average")
    with pytest.raises(ValueError, match="NaN"):
        linkage(np.array([1.0, np.nan, 2.0]), "single")
    with pytest.raises(ValueError, match="method must be one of"):
        linkage(np.ones(3), "centre")


@pytest.mark.parametrize("method", ["average", "centroid", "ward", "single"])
def test_fcluster_criteria_match_scipy(method):
    X = _data("blobs", 4)
    Z = linkage(X, method)
    R = hierarchy.linkage(X, method)
    n = len(X)
    for t in (1, 2, 5, 8.0, 8.7, n - 1, n, n + 5):  # floats are truncated, as scipy does
        np.testing.assert_array_equal(
            fcluster(Z, t, "maxclust"), hierarchy.fcluster(R, t, "maxclust")
        )
    heights = np.sort(R[:, 2])
    for t in np.append((heights[1:] + heights[:-1])[[0, 20, 40, -1]] / 2, -1.0):
        np.testing.assert_array_equal(
            fcluster(Z, t, "distance"), hierarchy.fcluster(R, t, "distance")
        )
    for depth in (1, 2, 3):
        for t in (0.5, 0.8, 1.0, 1.2):
            np.testing.assert_array_equal(
                fcluster(Z, t, depth=depth), hierarchy.fcluster(R, t, depth=depth)
            )
    mono = hierarchy.maxdists(R)
    for t in np.quantile(mono, [0.3, 0.8]):
        np.testing.assert_array_equal(
            fcluster(Z, t, "monocrit", monocrit=mono),
            hierarchy.fcluster(R, t, "monocrit", monocrit=mono),
        )
    np.testing.assert_array_equal(
        fcluster(Z, 4, "maxclust_monocrit", monocrit=mono),
        hierarchy.fcluster(R, 4, "maxclust_monocrit", monocrit=mono),
    )


def test_fcluster_on_tied_heights_as_scipy():
    # integer points: many merges at the same height. scipy's maxclust keeps tied merges
    # together (possibly fewer clusters than asked); the given R decouples the
    # inconsistency numerics from the cut.
    X = np.random.default_rng(5).integers(0, 4, size=(40, 2)).astype(float)
    for method in ("single", "complete", "median"):
        R = hierarchy.linkage(X, method)
        stats = hierarchy.inconsistent(R)
        for t in (2, 3, 6, 10):
            np.testing.assert_array_equal(
                fcluster(R, t, "maxclust"), hierarchy.fcluster(R, t, "maxclust")
            )
            np.testing.assert_array_equal(
                fcluster(R, t / 6, R=stats), hierarchy.fcluster(R, t / 6, R=stats)
            )


@pytest.mark.parametrize("d", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("method", ["average", "centroid", "single"])
def test_inconsistent_matches_scipy(method, d):
    R = hierarchy.linkage(_data("random", 6), method)
    ours, ref = inconsistent(R, d), hierarchy.inconsistent(R, d)
    np.testing.assert_allclose(ours[:, [0, 2]], ref[:, [0, 2]], rtol=1e-12)
    # scipy's sum-of-squares variance loses eps mean^2 / var of it; ours does not
    mean, std = ref[:, 0], ref[:, 1]
    slack = 1e-13 * mean**2 / np.maximum(std, 1e-300) + 1e-12 * std
    assert np.all(np.abs(ours[:, 1] - std) <= slack)
    kept = std > 0
    relative = slack[kept] / std[kept]  # scipy's relative error in std, hence in the ratio
    coefficient = ref[kept, 3]
    assert np.all(np.abs(ours[kept, 3] - coefficient) <= relative * (1 + np.abs(coefficient)))
    # pairs of merges: the coefficient is +-1/sqrt(2) exactly
    pairs = ours[:, 2] == 2
    np.testing.assert_allclose(np.abs(ours[pairs & (ours[:, 1] > 0), 3]), 0.5**0.5, rtol=1e-10)


def test_inconsistent_of_equal_heights_is_zero():
    # a chain of equal heights: scipy's variance can keep rounding there; ours is 0
    X = np.arange(12.0)[:, None]
    R = inconsistent(hierarchy.linkage(X, "single"), 3)
    assert np.all(R[:, 1] == 0) and np.all(R[:, 3] == 0)
    np.testing.assert_array_equal(R[:, 0], 1.0)


def test_bad_fcluster_input():
    Z = linkage(_data("random")[:10], "average")
    with pytest.raises(ValueError, match="number of clusters >= 1"):
        fcluster(Z, 0, "maxclust")
    with pytest.raises(ValueError, match="criterion must be one of"):
        fcluster(Z, 1.0, "height")
    with pytest.raises(ValueError, match="needs the monocrit"):
        fcluster(Z, 1.0, "monocrit")
    with pytest.raises(ValueError, match="shape"):
        fcluster(Z[:, :3], 2, "maxclust")
    bad = Z.copy()
    bad[1, 0] = bad[0, 0]
    with pytest.raises(ValueError, match="more than once"):
        fcluster(bad, 2, "maxclust")
