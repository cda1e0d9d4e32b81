"""The tree seam: the engine (``grow_tree``, exact and histogram modes) grows the tree of the
plain recursive grower (``plain_tree``) on small random tie-free data."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscratch.nonparametric.tree import Binner, grow_tree, plain_tree


def assert_same_tree(plain, tree, X, rows=None, node=0, exact=True):
    """Node for node: the same training rows, value, and split (a different feature only
    where it separates the node's rows the same way: an exact tie between features, common
    in nodes of a few rows). The threshold is the plain one in exact mode; in histogram mode
    it is the first bin edge above the node's left rows (edges are global: below the root a
    node's two closest values may have other nodes' values between them), the same split of
    the training rows."""
    rows = np.arange(len(X)) if rows is None else rows
    assert tree.n_node_samples[node] == plain["n_samples"] == len(rows)
    np.testing.assert_allclose(tree.value[node], plain["value"], rtol=1e-10, atol=1e-12)
    is_leaf = tree.children_left[node] == -1
    assert is_leaf == ("feature" not in plain)
    if is_leaf:
        return
    f, t = int(tree.feature[node]), float(tree.threshold[node])
    left = X[rows, f] <= t
    plain_left = X[rows, plain["feature"]] <= plain["threshold"]
    if exact and f == plain["feature"]:
        assert t == plain["threshold"]
    # a tie between features may send the same two row sets to opposite sides
    swap = f != plain["feature"] and np.array_equal(left, ~plain_left)
    np.testing.assert_array_equal(left, ~plain_left if swap else plain_left)
    sides = ("right", "left") if swap else ("left", "right")
    assert_same_tree(plain[sides[0]], tree, X, rows[left], tree.children_left[node], exact)
    assert_same_tree(plain[sides[1]], tree, X, rows[~left], tree.children_right[node], exact)


def _data(seed, n, p, classes):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    if classes:
        y = rng.integers(0, classes, size=n)
    else:
        y = X[:, 0] - 2 * X[:, -1] * (X[:, 0] > 0) + rng.normal(size=n)
    return X, y


shapes = dict(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(8, 60),
    p=st.integers(1, 4),
    max_depth=st.sampled_from([1, 2, 3, None]),
    min_samples_leaf=st.integers(1, 4),
)


@settings(max_examples=40, deadline=None)
@given(criterion=st.sampled_from(["squared_error", "gini", "entropy"]), **shapes)
def test_exact_engine_is_the_plain_grower(criterion, seed, n, p, max_depth, min_samples_leaf):
    classes = 0 if criterion == "squared_error" else 3
    X, y = _data(seed, n, p, classes)
    w = np.random.default_rng(seed + 1).uniform(0.5, 2.0, size=n)
    kw = dict(criterion=criterion, max_depth=max_depth, min_samples_leaf=min_samples_leaf)
    kw |= {"n_classes": classes} if classes else {}
    plain = plain_tree(X, y, w, **kw)
    assert_same_tree(plain, grow_tree(X, y, sample_weight=w, random_state=seed, **kw), X)


@settings(max_examples=40, deadline=None)
@given(newton=st.booleans(), **shapes)
def test_histogram_engine_is_the_plain_grower(newton, seed, n, p, max_depth, min_samples_leaf):
    """Histogram mode (with at most max_bins distinct values a bin edge is the exact
    midpoint); the Newton criterion as least squares on -g/h with weights h."""
    X, y = _data(seed, n, p, 0)
    binner = Binner(max_bins=255).fit(X)
    codes = binner.transform(X)
    kw = dict(max_depth=max_depth, min_samples_leaf=min_samples_leaf)
    if newton:
        h = np.random.default_rng(seed + 1).uniform(0.5, 2.0, size=n)
        g = -y * h
        tree = grow_tree(
            codes, criterion="newton", gradient=g, hessian=h, reg_lambda=0.0, binner=binner, **kw
        )
        plain = plain_tree(X, -g / h, h, **kw)
    else:
        tree = grow_tree(codes, y, binner=binner, **kw)
        plain = plain_tree(X, y, **kw)
    assert_same_tree(plain, tree, X, exact=False)
    if "feature" in plain and tree.feature[0] == plain["feature"]:
        assert tree.threshold[0] == plain["threshold"]  # at the root the edges are midpoints
