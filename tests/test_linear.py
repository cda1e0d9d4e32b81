"""LinearRegression and Ridge against scikit-learn, on real and synthetic data."""

import pickle

import numpy as np
import pytest
import sklearn.linear_model as sk

import optim
from gradscratch import LinearRegression, NotFittedError, Ridge
from gradscratch.parametric._least_squares import (
    GRAM_MAX_CONDITION,
    LeastSquares,
    standardized_condition,
)
from gradscratch.parametric._model import jacobi_scale
from gradscratch.parametric._orthogonal import OrthogonalLeastSquares, least_squares_route
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


def _well_conditioned(seed, n=200, p=6, weighted=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.1, 100.0, p) + rng.uniform(-50, 50, p)
    y = X @ rng.standard_normal(p) + 3.0 + rng.standard_normal(n)
    weights = rng.uniform(0.5, 2.0, n) if weighted else np.ones(n)
    return X, y, weights


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_gram_and_orthogonal_routes_agree_with_the_plain_rss(seed, fit_intercept):
    X, y, weights = _well_conditioned(seed, weighted=seed % 2 == 1)
    plain = LeastSquares(X, y, weights, fit_intercept, use_gram=False)
    gram = least_squares_route(X, y, weights, fit_intercept, route="gram")
    orthogonal = least_squares_route(X, y, weights, fit_intercept, route="orthogonal")
    assert type(gram) is LeastSquares and type(orthogonal) is OrthogonalLeastSquares
    w = np.random.default_rng(seed).standard_normal(X.shape[1])
    u = orthogonal.R @ (orthogonal.x_scale * w)
    np.testing.assert_allclose(orthogonal.to_coef(u), w, rtol=1e-12)
    for data, params in [(gram, w), (orthogonal, u)]:
        assert data.rss(params) == pytest.approx(plain.rss(w), rel=1e-10)
    np.testing.assert_allclose(orthogonal.gram_root.T @ orthogonal.gram_root, gram.gram, rtol=1e-10)
    size = orthogonal.rss_scale  # what the optimizer sees
    scale = jacobi_scale(orthogonal.curvature, size)
    assert_gradient_matches(lambda z: orthogonal.rss(scale * z) / size, u / scale, rtol=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_both_routes_fit_the_same_model(seed, monkeypatch):
    X, y, weights = _well_conditioned(seed, weighted=seed % 2 == 1)
    assert standardized_condition(LeastSquares(X, y, weights, True).gram) <= GRAM_MAX_CONDITION
    fits = {}
    for route in ["gram", "orthogonal"]:
        monkeypatch.setattr(
            LinearRegression,
            "_data_term",
            lambda self, X, y, s, route=route: least_squares_route(
                X, y, s, self.fit_intercept, route=route
            ),
        )
        model = LinearRegression().fit(X, y, sample_weight=weights)
        fits[route] = (model, model.summary())
    (gram, gram_table), (orth, orth_table) = fits["gram"], fits["orthogonal"]
    assert _rel(orth.coef_, gram.coef_) < 1e-10
    assert orth.intercept_ == pytest.approx(gram.intercept_, rel=1e-10)
    np.testing.assert_allclose(orth_table.std_err, gram_table.std_err, rtol=1e-10)
    assert orth.n_iter_ == 1


def test_default_route_is_gram_on_well_conditioned_data():
    for seed in range(4):
        X, y, weights = _well_conditioned(seed)
        data = least_squares_route(X, y, weights, True)
        assert type(data) is LeastSquares and data.rank == X.shape[1]


def test_ill_conditioned_design_takes_the_orthogonal_route():
    # x, x^2, x^3 on [10, 11]: cond(C) about 1e9, far past the Gram route's 1e2.
    x = np.linspace(10.0, 11.0, 50)
    X = np.column_stack([x, x**2, x**3])
    y = 1.0 + X @ [2.0, -3.0, 0.5]
    data = least_squares_route(X, y, np.ones(50), True)
    assert type(data) is OrthogonalLeastSquares and data.rank == 3
    model = LinearRegression().fit(X, y)
    ref = sk.LinearRegression(tol=np.finfo(float).eps).fit(X, y)
    assert _rel(model.coef_, [2.0, -3.0, 0.5]) < 1e-6
    assert _rel(model.coef_, ref.coef_) < 1e-6


def test_rank_deficient_design_keeps_the_minimum_norm_fit():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 3))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])  # the fourth column is collinear
    y = X[:, :3] @ [1.0, 2.0, -1.0] + 0.1 * rng.standard_normal(40)
    data = least_squares_route(X, y, np.ones(40), True)
    assert type(data) is LeastSquares and data.rank == 3
    model = LinearRegression().fit(X, y)
    np.testing.assert_allclose(model.predict(X), sk.LinearRegression().fit(X, y).predict(X))


def test_route_must_be_known():
    with pytest.raises(ValueError, match="route must be"):
        least_squares_route(np.ones((3, 1)), np.ones(3), np.ones(3), True, route="svd")


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
