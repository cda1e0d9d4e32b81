"""Agglomerative merging on a dense distance matrix, for reducible linkages.

Ward, complete, average and weighted linkage are *reducible*: merging clusters a and b never
brings the merged cluster closer to any x than min(d(a, x), d(b, x)). Hence a pair of
reciprocal nearest neighbours (a is b's nearest cluster and b is a's) is merged at the same
height whatever else is merged first, and the dendrogram is the set of such merges (the
principle of the nearest-neighbour chain). This module merges *all* reciprocal pairs of the
current matrix at once (a round costs O(m^2) numpy work and typically removes a constant
fraction of the m clusters), and when a round finds few pairs it finishes with the classical
sequential nearest-neighbour chain, which is O(m^2) in the worst case.

Distances between merged clusters come from the Lance-Williams recurrences, which are exact
for these methods (ward works on squared distances).
"""

import numpy as np

__all__ = ["merge_reducible"]

# Merged rows computed at once: their temporaries fit in a core's cache.
PAIRS_PER_BLOCK = 32


def _lance_williams(method, d_ax, d_bx, d_ab, n_a, n_b, n_x):
    """Distance from the merged cluster a+b to x."""
    if method == "complete":
        return np.maximum(d_ax, d_bx)
    if method == "single":
        return np.minimum(d_ax, d_bx)
    if method == "average":
        return (n_a * d_ax + n_b * d_bx) / (n_a + n_b)
    if method == "weighted":
        return 0.5 * (d_ax + d_bx)
    # ward, on squared distances:
    # ((n_a + n_x) d_ax + (n_b + n_x) d_bx - n_x d_ab) / (n_a + n_b + n_x), written as
    # (n_a d_ax + n_b d_bx + n_x (d_ax + d_bx - d_ab)) / (n_a + n_b + n_x) with in-place
    # operations (these arrays are k x m, the largest temporaries of a round).
    out = np.add(d_ax, d_bx)
    out -= d_ab
    out *= n_x
    term = np.multiply(d_ax, n_a)
    out += term
    np.multiply(d_bx, n_b, out=term)
    out += term
    np.add(n_a + n_b, n_x, out=term)
    out /= term
    return out


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
        R[sl] = _lance_williams(
            method, D[a[sl]], D[b[sl]], d_ab[sl, None], n_a[sl], n_b[sl], sizes[None, :]
        )
    # ... then the block between two merged clusters, merging the columns the same way.
    n_c = (sizes[a] + sizes[b])[:, None]
    block = _lance_williams(
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
        new = _lance_williams(method, D[x], D[y], d_xy, sizes[x], sizes[y], sizes)
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
