"""Lasso, ElasticNet, lasso_path and enet_path against scikit-learn."""

import pickle

import numpy as np
import pytest
import sklearn.linear_model as sk

import optim
from gradscratch import ConvergenceWarning, ElasticNet, Lasso, enet_path, lasso_path
from gradscratch.datasets import make_regression
from gradscratch.parametric._enet import ElasticNetProblem
from gradscratch.parametric._least_squares import LeastSquares
from tests.conftest import assert_gradient_matches

FRACTIONS = [0.5, 0.1, 0.02, 0.005]  # alpha / alpha_max


@pytest.fixture(scope="module")
def wide_regression():
    X, y = make_regression(40, 120, n_informative=8, noise=1.0, correlation=0.5, random_state=1)
    return X, y


def _objective(X, y, coef, intercept, alpha, l1_ratio, sample_weight=None):
    """scikit-learn's elastic-net objective, written out."""
    s = np.ones(len(y)) if sample_weight is None else sample_weight
    r = y - X @ coef - intercept
    return (
        (s * r) @ r / (2 * s.sum())
        + alpha * l1_ratio * np.abs(coef).sum()
        + 0.5 * alpha * (1 - l1_ratio) * coef @ coef
    )


def _alpha_max(X, y, l1_ratio):
    return np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / (len(y) * l1_ratio)


def _pair(l1_ratio, alpha, **kw):
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-12, max_iter=100_000)
    ours = Lasso(alpha=alpha, **kw) if l1_ratio == 1 else ElasticNet(alpha, l1_ratio, **kw)
    return ours, ref


@pytest.mark.parametrize("data", ["diabetes_standardized", "correlated_regression", "wide"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_default_settings_reach_sklearn_optimum(data, l1_ratio, request):
    name = "wide_regression" if data == "wide" else data
    X, y = request.getfixturevalue(name)
    for fraction in FRACTIONS:
        alpha = fraction * _alpha_max(X, y, l1_ratio)
        ours, ref = _pair(l1_ratio, alpha)
        ours.fit(X, y)
        ref.fit(X, y)
        f_ours = _objective(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio)
        f_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio)
        assert (f_ours - f_ref) / f_ref <= 1e-7, fraction
        np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)
        assert ours.optim_result_.converged
        assert ours.optim_result_.stationarity <= ours.tol
        assert ours.dual_gap_ <= 1e-6 * np.sum((y - y.mean()) ** 2) / len(y)
        np.testing.assert_allclose(ours.optim_result_.fun, f_ours, rtol=1e-12)


def test_sample_weight_matches_sklearn(correlated_regression):
    X, y = correlated_regression
    weights = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    alpha = 0.05 * _alpha_max(X, y, 1.0)
    ours, ref = _pair(1.0, alpha)
    ours.fit(X, y, sample_weight=weights)
    ref.fit(X, y, sample_weight=weights)
    f_ours = _objective(X, y, ours.coef_, ours.intercept_, alpha, 1.0, weights)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, 1.0, weights)
    assert (f_ours - f_ref) / f_ref <= 1e-7
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_path_matches_sklearn(diabetes_standardized, l1_ratio):
    X, y = diabetes_standardized
    ours = lasso_path if l1_ratio == 1 else enet_path
    kw = {} if l1_ratio == 1 else {"l1_ratio": l1_ratio}
    n_alphas = 100 if l1_ratio == 1 else 30
    alphas, coefs, gaps = ours(X, y, n_alphas=n_alphas, eps=1e-3, **kw)
    # The same grid as scikit-learn's (alpha_max down to eps * alpha_max) and the same path.
    ref_alphas, ref_coefs, _ = sk.enet_path(
        X, y, l1_ratio=l1_ratio, alphas=n_alphas, eps=1e-3, tol=1e-12, max_iter=100_000
    )
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-12)
    assert coefs.shape == (X.shape[1], n_alphas)
    # Relative to each alpha's largest coefficient; at alpha_max scikit-learn returns
    # rounding noise (~1e-14) where the exact answer is 0, hence the tiny absolute floor.
    scale = np.max(np.abs(ref_coefs), axis=0) + 1e-9 * np.max(np.abs(ref_coefs))
    assert np.max(np.abs(coefs - ref_coefs) / scale) <= 1e-5
    np.testing.assert_array_equal(coefs[:, 1:] == 0, ref_coefs[:, 1:] == 0)
    assert np.all(coefs[:, 0] == 0)  # alpha_max: exactly zero
    assert np.all(gaps <= 1e-8 * (y @ y) / len(y))  # the default tol


def test_path_returns_n_iter_and_accepts_alphas(wide_regression):
    X, y = wide_regression
    X, y = X - X.mean(0), y - y.mean()
    grid = [0.5, 2.0, 1.0]
    alphas, coefs, gaps, n_iters = lasso_path(X, y, alphas=grid, return_n_iter=True)
    np.testing.assert_array_equal(alphas, [2.0, 1.0, 0.5])
    assert len(n_iters) == 3 and coefs.shape == (120, 3) and gaps.shape == (3,)
    for i, alpha in enumerate(alphas):
        ref = sk.Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
        f_ours = _objective(X, y, coefs[:, i], 0.0, alpha, 1.0)
        f_ref = _objective(X, y, ref.coef_, 0.0, alpha, 1.0)
        assert (f_ours - f_ref) / f_ref <= 1e-7


@pytest.mark.parametrize(
    "optimizer", [optim.ProximalGradient(), optim.FISTA(), optim.GradientDescent()], ids=repr
)
def test_any_proximal_optimizer_reaches_the_optimum(diabetes_standardized, optimizer):
    X, y = diabetes_standardized
    alpha = 0.1 * _alpha_max(X, y, 1.0)
    ours, ref = _pair(1.0, alpha, optimizer=optimizer, working_set=False)
    ours.fit(X, y)
    ref.fit(X, y)
    f_ours = _objective(X, y, ours.coef_, ours.intercept_, alpha, 1.0)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, 1.0)
    assert (f_ours - f_ref) / f_ref <= 1e-7
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)
    # One run on the whole problem: the trace is that method's, and the gap falls with it.
    gaps = ours.gap_history_
    assert len(gaps) == ours.n_iter_ + 1 == len(ours.optim_result_.trace["fun"])
    assert gaps[-1] <= 1e-6 * gaps[0]
    assert np.median(np.diff(np.log(gaps[gaps > 0]))) < 0


@pytest.mark.parametrize("optimizer", [optim.LBFGS(), optim.Newton()], ids=repr)
def test_second_order_optimizers_refuse_the_l1_term(diabetes_standardized, optimizer):
    with pytest.raises(ValueError, match="does not handle a non-smooth term"):
        Lasso(alpha=1.0, optimizer=optimizer).fit(*diabetes_standardized)


def test_smooth_loss_gradient_and_objective(correlated_regression, wide_regression):
    rng = np.random.default_rng(0)
    for X, y in (correlated_regression, wide_regression):
        weights = rng.uniform(0.5, 2.0, len(y))
        data = LeastSquares(X, y, weights, fit_intercept=True)
        problem = ElasticNetProblem(data, 0.3, 0.7)
        w = rng.standard_normal(X.shape[1])
        assert_gradient_matches(problem.smooth(data), w)
        b = data.intercept(w)
        expected = _objective(X, y, w, b, 1.0, 0.3, weights)
        total = problem.smooth(data)(w) + problem.prox.value(w)
        np.testing.assert_allclose(total, expected, rtol=1e-10)
        np.testing.assert_allclose(problem.value(w), expected, rtol=1e-10)


def test_working_set_quadratic_is_the_smooth_part(correlated_regression, wide_regression):
    """A round's loss, the quadratic on its Gram block, is the smooth part restricted to the
    round's features (plus the polish's linear term), value and gradient."""
    rng = np.random.default_rng(1)
    for X, y in (correlated_regression, wide_regression):
        weights = rng.uniform(0.5, 2.0, len(y))
        data = LeastSquares(X, y, weights, fit_intercept=True)
        problem = ElasticNetProblem(data, 0.3, 0.7)
        columns = np.sort(rng.choice(X.shape[1], size=min(7, X.shape[1]), replace=False))
        sub = problem.restrict(columns)
        w = rng.standard_normal(columns.size)
        linear = rng.standard_normal(columns.size)
        quadratic = problem.quadratic(sub, linear=linear)
        expected = problem.smooth(sub)(w) + linear @ w
        np.testing.assert_allclose(quadratic(w), expected, rtol=1e-10)
        assert_gradient_matches(quadratic, w)


def test_alpha_above_alpha_max_gives_zero_without_iterating(correlated_regression):
    X, y = correlated_regression
    model = Lasso(alpha=1.01 * _alpha_max(X, y, 1.0)).fit(X, y)
    assert np.all(model.coef_ == 0) and model.n_iter_ == 0
    np.testing.assert_allclose(model.intercept_, y.mean())


def test_warm_start_refit_needs_no_iteration(correlated_regression):
    X, y = correlated_regression
    model = ElasticNet(alpha=0.5, warm_start=True).fit(X, y)
    assert model.n_iter_ > 0
    coef = model.coef_.copy()
    model.fit(X, y)
    assert model.n_iter_ == 0
    np.testing.assert_array_equal(model.coef_, coef)


def test_no_intercept_and_pickle(diabetes_standardized):
    X, y = diabetes_standardized
    ours = Lasso(alpha=2.0, fit_intercept=False).fit(X, y)
    ref = sk.Lasso(alpha=2.0, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-5, atol=1e-8)
    assert ours.intercept_ == 0.0
    again = pickle.loads(pickle.dumps(ours))
    np.testing.assert_array_equal(again.predict(X), ours.predict(X))


@pytest.mark.parametrize("alpha", [-1.0, np.nan, "a"])
def test_bad_alpha(alpha, correlated_regression):
    with pytest.raises(ValueError, match="alpha must be a non-negative"):
        Lasso(alpha=alpha).fit(*correlated_regression)


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.5, None])
def test_bad_l1_ratio(l1_ratio, correlated_regression):
    with pytest.raises(ValueError, match=r"l1_ratio must be a number in \[0, 1\]"):
        ElasticNet(l1_ratio=l1_ratio).fit(*correlated_regression)
    with pytest.raises(ValueError, match="l1_ratio"):
        enet_path(*correlated_regression, l1_ratio=l1_ratio)


def test_nan_input_is_refused(correlated_regression):
    X, y = correlated_regression
    X = X.copy()
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        Lasso().fit(X, y)
    with pytest.raises(ValueError, match="NaN"):
        lasso_path(X, y)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_constant_and_duplicated_columns(correlated_regression, l1_ratio):
    X, y = correlated_regression
    X = np.column_stack([X, np.full(len(y), 4.0), X[:, 0], X[:, 0]])
    alpha = 0.02 * _alpha_max(X, y, l1_ratio)
    ours, ref = _pair(l1_ratio, alpha)
    ours.fit(X, y)
    ref.fit(X, y)
    assert np.all(np.isfinite(ours.coef_)) and ours.coef_[12] == 0
    f_ours = _objective(X, y, ours.coef_, ours.intercept_, alpha, l1_ratio)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, alpha, l1_ratio)
    assert (f_ours - f_ref) / f_ref <= 1e-7
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-4)


def test_zero_penalty_and_pure_ridge_stay_finite(correlated_regression):
    X, y = correlated_regression
    ols = sk.LinearRegression().fit(X, y)
    # alpha = 0 has no dual gap: the rule is scikit-learn's ||X^T r||^2 <= tol ||y||^2.
    ours = ElasticNet(alpha=0.0).fit(X, y)
    rss = np.sum((y - ours.predict(X)) ** 2)
    np.testing.assert_allclose(rss, np.sum((y - ols.predict(X)) ** 2), rtol=1e-5)
    ridge = ElasticNet(alpha=0.5, l1_ratio=0.0).fit(X, y)
    ref = sk.Ridge(alpha=0.5 * len(y)).fit(X, y)  # sklearn's Ridge does not divide by n
    f_ours = _objective(X, y, ridge.coef_, ridge.intercept_, 0.5, 0.0)
    f_ref = _objective(X, y, ref.coef_, ref.intercept_, 0.5, 0.0)
    # gap <= tol ||y_c||^2 / n bounds this ridge objective's excess to ~2e-7 here.
    assert (f_ours - f_ref) / f_ref <= 1e-6


def test_budget_exhausted_warns(correlated_regression):
    X, y = correlated_regression
    alpha = 0.005 * _alpha_max(X, y, 1.0)
    # A support of 40 correlated features: above the size where a Newton polish after any
    # round could reach tol outside the iteration budget.
    X_wide, y_wide = make_regression(
        200, 60, n_informative=40, noise=5.0, correlation=0.9, random_state=0
    )
    with pytest.warns(ConvergenceWarning, match="raise max_iter"):
        model = Lasso(alpha=0.005 * _alpha_max(X_wide, y_wide, 1.0), max_iter=5)
        model.fit(X_wide, y_wide)
    assert not model.optim_result_.converged and np.all(np.isfinite(model.coef_))
    assert np.count_nonzero(model.coef_) > 20
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        Lasso(alpha=alpha, optimizer=optim.FISTA(), working_set=False, max_iter=5).fit(X, y)


@pytest.mark.parametrize(
    "optimizer", [optim.ProximalGradient(), optim.FISTA(), optim.GradientDescent()], ids=repr
)
def test_working_sets_compose_with_any_proximal_optimizer(diabetes_standardized, optimizer):
    X, y = diabetes_standardized
    alpha = 0.1 * _alpha_max(X, y, 1.0)
    whole = Lasso(alpha=alpha, optimizer=optimizer, working_set=False).fit(X, y)
    rounds = Lasso(alpha=alpha, optimizer=optimizer).fit(X, y)  # working_set=True
    # The optimizer solves each round; the fit stops on the full problem's measure.
    assert rounds.optim_result_.converged and rounds.optim_result_.stationarity <= rounds.tol
    np.testing.assert_array_equal(rounds.coef_ == 0, whole.coef_ == 0)
    f_whole = _objective(X, y, whole.coef_, whole.intercept_, alpha, 1.0)
    f_rounds = _objective(X, y, rounds.coef_, rounds.intercept_, alpha, 1.0)
    assert abs(f_rounds - f_whole) / f_whole <= 1e-9
    # the rounds' gaps: the full problem's, one per round
    assert len(rounds.gap_history_) < len(whole.gap_history_)


@pytest.mark.parametrize("optimizer", [optim.LBFGS(), optim.Newton()], ids=repr)
def test_second_order_optimizers_refuse_the_l1_term_on_working_sets_too(
    diabetes_standardized, optimizer
):
    for working_set in (True, False):
        with pytest.raises(ValueError, match="does not handle a non-smooth term"):
            Lasso(alpha=1.0, optimizer=optimizer, working_set=working_set).fit(
                *diabetes_standardized
            )


@pytest.mark.parametrize("working_set", [None, "yes", 1])
def test_bad_working_set(working_set, correlated_regression):
    with pytest.raises(ValueError, match="working_set must be True or False"):
        Lasso(working_set=working_set).fit(*correlated_regression)
    with pytest.raises(ValueError, match="working_set must be True or False"):
        lasso_path(*correlated_regression, working_set=working_set)


def test_paths_on_working_sets_or_whole_problems_agree(diabetes_standardized):
    X, y = diabetes_standardized
    X, y = X - X.mean(0), y - y.mean()
    fast = lasso_path(X, y, n_alphas=10)
    plain = lasso_path(X, y, n_alphas=10, working_set=False)
    np.testing.assert_allclose(fast[0], plain[0])
    scale = np.max(np.abs(plain[1]), axis=0) + 1e-12
    assert np.max(np.abs(fast[1] - plain[1]) / scale) <= 1e-5
