"""Histogram-mode growth a level at a time, the tree engine's fast path for boosting trees.

It grows the tree that ``_tree_engine._Grower`` grows in histogram mode (the same splits,
thresholds and values, nodes numbered as scikit-learn, depth first; tested on tie-free data
in ``tests/test_tree_levelwise.py``), but with a fixed number of numpy calls per level
instead of per node:

- one ``np.bincount`` per statistic over a combined (node, feature, bin) index builds the
  histograms of every smaller child of the level; the larger child's histogram is its
  parent's minus its sibling's;
- one cumulative sum over the bins and one ``argmax`` find every node's best split;
- one comparison moves every row to its child.

Its large work arrays (the (n, p) bin index and weights) live in a workspace kept on the
binner and reused by every tree grown with it: a fresh 3 MB allocation per tree costs more in
page faults than the bincount that fills it.

It applies when no feature sampling (``max_features``), no best-first growth
(``max_leaf_nodes``) and no ``min_weight_leaf`` is asked for, and the histograms of a level
fit in memory (:func:`applies`); ``grow_tree`` uses ``_Grower`` otherwise. Exact ties between
features are broken by the lower feature index here, by a random feature order there.
"""

import numpy as np

from gradscratch.nonparametric._tree_arrays import TREE_LEAF, TREE_UNDEFINED, Tree

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


def _bin_index(ws, codes, B):
    """The flat (feature, bin) index of every entry of ``codes``, and its counts. A read-only
    ``codes`` (boosting's, the same array for every tree) has them computed once."""
    n, p = codes.shape
    if ws.arrays.get("codes") is codes and not codes.flags.writeable:
        return ws.arrays["index"].reshape(n, p), ws.arrays["root_counts"]
    index = ws.get("index", (n, p), np.intp)
    np.add(codes, np.arange(p) * B, out=index, casting="unsafe")
    ws.arrays["root_counts"] = np.bincount(index.ravel(), minlength=p * B)
    ws.arrays["codes"] = codes
    return index, ws.arrays["root_counts"]


def grow_levelwise(codes, S, crit, binner, params):
    """Grow one tree on ``codes`` (n, p) uint8 from the statistics ``S`` (d, n); returns the
    tree and the leaf of every row."""
    n, p = codes.shape
    d = S.shape[0]
    B = int(max(binner.n_bins_))
    PB = p * B
    ws = workspace(binner)
    edges = np.zeros((p, B))
    for j, e in enumerate(binner.bin_thresholds_):
        edges[j, : len(e)] = e
    unit = [bool(np.all(S[c] == 1.0)) for c in range(d)]
    max_depth, msl = params["max_depth"], params["min_samples_leaf"]
    mss, mid = params["min_samples_split"], params["min_impurity_decrease"]

    index, counts = _bin_index(ws, codes, B)
    rows = np.arange(n)
    hist, _ = _histograms(index, rows, S, unit, ws.get("weights", (n, p), float), PB, counts)
    hist, counts = hist.reshape(d, 1, p, B), counts.reshape(1, p, B)
    sums = S.sum(axis=1)[:, None]  # (d, k): the level's node sums
    m = np.array([n])
    W = float(crit.weight(sums)[0])
    slot = np.zeros(n, dtype=np.intp)  # each row's node in the level (-1: in a leaf above)
    row_node = np.zeros(n, dtype=np.intp)  # each row's node (breadth-first id)
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
        pure = crit.checks_purity & (impurity <= EPSILON)
        can = ~((depth >= max_depth) | (m < mss) | (m < 2 * msl) | pure)
        if hist is None or not can.any():
            break
        # ---- the best split of every node that may split, all at once -------------------
        cand = np.nonzero(can)[0]
        H, C = hist[:, cand], counts[cand]
        n_left = np.cumsum(C, axis=2)[:, :, :-1]
        left = np.cumsum(H, axis=3)[:, :, :, :-1]
        right = H.sum(axis=3, keepdims=True) - left
        mc = m[cand][:, None, None]
        valid = (n_left >= msl) & (mc - n_left >= msl)
        with np.errstate(divide="ignore", invalid="ignore"):
            proxy = np.where(valid, crit.proxy(left, right), -np.inf).reshape(len(cand), -1)
        j = np.argmax(proxy, axis=1)
        at = np.arange(len(cand))
        f, b = np.divmod(j, B - 1)
        lsum, rsum = left[:, at, f, b], right[:, at, f, b]
        with np.errstate(divide="ignore", invalid="ignore"):
            gain = (L[cand] - crit.loss(lsum) - crit.loss(rsum)) / W
        ok = (proxy[at, j] > -np.inf) & (gain + EPSILON >= mid)
        if not ok.any():
            break
        sp, f, b, lsum, rsum = cand[ok], f[ok], b[ok], lsum[:, ok], rsum[:, ok]
        nl = n_left[at[ok], f, b]
        ns = len(sp)
        H_parent, C_parent = hist[:, sp], counts[sp]
        for r, s in enumerate(sp):
            node = first + s
            nodes["left"][node] = first + k + 2 * r
            nodes["right"][node] = first + k + 2 * r + 1
            nodes["feature"][node] = int(f[r])
            nodes["threshold"][node] = float(edges[f[r], b[r]])
            nodes["bin"][node] = int(b[r])
        # ---- rows to children; histograms of the smaller children, the larger by subtraction
        rank = np.full(k + 1, -1)  # rank[-1] = -1 for rows already in a leaf
        rank[sp] = np.arange(ns)
        act = np.nonzero(rank[slot] >= 0)[0]
        ra = rank[slot[act]]
        goes_right = codes[act, f[ra]] > b[ra]
        slot = np.full(n, -1, dtype=np.intp)
        slot[act] = 2 * ra + goes_right
        row_node[act] = first + k + slot[act]
        sums = np.stack([lsum, rsum], axis=2).reshape(d, 2 * ns)
        m = np.stack([nl, m[sp] - nl], axis=1).reshape(-1)
        first, depth = first + k, depth + 1
        if depth >= max_depth:
            hist = None  # the children are leaves: no histograms needed
            continue
        small_right = (m[0::2] > m[1::2]).astype(np.intp)  # the left child when sizes tie
        small = act[(slot[act] % 2) == small_right[ra]]
        sr = ra[(slot[act] % 2) == small_right[ra]]
        idx = ws.get("small_index", (len(small), p), np.intp)
        np.take(index, small, axis=0, out=idx)
        idx += (sr * PB)[:, None]
        weights = ws.get("small_weights", (len(small), p), float)
        h_small, c_small = _histograms(idx, small, S, unit, weights, ns * PB)
        h_small, c_small = h_small.reshape(d, ns, p, B), c_small.reshape(ns, p, B)
        hist = np.empty((d, 2 * ns, p, B))
        counts = np.empty((2 * ns, p, B), dtype=np.intp)
        s_slot = 2 * np.arange(ns) + small_right
        hist[:, s_slot], counts[s_slot] = h_small, c_small
        hist[:, s_slot ^ 1] = H_parent - h_small
        counts[s_slot ^ 1] = C_parent - c_small
    tree, new = _depth_first_tree(nodes, p)
    return tree, new[row_node]


_FIELDS = {
    "children_left": ("left", np.intp),
    "children_right": ("right", np.intp),
    "feature": ("feature", np.intp),
    "threshold": ("threshold", np.float64),
    "threshold_bin": ("bin", np.intp),
    "value": ("value", np.float64),
    "impurity": ("impurity", np.float64),
    "n_node_samples": ("n", np.intp),
    "weighted_n_node_samples": ("w", np.float64),
    "depth": ("depth", np.intp),
}


def _depth_first_tree(nodes, n_features):
    """The :class:`Tree` with its breadth-first nodes renumbered depth first, left child
    first (scikit-learn's numbering, as ``_Grower`` numbers them)."""
    left, right = np.array(nodes["left"]), np.array(nodes["right"])
    order, stack = [], [0]
    while stack:
        v = stack.pop()
        order.append(v)
        if left[v] != TREE_LEAF:
            stack += [right[v], left[v]]
    order = np.array(order)
    new = np.empty(len(order), dtype=np.intp)
    new[order] = np.arange(len(order))
    arrays = {}
    for field, (key, dtype) in _FIELDS.items():
        arrays[field] = np.array(nodes[key], dtype=dtype)[order]
    for field in ("children_left", "children_right"):
        a = arrays[field]
        arrays[field] = np.where(a == TREE_LEAF, TREE_LEAF, new[np.maximum(a, 0)])
    return Tree(arrays, n_features), new
