"""The generic loop that every optimizer shares: one ``minimize`` signature, one set of
stopping rules, one trace.

An optimizer supplies ``_start`` (its state at x0) and ``_step`` (one iteration), built from
its update rule and, where it has one, a line search from :mod:`optim.line_search`. The loop
owns everything else: validation, counting, stopping, the trace, warnings, progress.

Composite problems (``prox`` given): every first-order method applies the prox after its step,
with its own (possibly per-coordinate) step size, which makes gradient descent ISTA and
Nesterov FISTA; the second-order methods (LBFGS, Newton) refuse a prox with a clear error.
Concretely, a method whose update rule gives the step s_k and the effective step size eta_k
(a number, or a vector for the adaptive methods AdaGrad, RMSProp, Adam, whose step is
-eta_k * (their gradient estimate)) moves to x_{k+1} = prox_{eta_k g}(x_k + s_k), the prox of
g in the diagonal metric diag(1/eta_k): exact, because every ``optim.prox`` operator is
separable. Heavy-ball momentum then carries the actual displacement x_{k+1} - x_k (iPiano,
Ochs et al. 2014).

Minibatch runs (``data`` and ``batch_size`` given) are in :mod:`optim.stochastic`.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from optim.problem import NonFiniteObjective, Problem
from optim.result import ConvergenceWarning, OptimizeResult, TraceRecorder

__all__ = ["Iterate", "Optimizer"]


@dataclass
class Iterate:
    """The current point: x, smooth value f, gradient g (None if not computed), the full
    objective F = f + g(x), the stationarity measure ``gnorm`` and the last step size ``t``."""

    x: np.ndarray
    f: float
    g: np.ndarray
    F: float
    gnorm: float
    t: float = np.nan


def _check_x0(x0):
    x = np.array(x0, dtype=np.float64, copy=True)
    if x.ndim != 1:
        raise ValueError(
            f"x0 must be a flat 1-D vector, got shape {x.shape}; flatten structured "
            "parameters (autograd.misc.flatten does it)."
        )
    if x.size == 0:
        raise ValueError("x0 is empty: there is nothing to optimize.")
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 contains NaN or inf: start from a finite point.")
    return x


def gradient_mapping_norm(problem, x, g, t):
    """||x - prox(x - t g, t)|| / t: the gradient norm of a composite problem (||g|| without
    a prox), zero exactly at the minimizers."""
    if problem.prox is None:
        return float(np.linalg.norm(g))
    return float(np.linalg.norm(x - problem.prox_step(x - t * g, t)) / t)


class Optimizer:
    """Base class. Subclasses store hyperparameters in ``__init__`` and implement the rule.

    ``minimize(f, x0, prox=None, max_iter=None, tol=None, ftol=None, callback=None,
    verbose=False, data=None, batch_size=None, random_state=None)`` is the one way to run
    every optimizer.
    """

    default_max_iter = 1000
    default_tol = 1e-6
    accepts_prox = True  # False: a prox is refused with a clear error
    stochastic = False  # True: runs on minibatches (``batch_size``)

    # --- what subclasses implement -------------------------------------------------------
    def _start(self, problem, it):
        """State carried between iterations (None when the method has none)."""
        return None

    def _step(self, problem, it, state):
        """One iteration from ``it``; returns ``(new_iterate, state, ok)``; ``ok=False`` means
        no decrease could be found (the line search failed)."""
        raise NotImplementedError

    # --- the shared loop -----------------------------------------------------------------
    def minimize(
        self,
        f,
        x0,
        prox=None,
        *,
        max_iter=None,
        tol=None,
        ftol=0.0,
        callback=None,
        verbose=False,
        data=None,
        batch_size=None,
        random_state=None,
    ):
        """Minimize f(x) (+ g(x) given by ``prox``) from ``x0``.

        Parameters
        ----------
        f : callable
            Smooth objective written with ``autograd.numpy``: ``f(x)``, or ``f(x, *data)``.
        x0 : array of shape (n,)
            Starting point (copied; never modified).
        prox : optim.prox.Prox, optional
            Non-smooth part g.
        max_iter : int, optional
            Iteration budget (the optimizer's default when None). Reaching it warns with
            :class:`ConvergenceWarning` and sets ``converged=False``.
        tol : float, optional
            Stop when the gradient norm (the prox-gradient mapping norm for composite
            problems) is at most ``tol``.
        ftol : float, default=0.0
            Also stop when the relative decrease (F_prev - F) / max(|F_prev|, |F|, 1) is at
            most ``ftol`` (0 disables the rule).
        callback : callable, optional
            Called after each iteration with an :class:`OptimizeResult` snapshot (``x``,
            ``fun``, ``n_iter``, ``grad_norm``); returning True stops the run as converged
            (a caller's own criterion, e.g. a duality gap).
        verbose : bool, default=False
            Show a progress bar with the objective and the gradient norm.
        data : tuple of arrays, optional
            Passed to ``f`` after ``x``.
        batch_size : int, optional
            Run on minibatches of ``data`` (rows shuffled each epoch; ``max_iter`` then counts
            epochs and the trace has one entry per epoch, with the full objective): see
            :mod:`optim.stochastic`. Only optimizers with ``stochastic`` True (GradientDescent
            and Nesterov with a fixed or scheduled lr, Momentum, AdaGrad, RMSProp, Adam)
            accept it; the others raise NotImplementedError.
        random_state : int, numpy Generator or None
            Seed of the shuffling; the same seed gives the same result.

        Returns
        -------
        OptimizeResult
        """
        x = _check_x0(x0)
        max_iter = self.default_max_iter if max_iter is None else int(max_iter)
        tol = self.default_tol if tol is None else float(tol)
        if max_iter < 0 or not tol >= 0:
            raise ValueError(f"Need max_iter >= 0 and tol >= 0, got {max_iter} and {tol}.")
        if prox is not None and not self.accepts_prox:
            raise ValueError(
                f"{type(self).__name__} does not handle a non-smooth term (prox): use "
                "optim.ProximalGradient or optim.FISTA, or a first-order method, which "
                "applies the prox after each step."
            )
        problem = Problem(f, prox=prox, data=data)
        problem.check_prox(x)
        if batch_size is not None:
            from optim.stochastic import minimize_minibatch

            return minimize_minibatch(
                self, problem, x, max_iter, tol, ftol, callback, verbose, batch_size, random_state
            )
        f0, g0 = problem.value_and_grad(x)
        if not np.isfinite(f0) or not np.all(np.isfinite(g0)):
            raise ValueError(
                f"The objective or its gradient is not finite at x0 (f(x0) = {f0}); start "
                "from a point where the objective is defined."
            )
        F0 = f0 + problem.g(x)
        it = Iterate(x, f0, g0, F0, gradient_mapping_norm(problem, x, g0, 1.0))
        state = self._start(problem, it)
        trace = TraceRecorder()
        trace.record(fun=it.F, grad_norm=it.gnorm, step_size=np.nan)
        bar = _progress(verbose, max_iter, type(self).__name__)

        converged, message, n_iter = False, None, 0
        if it.gnorm <= tol:
            converged, message = True, "The starting point already meets the tolerance."
        while message is None and n_iter < max_iter:
            try:
                new, state, ok = self._step(problem, it, state)
            except NonFiniteObjective as err:
                message = f"Stopped: {err}; returning the last point with a finite objective."
                break
            if not ok:
                converged = True
                message = (
                    "No further decrease possible: the line search could not improve the "
                    "objective (the limit of floating-point precision)."
                )
                break
            n_iter += 1
            if not np.isfinite(new.F) or not np.all(np.isfinite(new.x)):
                message = (
                    f"Stopped at iteration {n_iter}: the objective became {new.F}; returning "
                    "the last point with a finite objective."
                )
                break
            previous, it = it, new
            trace.record(fun=it.F, grad_norm=it.gnorm, step_size=it.t)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(f=f"{it.F:.6g}", gnorm=f"{it.gnorm:.2e}", refresh=False)
            if it.gnorm <= tol:
                converged = True
                message = (
                    "Gradient norm below tol."
                    if prox is None
                    else ("Prox-gradient mapping norm below tol.")
                )
            elif ftol > 0 and 0 <= previous.F - it.F <= ftol * max(abs(previous.F), abs(it.F), 1.0):
                converged, message = True, "Relative objective decrease below ftol."
            if callback is not None:
                snapshot = OptimizeResult(
                    x=it.x.copy(), fun=it.F, n_iter=n_iter, grad_norm=it.gnorm
                )
                if callback(snapshot) is True and message is None:
                    converged, message = True, "Stopped by the callback's criterion."
        if bar is not None:
            bar.close()
        if message is None:
            message = f"Maximum number of iterations ({max_iter}) reached."
        if not converged:
            warnings.warn(
                f"{type(self).__name__} did not converge: {message}",
                ConvergenceWarning,
                stacklevel=2,
            )
        return OptimizeResult(
            x=it.x,
            fun=it.F,
            n_iter=n_iter,
            n_fev=problem.n_fev,
            n_gev=problem.n_gev,
            n_hev=problem.n_hev,
            converged=converged,
            message=message,
            trace=trace.as_dict(),
        )

    # --- update-rule methods (Momentum, the adaptive methods, fixed-step GD) ---------------
    def _check_params(self):
        """Validate the hyperparameters (called at the start of every run)."""

    def _advance(self, problem, x, g, state):
        """x_{k+1} = prox(x_k + s_k, eta_k) with (s_k, state) from ``update``: the prox rule."""
        step, state = self.update(g, state)
        return problem.prox_step(x + step, state["eta"]), state

    def _rule_step(self, problem, it, state):
        """A full-batch ``_step`` made of the update rule (the stationarity measure uses the
        scalar learning rate ``state["lr"]``)."""
        x_new, state = self._advance(problem, it.x, it.g, state)
        return self._iterate_at(problem, x_new, state["lr"]), state, True

    def _minibatch_init(self, x):
        self._check_params()
        return self.init(x)

    def _minibatch_step(self, problem, x, state, batch):
        """One update from the gradient of f on ``batch``; returns (x, state)."""
        from optim.stochastic import batch_gradient

        return self._advance(problem, x, batch_gradient(problem, x, batch), state)

    # --- helpers shared by subclasses ----------------------------------------------------
    @staticmethod
    def _iterate_at(problem, x, t, f=None):
        """Evaluate value and gradient at x and build the iterate (gnorm with step t)."""
        f_new, g_new = problem.value_and_grad(x)
        if not np.isfinite(f_new) or not np.all(np.isfinite(g_new)):
            raise NonFiniteObjective(f"the objective or its gradient became {f_new}")
        gnorm = gradient_mapping_norm(problem, x, g_new, t if np.isfinite(t) else 1.0)
        return Iterate(x, f_new, g_new, f_new + problem.g(x), gnorm, t)

    def get_params(self, deep=True):
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def set_params(self, **params):
        for key, value in params.items():
            if key not in self.get_params():
                raise ValueError(f"Invalid parameter {key!r} for {type(self).__name__}.")
            setattr(self, key, value)
        return self

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and _params_equal(self.get_params(), other.get_params())

    __hash__ = object.__hash__


def _params_equal(a, b):
    if a.keys() != b.keys():
        return False
    for key in a:
        try:
            if not bool(np.all(a[key] == b[key])):
                return False
        except (TypeError, ValueError):
            return False
    return True


def _progress(verbose, total, name):
    if not verbose:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=name, leave=True)
