"""Hierarchical (agglomerative) clustering (ESL 14.3.12; ISLR 12.4.2).

Start from the n points as n clusters and, n - 1 times, merge the two clusters A, B of
smallest dissimilarity d(A, B), recording the merge and its height d(A, B). The linkage
defines d between clusters from the distances d(a, b) between points:

    single    min d(a, b)          complete  max d(a, b)       average  mean of d(a, b)
    weighted  the mean of its two parts' d to the other cluster (WPGMA)
    ward      sqrt(2 |A| |B| / (|A| + |B|)) ||mean(A) - mean(B)||
    centroid  ||mean(A) - mean(B)||
    median    the distance between the clusters' midpoints (WPGMC: a merge's point is the
              midpoint of its parts')

None of them needs the points again: after A and B merge, the dissimilarity to any other
cluster C follows from the old ones by the Lance-Williams recurrence (n_X = |X|)

    d(A u B, C) = alpha_A d(A, C) + alpha_B d(B, C) + beta d(A, B) + gamma |d(A, C) - d(B, C)|

    method    alpha_A                      beta                        gamma
    single    1/2                          0                           -1/2
    complete  1/2                          0                           1/2
    average   n_A / (n_A + n_B)            0                           0
    weighted  1/2                          0                           0
    ward      (n_A + n_C) / (n_A+n_B+n_C)  -n_C / (n_A + n_B + n_C)    0
    centroid  n_A / (n_A + n_B)            -n_A n_B / (n_A + n_B)^2    0
    median    1/2                          -1/4                        0

(alpha_B likewise with B for A), on distances for the first four and on squared euclidean
distances for ward, centroid and median, whose heights are then square roots. Centroid and
median can merge lower than an earlier merge (an inversion), as scipy's do. The result is
scipy's linkage matrix: row i merges clusters ``Z[i, 0] < Z[i, 1]`` (ids below n are points,
id n + j is the cluster made by row j) at height ``Z[i, 2]`` into ``Z[i, 3]`` points.

:func:`plain_linkage` is that loop as written (O(n^3)); :func:`linkage` computes the same
matrix through one seam, :func:`fast_linkage` (``_linkage.py``: a minimum spanning tree,
rounds of reciprocal nearest neighbours, O(n^2)), and ``tests/test_linkage_plain.py``
asserts that the two agree.
"""

import numbers

import numpy as np

from gradscratch.base import BaseEstimator, ClusterMixin, check_array, validate_data
from gradscratch.nonparametric._flat import cut_labels, fcluster, inconsistent
from gradscratch.nonparametric._limits import check_powers_finite
from gradscratch.nonparametric._linkage import SQUARED, fast_linkage

__all__ = [
    "AgglomerativeClustering",
    "fcluster",
    "inconsistent",
    "lance_williams_coefficients",
    "linkage",
    "plain_linkage",
]

METHODS = ("single", "complete", "average", "weighted", "centroid", "median", "ward")
# scikit-learn's AgglomerativeClustering offers these.
ESTIMATOR_METHODS = ("ward", "complete", "average", "single")


def lance_williams_coefficients(method, n_a, n_b, n_c):
    """(alpha_A, alpha_B, beta, gamma) of the Lance-Williams table (module docstring)."""
    n = n_a + n_b
    return {
        "single": (0.5, 0.5, 0.0, -0.5),
        "complete": (0.5, 0.5, 0.0, 0.5),
        "average": (n_a / n, n_b / n, 0.0, 0.0),
        "weighted": (0.5, 0.5, 0.0, 0.0),
        "ward": ((n_a + n_c) / (n + n_c), (n_b + n_c) / (n + n_c), -n_c / (n + n_c), 0.0),
        "centroid": (n_a / n, n_b / n, -n_a * n_b / n**2, 0.0),
        "median": (0.5, 0.5, -0.25, 0.0),
    }[method]


def plain_linkage(D, method="single"):
    """scipy's linkage matrix of the square distance matrix ``D`` by the textbook loop:
    find the closest pair, merge it, update its distances by Lance-Williams, repeat
    (O(n^3) time; for reading and for tests)."""
    D = np.array(D, dtype=np.float64)
    if method in SQUARED:
        D = D**2  # ward, centroid and median update squared euclidean distances
    n = len(D)
    ids, sizes = np.arange(n), np.ones(n)  # the cluster in each row: its id and size
    Z = np.empty((n - 1, 4))
    for step in range(n - 1):
        off_diagonal = D + np.diag(np.full(len(D), np.inf))
        a, b = np.unravel_index(np.argmin(off_diagonal), D.shape)  # the closest pair
        alpha_a, alpha_b, beta, gamma = lance_williams_coefficients(
            method, sizes[a], sizes[b], sizes
        )
        new = alpha_a * D[a] + alpha_b * D[b] + beta * D[a, b] + gamma * np.abs(D[a] - D[b])
        Z[step] = min(ids[a], ids[b]), max(ids[a], ids[b]), D[a, b], sizes[a] + sizes[b]
        # rows and columns a and b leave; the merged cluster A u B comes last
        keep = (np.arange(len(D)) != a) & (np.arange(len(D)) != b)
        D = np.block([[D[keep][:, keep], new[keep, None]], [new[None, keep], np.zeros((1, 1))]])
        ids = np.append(ids[keep], n + step)
        sizes = np.append(sizes[keep], sizes[a] + sizes[b])
    if method in SQUARED:
        Z[:, 2] = np.sqrt(Z[:, 2])
    return Z


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
    The matrix of :func:`plain_linkage`, computed by :func:`fast_linkage` (``_linkage``).
    single on observations: Prim's minimum spanning tree (O(n^2) time, O(n) memory). The
    others hold the dense distance matrix (8 n^2 bytes, refused up front when the machine
    has less memory). complete, average, weighted and ward: merges of reciprocal nearest
    neighbours (see ``_linkage``); centroid and median: the generic algorithm, globally
    closest pair first (see ``_linkage_generic``), rows in merge order as scipy's.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
    if np.ndim(y) == 1:
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
    else:
        y = check_array(y, estimator="linkage", ensure_min_samples=2)
        check_powers_finite(y, "linkage")
    return fast_linkage(y, method)


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
