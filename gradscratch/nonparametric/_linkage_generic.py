"""The generic agglomerative algorithm on Lance-Williams updates: any linkage method.

Start from the distances between points; merge the two closest clusters a and b; give the
merged cluster its distance to every other cluster x by the method's Lance-Williams
recurrence (scipy's definitions; n_a, n_b, n_x the cluster sizes), and repeat:

    single    min(d_ax, d_bx)
    complete  max(d_ax, d_bx)
    average   (n_a d_ax + n_b d_bx) / (n_a + n_b)
    weighted  (d_ax + d_bx) / 2
    ward      ((n_a + n_x) d_ax^2 + (n_b + n_x) d_bx^2 - n_x d_ab^2) / (n_a + n_b + n_x)
    centroid  (n_a d_ax^2 + n_b d_bx^2 - n_a n_b d_ab^2 / (n_a + n_b)) / (n_a + n_b)
    median    d_ax^2 / 2 + d_bx^2 / 2 - d_ab^2 / 4

(ward, centroid and median give squared distances: the matrix holds squares for them).
With euclidean input, centroid's is the squared distance between the clusters' centroids
and median's between their midpoints (WPGMC); for other input they have no such meaning,
which is why scipy requires euclidean distances for them.

Centroid and median are not reducible: a merged cluster can be closer to a third cluster
than its two parts were to each other, so heights can decrease (an inversion) and merges
must be taken globally closest first, as here. Each cluster keeps its nearest neighbour;
after a merge only the clusters whose neighbour was merged rescan their row, the others
compare with the new cluster: O(n) numpy work per merge in the usual case. Rows of the
result are in merge order, numbered as scipy numbers them (row k makes cluster n + k).
The reducible methods take the faster round-based path of ``_linkage.py``; this version
gives them the same tree (``tests/test_linkage_scipy.py`` checks it).
"""

import numpy as np

__all__ = ["generic_linkage", "lance_williams"]


def lance_williams(method, d_ax, d_bx, d_ab, n_a, n_b, n_x):
    """Distance (squared for ward, centroid, median) from the merged cluster a + b to x."""
    if method == "single":
        return np.minimum(d_ax, d_bx)
    if method == "complete":
        return np.maximum(d_ax, d_bx)
    if method == "average":
        return (n_a * d_ax + n_b * d_bx) / (n_a + n_b)
    if method == "weighted":
        return 0.5 * (d_ax + d_bx)
    if method == "ward":
        return ((n_a + n_x) * d_ax + (n_b + n_x) * d_bx - n_x * d_ab) / (n_a + n_b + n_x)
    if method == "centroid":
        return (n_a * d_ax + n_b * d_bx - n_a * n_b * d_ab / (n_a + n_b)) / (n_a + n_b)
    if method == "median":
        return 0.5 * d_ax + 0.5 * d_bx - 0.25 * d_ab
    raise ValueError(f"unknown linkage method {method!r}")


def generic_linkage(D, method):
    """The (n - 1) x 4 linkage matrix of the distance matrix ``D`` (overwritten; squared
    distances for ward, centroid and median, which the heights are then too; an infinite
    diagonal), merges in order."""
    n = len(D)
    size = np.ones(n)
    cluster = np.arange(n)  # the id of the cluster in each row
    active = np.ones(n, dtype=bool)
    nearest = np.argmin(D, axis=1)
    gap = D[np.arange(n), nearest]
    Z = np.empty((n - 1, 4))
    for k in range(n - 1):
        a = int(np.argmin(gap))
        b = int(nearest[a])
        d_ab = D[a, b]
        Z[k] = min(cluster[a], cluster[b]), max(cluster[a], cluster[b]), d_ab, size[a] + size[b]
        new = lance_williams(method, D[a], D[b], d_ab, size[a], size[b], size)
        active[a] = False
        new[~active] = np.inf
        new[b] = np.inf
        D[b], D[:, b] = new, new  # row b now holds the merged cluster
        D[a], D[:, a] = np.inf, np.inf
        size[b] += size[a]
        cluster[b] = n + k
        stale = active & ((nearest == a) | (nearest == b))
        stale[b] = active[b]
        gap[a] = np.inf
        closer = active & ~stale & (new < gap)
        nearest[closer], gap[closer] = b, new[closer]
        for r in np.flatnonzero(stale):
            nearest[r] = np.argmin(D[r])
            gap[r] = D[r, nearest[r]]
    return Z
