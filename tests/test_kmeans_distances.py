"""k-means distances as reported to the user: exact where small, whatever the offset.

The reference is scipy's cdist (coordinate differences); ours must agree to 1e-12 relative
plus an absolute floor of a few eps times the data's spread. The assignment keeps the
matrix-product ranking: the test asserts what that promises, that the chosen center is the
nearest up to the rounding of the formula on centred data (not bitwise argmin equality).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

from gradscratch import KMeans

EPS = np.finfo(np.float64).eps


def _assert_close_to_cdist(ours, X, C):
    ref = cdist(X, C)
    spread = np.ptp(np.vstack([X, C]), axis=0).max()
    floor = 8 * X.shape[1] * EPS * spread
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=floor)


def _data(kind, rng):
    if kind == "blobs":
        centers = rng.normal(size=(4, 5)) * 10
        return np.repeat(centers, 50, axis=0) + rng.normal(size=(200, 5))
    if kind == "tied":  # integer points with many duplicates
        return rng.integers(0, 3, size=(200, 3)).astype(float)
    if kind == "scaled":  # columns over 8 orders of magnitude
        return rng.normal(size=(200, 4)) * np.array([1e-4, 1.0, 1e2, 1e4])
    return rng.normal(size=(200, 6))


@pytest.mark.parametrize("offset", [0.0, 1e3, 1e8])
@pytest.mark.parametrize("kind", ["random", "blobs", "tied", "scaled"])
def test_transform_matches_cdist(kind, offset):
    rng = np.random.default_rng(0)
    X = _data(kind, rng) + offset
    model = KMeans(4, random_state=0, n_init=2).fit(X)
    C = model.cluster_centers_
    _assert_close_to_cdist(model.transform(X), X, C)
    # a center's distance to itself is 0 (it was 1e-7 from the expanded formula)
    to_self = np.diag(model.transform(C))
    assert np.all(to_self <= 8 * X.shape[1] * EPS * np.abs(C).max())
    Q = X[::7] + rng.normal(size=X[::7].shape) * 1e-9  # queries very close to the data
    _assert_close_to_cdist(model.transform(Q), Q, C)


@pytest.mark.parametrize("offset", [0.0, 1e8])
def test_assignment_is_nearest_up_to_rounding(offset):
    rng = np.random.default_rng(1)
    X = _data("blobs", rng) + offset
    model = KMeans(4, random_state=0).fit(X)
    C = model.cluster_centers_
    exact2 = cdist(X, C) ** 2
    for labels in (model.labels_, model.predict(X)):
        chosen = exact2[np.arange(len(X)), labels]
        # rounding of ||c||^2 - 2 x.c on data centred at the centers' mean
        origin = C.mean(axis=0)
        size = np.linalg.norm(X - origin, axis=1) + np.linalg.norm(C - origin, axis=1).max()
        slack = 4 * (X.shape[1] + 2) * EPS * size**2
        assert np.all(chosen <= exact2.min(axis=1) + slack)
    np.testing.assert_allclose(
        model.inertia_, np.sum(exact2[np.arange(len(X)), model.labels_]), rtol=1e-12
    )
    np.testing.assert_allclose(-model.score(X), model.inertia_, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    log_offset=st.floats(-3, 9),
    log_scale=st.floats(-6, 6),
    n_features=st.integers(1, 8),
)
def test_transform_is_accurate_on_random_data(seed, log_offset, log_scale, n_features):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(60, n_features)) * 10.0**log_scale + 10.0**log_offset
    model = KMeans(3, random_state=0, n_init=1).fit(X)
    C = model.cluster_centers_
    # the training points themselves, points at tiny distances, and the centers
    Q = np.vstack([X[:20], C, C + 1e-7 * 10.0**log_scale])
    _assert_close_to_cdist(model.transform(Q), Q, C)


def test_weighted_score_and_inertia_are_exact():
    rng = np.random.default_rng(2)
    X = _data("blobs", rng) + 1e6
    w = rng.uniform(0, 3, size=len(X))
    model = KMeans(4, random_state=0).fit(X, sample_weight=w)
    d2 = cdist(X, model.cluster_centers_).min(axis=1) ** 2
    np.testing.assert_allclose(model.inertia_, d2 @ w, rtol=1e-11)
    np.testing.assert_allclose(-model.score(X, sample_weight=w), d2 @ w, rtol=1e-11)
