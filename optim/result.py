"""What every optimizer returns: the solution, counts, a verdict, and a per-iteration trace.

The verdict is honest: ``converged`` is True only when the stopping measure was met (or a
criterion the caller asked for: ``ftol``, a callback). Every other ending has a ``status``
saying which, a ``message`` naming the remedy, and a :class:`ConvergenceWarning`.
"""

import time
from enum import IntEnum

import numpy as np

__all__ = ["ConvergenceWarning", "OptimizeResult", "Status", "TraceRecorder"]


class ConvergenceWarning(UserWarning):
    """An optimizer stopped before its stopping rule was met: ``max_iter``, a line search that
    found no decrease, non-finite values, divergence, or a stalled iteration."""


class Status(IntEnum):
    """How a run ended (``OptimizeResult.status``); 0 is the only success."""

    CONVERGED = 0
    MAX_ITER = 1
    LINE_SEARCH = 2
    NON_FINITE = 3
    DIVERGED = 4
    STALLED = 5


# What to try, per way of failing (the warning and the message end with it).
REMEDY = {
    Status.MAX_ITER: "raise max_iter, or use a method that converges faster here "
    "(optim.LBFGS or optim.Newton; optim.FISTA for a non-smooth term)",
    Status.LINE_SEARCH: "the objective and its gradient are at the limit of floating-point "
    "precision: rescale the problem (variables and objective of order 1) or loosen tol",
    Status.NON_FINITE: "check the objective for overflow (write log(1 + exp(z)) as "
    "logaddexp(0, z)), start closer to the solution, or lower lr",
    Status.DIVERGED: "the step is too large for the objective's curvature: lower lr, or "
    "use a line search (lr=None)",
    Status.STALLED: "the steps became too small to change x (a fixed lr too small, or an "
    "objective at the limit of floating-point precision): raise lr, or rescale the problem "
    "(variables and objective of order 1) or loosen tol",
}


# scipy's names for this result's keys.
ALIASES = {
    "success": "converged",
    "nit": "n_iter",
    "nfev": "n_fev",
    "njev": "n_gev",
    "nhev": "n_hev",
}


class OptimizeResult(dict):
    """The outcome of ``minimize``: a dict whose keys are also attributes, as in scipy.

    Keys: ``x``, ``fun`` (objective f + g at ``x``), ``n_iter``, ``n_fev``, ``n_gev``, ``n_hev``,
    ``converged``, ``status`` (a :class:`Status`: 0 converged, 1 max_iter, 2 line search
    failed, 3 non-finite values, 4 diverged, 5 stalled), ``message``, ``stationarity`` (the
    stopping measure at ``x``) and ``trace``: a dict of arrays, one entry per iteration, entry
    0 being the starting point: ``fun``, ``grad_norm`` (the stopping measure: the largest
    component of the gradient, or of the prox-gradient mapping for composite problems),
    ``step_size`` and ``time`` in seconds since the start; ``jac``, the gradient of the smooth
    part f at ``x``.

    scipy's names work too: ``success`` is ``converged``, ``nit`` is ``n_iter``, ``nfev``,
    ``njev`` and ``nhev`` are ``n_fev``, ``n_gev`` and ``n_hev`` (aliases, not copies: they
    read and write the same entry).
    """

    def __getitem__(self, key):
        return super().__getitem__(ALIASES.get(key, key))

    def __setitem__(self, key, value):
        super().__setitem__(ALIASES.get(key, key), value)

    def __contains__(self, key):
        return super().__contains__(ALIASES.get(key, key))

    def get(self, key, default=None):
        return super().get(ALIASES.get(key, key), default)

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as err:
            raise AttributeError(key) from err

    def __setattr__(self, key, value):
        self[key] = value

    def __repr__(self):
        hidden = ("x", "jac", "trace")
        fields = ", ".join(f"{k}={v!r}" for k, v in self.items() if k not in hidden)
        return f"OptimizeResult({fields})"

    def __getstate__(self):
        return dict(self)

    def __setstate__(self, state):
        self.update(state)


TRACE_KEYS = ("fun", "grad_norm", "step_size", "time")


class TraceRecorder:
    """Collects one row per iteration; ``as_dict()`` gives the arrays stored in the result."""

    def __init__(self, extra=()):
        self._start = time.perf_counter()
        self._rows = {key: [] for key in (*TRACE_KEYS, *extra)}

    def record(self, **values):
        values.setdefault("time", time.perf_counter() - self._start)
        for key, column in self._rows.items():
            column.append(float(values.get(key, np.nan)))

    def last(self, key):
        return self._rows[key][-1]

    def as_dict(self):
        return {key: np.asarray(column) for key, column in self._rows.items()}
