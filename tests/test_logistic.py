"""LogisticRegression against scikit-learn: the same objective gives the same coefficients."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import optim
from gradscratch import ConvergenceWarning, LogisticRegression
from gradscratch.datasets import load_breast_cancer, load_digits, load_iris, make_classification
from gradscratch.parametric.logistic import PerfectSeparationWarning


def _standardized(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return _standardized(X), y


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def _sklearn(X, y, **params):
    params.setdefault("tol", 1e-12)
    params.setdefault("max_iter", 10000)
    return SkLogisticRegression(**params).fit(X, y)


def _assert_same_fit(ours, ref, X, rtol=1e-5, proba_atol=1e-4):
    scale = np.max(np.abs(np.concatenate([ref.coef_.ravel(), ref.intercept_])))
    assert ours.coef_.shape == ref.coef_.shape
    assert ours.intercept_.shape == ref.intercept_.shape
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=rtol, atol=rtol * scale)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=rtol, atol=rtol * scale)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=proba_atol)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)


@pytest.mark.parametrize("C", [1.0, 0.05])
def test_binary_matches_sklearn(cancer, C):
    X, y = cancer
    ours = LogisticRegression(C=C, tol=1e-12).fit(X, y)
    ref = _sklearn(X, y, C=C)
    _assert_same_fit(ours, ref, X)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)
    np.testing.assert_allclose(
        ours.predict_log_proba(X), ref.predict_log_proba(X), rtol=1e-4, atol=1e-4
    )
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def _synthetic4():
    X, y = make_classification(300, 6, n_informative=3, n_classes=4, class_sep=1.0, random_state=3)
    return X, y


def _digits():
    X, y = load_digits(return_X_y=True)
    return X[:600] / 16.0, y[:600]


@pytest.mark.parametrize("name", ["iris", "digits", "synthetic4"])
def test_multinomial_matches_sklearn(iris, name):
    X, y = {"iris": lambda: iris, "digits": _digits, "synthetic4": _synthetic4}[name]()
    ours = LogisticRegression(C=1.0, tol=1e-12).fit(X, y)
    # scikit-learn's lbfgs stops on its relative objective decrease before tol=1e-12 on
    # digits (its gradient norm stays near 1e-7; ours reaches 4e-13): newton-cholesky does
    # reach the optimum.
    ref = _sklearn(X, y, C=1.0, solver="newton-cholesky")
    _assert_same_fit(ours, ref, X)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_string_labels_sample_and_class_weights(iris):
    X, y = iris
    labels = np.array(["virginica", "setosa", "versicolor"])[y]
    weights = np.linspace(0.2, 2.0, len(y))
    for class_weight in ["balanced", {"setosa": 2.0, "virginica": 0.5}]:
        ours = LogisticRegression(class_weight=class_weight, tol=1e-12).fit(
            X, labels, sample_weight=weights
        )
        ref = _sklearn(X, labels, class_weight=class_weight)
        ref.fit(X, labels, sample_weight=weights)
        _assert_same_fit(ours, ref, X)
        assert ours.predict(X[:3]).dtype.kind == "U"
    binary = labels[y < 2][:80]
    ours = LogisticRegression(class_weight="balanced", tol=1e-12).fit(X[:80], binary)
    _assert_same_fit(ours, _sklearn(X[:80], binary, class_weight="balanced"), X[:80])


def test_no_intercept_and_no_penalty(cancer, iris):
    X, y = cancer
    X = X[:, :5]
    ours = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12).fit(X, y)
    ref = _sklearn(X, y, C=np.inf, fit_intercept=False)
    _assert_same_fit(ours, ref, X)
    assert np.all(ours.intercept_ == 0)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_l1_and_elastic_net_match_saga(cancer, l1_ratio):
    X, y = cancer
    X, y = X[:200, :10], y[:200]
    ours = LogisticRegression(C=0.5, l1_ratio=l1_ratio, tol=1e-10, max_iter=20000).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _sklearn(X, y, C=0.5, l1_ratio=l1_ratio, solver="saga", tol=1e-10, max_iter=30000)
    _assert_same_fit(ours, ref, X, rtol=1e-3, proba_atol=1e-3)
    assert isinstance(ours.optim_result_, optim.OptimizeResult)
    assert np.any(ours.coef_ == 0.0), "the L1 prox gives exact zeros"


def test_multinomial_l1_matches_saga(iris):
    X, y = iris
    X = _standardized(X)
    ours = LogisticRegression(C=0.3, l1_ratio=1.0, tol=1e-10, max_iter=20000).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = _sklearn(X, y, C=0.3, l1_ratio=1.0, solver="saga", tol=1e-10, max_iter=30000)
    _assert_same_fit(ours, ref, X, rtol=1e-3, proba_atol=1e-3)
    assert np.sum(ours.coef_ == 0.0) >= 2, "the L1 prox gives exact zeros"


@pytest.mark.parametrize(
    "optimizer",
    [optim.GradientDescent(), optim.Nesterov(), optim.LBFGS(), optim.Newton()],
    ids=lambda o: type(o).__name__,
)
def test_any_optimizer_reaches_the_same_coefficients(cancer, optimizer):
    X, y = cancer
    reference = LogisticRegression(C=0.05, tol=1e-12).fit(X, y)
    ours = LogisticRegression(C=0.05, optimizer=optimizer, tol=1e-7).fit(X, y)
    np.testing.assert_allclose(
        ours.coef_, reference.coef_, rtol=1e-4, atol=1e-4 * np.abs(reference.coef_).max()
    )
    np.testing.assert_allclose(ours.intercept_, reference.intercept_, rtol=1e-4, atol=1e-5)


def test_multinomial_with_newton_cg(iris):
    X, y = iris
    reference = LogisticRegression(tol=1e-12).fit(X, y)
    ours = LogisticRegression(optimizer=optim.Newton(hessian="cg"), tol=1e-9).fit(X, y)
    np.testing.assert_allclose(ours.coef_, reference.coef_, rtol=1e-4, atol=1e-5)


def test_adam_if_present(cancer):
    adam = getattr(optim, "Adam", None)
    if adam is None:
        pytest.skip("optim.Adam is not available on this branch")
    X, y = cancer
    reference = LogisticRegression(C=0.05, tol=1e-12).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = LogisticRegression(C=0.05, optimizer=adam(lr=0.01), max_iter=5000, tol=1e-8).fit(
            X, y
        )
    np.testing.assert_allclose(
        ours.coef_, reference.coef_, rtol=1e-2, atol=1e-2 * np.abs(reference.coef_).max()
    )


def test_bad_input():
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="only one class"):
        LogisticRegression().fit(X, np.zeros(20))
    with pytest.raises(ValueError, match="Unknown label type"):
        LogisticRegression().fit(X, np.linspace(0, 1, 20))
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        LogisticRegression().fit(X_nan, np.arange(20) % 2)
    for params, match in [
        ({"C": 0}, "C must be"),
        ({"C": -1.0}, "C must be"),
        ({"l1_ratio": 2.0}, "l1_ratio"),
        ({"class_weight": "auto"}, "class_weight"),
        ({"optimizer": "lbfgs"}, "optimizer must be"),
    ]:
        with pytest.raises((ValueError, TypeError), match=match):
            LogisticRegression(**params).fit(X, np.arange(20) % 2)
    with pytest.raises(ValueError, match="at least 2 classes"):
        LogisticRegression().fit(X, np.arange(20) % 2, sample_weight=np.arange(20) % 2)


def test_perfectly_separable_data():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    penalized = LogisticRegression(C=1.0).fit(X, y)
    assert np.all(np.isfinite(penalized.coef_)) and np.abs(penalized.coef_).max() < 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(PerfectSeparationWarning, match="perfectly separated"):
            model = LogisticRegression(C=np.inf).fit(X, y)
    assert np.all(np.isfinite(model.coef_))
    with pytest.raises(ValueError, match="C=1.0"):
        penalized.summary()


def test_huge_margins_give_finite_probabilities(cancer):
    X, y = cancer
    model = LogisticRegression().fit(X, y)
    proba = model.predict_proba(X * 1e6)
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0)
    assert np.all(np.isfinite(model.predict_log_proba(X * 1e6)))


def test_trace_and_pickle(iris):
    X, y = iris
    model = LogisticRegression().fit(X, y)
    assert model.n_iter_ == model.optim_result_.n_iter
    assert len(model.optim_result_.trace["fun"]) == model.n_iter_ + 1
    clone = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(clone.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("n_classes", [2, 3])
def test_data_term_gradient_matches_finite_differences(n_classes):
    from gradscratch.parametric.logistic import _LogisticData
    from tests.conftest import assert_gradient_matches

    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    y = rng.integers(0, n_classes, size=30)
    data = _LogisticData(X, y, rng.uniform(0.5, 2.0, size=30), n_classes, True)
    assert_gradient_matches(data.mean_nll, rng.normal(size=data.n_params))
