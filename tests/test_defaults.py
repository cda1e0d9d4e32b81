"""Correct by default: every parametric model's default fit against the reference's tight
optimum, on real and synthetic data and on badly scaled columns (1e-6 to 1e10, the intercept
far from 0), and against the reference's own defaults; tol's meaning is invariant to rescaling.

Targets (relative, coefficients): LinearRegression, Ridge, Lasso, ElasticNet 1e-6;
LogisticRegression 1e-5 (L2, binary and multinomial), 1e-4 with an L1 part; summary() 1e-6 of
statsmodels. Where scikit-learn's own solvers cannot be trusted (badly scaled columns), the
references come from tests/references.py.
"""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk

from gradscratch import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from gradscratch.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_iris,
    load_wine,
    make_classification,
    make_regression,
)
from tests.references import (
    logistic_optimum,
    multinomial_optimum,
    ridge_optimum,
    statsmodels_table,
)

SCALES = np.logspace(-6, 10, 6)  # column units from 1e-6 to 1e10


def _rel(a, b):
    return np.linalg.norm(np.ravel(a) - np.ravel(b)) / np.linalg.norm(np.ravel(b))


def _standardize(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _badly_scaled(X):
    """The first six standardized columns in units from 1e-6 to 1e10, offset by 1e3 units."""
    return _standardize(X)[:, :6] * SCALES + 1e3 * SCALES


def _regression(name):
    if name == "diabetes":
        return load_diabetes(return_X_y=True, scaled=False)
    X, y = make_regression(300, 12, noise=5.0, bias=7.0, correlation=0.9, random_state=0)
    if name == "correlated":
        return X + 3.0, y
    X, y = load_diabetes(return_X_y=True, scaled=False)
    return _badly_scaled(X), y + 1e6  # "badly scaled", the intercept far from 0 too


def _fit_quietly(model, X, y):
    """Fit, asserting that the default fit neither warns nor fails to converge."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, y)
    assert model.optim_result_.converged, model.optim_result_.message
    return model


# --- least squares ------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["diabetes", "correlated", "badly_scaled"])
@pytest.mark.parametrize("alpha", [0.0, 1.0, 100.0])
def test_least_squares_defaults_reach_the_optimum(data, alpha):
    X, y = _regression(data)
    model = LinearRegression() if alpha == 0 else Ridge(alpha=alpha)
    _fit_quietly(model, X, y)
    w, b = ridge_optimum(X, y, alpha)
    assert _rel(model.coef_, w) <= 1e-6
    assert abs(model.intercept_ - b) <= 1e-6 * max(1.0, abs(b))
    if data != "badly_scaled":  # scikit-learn's exact solvers are reliable here
        ref = (sk.LinearRegression() if alpha == 0 else sk.Ridge(alpha=alpha)).fit(X, y)
        assert _rel(model.coef_, ref.coef_) <= 1e-6


@pytest.mark.parametrize("data", ["diabetes", "correlated", "badly_scaled"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("fraction", [0.1, 0.01])
def test_enet_defaults_reach_the_optimum(data, l1_ratio, fraction):
    """Against coordinate descent at tol=1e-14 (invariant to column scaling, so trustworthy on
    badly scaled data too), and against scikit-learn's defaults."""
    X, y = _regression(data)
    Xc = X - X.mean(axis=0)
    alpha = fraction * np.max(np.abs(Xc.T @ (y - y.mean()))) / (len(y) * l1_ratio)
    model = Lasso(alpha=alpha) if l1_ratio == 1 else ElasticNet(alpha=alpha, l1_ratio=l1_ratio)
    _fit_quietly(model, X, y)
    tight = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=10**6).fit(X, y)
    default = sk.ElasticNet(alpha=alpha, l1_ratio=l1_ratio).fit(X, y)
    assert _rel(model.coef_, tight.coef_) <= 1e-6
    # Defaults on both sides: they agree to scikit-learn's own distance from the optimum.
    assert _rel(model.coef_, default.coef_) <= _rel(default.coef_, tight.coef_) + 1e-6
    np.testing.assert_array_equal(model.coef_ == 0, tight.coef_ == 0)
    assert abs(model.intercept_ - tight.intercept_) <= 1e-6 * max(1.0, abs(tight.intercept_))


# --- logistic regression ------------------------------------------------------------------


def _classification(name):
    if name == "cancer":
        return load_breast_cancer(return_X_y=True)
    if name == "cancer_standardized":
        X, y = load_breast_cancer(return_X_y=True)
        return _standardize(X), y
    if name == "synthetic":
        return make_classification(400, 8, n_informative=4, random_state=2)
    X, y = load_breast_cancer(return_X_y=True)
    return _badly_scaled(X), y


@pytest.mark.parametrize("data", ["cancer", "cancer_standardized", "synthetic", "badly_scaled"])
@pytest.mark.parametrize("C,l1_ratio", [(1.0, 0.0), (0.05, 0.0), (0.5, 1.0), (0.5, 0.5)])
def test_binary_logistic_defaults_reach_the_optimum(data, C, l1_ratio):
    X, y = _classification(data)
    model = _fit_quietly(LogisticRegression(C=C, l1_ratio=l1_ratio), X, y)
    w, b, kkt = logistic_optimum(X, y, C=C, l1_ratio=l1_ratio)
    assert kkt <= 1e-12  # the reference is the optimum
    target = 1e-5 if l1_ratio == 0 else 1e-4
    assert _rel(model.coef_[0], w) <= target
    assert abs(model.intercept_[0] - b) <= target * max(1.0, abs(b))
    if l1_ratio > 0:
        np.testing.assert_array_equal(model.coef_[0] == 0, w == 0)


def test_binary_logistic_defaults_match_sklearn_defaults():
    """Both libraries at their defaults on standardized breast cancer: they agree to
    scikit-learn's own distance from the optimum (its lbfgs stops at max_iter=100 here, 1e-2
    away, with a warning); ours is within 1e-5 of it."""
    X, y = _classification("cancer_standardized")
    ours = _fit_quietly(LogisticRegression(), X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's own ConvergenceWarning
        theirs = sk.LogisticRegression().fit(X, y)
    w, _, _ = logistic_optimum(X, y)
    assert _rel(ours.coef_[0], w) <= 1e-5
    assert _rel(ours.coef_[0], theirs.coef_[0]) <= _rel(theirs.coef_[0], w) + 1e-5


@pytest.mark.parametrize("data", ["iris", "wine", "wine_badly_scaled", "synthetic"])
@pytest.mark.parametrize("C", [1.0, 0.1])
def test_multinomial_defaults_reach_the_optimum(data, C):
    if data == "synthetic":
        X, y = make_classification(300, 6, n_informative=4, n_classes=4, random_state=0)
    else:
        X, y = (load_iris if data == "iris" else load_wine)(return_X_y=True)
        if data == "wine_badly_scaled":
            X = _badly_scaled(X)
    model = _fit_quietly(LogisticRegression(C=C), X, y)
    W, b = multinomial_optimum(X, y, C=C)
    assert _rel(model.coef_, W) <= 1e-5
    assert _rel(model.intercept_, b) <= 1e-5


def test_timestamp_column_fits_correctly():
    """A column in the units of a Unix timestamp (~1.7e9) once made the default fit return
    zeros, converged=True, after 0 iterations (accuracy 0.37); now it is the optimum."""
    rng = np.random.default_rng(0)
    n = 400
    t = 1.7e9 + 3e7 * rng.random(n)  # a year of seconds
    x = rng.standard_normal(n)
    logit = 1.5 * x + 2.0 * (t - 1.715e9) / 3e7 + 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = np.column_stack([t, x])
    model = _fit_quietly(LogisticRegression(), X, y)
    w, b, _ = logistic_optimum(X, y)
    assert _rel(model.coef_[0], w) <= 1e-5 and abs(model.intercept_[0] - b) <= 1e-5 * abs(b)
    assert model.n_iter_ > 0
    best = np.where(X @ w + b > 0, 1, 0)
    assert model.score(X, y) == np.mean(best == y) > 0.7


# --- inference ----------------------------------------------------------------------------


def _assert_close_to_statsmodels(table, ref, rtol):
    np.testing.assert_allclose(table.coef, ref["params"], rtol=rtol)
    np.testing.assert_allclose(table.std_err, ref["bse"], rtol=rtol)
    np.testing.assert_allclose(table.statistic, ref["tvalues"], rtol=rtol)
    np.testing.assert_allclose(table.p_value, ref["pvalues"], rtol=rtol, atol=1e-300)
    np.testing.assert_allclose(table.conf_int, ref["conf_int"], rtol=rtol)


@pytest.mark.parametrize("columns", [[0, 1, 4, 8, 9], [2, 5, 7, 21, 27]])
@pytest.mark.parametrize("scaled", [False, True])
def test_logit_summary_at_defaults_matches_statsmodels(columns, scaled):
    X, y = load_breast_cancer(return_X_y=True)
    X = X[:, columns]
    if scaled:
        X = X * np.array([1e-6, 1e-2, 1.0, 1e3, 1e8]) + 1e4
    table = _fit_quietly(LogisticRegression(C=np.inf), X, y).summary()
    _assert_close_to_statsmodels(table, statsmodels_table("logit", X, y), 1e-6)


@pytest.mark.parametrize("data", ["diabetes", "correlated", "badly_scaled"])
def test_ols_summary_at_defaults_matches_statsmodels(data):
    X, y = _regression(data)
    table = _fit_quietly(LinearRegression(), X, y).summary()
    _assert_close_to_statsmodels(table, statsmodels_table("ols", X, y), 1e-6)


# --- tol means the same on any scale ------------------------------------------------------


@pytest.mark.parametrize("factor", [2.0**-20, 2.0**30])
def test_rescaling_a_column_or_y_changes_nothing_but_the_units(factor):
    """The standardized problem the optimizer sees does not change (scaling by a power of two
    is exact; only how the BLAS orders its sums can differ in the last bits): the fit stops at
    the same iteration and the coefficients rescale, to rounding."""
    X, y = _classification("cancer")
    X = X[:, [0, 1, 4, 8, 9]]
    Xs = X.copy()
    Xs[:, 2] *= factor
    a = LogisticRegression(C=np.inf).fit(X, y)
    b = LogisticRegression(C=np.inf).fit(Xs, y)
    assert a.n_iter_ == b.n_iter_
    np.testing.assert_allclose(b.coef_[0] * [1, 1, factor, 1, 1], a.coef_[0], rtol=1e-11)
    X, y = _regression("diabetes")
    for model in (LinearRegression(), Ridge(alpha=1.0), Lasso(alpha=0.3)):
        a = model.fit(X, y)
        a_coef, a_iter = a.coef_.copy(), a.n_iter_
        scaled = {"alpha": model.alpha * factor} if isinstance(model, Lasso) else {}
        if isinstance(model, Ridge):
            scaled = {"alpha": model.alpha}  # Ridge: y * c scales w by c at the same alpha
        b = model.set_params(**scaled).fit(X, y * factor)
        assert b.n_iter_ == a_iter
        np.testing.assert_allclose(b.coef_ / factor, a_coef, rtol=1e-11)
