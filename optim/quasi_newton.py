"""L-BFGS: a quasi-Newton method that keeps the last m curvature pairs."""

import numpy as np

from optim.base import Iterate, Optimizer, StepFailed, stationarity
from optim.curvature import is_saddle, lanczos
from optim.line_search import StrongWolfe
from optim.result import Status

__all__ = ["LBFGS", "two_loop_direction"]


def two_loop_direction(grad, s_hist, y_hist):
    """-H grad, with H the L-BFGS inverse-Hessian approximation from pairs (s_i, y_i).

    The two-loop recursion (Nocedal and Wright, Algorithm 7.4), scaled initially by
    gamma = <s, y> / <y, y> of the newest pair.
    """
    q = np.array(grad, dtype=np.float64, copy=True)
    rhos = [1.0 / float(y @ s) for s, y in zip(s_hist, y_hist)]
    alphas = []
    for s, y, rho in zip(reversed(s_hist), reversed(y_hist), reversed(rhos)):
        a = rho * float(s @ q)
        q -= a * y
        alphas.append(a)
    if s_hist:
        s, y = s_hist[-1], y_hist[-1]
        q *= float(s @ y) / float(y @ y)
    for s, y, rho, a in zip(s_hist, y_hist, rhos, reversed(alphas)):
        b = rho * float(y @ q)
        q += (a - b) * s
    return -q


class LBFGS(Optimizer):
    """Limited-memory BFGS with a strong-Wolfe line search.

    Parameters
    ----------
    m : int, default=10
        Number of curvature pairs kept.
    line_search : object, default=StrongWolfe()
        Any search from :mod:`optim.line_search` taking a direction.
    certify : bool, default=True
        At a point that meets ``tol``, estimate the lowest Hessian eigenvalue (20 Lanczos steps
        on autograd's Hessian-vector products, :mod:`optim.curvature`: about 50 gradients'
        work, once); at a saddle step out along its negative curvature instead of stopping.
        A convex objective needs no certificate (every stationary point is a minimizer): the
        parametric models pass ``certify=False``.

    Notes
    -----
    Pairs with <s, y> <= 1e-10 ||s|| ||y|| are skipped so that H stays positive definite; a
    direction that is not a descent direction resets the memory. LBFGS does not handle a prox.
    """

    default_max_iter = 15000
    accepts_prox = False

    def __init__(self, m=10, line_search=None, certify=True):
        self.m = m
        self.line_search = line_search
        self.certify = certify

    def _start(self, problem, it):
        if not (isinstance(self.m, int) and self.m >= 1):
            raise ValueError(f"LBFGS needs an integer m >= 1, got {self.m!r}.")
        return {"s": [], "y": []}

    def _certify(self, problem, it, state):
        if not self.certify:
            return True
        lowest, largest, q = lanczos(lambda v: problem.hvp(it.x, v), it.x.size)
        if not is_saddle(lowest, largest):
            return True
        state["escape"] = (q, lowest)
        return False

    def _escape(self, problem, it, q, curvature):
        """From a saddle, along its negative-curvature direction q: the step t q (either sign,
        downhill first) that the model g.(t q) + curvature t^2 / 2 says decreases f, halved
        until f does decrease."""
        sign = -1.0 if float(it.g @ q) > 0 else 1.0
        t = max(np.sqrt(abs(2.0 * it.f) / abs(curvature)) if it.f else 1.0, 1e-8)
        for _ in range(60):
            for direction in (sign, -sign):
                x = it.x + direction * t * q
                f = problem.fun(x)
                if np.isfinite(f) and f < it.f:
                    return self._iterate_at(problem, x, t)
            t *= 0.5
        raise StepFailed(Status.LINE_SEARCH, "no decrease along the saddle's negative curvature")

    def _step(self, problem, it, state):
        escape = state.pop("escape", None)
        if escape is not None:
            return self._escape(problem, it, *escape), {"s": [], "y": []}
        d = two_loop_direction(it.g, state["s"], state["y"])
        if not float(d @ it.g) < 0:
            state = {"s": [], "y": []}
            d = -it.g
        # The first step has no curvature information: keep it short.
        t0 = 1.0 if state["s"] else min(1.0, 1.0 / max(np.linalg.norm(it.g), 1e-300))
        result = (self.line_search or StrongWolfe()).search(problem, it.x, it.f, it.g, d, t0)
        if not result.ok:
            if state["s"]:
                # Stale curvature: retry once along the steepest descent direction.
                return self._step(problem, it, {"s": [], "y": []})
            raise StepFailed(
                Status.LINE_SEARCH, "the line search found no step that decreases the objective"
            )
        if result.g is None:
            new = self._iterate_at(problem, result.x, result.t)
        else:
            gnorm = stationarity(problem, result.x, result.g)
            new = Iterate(result.x, result.f, result.g, result.f, gnorm, result.t)
        s, y = new.x - it.x, new.g - it.g
        if float(s @ y) > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            state["s"].append(s)
            state["y"].append(y)
            if len(state["s"]) > self.m:
                state["s"].pop(0)
                state["y"].pop(0)
        return new, state
