"""NIST StRD linear least-squares reference data, and the digits-correct measure used with it.

The eleven datasets of NIST's Statistical Reference Datasets for linear least squares
(https://www.itl.nist.gov/div898/strd/lls/lls.shtml) are stored as small text files under
``tests/data/nist/``: the observations, the model, and the certified values (parameter estimates,
their standard deviations, the residual standard deviation and R^2, 15 significant digits).

``load(name)`` returns the design without the intercept column (the powers x, x^2, ..., x^d for
the polynomial sets; the six predictors for Longley), the response, and the certified values
with the intercept first when the model has one. ``correct_digits`` is the log relative error
(LRE) of McCullough's StRD assessments, clipped to [0, 15].
"""

from pathlib import Path

import numpy as np

__all__ = ["NAMES", "DATA_DIR", "load", "read_raw", "correct_digits", "min_correct_digits"]

DATA_DIR = Path(__file__).resolve().parent / "data" / "nist"

NAMES = (
    "Norris",
    "Pontius",
    "NoInt1",
    "NoInt2",
    "Filip",
    "Longley",
    "Wampler1",
    "Wampler2",
    "Wampler3",
    "Wampler4",
    "Wampler5",
)

MAX_DIGITS = 15.0


def read_raw(name, number=float):
    """The stored file as numbers of type ``number`` (``float``, or ``fractions.Fraction`` to get
    the printed decimals exactly): ``(header dict, [(label, estimate, sd)], columns, rows)``."""
    if name not in NAMES:
        raise ValueError(f"unknown StRD dataset {name!r}; expected one of {NAMES}")
    header, params, rows, columns = {}, [], [], None
    for raw in (DATA_DIR / f"{name}.txt").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if columns is not None:
            rows.append([number(v) for v in line.split()])
        elif line.startswith("data:"):
            columns = line.split(":", 1)[1].split()
        elif line.startswith("B"):
            label, estimate, sd = line.split()
            params.append((label, number(estimate), number(sd)))
        else:
            key, value = (s.strip() for s in line.split(":", 1))
            header[key] = value
    return header, params, columns, rows


def load(name):
    """One StRD dataset as a dict.

    Keys: ``X`` (n, p) design without the intercept column, ``y`` (n,), ``intercept`` (bool),
    ``coef`` and ``std_err`` (certified estimates and their standard deviations, ordered
    [intercept?, columns of X]), ``residual_sd``, ``r_squared``, ``name``, ``model`` (the
    model line, e.g. ``"polynomial 10"`` or ``"linear 6"``) and ``n``.
    """
    header, params, columns, rows = read_raw(name)
    table = np.array(rows, dtype=np.float64)
    if columns[0] != "y":
        raise ValueError(f"{name}: first data column must be y, got {columns}")
    y = table[:, 0].copy()
    kind, size = header["model"].split()
    size = int(size)
    if kind == "polynomial":
        x = table[:, 1]
        X = np.column_stack([x**k for k in range(1, size + 1)])
    elif kind == "linear":
        X = table[:, 1:].copy()
        if X.shape[1] != size:
            raise ValueError(f"{name}: model says {size} predictors, data has {X.shape[1]}")
    else:
        raise ValueError(f"{name}: unknown model {header['model']!r}")
    intercept = header["intercept"] == "yes"
    n = int(header["observations"])
    if y.shape[0] != n:
        raise ValueError(f"{name}: header says {n} observations, data has {y.shape[0]}")
    if len(params) != X.shape[1] + intercept:
        raise ValueError(f"{name}: {len(params)} certified parameters for {X.shape[1]} columns")
    return {
        "name": name,
        "model": header["model"],
        "X": X,
        "y": y,
        "n": n,
        "intercept": intercept,
        "coef": np.array([p[1] for p in params]),
        "std_err": np.array([p[2] for p in params]),
        "residual_sd": float(header["residual_sd"]),
        "r_squared": float(header["r_squared"]),
    }


def correct_digits(estimate, certified):
    """Per-component log relative error: the number of significant digits that agree.

    ``-log10(|est - cert| / |cert|)``, or ``-log10(|est - cert|)`` where ``cert == 0``, clipped
    to [0, 15]; an exact match counts as 15 and a non-finite estimate as 0.
    """
    est = np.asarray(estimate, dtype=np.float64)
    cert = np.asarray(certified, dtype=np.float64)
    est, cert = np.broadcast_arrays(est, cert)
    err = np.abs(est - cert)
    scale = np.where(cert == 0.0, 1.0, np.abs(cert))
    with np.errstate(divide="ignore", invalid="ignore"):
        digits = -np.log10(err / scale)
    digits = np.where(err == 0.0, MAX_DIGITS, digits)
    digits = np.where(np.isfinite(est), digits, 0.0)
    return np.clip(digits, 0.0, MAX_DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


def min_correct_digits(estimate, certified):
    """The worst component of :func:`correct_digits` (a float)."""
    return float(np.min(correct_digits(estimate, certified)))
