"""Objectives summed over row blocks: ``minimize(f, x0, data=(X, y))`` with dask arrays.

When the arrays in ``data`` are dask arrays (``dask.array.Array``, on a ``dask.distributed``
cluster or dask's local scheduler), ``f(x, *blocks, *args)`` is evaluated on each row block
where the block lives, and the results are combined as

    F(x) = sum_b (n_b / n) f(x, *block_b),       n_b the block's rows, n = sum_b n_b,

and so are the gradient, the Hessian and Hessian-vector products (autograd's, per block).
This is exact for an objective that is a mean over samples plus terms that do not depend on
the data, ``f = mean_i l_i(x) + r(x)``: the same convention as the minibatches of
:mod:`optim.stochastic`, so one objective serves in-memory arrays, minibatches and dask
arrays. Each evaluation is one pass over the data and one reduction: only x goes out, only a
value, a gradient (and a Hessian for Newton) come back, up a tree of partial sums; the data
are never gathered. Every optimizer runs unchanged on such a problem (its evaluations are
counted once each, as usual); minibatches of dask arrays are refused.

Warnings an evaluation raises on a worker are re-raised on the client (once each), and
errors propagate as they are. An array of a lazily generated or on-disk data set is
recomputed at every evaluation: ``X = X.persist()`` first keeps its blocks in the workers'
memory across the iterations.

Dask is detected by duck typing and imported (here) only when a dask array is passed. The
few lines that split the arrays into aligned row blocks are gradscratch's too
(``gradscratch/_blocks.py``): optim never imports gradscratch.
"""

import warnings

import numpy as np

__all__ = ["BlockData", "is_blocked", "reemit"]

FAN_IN = 8  # partial sums added per task of the reduction tree


def is_blocked(data):
    """Whether ``data`` holds dask arrays (duck typing: their type has ``__dask_graph__``)."""
    return any(hasattr(type(a), "__dask_graph__") for a in data)


class BlockData:
    """The row blocks of the dask arrays in ``data``, and the weighted sum over them."""

    def __init__(self, data):
        if not all(hasattr(type(a), "__dask_graph__") and hasattr(a, "chunks") for a in data):
            kinds = [type(a).__name__ for a in data]
            raise TypeError(
                f"data mixes dask arrays with other arrays ({kinds}): pass every array as a "
                "dask array with the same row chunks (dask.array.from_array(a, chunks=...))."
            )
        rows = {a.shape[0] for a in data}
        if len(rows) != 1 or any(np.isnan(r) for r in rows):
            raise ValueError(
                "Every dask array in data must have the same, known number of rows (first "
                f"axis), got shapes {[a.shape for a in data]} (unknown sizes: call "
                "compute_chunk_sizes() first)."
            )
        chunks = data[0].chunks[0]
        self.n = int(rows.pop())
        self.weights = [size / self.n for size in chunks]
        columns = []
        for a in data:
            a = a.rechunk((chunks, *((s,) for s in a.shape[1:])))
            columns.append(list(a.to_delayed(optimize_graph=False).ravel()))
        self.blocks = list(zip(*columns))

    def evaluate(self, fn, x, rest=()):
        """sum_b (n_b / n) fn(x, *block_b, *rest), for fn returning an array or a tuple of
        them; returns (the sum, the warnings raised on the blocks)."""
        import dask

        partials = [
            dask.delayed(_on_block)(fn, weight, x, block, rest)
            for weight, block in zip(self.weights, self.blocks)
        ]
        while len(partials) > 1:
            partials = [
                dask.delayed(_add)(partials[i : i + FAN_IN])
                for i in range(0, len(partials), FAN_IN)
            ]
        ((total, caught),) = dask.compute(partials[0])
        return (total if len(total) > 1 else total[0]), sorted(caught, key=str)


def _on_block(fn, weight, x, block, rest):
    """weight * fn(x, *block, *rest) on one block, with the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(x, *block, *rest)
    out = out if isinstance(out, tuple) else (out,)
    seen = {(str(w.message), w.category, w.filename, w.lineno) for w in caught}
    return tuple(weight * np.asarray(o, dtype=np.float64) for o in out), seen


def _add(parts):
    totals, caught = parts[0]
    for values, seen in parts[1:]:
        totals = tuple(a + b for a, b in zip(totals, values))
        caught = caught | seen
    return totals, caught


def reemit(caught):
    """Re-raise on the client the warnings (message, category, filename, lineno) that the
    evaluations on the blocks raised."""
    for message, category, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno)
