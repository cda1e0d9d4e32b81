"""L-BFGS: a quasi-Newton method that keeps the last m curvature pairs; projected L-BFGS with
bounds.

With bounds lower <= x <= upper (``minimize(..., bounds=...)``) each step is a projected
quasi-Newton step (Bertsekas 1982; Kim, Sra and Dhillon 2010), the problem L-BFGS-B solves:

- the binding set A: the coordinates that a scaled gradient step x - gamma g would push out of
  the box (at or near a bound, the gradient pointing outward), gamma = <s, y> / <y, y> the
  L-BFGS scaling of the newest pair;
- the direction: the two-loop recursion on the free coordinates F (the pairs restricted to F),
  -gamma g on A;
- the step: backtracking along the projected path x(t) = clip(x + t d) until
  f(x(t)) <= f(x) + c1 <g, x(t) - x>, falling back to the projected gradient path.

Once A is the set of bounds active at the solution, the free coordinates see plain L-BFGS, so
the rate is L-BFGS's; the run stops on the projected gradient ||x - clip(x - g)||_inf, scipy's
``pgtol`` measure.
"""

import numpy as np

from optim.base import Iterate, Optimizer, StepFailed, stationarity
from optim.curvature import is_saddle, lanczos
from optim.line_search import Step, StrongWolfe
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
    direction that is not a descent direction resets the memory. LBFGS does not handle a prox;
    with ``bounds`` it runs projected L-BFGS (see the module docstring).
    """

    default_max_iter = 15000
    accepts_prox = False
    accepts_bounds = True

    def __init__(self, m=10, line_search=None, certify=True):
        self.m = m
        self.line_search = line_search
        self.certify = certify

    def _start(self, problem, it):
        if not (isinstance(self.m, int) and self.m >= 1):
            raise ValueError(f"LBFGS needs an integer m >= 1, got {self.m!r}.")
        return {"s": [], "y": []}

    def _certify(self, problem, it, state):
        # With bounds the second-order test would be on the free coordinates' Hessian: not
        # made (a bounded run's certificate is the projected gradient alone).
        if not self.certify or problem.bounds is not None:
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
        if problem.bounds is not None:
            return self._projected_step(problem, it, state)
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
        return new, self._remember(state, new.x - it.x, new.g - it.g)

    def _remember(self, state, s, y):
        if float(s @ y) > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            state["s"].append(s)
            state["y"].append(y)
            if len(state["s"]) > self.m:
                state["s"].pop(0)
                state["y"].pop(0)
        return state

    def _projected_step(self, problem, it, state):
        lower, upper = problem.bounds
        x, g = it.x, it.g
        if state["s"]:
            gamma = float(state["s"][-1] @ state["y"][-1]) / float(state["y"][-1] @ state["y"][-1])
        else:  # no curvature yet: a first step of length at most 1, as without bounds
            gamma = min(1.0, 1.0 / max(np.linalg.norm(g), 1e-300))
        trial = x - gamma * g
        binding = ((trial <= lower) & (g > 0)) | ((trial >= upper) & (g < 0))
        free = ~binding
        d = -gamma * g
        if free.any():
            pairs = [(s[free], y[free]) for s, y in zip(state["s"], state["y"])]
            pairs = [
                (s, y)
                for s, y in pairs
                if float(s @ y) > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y)
            ]
            d[free] = two_loop_direction(g[free], [p[0] for p in pairs], [p[1] for p in pairs])
            if not pairs:
                d[free] *= gamma
        with np.errstate(divide="ignore", invalid="ignore"):
            room = np.where(d > 0, (upper - x) / d, np.where(d < 0, (lower - x) / d, np.inf))
        if not binding.any() and room.min() >= 1.0 and float(d @ g) < 0:
            # Nothing binds and the full step stays inside: L-BFGS's own Wolfe search, up to
            # the edge of the box (its curvature pairs are the better ones).
            search = StrongWolfe(t_max=float(room.min()))
            step = search.search(problem, x, it.f, g, d, 1.0)
        else:
            step = _projected_search(problem, x, it.f, g, d, lower, upper)
        if not step.ok:  # the quasi-Newton direction failed: the projected gradient path
            step = _projected_search(problem, x, it.f, g, -gamma * g, lower, upper)
            state = {"s": [], "y": []}
        if not step.ok:
            raise StepFailed(
                Status.LINE_SEARCH, "the line search found no step that decreases the objective"
            )
        new = (
            self._iterate_at(problem, step.x, step.t)
            if step.g is None
            else Iterate(
                step.x, step.f, step.g, step.f, stationarity(problem, step.x, step.g), step.t
            )
        )
        return new, self._remember(state, new.x - x, new.g - g)


def _projected_search(problem, x, f, g, d, lower, upper, c1=1e-4, shrink=0.5, max_trials=60):
    """Backtracking along clip(x + t d) from t = 1 until f(x(t)) <= f(x) + c1 <g, x(t) - x>;
    below the rounding noise of f (1e-10 |f|) a smaller projected gradient decides."""
    t = 1.0
    measure = None
    for _ in range(max_trials):
        x_t = np.clip(x + t * d, lower, upper)
        decrease = float(g @ (x_t - x))
        if not decrease < 0:
            t *= shrink
            continue
        f_t = problem.fun(x_t)
        if np.isfinite(f_t) and f_t - f <= c1 * decrease:
            return Step(t, x_t, f_t)
        if np.isfinite(f_t) and abs(f_t - f) <= 1e-10 * abs(f):
            f_t, g_t = problem.value_and_grad(x_t)
            if measure is None:
                measure = float(np.max(np.abs(x - np.clip(x - g, lower, upper))))
            if float(np.max(np.abs(x_t - np.clip(x_t - g_t, lower, upper)))) < measure:
                return Step(t, x_t, f_t, g_t)
        t *= shrink
    return Step(t, x, f, g, ok=False)
