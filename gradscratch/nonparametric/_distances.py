"""Pairwise distances, computed in row chunks so that memory stays bounded.

One implementation serves k-nearest neighbours, k-means and hierarchical clustering.
Euclidean and cosine distances go through matrix products
(``||x - y||^2 = ||x||^2 - 2 x.y + ||y||^2``); manhattan, chebyshev and general minkowski
distances need the coordinate differences and are broadcast chunk by chunk.
"""

import numpy as np

from gradscratch._validation import warn_at_caller

# Bytes of distances (or of broadcast differences) computed per block: far below the 256 MB
# memory bound, yet large enough that each matrix product is worth BLAS's threads (products
# of a few dozen rows cost more in thread wake-ups than in arithmetic).
MAX_CHUNK_BYTES = 32 * 2**20

METRICS = ("euclidean", "manhattan", "chebyshev", "minkowski", "cosine")


def resolve_metric(metric, p):
    """The metric name actually computed, as scikit-learn's ``effective_metric_``: minkowski
    with p in {1, 2, inf} is a named one; ``p`` is ignored by the other metrics."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}.")
    if metric == "minkowski":
        if not (
            isinstance(p, (int, float, np.integer, np.floating))
            and not isinstance(p, bool)
            and p > 0
        ):
            raise ValueError(f"p must be a number > 0 for the minkowski metric, got {p!r}.")
        if p < 1:
            warn_at_caller(
                f"For 0 < p < 1 (p={p!r}) the minkowski formula is not a distance metric (no "
                "triangle inequality); neighbours are still ranked by sum |x - y|^p.",
                UserWarning,
            )
        return {1: "manhattan", 2: "euclidean", np.inf: "chebyshev"}.get(p, "minkowski")
    return metric


def metric_power(metric, p):
    """The power of |x - y| the metric sums: what :func:`_limits.check_powers_finite` needs."""
    if metric in ("euclidean", "cosine"):
        return 2.0
    if metric == "minkowski":
        return float(p)
    return 1.0


def _broadcast_rows(n_cols, n_features):
    """Query rows per chunk when a (rows, n_cols, n_features) difference tensor is built."""
    return max(1, MAX_CHUNK_BYTES // (8 * max(1, n_cols) * max(1, n_features)))


def chunk_rows(n_cols, n_features, metric="euclidean"):
    """How many rows of X to process at once against ``n_cols`` rows of Y."""
    if metric in ("euclidean", "cosine"):
        return max(1, MAX_CHUNK_BYTES // (8 * max(1, n_cols)))
    return _broadcast_rows(n_cols, n_features)


def sq_euclidean_offsets(X, Y, Y_sq_norms, YT=None, out=None):
    """``||y||^2 - 2 x.y`` for every pair: the squared euclidean distance minus ``||x||^2``.

    The missing term is constant along a row, so this matrix ranks the rows of Y by their
    distance to each row of X (nearest neighbours, nearest centers) at the cost of one
    matrix product and one pass, and no cancellation in the ranking itself.
    ``YT`` may give ``Y.T`` already contiguous; ``out`` a buffer to reuse (no fresh pages).
    """
    D = np.matmul(-2.0 * X, Y.T if YT is None else YT, out=out)
    D += Y_sq_norms[None, :]
    return D


def squared_norms(X):
    return np.einsum("ij,ij->i", X, X)


def pairwise_distances(X, Y, metric="euclidean", p=2, *, Y_sq_norms=None, squared=False):
    """Distances between the rows of ``X`` and of ``Y``, shape ``(len(X), len(Y))``.

    Callers that need bounded memory slice ``X`` by :func:`chunk_rows` (see
    :func:`iter_chunks`). ``squared=True`` returns squared euclidean distances.
    """
    if metric == "euclidean":
        if Y_sq_norms is None:
            Y_sq_norms = squared_norms(Y)
        X_sq_norms = squared_norms(X)
        D = X @ Y.T
        D *= -2.0
        D += X_sq_norms[:, None]
        D += Y_sq_norms[None, :]
        np.maximum(D, 0.0, out=D)
        return D if squared else np.sqrt(D, out=D)
    if metric == "cosine":
        Xn = _unit_rows(X)
        Yn = _unit_rows(Y)
        D = Xn @ Yn.T
        np.subtract(1.0, D, out=D)
        return np.clip(D, 0.0, 2.0, out=D)
    diff = np.abs(X[:, None, :] - Y[None, :, :])
    if metric == "manhattan":
        return diff.sum(axis=2)
    if metric == "chebyshev":
        return diff.max(axis=2)
    return (diff**p).sum(axis=2) ** (1.0 / p)


def accurate_euclidean(X, Y, rtol=1e-12):
    """Euclidean distances between the rows of X and of Y, each to ``rtol`` relative.

    The matrix-product formula ``||x||^2 + ||y||^2 - 2 x.y`` (on X and Y moved to Y's mean,
    which changes no distance) rounds each squared distance by at most about
    ``(p + 2) eps (||x|| + ||y||)^2`` (p features): far below ``rtol`` of a large distance,
    but all of a small one (a center's distance to itself came out as 1e-7, not 0). The
    entries whose bound exceeds ``2 rtol d^2`` (the small distances, usually few) are
    recomputed from the coordinate differences, which are exact to a few eps. Memory is
    bounded by working on blocks of rows of X.
    """
    origin = Y.mean(axis=0)
    Yc = Y - origin
    y_sq = squared_norms(Yc)
    bound_factor = (X.shape[1] + 2) * np.finfo(np.float64).eps / (2.0 * rtol)
    D = np.empty((X.shape[0], Y.shape[0]))
    for sl in iter_chunks(X.shape[0], chunk_rows(Y.shape[0], X.shape[1])):
        Xc = X[sl] - origin
        x_sq = squared_norms(Xc)
        D2 = sq_euclidean_offsets(Xc, Yc, y_sq)
        D2 += x_sq[:, None]
        np.maximum(D2, 0.0, out=D2)
        scale = np.sqrt(x_sq)[:, None] + np.sqrt(y_sq)[None, :]
        rows, cols = np.nonzero(D2 <= bound_factor * scale * scale)
        for part in iter_chunks(len(rows), max(1, MAX_CHUNK_BYTES // (8 * max(1, X.shape[1])))):
            diff = Xc[rows[part]] - Yc[cols[part]]
            D2[rows[part], cols[part]] = np.einsum("ij,ij->i", diff, diff)
        D[sl] = np.sqrt(D2)
    return D


def _unit_rows(X):
    # Zero rows stay zero (cosine distance 1 to everything), as in scikit-learn.
    norms = np.sqrt(squared_norms(X))
    norms[norms == 0.0] = 1.0
    return X / norms[:, None]


def iter_chunks(n_rows, rows_per_chunk):
    """Slices covering ``range(n_rows)`` in blocks of ``rows_per_chunk``."""
    for start in range(0, n_rows, rows_per_chunk):
        yield slice(start, min(start + rows_per_chunk, n_rows))


def refine_cancelled(D2, X, sq_norms, rel=1e-5):
    """Recompute exactly the squared distances that the matrix-product formula got wrong.

    ``||x||^2 + ||y||^2 - 2 x.y`` loses about ``eps * (||x||^2 + ||y||^2) / d^2`` relative
    precision; the entries where that ratio exceeds ``1 / rel`` (nearly coincident points far
    from the origin, usually few) are recomputed from coordinate differences. In place.
    """
    found = [(np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp))]
    loose = rel * 2.0 * sq_norms.max()
    # One reduction finds the rows with an entry below a bound over all pairs (usually few
    # once the diagonal is masked); only those are searched, then tested exactly.
    suspects = np.flatnonzero(D2.min(axis=1) < loose)
    for sl in iter_chunks(len(suspects), chunk_rows(D2.shape[1], 1)):
        r, c = np.nonzero(D2[suspects[sl]] < loose)
        r = suspects[sl][r]
        hit = D2[r, c] < rel * (sq_norms[r] + sq_norms[c])
        found.append((r[hit], c[hit]))
    rows = np.concatenate([r for r, _ in found])
    cols = np.concatenate([c for _, c in found])
    for sl in iter_chunks(len(rows), max(1, MAX_CHUNK_BYTES // (8 * max(1, X.shape[1])))):
        diff = X[rows[sl]] - X[cols[sl]]
        D2[rows[sl], cols[sl]] = np.einsum("ij,ij->i", diff, diff)
    return D2
