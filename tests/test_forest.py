"""Random forests against scikit-learn's on real data; n_jobs invariance; OOB."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn.model_selection import train_test_split

from gradscratch import RandomForestClassifier, RandomForestRegressor
from gradscratch.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine, load_digits])
def test_classifier_accuracy_and_oob_close_to_sklearn(loader):
    X, y = loader(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    kw = dict(n_estimators=60, oob_score=True)
    ours = RandomForestClassifier(random_state=0, **kw).fit(Xtr, ytr)
    ref = sk_ensemble.RandomForestClassifier(random_state=0, **kw).fit(Xtr, ytr)
    assert abs(ours.score(Xte, yte) - ref.score(Xte, yte)) <= 0.015
    assert abs(ours.oob_score_ - ref.oob_score_) <= 0.03
    proba = ours.predict_proba(Xte)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert ours.oob_decision_function_.shape == (len(ytr), len(ours.classes_))
    imp = ours.feature_importances_
    assert imp.shape == (X.shape[1],) and imp.sum() == pytest.approx(1.0)
    assert np.corrcoef(imp, ref.feature_importances_)[0, 1] > 0.8


def test_regressor_close_to_sklearn():
    X, y = load_diabetes(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0)
    kw = dict(n_estimators=60, oob_score=True, min_samples_leaf=3)
    ours = RandomForestRegressor(random_state=0, **kw).fit(Xtr, ytr)
    ref = sk_ensemble.RandomForestRegressor(random_state=0, **kw).fit(Xtr, ytr)
    assert abs(ours.score(Xte, yte) - ref.score(Xte, yte)) <= 0.03
    assert abs(ours.oob_score_ - ref.oob_score_) <= 0.03
    assert ours.oob_prediction_.shape == ytr.shape


def test_same_forest_whatever_n_jobs():
    X, y = load_wine(return_X_y=True)
    a = RandomForestClassifier(n_estimators=8, max_depth=4, random_state=3).fit(X, y)
    b = RandomForestClassifier(n_estimators=8, max_depth=4, random_state=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    for ta, tb in zip(a.estimators_, b.estimators_):
        np.testing.assert_array_equal(ta.tree_.threshold, tb.tree_.threshold)
    assert len(a.estimators_) == 8 and a.apply(X).shape == (len(y), 8)


def test_no_bootstrap_all_features_is_a_single_tree():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    y = X[:, 0] - X[:, 1] ** 2 + 0.1 * rng.normal(size=120)
    forest = RandomForestRegressor(n_estimators=3, bootstrap=False, max_depth=4).fit(X, y)
    from gradscratch import DecisionTreeRegressor

    tree = DecisionTreeRegressor(max_depth=4).fit(X, y)
    np.testing.assert_allclose(forest.predict(X), tree.predict(X), atol=1e-12)


def test_bad_parameters_and_oob_warning():
    X, y = load_wine(return_X_y=True)
    with pytest.raises(ValueError, match="n_estimators"):
        RandomForestClassifier(n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="bootstrap=True"):
        RandomForestClassifier(bootstrap=False, oob_score=True).fit(X, y)
    with pytest.warns(UserWarning, match="do not have OOB scores"):
        RandomForestClassifier(n_estimators=2, oob_score=True, random_state=0).fit(X, y)
