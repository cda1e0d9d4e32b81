"""What float64 can hold, checked before the work starts.

Distances, inertias and covariances are sums of squares (of p-th powers, for a minkowski
distance). With m = max |x| over the data and T terms in the sum, every such sum is at most
T (2 m)^q (the 2: a difference of two entries), which is finite exactly when

    m <= (finfo.max / T)^(1/q) / 2,

and the powers stay normal numbers (full precision, not subnormal or 0) when m^q is at
least finfo.tiny. Outside that range the formulas still run but return inf, 0 or garbage (a
nearest neighbour chosen among infinities, an infinite inertia); the models refuse such data
with the remedy, rescaling, which costs nothing and changes no answer of these
scale-equivariant methods (by one constant for all features).
"""

import numpy as np

__all__ = [
    "check_memory",
    "check_powers_finite",
    "dense_matrix_bytes",
    "physical_memory",
    "power_limit",
]

_FINFO = np.finfo(np.float64)
_REMEDY = (
    "dividing all of X by one constant (e.g. max |x|) changes no neighbour, cluster or "
    "component, only the units of distances and variances."
)


def power_limit(terms, power):
    """The largest max |x| for which ``terms`` terms of |x - y|^power sum to a finite float."""
    return (_FINFO.max / max(1, terms)) ** (1.0 / power) / 2.0


def check_powers_finite(X, who, *, terms=None, power=2.0, largest=None):
    """Raise a ValueError unless sums of ``terms`` powers |x - y|^power of entries of X are
    finite and not subnormal (``terms`` defaults to X's number of features: one distance).
    ``largest``: max |x| when already known (a dask array's, from a pass over its blocks)."""
    if X.size == 0:
        return
    # max |x| without an |X| temporary
    largest = float(max(np.max(X), -np.min(X))) if largest is None else float(largest)
    terms = X.shape[1] if terms is None else terms
    power = max(1.0, float(power))
    limit = power_limit(terms, power)
    what = "squares" if power == 2 else f"powers |x|^{power:g}"
    if largest > limit:
        raise ValueError(
            f"{who}: the data are too large for float64: max |x| = {largest:.3g}, and the "
            f"sums of {what} it computes over {terms} terms overflow above {limit:.3g}. "
            f"Rescale the data first: {_REMEDY}"
        )
    floor = float(np.sqrt(_FINFO.tiny)) ** (2.0 / power)
    if 0.0 < largest < floor:
        raise ValueError(
            f"{who}: the data are too small for float64: max |x| = {largest:.3g}, and their "
            f"{what} underflow below {floor:.3g} (subnormal or 0, so distances lose their "
            f"digits). Rescale the data first: {_REMEDY}"
        )


def dense_matrix_bytes(n):
    """Bytes of an n x n float64 matrix."""
    return 8 * n * n


def physical_memory():
    """Bytes of physical memory, or None where the system does not say."""
    try:
        import os

        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(needed, what, remedy, available=None):
    """Raise a MemoryError naming ``what`` needs ``needed`` bytes and the ``remedy``, when
    that is more than the machine's physical memory (``available`` overrides it)."""
    available = physical_memory() if available is None else available
    if available is not None and needed > available:
        raise MemoryError(
            f"{what} needs {needed / 2**30:.1f} GiB, more than this machine's "
            f"{available / 2**30:.1f} GiB of memory. {remedy}"
        )
