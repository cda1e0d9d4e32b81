"""Line searches shared by every optimizer.

Each search takes the problem, the current point (x, f(x), grad f(x)) and a direction or a
prox-gradient step, and returns a :class:`Step`: the accepted step size and the new point with
its value (and gradient when the search computed it). A trial point whose value is NaN or inf
counts as too far, so objectives that overflow away from the optimum are handled.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["Armijo", "ProxBacktracking", "Step", "StrongWolfe"]

EPS = np.finfo(np.float64).eps


@dataclass
class Step:
    """An accepted step: size ``t``, point ``x``, smooth value ``f``, gradient ``g`` or None."""

    t: float
    x: np.ndarray
    f: float
    g: np.ndarray = None
    ok: bool = True


class Armijo:
    """Backtracking until f(x + t d) <= f(x) + c1 * t * <grad f(x), d>.

    Where f(x + t d) differs from f(x) by less than its rounding noise (``noise`` |f(x)|), the
    values cannot decide and the slope does, as in Hager and Zhang's approximate Wolfe test:
    the step is accepted if <grad f(x + t d), d> <= (2 delta - 1) <grad f(x), d>, delta = 0.1
    (so Newton's full step is still taken at the limit of precision).

    Parameters
    ----------
    c1 : float, default=1e-4
        Sufficient-decrease constant.
    shrink : float, default=0.5
        Factor applied to t after each rejected trial.
    max_trials : int, default=60
    noise : float, default=1e-10
        0 turns the slope test off (values alone decide).
    """

    def __init__(self, c1=1e-4, shrink=0.5, max_trials=60, noise=1e-10):
        self.c1 = c1
        self.shrink = shrink
        self.max_trials = max_trials
        self.noise = noise

    def search(self, problem, x, f, g, d, t0=1.0):
        slope = float(g @ d)
        t = t0
        for _ in range(self.max_trials):
            x_new = x + t * d
            f_new = problem.fun(x_new)
            # The decrease itself is compared (not f_new <= f + c1 t slope, which rounding
            # makes true for f_new == f once c1 t slope is below the ulp of f).
            if np.isfinite(f_new) and f_new - f <= self.c1 * t * slope:
                return Step(t, x_new, f_new)
            if self.noise > 0 and np.isfinite(f_new) and abs(f_new - f) <= self.noise * abs(f):
                f_new, g_new = problem.value_and_grad(x_new)
                if float(g_new @ d) <= (2 * 0.1 - 1.0) * slope:
                    return Step(t, x_new, f_new, g_new)
            t *= self.shrink
        return Step(t, x, f, g, ok=False)


class ProxBacktracking:
    """Backtracking on the smooth part for a (proximal) gradient step of size t.

    Accepts x+ = prox_{t g}(x - t grad f(x)) once
    f(x+) <= f(x) + <grad f(x), x+ - x> + ||x+ - x||^2 / (2 t),
    the quadratic upper bound that holds for every t <= 1/L (Beck and Teboulle, 2009). Without
    a prox it is a gradient step with that same acceptance rule.

    Where f(x+) and f(x) agree to rounding, or the bound fails by less than the rounding
    noise of f (``noise`` |f(x)|), the values cannot decide; the gradients do: the step is
    taken if the curvature along it is at most 1/t, <grad f(x+) - grad f(x), x+ - x> <=
    ||x+ - x||^2 / t, and it lowers the gradient mapping ||x - prox(x - t grad f(x))|| / t
    (which every step t <= 1/L does on a convex f; without that test, steps accepted at the
    floor of precision can wander instead of converging).
    """

    def __init__(self, shrink=0.5, max_trials=60, noise=1e-10):
        self.shrink = shrink
        self.max_trials = max_trials
        self.noise = noise

    def search(self, problem, x, f, g, t0=1.0):
        t = t0
        for _ in range(self.max_trials):
            x_new = problem.prox_step(x - t * g, t)
            diff = x_new - x
            f_new = problem.fun(x_new)
            excess = f_new - (f + float(g @ diff) + float(diff @ diff) / (2.0 * t))
            resolved = abs(f_new - f) > 16 * EPS * abs(f)  # the values see the change
            if np.isfinite(f_new) and resolved and excess <= 4e-16 * abs(f):
                return Step(t, x_new, f_new)
            if np.isfinite(f_new) and excess <= self.noise * abs(f):
                f_new, g_new = problem.value_and_grad(x_new)
                flat = float((g_new - g) @ diff) <= float(diff @ diff) / t
                if flat and np.all(np.isfinite(g_new)):
                    mapping = np.linalg.norm(x_new - problem.prox_step(x_new - t * g_new, t))
                    if mapping < np.linalg.norm(diff):
                        return Step(t, x_new, f_new, g_new)
            t *= self.shrink
        return Step(t, x, f, g, ok=False)


class StrongWolfe:
    """Bracketing and zoom until both strong Wolfe conditions hold (Nocedal and Wright, 3.5-3.6).

    f(x + t d) <= f(x) + c1 t <g, d>  and  |<grad f(x + t d), d>| <= c2 |<g, d>|.
    Trial steps inside a bracket come from cubic interpolation, safeguarded by bisection.

    Where f(x + t d) differs from f(x) by less than its rounding noise (``noise`` |f(x)|), the
    decrease is judged on the slope instead, as in Hager and Zhang's approximate Wolfe
    conditions: <grad f(x + t d), d> <= (2 delta - 1) <g, d> with delta = 0.1. This keeps
    objectives computed with cancellation (least squares on X^T X, say) converging to full
    gradient precision.
    """

    def __init__(self, c1=1e-4, c2=0.9, max_trials=30, t_max=1e10, noise=1e-10):
        self.c1 = c1
        self.c2 = c2
        self.max_trials = max_trials
        self.t_max = t_max
        self.noise = noise

    def _decreases(self, t, f_t, s_t, f0, slope0):
        if not np.isfinite(f_t):
            return False
        if f_t - f0 <= self.c1 * t * slope0:
            return True
        return abs(f_t - f0) <= self.noise * abs(f0) and s_t <= (2 * 0.1 - 1.0) * slope0

    def search(self, problem, x, f, g, d, t0=1.0):
        slope0 = float(g @ d)
        if slope0 >= 0:
            return Step(0.0, x, f, g, ok=False)

        def phi(t):
            f_t, g_t = problem.value_and_grad(x + t * d)
            return f_t, g_t, float(g_t @ d) if np.all(np.isfinite(g_t)) else np.nan

        t_prev, f_prev, s_prev = 0.0, f, slope0
        t = t0
        for i in range(self.max_trials):
            f_t, g_t, s_t = phi(t)
            if not np.isfinite(f_t) or not np.isfinite(s_t):
                # Too far: treat as a failed sufficient decrease and bracket [t_prev, t].
                return self._zoom(phi, x, d, f, slope0, t_prev, f_prev, s_prev, t, np.inf, np.nan)
            if not self._decreases(t, f_t, s_t, f, slope0) or (i > 0 and f_t > f_prev):
                return self._zoom(phi, x, d, f, slope0, t_prev, f_prev, s_prev, t, f_t, s_t)
            if abs(s_t) <= -self.c2 * slope0:
                return Step(t, x + t * d, f_t, g_t)
            if s_t >= 0:
                return self._zoom(phi, x, d, f, slope0, t, f_t, s_t, t_prev, f_prev, s_prev)
            t_prev, f_prev, s_prev = t, f_t, s_t
            t = min(2.0 * t, self.t_max)
        return Step(t_prev, x + t_prev * d, *phi(t_prev)[:2], ok=t_prev > 0)

    def _zoom(self, phi, x, d, f0, slope0, lo, f_lo, s_lo, hi, f_hi, s_hi):
        best = None
        for _ in range(self.max_trials):
            t = _cubic_min(lo, f_lo, s_lo, hi, f_hi, s_hi)
            width = abs(hi - lo)
            if t is None or not (min(lo, hi) + 0.1 * width <= t <= max(lo, hi) - 0.1 * width):
                t = 0.5 * (lo + hi)
            f_t, g_t, s_t = phi(t)
            if not self._decreases(t, f_t, s_t, f0, slope0) or f_t > f_lo:
                hi, f_hi, s_hi = t, f_t, s_t
            else:
                if abs(s_t) <= -self.c2 * slope0:
                    return Step(t, x + t * d, f_t, g_t)
                if s_t * (hi - lo) >= 0:
                    hi, f_hi, s_hi = lo, f_lo, s_lo
                lo, f_lo, s_lo = t, f_t, s_t
                best = Step(t, x + t * d, f_t, g_t)
            if width < 1e-16 * max(1.0, abs(lo)):
                break
        # No point met the curvature condition: keep the best decrease found, if any.
        if best is not None:
            return best
        return Step(0.0, x, f0, None, ok=False)


def _cubic_min(a, fa, sa, b, fb, sb):
    """Minimizer of the cubic through (a, fa, fa') and (b, fb, fb'), or None."""
    if not all(np.isfinite(v) for v in (fa, sa, fb, sb)) or a == b:
        return None
    d1 = sa + sb - 3.0 * (fa - fb) / (a - b)
    disc = d1 * d1 - sa * sb
    if disc < 0:
        return None
    d2 = np.sign(b - a) * np.sqrt(disc)
    denom = sb - sa + 2.0 * d2
    if denom == 0:
        return None
    return b - (b - a) * (sb + d2 - d1) / denom
