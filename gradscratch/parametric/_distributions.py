"""The normal and Student-t distribution functions that Wald inference needs, without scipy.

Normal: the CDF through ``math.erfc`` (accurate in both tails), the quantile by Acklam's
rational approximation refined by Halley steps on that CDF. Student-t: the tail through the
regularized incomplete beta function, evaluated by its continued fraction (modified Lentz),
and the quantile by safeguarded Newton steps on the CDF. All are scalar functions (inference
tables have a handful of rows) with vectorized wrappers.
"""

import math

import numpy as np

__all__ = ["betainc", "norm_cdf", "norm_ppf", "norm_sf", "t_cdf", "t_ppf", "t_sf"]

_SQRT2 = math.sqrt(2.0)


def norm_cdf(x):
    """Phi(x) = erfc(-x / sqrt 2) / 2."""
    return 0.5 * math.erfc(-x / _SQRT2)


def norm_sf(x):
    """1 - Phi(x) = erfc(x / sqrt 2) / 2, without cancellation in the upper tail."""
    return 0.5 * math.erfc(x / _SQRT2)


# Acklam's coefficients (relative error 1.15e-9 before refinement).
_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
      -30.66479806614716, 2.506628277459239)  # fmt: skip
_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
      -13.28068155288572)  # fmt: skip
_C = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
      4.374664141464968, 2.938163982698783)  # fmt: skip
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)


def _acklam(p):
    if p < 0.02425:
        q = math.sqrt(-2.0 * math.log(p))
        num = ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
        return num / ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0)
    if p > 1.0 - 0.02425:
        return -_acklam(1.0 - p)
    q = p - 0.5
    r = q * q
    num = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q
    return num / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0)


def norm_ppf(p):
    """The x with Phi(x) = p: Acklam's approximation, then two Halley steps on Phi."""
    if not 0.0 <= p <= 1.0:
        return math.nan
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    x = _acklam(p)
    for _ in range(2):
        # Work in the tail where p is small so that Phi(x) - p keeps its digits.
        err = norm_cdf(x) - p if p < 0.5 else (1.0 - p) - norm_sf(x)
        u = err * math.sqrt(2.0 * math.pi) * math.exp(0.5 * x * x)
        x = x - u / (1.0 + 0.5 * x * u)
    return x


def _beta_continued_fraction(a, b, x, max_iter=500, eps=1e-16):
    """The continued fraction of I_x(a, b) (Numerical Recipes' betacf, modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, max_iter + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def betainc(a, b, x):
    """The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b).

    I_x(a, b) = x^a (1 - x)^b / (a B(a, b)) * CF(a, b, x), with the continued fraction CF
    converging fast for x < (a + 1) / (a + b + 2); above that, I_x(a, b) = 1 - I_{1-x}(b, a).
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_sf(t, df):
    """P(T > t) for Student's t with ``df`` degrees of freedom:
    I_{df / (df + t^2)}(df / 2, 1 / 2) / 2 for t >= 0, one minus that for t < 0."""
    if math.isinf(t):
        return 0.0 if t > 0 else 1.0
    tail = 0.5 * betainc(0.5 * df, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_cdf(t, df):
    """P(T <= t) = t_sf(-t)."""
    return t_sf(-t, df)


def _t_logpdf(t, df):
    return (
        math.lgamma(0.5 * (df + 1.0))
        - math.lgamma(0.5 * df)
        - 0.5 * math.log(df * math.pi)
        - 0.5 * (df + 1.0) * math.log1p(t * t / df)
    )


def t_ppf(p, df):
    """The t with P(T <= t) = p: Newton steps on the CDF from the normal quantile, kept
    inside a shrinking bracket (bisection when a step leaves it)."""
    if not 0.0 <= p <= 1.0:
        return math.nan
    if p in (0.0, 1.0):
        return math.inf if p == 1.0 else -math.inf
    if p > 0.5:
        return -t_ppf(1.0 - p, df)
    if p == 0.5:
        return 0.0
    # Lower tail: the root of log t_cdf(t) = log p lies in (lo, hi), hi < 0. Newton on the
    # log-CDF (nearly linear in log|t| far in the tail); a step leaving the bracket is
    # replaced by its geometric midpoint (the bracket may span hundreds of decades).
    log_p = math.log(p)
    lo, hi = -1.0, 0.0
    while t_cdf(lo, df) > p:
        hi, lo = lo, lo * 2.0
    x = min(max(norm_ppf(p), lo), hi)
    for _ in range(300):
        cdf = t_cdf(x, df)
        if cdf > p:
            hi = x
        else:
            lo = x
        x_new = x - (math.log(cdf) - log_p) / math.exp(_t_logpdf(x, df) - math.log(cdf))
        if not lo < x_new < hi:
            x_new = -math.sqrt(lo * hi) if hi < 0 else 0.5 * (lo + hi)
        if abs(x_new - x) <= 4e-16 * abs(x):
            return x_new
        x = x_new
    return x


def vectorize(fun, *args):
    """Apply a scalar function elementwise over broadcast numpy arguments."""
    arrays = np.broadcast_arrays(*[np.asarray(a, dtype=np.float64) for a in args])
    out = np.array([fun(*vals) for vals in zip(*[a.ravel() for a in arrays])], dtype=np.float64)
    return out.reshape(arrays[0].shape)
