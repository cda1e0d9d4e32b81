"""The fast k-nearest-neighbour search behind ``neighbors.py``'s seam.

:func:`fast_kneighbors` returns the same neighbours as :func:`neighbors.plain_kneighbors`:
for each query the k training points of smallest distance, nearest first, ties at equal
distance to the smaller training index, and their distances (to rounding; euclidean
distances are recomputed from coordinate differences, so a query at a training point is at
distance exactly 0). The plain version builds the full (n_queries, n_fit) distance matrix
and sorts every row; this one is faster and bounded in memory because:

- queries are taken in chunks and training points in blocks, so a distance block stays small
  (bounded memory, and reused: one buffer for every block, no fresh pages);
- the euclidean ranking key ``||y||^2 - 2 x.y`` (the squared distance minus a per-row
  constant) of a whole block is one matrix product against the training points stored once,
  at fit, as contiguous columns with their squared norms as one more row;
- no row is sorted: ``_k_smallest`` discards most columns with one min-reduction over groups
  of columns (the k smallest group minima bound the k-th distance), and an ``argpartition``
  among the few survivors (O(k) per query instead of a sort) finishes; only k entries are
  sorted;
- the rounding of the matrix-product key is handled by selecting k + 1 candidates: rows whose
  k-th and (k+1)-th keys are within rounding of each other (near-ties, rare) are re-ranked
  exactly over all points.
"""

import numpy as np

from gradscratch.nonparametric._distances import (
    chunk_rows,
    iter_chunks,
    pairwise_distances,
    squared_norms,
)

__all__ = ["fast_kneighbors", "fit_columns"]

# Training points per distance block (with the query rows of chunk_rows, a few MB).
BLOCK_COLS = 2**16
# Columns per group in the pre-selection of _k_smallest.
GROUP = 128


def fit_columns(X_fit):
    """The training points as contiguous columns with their squared norms as one more row:
    ``(-2 x, 1) . (y, ||y||^2) = ||y||^2 - 2 x.y``, the euclidean ranking key, in one matrix
    product. Computed once, at fit."""
    return np.ascontiguousarray(np.vstack([X_fit.T, squared_norms(X_fit)]))


def fast_kneighbors(X, X_fit, k, metric, p, *, columns=None, exclude_self=False):
    """Distances and indices of the k nearest rows of ``X_fit`` to each row of ``X``, shapes
    (n_queries, k), nearest first: :func:`neighbors.plain_kneighbors`'s answer (see the
    module docstring for how it differs in cost).

    ``columns`` is :func:`fit_columns` of ``X_fit`` (euclidean only); ``exclude_self`` means
    ``X`` is ``X_fit`` and each point is left out of its own neighbours.
    """
    n_queries, n_fit = X.shape[0], X_fit.shape[0]
    available = n_fit - int(exclude_self)
    dist = np.empty((n_queries, k))
    ind = np.empty((n_queries, k), dtype=np.intp)
    euclidean = metric == "euclidean"
    if euclidean and columns is None:
        columns = fit_columns(X_fit)
    # Euclidean ranks by a rounded formula: look one neighbour further to spot near-ties.
    k_sel = min(k + 1, available) if euclidean else k
    cols = min(n_fit, max(BLOCK_COLS, k_sel))
    rows = chunk_rows(cols, X.shape[1], metric)
    buffer = np.empty((min(rows, n_queries), cols)) if euclidean else None
    if euclidean:
        Xa = np.hstack([-2.0 * X, np.ones((n_queries, 1))])
    for sl in iter_chunks(n_queries, rows):
        found_d, found_i = [], []
        # Blocks of training points keep each distance block in cache; every block
        # contributes its own k best, and the k best of those are the answer.
        for cl in iter_chunks(n_fit, cols):
            if euclidean:
                D = np.matmul(
                    Xa[sl],
                    columns[:, cl],
                    out=buffer[: sl.stop - sl.start, : cl.stop - cl.start],
                )
            else:
                D = pairwise_distances(X[sl], X_fit[cl], metric, p)
            if exclude_self:
                own = np.arange(max(sl.start, cl.start), min(sl.stop, cl.stop))
                D[own - sl.start, own - cl.start] = np.inf
            d, i = _k_smallest(D, min(k_sel, D.shape[1]))
            found_d.append(d)
            found_i.append(i + cl.start)
        d, i = np.hstack(found_d), np.hstack(found_i)
        if len(found_d) > 1:
            order = np.lexsort((i, d), axis=1)[:, :k_sel]
            d, i = np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)
        if euclidean:
            d, i = _exact_ranking(X[sl], X_fit, columns[-1], d, i, k, sl if exclude_self else None)
        dist[sl], ind[sl] = d, i
    return dist, ind


def _k_smallest_exact(D, k):
    """Column indices of the k smallest entries of each row of D, sorted by (distance, index).

    Ties at the k-th distance are broken towards the smaller training index, so the result
    does not depend on how ``argpartition`` happens to order equal values.
    """
    n_rows, n_cols = D.shape
    if k < n_cols:
        idx = np.argpartition(D, k - 1, axis=1)[:, :k]
    else:
        idx = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols)).copy()
    dk = np.take_along_axis(D, idx, axis=1)
    if k < n_cols:
        kth = dk.max(axis=1)
        tied = np.count_nonzero(D <= kth[:, None], axis=1) > k
        if tied.any():
            rows = np.flatnonzero(tied)
            full = np.argsort(D[rows], axis=1, kind="stable")[:, :k]
            idx[rows] = full
            dk[rows] = np.take_along_axis(D[rows], full, axis=1)
    order = np.lexsort((idx, dk), axis=1)
    return np.take_along_axis(dk, order, axis=1), np.take_along_axis(idx, order, axis=1)


def _k_smallest(D, k):
    """As :func:`_k_smallest_exact`, after discarding most columns cheaply.

    Split each row into ``n_groups`` groups of ``GROUP`` columns (group g holds the columns
    g, g + n_groups, g + 2 n_groups, ...: the minima are then elementwise minima of
    contiguous slices, a fast reduction). The k smallest group minima are k distinct
    entries, so the k-th smallest entry is at most the k-th smallest group minimum, and the
    k smallest entries all lie in the k groups of smallest minimum: one min-reduction over D
    and a selection among k * GROUP candidates replace a selection over the full row.
    Rows with tied group minima at the boundary use the full selection.
    """
    n_rows, n_cols = D.shape
    n_groups = n_cols // GROUP
    if n_groups <= 2 * k:
        return _k_smallest_exact(D, k)
    minima = D[:, : n_groups * GROUP].reshape(n_rows, GROUP, n_groups).min(axis=1)
    best = np.argpartition(minima, k - 1, axis=1)[:, :k]
    kth = np.take_along_axis(minima, best, axis=1).max(axis=1)
    cols = (best[:, :, None] + n_groups * np.arange(GROUP)).reshape(n_rows, k * GROUP)
    rest = np.broadcast_to(np.arange(n_groups * GROUP, n_cols), (n_rows, n_cols % GROUP))
    cols = np.hstack([cols, rest])
    dist, pos = _k_smallest_exact(np.take_along_axis(D, cols, axis=1), k)
    ind = np.take_along_axis(cols, pos, axis=1)
    tied = np.count_nonzero(minima <= kth[:, None], axis=1) > k
    if tied.any():
        rows = np.flatnonzero(tied)
        dist[rows], ind[rows] = _k_smallest_exact(D[rows], k)
    return dist, ind


def _exact_ranking(Xq, X_fit, fit_sq_norms, offsets, ind, k, own):
    """Exact distances of the k selected neighbours; rows whose k-th and (k+1)-th
    candidates are within rounding of each other are re-ranked exactly over all points,
    so that exact ties go to the smaller training index."""
    if offsets.shape[1] > k:
        scale = squared_norms(Xq) + fit_sq_norms.max()
        near_tie = offsets[:, k] - offsets[:, k - 1] <= 1e-10 * scale
        ind = ind[:, :k].copy()
        for r in np.flatnonzero(near_tie):
            diff = X_fit - Xq[r]
            exact = np.einsum("ij,ij->i", diff, diff)
            if own is not None:
                exact[own.start + r] = np.inf
            ind[r] = np.lexsort((np.arange(len(exact)), exact))[:k]
    return _exact_euclidean(Xq, X_fit, ind)


def _exact_euclidean(Xq, X_fit, ind):
    """Distances to the selected neighbours from coordinate differences, re-sorted.

    Selection used the matrix-product formula; recomputing the k winners exactly gives a
    query its exact distance 0 to a copy of itself (which ``weights="distance"`` relies on).
    """
    diff = Xq[:, None, :] - X_fit[ind]
    dist = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    order = np.lexsort((ind, dist), axis=1)
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(ind, order, axis=1)
