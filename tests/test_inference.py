"""summary(): Wald inference against statsmodels, and the distributions against scipy."""

import numpy as np
import pytest
import scipy.stats
import statsmodels.api as sm

from gradscratch import LinearRegression, LogisticRegression, Ridge
from gradscratch.datasets import load_breast_cancer, load_diabetes
from gradscratch.parametric import _distributions as dist
from gradscratch.parametric.inference import SummaryTable


def test_normal_against_scipy():
    x = np.concatenate([np.linspace(-37, 37, 75), [0.5, 1.96, 3.3]])
    np.testing.assert_allclose(
        dist.vectorize(dist.norm_cdf, x), scipy.stats.norm.cdf(x), rtol=1e-12
    )
    np.testing.assert_allclose(dist.vectorize(dist.norm_sf, x), scipy.stats.norm.sf(x), rtol=1e-12)
    p = np.concatenate([10.0 ** -np.arange(1, 300, 7), np.linspace(0.01, 0.99, 49)])
    np.testing.assert_allclose(
        dist.vectorize(dist.norm_ppf, p), scipy.stats.norm.ppf(p), rtol=1e-13
    )
    assert dist.norm_ppf(0.0) == -np.inf and dist.norm_ppf(1.0) == np.inf


@pytest.mark.parametrize("df", [1, 2, 3.5, 10, 50, 1000])
def test_student_t_against_scipy(df):
    t = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(
        dist.vectorize(lambda v: dist.t_sf(v, df), t), scipy.stats.t.sf(t, df), rtol=1e-10
    )
    np.testing.assert_allclose(
        dist.vectorize(lambda v: dist.t_cdf(v, df), t), scipy.stats.t.cdf(t, df), rtol=1e-10
    )
    p = np.concatenate([10.0 ** -np.arange(1, 100, 7), [0.025, 0.3, 0.7, 0.975, 0.999]])
    np.testing.assert_allclose(
        dist.vectorize(lambda q: dist.t_ppf(q, df), p), scipy.stats.t.ppf(p, df), rtol=1e-9
    )


def test_betainc_against_scipy():
    import scipy.special

    for a, b in [(0.5, 0.5), (2.0, 3.0), (10.0, 0.5), (50.0, 40.0)]:
        x = np.linspace(0.0, 1.0, 21)
        np.testing.assert_allclose(
            dist.vectorize(dist.betainc, a, b, x),
            scipy.special.betainc(a, b, x),
            rtol=1e-11,
            atol=1e-300,
        )


@pytest.fixture(scope="module")
def diabetes():
    return load_diabetes(return_X_y=True)


def _assert_table_matches(table, ref, se_rtol, p_rtol):
    np.testing.assert_allclose(table.coef, ref.params, rtol=1e-6)
    np.testing.assert_allclose(table.std_err, ref.bse, rtol=se_rtol)
    np.testing.assert_allclose(table.statistic, ref.tvalues, rtol=se_rtol)
    np.testing.assert_allclose(table.p_value, ref.pvalues, rtol=p_rtol)


def test_ols_matches_statsmodels(diabetes):
    X, y = diabetes
    table = LinearRegression().fit(X, y).summary()
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    assert isinstance(table, SummaryTable) and table.names[0] == "const"
    _assert_table_matches(table, ref, 1e-6, 1e-6)
    np.testing.assert_allclose(table.conf_int, ref.conf_int(), rtol=1e-6)
    np.testing.assert_allclose(
        LinearRegression().fit(X, y).summary(alpha=0.1).conf_int, ref.conf_int(0.1), rtol=1e-6
    )
    assert table.df == ref.df_resid
    text = str(table)
    assert "P>|t|" in text and "const" in text and len(text.splitlines()) == X.shape[1] + 6


def test_weighted_and_no_intercept_ols_match_statsmodels(diabetes):
    X, y = diabetes
    w = np.linspace(0.5, 2.0, len(y))
    table = LinearRegression().fit(X, y, sample_weight=w).summary()
    ref = sm.WLS(y, sm.add_constant(X), weights=w).fit()
    _assert_table_matches(table, ref, 1e-6, 1e-6)
    np.testing.assert_allclose(table.conf_int, ref.conf_int(), rtol=1e-6)
    table = LinearRegression(fit_intercept=False).fit(X, y).summary()
    ref = sm.OLS(y, X).fit()
    _assert_table_matches(table, ref, 1e-6, 1e-6)
    np.testing.assert_allclose(table.conf_int, ref.conf_int(), rtol=1e-6)


@pytest.fixture(scope="module")
def cancer_small():
    X, y = load_breast_cancer(return_X_y=True)
    X = X[:, [0, 1, 4, 8, 9]]
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def test_logit_matches_statsmodels(cancer_small):
    X, y = cancer_small
    model = LogisticRegression(C=np.inf, tol=1e-12).fit(X, y)
    table = model.summary(feature_names=["radius", "texture", "smooth", "sym", "fractal"])
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    _assert_table_matches(table, ref, 1e-4, 1e-4)
    np.testing.assert_allclose(table.conf_int, ref.conf_int(), rtol=1e-4)
    assert table.names == ["const", "radius", "texture", "smooth", "sym", "fractal"]
    assert "P>|z|" in str(table)


def test_logit_without_intercept_matches_statsmodels(cancer_small):
    X, y = cancer_small
    table = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12).fit(X, y).summary()
    ref = sm.Logit(y, X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    _assert_table_matches(table, ref, 1e-4, 1e-4)


def test_penalized_fits_are_refused(diabetes, cancer_small):
    X, y = diabetes
    with pytest.raises(ValueError, match="penalty biases"):
        Ridge(alpha=1.0).fit(X, y).summary()
    np.testing.assert_allclose(
        Ridge(alpha=0.0).fit(X, y).summary().std_err,
        LinearRegression().fit(X, y).summary().std_err,
        rtol=1e-6,
    )
    Xc, yc = cancer_small
    with pytest.raises(ValueError, match=r"C=np.inf"):
        LogisticRegression(C=1.0).fit(Xc, yc).summary()
    three = np.arange(len(yc)) % 3
    with pytest.raises(ValueError, match="binary"):
        LogisticRegression(C=np.inf).fit(Xc, three).summary()
    with pytest.raises(ValueError, match="alpha"):
        LinearRegression().fit(X, y).summary(alpha=1.5)


def test_standard_errors_are_the_inverse_logistic_hessian(cancer_small):
    """The covariance is the inverse of the Hessian of the negative log-likelihood in the
    model's own parameters [b, w] (the fit works on the centred design; the table does not)."""
    X, y = cancer_small
    X = X + np.array([3.0, -20.0, 0.5, 1e3, 7.0])  # offsets the centring must undo
    w = np.linspace(0.5, 1.5, len(y))
    model = LogisticRegression(C=np.inf).fit(X, y, sample_weight=w)
    design = np.column_stack([np.ones(len(y)), X])
    p = 1.0 / (1.0 + np.exp(-design @ np.append(model.intercept_, model.coef_[0])))
    expected = design.T @ (design * (w * p * (1 - p))[:, None])
    np.testing.assert_allclose(
        model.summary().std_err, np.sqrt(np.diag(np.linalg.inv(expected))), rtol=1e-8
    )


def test_observed_information_equals_autograds_dense_hessian(cancer_small):
    import autograd

    from gradscratch.parametric.inference import logistic_information
    from gradscratch.parametric.logistic import _LogisticData

    X, y = cancer_small
    w = np.linspace(0.5, 1.5, len(y))
    x = np.linspace(-1.0, 1.0, X.shape[1] + 1)
    for fit_intercept in [True, False]:
        data = _LogisticData(X, y, w, 2, fit_intercept)
        x_fit = x if fit_intercept else x[:-1]
        dense = data.weight_sum * autograd.hessian(data.mean_nll)(x_fit)
        np.testing.assert_allclose(logistic_information(data, x_fit), dense, rtol=1e-10)


def test_more_features_than_samples_is_refused():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 8)), rng.normal(size=5)
    with pytest.raises(ValueError, match="more samples than coefficients"):
        LinearRegression().fit(X, y).summary()


def test_close_fit_on_the_gram_route_takes_its_rss_from_the_residuals():
    # Well conditioned (the Gram route) but RSS = 1e-14 yy: the Gram form w'Gw - 2c'w + yy has
    # an error of order eps * yy, larger than RSS itself; the residuals have none of it.
    from gradscratch.parametric._least_squares import LeastSquares
    from gradscratch.parametric._orthogonal import least_squares_route

    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 4)) + 10.0
    y = X @ [1.0, -2.0, 3.0, 0.5] + 4.0 + 1e-6 * rng.standard_normal(500)
    assert type(least_squares_route(X, y, np.ones(500), True)) is LeastSquares
    table = LinearRegression().fit(X, y).summary()
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    np.testing.assert_allclose(table.std_err, ref.bse, rtol=1e-8)


def test_exact_fit_has_zero_standard_errors_without_nan_or_warning():
    X = np.column_stack([np.arange(8.0), np.arange(8.0) ** 2])
    y = 2.0 + 3.0 * X[:, 0]  # exact, and the x^2 coefficient is exactly 0
    table = LinearRegression().fit(X, y).summary()  # warnings are errors in the test config
    assert np.all(np.isfinite(table.std_err)) and not np.any(np.isnan(table.statistic))
    assert np.all(table.std_err < 1e-12)
    assert not np.any(np.isnan(table.p_value))


def test_rank_deficient_design_is_refused_clearly():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((30, 3))
    X = np.column_stack([X, 2.0 * X[:, 1] - X[:, 2]])
    y = X[:, 0] + rng.standard_normal(30)
    model = LinearRegression().fit(X, y)
    with pytest.raises(ValueError, match=r"full-rank design.*numerical rank 3 of 4"):
        model.summary()
    with pytest.raises(ValueError, match="full-rank design"):
        LinearRegression().fit(np.column_stack([X[:, :2], np.ones(30)]), y).summary()
