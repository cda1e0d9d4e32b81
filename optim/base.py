"""The generic loop that every optimizer shares: one ``minimize`` signature, one set of
stopping rules, one trace, for full-batch and minibatch runs alike.

An optimizer supplies ``_start`` (its state at x0) and ``_step`` (one iteration), built from
its update rule and, where it has one, a line search from :mod:`optim.line_search`; methods
that run on minibatches also supply ``_batch_step`` (one update from a batch gradient). The
loop owns everything else: validation, counting, stopping, the trace, warnings, progress.

Stopping (one measure for every method). The run converges when the stationarity measure

    ||x - prox_g(x - grad f(x), 1)||_inf    (= ||grad f(x)||_inf without a prox)

is at most ``tol`` at the returned point: the largest component of the gradient, or of the
prox-gradient mapping with unit step for composite problems (for a box, scipy's projected
gradient). It is zero exactly at the minimizers of convex problems, and its units are those of
the gradient, so ``tol`` is scale-free once the problem is (the parametric models hand the
optimizer standardized coordinates and an objective of order 1). ``converged`` is True only
when that measure is met, or a criterion the caller asked for (``ftol``, a callback returning
True). Every other ending is a failure with a :class:`optim.result.Status`, a message that
names the remedy, and a :class:`ConvergenceWarning`: ``max_iter``; a line search that finds no
decrease; NaN or inf; divergence (the objective grows 1e8-fold past its start); a stall (the
step no longer moves x). A run that fails returns the best point it found (the last one for the
methods that decrease the objective at every step).

Composite problems (``prox`` given): every first-order method applies the prox after its step,
with its own (possibly per-coordinate) step size, which makes gradient descent ISTA and
Nesterov FISTA; the second-order methods (LBFGS, Newton) refuse a prox with a clear error.
Concretely, a method whose update rule gives the step s_k and the effective step size eta_k
(a number, or a vector for the adaptive methods AdaGrad, RMSProp, Adam, whose step is
-eta_k * (their gradient estimate)) moves to x_{k+1} = prox_{eta_k g}(x_k + s_k), the prox of
g in the diagonal metric diag(1/eta_k): exact, because every ``optim.prox`` operator is
separable. Heavy-ball momentum then carries the actual displacement x_{k+1} - x_k (iPiano,
Ochs et al. 2014).

Minibatch runs (``data`` and ``batch_size`` given): one iteration of the loop is an epoch of
:mod:`optim.stochastic`'s shuffled batches; the measure and the trace use the full objective.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from optim._params import Hyperparameters, on_instances
from optim.bounds import as_box, with_box
from optim.problem import NonFiniteObjective, Problem
from optim.result import REMEDY, ConvergenceWarning, OptimizeResult, Status, TraceRecorder
from optim.stochastic import Minibatches, batch_gradient, refuse

__all__ = ["Iterate", "Optimizer", "StepFailed", "stationarity"]

# The objective counts as diverging once it exceeds its start by this many times max(1, |F0|).
DIVERGENCE = 1e8


@dataclass
class Iterate:
    """The current point: x, smooth value f, gradient g, the full objective F = f + g(x), the
    stationarity measure ``gnorm`` and the last step size ``t``. A method that does not take
    the gradient at x (Nesterov takes it at the extrapolated point) leaves ``g`` None; its
    ``gnorm`` is then provisional and the loop confirms it at x before stopping."""

    x: np.ndarray
    f: float
    g: np.ndarray
    F: float
    gnorm: float
    t: float = np.nan


class StepFailed(Exception):
    """Raised by ``_step`` when it cannot make progress: ``status`` says how, ``detail`` why."""

    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = Status(status), detail


def stationarity(problem, x, g):
    """||x - prox(x - g, 1)||_inf: the largest component of the gradient (of the prox-gradient
    mapping with unit step for composite problems), zero exactly at stationary points."""
    if problem.prox is None:
        return float(np.max(np.abs(g)))
    return float(np.max(np.abs(x - problem.prox_step(x - g, 1.0))))


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


class Optimizer(Hyperparameters):
    """Base class. Subclasses store hyperparameters in ``__init__`` and implement the rule.

    ``minimize(f, x0, prox=None, max_iter=None, tol=None, ftol=0.0, callback=None,
    verbose=False, data=None, batch_size=None, random_state=None, bounds=None, args=())`` is
    the one way to run every optimizer.
    """

    default_max_iter = 1000
    default_tol = 1e-8
    accepts_prox = True  # False: a prox is refused with a clear error

    @property
    def accepts_bounds(self):
        """Whether ``bounds`` are handled: by the methods that take a prox (the box is one),
        and by those that say so (LBFGS, projected); the others refuse them clearly."""
        return self.accepts_prox

    stochastic = False  # True: runs on minibatches (``batch_size``)

    # --- what subclasses implement -------------------------------------------------------
    def _start(self, problem, it):
        """State carried between iterations (None when the method has none)."""
        return None

    def _step(self, problem, it, state):
        """One iteration from ``it``; returns ``(new_iterate, state)`` or raises StepFailed."""
        raise NotImplementedError

    def _batch_step(self, problem, x, state, batch):
        """One minibatch update from x; returns ``(x, state)`` (stochastic methods)."""
        raise refuse(self)

    def _certify(self, problem, it, state):
        """Whether the loop may stop at ``it``, which meets the gradient test (a second-order
        method refuses a saddle here and prepares a step out of it in ``state``)."""
        return True

    # --- the shared loop -----------------------------------------------------------------
    @on_instances
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
        bounds=None,
        args=(),
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
            Stop once the stationarity measure ||x - prox(x - grad f(x), 1)||_inf (the
            largest gradient component without a prox) is at most ``tol`` (default 1e-8).
        ftol : float, default=0.0
            Also stop when the relative decrease (F_prev - F) / max(|F_prev|, |F|, 1) is at
            most ``ftol`` (0 disables the rule).
        callback : callable, optional
            Called after each iteration with an :class:`OptimizeResult` snapshot (``x``,
            ``fun``, ``n_iter``, ``grad_norm``); returning True stops the run as converged
            (a caller's own optimality certificate, e.g. a duality gap).
        verbose : bool, default=False
            Show a progress bar with the objective and the stationarity measure.
        data : tuple of arrays, optional
            Passed to ``f`` after ``x``; sliced into minibatches when ``batch_size`` is given.
            Dask arrays (same row chunks): ``f`` is evaluated on each row block where it
            lives and combined as sum_b (n_b / n) f(x, *block_b), exact for an objective
            that is a mean over samples plus data-free terms (:mod:`optim.blocks`).
        batch_size : int, optional
            Run on minibatches of ``data`` (rows shuffled each epoch; ``max_iter`` then counts
            epochs and the trace has one entry per epoch, with the full objective): see
            :mod:`optim.stochastic`. Only optimizers with ``stochastic`` True (GradientDescent
            and Nesterov with a fixed or scheduled lr, Momentum, AdaGrad, RMSProp, Adam)
            accept it; the others raise NotImplementedError.
        random_state : int, numpy Generator or None
            Seed of the shuffling; the same seed gives the same result.
        bounds : sequence of (lower, upper) pairs, or an object with ``lb``, ``ub``, optional
            lower_i <= x_i <= upper_i, ``None`` for an open side (scipy's convention; scipy's
            ``Bounds`` works too): see :mod:`optim.bounds`. LBFGS runs projected L-BFGS (as
            L-BFGS-B); the first-order methods project after each step (with a prox g, the
            prox of g + the box); Newton refuses them. x0 is clipped into the box.
        args : tuple, default=()
            Extra arguments passed to ``f`` after ``x`` and ``data``, never sliced:
            ``f(x, *data, *args)``, which is scipy's ``f(x, *args)`` when ``data`` is None.

        Returns
        -------
        OptimizeResult
        """
        x = _check_x0(x0)
        box = as_box(bounds, x.size)
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
        problem = Problem(f, prox=prox, data=data, args=args)
        if box is not None:
            if not self.accepts_bounds:
                raise ValueError(
                    f"{type(self).__name__} does not handle bounds: use optim.LBFGS (projected "
                    "L-BFGS, as scipy's L-BFGS-B) or a first-order method (the box as a prox)."
                )
            x = np.clip(x, *box)
            problem.prox, problem.bounds = with_box(prox, box), box
        problem.check_prox(x)
        if batch_size is None:
            advance = self._step
        else:
            if not self.stochastic:
                raise refuse(self)
            if problem.blocks is not None:
                raise ValueError(
                    "Minibatches of dask arrays are not supported: without batch_size, every "
                    "evaluation is one pass over the blocks (the full objective, exactly); or "
                    "compute a sample that fits in memory for a minibatch run."
                )
            batches = Minibatches(problem.data, batch_size, random_state)
            problem.data = batches.arrays

            def advance(problem, it, state):
                return self._epoch(problem, it, state, batches)

        it = self._first_iterate(problem, x)
        state = self._start(problem, it)
        return self._run(problem, it, state, advance, max_iter, tol, ftol, callback, verbose)

    def _first_iterate(self, problem, x):
        f0, g0 = problem.value_and_grad(x)
        if not np.isfinite(f0) or not np.all(np.isfinite(g0)):
            raise ValueError(
                f"The objective or its gradient is not finite at x0 (f(x0) = {f0}); start "
                "from a point where the objective is defined."
            )
        return Iterate(x, f0, g0, f0 + problem.g(x), stationarity(problem, x, g0))

    def _run(self, problem, it, state, advance, max_iter, tol, ftol, callback, verbose):
        name = type(self).__name__
        trace = TraceRecorder()
        trace.record(fun=it.F, grad_norm=it.gnorm, step_size=np.nan)
        bar = _progress(verbose, max_iter, name)
        start, best = it, it
        status, message, n_iter = None, None, 0
        if it.gnorm <= tol and self._certify(problem, it, state):
            status, message = Status.CONVERGED, "The starting point already meets tol."
        while status is None and n_iter < max_iter:
            previous = it
            try:
                it, state = advance(problem, it, state)
                if it.g is None and it.gnorm <= tol:
                    it = self._confirm(problem, it)
            except StepFailed as failure:
                status, message = failure.status, failure.detail
                break
            except NonFiniteObjective as err:
                status, message = Status.NON_FINITE, f"{err} at iteration {n_iter + 1}"
                break
            n_iter += 1
            if not np.isfinite(it.F) or not np.all(np.isfinite(it.x)):
                status, message = Status.NON_FINITE, f"the objective became {it.F}"
                break
            trace.record(fun=it.F, grad_norm=it.gnorm, step_size=it.t)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(f=f"{it.F:.6g}", gnorm=f"{it.gnorm:.2e}", refresh=False)
            if it.F < best.F:
                best = it
            if it.gnorm <= tol and self._certify(problem, it, state):
                status = Status.CONVERGED
                measure = "Gradient" if problem.prox is None else "Prox-gradient mapping"
                message = f"{measure} norm below tol."
            elif it.F - start.F > DIVERGENCE * max(1.0, abs(start.F)):
                status = Status.DIVERGED
                message = f"the objective grew from {start.F:.6g} to {it.F:.6g}: it diverged"
            elif ftol > 0 and 0 <= previous.F - it.F <= ftol * max(abs(previous.F), abs(it.F), 1):
                status, message = Status.CONVERGED, "Relative objective decrease below ftol."
            elif np.array_equal(it.x, previous.x):
                status, message = Status.STALLED, "the step no longer changes x"
            if callback is not None:
                snapshot = OptimizeResult(
                    x=it.x.copy(), fun=it.F, n_iter=n_iter, grad_norm=it.gnorm
                )
                if callback(snapshot) is True and status is None:
                    status, message = Status.CONVERGED, "Stopped by the callback's criterion."
        if bar is not None:
            bar.close()
        if status is None:
            status, message = Status.MAX_ITER, f"maximum number of iterations ({max_iter}) reached"
        converged = status == Status.CONVERGED
        final = it if converged or best is it else best
        if final is not it:
            message += f"; returning the best point found (objective {best.F:.6g})"
        if final.g is None:  # a provisional measure (Nesterov's, at y): the exact one at x
            final = self._confirm(problem, final)
        if not converged:
            message = (
                f"{message[0].upper()}{message[1:]}, with stationarity {final.gnorm:.3g} > tol "
                f"{tol:.3g}. To fix: {REMEDY[status]}."
            )
            warnings.warn(f"{name} did not converge: {message}", ConvergenceWarning, stacklevel=3)
        return OptimizeResult(
            x=final.x,
            fun=final.F,
            n_iter=n_iter,
            n_fev=problem.n_fev,
            n_gev=problem.n_gev,
            n_hev=problem.n_hev,
            converged=converged,
            status=status,
            message=message,
            stationarity=final.gnorm,
            jac=final.g,
            trace=trace.as_dict(),
        )

    def _epoch(self, problem, it, state, batches):
        """One pass over shuffled minibatches, then the full objective at the end (the
        iteration of a minibatch run)."""
        x = it.x
        for batch in batches.epoch():
            x, state = self._batch_step(problem, x, state, batch)
        return self._iterate_at(problem, x, float(np.mean(state["lr"]))), state

    # --- update-rule methods (Momentum, the adaptive methods, fixed-step GD) ---------------
    def _check_params(self):
        """Validate the hyperparameters (called at the start of every run)."""

    def _advance(self, problem, x, g, state):
        """x_{k+1} = prox(x_k + s_k, eta_k) with (s_k, state) from ``update``: the prox rule."""
        step, state = self.update(g, state)
        return problem.prox_step(x + step, state["eta"]), state

    def _rule_step(self, problem, it, state):
        """A full-batch ``_step`` made of the update rule."""
        x_new, state = self._advance(problem, it.x, it.g, state)
        return self._iterate_at(problem, x_new, state["lr"]), state

    def _batch_step(self, problem, x, state, batch):
        return self._advance(problem, x, batch_gradient(problem, x, batch), state)

    # --- helpers shared by subclasses ----------------------------------------------------
    @staticmethod
    def _iterate_at(problem, x, t, f=None):
        """Evaluate value and gradient at x and build the iterate."""
        f_new, g_new = problem.value_and_grad(x)
        if not np.isfinite(f_new) or not np.all(np.isfinite(g_new)):
            raise NonFiniteObjective(f"the objective or its gradient became {f_new}")
        return Iterate(x, f_new, g_new, f_new + problem.g(x), stationarity(problem, x, g_new), t)

    def _confirm(self, problem, it):
        """The iterate with its gradient and exact stationarity at x."""
        return self._iterate_at(problem, it.x, it.t)


def _progress(verbose, total, name):
    if not verbose:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=name, leave=True)
