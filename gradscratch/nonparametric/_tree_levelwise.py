"""Histogram-mode growth a level at a time, the tree engine's fast path for boosting trees.

It grows the tree that ``_tree_engine._Grower`` grows in histogram mode (the same splits,
thresholds and values, nodes numbered as scikit-learn, depth first; tested on tie-free data
in ``tests/test_tree_levelwise.py``), but with a fixed number of numpy calls per level
instead of per node:

- one ``np.bincount`` per statistic over a combined (node, feature, bin) index builds the
  histograms of every smaller child of the level; the larger child's histogram is its
  parent's minus its sibling's; a statistic equal to 1 on every row (unit weights, the
  squared error's Hessian) has the counts as its histogram and needs no pass of its own;
  the root's histograms are one ``np.bincount`` per feature over its binned column;
- one cumulative sum over the bins and one ``argmax`` find every node's best split;
- one gather from the codes and one comparison move every row to its child (the rows of a
  leaf pass down unchanged).

Its work arrays (the children's (m, p) bin index and weights) live in a workspace kept on
the binner and reused by every tree grown with it: a fresh 3 MB allocation per tree costs
more in page faults than the bincount that fills it. A read-only bin matrix (boosting's, the
same for every tree) keeps there too what is computed from it once per fit: its columns, its
flat bin index (uint16 where it fits) and the root's counts.

It applies when no feature sampling (``max_features``), no best-first growth
(``max_leaf_nodes``) and no ``min_weight_leaf`` is asked for, and the histograms of a level
fit in memory (:func:`applies`); ``grow_tree`` uses ``_Grower`` otherwise. Exact ties between
features are broken by the lower feature index here, by a random feature order there.
"""

import numpy as np

from gradscratch.nonparametric._tree_arrays import TREE_LEAF, TREE_UNDEFINED, tree_from_levels

__all__ = ["applies", "grow_levelwise"]

EPSILON = np.finfo(np.float64).eps
_MAX_ENTRIES = 2**23  # histogram entries of one level (nodes x statistics x features x bins)


def applies(binner, n_features, n_stats, max_depth, max_features, max_leaf_nodes, mwl):
    """Whether :func:`grow_levelwise` grows this tree (see the module docstring)."""
    if binner is None or max_features is not None or max_leaf_nodes is not None or mwl > 0:
        return False
    widest = 2.0 ** min(max_depth - 1, 62) if np.isfinite(max_depth) else np.inf
    return widest * n_stats * n_features * int(max(binner.n_bins_)) <= _MAX_ENTRIES


class _Workspace:
    """Work arrays reused across trees (grown on demand, handed out as views)."""

    def __init__(self):
        self.arrays = {}

    def get(self, name, shape, dtype):
        size = int(np.prod(shape))
        buf = self.arrays.get(name)
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = self.arrays[name] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)


def workspace(binner):
    ws = getattr(binner, "_workspace", None)
    if ws is None:
        ws = binner._workspace = _Workspace()
    return ws


def _histograms(index, rows, S, unit, weights, size, counts=None):
    """(d, size) sums of each statistic over the flat bins ``index`` (m, p) of ``rows``, and
    the counts (given or counted); statistics equal to 1 everywhere reuse the counts."""
    flat = index.ravel()
    if counts is None:
        counts = np.bincount(flat, minlength=size)
    out = np.empty((S.shape[0], size))
    for c, is_unit in enumerate(unit):
        if is_unit:
            out[c] = counts
        else:
            weights[...] = S[c, rows][:, None]
            out[c] = np.bincount(flat, weights=weights.ravel(), minlength=size)
    return out, counts


def _root_histograms(columns, S, unit, B, counts):
    """(d, p B) sums of each statistic at the root: one ``np.bincount`` per feature over
    its codes ``columns[j]`` (n,) weighted by the statistic itself. This reads only the
    codes, where one bincount over the flat (n, p) index would first spread each statistic
    over an (n, p) array of weights; the sums run over the rows in the same order."""
    out = np.empty((S.shape[0], len(columns), B))
    weighted = [c for c, is_unit in enumerate(unit) if not is_unit]
    for j, codes_j in enumerate(columns):
        key = codes_j.astype(np.intp)  # bincount's index type, converted once per column
        for c in weighted:
            out[c, j] = np.bincount(key, weights=S[c], minlength=B)
    for c, is_unit in enumerate(unit):
        if is_unit:
            out[c] = counts.reshape(-1, B)
    return out.reshape(S.shape[0], -1)


def _bin_index(ws, codes, B):
    """What the growth reads of ``codes`` (n, p): its columns (p, n), the flat (feature, bin)
    index ``j B + code`` of every entry (uint16 where it fits: a quarter of the bytes to
    gather), the root's counts, and the flat position ``i p`` of every row's first code. A
    read-only ``codes`` (boosting's, the same array for every tree) has them computed once."""
    n, p = codes.shape
    if not (ws.arrays.get("codes") is codes and not codes.flags.writeable):
        index = codes + np.arange(p, dtype=np.intp) * B
        ws.arrays["root_counts"] = np.bincount(index.ravel(), minlength=p * B)
        ws.arrays["index"] = index.astype(np.uint16) if p * B <= 2**16 else index
        ws.arrays["columns"] = np.ascontiguousarray(codes.T)
        ws.arrays["row_base"] = np.arange(n) * p
        ws.arrays["codes"] = codes
    a = ws.arrays
    return a["columns"], a["index"], a["root_counts"], a["row_base"]


def _best_splits(hist, counts, unit, m, crit, msl):
    """The best split of each node from its histograms ``hist`` (d, k, p, B) and ``counts``
    (k, p, B): (proxy, flat feature-bin position, left sums, right sums, left counts), the
    proxy -inf where no split is valid. A statistic equal to 1 has the counts as its sums."""
    d, k, p, B = hist.shape
    n_left = np.cumsum(counts[:, :, :-1], axis=2)
    left = np.empty((d, k, p, B - 1))
    for c in range(d):
        if unit[c]:
            left[c] = n_left  # exact: counts are integers
        else:
            np.cumsum(hist[c, :, :, :-1], axis=2, out=left[c])
    right = hist.sum(axis=3, keepdims=True) - left
    mc = m[:, None, None]
    valid = (n_left >= msl) & (mc - n_left >= msl)
    with np.errstate(divide="ignore", invalid="ignore"):
        proxy = np.where(valid, crit.proxy(left, right), -np.inf).reshape(k, -1)
    j = np.argmax(proxy, axis=1)
    at = np.arange(k)
    f, b = np.divmod(j, B - 1)
    return proxy[at, j], f, b, left[:, at, f, b], right[:, at, f, b], n_left[at, f, b]


def grow_levelwise(codes, S, crit, binner, params):
    """Grow one tree on ``codes`` (n, p) uint8 from the statistics ``S`` (d, n); returns the
    tree and the leaf of every row.

    Every row keeps a slot in the current level: slots 0..k-1 are the level's nodes, the
    slots after them the leaves of the levels above (their rows pass down unchanged). A
    slot's split is its feature and its bin, so one gather from the flat codes and one
    comparison move every row (a leaf's cut, B, is never passed)."""
    n, p = codes.shape
    d = S.shape[0]
    B = int(max(binner.n_bins_))
    PB = p * B
    ws = workspace(binner)
    unit = [bool(np.all(S[c] == 1.0)) for c in range(d)]
    max_depth, msl = params["max_depth"], params["min_samples_leaf"]
    mss, mid = params["min_samples_split"], params["min_impurity_decrease"]

    columns, index, counts, row_base = _bin_index(ws, codes, B)
    flat_codes = np.ascontiguousarray(codes).ravel()  # a view when codes is C-ordered
    hist = _root_histograms(columns, S, unit, B, counts).reshape(d, 1, p, B)
    counts = counts.reshape(1, p, B)
    sums = S.sum(axis=1)[:, None]  # (d, k): the level's node sums
    m = np.array([n])
    W = float(crit.weight(sums)[0])
    slot = np.zeros(n, dtype=np.intp)  # each row's slot in the level
    passed = np.zeros(0, dtype=np.intp)  # breadth-first ids of the leaves passed down
    nodes = {k: [] for k in ("left", "right", "feature", "threshold", "bin", "value")}
    nodes |= {"impurity": [], "n": [], "w": [], "depth": []}
    first, depth = 0, 0  # BFS id of the level's first node
    while True:
        k = len(m)
        w, L = crit.weight(sums), crit.loss(sums)
        with np.errstate(divide="ignore", invalid="ignore"):
            impurity = np.where(w > 0, L / np.where(w > 0, w, 1.0), 0.0)
        value = np.asarray(crit.value(sums), dtype=np.float64).reshape(-1, k).T
        for key, vals in (("value", list(value)), ("impurity", impurity), ("n", m), ("w", w)):
            nodes[key].extend(vals)
        nodes["depth"].extend([depth] * k)
        for key, fill in (("left", TREE_LEAF), ("right", TREE_LEAF), ("feature", TREE_UNDEFINED)):
            nodes[key].extend([fill] * k)
        nodes["threshold"].extend([float(TREE_UNDEFINED)] * k)
        nodes["bin"].extend([TREE_UNDEFINED] * k)
        ids = np.concatenate([first + np.arange(k), passed])  # each slot's BFS id
        pure = crit.checks_purity & (impurity <= EPSILON)
        can = ~((depth >= max_depth) | (m < mss) | (m < 2 * msl) | pure)
        if hist is None or not can.any():
            break
        # ---- the best split of every node that may split, all at once -------------------
        cand = np.nonzero(can)[0]
        if len(cand) < k:
            hist, counts = hist[:, cand], counts[cand]
        proxy, f, b, lsum, rsum, nl = _best_splits(hist, counts, unit, m[cand], crit, msl)
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = (L[cand] - crit.loss(lsum) - crit.loss(rsum)) / W
        ok = (proxy > -np.inf) & (gain + EPSILON >= mid)
        if not ok.any():
            break
        sp, f, b, lsum, rsum, nl = cand[ok], f[ok], b[ok], lsum[:, ok], rsum[:, ok], nl[ok]
        ns = len(sp)
        H_parent, C_parent = hist[:, ok], counts[ok]
        thresholds = binner.bin_thresholds_
        for r, s in enumerate(sp):
            node = first + s
            nodes["left"][node] = first + k + 2 * r
            nodes["right"][node] = first + k + 2 * r + 1
            nodes["feature"][node] = int(f[r])
            nodes["threshold"][node] = float(thresholds[f[r]][b[r]])
            nodes["bin"][node] = int(b[r])
        # ---- rows to their next slots: children 2r, 2r + 1 of the r-th split, then leaves
        stays = np.ones(len(ids), dtype=bool)
        stays[sp] = False
        child = np.empty(len(ids), dtype=np.intp)
        child[sp] = 2 * np.arange(ns)
        child[stays] = 2 * ns + np.arange(len(ids) - ns)
        column = np.zeros(len(ids), dtype=np.intp)
        column[sp] = f
        cut = np.full(len(ids), B, dtype=np.intp)  # no bin code reaches B
        cut[sp] = b
        goes_right = flat_codes[row_base + column[slot]] > cut[slot]
        slot = child[slot] + goes_right
        passed = ids[stays]
        sums = np.stack([lsum, rsum], axis=2).reshape(d, 2 * ns)
        m = np.stack([nl, m[sp] - nl], axis=1).reshape(-1)
        first, depth = first + k, depth + 1
        if depth >= max_depth:
            hist = None  # the children are leaves: no histograms needed
            continue
        # ---- histograms of the smaller children, the larger by subtraction ---------------
        small_right = (m[0::2] > m[1::2]).astype(np.intp)  # the left child when sizes tie
        s_slot = 2 * np.arange(ns) + small_right
        offset = np.full(2 * ns + len(passed), -1)  # the small child's histogram offset
        offset[s_slot] = np.arange(ns) * PB
        row_offset = offset[slot]
        small = np.flatnonzero(row_offset >= 0)
        idx = ws.get("small_index", (len(small), p), np.intp)
        np.add(index.take(small, axis=0), row_offset[small][:, None], out=idx, casting="unsafe")
        weights = ws.get("small_weights", (len(small), p), float)
        h_small, c_small = _histograms(idx, small, S, unit, weights, ns * PB)
        hist = np.empty((d, 2 * ns, p, B))
        counts = np.empty((2 * ns, p, B), dtype=np.intp)
        hist[:, s_slot] = h_small.reshape(d, ns, p, B)
        counts[s_slot] = c_small.reshape(ns, p, B)
        hist[:, s_slot ^ 1] = H_parent - hist[:, s_slot]
        counts[s_slot ^ 1] = C_parent - counts[s_slot]
    tree, new = tree_from_levels(nodes, p)
    return tree, new[ids[slot]]
