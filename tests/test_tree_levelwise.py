"""The level-wise histogram grower (``_tree_levelwise``) grows the tree the node-by-node
grower (``_tree_engine._Grower``) grows: same splits, thresholds, values and numbering on
tie-free data; boosting on it gives the same predictions."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscratch import GradientBoostingRegressor
from gradscratch.nonparametric import _tree_engine
from gradscratch.nonparametric._binning import Binner
from gradscratch.nonparametric._tree_engine import grow_tree
from gradscratch.nonparametric._tree_levelwise import applies

INTEGER_FIELDS = ("children_left", "children_right", "feature", "threshold_bin", "depth")
FLOAT_FIELDS = ("threshold", "value", "impurity", "weighted_n_node_samples")


def assert_same_arrays(a, b):
    for name in INTEGER_FIELDS + ("n_node_samples",):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in FLOAT_FIELDS:
        np.testing.assert_allclose(
            getattr(a, name), getattr(b, name), rtol=1e-10, atol=1e-12, err_msg=name
        )


def _node_by_node(codes, **kw):
    """The same tree through the node-by-node grower (max_features = all features)."""
    return grow_tree(codes, max_features=codes.shape[1], **kw)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(20, 400),
    p=st.integers(1, 5),
    max_bins=st.sampled_from([4, 16, 255]),
    max_depth=st.integers(0, 5),
    min_samples_leaf=st.integers(5, 10),  # a node of a few rows ties features exactly
    # continuous targets: class counts tie splits exactly, broken by a random feature order
    # in the node-by-node grower
    criterion=st.sampled_from(["squared_error", "newton"]),
    weighted=st.booleans(),
)
def test_levelwise_is_node_by_node(
    seed, n, p, max_bins, max_depth, min_samples_leaf, criterion, weighted
):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X[:, 0] + np.sin(3 * X[:, -1]) + rng.normal(size=n)
    binner = Binner(max_bins=max_bins).fit(X)
    codes = binner.transform(X)
    kw = dict(binner=binner, max_depth=max_depth, min_samples_leaf=min_samples_leaf)
    if weighted:  # zero weights included: rows left out
        kw["sample_weight"] = rng.uniform(0, 2, n) * (rng.uniform(size=n) > 0.2)
    if criterion == "newton":
        kw |= dict(gradient=-y, hessian=rng.uniform(0.5, 2.0, n), reg_lambda=1.0)
    else:
        kw["y"] = y
    assert applies(binner, p, 3, max_depth, None, None, 0.0)
    tree, leaves = grow_tree(codes, criterion=criterion, return_leaves=True, **kw)
    other = _node_by_node(codes, criterion=criterion, **kw)
    np.testing.assert_array_equal(leaves, tree.apply_binned(codes))
    if not weighted:
        assert_same_arrays(tree, other)
        return
    # Rows of weight 0 take no part in the fit, so two features that split the weighted rows
    # of a node alike (and differ only on the others) tie exactly: the node-by-node grower
    # breaks that tie in a random feature order, the level-wise one by the lowest index
    # (seed 186970: node 28, features 0 and 4). The fit of the weighted rows is the same.
    kept = kw["sample_weight"] > 0
    np.testing.assert_allclose(
        tree.value[leaves[kept]],
        other.value[other.apply_binned(codes)[kept]],
        rtol=1e-10,
        atol=1e-12,
    )


def test_where_levelwise_does_not_apply():
    """Best-first growth, feature sampling, min_weight_leaf and unbounded depth stay with the
    node-by-node grower."""
    binner = Binner().fit(np.zeros((2, 3)))
    assert not applies(binner, 3, 3, 3, None, 8, 0.0)
    assert not applies(binner, 3, 3, 3, 2, None, 0.0)
    assert not applies(binner, 3, 3, 3, None, None, 1.0)
    assert not applies(binner, 3, 3, np.inf, None, None, 0.0)
    assert not applies(binner, 300, 3, 20, None, None, 0.0)  # a level's histograms too big


@pytest.mark.parametrize("extra", [{}, {"subsample": 0.7}, {"weights": True}])
def test_boosting_on_levelwise_trees_is_unchanged(extra, monkeypatch):
    """Squared error (tie-free gradients; class labels are not: their first-stage gradients
    take a few values, and rounding breaks the exact ties between splits)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 6))
    y = X[:, 0] - np.abs(X[:, 1]) + 0.5 * rng.normal(size=600)
    w = rng.integers(0, 3, size=600) if extra.pop("weights", False) else None
    # min_samples_leaf: a node of two rows ties every feature that separates them
    params = dict(n_estimators=20, max_depth=3, max_bins=32, min_samples_leaf=10, **extra)
    fast = GradientBoostingRegressor(random_state=0, **params).fit(X, y, sample_weight=w)
    monkeypatch.setattr(_tree_engine, "applies", lambda *args: False)
    slow = GradientBoostingRegressor(random_state=0, **params).fit(X, y, sample_weight=w)
    for a, b in zip(fast.estimators_.ravel(), slow.estimators_.ravel()):
        assert_same_arrays(a, b)
    np.testing.assert_allclose(fast.predict(X), slow.predict(X), rtol=1e-10, atol=1e-12)


def test_workspace_is_not_pickled():
    X = np.random.default_rng(0).normal(size=(50, 2))
    binner = Binner().fit(X)
    codes = binner.transform(X)
    grow_tree(codes, X[:, 0], binner=binner, max_depth=2)
    assert hasattr(binner, "_workspace")
    assert not hasattr(pickle.loads(pickle.dumps(binner)), "_workspace")
