"""LinearRegression and Ridge against scikit-learn, on real and synthetic data."""

import pickle

import numpy as np
import pytest
import sklearn.linear_model as sk

import optim
from gradscratch import LinearRegression, NotFittedError, Ridge
from gradscratch.parametric._least_squares import LeastSquares
from tests.conftest import assert_gradient_matches

EXACT = [None, optim.LBFGS(), optim.Newton()]
FIRST_ORDER = [optim.GradientDescent(), optim.Nesterov()]


def _pair(name, alpha):
    if name == "ols":
        return LinearRegression(), sk.LinearRegression()
    return Ridge(alpha=alpha), sk.Ridge(alpha=alpha, solver="cholesky")


def _rel(a, b):
    return np.max(np.abs(a - b)) / np.max(np.abs(b))


@pytest.mark.parametrize("data", ["diabetes_standardized", "correlated_regression"])
@pytest.mark.parametrize("model,alpha", [("ols", None), ("ridge", 1.0), ("ridge", 30.0)])
@pytest.mark.parametrize("optimizer", EXACT, ids=repr)
def test_matches_sklearn_exactly(data, model, alpha, optimizer, request):
    X, y = request.getfixturevalue(data)
    ours, ref = _pair(model, alpha)
    ours.set_params(optimizer=optimizer).fit(X, y)
    ref.fit(X, y)
    assert _rel(ours.coef_, ref.coef_) < 1e-6
    assert abs(ours.intercept_ - ref.intercept_) < 1e-6 * max(1.0, abs(ref.intercept_))
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-6, atol=1e-6 * y.std())
    assert ours.optim_result_.converged


@pytest.mark.filterwarnings("ignore::gradscratch.ConvergenceWarning")
@pytest.mark.parametrize("data", ["diabetes_standardized", "correlated_regression"])
@pytest.mark.parametrize("model,alpha", [("ols", None), ("ridge", 1.0)])
@pytest.mark.parametrize("optimizer", FIRST_ORDER, ids=repr)
def test_first_order_methods_reach_sklearn(data, model, alpha, optimizer, request):
    X, y = request.getfixturevalue(data)
    ours, ref = _pair(model, alpha)
    ours.set_params(optimizer=optimizer, max_iter=200000, tol=1e-10).fit(X, y)
    ref.fit(X, y)
    assert _rel(ours.coef_, ref.coef_) < 1e-3


def test_sample_weight_matches_sklearn(correlated_regression):
    X, y = correlated_regression
    w = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    ours = Ridge(alpha=2.0).fit(X, y, sample_weight=w)
    ref = sk.Ridge(alpha=2.0).fit(X, y, sample_weight=w)
    assert _rel(ours.coef_, ref.coef_) < 1e-8
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-8)


def test_no_intercept_and_wide_design():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((30, 60)), rng.standard_normal(30)
    for ours, ref in [
        (Ridge(alpha=0.5, fit_intercept=False), sk.Ridge(alpha=0.5, fit_intercept=False)),
        (Ridge(alpha=0.5), sk.Ridge(alpha=0.5)),
    ]:
        ours.fit(X, y)
        ref.fit(X, y)
        assert _rel(ours.coef_, ref.coef_) < 1e-6


@pytest.mark.parametrize("use_gram", [True, False])
def test_rss_gradient_matches_finite_differences(correlated_regression, use_gram):
    X, y = correlated_regression
    w = np.random.default_rng(0).uniform(size=(len(y),))
    data = LeastSquares(X, y, w, True, use_gram=use_gram)
    x = np.linspace(-1.0, 1.0, X.shape[1])
    assert_gradient_matches(data.rss, x, rtol=1e-6)
    resid = (y - y.mean() * 0 - data.y_offset) - (X - data.x_offset) @ x
    assert data.rss(x) == pytest.approx(np.sum(w * resid**2), rel=1e-10)


def test_trace_and_pickle(diabetes_standardized):
    X, y = diabetes_standardized
    model = Ridge(alpha=1.0, optimizer=optim.LBFGS()).fit(X, y)
    trace = model.optim_result_.trace
    assert len(trace["fun"]) == model.n_iter_ + 1
    assert trace["fun"][-1] <= trace["fun"][0]
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X), model.predict(X))


BAD_INPUTS = [
    (np.array([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]]), [1.0, 2.0, 3.0], "NaN"),
    (np.array([[1.0, np.inf], [2.0, 3.0], [4.0, 5.0]]), [1.0, 2.0, 3.0], "infinity"),
    (np.empty((0, 2)), [], "0 sample"),
    (np.array([1.0, 2.0, 3.0]), [1.0, 2.0, 3.0], "Reshape your data"),
    (np.array([["a", "b"], ["c", "d"]]), [1.0, 2.0], "numeric"),
    (np.ones((3, 2)), [1.0, 2.0], "inconsistent numbers of samples"),
    (np.ones((3, 2)), [1.0, np.nan, 2.0], "Input y contains NaN"),
]


@pytest.mark.parametrize("cls", [LinearRegression, Ridge])
@pytest.mark.parametrize("X,y,match", BAD_INPUTS)
def test_bad_input_gets_a_clear_error(cls, X, y, match):
    with pytest.raises(ValueError, match=match):
        cls().fit(X, y)


@pytest.mark.parametrize("cls", [LinearRegression, Ridge])
def test_predict_errors(cls):
    with pytest.raises(NotFittedError, match="not fitted"):
        cls().predict(np.ones((2, 3)))
    model = cls().fit(np.random.default_rng(0).standard_normal((10, 3)), np.arange(10.0))
    with pytest.raises(ValueError, match="X has 2 features, but .* is expecting 3"):
        model.predict(np.ones((2, 2)))


@pytest.mark.parametrize(
    "params", [{"alpha": -1.0}, {"alpha": "big"}, {"tol": -1}, {"max_iter": 0}]
)
def test_invalid_hyperparameters(params):
    with pytest.raises(ValueError):
        Ridge(**params).fit(np.ones((4, 2)), np.arange(4.0))


def test_second_order_optimizers_refuse_nothing_and_any_optimizer_fits():
    with pytest.raises(TypeError, match="optimizer must be"):
        Ridge(optimizer="lbfgs").fit(np.ones((4, 2)), np.arange(4.0))
