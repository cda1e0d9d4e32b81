"""Row blocks of dask arrays: how gradscratch computes a sum over samples past one machine.

Every model that is a sum over samples computes through per-block partial sums (DESIGN.md);
on a ``dask.array.Array`` each block's partial sum runs where the block lives (a worker of a
``dask.distributed`` cluster, or a thread of dask's local scheduler) and only the partial
sums travel, combined pairwise up a tree: the data are never gathered on the client.

Dask is detected by duck typing (:func:`is_dask`) and imported here, inside the functions,
only once a dask array has been passed: ``import gradscratch`` never loads it.

Moments (Chan, Golub and LeVeque, 1979). A block's weighted count W, mean m and centred
scatter M = sum_i s_i (z_i - m)(z_i - m)^T combine exactly:

    W = W_a + W_b,   d = m_b - m_a,   m = m_a + (W_b / W) d,
    M = M_a + M_b + (W_a W_b / W) d d^T,

so no sum ever carries a column's offset: the scatter of data near 1e9 keeps its digits
(the uncentred X^T X - n m m^T would cancel them). The same update on a triangular factor,
R = qr([R_a; R_b; sqrt(W_a W_b / W) d^T]), combines tall-skinny QR factors of centred
blocks (:func:`combine_factors`).

``optim`` reduces its objectives over the same blocks with its own few lines
(``optim/blocks.py``): the layers forbid it to import gradscratch, and the nonparametric side
may not import optim.
"""

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Moments",
    "combine_factors",
    "combine_moments",
    "is_dask",
    "map_rows",
    "moments",
    "reduce_blocks",
    "row_blocks",
    "score_blocks",
]

# Partial results combined per task of the reduction tree.
FAN_IN = 8


def is_dask(a):
    """Whether ``a`` is a dask collection (duck typing: its type has ``__dask_graph__``); the
    estimators take dask arrays, and refuse the other collections with the remedy."""
    return hasattr(type(a), "__dask_graph__")


def row_blocks(*arrays):
    """The row blocks of dask arrays with one number of rows, as tuples of delayed objects
    (``None`` stays None): each array is rechunked to the first one's row chunks, in one
    piece along its other axes. The delayed objects share the arrays' own graph keys, so a
    block that two arrays derive from (X and y = f(X)) is computed once per reduction."""
    first = next(a for a in arrays if a is not None)
    rows = first.chunks[0]
    columns = []
    for a in arrays:
        if a is None:
            columns.append([None] * len(rows))
            continue
        a = a.rechunk((rows, *((s,) for s in a.shape[1:])))
        columns.append(list(a.to_delayed(optimize_graph=False).ravel()))
    return list(zip(*columns))


def reduce_blocks(block_fn, combine, arrays, *args):
    """``combine`` of ``block_fn(*block, *args)`` over the row blocks of ``arrays``.

    ``block_fn`` runs on each block (numpy arrays) where it lives; ``combine`` takes a list
    of partial results and returns one, and is applied up a tree of fan-in ``FAN_IN``, so
    the client receives a single partial result. One pass over the data.
    """
    import dask

    partials = [dask.delayed(block_fn)(*block, *args) for block in row_blocks(*arrays)]
    while len(partials) > 1:
        partials = [
            dask.delayed(combine)(partials[i : i + FAN_IN]) for i in range(0, len(partials), FAN_IN)
        ]
    (result,) = dask.compute(partials[0])
    return result


def map_rows(fn, X, *args, columns=None, dtype=np.float64):
    """``fn(X_block, *args)`` block by block, lazily: a dask array of the same row chunks,
    1-D when ``columns`` is None, else with that many columns (predict, transform)."""
    X = X.rechunk({1: -1}) if X.ndim == 2 else X
    if columns is None:
        return X.map_blocks(fn, *args, drop_axis=1, dtype=dtype)
    return X.map_blocks(fn, *args, chunks=(X.chunks[0], (columns,)), dtype=dtype)


@dataclass
class Moments:
    """Weighted count, mean and centred scatter of the rows of a block (or of their union).

    ``mean`` is None for uncentred sums (no intercept): ``scatter`` is then sum_i s_i z_i z_i^T.
    ``largest`` is max |z|, which the callers check against float64's range.
    """

    weight: float
    mean: object
    scatter: np.ndarray
    largest: float = 0.0


def moments(Z, w=None, centred=True):
    """The :class:`Moments` of the rows of Z (weights w, None for ones)."""
    if Z.shape[0] == 0:
        q = Z.shape[1]
        return Moments(0.0, np.zeros(q) if centred else None, np.zeros((q, q)))
    weight = float(Z.shape[0] if w is None else np.sum(w))
    largest = float(np.max(np.abs(Z)))
    if not centred:
        Zs = Z if w is None else Z * np.sqrt(w)[:, None]
        return Moments(weight, None, Zs.T @ Zs, largest)
    mean = Z.mean(axis=0) if w is None else (w @ Z) / weight
    Zc = Z - mean
    if w is not None:
        Zc *= np.sqrt(w)[:, None]
    return Moments(weight, mean, Zc.T @ Zc, largest)


def combine_moments(parts):
    """Chan et al.'s pairwise update of count, mean and centred scatter (module docstring)."""
    total = parts[0]
    for part in parts[1:]:
        largest = max(total.largest, part.largest)
        if total.mean is None:
            total = Moments(total.weight + part.weight, None, total.scatter + part.scatter, largest)
            continue
        weight = total.weight + part.weight
        if part.weight == 0 or weight == 0:
            total = Moments(total.weight, total.mean, total.scatter, largest)
            continue
        d = part.mean - total.mean
        mean = total.mean + (part.weight / weight) * d
        scatter = (
            total.scatter + part.scatter + (total.weight * part.weight / weight) * np.outer(d, d)
        )
        total = Moments(weight, mean, scatter, largest)
    return total


def combine_factors(parts):
    """Tall-skinny QR: the triangular factor of the stacked blocks from theirs.

    Each part is ``(R, weight, mean)``, R a triangular factor of the block's rows (centred at
    ``mean``, weighted by sqrt(s)); mean None for uncentred rows. Stacking the factors, with
    the row sqrt(W_a W_b / W) (m_b - m_a) that moves them to a common mean, and factoring
    again gives R of the union: R^T R is then Chan's scatter M (module docstring).
    """
    R, weight, mean = parts[0]
    for R_b, weight_b, mean_b in parts[1:]:
        rows = [R, R_b]
        if mean is not None and weight_b > 0 and weight > 0:
            total = weight + weight_b
            d = mean_b - mean
            rows.append(np.sqrt(weight * weight_b / total) * d[None, :])
            mean = mean + (weight_b / total) * d
            weight = total
        elif mean is not None and weight == 0:
            mean, weight = mean_b, weight_b
        else:
            weight += weight_b
        R = np.linalg.qr(np.vstack(rows), mode="r")
    return R, weight, mean


def _score_block(y, pred, w, kind):
    """One block's part of a score: for "r2", (sum_i s_i (y_i - f_i)^2, the Moments of y),
    per output; for "accuracy", (sum of the weights of matches, sum of the weights)."""
    w = np.ones(len(y)) if w is None else w
    if kind == "accuracy":
        return np.array([np.sum(w * (y.ravel() == pred.ravel())), np.sum(w)])
    y, pred = y.reshape(len(y), -1), pred.reshape(len(pred), -1)
    return np.sum(w[:, None] * (y - pred) ** 2, axis=0), moments(y, w)


def _combine_scores(parts):
    if isinstance(parts[0], np.ndarray):
        return sum(parts)
    return sum(p[0] for p in parts), combine_moments([p[1] for p in parts])


def score_blocks(kind, y, pred, sample_weight=None):
    """R^2 (``kind="r2"``, :func:`gradscratch.metrics.r2_score`) or the accuracy of lazy
    predictions, from per-block sums (one pass; the means of y merged by Chan's update)."""
    import dask.array as da

    y = y if is_dask(y) else da.from_array(np.asarray(y), chunks=(pred.chunks[0],))
    w = sample_weight
    if w is not None and not is_dask(w):
        w = da.from_array(np.asarray(w, dtype=np.float64), chunks=(pred.chunks[0],))
    total = reduce_blocks(_score_block, _combine_scores, (y, pred, w), kind)
    if kind == "accuracy":
        return float(total[0] / total[1])
    ss_res, ss_tot = total[0], np.diag(total[1].scatter)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(scores))
