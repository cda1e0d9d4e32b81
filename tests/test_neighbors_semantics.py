"""KNN with scikit-learn's defaults: metric="minkowski" with its p, and all-zero weights.

The references use scikit-learn's k-d tree, which computes each distance from the coordinate
differences (its brute force uses the expanded euclidean formula, which loses digits on
badly scaled columns; ours recomputes the selected distances exactly). Ties at the k-th
neighbour are decided differently by scikit-learn's trees and by our brute force (smaller
index first), so on tied data the comparison keeps the queries whose k nearest neighbours
are determined (or whose tied candidates agree)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from sklearn import neighbors as skn

from gradscratch import KNeighborsClassifier, KNeighborsRegressor

P_VALUES = [1, 1.5, 2, 3, np.inf]


def _data(kind, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "random":
        X, Q = rng.normal(size=(80, 4)), rng.normal(size=(40, 4))
    elif kind == "tied":
        # integer points, each twice with its label: exact ties everywhere, and queries on
        # training points (distance 0), but a tie between copies does not change the answer
        X = np.repeat(rng.integers(0, 12, size=(40, 3)) * 1.0, 2, axis=0)
        Q = np.vstack([X[::8], rng.integers(0, 12, size=(30, 3)) * 1.0])
        return X, np.repeat(rng.integers(0, 3, size=40), 2), Q
    else:  # badly scaled columns
        scale = np.array([1e-3, 1.0, 1e4])
        X, Q = rng.normal(size=(80, 3)) * scale, rng.normal(size=(40, 3)) * scale
    return X, rng.integers(0, 3, size=80), Q


def _untied(X, y, Q, k, p):
    """Queries whose k nearest neighbours are determined: the points tied at the k-th
    distance all fit, or all carry the same label y (then any choice among them agrees)."""
    D = cdist(Q, X, "chebyshev") if p == np.inf else cdist(Q, X, "minkowski", p=p)
    kth = np.sort(D, axis=1)[:, k - 1 : k]
    tied = np.abs(D - kth) <= 1e-12 * (1.0 + kth)
    inside = np.count_nonzero(D < kth - 1e-12 * (1.0 + kth), axis=1)
    one_label = np.array([len(np.unique(y[t])) == 1 for t in tied])
    return (inside + tied.sum(axis=1) == k) | one_label


@pytest.mark.parametrize("p", P_VALUES)
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("kind", ["random", "tied", "scaled"])
def test_minkowski_p_is_used_as_in_sklearn(kind, weights, p):
    X, y, Q = _data(kind)
    k = 5
    ours = KNeighborsClassifier(k, weights=weights, p=p).fit(X, y)
    ref = skn.KNeighborsClassifier(k, weights=weights, p=p, algorithm="kd_tree").fit(X, y)
    assert ours.effective_metric_ == ref.effective_metric_
    keep = _untied(X, y, Q, k, p)
    assert keep.sum() >= 8
    np.testing.assert_allclose(
        ours.predict_proba(Q)[keep], ref.predict_proba(Q)[keep], rtol=1e-12, atol=1e-14
    )
    target = y + 0.5 * X[:, 0]
    reg = KNeighborsRegressor(k, weights=weights, p=p).fit(X, target)
    reg_ref = skn.KNeighborsRegressor(k, weights=weights, p=p, algorithm="kd_tree")
    keep = _untied(X, target, Q, k, p)
    np.testing.assert_allclose(
        reg.predict(Q)[keep], reg_ref.fit(X, target).predict(Q)[keep], rtol=1e-12, atol=1e-12
    )


def test_p1_is_manhattan_not_euclidean():
    # One query whose nearest point differs under the two metrics.
    X = np.array([[0.0, 3.0], [2.0, 2.0]])
    y = np.array([0, 1])
    q = np.zeros((1, 2))  # manhattan: 3 < 4; euclidean: 3 > 2.83
    assert KNeighborsClassifier(1, p=1).fit(X, y).predict(q)[0] == 0
    assert KNeighborsClassifier(1, p=2).fit(X, y).predict(q)[0] == 1
    assert skn.KNeighborsClassifier(1, p=1).fit(X, y).predict(q)[0] == 0
    # p is ignored by a named metric, as in scikit-learn
    assert KNeighborsClassifier(1, metric="euclidean", p=1).fit(X, y).predict(q)[0] == 1


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    p=st.sampled_from([1.0, 1.25, 2.0, 4.0, np.inf]),
    k=st.integers(1, 6),
)
def test_kneighbors_distances_match_sklearn(seed, p, k):
    X, _, Q = _data("random", seed)
    d, _ = KNeighborsRegressor(k, p=p).fit(X, X[:, 0]).kneighbors(Q)
    d_ref, _ = skn.NearestNeighbors(n_neighbors=k, p=p, algorithm="kd_tree").fit(X).kneighbors(Q)
    np.testing.assert_allclose(d, d_ref, rtol=1e-12, atol=1e-12)


def test_p_below_one_warns_as_sklearn_and_ranks_by_the_formula():
    X, y, Q = _data("random")
    with pytest.warns(UserWarning, match="not a distance metric"):
        ours = KNeighborsClassifier(3, p=0.5, weights="distance").fit(X, y)
    with pytest.warns(UserWarning, match="not distance metrics"):
        ref = skn.KNeighborsClassifier(3, p=0.5, weights="distance", algorithm="brute")
        ref.fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(Q), ref.predict_proba(Q), rtol=1e-12)
    for bad in (0, -1.0, "two"):
        with pytest.raises(ValueError, match="p must be a number > 0"):
            KNeighborsClassifier(p=bad).fit(X, y)


def _zero_for_first_query(dist):
    w = np.ones_like(dist)
    w[0] = 0.0
    return w


@pytest.mark.parametrize("weights", [lambda d: np.zeros_like(d), _zero_for_first_query])
def test_all_zero_weights_raise_as_sklearn(weights):
    X, y, Q = _data("random")
    message = "All neighbors of some sample is getting zero weights"
    ref = skn.KNeighborsClassifier(3, weights=weights).fit(X, y)
    with pytest.raises(ValueError, match=message):
        ref.predict_proba(Q)
    ours = KNeighborsClassifier(3, weights=weights).fit(X, y)
    for method in (ours.predict, ours.predict_proba):
        with pytest.raises(ValueError, match=message):
            method(Q)
    # scikit-learn's regressor returns NaN there (with a RuntimeWarning); ours says why.
    with pytest.raises(ValueError, match=message):
        KNeighborsRegressor(3, weights=weights).fit(X, y * 1.0).predict(Q)


def test_partly_zero_weights_are_fine():
    X, y, Q = _data("random")

    def half(dist):
        w = np.ones_like(dist)
        w[:, ::2] = 0.0
        return w

    ours = KNeighborsClassifier(4, weights=half).fit(X, y).predict_proba(Q)
    ref = skn.KNeighborsClassifier(4, weights=half, algorithm="brute").fit(X, y)
    np.testing.assert_allclose(ours, ref.predict_proba(Q), rtol=1e-12)
