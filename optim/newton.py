"""Newton's method in a trust region, with Hessians from autograd (Nocedal and Wright, ch. 4).

At x with gradient g and Hessian H the step minimizes the quadratic model in a ball,

    p = argmin_{||p|| <= Delta} m(p),   m(p) = g.p + p.H p / 2,

and is judged by rho = (f(x) - f(x + p)) / (m(0) - m(p)): accepted when rho > 1e-4; Delta
shrinks to ||p|| / 4 when rho < 1/4 and doubles when rho > 3/4 on the boundary. The first
radius is the Newton step's length, so a convex quadratic is solved in one step and, near a
strict minimizer, the full Newton step is taken (quadratic convergence). Where f(x + p) and
f(x) agree to rounding (1e-10 |f|) the decrease is the trapezoid rule on the gradients,
-(g + g(x + p)).p / 2, which is exact for a quadratic and not lost to cancellation.

Dense (Moré and Sorensen, 1983): with H = Q diag(lambda) Q^T and c = Q^T g (lambda ascending),
the solution is p(s) = -sum_i c_i / (lambda_i + s) q_i for the s >= max(0, -lambda_1) with
||p(s)|| = Delta (Newton's method on 1/Delta - 1/||p(s)||, nearly linear in s, safeguarded by
bisection), or s = 0 when H is positive semidefinite and ||p(0)|| <= Delta: the Newton step,
the minimum-norm one -H^+ g on a singular H. In the hard case (c = 0
on lambda_1's eigenvectors, ||p(-lambda_1)|| < Delta) p = p(-lambda_1) + tau q_1 on the
boundary. Negative or zero curvature that carries gradient is followed to the boundary, never
dropped, so the step is zero only where g is. A curvature within rounding of 0 (sqrt(eps)
max|lambda|: autograd's H carries the rounding of the sums it is made of) counts as 0, and
where the gradient along it is rounding too (sqrt(eps) ||g||) the direction is a null
direction of an exactly singular H and is left out.

Large n (``hessian="cg"``): Steihaug-Toint truncated conjugate gradient on autograd's
Hessian-vector products, stopped at ||H p + g|| <= min(1/2, sqrt(||g||)) ||g|| or, on
negative curvature or the boundary, at the boundary; the same ratio test.

Second order: a point meeting the gradient tolerance where lambda_1 < -sqrt(eps) max|lambda|
(the Hessian's, dense; 20 Lanczos steps' estimate, CG) is a saddle, not a minimizer: the step
goes on along the negative curvature instead of stopping there. A radius too small to move x
is a failure.
"""

from functools import partial

import numpy as np

from optim.base import Iterate, Optimizer, StepFailed, stationarity
from optim.curvature import ROUNDING, is_saddle, lanczos
from optim.problem import NonFiniteObjective
from optim.result import Status

__all__ = ["Newton", "newton_direction"]

EPS = np.finfo(np.float64).eps


def newton_direction(grad, hess, damping=0.0, radius=np.inf):
    """The Newton step. ``hess`` a diagonal (n,): -grad / (hess + damping), the boosting rule.
    ``hess`` dense (n, n): argmin_{||p|| <= radius} grad.p + p.(H + damping I)p / 2 (with
    radius=inf the Newton step, the minimum-norm one on a singular positive semidefinite H)."""
    hess = np.asarray(hess, dtype=np.float64)
    if hess.ndim == 1:
        return -grad / (hess + damping)
    lam, Q = np.linalg.eigh(hess)
    p, _ = trust_region_step(grad, radius, lam + damping, Q)
    if p is None:
        raise ValueError("H is not positive semidefinite: the model is unbounded; pass radius.")
    return p


def trust_region_step(g, radius, lam, Q):
    """The exact minimizer of g.p + p.H p / 2 over ||p|| <= radius, H = Q diag(lam) Q^T, and
    the model decrease m(0) - m(p); (None, lambda_1) when radius is inf and m is unbounded."""
    flat = np.abs(lam) <= ROUNDING * np.max(np.abs(lam))
    lam = np.where(flat & (lam < 0), 0.0, lam)
    c = Q.T @ g
    s = max(0.0, -lam[0])
    pole = lam + s == 0  # the eigenvectors where p(s) blows up as s decreases to -lambda_1
    c = np.where((pole | flat) & (np.abs(c) <= ROUNDING * np.linalg.norm(g)), 0.0, c)
    if not c[pole].any():
        z = -np.divide(c, lam + s, out=np.zeros_like(c), where=~pole)
        if np.linalg.norm(z) <= radius and (s == 0 or np.isfinite(radius)):
            if s > 0:  # the hard case: to the boundary along q_1, downhill
                z[0] = -np.copysign(np.sqrt(radius**2 - z @ z), (Q.T @ g)[0])
            return Q @ z, 0.5 * z @ ((lam + s) * z) + 0.5 * s * (z @ z)
    if not np.isfinite(radius):
        return None, lam[0]
    s = _secular_root(c, lam, radius, s, s + np.linalg.norm(c) / radius)
    z = -c / (lam + s)
    return Q @ z, 0.5 * z @ ((lam + s) * z) + 0.5 * s * (z @ z)


def _secular_root(c, lam, radius, lo, hi):
    """The s in (lo, hi] with ||c / (lam + s)|| = radius: Newton's method on the convex
    1/radius - 1/||p(s)||, safeguarded by bisection; hi (||p(hi)|| <= radius) if the root is
    not resolved in floating point."""
    s = hi
    for _ in range(100):
        d = lam + s
        norm = np.sqrt(np.sum((c / d) ** 2))
        if abs(norm - radius) <= 1e-12 * radius:
            return s
        lo, hi = (s, hi) if norm > radius else (lo, s)
        s = s + (norm / radius - 1.0) * norm**2 / np.sum(c**2 / d**3)
        if not lo < s < hi:
            s = 0.5 * (lo + hi)
        if not lo < s < hi:
            break
    return hi


def steihaug(g, radius, hvp, max_iter):
    """Steihaug-Toint CG for argmin_{||p|| <= radius} g.p + p.H p / 2, H by products: the
    step and the model decrease; (None, curvature) when radius is inf and m is unbounded."""
    p, r, d = np.zeros_like(g), g.copy(), -g
    rr, decrease = float(g @ g), 0.0
    forcing = min(0.5, np.sqrt(np.sqrt(rr))) * np.sqrt(rr)
    for _ in range(max_iter):
        hd = hvp(d)
        dhd = float(d @ hd)
        alpha = rr / dhd if dhd > 0 else np.inf
        if dhd <= 0 or np.linalg.norm(p + alpha * d) >= radius:
            if not np.isfinite(radius):
                return None, dhd / float(d @ d)
            pd, dd = float(p @ d), float(d @ d)
            tau = (-pd + np.sqrt(pd**2 + dd * (radius**2 - p @ p))) / dd
            return p + tau * d, decrease + tau * rr - 0.5 * tau**2 * dhd
        p, r = p + alpha * d, r + alpha * hd
        decrease += 0.5 * alpha * rr
        rr, rr_old = float(r @ r), rr
        if np.sqrt(rr) <= forcing:
            break
        d = -r + (rr / rr_old) * d
    return p, decrease


class Newton(Optimizer):
    """Trust-region Newton: exact subproblem on the eigendecomposition of H, or Steihaug CG.

    Parameters
    ----------
    hessian : {"auto", "dense", "cg"} or callable, default="auto"
        "dense" builds autograd's full Hessian (one backward pass per coordinate) and solves
        the trust-region subproblem exactly on its eigendecomposition; "cg" runs Steihaug's
        truncated conjugate gradient on autograd's Hessian-vector products (a few gradients
        each), for large dimensions; "auto" is dense up to ``dense_max`` coordinates. A
        callable ``hess(x, *data) -> (n, n) array`` supplies the Hessian itself (a structured
        one, e.g. X^T D X for a GLM) and is used exactly as the dense autograd Hessian.
    dense_max : int, default=200
    damping : float, default=0.0
        Added to the Hessian's diagonal (Levenberg-style regularization).
    certify : bool, default=True
        At a point that meets ``tol``, check the Hessian there for negative curvature (one
        more Hessian: dense, or 20 Lanczos steps with ``hessian="cg"``) and step out of a
        saddle instead of stopping. A convex objective needs no certificate: the parametric
        models pass ``certify=False``.

    Notes
    -----
    The trace's ``step_size`` is the step's length ||p||. A point meeting ``tol`` where the
    Hessian has clearly negative curvature is not reported converged: the step goes on along
    that curvature (with ``hessian="cg"`` the curvature is a 20-step Lanczos estimate, a probe
    rather than a certificate). ``max_iter`` defaults to 500: the badly scaled Meyer problem
    takes 234 steps. Newton does not handle a prox.
    """

    default_max_iter = 500
    accepts_prox = False

    def __init__(self, hessian="auto", dense_max=200, damping=0.0, certify=True):
        self.hessian = hessian
        self.dense_max = dense_max
        self.damping = damping
        self.certify = certify

    # The rule: a Newton step from the gradient and the Hessian (or its diagonal).
    def init(self, x):
        return None

    def update(self, grad, state, hess=None):
        """-grad / (hess + damping) for a diagonal hess; for a dense one the Newton step."""
        return newton_direction(grad, hess, self.damping), state

    def _start(self, problem, it):
        if not callable(self.hessian) and self.hessian not in ("auto", "dense", "cg"):
            raise ValueError(
                f"hessian must be 'auto', 'dense', 'cg' or a callable, got {self.hessian!r}."
            )
        if not self.damping >= 0:
            raise ValueError(f"damping must be >= 0, got {self.damping!r}.")
        dense = callable(self.hessian) or self.hessian == "dense"
        dense = dense or (self.hessian == "auto" and it.x.size <= self.dense_max)
        return {"dense": dense, "radius": None, "model": None, "escape": None}

    def _certify(self, problem, it, state):
        """A point meeting the gradient test is a minimizer unless the Hessian has clearly
        negative curvature there; at a saddle the next step goes along that curvature."""
        if not self.certify:
            return True
        state["model"] = state["model"] or self._model(problem, it.x, state["dense"])
        lam_1, big, q = state["model"][1]()
        if is_saddle(lam_1, big):
            state["escape"] = (q, lam_1)
            return False
        return True

    def _model(self, problem, x, dense):
        """At x: solve(g, radius) -> (step, model decrease), the trust-region subproblem, and
        lowest() -> (lambda_1, max |lambda|, its unit direction), for the saddle test."""
        if not dense:

            def hvp(v):
                return problem.hvp(x, v) + self.damping * v

            return partial(steihaug, hvp=hvp, max_iter=2 * x.size), partial(lanczos, hvp, x.size)
        if callable(self.hessian):
            problem.n_hev += 1
            hess = np.asarray(self.hessian(x, *problem.data), dtype=np.float64)
            if hess.shape != (x.size, x.size):
                raise ValueError(f"hessian(x) must have shape {(x.size,) * 2}, got {hess.shape}.")
        else:
            hess = problem.hessian(x)
        if not np.all(np.isfinite(hess)):
            raise NonFiniteObjective("the Hessian became non-finite")
        lam, Q = np.linalg.eigh(hess)
        lam = lam + self.damping
        return partial(trust_region_step, lam=lam, Q=Q), lambda: (lam[0], max(abs(lam)), Q[:, 0])

    def _step(self, problem, it, state):
        solve, _ = state["model"] or self._model(problem, it.x, state["dense"])
        if state["escape"] is not None:  # out of a saddle, along its negative curvature
            solve, state["escape"] = _along(*state["escape"]), None
            radius = state["radius"] or 1.0
        else:
            radius = state["radius"] or _first_radius(solve, it.g)
        while True:
            p, predicted = solve(it.g, radius)
            x_new = it.x + p
            if np.array_equal(x_new, it.x):
                raise StepFailed(
                    Status.LINE_SEARCH,
                    "the trust region shrank to the limit of floating-point precision",
                )
            f_new, g_new = problem.value_and_grad(x_new)
            rho = _ratio(it, p, f_new, g_new, predicted)
            length = float(np.linalg.norm(p))
            if rho < 0.25:
                radius = 0.25 * length
            elif rho > 0.75 and length >= 0.99 * radius:
                radius = 2.0 * radius
            if not rho > 1e-4:
                continue
            new = Iterate(x_new, f_new, g_new, f_new, stationarity(problem, x_new, g_new), length)
            state.update(radius=radius, model=None)  # the next step's, built when needed
            return new, state


def _along(q, curvature):
    """The model step of length radius along the negative-curvature direction q, downhill."""

    def solve(g, radius):
        slope = abs(float(g @ q))
        return -np.copysign(radius, g @ q) * q, radius * slope - 0.5 * curvature * radius**2

    return solve


def _first_radius(solve, g):
    """The Newton step's length; where the model is unbounded, ||g|| / |curvature|."""
    p, curvature = solve(g, np.inf)
    if p is not None:
        return float(np.linalg.norm(p)) or 1.0
    return float(np.linalg.norm(g) / abs(curvature)) if curvature else 1.0


def _ratio(it, p, f_new, g_new, predicted):
    """rho = actual / predicted decrease; -inf at a non-finite point. Where the values agree
    to rounding the actual decrease is the trapezoid rule on the gradients, and only a step
    that also lowers the gradient counts (at the floor of precision both are noise)."""
    if not (np.isfinite(f_new) and np.all(np.isfinite(g_new))):
        return -np.inf
    actual = it.f - f_new
    if abs(actual) <= 1e-10 * abs(it.f):
        if not np.linalg.norm(g_new) < np.linalg.norm(it.g):
            return -np.inf
        actual = -0.5 * float((it.g + g_new) @ p)
    return actual / predicted
