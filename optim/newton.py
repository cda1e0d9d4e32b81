"""Newton's method, damped by a line search, with Hessians from autograd."""

import numpy as np

from optim.base import Optimizer, StepFailed
from optim.line_search import Armijo
from optim.result import Status

__all__ = ["Newton", "newton_direction"]


def newton_direction(grad, hess, damping=0.0):
    """Solve (H + damping I) d = -grad; H dense (n, n) or its diagonal (n,). Never inverts.

    A dense H that is not positive definite is handled in its eigenbasis (zero curvature
    dropped, negative curvature flipped), so the result is always a descent direction.
    """
    hess = np.asarray(hess, dtype=np.float64)
    if hess.ndim == 1:
        return -grad / (hess + damping)
    try:
        np.linalg.cholesky(hess + damping * np.eye(len(grad)))
        return np.linalg.solve(hess + damping * np.eye(len(grad)), -grad)
    except np.linalg.LinAlgError:
        pass
    # Singular or indefinite: work in the eigenbasis. Directions of (numerically) zero
    # curvature are left out, which gives the minimum-norm step on a singular convex
    # quadratic; negative curvature is flipped (|lambda|), so d stays a descent direction.
    lam, vecs = np.linalg.eigh(hess)
    lam = np.abs(lam) + damping
    keep = lam > 1e-12 * max(lam.max(), 1e-300)
    coords = vecs.T @ grad
    return -vecs[:, keep] @ (coords[keep] / lam[keep])


def _conjugate_gradient(hvp, grad, max_iter):
    """Truncated CG for H d = -grad (Newton-CG): stops at a forcing tolerance or at negative
    curvature, returning the last descent direction."""
    gnorm = np.linalg.norm(grad)
    tol = min(0.5, np.sqrt(gnorm)) * gnorm
    d = np.zeros_like(grad)
    r = -grad.copy()
    p = r.copy()
    rr = float(r @ r)
    for _ in range(max_iter):
        hp = hvp(p)
        curvature = float(p @ hp)
        if curvature <= 1e-14 * float(p @ p):
            return d if d.any() else -grad
        a = rr / curvature
        d = d + a * p
        r = r - a * hp
        rr_new = float(r @ r)
        if np.sqrt(rr_new) <= tol:
            break
        p = r + (rr_new / rr) * p
        rr = rr_new
    return d


class Newton(Optimizer):
    """Damped Newton: solve H d = -g, then backtrack from t = 1 along d.

    Parameters
    ----------
    hessian : {"auto", "dense", "cg"}, default="auto"
        "dense" builds autograd's full Hessian (one backward pass per coordinate) and solves
        with a Cholesky-checked solve; "cg" solves by conjugate gradient on autograd's
        Hessian-vector products (a few gradients each), for large dimensions; "auto" is dense
        up to ``dense_max`` coordinates.
    dense_max : int, default=200
    damping : float, default=0.0
        Added to the Hessian's diagonal (Levenberg-style regularization).

    Notes
    -----
    Near the optimum the full step t = 1 is accepted and convergence is quadratic. Newton does
    not handle a prox.
    """

    default_max_iter = 100
    accepts_prox = False

    def __init__(self, hessian="auto", dense_max=200, damping=0.0):
        self.hessian = hessian
        self.dense_max = dense_max
        self.damping = damping

    # The rule: a Newton step from the gradient and the Hessian (or its diagonal).
    def init(self, x):
        return None

    def update(self, grad, state, hess=None):
        return newton_direction(grad, hess, self.damping), state

    def _start(self, problem, it):
        if self.hessian not in ("auto", "dense", "cg"):
            raise ValueError(f"hessian must be 'auto', 'dense' or 'cg', got {self.hessian!r}.")
        if not self.damping >= 0:
            raise ValueError(f"damping must be >= 0, got {self.damping!r}.")
        dense = self.hessian == "dense" or (self.hessian == "auto" and it.x.size <= self.dense_max)
        return {"dense": dense}

    def _step(self, problem, it, state):
        if state["dense"]:
            d, _ = self.update(it.g, None, problem.hessian(it.x))
        else:
            x = it.x
            d = _conjugate_gradient(
                lambda v: problem.hvp(x, v) + self.damping * v, it.g, max_iter=2 * x.size
            )
        result = Armijo().search(problem, it.x, it.f, it.g, d, 1.0)
        if not result.ok:
            raise StepFailed(
                Status.LINE_SEARCH, "the line search found no step that decreases the objective"
            )
        return self._iterate_at(problem, result.x, result.t), state
