"""k-means on dask arrays: the in-memory algorithm's sums, per block, reduced.

Lloyd's iteration needs from the data only, per cluster j, the weight W_j = sum_{i in j} w_i
and the sum S_j = sum_{i in j} w_i x_i of the points nearest to center j (the new center is
S_j / W_j), the inertia sum_i w_i d_i^2, and whether any label changed: each block computes
its part with the in-memory primitives (``kmeans._assign``) and the parts are added up a
tree, one pass per iteration. Labels never travel: whether they changed is counted on the
blocks by assigning each row under the previous centers too.

The greedy k-means++ start draws from the same random stream as the in-memory one: a draw
u in [0, total) of the cumulative sum of w_i D(x_i)^2 is located by the blocks' totals (which
block holds it), then inside that block (which row); so each new center costs two passes
(locate the candidates; their potentials), and only k rows of X ever reach the client. The
blocks' partial sums round differently from one cumulative sum over all rows, so a draw
within rounding of a boundary between two rows could pick the neighbour: an event of
probability about 1e-16 per draw.
"""

import numpy as np

from gradscratch._blocks import reduce_blocks
from gradscratch.nonparametric._distances import pairwise_distances, squared_norms

__all__ = ["kmeans_plusplus_blocks", "lloyd_blocks"]


def _concat(parts):
    return [item for part in parts for item in part]


def _closest(X, mean, centers):
    """D(x)^2: each row's squared distance to its nearest chosen center (centred data)."""
    Xc = X - mean
    x_sq = squared_norms(Xc)
    d = pairwise_distances(centers[:1], Xc, Y_sq_norms=x_sq, squared=True)[0]
    for c in centers[1:]:
        np.minimum(d, pairwise_distances(c[None], Xc, Y_sq_norms=x_sq, squared=True)[0], out=d)
    return Xc, x_sq, d


def _block_rows(X, w, mean, centers, local_draws, weights_only):
    """The rows of one block at which the local draws fall in the cumulative sum of w D^2
    (of w alone for ``weights_only``), side as numpy's ``choice`` and ``searchsorted``."""
    if len(local_draws) == 0:
        return [np.zeros((0, X.shape[1]))]
    if weights_only:
        cumulative = np.cumsum(w)
        index = np.searchsorted(cumulative, local_draws, side="right")
    else:
        _, _, d = _closest(X, mean, centers)
        cumulative = np.cumsum(w * d)
        index = np.searchsorted(cumulative, local_draws)
    return [X[np.clip(index, None, len(X) - 1)] - mean]


def _block_potentials(X, w, mean, centers, candidates):
    """sum_{i in block} w_i min(D(x_i)^2, ||x_i - c||^2) for each candidate c."""
    Xc, x_sq, d = _closest(X, mean, centers) if len(centers) else (X - mean, None, None)
    x_sq = squared_norms(Xc) if x_sq is None else x_sq
    d_cand = pairwise_distances(candidates, Xc, Y_sq_norms=x_sq, squared=True)
    if d is not None:
        np.minimum(d, d_cand, out=d_cand)
    return [d_cand @ w]


def kmeans_plusplus_blocks(X, w, mean, n_clusters, rng, weight_totals):
    """Greedy k-means++ (``kmeans.kmeans_plusplus``) over the blocks: the same draws from
    ``rng``, the centers found by located rows, never the data (module docstring)."""
    n_trials = 2 + int(np.log(n_clusters))
    u = rng.random()  # numpy's choice(n, p=w / sum w): one uniform, the cdf searched right
    first = _rows(X, w, mean, np.zeros((0, X.shape[1])), np.array([u]), True, weight_totals)
    centers = first
    totals = _potentials(X, w, mean, np.zeros((0, X.shape[1])), first)[:, 0]
    potential = totals.sum()
    for _ in range(1, n_clusters):
        draws = rng.uniform(size=n_trials) * potential
        candidates = _rows(X, w, mean, centers, draws, False, totals)
        block_potentials = _potentials(X, w, mean, centers, candidates)
        potentials = block_potentials.sum(axis=0)
        best = np.argmin(potentials)
        potential, totals = potentials[best], block_potentials[:, best]
        centers = np.vstack([centers, candidates[best]])
    return centers


def _potentials(X, w, mean, centers, candidates):
    """(n_blocks, n_candidates): each block's potential after adding each candidate."""
    parts = reduce_blocks(_block_potentials, _concat, (X, w), mean, centers, candidates)
    return np.array(parts)


def _rows(X, w, mean, centers, draws, weights_only, block_totals):
    """``rows_at`` with u in [0, 1) scaled to the total for the first draw (choice's cdf is
    normalized: u * total is the same position)."""
    if weights_only:
        draws = draws * float(np.sum(block_totals))
    offsets = np.concatenate([[0.0], np.cumsum(block_totals)])
    n_blocks = len(block_totals)
    side = "right" if weights_only else "left"
    owner = np.clip(np.searchsorted(offsets[1:], draws, side=side), 0, n_blocks - 1)
    local = [draws[owner == b] - offsets[b] for b in range(n_blocks)]
    parts = _located_rows(X, w, mean, centers, local, weights_only)
    rows = np.zeros((len(draws), X.shape[1]))
    for b in range(n_blocks):
        rows[owner == b] = parts[b]
    return rows


def _located_rows(X, w, mean, centers, local, weights_only):
    import dask

    from gradscratch._blocks import row_blocks

    tasks = [
        dask.delayed(_block_rows)(Xb, wb, mean, centers, local[b], weights_only)
        for b, (Xb, wb) in enumerate(row_blocks(X, w))
    ]
    return [part[0] for part in dask.compute(*tasks)]


# --- Lloyd ------------------------------------------------------------------------------------
def _block_step(X, w, mean, centers, previous):
    """One block's part of a Lloyd iteration under ``centers``: (S (k, p), W (k,), inertia,
    the number of rows whose label differs under ``previous`` (None: not counted))."""
    from gradscratch.nonparametric.kmeans import _assign

    k = len(centers)
    Xc = X - mean
    labels, d2 = _assign(Xc, centers)
    changed = 0 if previous is None else int(np.sum(_assign(Xc, previous)[0] != labels))
    weight_in = np.bincount(labels, weights=w, minlength=k)
    onehot = np.zeros((len(X), k))
    onehot[np.arange(len(X)), labels] = w
    return onehot.T @ Xc, weight_in, float(d2 @ w), changed, np.bincount(labels, minlength=k)


def _add(parts):
    return tuple(sum(p[i] for p in parts) for i in range(len(parts[0])))


def _block_final(X, w, mean, label_centers, centers):
    """(inertia, row counts per cluster) with labels under ``label_centers`` and distances
    to ``centers`` (the in-memory end of ``lloyd``)."""
    from gradscratch.nonparametric.kmeans import _assign

    Xc = X - mean
    labels = _assign(Xc, label_centers)[0]
    d2 = squared_norms(Xc - centers[labels])
    return float(d2 @ w), np.bincount(labels, minlength=len(centers))


def _block_farthest(X, w, mean, centers, m, start):
    """The m rows of the block farthest from their centers: (distance, global index, label,
    w, row) for the in-memory relocation of empty clusters."""
    from gradscratch.nonparametric.kmeans import _assign

    Xc = X - mean
    labels = _assign(Xc, centers)[0]
    far_d = np.sum((Xc - centers[labels]) ** 2, axis=1)
    top = np.argsort(-far_d, kind="stable")[:m]
    return [(far_d[i], start + i, labels[i], w[i], Xc[i]) for i in top]


def _relocate(X, w, mean, centers_old, sums, weight_in, starts):
    """``kmeans._update_centers``'s relocation: each empty cluster takes the point farthest
    from its center (the m farthest of all, ties by row order), which leaves its cluster."""
    import dask

    from gradscratch._blocks import row_blocks

    empty = np.flatnonzero(weight_in == 0)
    m = len(empty)
    tasks = [
        dask.delayed(_block_farthest)(Xb, wb, mean, centers_old, m, start)
        for (Xb, wb), start in zip(row_blocks(X, w), starts)
    ]
    found = sorted(_concat(dask.compute(*tasks)), key=lambda t: (-t[0], t[1]))[:m]
    if found and found[0][0] > 0:
        for new, (_, _, old, wi, xi) in zip(empty, found):
            sums[old] -= wi * xi
            weight_in[old] -= wi
            sums[new] = wi * xi
            weight_in[new] = wi
    return sums, weight_in


def lloyd_blocks(X, w, mean, centers, max_iter, tol):
    """``kmeans.lloyd`` over the blocks of dask arrays: one pass per iteration (two when a
    cluster empties); returns (label centers, centers, inertia, n_iter, history, distinct)
    where the labels are those under the label centers (computed lazily by the caller)."""
    starts = np.concatenate([[0], np.cumsum(X.chunks[0])[:-1]])
    history = {"centers": [centers], "inertia": []}
    previous, strict, label_centers = None, False, centers
    for _ in range(max_iter):
        sums, weight_in, inertia, changed, _ = reduce_blocks(
            _block_step, _add, (X, w), mean, centers, previous
        )
        history["inertia"].append(inertia)
        if np.any(weight_in == 0):
            sums, weight_in = _relocate(X, w, mean, centers, sums, weight_in, starts)
        new_centers = centers.copy()
        filled = weight_in > 0
        new_centers[filled] = sums[filled] / weight_in[filled, None]
        shift = np.sum((new_centers - centers) ** 2)
        label_centers, centers = centers, new_centers
        history["centers"].append(centers)
        if previous is not None and changed == 0:
            strict = True
            break
        if shift <= tol:
            break
        previous = label_centers
    if not strict:
        label_centers = centers
    inertia, counts = reduce_blocks(_block_final, _add, (X, w), mean, label_centers, centers)
    n_iter = len(history["inertia"])
    return label_centers, centers, inertia, n_iter, history, int(np.sum(counts > 0))
