"""L-BFGS: a quasi-Newton method that keeps the last m curvature pairs."""

import numpy as np

from optim.base import Iterate, Optimizer, StepFailed, stationarity
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

    Notes
    -----
    Pairs with <s, y> <= 1e-10 ||s|| ||y|| are skipped so that H stays positive definite; a
    direction that is not a descent direction resets the memory. LBFGS does not handle a prox.
    """

    default_max_iter = 15000
    accepts_prox = False

    def __init__(self, m=10, line_search=None):
        self.m = m
        self.line_search = line_search

    def _start(self, problem, it):
        if not (isinstance(self.m, int) and self.m >= 1):
            raise ValueError(f"LBFGS needs an integer m >= 1, got {self.m!r}.")
        return {"s": [], "y": []}

    def _step(self, problem, it, state):
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
