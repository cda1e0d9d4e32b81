"""The fast agglomeration behind ``hierarchical.py``'s seam, :func:`fast_linkage`.

:func:`fast_linkage` returns the linkage matrix of :func:`hierarchical.plain_linkage`: the
same merges (the globally closest pair of clusters, merged n - 1 times), the same heights to
rounding and scipy's numbering. The plain version scans the whole matrix for the closest
pair at every merge and rebuilds it (O(n^3) time, a fresh matrix per merge); this one is
faster because:

- single linkage is the minimum spanning tree (Prim's algorithm on the complete graph:
  O(n^2) time and, on observations, O(n) memory, no distance matrix at all);
- complete, average, weighted and ward are *reducible*: merging clusters a and b never
  brings the merged cluster closer to any x than min(d(a, x), d(b, x)). Hence a pair of
  reciprocal nearest neighbours (a is b's nearest cluster and b is a's) is merged at the
  same height whatever else is merged first, and the dendrogram is the set of such merges
  (the principle of the nearest-neighbour chain). :func:`merge_reducible` merges *all*
  reciprocal pairs of the current matrix at once (a round costs O(m^2) numpy work and
  typically removes a constant fraction of the m clusters), rebuilding the shrunk matrix in
  place in cache-sized blocks of rows, and when a round finds few pairs it finishes with the
  classical sequential nearest-neighbour chain (O(m^2) in the worst case);
- centroid and median are not reducible; they take the generic algorithm of
  ``_linkage_generic.py`` (globally closest pair first, each cluster caching its nearest
  neighbour: O(n) numpy work per merge in the usual case);
- the distance matrix of observations is one matrix product, with the entries hit by
  cancellation recomputed from coordinate differences.

Distances between merged clusters come from the Lance-Williams recurrences
(``_linkage_generic.lance_williams``, one line per method), which are exact for every method
(ward, centroid and median work on squared distances).
"""

import numpy as np

from gradscratch.nonparametric._distances import refine_cancelled, squared_norms
from gradscratch.nonparametric._limits import check_memory, dense_matrix_bytes
from gradscratch.nonparametric._linkage_generic import generic_linkage, lance_williams

__all__ = ["fast_linkage", "merge_reducible"]

# Merged rows computed at once: their temporaries fit in a core's cache.
PAIRS_PER_BLOCK = 32


# Methods whose Lance-Williams updates work on squared euclidean distances.
SQUARED = ("ward", "centroid", "median")
# Reducible methods: merges of reciprocal nearest neighbours, in rounds.
REDUCIBLE = ("complete", "average", "weighted", "ward")


def fast_linkage(y, method):
    """The (n - 1) x 4 linkage matrix of :func:`hierarchical.plain_linkage`, from validated
    observations (2-D, compared by the euclidean distance) or a validated condensed distance
    vector (1-D), by the fastest route for ``method`` (see the module docstring)."""
    if y.ndim == 1:
        D = _condensed(y, method)
        if method in SQUARED:
            D *= D
    elif method == "single":
        Xc = y - y.mean(axis=0)

        def from_point(i):
            diff = Xc - Xc[i]
            return np.sqrt(np.einsum("ij,ij->i", diff, diff))

        return _label(_minimum_spanning_tree(len(y), from_point), len(y))
    else:
        D = _observations(y, method)
    n = len(D)
    if method == "single":
        return _label(_minimum_spanning_tree(n, lambda i: D[i]), n)
    if method in REDUCIBLE:
        merges = merge_reducible(D, method)
        if method == "ward":
            merges[:, 2] = np.sqrt(np.maximum(merges[:, 2], 0.0))
        return _label(merges, n)
    Z = generic_linkage(D, method)
    Z[:, 2] = np.sqrt(np.maximum(Z[:, 2], 0.0))
    return Z


def _minimum_spanning_tree(n, distances_from):
    """Prim's algorithm on the complete graph: n - 1 edges (a, b, length).

    O(n^2) time and O(n) memory beyond what ``distances_from(i)`` (the distances from point
    i to every point) costs.
    """
    in_tree = np.zeros(n, dtype=bool)
    best = np.full(n, np.inf)
    parent = np.zeros(n, dtype=np.intp)
    edges = np.empty((n - 1, 3))
    current = 0
    for i in range(n - 1):
        in_tree[current] = True
        d = distances_from(current)
        closer = (d < best) & ~in_tree
        best[closer] = d[closer]
        parent[closer] = current
        best[current] = np.inf
        current = int(np.argmin(np.where(in_tree, np.inf, best)))
        edges[i] = parent[current], current, best[current]
        best[current] = np.inf
    return edges


def _label(merges, n):
    """scipy's linkage matrix from unordered merges (a point of each side, height).

    Merges are sorted by height (stably) and renamed with a union-find: the cluster made by
    row i is n + i, the smaller id comes first, the last column is the cluster size.
    """
    merges = merges[np.argsort(merges[:, 2], kind="mergesort")]
    root = np.arange(2 * n - 1)
    size = np.ones(2 * n - 1)

    def find(x):
        r = x
        while root[r] != r:
            r = root[r]
        while root[x] != r:
            root[x], x = r, root[x]
        return r

    Z = np.empty((n - 1, 4))
    for i, (a, b, h) in enumerate(merges):
        ra, rb = find(int(a)), find(int(b))
        root[ra] = root[rb] = n + i
        size[n + i] = size[ra] + size[rb]
        Z[i] = min(ra, rb), max(ra, rb), h, size[n + i]
    return Z


def _check_dense(n, method):
    """Refuse, before any work, a dense n x n matrix the machine cannot hold."""
    check_memory(
        dense_matrix_bytes(n),
        f"linkage(method={method!r}) of {n} points (a dense {n} x {n} float64 distance matrix)",
        "Cluster a random subsample (then assign the other points to the nearest cluster, "
        "e.g. with KNeighborsClassifier), or use method='single' on the observations, which "
        "needs O(n) memory.",
    )
    try:
        return np.empty((n, n))
    except MemoryError as err:
        raise MemoryError(
            f"linkage(method={method!r}) of {n} points needs a dense {n} x {n} float64 distance "
            f"matrix ({dense_matrix_bytes(n) / 2**30:.1f} GiB), which could not be "
            "allocated. Cluster a random subsample, or use method='single' on the "
            "observations, which needs O(n) memory."
        ) from err


def _condensed(y, method):
    """The square distance matrix (infinite diagonal) of scipy's condensed vector y (of
    n (n - 1) / 2 distances, validated)."""
    n = int(round((1 + np.sqrt(1 + 8 * len(y))) / 2))
    D = _check_dense(n, method)
    start = 0
    for i in range(n - 1):  # row i holds d(i, j) for j > i
        row = y[start : start + n - 1 - i]
        D[i, i + 1 :], D[i + 1 :, i] = row, row
        start += n - 1 - i
    np.fill_diagonal(D, np.inf)
    return D


def _observations(X, method):
    """The square euclidean distance matrix (squared for SQUARED methods) of the rows of X."""
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    sq = squared_norms(Xc)
    D = _check_dense(n, method)
    # ||x||^2 + ||y||^2 - 2 x.y as one matrix product of the rows (-2x, ||x||^2, 1) and
    # (y, 1, ||y||^2): no further pass over the n x n matrix.
    ones = np.ones((n, 1))
    left = np.hstack([-2.0 * Xc, sq[:, None], ones])
    np.matmul(left, np.hstack([Xc, ones, sq[:, None]]).T, out=D)
    np.fill_diagonal(D, np.inf)
    # Entries hit by cancellation (including any below 0) are recomputed exactly.
    D = refine_cancelled(D, Xc, sq)
    if method not in SQUARED:
        np.sqrt(D, out=D)
    return D


def _round(D, sizes, reps, method, merges, nn=None):
    """Merge every pair of reciprocal nearest neighbours; returns the shrunk
    (D, sizes, reps, nn), ``nn`` being each row's argmin (given if already known).

    The clusters left alone keep their order and the merged ones follow them, so the new
    matrix is assembled over D's own memory from D and the merged rows alone (no scatter of
    new columns into the old matrix).
    """
    m = len(D)
    if nn is None:
        nn = np.argmin(D, axis=1)
    a = np.flatnonzero((nn[nn] == np.arange(m)) & (np.arange(m) < nn))
    if len(a) == 0:
        return None
    b = nn[a]
    d_ab = D[a, b]
    merges.append(np.column_stack([reps[a], reps[b], d_ab]))
    n_a, n_b = sizes[a][:, None], sizes[b][:, None]
    # Rows of the merged clusters against every old cluster, in blocks of pairs: the
    # temporaries stay small and are recycled (first touches of fresh memory are costly).
    R = np.empty((len(a), m))
    for start in range(0, len(a), PAIRS_PER_BLOCK):
        sl = slice(start, start + PAIRS_PER_BLOCK)
        R[sl] = lance_williams(
            method, D[a[sl]], D[b[sl]], d_ab[sl, None], n_a[sl], n_b[sl], sizes[None, :]
        )
    # ... then the block between two merged clusters, merging the columns the same way.
    n_c = (sizes[a] + sizes[b])[:, None]
    block = lance_williams(
        method, R[:, a], R[:, b], d_ab[None, :], sizes[a][None, :], sizes[b][None, :], n_c
    )
    np.fill_diagonal(block, np.inf)
    alone = np.ones(m, dtype=bool)
    alone[a] = False
    alone[b] = False
    u = np.flatnonzero(alone)
    D, nn = _assemble(D, u, np.ascontiguousarray(R[:, u].T), block)
    sizes = np.concatenate([sizes[u], sizes[a] + sizes[b]])
    return D, sizes, np.concatenate([reps[u], reps[a]]), nn


def _assemble(D, u, R_u, block):
    """``[[D[u][:, u], R_u], [R_u.T, block]]`` written over D's own memory, and its rows'
    argmin (taken while each block of rows is still in cache).

    New row i < len(u) goes to flat positions [i m', (i + 1) m'), which lie before old row
    u[j] (at u[j] m >= j m > j m') for every row j still to be read, so blocks of rows can be
    gathered and written in order; the merged rows come from R_u and block alone.
    """
    flat = D.reshape(-1)
    n_u = len(u)
    m_new = n_u + len(block)
    nn = np.empty(m_new, dtype=np.intp)
    # Small blocks of rows: the gathered copies stay in cache.
    for start in range(0, n_u, 32):
        stop = min(start + 32, n_u)
        out = flat[start * m_new : stop * m_new].reshape(stop - start, m_new)
        out[:, :n_u] = np.take(np.take(D, u[start:stop], axis=0), u, axis=1)
        out[:, n_u:] = R_u[start:stop]
        nn[start:stop] = np.argmin(out, axis=1)
    out = flat[n_u * m_new : m_new * m_new].reshape(len(block), m_new)
    out[:, :n_u] = R_u.T
    out[:, n_u:] = block
    nn[n_u:] = np.argmin(out, axis=1)
    return flat[: m_new * m_new].reshape(m_new, m_new), nn


def _chain(D, sizes, reps, method, merges):
    """The sequential nearest-neighbour chain on what is left (Murtagh 1983)."""
    m = len(D)
    active = np.ones(m, dtype=bool)
    chain = []
    out = []
    for _ in range(m - 1):
        if not chain:
            chain.append(int(np.argmax(active)))
        while True:
            x = chain[-1]
            row = D[x]
            y = int(np.argmin(row))
            # Prefer the previous chain element on ties, so the chain cannot cycle.
            if len(chain) > 1 and row[chain[-2]] <= row[y]:
                y = chain[-2]
            if len(chain) > 1 and y == chain[-2]:
                break
            chain.append(y)
        chain.pop()
        chain.pop()
        d_xy = D[x, y]
        out.append((reps[x], reps[y], d_xy))
        new = lance_williams(method, D[x], D[y], d_xy, sizes[x], sizes[y], sizes)
        active[x] = False
        new[~active] = np.inf
        new[y] = np.inf
        D[y], D[:, y] = new, new
        D[x], D[:, x] = np.inf, np.inf
        sizes[y] += sizes[x]
    merges.append(np.array(out, dtype=np.float64).reshape(-1, 3))


def merge_reducible(D, method):
    """All n - 1 merges of the n points whose distance matrix is ``D`` (overwritten).

    ``D`` holds euclidean distances (squared for ward) with an infinite diagonal. Returns an
    array of rows ``(point in a, point in b, height)``, in no particular order; each cluster is
    named by one of its points.
    """
    n = len(D)
    sizes = np.ones(n)
    reps = np.arange(n, dtype=np.float64)
    merges = []
    nn = None
    while len(D) > 1:
        m = len(D)
        shrunk = _round(D, sizes, reps, method, merges, nn) if m > 2 else None
        if shrunk is None or len(shrunk[0]) > m - max(2, m // 16):
            # Few reciprocal pairs: a round would cost O(m^2) for little progress.
            if shrunk is not None:
                D, sizes, reps, nn = shrunk
            if len(D) > 1:
                _chain(D, sizes.copy(), reps, method, merges)
            break
        D, sizes, reps, nn = shrunk
    return np.concatenate(merges) if merges else np.empty((0, 3))
