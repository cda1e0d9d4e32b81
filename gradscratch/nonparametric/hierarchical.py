"""Hierarchical (agglomerative) clustering: scipy's linkage matrix, cuts, and an estimator."""

import numbers

import numpy as np

from gradscratch.base import BaseEstimator, ClusterMixin, check_array, validate_data
from gradscratch.nonparametric._distances import (
    refine_cancelled,
    squared_norms,
)
from gradscratch.nonparametric._linkage import merge_reducible

__all__ = ["AgglomerativeClustering", "fcluster", "linkage"]

METHODS = ("single", "complete", "average", "ward")


def _minimum_spanning_tree(X):
    """Prim's algorithm on the complete euclidean graph: n - 1 edges (a, b, length).

    O(n^2) time and O(n) memory: the distances from each newly added point are computed
    exactly (coordinate differences) when it joins the tree.
    """
    n = X.shape[0]
    in_tree = np.zeros(n, dtype=bool)
    best = np.full(n, np.inf)
    parent = np.zeros(n, dtype=np.intp)
    edges = np.empty((n - 1, 3))
    current = 0
    for i in range(n - 1):
        in_tree[current] = True
        diff = X - X[current]
        d = np.sqrt(np.einsum("ij,ij->i", diff, diff))
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


def linkage(X, method="single"):
    """Agglomerative clustering of the rows of X, as scipy's (n - 1) x 4 linkage matrix.

    Row i merges clusters ``Z[i, 0] < Z[i, 1]`` (ids below n are points, id n + j is the
    cluster made by row j) at height ``Z[i, 2]`` into a cluster of ``Z[i, 3]`` points.
    Heights between clusters A and B (euclidean distance d):

    - single: ``min d(a, b)``; complete: ``max d(a, b)``; average: mean of ``d(a, b)``;
    - ward: ``sqrt(2 |A| |B| / (|A| + |B|)) ||mean(A) - mean(B)||``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    method : {"single", "complete", "average", "ward"}, default="single"

    Returns
    -------
    Z : ndarray of shape (n_samples - 1, 4)

    Notes
    -----
    single: Prim's minimum spanning tree (O(n^2) time, O(n) memory). The others: merges of
    reciprocal nearest neighbours on the dense distance matrix (O(n^2) memory), in parallel
    rounds then by the nearest-neighbour chain (see ``_linkage``).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
    X = check_array(X, estimator="linkage", ensure_min_samples=2)
    n = X.shape[0]
    Xc = X - X.mean(axis=0)
    if method == "single":
        return _label(_minimum_spanning_tree(Xc), n)
    sq = squared_norms(Xc)
    # ||x||^2 + ||y||^2 - 2 x.y as one matrix product of the rows (-2x, ||x||^2, 1) and
    # (y, 1, ||y||^2): no further pass over the n x n matrix.
    ones = np.ones((n, 1))
    left = np.hstack([-2.0 * Xc, sq[:, None], ones])
    D = left @ np.hstack([Xc, ones, sq[:, None]]).T
    np.fill_diagonal(D, np.inf)
    # Entries hit by cancellation (including any below 0) are recomputed exactly.
    D = refine_cancelled(D, Xc, sq)
    if method != "ward":
        np.sqrt(D, out=D)
    merges = merge_reducible(D, method)
    if method == "ward":
        merges[:, 2] = np.sqrt(np.maximum(merges[:, 2], 0.0))
    return _label(merges, n)


def fcluster(Z, t, criterion="maxclust"):
    """Flat clusters from a linkage matrix, like ``scipy.cluster.hierarchy.fcluster``.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4), heights non-decreasing
    t : int or float
        "maxclust": the number of clusters (at most); "distance": the height at which the
        tree is cut (points joined at height <= t stay together).
    criterion : {"maxclust", "distance"}, default="maxclust"

    Returns
    -------
    labels : ndarray of shape (n,), values 1..k numbered by each cluster's first point
    """
    Z = np.asarray(Z, dtype=np.float64)
    n = Z.shape[0] + 1
    if criterion == "maxclust":
        if not isinstance(t, numbers.Integral) or t < 1:
            raise ValueError(f"maxclust needs an integer number of clusters >= 1, got {t!r}.")
        kept = np.arange(max(n - int(t), 0))
    elif criterion == "distance":
        kept = np.flatnonzero(Z[:, 2] <= t)
    else:
        raise ValueError(f"criterion must be 'maxclust' or 'distance', got {criterion!r}.")
    parent = np.arange(2 * n - 1)
    parent[Z[kept, 0].astype(np.intp)] = n + kept
    parent[Z[kept, 1].astype(np.intp)] = n + kept
    # Pointer jumping: every point reaches the top of its kept subtree in O(log n) passes.
    while True:
        jumped = parent[parent]
        if np.array_equal(jumped, parent):
            break
        parent = jumped
    _, first, inverse = np.unique(parent[:n], return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    return rank[inverse.ravel()] + 1


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
        if self.linkage not in METHODS:
            raise ValueError(f"linkage must be one of {METHODS}, got {self.linkage!r}.")
        Z = linkage(X, self.linkage) if n > 1 else np.empty((0, 4))
        self.linkage_matrix_ = Z
        self.children_ = Z[:, :2].astype(np.intp)
        self.distances_ = Z[:, 2].copy()
        self.n_leaves_ = n
        if self.distance_threshold is not None:
            self.n_clusters_ = int(np.count_nonzero(self.distances_ >= self.distance_threshold)) + 1
        else:
            self.n_clusters_ = int(self.n_clusters)
        self.labels_ = fcluster(Z, self.n_clusters_, "maxclust") - 1
        return self
