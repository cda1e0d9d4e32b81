"""The merges that the dask fits rest on, against the statistics of all the rows at once:
Chan, Golub and LeVeque's update of count, mean and centred scatter, and the tall-skinny QR
combine (``gradscratch/_blocks.py``). Plain numpy: no dask needed."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscratch._blocks import combine_factors, combine_moments, moments


def _split(rng, n, parts):
    cuts = np.sort(rng.choice(np.arange(1, n), size=parts - 1, replace=False))
    return np.split(np.arange(n), cuts)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(4, 60),
    p=st.integers(1, 4),
    parts=st.integers(2, 4),
    offset=st.sampled_from([0.0, 1e3, 1e8]),
    weighted=st.booleans(),
)
def test_merged_moments_are_those_of_all_rows(seed, n, p, parts, offset, weighted):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p)) * rng.uniform(0.1, 10, size=p) + offset
    w = rng.uniform(0.1, 3.0, size=n) if weighted else None
    blocks = _split(rng, n, parts)
    merged = combine_moments([moments(Z[b], None if w is None else w[b]) for b in blocks])
    whole = moments(Z, w)
    assert np.isclose(merged.weight, whole.weight, rtol=1e-14)
    # a mean is a sum of terms as large as |z|: known to about eps max|z| absolute, which a
    # mean near 0 would fail as a relative test (seed 2791: -0.0026 of terms near 10, 1.5e-13)
    np.testing.assert_allclose(merged.mean, whole.mean, rtol=0, atol=1e-13 * np.abs(Z).max())
    # the centred scatter keeps its digits whatever the offset (no X^T X - n m m^T): it is
    # as exact as the deviations z - m themselves, each known to about eps |offset|
    scale = np.max(np.abs(whole.scatter))
    eps = np.finfo(np.float64).eps
    atol = 1e-10 * scale + 10 * eps * offset * np.sqrt(n * scale)
    np.testing.assert_allclose(merged.scatter, whole.scatter, rtol=0, atol=atol)
    assert merged.largest == whole.largest


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(8, 60),
    p=st.integers(1, 4),
    parts=st.integers(2, 4),
)
def test_tall_skinny_qr_factor_is_the_centred_scatters_root(seed, n, p, parts):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p)) + 50.0
    factors = []
    for b in _split(rng, n, parts):
        mean = Z[b].mean(axis=0)
        factors.append((np.linalg.qr(Z[b] - mean, mode="r"), float(len(b)), mean))
    R, weight, mean = combine_factors(factors)
    whole = moments(Z)
    assert weight == n
    np.testing.assert_allclose(mean, whole.mean, rtol=1e-13)
    np.testing.assert_allclose(R.T @ R, whole.scatter, rtol=0, atol=1e-10 * np.max(whole.scatter))
