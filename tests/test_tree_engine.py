"""The tree engine on its own: Newton criterion, histogram mode, flat-array trees."""

import numpy as np
import pytest

from gradscratch.nonparametric._binning import Binner, bin_data
from gradscratch.nonparametric._tree_engine import grow_tree


def _brute_newton_root(X, g, h, lam, min_samples_leaf):
    """Best root split by trying every feature and every threshold in Python."""
    best = (-np.inf, None, None)
    G, H = g.sum(), h.sum()
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for a, b in zip(values[:-1], values[1:]):
            t = a / 2 + b / 2
            left = X[:, j] <= t
            if min(left.sum(), (~left).sum()) < min_samples_leaf:
                continue
            gl, hl = g[left].sum(), h[left].sum()
            gain = 0.5 * (gl**2 / (hl + lam) + (G - gl) ** 2 / (H - hl + lam) - G**2 / (H + lam))
            if gain > best[0]:
                best = (gain, j, t)
    return best


@pytest.mark.parametrize("lam", [0.0, 1.0, 10.0])
def test_newton_root_split_matches_brute_force(lam):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 4))
    g = rng.normal(size=80) + X[:, 2]
    h = rng.uniform(0.1, 1.0, size=80)
    tree = grow_tree(
        X,
        criterion="newton",
        gradient=g,
        hessian=h,
        reg_lambda=lam,
        max_depth=1,
        min_samples_leaf=3,
    )
    gain, j, t = _brute_newton_root(X, g, h, lam, 3)
    assert tree.feature[0] == j
    assert tree.threshold[0] == pytest.approx(t, abs=1e-12)
    improvement = tree.impurity[0] * 80 - tree.impurity[1:] @ tree.weighted_n_node_samples[1:]
    assert improvement == pytest.approx(gain, rel=1e-10)
    left = X[:, j] <= t
    for node, mask in ((1, left), (2, ~left)):
        expected = -g[mask].sum() / (h[mask].sum() + lam)
        assert tree.value[node, 0] == pytest.approx(expected, rel=1e-12)


def test_newton_deeper_tree_leaf_values():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    g, h = rng.normal(size=200), np.ones(200)
    tree = grow_tree(X, criterion="newton", gradient=g, hessian=h, reg_lambda=2.0, max_depth=3)
    leaves = tree.apply(X)
    for leaf in np.unique(leaves):
        m = leaves == leaf
        assert tree.value[leaf, 0] == pytest.approx(-g[m].sum() / (m.sum() + 2.0), rel=1e-10)
    assert tree.max_depth == 3


@pytest.mark.parametrize("criterion", ["squared_error", "gini", "newton"])
def test_histogram_mode_equals_exact_mode_on_few_distinct_values(criterion):
    rng = np.random.default_rng(2)
    X = rng.integers(0, 12, size=(400, 5)).astype(float) * 0.37
    kw = dict(max_depth=5, min_samples_leaf=3, criterion=criterion)
    if criterion == "squared_error":
        kw["y"] = X[:, 0] * np.sin(X[:, 1]) + rng.normal(size=400)
    elif criterion == "gini":
        kw["y"], kw["n_classes"] = (X[:, 0] + rng.normal(size=400) > X[:, 3]).astype(int), 2
    else:
        kw["gradient"], kw["hessian"] = rng.normal(size=400) + X[:, 1], rng.uniform(0.5, 1, 400)
    codes, binner = bin_data(X, max_bins=255)
    exact = grow_tree(X, random_state=0, **kw)
    hist = grow_tree(codes, binner=binner, random_state=0, **kw)
    np.testing.assert_array_equal(exact.apply(X), hist.apply(X))
    np.testing.assert_array_equal(hist.apply(X), hist.apply_binned(codes))
    np.testing.assert_allclose(exact.predict(X), hist.predict(X), rtol=1e-10, atol=1e-12)


def test_histogram_mode_on_continuous_data_is_close():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3000, 4))
    y = np.sin(2 * X[:, 0]) + X[:, 1] + 0.1 * rng.normal(size=3000)
    codes, binner = bin_data(X, max_bins=64)
    assert codes.dtype == np.uint8 and codes.max() < 64
    hist = grow_tree(codes, y, binner=binner, max_depth=6)
    exact = grow_tree(X, y, max_depth=6)
    mse_h = np.mean((hist.predict(X)[:, 0] - y) ** 2)
    mse_e = np.mean((exact.predict(X)[:, 0] - y) ** 2)
    assert mse_h < 1.1 * mse_e
    np.testing.assert_array_equal(hist.apply(X), hist.apply_binned(codes))


def test_binner_codes_follow_thresholds():
    X = np.array([[0.0], [1.0], [1.0], [3.0]])
    binner = Binner(max_bins=255).fit(X)
    np.testing.assert_allclose(binner.bin_thresholds_[0], [0.5, 2.0])
    np.testing.assert_array_equal(binner.transform(X)[:, 0], [0, 1, 1, 2])
    with pytest.raises(ValueError, match="max_bins"):
        Binner(max_bins=1000).fit(X)


def test_best_first_growth_stops_at_max_leaf_nodes():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 3))
    y = X[:, 0] + rng.normal(size=300)
    tree = grow_tree(X, y, max_leaf_nodes=7)
    assert tree.n_leaves == 7
    assert tree.node_count == 13


def test_zero_weight_samples_are_ignored_with_presorted_input():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(100, 3))
    y = X[:, 1] + 0.1 * rng.normal(size=100)
    w = rng.integers(0, 3, size=100).astype(float)
    presorted = np.argsort(X, axis=0, kind="stable").T
    a = grow_tree(X, y, sample_weight=w, presorted=presorted, max_depth=4, random_state=0)
    keep = w > 0
    b = grow_tree(X[keep], y[keep], sample_weight=w[keep], max_depth=4, random_state=0)
    np.testing.assert_array_equal(a.feature, b.feature)
    np.testing.assert_allclose(a.predict(X), b.predict(X))
