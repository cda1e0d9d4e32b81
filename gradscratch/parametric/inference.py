"""Wald inference for unpenalized fits: standard errors, test statistics, p-values, intervals.

Ordinary least squares (exact under Gaussian errors): Cov(beta) = sigma^2 (X^T S X)^{-1} with
sigma^2 = RSS / (n - k), t statistics with n - k degrees of freedom (k coefficients, the
intercept included). Logistic regression (asymptotic): Cov(beta) = I(beta)^{-1}, I the observed
information, the Hessian of the negative log-likelihood sum_i s_i l_i at the fit, which
autograd computes from the same loss the model minimized; z statistics and normal p-values.
Both are computed by solves, never with an explicit inverse: OLS from a triangular root T of
X^T S X (T^T T = X^T S X: the orthogonal route's R D, else a Cholesky factor), so that its
covariance never squares more than the fit did; logistic from a solve with the information
in standardized units. OLS uses the RSS to working precision (from residuals where the Gram
form has cancelled). A penalized fit (Ridge,
LogisticRegression with finite C) is refused: its estimates are biased towards zero and these
formulas give no valid test.
"""

from dataclasses import dataclass

import numpy as np
from autograd import elementwise_grad

from gradscratch.base import check_is_fitted
from gradscratch.losses import binary_log_loss
from gradscratch.parametric._distributions import norm_ppf, norm_sf, t_ppf, t_sf, vectorize
from gradscratch.parametric._least_squares import GRAM_MAX_FEATURES

__all__ = ["SummaryTable", "least_squares_statistics", "linear_summary", "logistic_summary"]


@dataclass
class SummaryTable:
    """Coefficient table of a fitted model, intercept first; ``print`` it to read it.

    Attributes
    ----------
    names : list of str
    coef, std_err, statistic, p_value : ndarray of shape (k,)
    conf_int : ndarray of shape (k, 2)
        The (1 - alpha) Wald interval of each coefficient.
    statistic_name : "t" or "z"
    df : float or None
        Degrees of freedom of the t statistics (None for z).
    alpha : float
    title : str
    """

    names: list
    coef: np.ndarray
    std_err: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    conf_int: np.ndarray
    statistic_name: str
    df: float
    alpha: float
    title: str

    def __str__(self):
        lo, hi = f"[{self.alpha / 2:g}", f"{1 - self.alpha / 2:g}]"
        header = ["", "coef", "std err", self.statistic_name, f"P>|{self.statistic_name}|", lo, hi]
        rows = [
            [name, *(f"{v:.4g}" for v in (c, s, t)), f"{p:.3g}", f"{a:.4g}", f"{b:.4g}"]
            for name, c, s, t, p, (a, b) in zip(
                self.names, self.coef, self.std_err, self.statistic, self.p_value, self.conf_int
            )
        ]
        widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(w) if j == 0 else cell.rjust(w)
                for j, (cell, w) in enumerate(zip(r, widths))
            )
            for r in [header, *rows]
        ]
        rule = "=" * len(lines[0])
        dof = "" if self.df is None else f" ({self.df:g} degrees of freedom)"
        return "\n".join([self.title + dof, rule, lines[0], "-" * len(rule), *lines[1:], rule])

    __repr__ = __str__


def _names(model, k_coef, fit_intercept, feature_names):
    if feature_names is None:
        feature_names = getattr(model, "feature_names_in_", None)
    if feature_names is None:
        feature_names = [f"x{j}" for j in range(k_coef)]
    feature_names = [str(n) for n in feature_names]
    if len(feature_names) != k_coef:
        raise ValueError(f"feature_names has {len(feature_names)} names for {k_coef} features.")
    return (["const"] if fit_intercept else []) + feature_names


def _table(names, coef, cov, statistic_name, df, alpha, title):
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}.")
    std_err = np.sqrt(np.diag(cov))
    exact = std_err == 0  # an exact fit: t = +-inf, or 0 for a zero coefficient
    statistic = np.where(exact, np.copysign(np.inf, coef), coef / np.where(exact, 1.0, std_err))
    statistic = np.where(exact & (coef == 0), 0.0, statistic)
    if df is None:
        p_value = 2.0 * vectorize(norm_sf, np.abs(statistic))
        q = norm_ppf(1.0 - alpha / 2.0)
    else:
        p_value = 2.0 * vectorize(lambda t: t_sf(t, df), np.abs(statistic))
        q = t_ppf(1.0 - alpha / 2.0, df)
    conf_int = np.column_stack([coef - q * std_err, coef + q * std_err])
    return SummaryTable(
        names, coef, std_err, statistic, p_value, conf_int, statistic_name, df, alpha, title
    )


def least_squares_statistics(data, params, X, y, sample_weight):
    """What OLS inference needs from a least-squares data term at its optimizer's ``params``:
    the centred weighted Gram matrix G = Xc^T S Xc (kept only when the fit formed it anyway:
    when p > n there is no inference, and above GRAM_MAX_FEATURES it is not worth p^2 memory)
    or, on the orthogonal route, its triangular root T (T^T T = G); the design's numerical rank
    where measured; the weighted means, sum s_i, the RSS to working precision, n."""
    gram_root = getattr(data, "gram_root", None)
    return {
        "gram": data.gram if gram_root is None and data.use_gram else None,
        "gram_root": gram_root,
        "rank": data.rank,
        "x_offset": np.array(data.x_offset),
        "weight_sum": data.weight_sum,
        "rss": data.accurate_rss(params, X, y, sample_weight),
        "n_samples": data.n_samples,
    }


def _inverse_gram_root(stats, p):
    """F with F F^T = G^-1: F = T^-1 for a triangular root T of G (the orthogonal route's
    R D, or G's Cholesky factor), by a triangular solve."""
    collinear = ValueError(
        "summary() needs a full-rank design: the features are collinear (or constant)"
        + ("" if stats["rank"] is None else f" (numerical rank {stats['rank']} of {p})")
        + ", so the coefficients are not identified."
    )
    if stats["rank"] is not None and stats["rank"] < p:
        raise collinear
    root = stats["gram_root"]
    try:
        if root is None:
            root = np.linalg.cholesky(stats["gram"]).T
        return np.linalg.solve(root, np.eye(p))
    except np.linalg.LinAlgError as err:
        raise collinear from err


def linear_summary(model, alpha=0.05, feature_names=None):
    """OLS inference table for a fitted LinearRegression (intercept first).

    With centred design Xc and G = Xc^T S Xc = T^T T (T triangular: R D from the orthogonal
    route, else G's Cholesky factor) and F = T^-1, so G^-1 = F F^T: Cov(w) = sigma^2 F F^T,
    Cov(b, w) = -sigma^2 F F^T x_mean and Var(b) = sigma^2 (1 / sum s + ||F^T x_mean||^2): the
    blocks of sigma^2 (X^T S X)^{-1} for the design [1, X]. sigma^2 = RSS / (n - k), the RSS
    to working precision; t statistics with n - k degrees of freedom. An exact fit (RSS = 0)
    has zero standard errors: t = +-inf (p = 0), or t = 0 (p = 1) for a coefficient that is 0.
    """
    check_is_fitted(model)
    if getattr(model, "alpha", 0) != 0:
        raise ValueError(
            f"summary() is refused for {type(model).__name__}(alpha={model.alpha!r}): the "
            "penalty biases the coefficients towards zero, so the OLS standard errors, t tests "
            "and intervals do not apply. Fit LinearRegression (or alpha=0) for inference."
        )
    _check_converged(model)
    stats = model._inference_stats
    mean = stats["x_offset"]
    p = len(mean)
    if stats["gram"] is None and stats["gram_root"] is None:
        raise ValueError(
            f"summary() needs more samples than coefficients and at most "
            f"{GRAM_MAX_FEATURES} features, got n={stats['n_samples']}, p={p}."
        )
    k = p + int(model.fit_intercept)
    df = stats["n_samples"] - k
    if df <= 0:
        raise ValueError(f"summary() needs more samples than coefficients ({k}), got {df + k}.")
    F = _inverse_gram_root(stats, p)
    sigma2 = stats["rss"] / df
    ginv = F @ F.T
    coef = np.asarray(model.coef_, dtype=np.float64)
    if model.fit_intercept:
        f_mean = F.T @ mean
        cov = np.empty((k, k))
        cov[0, 0] = 1.0 / stats["weight_sum"] + f_mean @ f_mean
        cov[0, 1:] = cov[1:, 0] = -(F @ f_mean)
        cov[1:, 1:] = ginv
        coef = np.concatenate([[model.intercept_], coef])
    else:
        cov = ginv
    names = _names(model, p, model.fit_intercept, feature_names)
    return _table(names, coef, sigma2 * cov, "t", df, alpha, "OLS regression")


def _check_converged(model):
    """Standard errors are derivatives at the optimum: refuse them anywhere else."""
    result = model.optim_result_
    if not result.converged:
        raise ValueError(
            f"summary() needs a converged fit, but this one stopped early: {result.message} "
            "Refit with a larger max_iter or the default optimizer."
        )


def logistic_information(data, x):
    """The observed information at x: the Hessian of sum_i s_i l(y_i, F_i), the unpenalized
    negative log-likelihood, in the fit's parameter order [w, b] (binary fits).

    The margins F = X w + b are linear in the parameters, so the chain rule leaves one term:
    Hessian = Xt^T diag(s_i d2l/dF2(F_i)) Xt with Xt = [X, 1], the per-sample curvatures
    d2l/dF2 coming from autograd on the elementwise loss. That is autograd's Hessian of the
    same loss (``tests/test_inference.py`` checks it against ``autograd.hessian``) at the
    cost of one pass over the data instead of one backward pass per parameter.
    """
    curvature = elementwise_grad(elementwise_grad(lambda F: binary_log_loss(data.target, F)))
    d = data.weight_sum * data.scaled_weights * curvature(np.asarray(data.scores(x)))
    # d >= 0 (the log-loss is convex in F): scale the rows by sqrt(d), one contiguous pass,
    # and let BLAS form the symmetric product (measured 10x faster than X.T * d @ X).
    Xs = (data.X - data.offset_left) * np.sqrt(d)[:, None]  # the centred design, scaled
    if not data.fit_intercept:
        return Xs.T @ Xs
    Xs = np.column_stack([Xs, np.sqrt(d)])
    return Xs.T @ Xs


def logistic_summary(model, alpha=0.05, feature_names=None):
    """Wald inference table for an unpenalized binary LogisticRegression (intercept first).

    Cov(beta) = I^{-1} with I the observed information (the autograd Hessian of the negative
    log-likelihood at the fit, computed when the model was fitted); z statistics and two-sided
    normal p-values; (1 - alpha) intervals beta +- z_{1 - alpha/2} se.
    """
    check_is_fitted(model)
    if model.C != np.inf:
        raise ValueError(
            f"summary() is refused for LogisticRegression(C={model.C!r}): the penalty biases "
            "the coefficients towards zero and the Hessian of the penalized loss is not the "
            "information of the likelihood, so standard errors and p-values would be wrong. "
            "Refit with C=np.inf (no penalty) for inference."
        )
    if len(model.classes_) != 2:
        raise ValueError(
            "summary() covers binary logistic regression: the K-class softmax used here is "
            "over-parameterized (one free shift per feature), so its coefficients have no "
            "standard errors; fit one class against a reference class instead."
        )
    _check_converged(model)
    information, x_scale, x_offset = model._information
    p = model.coef_.shape[1]
    # The information is in the fit's parameters [w, b_c] (b_c the intercept of the centred
    # design). Invert it in standardized units (w = z / x_scale), where it is well
    # conditioned, then map to [b, w] exactly: b = b_c - x_offset . w.
    unit = np.concatenate([1.0 / x_scale, np.ones(len(information) - p)])
    try:
        cov = np.linalg.solve(information * np.outer(unit, unit), np.eye(len(unit)))
    except np.linalg.LinAlgError as err:
        raise ValueError(
            "summary() needs an invertible information matrix: the features are collinear "
            "or the classes are separated, so the coefficients are not identified."
        ) from err
    cov = cov * np.outer(unit, unit)
    if model.fit_intercept:
        order = np.concatenate([[p], np.arange(p)])  # intercept first
        to_model = np.eye(p + 1)
        to_model[0, 1:] = -x_offset
        cov = to_model @ cov[np.ix_(order, order)] @ to_model.T
        coef = np.concatenate([model.intercept_, model.coef_[0]])
    else:
        coef = model.coef_[0].copy()
    names = _names(model, p, model.fit_intercept, feature_names)
    return _table(names, coef, cov, "z", None, alpha, "Logistic regression (maximum likelihood)")
