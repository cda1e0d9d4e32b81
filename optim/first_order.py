"""Gradient descent, heavy-ball momentum and Nesterov's accelerated gradient.

Each class exposes its update rule as ``init(x)`` and ``update(grad, state) -> (step, state)``:
a small function of the gradient and the method's state, which the generic loop calls and
which code outside the loop (gradient boosting, stepping in the space of predictions) reuses.
"""

import numpy as np

from optim.base import Iterate, Optimizer, StepFailed
from optim.line_search import ProxBacktracking
from optim.result import Status
from optim.schedules import check_lr, lr_at
from optim.stochastic import batch_gradient

__all__ = ["GradientDescent", "Momentum", "Nesterov"]

LINE_SEARCH_FAILED = "the line search found no step that decreases the objective"


def _initial_step(problem, x, g):
    """1/L from the change of the gradient over a small step along -g (one gradient)."""
    gnorm = np.linalg.norm(g)
    if gnorm == 0:
        return 1.0
    h = 1e-6 * max(1.0, np.linalg.norm(x)) / gnorm
    _, g2 = problem.value_and_grad(x - h * g)
    curvature = np.linalg.norm(g2 - g) / (h * gnorm)
    return 1.0 / curvature if np.isfinite(curvature) and curvature > 0 else 1.0


class GradientDescent(Optimizer):
    """x_{k+1} = prox(x_k - lr * grad f(x_k), lr): steepest descent (ISTA with a prox).

    Parameters
    ----------
    lr : float, schedule or None, default=None
        Fixed step size, or a schedule ``lr(k)`` from :mod:`optim.schedules`; None picks it
        by backtracking on the quadratic upper bound (``optim.line_search.ProxBacktracking``,
        Armijo with c1 = 1/2 for a gradient step), starting each search at twice the last
        accepted step so the step can grow again. With a fixed or scheduled lr it runs on
        minibatches (SGD).
    line_search : object, optional
        A line search from :mod:`optim.line_search` replacing the default one (``Armijo``
        searches along -grad; it is refused with a prox).
    """

    default_max_iter = 10000

    def __init__(self, lr=None, line_search=None):
        self.lr = lr
        self.line_search = line_search

    @property
    def stochastic(self):
        return self.lr is not None

    # The rule: a step of -lr_k * grad (lr_k = 1 when lr is None). The state counts updates
    # for a schedule and records the step size used ("lr", and "eta" for the prox).
    def init(self, x):
        return {"k": 0, "lr": np.nan, "eta": np.nan}

    def update(self, grad, state, hess=None):
        k = 0 if state is None else state["k"]
        lr = 1.0 if self.lr is None else lr_at(self.lr, k)
        return -lr * grad, {"k": k + 1, "lr": lr, "eta": lr}

    def _check_params(self):
        check_lr(self.lr, type(self).__name__, allow_none=True)

    def _start(self, problem, it):
        self._check_params()
        if self.lr is not None:
            return self.init(it.x)
        return {"t": _initial_step(problem, it.x, it.g)}

    def _step(self, problem, it, state):
        if self.lr is not None:
            return self._rule_step(problem, it, state)
        t0 = 2.0 * state["t"]
        search = self.line_search or ProxBacktracking()
        if isinstance(search, ProxBacktracking):
            result = search.search(problem, it.x, it.f, it.g, t0)
        elif problem.prox is None:
            result = search.search(problem, it.x, it.f, it.g, -it.g, t0)
        else:
            raise ValueError("With a prox, gradient descent backtracks with ProxBacktracking.")
        if not result.ok:
            raise StepFailed(Status.LINE_SEARCH, LINE_SEARCH_FAILED)
        state["t"] = result.t
        return self._iterate_at(problem, result.x, result.t), state


class Nesterov(Optimizer):
    """Nesterov's accelerated gradient (FISTA with a prox).

    x_{k+1} = prox(y_k - t grad f(y_k), t),  y_{k+1} = x_{k+1} + beta_k (x_{k+1} - x_k),
    with beta_k = (theta_k - 1) / theta_{k+1}, theta_{k+1} = (1 + sqrt(1 + 4 theta_k^2)) / 2,
    or a constant ``momentum`` (the strongly convex choice (1 - sqrt(mu/L)) / (1 + sqrt(mu/L))).
    The gradient is taken at y_k; the stopping measure is confirmed at x_{k+1}.

    Parameters
    ----------
    lr : float, schedule or None, default=None
        Fixed step t, or a schedule ``lr(k)`` from :mod:`optim.schedules`; None backtracks on
        the quadratic upper bound (t never increases, as the O(1/k^2) guarantee requires).
        With a fixed or scheduled lr it runs on minibatches.
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

    @property
    def stochastic(self):
        return self.lr is not None

    def _extrapolate(self, x, x_prev, theta, restart=False):
        """y = x + beta (x - x_prev) and the next theta: the one momentum recurrence, used by
        the full-batch step, the minibatch step and the update rule."""
        if restart:
            return x, 1.0
        if self.momentum is not None:
            return x + self.momentum * (x - x_prev), theta
        theta_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * theta * theta))
        return x + ((theta - 1.0) / theta_next) * (x - x_prev), theta_next

    # The rule, in coordinates centred at the current y (where the gradient is taken): the
    # state keeps e = x_k - y and theta; the step is y_{k+1} - y.
    def init(self, x):
        return {"e": np.zeros_like(x), "theta": 1.0, "k": 0, "lr": np.nan, "eta": np.nan}

    def update(self, grad, state, hess=None):
        state = self.init(grad) if state is None else state
        k = state["k"]
        lr = 1.0 if self.lr is None else lr_at(self.lr, k)
        x = -lr * grad
        y_next, theta = self._extrapolate(x, state["e"], state["theta"])
        return y_next, {"e": x - y_next, "theta": theta, "k": k + 1, "lr": lr, "eta": lr}

    def _check_params(self):
        check_lr(self.lr, type(self).__name__, allow_none=True)
        if self.momentum is not None and not 0 <= self.momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum!r}.")

    def _start(self, problem, it):
        self._check_params()
        t = _initial_step(problem, it.x, it.g) if self.lr is None else lr_at(self.lr, 0)
        # y starts at x0, where value and gradient are already known.
        return {"t": t, "lr": t, "theta": 1.0, "y": it, "k": 0}

    def _step(self, problem, it, state):
        y = state["y"]
        if self.lr is None:
            result = ProxBacktracking().search(problem, y.x, y.f, y.g, state["t"])
            if not result.ok:
                raise StepFailed(Status.LINE_SEARCH, LINE_SEARCH_FAILED)
            t, x_new, f_new = result.t, result.x, result.f
        else:
            t = lr_at(self.lr, state["k"])
            x_new = problem.prox_step(y.x - t * y.g, t)
            f_new = problem.fun(x_new)
        F_new = f_new + problem.g(x_new)
        # Provisional: the measure at y, where the gradient is known; confirmed at x_new.
        new = Iterate(x_new, f_new, None, F_new, y.gnorm, t)
        restart = self.restart and F_new > it.F
        y_next, theta = self._extrapolate(x_new, it.x, state["theta"], restart)
        y_it = self._iterate_at(problem, y_next, t)
        if np.array_equal(y_next, x_new):
            new = y_it
        return new, {"t": t, "lr": t, "theta": theta, "y": y_it, "k": state["k"] + 1}

    def _batch_step(self, problem, x, state, batch):
        y, t = state["y"].x, lr_at(self.lr, state["k"])
        x_new = problem.prox_step(y - t * batch_gradient(problem, y, batch), t)
        y_next, theta = self._extrapolate(x_new, x, state["theta"])
        y_it = Iterate(y_next, np.nan, None, np.nan, np.nan)
        return x_new, {"t": t, "lr": t, "theta": theta, "y": y_it, "k": state["k"] + 1}

    def _epoch(self, problem, it, state, batches):
        new, state = super()._epoch(problem, it, state, batches)
        if np.array_equal(state["y"].x, new.x):
            state["y"] = new
        return new, state


class Momentum(Optimizer):
    """Polyak's heavy ball: v_{k+1} = momentum * v_k - lr_k * grad f(x_k), x_{k+1} = x_k + v_{k+1}.

    With a prox: x_{k+1} = prox(x_k + v_{k+1}, lr_k) and the velocity becomes the actual
    displacement x_{k+1} - x_k (the iPiano method of Ochs et al., 2014).

    Parameters
    ----------
    lr : float or schedule, default=0.01
        Step size (PyTorch's SGD-with-momentum default), or a schedule ``lr(k)``. On a
        quadratic with Hessian eigenvalues in [mu, L] the iteration is stable for
        lr < 2 (1 + momentum) / L; lr = 1/L is a safe choice.
    momentum : float, default=0.9
        Weight of the previous velocity, in [0, 1).

    Notes
    -----
    Gradient descent's stopping rule applies (gradient norm, or the gradient mapping norm with
    step lr_k for composite problems). It runs on minibatches as SGD with momentum.
    """

    default_max_iter = 10000
    stochastic = True

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum

    def init(self, x):
        return {"v": np.zeros_like(x), "k": 0, "lr": np.nan, "eta": np.nan}

    def update(self, grad, state, hess=None):
        state = self.init(grad) if state is None else state
        lr = lr_at(self.lr, state["k"])
        v = self.momentum * state["v"] - lr * grad
        return v, {"v": v, "k": state["k"] + 1, "lr": lr, "eta": lr}

    def _check_params(self):
        check_lr(self.lr, "Momentum")
        if not (isinstance(self.momentum, (int, float)) and 0 <= self.momentum < 1):
            raise ValueError(f"Momentum needs momentum in [0, 1), got {self.momentum!r}.")

    def _advance(self, problem, x, g, state):
        x_new, state = super()._advance(problem, x, g, state)
        if problem.prox is not None:
            state["v"] = x_new - x
        return x_new, state

    def _start(self, problem, it):
        self._check_params()
        return self.init(it.x)

    def _step(self, problem, it, state):
        return self._rule_step(problem, it, state)
