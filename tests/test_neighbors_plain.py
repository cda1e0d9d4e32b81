"""The fast neighbour search (``_kneighbors.fast_kneighbors``) against the plain version.

Random small tie-free inputs (continuous coordinates: distinct distances almost surely), the
blocks, row chunks and group pre-selection shrunk so that small inputs take every branch of
the fast path. Neighbours must be equal, distances and predictions equal to rounding.
"""

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscratch import KNeighborsClassifier, KNeighborsRegressor
from gradscratch.nonparametric import _distances, _kneighbors
from gradscratch.nonparametric.neighbors import plain_kneighbors, plain_predict

CASES = dict(
    seed=st.integers(0, 2**31 - 1),
    n_fit=st.integers(2, 80),
    n_queries=st.integers(1, 25),
    n_features=st.integers(1, 5),
    k=st.integers(1, 8),
    p=st.sampled_from([1, 2]),
    weights=st.sampled_from(["uniform", "distance"]),
    block_cols=st.sampled_from([4, 16, 2**16]),
    group=st.sampled_from([2, 4, 128]),
    chunk_rows=st.sampled_from([1, 3, None]),
    magnitude=st.integers(-6, 6),
)


def _data(seed, n_fit, n_queries, n_features, magnitude=0, n_classes=3):
    # columns of different spreads, 10^magnitude around a point 10^magnitude * 50 away
    rng = np.random.default_rng(seed)
    spread = rng.uniform(0.1, 10.0, size=n_features) * 10.0**magnitude
    X = rng.normal(size=(n_fit, n_features)) * spread + rng.normal(size=n_features) * 50 * spread
    Xq = rng.normal(size=(n_queries, n_features)) * X.std(axis=0) + X.mean(axis=0)
    return X, rng.integers(0, n_classes, size=n_fit), rng.normal(size=n_fit), Xq


def _engineered(block_cols, group, chunk_rows, n_features):
    """The fast path's block sizes shrunk (``None``: left as they are)."""
    patches = [
        mock.patch.object(_kneighbors, "BLOCK_COLS", block_cols),
        mock.patch.object(_kneighbors, "GROUP", group),
    ]
    if chunk_rows is not None:
        # rows per chunk = MAX_CHUNK_BYTES // (8 * columns [* features])
        nbytes = 8 * chunk_rows * min(block_cols, 80) * n_features
        patches.append(mock.patch.object(_distances, "MAX_CHUNK_BYTES", nbytes))
    return patches


def _agree_on_votes(proba, ref):
    # predictions compared where the vote has a clear winner (no exact ties asserted)
    top2 = np.sort(ref, axis=1)[:, -2:] if ref.shape[1] > 1 else np.c_[ref * 0, ref]
    return top2[:, 1] - top2[:, 0] > 1e-9


@settings(max_examples=60, deadline=None)
@given(**CASES)
def test_fast_kneighbors_equals_plain(
    seed, n_fit, n_queries, n_features, k, p, weights, block_cols, group, chunk_rows, magnitude
):
    k = min(k, n_fit)
    X, y, t, Xq = _data(seed, n_fit, n_queries, n_features, magnitude)
    dist_ref, ind_ref = plain_kneighbors(X, Xq, k, p)
    proba_ref, label_ref = plain_predict(X, y, Xq, k, weights, p)
    mean_ref = plain_predict(X, t, Xq, k, weights, p, regression=True)
    patches = _engineered(block_cols, group, chunk_rows, n_features)
    for patch in patches:
        patch.start()
    try:
        clf = KNeighborsClassifier(k, weights=weights, p=p).fit(X, y)
        dist, ind = clf.kneighbors(Xq)
        proba, label = clf.predict_proba(Xq), clf.predict(Xq)
        mean = KNeighborsRegressor(k, weights=weights, p=p).fit(X, t).predict(Xq)
    finally:
        for patch in patches:
            patch.stop()
    np.testing.assert_array_equal(ind, ind_ref)
    np.testing.assert_allclose(dist, dist_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(proba, proba_ref, rtol=1e-10, atol=1e-12)
    clear = _agree_on_votes(proba, proba_ref)
    np.testing.assert_array_equal(label[clear], label_ref[clear])
    np.testing.assert_allclose(mean, mean_ref, rtol=1e-10, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(**CASES)
def test_fast_kneighbors_of_the_training_points_equals_plain(
    seed, n_fit, n_queries, n_features, k, p, weights, block_cols, group, chunk_rows, magnitude
):
    # kneighbors() with no queries: each training point left out of its own neighbours
    n_fit = max(n_fit, 3)
    k = min(k, n_fit - 1)
    X, y, _, _ = _data(seed, n_fit, 1, n_features, magnitude)
    dist_ref, ind_ref = plain_kneighbors(X, X, k + 1, p)
    patches = _engineered(block_cols, group, chunk_rows, n_features)
    for patch in patches:
        patch.start()
    try:
        dist, ind = KNeighborsClassifier(k, weights=weights, p=p).fit(X, y).kneighbors()
    finally:
        for patch in patches:
            patch.stop()
    np.testing.assert_array_equal(ind, ind_ref[:, 1:])  # the nearest is the point itself
    np.testing.assert_allclose(dist, dist_ref[:, 1:], rtol=1e-10, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 6))
def test_distances_closer_than_float32_resolves_are_ranked_exactly(seed, k):
    # Training points on spheres around the query whose radii differ by 1e-10 relative:
    # the float32 keys cannot tell them apart, the exact finish must.
    rng = np.random.default_rng(seed)
    directions = rng.normal(size=(300, 4))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    radii = 1.0 + 1e-10 * rng.permutation(300)
    radii[150:] += 0.5  # and points clearly further away
    query = rng.normal(size=(1, 4)) * 10
    X = query + directions * radii[:, None]
    dist_ref, ind_ref = plain_kneighbors(X, query, k)
    with mock.patch.object(_kneighbors, "GROUP", 4):
        dist, ind = KNeighborsRegressor(k).fit(X, X[:, 0]).kneighbors(query)
    np.testing.assert_array_equal(ind, ind_ref)
    np.testing.assert_allclose(dist, dist_ref, rtol=1e-12)


def test_queries_far_out():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    model = KNeighborsRegressor(4).fit(X, X[:, 0])
    Xq = rng.normal(size=(20, 3)) * 1e10  # float32 keys, large slack: still exact
    dist_ref, ind_ref = plain_kneighbors(X, Xq, 4)
    dist, ind = model.kneighbors(Xq)
    np.testing.assert_array_equal(ind, ind_ref)
    np.testing.assert_allclose(dist, dist_ref, rtol=1e-12)
    # Past _kneighbors.FLOAT32_LIMIT the keys are float64 (float32 would overflow). All
    # distances then agree to float64's resolution (which neighbours win is rounding), so
    # the distances are compared: each the exact one of its neighbour and the plain one.
    for far in (1e25, 1e100):
        Xq = rng.normal(size=(20, 3)) * far
        dist_ref, _ = plain_kneighbors(X, Xq, 4)
        dist, ind = model.kneighbors(Xq)
        np.testing.assert_allclose(dist, dist_ref, rtol=1e-12)
        np.testing.assert_allclose(dist, np.linalg.norm(Xq[:, None] - X[ind], axis=2), rtol=1e-12)
