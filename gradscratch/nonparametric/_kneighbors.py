"""The fast k-nearest-neighbour search behind ``neighbors.py``'s seam.

:func:`fast_kneighbors` returns the same neighbours as :func:`neighbors.plain_kneighbors`:
for each query the k training points of smallest distance, nearest first, ties at equal
distance to the smaller training index, and their distances (euclidean ones from
coordinate differences, so a query at a training point is at distance exactly 0). The plain
version builds the full (n_queries, n_fit) distance matrix and sorts every row; this one is
faster and bounded in memory because it *filters cheaply, then finishes exactly*:

- queries are taken in chunks and training points in blocks, so a block of keys stays small
  (bounded memory), and one buffer serves every block (no fresh pages);
- the euclidean key ``||y||^2 - 2 x.y`` (the squared distance minus a constant per query,
  so it ranks the training points) of a whole block is one matrix product against the
  training points, stored once, at fit, centred and scaled by a power of two, as contiguous
  float32 columns with their squared norms as one more row. float32 halves the memory
  traffic and doubles the arithmetic rate; its rounding is bounded *rigorously* (error
  analysis of a dot product: at most about (p + 5) 2^-24 (2 ||x|| max ||y|| + max ||y||^2)),
  and every training point whose key is within twice that bound of the k-th smallest is
  kept as a candidate, so the true k nearest are always among them;
- no row is sorted: the k-th smallest of the group minima over ``GROUP``-column groups bounds
  the k-th smallest key from above (one min-reduction), and one streaming comparison against
  that bound plus the slack finds the candidates (usually a few more than k per query);
- only the candidates' squared distances are computed exactly, from coordinate differences,
  and sorted by (distance, index): the answer, ties included, as the plain version's.

Other metrics compute their distances directly (``_distances.pairwise_distances``) and take
the same selection with no slack.
"""

from typing import NamedTuple

import numpy as np

from gradscratch.nonparametric._distances import (
    chunk_rows,
    iter_chunks,
    pairwise_distances,
    squared_norms,
)

__all__ = ["FitIndex", "fast_kneighbors", "fit_index"]

# Training points per block of keys (with the query rows of chunk_rows, a few MB).
BLOCK_COLS = 2**16
# Columns per group in the bound of _candidates.
GROUP = 128
# Queries whose centred, scaled coordinates exceed this are keyed in float64 (no overflow).
FLOAT32_LIMIT = 2.0**64


class FitIndex(NamedTuple):
    """What the euclidean search keeps of the training points, computed once at fit."""

    origin: np.ndarray  # the training points' mean (distances do not change)
    scale: float  # a power of two: the centred points have largest coordinate in [0.5, 1)
    columns: np.ndarray  # (p + 1, n) float64: the scaled points' columns, then ||y||^2
    columns32: np.ndarray  # the same in float32
    y_norm_max: float  # max ||y|| of the scaled points


def fit_index(X_fit):
    """The :class:`FitIndex` of the training points X_fit."""
    origin = X_fit.mean(axis=0)
    largest = float(np.max(np.abs(X_fit - origin), initial=0.0))
    scale = 2.0 ** -np.frexp(largest)[1] if largest > 0 else 1.0
    Y = (X_fit - origin) * scale
    y_sq = squared_norms(Y)
    columns = np.ascontiguousarray(np.vstack([Y.T, y_sq]))
    y_norm_max = float(np.sqrt(y_sq.max(initial=0.0)))
    return FitIndex(origin, scale, columns, columns.astype(np.float32), y_norm_max)


def fast_kneighbors(X, X_fit, k, metric, p, *, index=None, exclude_self=False):
    """Distances and indices of the k nearest rows of ``X_fit`` to each row of ``X``, shapes
    (n_queries, k), nearest first: :func:`neighbors.plain_kneighbors`'s answer (see the
    module docstring for how it differs in cost).

    ``index`` is :func:`fit_index` of ``X_fit`` (euclidean only); ``exclude_self`` means
    ``X`` is ``X_fit`` and each point is left out of its own neighbours.
    """
    n_queries, n_fit = X.shape[0], X_fit.shape[0]
    dist = np.empty((n_queries, k))
    ind = np.empty((n_queries, k), dtype=np.intp)
    euclidean = metric == "euclidean"
    if euclidean and index is None:
        index = fit_index(X_fit)
    cols = min(n_fit, max(BLOCK_COLS, k))
    # float32 keys: twice the rows for the same bytes
    rows = chunk_rows(cols, X.shape[1], metric) * (2 if euclidean else 1)
    rows = min(rows, n_queries)
    # One buffer for every block of keys and one for the candidate masks: recycled pages.
    buffers = {np.float32: np.empty((rows, cols), np.float32)} if euclidean else {}
    mask = np.empty((rows, cols), dtype=bool)
    for sl in iter_chunks(n_queries, rows):
        if euclidean:
            Xa, slack, dtype = _query_rows(X[sl], index)
            if dtype not in buffers:
                buffers[dtype] = np.empty((rows, cols), dtype)
        found_d, found_i = [], []
        for cl in iter_chunks(n_fit, cols):
            shape = (sl.stop - sl.start, cl.stop - cl.start)
            if euclidean:
                D = buffers[dtype][: shape[0], : shape[1]]
                key_columns = index.columns32 if dtype == np.float32 else index.columns
                np.matmul(Xa, key_columns[:, cl], out=D)
            else:
                D = pairwise_distances(X[sl], X_fit[cl], metric, p)
            if exclude_self:
                own = np.arange(max(sl.start, cl.start), min(sl.stop, cl.stop))
                D[own - sl.start, own - cl.start] = np.inf
            k_block = min(k, shape[1])  # a last block may hold fewer than k points
            r, c = _candidates(
                D, k_block, slack if euclidean else 0.0, mask[: shape[0], : shape[1]]
            )
            if euclidean:  # squared distances of the candidates, from coordinate differences
                diff = X[sl][r] - X_fit[cl][c]
                values = np.einsum("ij,ij->i", diff, diff)
                if exclude_self:
                    values[sl.start + r == cl.start + c] = np.inf
            else:
                values = D[r, c]
            d, i = _k_smallest_candidates(r, c, values, shape[0], k_block)
            found_d.append(d)
            found_i.append(i + cl.start)
        d, i = np.hstack(found_d), np.hstack(found_i)
        if len(found_d) > 1:
            order = np.lexsort((i, d), axis=1)[:, :k]
            d, i = np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)
        dist[sl], ind[sl] = (np.sqrt(d) if euclidean else d), i
    return dist, ind


def _query_rows(Xq, index):
    """The queries' rows ``(-2 x, 1)`` of the key's matrix product (centred and scaled as
    the training points), the slack that covers the key's rounding for each, and the dtype
    of the product (float32 unless a query is too far out for it)."""
    Xc = (Xq - index.origin) * index.scale
    dtype = np.float32 if np.max(np.abs(Xc), initial=0.0) < FLOAT32_LIMIT else np.float64
    Xa = np.hstack([-2.0 * Xc, np.ones((len(Xc), 1))]).astype(dtype)
    # A dot product of n terms computed in unit roundoff u, from inputs each rounded once,
    # errs by at most ((n u) / (1 - n u) + 3u) sum_l |a_l b_l|, and
    # sum_l |a_l b_l| <= 2 ||x|| ||y|| + ||y||^2 (Cauchy-Schwarz). Doubled for safety (the
    # float64 centring, ||y||^2's own rounding), doubled again: a point is a candidate when
    # its key is within the error of both it and the k-th key.
    u = float(np.finfo(dtype).eps) / 2
    n = Xa.shape[1]
    y = index.y_norm_max
    size = 2.0 * np.sqrt(squared_norms(Xc)) * y + y * y
    tiny = float(np.finfo(dtype).tiny) * n * (1.0 + np.abs(Xc).max(axis=1, initial=0.0))
    slack = 4.0 * ((n * u) / (1 - n * u) + 3 * u) * size + 4.0 * tiny
    return Xa, slack, dtype


def _candidates(D, k, slack, mask):
    """Positions (rows, columns) of the entries of D within ``slack`` (per row) of the k-th
    smallest of their row: a superset of each row's k smallest, ties included.

    The bound on the k-th smallest: split each row into ``n_groups`` groups of ``GROUP``
    columns (group g holds the columns g, g + n_groups, ...: the minima are elementwise
    minima of contiguous slices, a fast reduction). The k smallest group minima are k
    distinct entries, so the k-th smallest of them is at least the row's k-th smallest;
    short rows take the k-th smallest itself (``np.partition``). Then one comparison over D
    (into the boolean buffer ``mask``) and a 1-D ``flatnonzero`` (many times faster than a
    2-D ``nonzero``) find the candidates, usually a few more than k per row.
    """
    n_rows, n_cols = D.shape
    n_groups = n_cols // GROUP
    if n_groups >= 2 * k:
        minima = D[:, : n_groups * GROUP].reshape(n_rows, GROUP, n_groups).min(axis=1)
    else:
        minima = D
    bound = np.partition(minima, k - 1, axis=1)[:, k - 1].astype(np.float64) + slack
    threshold = bound.astype(D.dtype)
    # rounded up, never down, to D's dtype: no candidate is lost
    threshold = np.where(threshold < bound, np.nextafter(threshold, np.inf), threshold)
    np.less_equal(D, threshold[:, None], out=mask)
    return np.divmod(np.flatnonzero(mask), n_cols)


def _k_smallest_candidates(rows, cols, values, n_rows, k):
    """Per row, the k candidates of smallest value, sorted by (value, column): arrays of
    shape (n_rows, k). Every row has at least k candidates; ``rows`` are in order."""
    order = np.lexsort((cols, values, rows))
    counts = np.bincount(rows, minlength=n_rows)
    first = np.cumsum(counts) - counts
    take = order[(first[:, None] + np.arange(k)).ravel()]
    return values[take].reshape(n_rows, k), cols[take].reshape(n_rows, k)
