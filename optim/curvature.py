"""The lowest curvature of f at a point, for telling a minimizer from a saddle.

A point where the gradient vanishes is a minimizer only if the Hessian there has no negative
eigenvalue. Newton has the Hessian; the other methods estimate its lowest eigenpair with a few
Lanczos steps on autograd's Hessian-vector products (each costs a few gradients): a probe, not
a certificate, but it catches the saddles gradient methods stop at (a start on a symmetric
plane of the objective, which every gradient step keeps).
"""

import numpy as np

__all__ = ["ROUNDING", "is_saddle", "lanczos"]

EPS = np.finfo(np.float64).eps
# A curvature within this fraction of the largest one is rounding (autograd's Hessian carries
# the rounding of the sums it is made of), not a negative eigenvalue.
ROUNDING = np.sqrt(EPS)


def lanczos(hvp, n, k=20):
    """The lowest Ritz pair of k Lanczos steps (fully reorthogonalized, from a fixed start):
    (theta_1, max |theta|, its unit Ritz vector), an estimate of H's lowest eigenpair."""
    k = min(n, k)
    V, T = np.zeros((k, n)), np.zeros((k, k))
    v = np.random.default_rng(0).standard_normal(n)
    V[0] = v / np.linalg.norm(v)
    for j in range(k):
        w = hvp(V[j])
        T[j, j] = V[j] @ w
        for _ in range(2):  # twice is enough (Kahan)
            w = w - V[: j + 1].T @ (V[: j + 1] @ w)
        beta = np.linalg.norm(w)
        if j + 1 == k or beta <= EPS * np.max(np.abs(T)):
            k = j + 1
            break
        T[j, j + 1] = T[j + 1, j] = beta
        V[j + 1] = w / beta
    theta, S = np.linalg.eigh(T[:k, :k])
    return theta[0], np.max(np.abs(theta)), V[:k].T @ S[:, 0]


def is_saddle(lowest, largest):
    """Whether the lowest curvature is clearly negative (beyond rounding of the largest)."""
    return lowest < -ROUNDING * largest
