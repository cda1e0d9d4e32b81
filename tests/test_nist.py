"""The NIST StRD linear least-squares reference data (tests/nist.py) and its digits measure.

Four groups:

- the stored data: shapes, models, and the certified values reproduced from the stored
  observations (in extended precision, and exactly with rational arithmetic), so a
  transcription error in any observation or certified value fails here;
- ``correct_digits``, the log relative error (LRE) of the StRD literature;
- reference digits: statsmodels ``OLS().fit()`` and scikit-learn ``LinearRegression`` measured
  with the harness, each held to the digits observed when this file was written (statsmodels
  0.15.0, scikit-learn 1.9.1, numpy/scipy on OpenBLAS 0.3.31, x86-64) less a 1.5-digit margin.
  Dataset/method pairs observed below 1.5 digits carry no floor and are not tested;
- gradscratch: default ``LinearRegression`` coefficients and ``summary()`` standard errors
  against the best reference measured in the same run (less one digit, capped at 9), and the
  route (Gram or orthogonal) its condition estimate picks on each set.

``python -m tests.nist_report`` prints the full table, gradscratch included.
"""

import io
import warnings
from fractions import Fraction

import numpy as np
import pytest

from tests import nist

SHAPES = {  # name: (n, columns of X without the intercept, intercept, model line)
    "Norris": (36, 1, True, "polynomial 1"),
    "Pontius": (40, 2, True, "polynomial 2"),
    "NoInt1": (11, 1, False, "polynomial 1"),
    "NoInt2": (3, 1, False, "polynomial 1"),
    "Filip": (82, 10, True, "polynomial 10"),
    "Longley": (16, 6, True, "linear 6"),
    "Wampler1": (21, 5, True, "polynomial 5"),
    "Wampler2": (21, 5, True, "polynomial 5"),
    "Wampler3": (21, 5, True, "polynomial 5"),
    "Wampler4": (21, 5, True, "polynomial 5"),
    "Wampler5": (21, 5, True, "polynomial 5"),
}
EXACT_FITS = ("Wampler1", "Wampler2")  # certified residual SD and parameter SDs are 0


def test_names_in_published_order():
    assert nist.NAMES == tuple(SHAPES)


@pytest.mark.parametrize("name", nist.NAMES)
def test_load_shapes_and_model(name):
    n, p, intercept, model = SHAPES[name]
    d = nist.load(name)
    assert d["name"] == name and d["model"] == model and d["intercept"] is intercept
    assert d["X"].shape == (n, p) and d["y"].shape == (n,) and d["n"] == n
    k = p + intercept
    assert d["coef"].shape == (k,) and d["std_err"].shape == (k,)
    assert np.all(np.isfinite(d["X"])) and np.all(np.isfinite(d["y"]))
    if model.startswith("polynomial"):  # columns are x, x^2, ..., x^p of the stored x
        x = d["X"][:, 0]
        np.testing.assert_array_equal(d["X"], np.column_stack([x**j for j in range(1, p + 1)]))
    if name.startswith("Wampler"):
        np.testing.assert_array_equal(d["X"][:, 0], np.arange(21.0))
    if name == "Wampler1":  # y = 1 + x + ... + x^5 exactly
        np.testing.assert_array_equal(d["y"], d["X"].sum(axis=1) + 1.0)


def test_load_unknown_name():
    with pytest.raises(ValueError, match="unknown StRD dataset"):
        nist.load("Norris.dat")


def _design(d, dtype):
    """[1?, x, x^2, ...] or [1?, predictors], the powers computed in dtype."""
    X = d["X"].astype(dtype)
    if d["model"].startswith("polynomial"):
        x = X[:, 0]
        X = np.column_stack([x**j for j in range(1, X.shape[1] + 1)])
    if d["intercept"]:
        X = np.column_stack([np.ones(d["n"], dtype=dtype), X])
    return X


@pytest.mark.parametrize("name", nist.NAMES)
def test_certified_coefficients_reproduce_residual_sd(name):
    # RSS is stationary at the least-squares solution, so rounding the coefficients to the 15
    # printed digits moves the residual SD only at second order; what is left is the rounding
    # of evaluating y - X b. In long double the worst case (Filip) agrees to 9e-13; in float64
    # (where long double is double) to 5e-9. rtol 1e-8 holds for both.
    d = nist.load(name)
    X = _design(d, np.longdouble)
    resid = d["y"].astype(np.longdouble) - X @ d["coef"].astype(np.longdouble)
    rss = float(resid @ resid)
    dof = d["n"] - X.shape[1]
    if name in EXACT_FITS:
        assert d["residual_sd"] == 0.0 and np.all(d["std_err"] == 0.0)
        assert float(np.max(np.abs(resid))) <= 1e-12 * float(np.max(np.abs(d["y"])))
    else:
        np.testing.assert_allclose(np.sqrt(rss / dof), d["residual_sd"], rtol=1e-8)


def _gauss_jordan(A, B):
    """Solve A Z = B exactly (lists of Fractions; B a list of right-hand-side rows)."""
    k = len(A)
    M = [list(A[i]) + list(B[i]) for i in range(k)]
    for i in range(k):
        pivot = next(r for r in range(i, k) if M[r][i] != 0)
        M[i], M[pivot] = M[pivot], M[i]
        inv = 1 / M[i][i]
        M[i] = [v * inv for v in M[i]]
        for r in range(k):
            if r != i and M[r][i] != 0:
                f = M[r][i]
                M[r] = [a - f * b for a, b in zip(M[r], M[i])]
    return [row[k:] for row in M]


def _exact_fit(name):
    """Least squares on the stored decimals in exact rational arithmetic."""
    header, params, _, rows = nist.read_raw(name, Fraction)
    kind, size = header["model"].split()
    intercept = header["intercept"] == "yes"
    y = [row[0] for row in rows]
    if kind == "polynomial":
        X = [[row[1] ** j for j in range(1 - intercept, int(size) + 1)] for row in rows]
    else:
        X = [[Fraction(1)] * intercept + row[1:] for row in rows]
    n, k = len(X), len(X[0])
    xtx = [[sum(r[a] * r[b] for r in X) for b in range(k)] for a in range(k)]
    xty = [sum(r[a] * v for r, v in zip(X, y)) for a in range(k)]
    # one elimination: [X'y | I] -> [beta | (X'X)^-1]
    rhs = [[xty[a]] + [Fraction(int(a == b)) for b in range(k)] for a in range(k)]
    sol = _gauss_jordan(xtx, rhs)
    beta = [row[0] for row in sol]
    inv_diag = [sol[a][1 + a] for a in range(k)]
    rss = sum((v - sum(c * b for c, b in zip(r, beta))) ** 2 for r, v in zip(X, y))
    ybar = sum(y) / n
    tss = sum((v - ybar) ** 2 for v in y) if intercept else sum(v * v for v in y)
    return header, params, beta, inv_diag, rss, n - k, 1 - rss / tss


def _rel(a, b):
    return abs(a - b) / abs(b) if b != 0 else abs(a - b)


@pytest.mark.parametrize("name", nist.NAMES)
def test_certified_values_are_the_exact_least_squares_solution(name):
    # The certified values, printed to 15 significant digits, agree with the exact solution on
    # the stored observations to a relative 4.5e-15 or better (LRE >= 14.35 on every value).
    # A mistyped observation or certified digit would break this by many orders.
    header, params, beta, inv_diag, rss, dof, r2 = _exact_fit(name)
    cert_b = [p[1] for p in params]
    cert_sd = [p[2] for p in params]
    cert_rsd = Fraction(header["residual_sd"])
    cert_r2 = Fraction(header["r_squared"])
    if name in EXACT_FITS:
        assert rss == 0 and beta == cert_b and all(s == 0 for s in cert_sd)
        assert cert_rsd == 0 and cert_r2 == 1 and r2 == 1
        return
    for b, c in zip(beta, cert_b):
        assert _rel(b, c) < 1e-14
    s2 = rss / dof
    for d, sd in zip(inv_diag, cert_sd):  # compare variances: rel. error about twice the SD's
        assert _rel(sd * sd, s2 * d) < 2e-14
    assert _rel(cert_rsd * cert_rsd, s2) < 2e-14
    assert _rel(r2, cert_r2) < 1e-14


# --- the digits measure ---------------------------------------------------------------------


def test_correct_digits_relative_and_absolute():
    cert = np.array([2.0, -1e-8, 0.0, 5.0])
    est = np.array([2.0 * (1 + 1e-6), -1e-8 * (1 - 1e-3), 1e-9, 5.0])
    np.testing.assert_allclose(nist.correct_digits(est, cert), [6.0, 3.0, 9.0, 15.0])
    assert nist.min_correct_digits(est, cert) == pytest.approx(3.0)


def test_correct_digits_clipped_and_non_finite():
    cert = np.array([1.0, 1.0, 1.0, 0.0, 1.0])
    est = np.array([1.0 + 1e-17, 1e3, np.nan, 0.0, np.inf])
    digits = nist.correct_digits(est, cert)
    np.testing.assert_array_equal(digits, [15.0, 0.0, 0.0, 15.0, 0.0])
    assert not np.any(np.signbit(digits))  # no -0.0
    assert nist.correct_digits(1.0, 1.0).shape == ()


# --- reference digits: statsmodels and scikit-learn -------------------------------------------

MARGIN = 1.5
# Wampler4/5: every backward-stable method's digits there are set by rounding (over 200 row
# permutations scikit-learn's spread over 5.6-7.6 on Wampler5, 7.5-9.2 on Wampler4, and the
# value measured above is the top of it; OPENBLAS_CORETYPE=Sandybridge gives 5.9 on Wampler5).
ROUNDING_MARGIN = {"Wampler4": 2.5, "Wampler5": 2.5}
# Minimum correct digits over the parameters, as measured (see the module docstring).
# Columns: statsmodels OLS coef, statsmodels bse, sklearn LinearRegression() coef,
# sklearn LinearRegression(tol=eps) coef.
MEASURED = {
    "Norris": (12.99, 13.81, 12.09, 12.09),
    "Pontius": (6.32, 9.24, 0.00, 12.58),
    "NoInt1": (14.72, 15.00, 14.72, 14.72),
    "NoInt2": (15.00, 14.88, 15.00, 15.00),
    "Filip": (0.00, 0.01, 0.00, 5.44),
    "Longley": (10.89, 12.58, 13.61, 13.61),
    "Wampler1": (9.21, 8.39, 0.19, 9.16),
    "Wampler2": (10.41, 10.54, 0.00, 11.48),
    "Wampler3": (9.16, 10.41, 0.19, 9.24),
    "Wampler4": (7.78, 10.41, 0.19, 9.24),
    "Wampler5": (5.77, 10.41, 0.19, 7.61),
}
# statsmodels' pinv fit truncates Filip's smallest singular values (so 0 digits) and says so.
STATSMODELS_WARNS = {"Filip"}


def _cases(column):
    return [
        pytest.param(name, MEASURED[name][column] - ROUNDING_MARGIN.get(name, MARGIN), id=name)
        for name in nist.NAMES
        if MEASURED[name][column] >= MARGIN
    ]


def _statsmodels_fit(name):
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import SingularMatrixWarning

    d = nist.load(name)
    X = sm.add_constant(d["X"], has_constant="add") if d["intercept"] else d["X"]
    if name in STATSMODELS_WARNS:
        with pytest.warns(SingularMatrixWarning, match="rank-deficient"):
            return d, sm.OLS(d["y"], X).fit()
    return d, sm.OLS(d["y"], X).fit()


@pytest.mark.parametrize(("name", "floor"), _cases(0))
def test_statsmodels_coefficient_digits(name, floor):
    d, res = _statsmodels_fit(name)
    assert nist.min_correct_digits(res.params, d["coef"]) >= floor


@pytest.mark.parametrize(("name", "floor"), _cases(1))
def test_statsmodels_standard_error_digits(name, floor):
    d, res = _statsmodels_fit(name)
    assert nist.min_correct_digits(res.bse, d["std_err"]) >= floor


def _sklearn_digits(name, **params):
    from sklearn.linear_model import LinearRegression

    d = nist.load(name)
    model = LinearRegression(fit_intercept=d["intercept"], **params).fit(d["X"], d["y"])
    coef = np.r_[model.intercept_, model.coef_] if d["intercept"] else model.coef_
    return nist.min_correct_digits(coef, d["coef"])


@pytest.mark.parametrize(("name", "floor"), _cases(2))
def test_sklearn_default_coefficient_digits(name, floor):
    assert _sklearn_digits(name) >= floor


@pytest.mark.parametrize(("name", "floor"), _cases(3))
def test_sklearn_tol_eps_coefficient_digits(name, floor):
    assert _sklearn_digits(name, tol=np.finfo(np.float64).eps) >= floor


def test_report_runs_on_every_dataset_and_method():
    from tests import nist_report

    out = io.StringIO()
    with warnings.catch_warnings():  # the report records the fits' warnings itself
        warnings.simplefilter("error")
        results = nist_report.report(file=out)
    methods = [label for label, _ in nist_report._methods()]
    assert set(results) == {(n, m) for n in nist.NAMES for m in methods}
    text = out.getvalue()
    assert all(name in text for name in nist.NAMES)
    c, s = results["NoInt1", "statsmodels"]
    assert c >= MEASURED["NoInt1"][0] - MARGIN and s >= MEASURED["NoInt1"][1] - MARGIN


# --- gradscratch against the best reference, measured here ------------------------------------
# The target: default LinearRegression reaches, on every StRD set, the best of
# statsmodels and scikit-learn (tol=eps) less one digit, capped at 9; summary() standard errors
# reach statsmodels' bse less one digit, capped at 9, never NaN, with no warning. The references
# are measured in the test, on this machine's BLAS, not taken from MEASURED.

TARGET_CAP = 9.0


def _best_reference_coefficient_digits(name):
    d, res = _statsmodels_fit(name)
    statsmodels = nist.min_correct_digits(res.params, d["coef"])
    sklearn = _sklearn_digits(name, tol=np.finfo(np.float64).eps)
    return max(statsmodels, sklearn), nist.min_correct_digits(res.bse, d["std_err"])


def _gradscratch_fit(name):
    from gradscratch import LinearRegression

    d = nist.load(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning of any kind, from the fit or the table
        model = LinearRegression(fit_intercept=d["intercept"]).fit(d["X"], d["y"])
        table = model.summary()
    return d, model, table


@pytest.mark.parametrize("name", nist.NAMES)
def test_gradscratch_coefficient_digits_reach_the_best_reference(name):
    best, _ = _best_reference_coefficient_digits(name)
    d, _, table = _gradscratch_fit(name)
    assert nist.min_correct_digits(table.coef, d["coef"]) >= min(best - 1.0, TARGET_CAP)


@pytest.mark.parametrize("name", nist.NAMES)
def test_gradscratch_standard_error_digits_reach_statsmodels(name):
    _, statsmodels_se = _best_reference_coefficient_digits(name)
    d, _, table = _gradscratch_fit(name)
    assert np.all(np.isfinite(table.std_err)) and np.all(table.std_err >= 0)
    assert not np.any(np.isnan(table.statistic)) and not np.any(np.isnan(table.p_value))
    assert nist.min_correct_digits(table.std_err, d["std_err"]) >= min(
        statsmodels_se - 1.0, TARGET_CAP
    )


# cond(C) of the centred design's correlation matrix: 1 (Norris, NoInt1/2), 69 (Pontius),
# 1.2e4 (Longley), 2.7e6 (Wampler), ~1e19 (Filip); the Gram route is trusted up to 100.
GRAM_ROUTE = {"Norris", "Pontius", "NoInt1", "NoInt2"}


@pytest.mark.parametrize("name", nist.NAMES)
def test_route_follows_the_condition_number(name):
    from gradscratch.parametric._least_squares import LeastSquares
    from gradscratch.parametric._orthogonal import OrthogonalLeastSquares, least_squares_route

    d = nist.load(name)
    data = least_squares_route(d["X"], d["y"], np.ones(d["n"]), d["intercept"])
    expected = LeastSquares if name in GRAM_ROUTE else OrthogonalLeastSquares
    assert type(data) is expected and data.rank == d["X"].shape[1]
    _, model, _ = _gradscratch_fit(name)
    if name not in GRAM_ROUTE:  # Hessian 2I in u: Newton's first step is the solution
        assert model.n_iter_ == 1
