"""Gradient descent and Nesterov's accelerated gradient.

Each class exposes its update rule as ``init(x)`` and ``update(grad, state) -> (step, state)``:
a small function of the gradient and the method's state, which the generic loop calls and
which code outside the loop (gradient boosting, stepping in the space of predictions) reuses.
"""

import numpy as np

from optim.base import Iterate, Optimizer, gradient_mapping_norm
from optim.line_search import ProxBacktracking

__all__ = ["GradientDescent", "Nesterov"]


def _initial_step(problem, x, g):
    """1/L from the change of the gradient over a small step along -g (one gradient)."""
    gnorm = np.linalg.norm(g)
    if gnorm == 0:
        return 1.0
    h = 1e-6 * max(1.0, np.linalg.norm(x)) / gnorm
    _, g2 = problem.value_and_grad(x - h * g)
    curvature = np.linalg.norm(g2 - g) / (h * gnorm)
    return 1.0 / curvature if np.isfinite(curvature) and curvature > 0 else 1.0


def _check_lr(lr, name):
    if lr is not None and not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"{name} needs lr > 0 or None (line search), got {lr!r}.")


class GradientDescent(Optimizer):
    """x_{k+1} = prox(x_k - lr * grad f(x_k), lr): steepest descent (ISTA with a prox).

    Parameters
    ----------
    lr : float or None, default=None
        Fixed step size; None picks it by backtracking on the quadratic upper bound
        (``optim.line_search.ProxBacktracking``, Armijo with c1 = 1/2 for a gradient step),
        starting each search at twice the last accepted step so the step can grow again.
    line_search : object, optional
        A line search from :mod:`optim.line_search` replacing the default one (``Armijo``
        searches along -grad; it is refused with a prox).
    """

    default_max_iter = 10000

    def __init__(self, lr=None, line_search=None):
        self.lr = lr
        self.line_search = line_search

    # The rule: a step of -lr * grad.
    def init(self, x):
        return None

    def update(self, grad, state, hess=None):
        lr = 1.0 if self.lr is None else self.lr
        return -lr * grad, state

    def _start(self, problem, it):
        _check_lr(self.lr, type(self).__name__)
        return {"t": _initial_step(problem, it.x, it.g) if self.lr is None else self.lr}

    def _step(self, problem, it, state):
        if self.lr is not None:
            step, _ = self.update(it.g, None)
            x_new = problem.prox_step(it.x + step, self.lr)
            return self._iterate_at(problem, x_new, self.lr), state, True
        t0 = 2.0 * state["t"]
        search = self.line_search or ProxBacktracking()
        if isinstance(search, ProxBacktracking):
            result = search.search(problem, it.x, it.f, it.g, t0)
        elif problem.prox is None:
            result = search.search(problem, it.x, it.f, it.g, -it.g, t0)
        else:
            raise ValueError("With a prox, gradient descent backtracks with ProxBacktracking.")
        if not result.ok:
            return it, state, False
        state["t"] = result.t
        return self._iterate_at(problem, result.x, result.t), state, True


class Nesterov(Optimizer):
    """Nesterov's accelerated gradient (FISTA with a prox).

    y_k = x_k + beta_k (x_k - x_{k-1}),  x_{k+1} = prox(y_k - t grad f(y_k), t),
    with beta_k = (theta_k - 1) / theta_{k+1}, theta_{k+1} = (1 + sqrt(1 + 4 theta_k^2)) / 2,
    or a constant ``momentum`` (the strongly convex choice (1 - sqrt(mu/L)) / (1 + sqrt(mu/L))).
    The stationarity measure is the gradient mapping at y_k, ||x_{k+1} - y_k|| / t.

    Parameters
    ----------
    lr : float or None, default=None
        Fixed step t; None backtracks on the quadratic upper bound (t never increases, as the
        O(1/k^2) guarantee requires).
    momentum : float or None, default=None
        Constant momentum in [0, 1); None uses the theta sequence above.
    restart : bool, default=False
        Adaptive restart (O'Donoghue and Candes, 2015): reset the momentum whenever the
        objective rises.
    """

    default_max_iter = 10000

    def __init__(self, lr=None, momentum=None, restart=False):
        self.lr = lr
        self.momentum = momentum
        self.restart = restart

    def _beta(self, theta):
        if self.momentum is not None:
            return self.momentum, theta
        theta_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * theta * theta))
        return (theta - 1.0) / theta_next, theta_next

    # The rule, in the sequence y_k where gradients are taken: with d_k = x_k - x_{k-1},
    # d_{k+1} = beta_{k-1} d_k - lr g and y_{k+1} - y_k = -lr g + beta_k d_{k+1}.
    def init(self, x):
        return {"d": np.zeros_like(x), "beta": 0.0, "theta": 1.0}

    def update(self, grad, state, hess=None):
        lr = 1.0 if self.lr is None else self.lr
        d = state["beta"] * state["d"] - lr * grad
        beta, theta = self._beta(state["theta"])
        return -lr * grad + beta * d, {"d": d, "beta": beta, "theta": theta}

    def _start(self, problem, it):
        _check_lr(self.lr, type(self).__name__)
        if self.momentum is not None and not 0 <= self.momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}.")
        t = _initial_step(problem, it.x, it.g) if self.lr is None else self.lr
        # y starts at x0, where value and gradient are already known.
        return {"t": t, "theta": 1.0, "y": it}

    def _step(self, problem, it, state):
        y = state["y"]
        if self.lr is None:
            result = ProxBacktracking().search(problem, y.x, y.f, y.g, state["t"])
            if not result.ok:
                return it, state, False
            t, x_new, f_new = result.t, result.x, result.f
        else:
            t = self.lr
            x_new = problem.prox_step(y.x - t * y.g, t)
            f_new = problem.fun(x_new)
        F_new = f_new + problem.g(x_new)
        # Stationarity at y, where the gradient was taken (computed from the gradient itself,
        # not from x_new - y, which underflows when t is tiny).
        gnorm = gradient_mapping_norm(problem, y.x, y.g, t)
        new = Iterate(x_new, f_new, None, F_new, gnorm, t)
        beta, theta = self._beta(state["theta"])
        if self.restart and F_new > it.F:
            beta, theta = 0.0, 1.0
        y_next = x_new + beta * (x_new - it.x)
        y_it = self._iterate_at(problem, y_next, t)
        if beta == 0.0:
            new.g = y_it.g
            new.gnorm = gradient_mapping_norm(problem, x_new, y_it.g, t)
        return new, {"t": t, "theta": theta, "y": y_it}, True
