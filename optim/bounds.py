"""Bounds on the variables, lower_i <= x_i <= upper_i, as scipy takes them.

``minimize(f, x0, bounds=[(lo, hi), ...])`` with ``None`` for an open side, or an object with
arrays (or scalars) ``lb`` and ``ub`` (scipy's ``Bounds``). How each method handles the box:

- LBFGS runs projected L-BFGS (:mod:`optim.quasi_newton`), as scipy's L-BFGS-B does;
- the first-order methods take the box as a prox: projection after each step, combined with a
  separable prox g as ``clip(prox_g(x))``, which is the prox of g + the box's indicator;
- Newton refuses bounds with a clear error.

Either way the stopping measure is the one of every run, ``||x - prox(x - grad f(x), 1)||_inf``,
which for a box is scipy's projected gradient ``||x - clip(x - grad f(x))||_inf``. A start
outside the box is clipped into it (as scipy does).
"""

import numpy as np

from optim.prox import Box, Boxed, Prox

__all__ = ["as_box", "with_box"]


def _side(value, default):
    return default if value is None else float(value)


def as_box(bounds, n):
    """(lower, upper) float arrays of length n from scipy-style ``bounds``, or None."""
    if bounds is None:
        return None
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        lower, upper = (
            np.broadcast_to(np.asarray(side, dtype=np.float64), (n,)).copy()
            for side in (bounds.lb, bounds.ub)
        )
    else:
        pairs = list(bounds)
        if len(pairs) != n or not all(np.ndim(p) == 1 and len(p) == 2 for p in pairs):
            raise ValueError(
                f"bounds must be a sequence of {n} (lower, upper) pairs, one per coordinate of "
                f"x0 (None for an open side), or an object with lb and ub arrays (scipy's "
                f"Bounds); got {len(pairs)} entries."
            )
        lower = np.array([_side(lo, -np.inf) for lo, _ in pairs])
        upper = np.array([_side(hi, np.inf) for _, hi in pairs])
    if np.isnan(lower).any() or np.isnan(upper).any():
        raise ValueError("bounds contain NaN: use None (or -inf, inf) for an open side.")
    if np.any(lower > upper):
        i = int(np.flatnonzero(lower > upper)[0])
        raise ValueError(
            f"bounds need lower <= upper, but coordinate {i} has {lower[i]} > {upper[i]}."
        )
    return lower, upper


def with_box(prox, box):
    """The prox of g + the box's indicator: the box alone, or a separable g clipped."""
    lower, upper = box
    if prox is None:
        return Box(lower, upper)
    if not isinstance(prox, Prox):
        raise ValueError(
            f"bounds with a prox need a separable prox (an optim.prox operator), whose prox "
            f"with the box is clip(prox_g(x)); {prox!r} is not one. Fold the box into your "
            "prox and pass no bounds, or write g as a subclass of optim.prox.Prox."
        )
    return Boxed(prox, lower, upper)
