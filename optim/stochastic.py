"""Minibatches: the iteration source of ``minimize(f, x0, data=(X, y), batch_size=b)``.

The objective takes data, ``f(x, X_batch, y_batch)``, and should be an average over samples
(so that a batch gives an unbiased estimate of the full objective and its gradient). Each epoch
shuffles the samples with a numpy Generator seeded by ``random_state`` and makes one update
per batch of ``b`` consecutive shuffled samples (the last batch may be smaller). The loop of
:class:`optim.base.Optimizer` is the same as for full-batch runs: one of its iterations is an
epoch, after which the full objective and gradient are evaluated once, for the trace, the
stopping rules, the callback and the progress bar. The same ``random_state`` gives the same
result, bit for bit.

Only the stochastic-capable optimizers run here: GradientDescent and Nesterov with a fixed or
scheduled ``lr`` (a line search needs exact function values), Momentum, AdaGrad, RMSProp and
Adam. A schedule's k counts minibatch steps.
"""

import numbers

import numpy as np

from optim.problem import NonFiniteObjective

__all__ = ["Minibatches", "batch_gradient"]


def batch_gradient(problem, x, batch):
    """The gradient of f at x on one batch; raises NonFiniteObjective if it is not finite."""
    f_b, g_b = problem.value_and_grad(x, data=batch)
    if not np.isfinite(f_b) or not np.all(np.isfinite(g_b)):
        raise NonFiniteObjective(f"the objective on a minibatch became {f_b}")
    return g_b


class Minibatches:
    """The batches of one epoch after another: ``epoch()`` yields tuples of row blocks."""

    def __init__(self, data, batch_size, random_state):
        if not data:
            raise ValueError("Minibatches need data: pass data=(X, y) along with batch_size.")
        self.arrays = tuple(np.asarray(a) for a in data)
        n = {a.shape[0] if a.ndim else -1 for a in self.arrays}
        if len(n) != 1 or -1 in n:
            shapes = [a.shape for a in self.arrays]
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
        self.n, self.batch_size = n.pop(), int(batch_size)
        self.rng = np.random.default_rng(random_state)

    def epoch(self):
        order = self.rng.permutation(self.n)
        shuffled = tuple(a[order] for a in self.arrays)
        for start in range(0, self.n, self.batch_size):
            yield tuple(a[start : start + self.batch_size] for a in shuffled)


def refuse(optimizer):
    """The error for an optimizer that cannot run on minibatches."""
    reason = (
        " without a fixed or scheduled lr (a line search needs exact function values)"
        if getattr(optimizer, "lr", 0) is None
        else ""
    )
    return NotImplementedError(
        f"{type(optimizer).__name__} does not run on minibatches{reason}; use a "
        "stochastic-capable optimizer (GradientDescent or Nesterov with a fixed or scheduled "
        "lr, Momentum, AdaGrad, RMSProp, Adam)."
    )
