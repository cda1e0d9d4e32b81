"""Flat clusters from a linkage matrix, as ``scipy.cluster.hierarchy``: ``fcluster`` and
``inconsistent``.

Every criterion is a cut by a *monotone* criterion: a value MC per merge that never
decreases up the tree (a merge's MC is at least its children's). The merges with MC <= t
form a downward-closed set, its topmost members are the flat clusters, and every point not
under one is a singleton cluster. The criteria differ only in MC:

- "distance": the largest height in the merge's subtree (the height itself when the heights
  are monotone; centroid and median linkage may have inversions);
- "inconsistent": the largest inconsistency coefficient in the subtree (``inconsistent``);
- "maxclust": "distance", with the smallest threshold among the MC values that leaves at
  most t clusters (scipy's search, so that tied heights can leave fewer than t);
- "monocrit" / "maxclust_monocrit": a user's MC.

Clusters are numbered 1..k in scipy's order: a depth-first walk from the root that visits
the left subtree, then the right one, then the point children of a merge (left first),
numbering a cluster's top merge when the walk enters it and a singleton when its parent is
left. The walk is computed without a loop over points: entry times of an Euler tour, summed
along root paths by pointer jumping.
"""

import numbers

import numpy as np

__all__ = ["cut_labels", "fcluster", "inconsistent"]

CRITERIA = ("inconsistent", "distance", "maxclust", "monocrit", "maxclust_monocrit")


def check_linkage(Z, name="Z"):
    """A valid (n - 1) x 4 linkage matrix as float64 (scipy's ``is_valid_linkage`` rules)."""
    Z = np.asarray(Z, dtype=np.float64)
    if Z.ndim != 2 or Z.shape[1] != 4:
        raise ValueError(f"Linkage matrix {name!r} must have shape (n - 1, 4), got {Z.shape}.")
    if not np.all(np.isfinite(Z)):
        raise ValueError(f"Linkage matrix {name!r} must contain only finite values.")
    n = Z.shape[0] + 1
    ids = Z[:, :2]
    if np.any(ids != np.floor(ids)) or np.any(ids < 0):
        raise ValueError(f"Linkage matrix {name!r} must hold non-negative integer cluster ids.")
    if np.any(ids >= n + np.arange(n - 1)[:, None]):
        raise ValueError(f"Linkage {name!r} uses a cluster before it is formed.")
    if len(np.unique(ids)) != ids.size:
        raise ValueError(f"Linkage {name!r} uses the same cluster more than once.")
    if np.any(Z[:, 2] < 0):
        raise ValueError(f"Linkage {name!r} contains negative distances.")
    return Z


def _children(Z):
    """Row of each merge's left and right child (-1 for a point)."""
    n = Z.shape[0] + 1
    left, right = Z[:, 0].astype(np.intp) - n, Z[:, 1].astype(np.intp) - n
    return np.where(left >= 0, left, -1), np.where(right >= 0, right, -1)


def subtree_max(Z, values):
    """max of ``values`` (one per merge) over each merge's subtree, the merge included."""
    out = np.array(values, dtype=np.float64)
    left, right = _children(Z)
    pad = np.append(out, -np.inf)  # index -1 (a point) reads -inf
    if np.all(out >= pad[left]) and np.all(out >= pad[right]):
        return out  # already monotone up the tree (heights of a reducible linkage)
    for i, (a, b) in enumerate(zip(left.tolist(), right.tolist())):  # children come first
        if a >= 0 and out[a] > out[i]:
            out[i] = out[a]
        if b >= 0 and out[b] > out[i]:
            out[i] = out[b]
    return out


def inconsistent(Z, d=2):
    """Inconsistency statistics of every merge, as ``scipy.cluster.hierarchy.inconsistent``.

    Row i holds the mean and standard deviation (ddof 1; 0 for a single merge) of the
    heights of the merges at most ``d - 1`` levels below merge i (i included), their count,
    and the inconsistency coefficient ``(Z[i, 2] - mean) / std`` (0 when std is 0).

    The statistics of a subtree are merged from its children's by Chan's update of
    (count, mean, sum of squared deviations), level by level, so equal heights give a
    deviation of exactly 0 (scipy's sum-of-squares formula can leave rounding there, and
    then a coefficient of order 1 from nothing); a deviation within rounding of the mean
    (16 eps of it: heights that differ only by rounding) counts as 0.

    Returns
    -------
    R : ndarray of shape (n - 1, 4)
    """
    Z = check_linkage(Z)
    if not (isinstance(d, numbers.Real) and d == np.floor(d) and d >= 0):
        raise ValueError(f"The depth d must be a non-negative integer, got {d!r}.")
    h = Z[:, 2]
    left, right = _children(Z)
    count, mean, m2 = np.ones_like(h), h.copy(), np.zeros_like(h)
    for _ in range(int(max(d, 1)) - 1):
        c, m, s = np.ones_like(h), h.copy(), np.zeros_like(h)  # the merge itself
        for child in (left, right):
            inner = child >= 0
            cc = np.where(inner, count[child], 0.0)
            delta = np.where(inner, mean[child], 0.0) - m
            total = c + cc
            s = s + np.where(inner, m2[child], 0.0) + delta * delta * c * cc / total
            m = m + delta * cc / total
            c = total
        count, mean, m2 = c, m, s
    std = np.sqrt(np.where(count > 1, m2 / np.maximum(count - 1, 1), 0.0))
    std[std <= 16 * np.finfo(np.float64).eps * mean] = 0.0  # heights equal up to rounding
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficient = np.where(std > 0, (h - mean) / std, 0.0)
    return np.column_stack([mean, std, count, coefficient])


def fcluster(Z, t, criterion="inconsistent", depth=2, R=None, monocrit=None):
    """Flat clusters from a linkage matrix, as ``scipy.cluster.hierarchy.fcluster``.

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
        A linkage matrix (:func:`linkage`'s or scipy's).
    t : float
        The threshold: "inconsistent", "distance", "monocrit": merges whose criterion
        (over their subtree) is <= t are kept; "maxclust", "maxclust_monocrit": the largest
        number of clusters (a float is truncated to an integer, as scipy does).
    criterion : {"inconsistent", "distance", "maxclust", "monocrit", "maxclust_monocrit"}
        Default "inconsistent", scipy's.
    depth : int, default=2
        Depth of the inconsistency statistics ("inconsistent" without ``R``).
    R : ndarray of shape (n - 1, 4), optional
        Inconsistency statistics, as :func:`inconsistent` returns (computed when None).
    monocrit : ndarray of shape (n - 1,), optional
        The criterion of the "monocrit" criteria, monotone up the tree.

    Returns
    -------
    labels : ndarray of shape (n,), values 1..k numbered as scipy numbers them
    """
    Z = check_linkage(Z)
    n = Z.shape[0] + 1
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}.")
    if not isinstance(t, numbers.Real) or isinstance(t, bool) or not np.isfinite(t):
        raise ValueError(f"t must be a finite number, got {t!r}.")
    if criterion == "inconsistent":
        R = inconsistent(Z, depth) if R is None else np.asarray(R, dtype=np.float64)
        if R.shape != (n - 1, 4):
            raise ValueError(f"R must have shape ({n - 1}, 4), got {R.shape}.")
        mc = subtree_max(Z, R[:, 3])
    elif criterion in ("distance", "maxclust"):
        mc = subtree_max(Z, Z[:, 2])
    else:
        if monocrit is None:
            raise ValueError(f"criterion {criterion!r} needs the monocrit array.")
        mc = np.asarray(monocrit, dtype=np.float64)
        if mc.shape != (n - 1,):
            raise ValueError(f"monocrit must have shape ({n - 1},), got {mc.shape}.")
    if criterion.startswith("maxclust"):
        if t < 1:
            raise ValueError(f"maxclust needs a number of clusters >= 1, got {t!r}.")
        k = int(t)
        if k >= n:
            return np.arange(1, n + 1)  # scipy: every point its own cluster, in order
        t = _smallest_threshold(mc, n, k)
    return cut_labels(Z, mc <= t)


def _smallest_threshold(mc, n, k):
    """scipy's search: the smallest MC[i] (rows in order) leaving at most k clusters.

    With MC monotone up the tree, the cut at threshold t leaves n - #{MC <= t} clusters.
    """
    lower, upper = -1, n - 1
    while upper - lower > 1:
        i = (lower + upper) // 2
        if n - np.count_nonzero(mc <= mc[i]) > k:
            lower = i
        else:
            upper = i
    return mc[upper]


def cut_labels(Z, kept):
    """Labels 1..k of the cut keeping the merges ``kept`` (downward closed), numbered in
    scipy's walk order (see the module docstring)."""
    n = Z.shape[0] + 1
    if n == 1:
        return np.ones(1, dtype=np.intp)
    ids = Z[:, :2].astype(np.intp)
    rows, root = np.arange(n - 1), n - 2
    parent = np.full(2 * n - 1, root)  # the row of each node's parent merge
    parent[ids[:, 0]], parent[ids[:, 1]] = rows, rows
    up = parent[n:]  # of each merge (the root's own row for the root)
    # Euler tour of the merges: merge r is entered at entry[r] and left at
    # entry[r] + 2 s(r) - 1, s(r) = Z[r, 3] - 1 merges in its subtree; a left child merge is
    # entered right after its parent, a right one after the parent's left subtree.
    size = Z[:, 3] - 1
    left = ids[up, 0]
    left_size = np.where(left >= n, size[np.maximum(left - n, 0)], 0.0)
    offset = np.where(left == n + rows, 1.0, 1.0 + 2.0 * left_size)
    offset[root] = 0.0
    entry = offset.copy()
    while np.any(up != root):  # sums of offsets along root paths, by pointer jumping
        entry, up = entry + entry[up], up[up]
    leave = entry + 2.0 * size - 1.0
    # the clusters: top kept merges, entered in order, and points whose parent is not kept,
    # numbered when their parent is left (left child first)
    top = kept & ((rows == root) | ~kept[parent[n:]])
    single = ~kept[parent[:n]]
    points = np.flatnonzero(single)
    side = ids[parent[points], 1] == points
    keys = np.concatenate([2.0 * entry[top], 2.0 * leave[parent[points]] + side])
    number = np.empty(len(keys), dtype=np.intp)
    number[np.argsort(keys)] = np.arange(1, len(keys) + 1)
    label_of = np.zeros(2 * n - 1, dtype=np.intp)
    label_of[n + np.flatnonzero(top)] = number[: np.count_nonzero(top)]
    label_of[points] = number[np.count_nonzero(top) :]
    # every other point climbs to its top kept merge, by pointer jumping
    climb = np.arange(2 * n - 1)
    inside = kept[parent] & (np.arange(2 * n - 1) != 2 * n - 2)
    climb[inside] = n + parent[inside]
    while True:
        jumped = climb[climb]
        if np.array_equal(jumped, climb):
            break
        climb = jumped
    return label_of[climb[:n]]
