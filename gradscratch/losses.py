"""Elementwise losses l(y, F) written with autograd.numpy, shared by GLMs and gradient boosting.

Each function takes the targets ``y`` and the raw predictions ``F`` (the margin or the linear
predictor, before any link) and returns the per-sample losses, shape (n,). A model sums or
averages them with its sample weights; autograd differentiates them with respect to ``F`` (or
to the parameters behind ``F``). They are written so that no input overflows: the log-losses
go through ``logaddexp`` and a max-shifted log-sum-exp.
"""

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

__all__ = [
    "LOSSES",
    "binary_log_loss",
    "half_squared_error",
    "log_softmax",
    "logsumexp",
    "multinomial_log_loss",
    "row_sum",
    "softplus",
    "squared_error",
]


def squared_error(y, F):
    """l(y, F) = (y - F)^2."""
    r = y - F
    return r * r


def half_squared_error(y, F):
    """l(y, F) = (y - F)^2 / 2 (gradient F - y, Hessian 1: the boosting convention)."""
    r = y - F
    return 0.5 * r * r


def binary_log_loss(y, F):
    """Binary cross-entropy on the logit scale, y in {0, 1}:

        l(y, F) = log(1 + exp(F)) - y F = -[y log sigma(F) + (1 - y) log(1 - sigma(F))],

    with sigma(F) = 1 / (1 + exp(-F)). ``logaddexp(0, F)`` is log(1 + exp(F)) without
    overflow, so a huge margin gives a loss near 0 (or near |F|), never inf or NaN.
    """
    return softplus(F) - y * F


def softplus(F):
    """log(1 + exp(F)) = logaddexp(0, F), the Bernoulli log-partition: binary_log_loss is
    softplus(F) - y F, as multinomial_log_loss is logsumexp(F) - Y . F (the GLM form)."""
    return anp.logaddexp(0.0, F)


def logsumexp(F):
    """log sum_k exp(F_ik) over the last axis, shifted by the row maximum m_i:

        logsumexp(F)_i = m_i + log sum_k exp(F_ik - m_i),

    so that every exponent is <= 0 (no overflow) and the largest term is exactly 1 (no
    underflow to log 0). The identity holds for any constant m, so m is taken from the
    values outside autograd's trace (``getval``): derivatives of every order are exact, and
    the backward pass skips the max (measured 25-35% faster on 50000 x 10 scores).
    """
    m = _row_max(getval(F))
    return anp.log(row_sum(anp.exp(F - m[..., None]))) + m


def row_sum(A):
    """sum_k A_ik over the last axis, as the product A 1 (one BLAS matrix-vector product: on
    50000 x 10 scores 8x faster than numpy's reduction along a short contiguous axis)."""
    return anp.dot(A, np.ones(A.shape[-1]))


def _row_max(A):
    """max_k A_ik over the last axis, one column at a time (a short contiguous axis reduces
    3x slower in numpy than K elementwise maxima of whole columns)."""
    m = A[..., 0].copy()
    for k in range(1, A.shape[-1]):
        np.maximum(m, A[..., k], out=m)
    return m


def log_softmax(F):
    """log p_ik = F_ik - logsumexp(F)_i, the log-probabilities of the softmax."""
    return F - logsumexp(F)[..., None]


def multinomial_log_loss(Y, F):
    """K-class cross-entropy of the softmax, Y one-hot of shape (n, K), F of shape (n, K):

    l(Y, F)_i = logsumexp(F)_i - sum_k Y_ik F_ik = -sum_k Y_ik log softmax(F)_ik.
    """
    return logsumexp(F) - row_sum(Y * F)


LOSSES = {
    "squared_error": squared_error,
    "half_squared_error": half_squared_error,
    "log_loss": binary_log_loss,
    "multinomial_log_loss": multinomial_log_loss,
}


# ---- robust regression losses (gradient boosting) ----------------------------------------
def absolute_error(y, F):
    """l(y, F) = |y - F| (gradient -sign(y - F), Hessian 0: its minimizer over a constant is
    the median).

    Written max(r, -r): autograd then gives the gradient +-1 (0 at r = 0) and a Hessian of
    exactly 0, where |r|, differentiated as r / |r|, leaves rounding noise of eps / |r| in
    the Hessian, which near an exact fit looks like curvature.
    """
    r = y - F
    return anp.maximum(r, -r)


def huber(y, F, delta=1.0):
    """Huber's loss with threshold delta > 0, r = y - F:

        l(y, F) = r^2 / 2                   if |r| <= delta,
                  delta (|r| - delta / 2)   otherwise

    (quadratic near zero, linear in the tails; continuous first derivative).
    """
    r = y - F
    a = anp.maximum(r, -r)  # |r| with an exactly zero Hessian (see absolute_error)
    return anp.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))


def pinball(y, F, alpha=0.5):
    """Quantile (pinball) loss for the alpha-quantile, r = y - F:

        l(y, F) = alpha r if r >= 0, (alpha - 1) r otherwise = max(alpha r, (alpha - 1) r),

    minimized over a constant by the alpha-quantile of y (alpha = 1/2: half the absolute error).
    """
    r = y - F
    return anp.maximum(alpha * r, (alpha - 1.0) * r)


__all__ += ["absolute_error", "huber", "pinball"]
LOSSES.update({"absolute_error": absolute_error, "huber": huber, "quantile": pinball})
