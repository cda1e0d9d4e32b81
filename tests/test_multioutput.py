"""Multi-output targets (y of shape (n, k)) against scikit-learn, and (n, 1) columns.

scikit-learn's shapes for a (n, 1) y differ by estimator and are kept: LinearRegression's
coef_ is (1, p) and its predictions (n, 1); Ridge's coef_ is (p,) with intercept_ (1,);
KNeighborsRegressor predicts (n, 1); the trees predict (n,); the forest warns and ravels.
Trees are compared node by node where the growth is tie-free (depth-limited, leaves of
several samples); a fully grown tree reaches nodes where different features separate the
same samples, and scikit-learn and we break that tie with different random streams.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import ensemble as ske
from sklearn import linear_model as skl
from sklearn import metrics as skm
from sklearn import neighbors as skn
from sklearn import tree as skt

from gradscratch import (
    DecisionTreeRegressor,
    KNeighborsRegressor,
    LinearRegression,
    RandomForestRegressor,
    Ridge,
)
from gradscratch.metrics import mean_squared_error, r2_score


def _data(kind, seed=0, n=90, p=4, k=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    if kind == "ill":  # nearly collinear columns
        X[:, 1] = X[:, 0] + 1e-5 * rng.normal(size=n)
    if kind == "tied":  # integer targets, duplicated rows
        X = np.repeat(np.round(X[: n // 3]), 3, axis=0)
    Y = X @ rng.normal(size=(p, k)) + 0.3 * rng.normal(size=(len(X), k))
    return X, (np.round(Y) if kind == "tied" else Y)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("kind", ["random", "ill"])
@pytest.mark.parametrize("name", ["LinearRegression", "Ridge"])
def test_linear_models_match_sklearn(name, kind, fit_intercept, weighted):
    X, Y = _data(kind)
    s = np.random.default_rng(1).uniform(0.3, 3, size=len(X)) if weighted else None
    ours, ref = {
        "LinearRegression": (LinearRegression, skl.LinearRegression),
        "Ridge": (lambda **kw: Ridge(alpha=0.7, **kw), lambda **kw: skl.Ridge(0.7, **kw)),
    }[name]
    for y in (Y, Y[:, :1], Y[:, 0]):
        a = ours(fit_intercept=fit_intercept).fit(X, y, s)
        b = ref(fit_intercept=fit_intercept).fit(X, y, s)
        assert np.shape(a.coef_) == np.shape(b.coef_)
        assert np.shape(a.intercept_) == np.shape(b.intercept_)
        scale = np.max(np.abs(b.coef_))
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=0, atol=1e-8 * scale)
        np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=1e-8, atol=1e-8)
        assert a.predict(X).shape == b.predict(X).shape
        np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(a.score(X, y, s), b.score(X, y, s), rtol=1e-10)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 4), n=st.integers(6, 40))
def test_each_output_is_its_own_fit(seed, k, n):
    X, Y = _data("random", seed, n=n, p=3, k=k)
    for model in (LinearRegression(), Ridge(alpha=0.3)):
        joint = model.fit(X, Y)
        coef, intercept = np.atleast_2d(joint.coef_).copy(), joint.intercept_.copy()
        assert len(joint.optim_result_) == k and all(r.converged for r in joint.optim_result_)
        for j in range(k):
            single = model.fit(X, Y[:, j])
            np.testing.assert_allclose(coef[j], single.coef_, rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(intercept[j], single.intercept_, rtol=1e-12, atol=1e-12)


def test_summary_refuses_multi_output():
    X, Y = _data("random")
    with pytest.raises(ValueError, match="single-output fit"):
        LinearRegression().fit(X, Y).summary()
    LinearRegression().fit(X, Y[:, 0]).summary()


@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("p", [1, 2])
def test_knn_regressor_matches_sklearn(p, weights):
    X, Y = _data("random", 2)
    Q = np.random.default_rng(3).normal(size=(25, X.shape[1]))
    for y in (Y, Y[:, :1]):
        ours = KNeighborsRegressor(5, weights=weights, p=p).fit(X, y).predict(Q)
        ref = skn.KNeighborsRegressor(5, weights=weights, p=p, algorithm="kd_tree")
        expected = ref.fit(X, y).predict(Q)
        assert ours.shape == expected.shape
        np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


def _same_tree(a, b):
    assert a.node_count == b.node_count
    np.testing.assert_array_equal(a.feature, b.feature)
    np.testing.assert_array_equal(a.children_left, b.children_left)
    np.testing.assert_allclose(a.threshold, b.threshold, rtol=0, atol=0)
    np.testing.assert_allclose(a.impurity, b.impurity, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a.value, b.value[:, :, 0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(
    "params",
    [
        {"max_depth": 3},
        {"max_depth": 6, "min_samples_leaf": 8},
        {"max_leaf_nodes": 7},
        {"max_depth": 5, "min_samples_leaf": 8, "min_impurity_decrease": 100.0},
    ],
)
def test_tree_grows_sklearns_multi_output_tree(params, weighted):
    X, Y = _data("random", 4, n=200)
    Y[:, 2] *= 100.0  # outputs of different scales: the criterion averages their MSEs
    s = np.random.default_rng(5).uniform(0.5, 2, size=len(X)) if weighted else None
    ours = DecisionTreeRegressor(random_state=0, **params).fit(X, Y, s)
    ref = skt.DecisionTreeRegressor(random_state=0, **params).fit(X, Y, s)
    assert ours.n_outputs_ == ref.n_outputs_ == 3
    _same_tree(ours.tree_, ref.tree_)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, rtol=1e-9)


def test_tree_column_vector_and_full_growth():
    X, Y = _data("tied", 6)
    for y in (Y[:, :1], Y):
        ours = DecisionTreeRegressor(random_state=0).fit(X, y)
        ref = skt.DecisionTreeRegressor(random_state=0).fit(X, y)
        assert ours.n_outputs_ == ref.n_outputs_ and ours.predict(X).shape == ref.predict(X).shape
        np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-12)
        assert ours.get_n_leaves() == ref.get_n_leaves()


def test_forest_multi_output():
    X, Y = _data("random", 7, n=150)
    # without bootstrap and feature sampling every tree is the single tree
    kw = dict(n_estimators=3, bootstrap=False, max_features=None, max_depth=4)
    ours = RandomForestRegressor(random_state=0, **kw).fit(X, Y)
    ref = ske.RandomForestRegressor(random_state=0, **kw).fit(X, Y)
    assert ours.n_outputs_ == 3 and ours.predict(X).shape == (len(X), 3)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-12)
    tree = DecisionTreeRegressor(max_depth=4, random_state=0).fit(X, Y)
    np.testing.assert_allclose(ours.predict(X), tree.predict(X), rtol=1e-12)
    # out-of-bag R^2: the mean over outputs (scikit-learn's uniform average)
    bagged = RandomForestRegressor(n_estimators=20, oob_score=True, random_state=0).fit(X, Y)
    assert bagged.oob_prediction_.shape == Y.shape
    expected = skm.r2_score(Y, bagged.oob_prediction_)
    np.testing.assert_allclose(bagged.oob_score_, expected, rtol=1e-12)
    np.testing.assert_allclose(bagged.score(X, Y), skm.r2_score(Y, bagged.predict(X)))


def test_forest_column_vector_warns_as_sklearn():
    X, Y = _data("random", 8)
    for model in (RandomForestRegressor(n_estimators=3), ske.RandomForestRegressor(3)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(X, Y[:, :1])
        assert any("A column-vector y was passed" in str(w.message) for w in caught)
        assert model.predict(X).shape == (len(X),)


@pytest.mark.parametrize("weighted", [False, True])
def test_scores_average_over_outputs(weighted):
    rng = np.random.default_rng(9)
    Y = rng.normal(size=(50, 3))
    P = Y + rng.normal(size=(50, 3)) * np.array([0.1, 1.0, 3.0])
    Y[:, 1] = 2.0  # a constant output
    P[:, 1] = 2.0
    s = rng.uniform(0.2, 2, size=50) if weighted else None
    np.testing.assert_allclose(r2_score(Y, P, s), skm.r2_score(Y, P, sample_weight=s))
    np.testing.assert_allclose(
        mean_squared_error(Y, P, s), skm.mean_squared_error(Y, P, sample_weight=s)
    )
    np.testing.assert_allclose(r2_score(Y[:, 0], P[:, :1]), skm.r2_score(Y[:, 0], P[:, 0]))
