"""Minibatch runs: ``minimize(f, x0, data=(X, y), batch_size=b, random_state=seed)``.

The objective takes data, ``f(x, X_batch, y_batch)``, and should be an average over samples
(so that a batch gives an unbiased estimate of the full objective and its gradient). Each epoch
shuffles the samples with a numpy Generator seeded by ``random_state`` and makes one update
per batch of ``b`` consecutive shuffled samples (the last batch may be smaller). ``max_iter``
counts epochs; after each epoch the full objective and full gradient are evaluated once, for
the trace (entry 0 = the start, then one entry per epoch), the stopping rules (``tol`` on the
full gradient norm, ``ftol``), the callback and the progress bar. The same ``random_state``
gives the same result, bit for bit.

Only the stochastic-capable optimizers run here: GradientDescent and Nesterov with a fixed or
scheduled ``lr`` (a line search needs exact function values), Momentum, AdaGrad, RMSProp and
Adam. A schedule's k counts minibatch steps.
"""

import numbers
import warnings

import numpy as np

from optim.base import _progress, gradient_mapping_norm
from optim.problem import NonFiniteObjective
from optim.result import ConvergenceWarning, OptimizeResult, TraceRecorder

__all__ = ["batch_gradient", "minimize_minibatch"]


def batch_gradient(problem, x, batch):
    """The gradient of f at x on one batch; raises NonFiniteObjective if it is not finite."""
    f_b, g_b = problem.value_and_grad(x, data=batch)
    if not np.isfinite(f_b) or not np.all(np.isfinite(g_b)):
        raise NonFiniteObjective(f"the objective on a minibatch became {f_b}")
    return g_b


def _check_data(data, batch_size):
    if not data:
        raise ValueError("Minibatches need data: pass data=(X, y) along with batch_size.")
    arrays = tuple(np.asarray(a) for a in data)
    n = {a.shape[0] if a.ndim else -1 for a in arrays}
    if len(n) != 1 or -1 in n:
        shapes = [a.shape for a in arrays]
        raise ValueError(
            f"Every array in data must have the same number of samples (first axis), got "
            f"shapes {shapes}."
        )
    if not (
        isinstance(batch_size, numbers.Integral)
        and not isinstance(batch_size, bool)
        and batch_size >= 1
    ):
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}.")
    return arrays, n.pop()


def minimize_minibatch(
    optimizer, problem, x, max_iter, tol, ftol, callback, verbose, batch_size, random_state
):
    """The minibatch counterpart of ``Optimizer.minimize`` (same result and trace keys)."""
    name = type(optimizer).__name__
    if not optimizer.stochastic:
        reason = (
            " without a fixed or scheduled lr (a line search needs exact function values)"
            if getattr(optimizer, "lr", 0) is None
            else ""
        )
        raise NotImplementedError(
            f"{name} does not run on minibatches{reason}; use a stochastic-capable "
            "optimizer (GradientDescent or Nesterov with a fixed or scheduled lr, Momentum, "
            "AdaGrad, RMSProp, Adam)."
        )
    data, n = _check_data(problem.data, batch_size)
    problem.data = data
    rng = np.random.default_rng(random_state)

    def full(x):
        f, g = problem.value_and_grad(x)
        return f + problem.g(x), g

    F, g = full(x)
    if not np.isfinite(F) or not np.all(np.isfinite(g)):
        raise ValueError(
            f"The objective or its gradient is not finite at x0 (F(x0) = {F}); start from a "
            "point where the objective is defined."
        )
    state = optimizer._minibatch_init(x)
    gnorm = gradient_mapping_norm(problem, x, g, 1.0)
    trace = TraceRecorder()
    trace.record(fun=F, grad_norm=gnorm, step_size=np.nan)
    bar = _progress(verbose, max_iter, name)
    converged, message, n_iter = False, None, 0
    if gnorm <= tol:
        converged, message = True, "The starting point already meets the tolerance."
    while message is None and n_iter < max_iter:
        x_good, F_prev = x, F
        order = rng.permutation(n)
        shuffled = tuple(a[order] for a in data)
        try:
            for start in range(0, n, batch_size):
                batch = tuple(a[start : start + batch_size] for a in shuffled)
                x, state = optimizer._minibatch_step(problem, x, state, batch)
            F, g = full(x)
            if not np.isfinite(F) or not np.all(np.isfinite(g)):
                raise NonFiniteObjective(f"the full objective or its gradient became {F}")
        except NonFiniteObjective as err:
            x, F = x_good, F_prev
            message = (
                f"Stopped in epoch {n_iter + 1}: {err}; returning the point at the end of the "
                "last epoch with a finite objective."
            )
            break
        n_iter += 1
        lr = float(np.mean(state["lr"]))
        gnorm = gradient_mapping_norm(problem, x, g, lr if problem.prox is not None else 1.0)
        trace.record(fun=F, grad_norm=gnorm, step_size=lr)
        if bar is not None:
            bar.update(1)
            bar.set_postfix(f=f"{F:.6g}", gnorm=f"{gnorm:.2e}", refresh=False)
        if gnorm <= tol:
            converged, message = True, "Full gradient norm below tol."
        elif ftol > 0 and 0 <= F_prev - F <= ftol * max(abs(F_prev), abs(F), 1.0):
            converged, message = True, "Relative objective decrease over an epoch below ftol."
        if callback is not None:
            snapshot = OptimizeResult(x=x.copy(), fun=F, n_iter=n_iter, grad_norm=gnorm)
            if callback(snapshot) is True and message is None:
                converged, message = True, "Stopped by the callback's criterion."
    if bar is not None:
        bar.close()
    if message is None:
        message = f"Maximum number of epochs ({max_iter}) reached."
    if not converged:
        warnings.warn(f"{name} did not converge: {message}", ConvergenceWarning, stacklevel=3)
    return OptimizeResult(
        x=x,
        fun=F,
        n_iter=n_iter,
        n_fev=problem.n_fev,
        n_gev=problem.n_gev,
        n_hev=problem.n_hev,
        converged=converged,
        message=message,
        trace=trace.as_dict(),
    )
