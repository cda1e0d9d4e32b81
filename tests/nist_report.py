"""Digits of agreement with NIST's certified values on the StRD linear least-squares datasets.

Run from the repository root as ``python -m tests.nist_report`` or ``python tests/nist_report.py``.
For each dataset it prints the minimum, over the parameters, of the correct significant digits
(log relative error, 0..15; see ``tests.nist.correct_digits``) of the coefficient estimates
("coef") and of the standard errors ("se"), for

- statsmodels ``OLS(y, [1, X]).fit()`` (pinv) - coefficients and ``bse``;
- scikit-learn ``LinearRegression()`` (dense data: scipy lstsq) and
  ``LinearRegression(tol=eps)``;
- gradscratch ``LinearRegression()`` (default optimizer) and
  ``LinearRegression(optimizer=optim.LBFGS())``, coefficients and ``summary().std_err``
  (intercept first when fit_intercept).

NoInt1 and NoInt2 are fitted without an intercept. Warnings and errors raised by a fit are caught
and listed under the table; a failed fit shows "err" in its cells.
"""

import sys
import warnings
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.nist import NAMES, correct_digits, load
else:
    from .nist import NAMES, correct_digits, load


def _min_digits(estimate, certified):
    return float(np.min(correct_digits(estimate, certified)))


def _with_intercept(model, fit_intercept):
    coef = np.atleast_1d(np.asarray(model.coef_, dtype=np.float64)).ravel()
    if fit_intercept:
        coef = np.r_[float(model.intercept_), coef]
    return coef


def fit_statsmodels(d):
    import statsmodels.api as sm

    X = sm.add_constant(d["X"], has_constant="add") if d["intercept"] else d["X"]
    res = sm.OLS(d["y"], X).fit()
    return np.asarray(res.params), np.asarray(res.bse)


def fit_sklearn(d, **params):
    from sklearn.linear_model import LinearRegression

    model = LinearRegression(fit_intercept=d["intercept"], **params).fit(d["X"], d["y"])
    return _with_intercept(model, d["intercept"]), None


def fit_gradscratch(d, **params):
    from gradscratch import LinearRegression

    model = LinearRegression(fit_intercept=d["intercept"], **params).fit(d["X"], d["y"])
    coef = _with_intercept(model, d["intercept"])
    try:
        std_err = np.asarray(model.summary().std_err, dtype=np.float64)
    except Exception as exc:  # the summary can fail where the fit did not
        std_err = exc
    return coef, std_err


def _methods():
    import optim

    eps = np.finfo(np.float64).eps
    return [
        ("statsmodels", fit_statsmodels),
        ("sklearn", fit_sklearn),
        ("sklearn tol=eps", lambda d: fit_sklearn(d, tol=eps)),
        ("gradscratch", fit_gradscratch),
        ("gradscratch LBFGS", lambda d: fit_gradscratch(d, optimizer=optim.LBFGS())),
    ]


def measure(name, method):
    """(coef digits, se digits or None, notes) of one method on one dataset."""
    d = load(name)
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            coef, std_err = method(d)
        except Exception as exc:
            return None, None, [f"error: {type(exc).__name__}: {exc}"]
    notes += [f"warning: {w.category.__name__}: {w.message}" for w in caught]
    coef_digits = _min_digits(coef, d["coef"])
    if isinstance(std_err, Exception):
        notes.append(f"summary error: {type(std_err).__name__}: {std_err}")
        se_digits = None
    elif std_err is None:
        se_digits = None
    else:
        se_digits = _min_digits(std_err, d["std_err"])
        if not np.all(np.isfinite(std_err)):
            notes.append(f"non-finite standard errors: {std_err}")
        elif np.all(std_err == 0) and coef_digits < 15:
            notes.append(
                "standard errors exactly 0 (a zero residual sum of squares) although the "
                f"coefficients carry only {coef_digits:.1f} digits: the se digits are spurious"
            )
    return coef_digits, se_digits, notes


def report(names=NAMES, file=None):
    """Print the table (and the caught warnings / errors); return {(name, method): (c, s)}."""
    file = sys.stdout if file is None else file
    methods = _methods()
    columns = []
    for label, _ in methods:
        columns.append(f"{label} coef")
        if not label.startswith("sklearn"):
            columns.append(f"{label} se")
    widths = [max(len(c), 5) for c in columns]
    name_w = max(len(n) for n in names)

    def out(line=""):
        print(line, file=file)

    out(f"{'dataset':<{name_w}}  " + "  ".join(c.rjust(w) for c, w in zip(columns, widths)))
    results, all_notes = {}, []
    for name in names:
        cells = []
        for label, method in methods:
            c, s, notes = measure(name, method)
            results[name, label] = (c, s)
            all_notes += [f"{name} / {label}: {n}" for n in notes]
            cells.append("err" if c is None else f"{c:.1f}")
            if not label.startswith("sklearn"):
                cells.append("err" if s is None else f"{s:.1f}")
        out(f"{name:<{name_w}}  " + "  ".join(c.rjust(w) for c, w in zip(cells, widths)))
    out(
        "\nminimum over the parameters of the correct significant digits (LRE, 0..15); "
        "se = standard errors (statsmodels bse, gradscratch summary().std_err)"
    )
    if all_notes:
        out("\nwarnings and errors:")
        for note in all_notes:
            out("  " + note.replace("\n", " "))
    return results


if __name__ == "__main__":
    report()
