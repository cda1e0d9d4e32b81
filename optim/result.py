"""What every optimizer returns: the solution, counts, a verdict, and a per-iteration trace."""

import time

import numpy as np

__all__ = ["ConvergenceWarning", "OptimizeResult", "TraceRecorder"]


class ConvergenceWarning(UserWarning):
    """An optimizer stopped before its stopping rule was met (``max_iter``, non-finite values)."""


class OptimizeResult(dict):
    """The outcome of ``minimize``: a dict whose keys are also attributes, as in scipy.

    Keys: ``x``, ``fun`` (objective f + g at ``x``), ``n_iter``, ``n_fev``, ``n_gev``, ``n_hev``,
    ``converged``, ``message``, ``trace`` (a dict of arrays, one entry per iteration, entry 0
    being the starting point: ``fun``, ``grad_norm`` (the prox-gradient mapping norm for
    composite problems), ``step_size`` and ``time`` in seconds since the start).
    """

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as err:
            raise AttributeError(key) from err

    def __setattr__(self, key, value):
        self[key] = value

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self.items() if k not in ("x", "trace"))
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
