"""The exact-mode seam: the level-wise grower (``grow_tree``'s default in exact mode) grows the
tree that the node-by-node grower (``levelwise=False``, ``_Grower``) grows, node for node,
with feature sampling (both draw a node's feature order from its key, ``_node_keys``),
sample weights (zeros included), ``min_samples_leaf`` and ``min_weight_leaf``."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscratch.nonparametric._node_keys import child_keys, feature_orders
from gradscratch.nonparametric.tree import grow_tree


def assert_same_tree(a, b, X, rows, node_a=0, node_b=0, sampled=False):
    """Node for node: the same rows, value and split (a different feature only where it
    sends the node's rows the same way, or all of them the other way: an exact tie between
    features, which rounding breaks either way). Below a split whose sides are swapped,
    feature sampling (``sampled``) draws for each child what the other drew: not compared."""
    assert a.n_node_samples[node_a] == b.n_node_samples[node_b] == len(rows)
    np.testing.assert_allclose(a.value[node_a], b.value[node_b], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.impurity[node_a], b.impurity[node_b], rtol=1e-7, atol=1e-12)
    leaf = a.children_left[node_a] == -1
    assert leaf == (b.children_left[node_b] == -1)
    if leaf:
        return
    left_a = X[rows, a.feature[node_a]] <= a.threshold[node_a]
    left_b = X[rows, b.feature[node_b]] <= b.threshold[node_b]
    if a.feature[node_a] == b.feature[node_b]:
        assert a.threshold[node_a] == b.threshold[node_b]
    swap = a.feature[node_a] != b.feature[node_b] and np.array_equal(left_a, ~left_b)
    np.testing.assert_array_equal(left_a, ~left_b if swap else left_b)
    la, ra = a.children_left[node_a], a.children_right[node_a]
    lb, rb = b.children_left[node_b], b.children_right[node_b]
    if swap and sampled:
        return
    lb, rb = (rb, lb) if swap else (lb, rb)
    assert_same_tree(a, b, X, rows[left_a], la, lb, sampled)
    assert_same_tree(a, b, X, rows[~left_a], ra, rb, sampled)


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(5, 150),
    p=st.integers(1, 9),
    criterion=st.sampled_from(["squared_error", "gini", "entropy", "multi"]),
    max_depth=st.sampled_from([1, 3, 6, None]),
    min_samples_leaf=st.integers(1, 4),
    max_features=st.sampled_from([None, 1, 2, 3]),
    weights=st.sampled_from(["none", "float", "counts"]),
    min_weight_leaf=st.sampled_from([0.0, 2.5]),
)
def test_levelwise_grower_is_the_node_by_node_grower(
    seed, n, p, criterion, max_depth, min_samples_leaf, max_features, weights, min_weight_leaf
):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)).astype(np.float32)
    kw = dict(criterion=criterion, max_depth=max_depth, min_samples_leaf=min_samples_leaf)
    if criterion in ("gini", "entropy"):
        y = rng.integers(0, 3, size=n)
        kw["n_classes"] = 3
    else:
        y = X[:, 0] - 2 * X[:, -1] * (X[:, 0] > 0) + rng.normal(size=n)
        if criterion == "multi":
            y = np.column_stack([y, rng.normal(size=n)])
            kw["criterion"] = "squared_error"
    w = {
        "none": None,
        "float": rng.uniform(0.5, 2.0, size=n),
        "counts": rng.integers(0, 3, size=n).astype(float),  # a bootstrap's counts
    }[weights]
    kw |= dict(sample_weight=w, min_weight_leaf=min_weight_leaf, random_state=seed)
    kw |= dict(max_features=max_features if max_features is None or max_features < p else None)
    fast, leaves = grow_tree(X, y, return_leaves=True, **kw)
    plain = grow_tree(X, y, levelwise=False, **kw)
    rows = np.arange(n) if w is None else np.nonzero(w > 0)[0]
    if len(rows):
        assert_same_tree(fast, plain, X, rows, sampled=kw["max_features"] is not None)
    np.testing.assert_array_equal(leaves, fast.apply(X))


def test_feature_orders_are_permutations_drawn_evenly():
    """Each node's order is a permutation; over many nodes each feature comes first about
    equally often, and sibling keys differ."""
    keys = child_keys(np.arange(20_000, dtype=np.uint64), 0)
    orders = feature_orders(keys, 5)
    np.testing.assert_array_equal(np.sort(orders, axis=1), np.tile(np.arange(5), (20_000, 1)))
    firsts = np.bincount(orders[:, 0], minlength=5) / 20_000
    np.testing.assert_allclose(firsts, 0.2, atol=0.02)  # binomial sd 0.003
    assert not np.any(child_keys(keys, 0) == child_keys(keys, 1))


def test_same_random_state_same_tree_and_forest_draws_differ():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(300, 8)), rng.integers(0, 2, size=300)
    kw = dict(criterion="gini", n_classes=2, max_depth=4, max_features=2)
    a, b = grow_tree(X, y, random_state=3, **kw), grow_tree(X, y, random_state=3, **kw)
    np.testing.assert_array_equal(a.feature, b.feature)
    features = {tuple(grow_tree(X, y, random_state=s, **kw).feature) for s in range(6)}
    assert len(features) > 1
