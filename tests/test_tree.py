"""Decision trees against scikit-learn's on continuous data, real data and bad input."""

import numpy as np
import pytest
from sklearn import tree as sk_tree
from sklearn.model_selection import train_test_split

from gradscratch import DecisionTreeClassifier, DecisionTreeRegressor, export_text
from gradscratch.datasets import load_breast_cancer, load_digits, load_wine


def _continuous(n=400, p=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    X_new = rng.normal(size=(1000, p))
    logit = X[:, 0] + X[:, 1] ** 2 - 0.5 * X[:, 2] * X[:, 3]
    y_cls = np.digitize(logit + 0.5 * rng.normal(size=n), [0.0, 1.5])  # three classes
    y_reg = np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 4] + 0.1 * rng.normal(size=n)
    return X, X_new, y_cls, y_reg


def _sklearn_unambiguous(cls, X, y, sample_weight=None, **kw):
    """scikit-learn's tree, after checking that its random feature order does not matter."""
    fits = [cls(random_state=s, **kw).fit(X, y, sample_weight=sample_weight) for s in range(3)]
    Xq = np.random.default_rng(9).normal(size=(2000, X.shape[1]))
    for other in fits[1:]:
        assert np.array_equal(fits[0].apply(Xq), other.apply(Xq)), "tied splits"
    return fits[0]


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize(
    "max_depth, min_samples_leaf, weighted",
    [(1, 1, False), (3, 1, False), (3, 1, True), (8, 15, True), (None, 15, True), (None, 25, True)],
)
def test_classifier_equals_sklearn(criterion, max_depth, min_samples_leaf, weighted):
    # With unit weights, deep nodes often tie exactly (class counts such as (19, 2 | 15, 5) and
    # (15, 5 | 19, 2) on two features), and scikit-learn's pick then depends on its random
    # feature order; continuous sample weights make every split's impurity distinct.
    X, X_new, y, _ = _continuous(seed=1)
    w = np.random.default_rng(4).uniform(0.5, 2.0, size=len(y)) if weighted else None
    kw = dict(criterion=criterion, max_depth=max_depth, min_samples_leaf=min_samples_leaf)
    ref = _sklearn_unambiguous(sk_tree.DecisionTreeClassifier, X, y, sample_weight=w, **kw)
    ours = DecisionTreeClassifier(**kw).fit(X, y, sample_weight=w)
    np.testing.assert_array_equal(ours.predict(X_new), ref.predict(X_new))
    np.testing.assert_allclose(ours.predict_proba(X_new), ref.predict_proba(X_new), atol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-8)
    np.testing.assert_array_equal(ours.apply(X_new), ref.apply(X_new))
    assert ours.get_depth() == ref.get_depth()
    assert ours.get_n_leaves() == ref.get_n_leaves()


@pytest.mark.parametrize(
    "max_depth, min_samples_leaf, max_leaf_nodes",
    [
        (2, 1, None),
        (3, 1, None),
        (4, 3, None),
        (6, 10, None),
        (8, 10, None),
        (None, 15, None),
        (None, 3, 12),
    ],
)
def test_regressor_equals_sklearn(max_depth, min_samples_leaf, max_leaf_nodes):
    X, X_new, _, y = _continuous(seed=1)
    kw = dict(max_depth=max_depth, min_samples_leaf=min_samples_leaf, max_leaf_nodes=max_leaf_nodes)
    ref = _sklearn_unambiguous(sk_tree.DecisionTreeRegressor, X, y, **kw)
    ours = DecisionTreeRegressor(**kw).fit(X, y)
    np.testing.assert_allclose(ours.predict(X_new), ref.predict(X_new), rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-8)
    assert ours.get_n_leaves() == ref.get_n_leaves()


def test_sample_weight_and_min_impurity_decrease_equal_sklearn():
    X, X_new, y, y_reg = _continuous(seed=2)
    w = np.random.default_rng(3).uniform(0.2, 3.0, size=len(y))
    kw = dict(max_depth=6, min_samples_leaf=4, min_impurity_decrease=0.002)
    ref = sk_tree.DecisionTreeClassifier(random_state=0, **kw).fit(X, y, sample_weight=w)
    ours = DecisionTreeClassifier(**kw).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X_new), ref.predict_proba(X_new), atol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-8)
    ref = sk_tree.DecisionTreeRegressor(random_state=0, **kw).fit(X, y_reg, sample_weight=w)
    ours = DecisionTreeRegressor(**kw).fit(X, y_reg, sample_weight=w)
    np.testing.assert_allclose(ours.predict(X_new), ref.predict(X_new), atol=1e-10)


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine, load_digits])
def test_held_out_accuracy_close_to_sklearn(loader):
    X, y = loader(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    ours = DecisionTreeClassifier(random_state=0).fit(Xtr, ytr).score(Xte, yte)
    ref = sk_tree.DecisionTreeClassifier(random_state=0).fit(Xtr, ytr).score(Xte, yte)
    assert abs(ours - ref) <= 0.02


def test_bad_and_degenerate_input():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    y = (X[:, 0] > 0).astype(int)
    # constant features: one leaf predicting the majority / mean
    const = DecisionTreeClassifier().fit(np.ones((30, 3)), y)
    assert const.get_n_leaves() == 1
    assert np.all(const.predict(X) == np.bincount(y).argmax())
    # a single class
    one = DecisionTreeClassifier().fit(X, np.full(30, 7))
    assert one.get_n_leaves() == 1 and np.all(one.predict(X) == 7)
    np.testing.assert_allclose(one.predict_proba(X), 1.0)
    # one sample
    single = DecisionTreeRegressor().fit(X[:1], [2.5])
    np.testing.assert_allclose(single.predict(X), 2.5)
    # max_depth=0 and min_samples_leaf > n: one leaf
    for kw in (dict(max_depth=0), dict(min_samples_leaf=100)):
        reg = DecisionTreeRegressor(**kw).fit(X, X[:, 0])
        assert reg.get_n_leaves() == 1 and reg.get_depth() == 0
        np.testing.assert_allclose(reg.predict(X), X[:, 0].mean())
        np.testing.assert_allclose(reg.feature_importances_, 0.0)
    for bad in (
        dict(max_depth=-1),
        dict(min_samples_leaf=0),
        dict(min_samples_split=1),
        dict(criterion="nope"),
        dict(max_features="half"),
        dict(max_leaf_nodes=1),
        dict(min_impurity_decrease=-1.0),
    ):
        with pytest.raises(ValueError):
            DecisionTreeClassifier(**bad).fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        DecisionTreeClassifier().fit(X, X[:, 0])


def test_export_text_lists_every_leaf():
    X, _, y, _ = _continuous(n=100)
    clf = DecisionTreeClassifier(max_depth=2).fit(X, y)
    text = export_text(clf, feature_names=["a", "b", "c", "d", "e"])
    assert text.count("class:") == clf.get_n_leaves()
    assert text.splitlines()[0].startswith("|--- ")
    ref = sk_tree.export_text(
        sk_tree.DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y),
        feature_names=["a", "b", "c", "d", "e"],
    )
    assert text == ref


def test_best_first_classifier_equals_sklearn():
    X, X_new, y, _ = _continuous(seed=1)
    w = np.random.default_rng(4).uniform(0.5, 2.0, size=len(y))
    kw = dict(max_leaf_nodes=9, min_samples_leaf=5)
    ref = _sklearn_unambiguous(sk_tree.DecisionTreeClassifier, X, y, sample_weight=w, **kw)
    ours = DecisionTreeClassifier(**kw).fit(X, y, sample_weight=w)
    assert ours.get_n_leaves() == ref.get_n_leaves() == 9
    np.testing.assert_allclose(ours.predict_proba(X_new), ref.predict_proba(X_new), atol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-8)


def test_max_features_draws_are_reproducible():
    X, X_new, y, _ = _continuous(n=300, p=8, seed=3)
    a = DecisionTreeClassifier(max_features=2, random_state=5).fit(X, y)
    b = DecisionTreeClassifier(max_features=2, random_state=5).fit(X, y)
    np.testing.assert_array_equal(a.tree_.feature, b.tree_.feature)
    full = DecisionTreeClassifier(random_state=5).fit(X, y)
    others = [
        DecisionTreeClassifier(max_features="sqrt", random_state=s).fit(X, y) for s in range(4)
    ]
    assert any(not np.array_equal(o.tree_.feature, full.tree_.feature) for o in others)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(np.exp(a.predict_log_proba(X_new)), a.predict_proba(X_new))
