"""linkage (the fast path, ``_linkage.fast_linkage``) against the plain O(n^3) loop.

Random small tie-free inputs (continuous coordinates, so no two merges are at equal
heights), on observations and on condensed distances, for every method: the same merges and
sizes, heights to 1e-10 relative.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import pdist, squareform

from gradscratch import linkage
from gradscratch.nonparametric.hierarchical import METHODS, plain_linkage


def _assert_same(Z, plain):
    np.testing.assert_array_equal(Z[:, [0, 1, 3]], plain[:, [0, 1, 3]])
    np.testing.assert_allclose(Z[:, 2], plain[:, 2], rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 40),
    n_features=st.integers(1, 4),
    method=st.sampled_from(METHODS),
)
def test_fast_linkage_equals_plain(seed, n, n_features, method):
    rng = np.random.default_rng(seed)
    scale = rng.uniform(0.1, 10.0, size=n_features)
    X = rng.normal(size=(n, n_features)) * scale + rng.uniform(-100, 100, size=n_features)
    plain = plain_linkage(squareform(pdist(X)), method)
    _assert_same(linkage(X, method), plain)
    _assert_same(linkage(pdist(X), method), plain)


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n=st.integers(2, 30),
    method=st.sampled_from(["single", "complete", "average", "weighted"]),
)
def test_fast_linkage_equals_plain_on_other_dissimilarities(seed, n, method):
    # any symmetric dissimilarities (here manhattan's) through the condensed input
    X = np.random.default_rng(seed).normal(size=(n, 3))
    y = pdist(X, "cityblock")
    _assert_same(linkage(y, method), plain_linkage(squareform(y), method))
