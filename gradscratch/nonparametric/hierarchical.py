"""Hierarchical (agglomerative) clustering: scipy's linkage matrix, cuts, and an estimator."""

import numbers

import numpy as np

from gradscratch.base import BaseEstimator, ClusterMixin, check_array, validate_data
from gradscratch.nonparametric._distances import (
    refine_cancelled,
    squared_norms,
)
from gradscratch.nonparametric._flat import cut_labels, fcluster, inconsistent
from gradscratch.nonparametric._limits import (
    check_memory,
    check_powers_finite,
    dense_matrix_bytes,
)
from gradscratch.nonparametric._linkage import merge_reducible
from gradscratch.nonparametric._linkage_generic import generic_linkage

__all__ = ["AgglomerativeClustering", "fcluster", "inconsistent", "linkage"]

METHODS = ("single", "complete", "average", "weighted", "centroid", "median", "ward")
# Methods whose Lance-Williams updates work on squared euclidean distances.
SQUARED = ("ward", "centroid", "median")
# Reducible methods: merges of reciprocal nearest neighbours, in rounds (``_linkage.py``).
REDUCIBLE = ("complete", "average", "weighted", "ward")
# scikit-learn's AgglomerativeClustering offers these.
ESTIMATOR_METHODS = ("ward", "complete", "average", "single")


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
    """The square distance matrix (infinite diagonal) of scipy's condensed vector y."""
    y = check_array(y, estimator="linkage", name="y", ensure_2d=False)
    m = y.shape[0]
    n = int(round((1 + np.sqrt(1 + 8 * m)) / 2))
    if m == 0 or n * (n - 1) // 2 != m:
        raise ValueError(
            f"A condensed distance matrix has n (n - 1) / 2 entries for n >= 2 points; "
            f"{m} is not such a number."
        )
    if np.any(y < 0):
        raise ValueError("The condensed distance matrix y contains negative distances.")
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


def linkage(y, method="single"):
    """Agglomerative clustering, as scipy's (n - 1) x 4 linkage matrix.

    Row i merges clusters ``Z[i, 0] < Z[i, 1]`` (ids below n are points, id n + j is the
    cluster made by row j) at height ``Z[i, 2]`` into a cluster of ``Z[i, 3]`` points.
    Heights between clusters A and B (d the input distances):

    - single: ``min d(a, b)``; complete: ``max d(a, b)``; average: mean of ``d(a, b)``;
    - weighted: the mean of the two parts' heights to the other cluster (WPGMA);
    - ward: ``sqrt(2 |A| |B| / (|A| + |B|)) ||mean(A) - mean(B)||``;
    - centroid: ``||mean(A) - mean(B)||``; median: the distance between the clusters'
      midpoints (each merge's point is the midpoint of its parts'). These two can merge at
      a lower height than an earlier merge (an inversion), as scipy's do.

    Parameters
    ----------
    y : array-like of shape (n_samples, n_features), or condensed distances
        Observations (compared by the euclidean distance), or scipy's condensed distance
        vector of length n (n - 1) / 2 (``scipy.spatial.distance.pdist``'s output, any
        metric; ward, centroid and median are meaningful for euclidean distances only).
    method : {"single", "complete", "average", "weighted", "centroid", "median", "ward"}

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)

    Notes
    -----
    single on observations: Prim's minimum spanning tree (O(n^2) time, O(n) memory). The
    others hold the dense distance matrix (8 n^2 bytes, refused up front when the machine
    has less memory). complete, average, weighted and ward: merges of reciprocal nearest
    neighbours (see ``_linkage``); centroid and median: the generic algorithm, globally
    closest pair first (see ``_linkage_generic``), rows in merge order as scipy's.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
    if np.ndim(y) == 1:
        D = _condensed(y, method)
        n = len(D)
        if method in SQUARED:
            D *= D
    else:
        X = check_array(y, estimator="linkage", ensure_min_samples=2)
        n = X.shape[0]
        check_powers_finite(X, "linkage")
        if method == "single":
            Xc = X - X.mean(axis=0)

            def from_point(i):
                diff = Xc - Xc[i]
                return np.sqrt(np.einsum("ij,ij->i", diff, diff))

            return _label(_minimum_spanning_tree(n, from_point), n)
        D = _observations(X, method)
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


class AgglomerativeClustering(ClusterMixin, BaseEstimator):
    """Bottom-up clustering, cut into ``n_clusters`` or at ``distance_threshold``.

    Parameters
    ----------
    n_clusters : int or None, default=2
    linkage : {"ward", "complete", "average", "single"}, default="ward"
        See :func:`linkage` for the height of each method.
    distance_threshold : float or None, default=None
        Cut the tree at this height instead (then ``n_clusters`` must be None).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
    n_clusters_ : int
    children_ : ndarray of shape (n_samples - 1, 2)
        The two clusters merged at each step (scikit-learn's / scipy's numbering).
    distances_ : ndarray of shape (n_samples - 1,)
        Height of each merge.
    n_leaves_ : int
    linkage_matrix_ : ndarray of shape (n_samples - 1, 4)
    """

    def __init__(self, n_clusters=2, *, linkage="ward", distance_threshold=None):
        self.n_clusters = n_clusters
        self.linkage = linkage
        self.distance_threshold = distance_threshold

    def fit(self, X, y=None):
        """Build the tree and cut it; returns ``self``."""
        X = validate_data(self, X)
        if (self.n_clusters is None) == (self.distance_threshold is None):
            raise ValueError(
                "Exactly one of n_clusters and distance_threshold has to be set, and the "
                "other needs to be None."
            )
        n = X.shape[0]
        if self.n_clusters is not None:
            k = self.n_clusters
            if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
                raise ValueError(f"n_clusters must be an integer >= 1, got {k!r}.")
            if k > n:
                raise ValueError(f"n_samples={n} should be >= n_clusters={k}.")
        if self.linkage not in ESTIMATOR_METHODS:
            raise ValueError(f"linkage must be one of {ESTIMATOR_METHODS}, got {self.linkage!r}.")
        Z = linkage(X, self.linkage) if n > 1 else np.empty((0, 4))
        self.linkage_matrix_ = Z
        self.children_ = Z[:, :2].astype(np.intp)
        self.distances_ = Z[:, 2].copy()
        self.n_leaves_ = n
        if self.distance_threshold is not None:
            self.n_clusters_ = int(np.count_nonzero(self.distances_ >= self.distance_threshold)) + 1
        else:
            self.n_clusters_ = int(self.n_clusters)
        # exactly n_clusters_ clusters: the first n - k merges (fcluster's "maxclust" keeps
        # tied heights together, as scipy's, and may leave fewer)
        self.labels_ = cut_labels(Z, np.arange(n - 1) < n - self.n_clusters_) - 1
        return self
