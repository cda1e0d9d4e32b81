"""The loss side of gradient boosting: an elementwise l(y, F), its autograd derivatives with
respect to the raw predictions F, the constant that minimizes it, and the per-leaf line search.

Nothing here is written per loss: the gradient (the negative pseudo-residuals) and the
Hessian diagonal come from autograd, the initial constant from an ``optim`` optimizer, and the
leaf values from a safeguarded Newton/bisection search on the leaf's own loss. A user's
callable goes through the same path, validated once per evaluation (shape, finiteness) with an
error that names it.
"""

import functools
import warnings

import autograd
import autograd.numpy as anp
import numpy as np

import optim
from gradscratch.losses import LOSSES

__all__ = ["BoostingLoss", "has_curvature", "leaf_line_search"]

EPS = np.finfo(np.float64).eps


def _name(fun):
    return getattr(fun, "__name__", None) or getattr(getattr(fun, "func", None), "__name__", "")


class BoostingLoss:
    """An elementwise loss ``fun(y, F)`` with F of shape (n,) or (n, K), returning (n,).

    Parameters
    ----------
    fun : callable written with autograd.numpy
    name : str, used in error messages
    n_outputs : int, K (1: F is a vector)
    """

    def __init__(self, fun, name, n_outputs=1):
        self.fun, self.name, self.n_outputs = fun, name, n_outputs
        total = lambda F, y: anp.sum(self.fun(y, F))  # noqa: E731
        self._grad = autograd.grad(total)
        # (F, y) -> (vjp, g): the gradient g and the reverse pass through it, from one trace
        self._grad_and_vjp = autograd.make_vjp(self._grad)

    def __reduce__(self):
        # autograd's derivative closures do not pickle; they are rebuilt from the loss
        return (BoostingLoss, (self.fun, self.name, self.n_outputs))

    def _check(self, out, n, what):
        out = np.asarray(out, dtype=np.float64)
        if not np.all(np.isfinite(out)):
            raise ValueError(
                f"loss {self.name!r} gave NaN or inf {what}; the loss must be finite at the "
                "current predictions."
            )
        return out

    def values(self, y, F):
        """Per-sample losses (n,), validated."""
        out = np.asarray(self.fun(y, F), dtype=np.float64)
        n = F.shape[0]
        if out.shape != (n,):
            raise ValueError(
                f"loss {self.name!r} returned an array of shape {out.shape}, expected ({n},): "
                "a boosting loss is elementwise, l(y, F) -> one loss per sample."
            )
        return self._check(out, n, "values")

    def mean(self, y, F, w=None):
        return float(np.average(self.values(y, F), weights=w))

    def gradient(self, y, F):
        return self._check(self._grad(F, y), F.shape[0], "gradients")

    def gradient_hessian(self, y, F, column=None):
        """(g, h): dl/dF and d2l/dF2 per sample (per class for K outputs), both shaped as F;
        with ``column`` (K outputs), only that class's (n,) columns.

        One trace of the gradient gives both: its value is g, and its reverse pass with the
        vector e (ones; for K outputs, ones in class k's column) is the Hessian times e, whose
        entry i (class k's column) is d2 l_i / dF_i^2 because the loss is elementwise. Taking
        ``grad`` of sum(g) instead would trace the gradient a second time."""
        with warnings.catch_warnings():
            # a piecewise-linear loss (absolute, quantile) has a gradient constant in F:
            # autograd says so, and its reverse pass is the zero Hessian
            warnings.filterwarnings("ignore", "Output seems independent of input")
            vjp, g = self._grad_and_vjp(F, y)
        g = self._check(g, F.shape[0], "gradients")
        if self.n_outputs == 1:
            h = vjp(np.ones_like(F))
        elif column is not None:
            g, h = g[:, column], vjp(self._unit_column(F, column))[:, column]
        else:
            K = self.n_outputs
            h = np.stack([vjp(self._unit_column(F, k))[:, k] for k in range(K)], axis=1)
        return g, self._check(h, F.shape[0], "Hessian")

    @staticmethod
    def _unit_column(F, k):
        e = np.zeros_like(F)
        e[:, k] = 1.0
        return e

    def with_params(self, **params):
        """The same loss with new keyword parameters (Huber's delta, updated per stage)."""
        base = getattr(self.fun, "func", self.fun)
        return BoostingLoss(functools.partial(base, **params), self.name, self.n_outputs)

    # ---- the constant that minimizes the loss ---------------------------------------------
    def initial_constant(self, y, n, w=None):
        """argmin_c sum_i w_i l(y_i, c) (c of size K), by ``optim.Newton`` on the K-D problem.

        Losses without curvature (absolute, quantile: Hessian 0 almost everywhere) have no
        Newton step; their 1-D problem goes to the bracketing search of
        :func:`leaf_line_search` (one leaf holding every sample), which needs only the sign of
        the derivative.
        """
        K = self.n_outputs
        w = np.ones(n) if w is None else w
        F0 = np.zeros((n, K)) if K > 1 else np.zeros(n)
        self.values(y, F0)  # a loss of the wrong shape is named before the weighted sum
        g, h = self.gradient_hessian(y, F0)
        if K == 1 and not has_curvature(g, h, w):
            zero = np.zeros(n, dtype=np.intp)
            return leaf_line_search(self, y, F0, zero, np.zeros(1), weight=w)
        ones = np.ones((n, 1)) if K > 1 else np.ones(n)
        w = w * (n / w.sum())  # mean 1: unit weights stay exactly 1 (the unweighted mean)

        def f(c):
            return anp.mean(w * self.fun(y, ones * c))

        grad0 = self.gradient(y, F0)
        scale = max(1.0, float(np.mean(w[:, None] * np.abs(grad0).reshape(n, -1))))
        result = optim.Newton(certify=False).minimize(
            f, np.zeros(K), max_iter=100, tol=1e-10 * scale
        )
        c = np.asarray(result.x, dtype=np.float64)
        if K > 1:
            # softmax losses depend on c only up to a common shift: the minimizer is a line,
            # and where Newton lands on it depends on rounding. Fix the gauge (mean 0) when
            # the loss is shift-invariant, so equal data give the same constant.
            centered = c - c.mean()
            if np.isclose(f(centered), f(c), rtol=1e-12, atol=0.0):
                c = centered
        return c


def has_curvature(g, h, w):
    """Whether sum_i w_i h_i is more than rounding noise next to sum_i w_i |g_i|.

    autograd differentiates |r| as r / |r|, whose derivative is 0 only up to rounding
    (about 1e-17 / |r| per sample, of either sign): a sign test on the sum would send a
    piecewise-linear loss to Newton's method or not at random. A loss wrongly declared flat
    (curvature below 1e-12 of the slope) only loses the Newton shortcut of the searches.
    """
    # elementwise products, not ``w @ h``: a BLAS call per stage costs more than the sum
    return bool(np.sum(h.T * w) > 1e-12 * np.sum(np.abs(g).T * w))


def make_loss(loss, params, n_outputs, allowed):
    """A :class:`BoostingLoss` from a name in ``allowed`` or a user callable."""
    if callable(loss):
        return BoostingLoss(loss, _name(loss) or repr(loss), n_outputs)
    if not isinstance(loss, str) or loss not in allowed:
        raise ValueError(f"loss must be one of {sorted(allowed)} or a callable, got {loss!r}.")
    fun = LOSSES[allowed[loss]]
    if params:
        fun = functools.partial(fun, **params)
    return BoostingLoss(fun, loss, n_outputs)


def leaf_line_search(
    loss, y, F, leaf, c0, column=None, max_iter=100, max_doublings=60, exact=True, weight=None
):
    """Per-leaf constants c_j = argmin_c sum_{i in leaf j} w_i l(y_i, F_i + c), all at once.

    ``leaf`` (n,) holds leaf numbers 0..J-1; ``c0`` (J,) is the start (the tree's own fit);
    ``column``: for K outputs, the class whose raw score the tree moves (others fixed);
    ``weight`` (n,): sample weights w_i (None: all ones).

    For a convex loss the leaf derivative D_j(c) = sum_{i in j} w_i l'(y_i, F_i + c) is
    nondecreasing and c_j is where it changes sign. The search keeps a bracket
    lo_j <= c_j <= hi_j (D(lo) <= 0 <= D(hi)) and never steps outside it, so it cannot
    overshoot. For a loss of one output the bracket starts as the range of the leaf's
    residuals y_i - F_i (rows of positive weight), which holds c_j for every loss of the
    residual minimized at 0 (squared, absolute, Huber, pinball); where the signs of D say
    otherwise (a user's loss) it is widened by doubling, and a leaf whose D keeps one sign
    as far as the doublings reach moves to the far end in the descent direction. Inside the
    bracket a Newton step D/H is taken where the loss has curvature, the step lands inside,
    and the previous step halved |D|; otherwise the bracket is bisected, until |D| is
    rounding (1e-12 of sum w |l'|) or the bracket is (4 eps |c| + 1e-14 of its starting
    width: the leaf loss is then within rounding of its minimum). A loss without
    curvature (absolute, quantile) is searched by bisection alone: its path depends only on
    the signs of D, so pinball(1/2), half the absolute error, gives the same leaves.
    Leaf sums are ``np.bincount`` over the samples: no loop over leaves or samples.

    ``exact=False``: one Newton-Raphson step from ``c0`` instead (Friedman's TreeBoost for the
    logistic loss), where the leaf has curvature. On classification the exact minimizer of a
    nearly pure leaf is a large margin, and stage after stage it drives the training log-loss
    to 1e-9 (measured on breast cancer: test log-loss 5x worse).
    """
    J = len(c0)
    w = np.ones(len(leaf)) if weight is None else np.asarray(weight, dtype=np.float64)
    c0 = np.asarray(c0, dtype=np.float64)

    def derivs(c, hessian=True):
        """(D, H, sum w |l'|) per leaf at the leaf constants c."""
        if column is None:
            Fc = F + c[leaf]
        else:
            Fc = F.copy()
            Fc[:, column] += c[leaf]
        if hessian:
            g, h = loss.gradient_hessian(y, Fc, column)
            H = np.bincount(leaf, w * h, minlength=J)
        else:  # bisection needs only the sign of the derivative
            g = loss.gradient(y, Fc)
            g = g if column is None else g[:, column]
            H = np.zeros(J)
        D = np.bincount(leaf, w * g, minlength=J)
        return D, H, np.bincount(leaf, w * np.abs(g), minlength=J)

    if not exact:
        D, H, _ = derivs(c0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(H > 0, c0 - D / H, c0)
    g, h = loss.gradient_hessian(y, F, column)
    curved = has_curvature(g, h, w)
    lo, hi = _start_bracket(y, F, leaf, c0, w, column)
    weighted = np.bincount(leaf, w, minlength=J) > 0
    Dlo, Dhi = derivs(lo, False)[0], derivs(hi, False)[0]
    width = np.maximum(hi - lo, _spread(y, w, column) + np.abs(c0))
    width = np.where(width > 0, width, 1.0)
    for _ in range(max_doublings):
        need_lo, need_hi = weighted & (Dlo > 0), weighted & (Dhi < 0)
        if not (need_lo.any() or need_hi.any()):
            break
        lo = np.where(need_lo, lo - width, lo)
        hi = np.where(need_hi, hi + width, hi)
        width = np.where(need_lo | need_hi, 2.0 * width, width)
        Dlo = np.where(need_lo, derivs(lo, False)[0], Dlo)
        Dhi = np.where(need_hi, derivs(hi, False)[0], Dhi)
    # D keeps one sign over the reach: the loss decreases towards that end
    c = np.where(Dlo > 0, lo, np.where(Dhi < 0, hi, c0))
    done = ~weighted | (Dlo > 0) | (Dhi < 0)
    x = np.where((c0 > lo) & (c0 < hi), c0, 0.5 * (lo + hi)) if curved else 0.5 * (lo + hi)
    x = np.where(done, c, x)
    resolution = 1e-14 * (hi - lo)
    D_prev = np.full(J, np.inf)
    for _ in range(max_iter):
        D, H, G = derivs(x, curved)
        hit = ~done & ((D == 0) | (np.abs(D) <= 1e-12 * G))
        c, done = np.where(hit, x, c), done | hit
        lo, hi = np.where(D < 0, x, lo), np.where(D > 0, x, hi)
        mid = 0.5 * (lo + hi)
        tight = ~done & (hi - lo <= 4 * EPS * (np.abs(lo) + np.abs(hi)) + resolution)
        c, done = np.where(tight, mid, c), done | tight
        if done.all():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - D / H
        fast = curved & (H > 0) & (newton > lo) & (newton < hi) & (np.abs(D) <= 0.5 * D_prev)
        D_prev = np.where(fast, np.abs(D), np.inf)
        x = np.where(done, c, np.where(fast, newton, mid))
    return np.where(done, c, 0.5 * (lo + hi))


def _start_bracket(y, F, leaf, c0, w, column):
    """The range of each leaf's residuals y_i - F_i over its rows of positive weight (one
    output), or the point c0 (K outputs: the doubling search widens it)."""
    J = len(c0)
    if column is not None:
        return c0.copy(), c0.copy()
    r = y - F
    lo, hi = np.full(J, np.inf), np.full(J, -np.inf)
    on = w > 0
    np.minimum.at(lo, leaf[on], r[on])
    np.maximum.at(hi, leaf[on], r[on])
    empty = lo > hi
    return np.where(empty, c0, lo), np.where(empty, c0, hi)


def _spread(y, w, column):
    """The weighted standard deviation of y (one output): a scale for widening brackets."""
    if column is not None:
        return 0.0
    mean = np.average(y, weights=w)
    return float(np.sqrt(np.average((y - mean) ** 2, weights=w)))
