"""Exact-mode growth a level at a time, the tree engine's fast path for CART trees and forests.

It grows the tree that ``_tree_engine._Grower`` grows node by node in exact mode (the same
splits, thresholds and values, nodes numbered as scikit-learn, depth first; tested in
``tests/test_tree_exact_levelwise.py``), with a fixed number of numpy calls per level instead
of per node (a depth-10 tree has ~1000 nodes but 10 levels):

- the *layout* ``order`` (p, m) holds, for every feature, the rows of the level's splittable
  nodes grouped by node (each node a segment of the same columns in every feature row) and
  sorted by that feature within the segment: a presorted argsort, kept sorted by a stable
  partition per level (integer cumulative sums give every row's place in its child);
- the candidate (node, feature) pairs (all non-constant features, or the first
  ``max_features`` of them in the node's random order, ``_node_keys``) are laid end to end;
  one cumulative sum of the statistics over them, minus each segment's start, gives the sums
  left of every cut, and the criterion's proxy at every valid cut is evaluated at once;
- ``reduceat`` takes the best cut of every pair; a (node, feature) table read in each node's
  feature order gives the node's best pair (the first maximum, so ties are broken as the
  node-by-node search breaks them);
- the children's sums are summed from their rows (a pure child has an impurity of exactly 0,
  as scikit-learn's, which sums each node's samples).

The work per level is O(n p) for the partition and O(n max_features) for the search. With
few features drawn per node (``3 max_features <= p``, forests' "sqrt"), keeping all p features
sorted costs more than sorting what is drawn: the layout is then one row (each node's rows in
no order) and each level sorts the keys (pair, rank of the row in the pair's feature) of the
drawn pairs in one ``np.sort``; a node whose drawn features are constant draws the next ones
of its order in one more round.
"""

import weakref

import numpy as np

from gradscratch.nonparametric._node_keys import child_keys, feature_orders
from gradscratch.nonparametric._tree_arrays import TREE_LEAF, TREE_UNDEFINED, tree_from_levels

__all__ = ["grow_exact_levelwise", "sorts_pairs"]

FEATURE_THRESHOLD = 1e-7  # scikit-learn: values closer than this are not split apart
EPSILON = np.finfo(np.float64).eps
_CHUNK = 2**22  # statistics entries of one block of (node, feature) segments (memory bound)


def _segments(starts, lengths):
    """The positions ``starts[s], ..., starts[s] + lengths[s] - 1`` of all segments ``s``,
    laid end to end (one ``repeat`` instead of a loop over the segments)."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _best_cuts(g, rows, xs, pair_len):
    """Best cut of every (node, feature) pair of a block: the proxy (-inf: none valid), the
    number of rows left of it, its threshold, and whether the feature varies in the node.

    ``rows`` and ``xs``: the pairs' rows sorted by the pair's feature and their values, laid
    end to end. One cumulative sum of the statistics the proxy reads, minus its value before
    each pair, gives the sums left of every cut."""
    T = len(rows)
    first = np.cumsum(pair_len) - pair_len  # each pair's first entry
    stats = np.take(g.S[g.crit.proxy_rows], rows, axis=1)
    left = np.cumsum(stats, axis=1)
    last = left[:, first + pair_len - 1]
    before = np.where(first > 0, left[:, first - 1], 0.0)  # sums before each pair
    left -= np.repeat(before, pair_len, axis=1)
    right = np.repeat(last - before, pair_len, axis=1) - left
    # a cut after the pos-th row of a pair (pos = 0, 1, ...) leaves pos + 1 rows left: it
    # needs a change of value, and min_samples_leaf rows on each side
    valid = np.empty(T, dtype=bool)
    np.greater(xs[1:], xs[:-1] + FEATURE_THRESHOLD, out=valid[:-1])
    for i in range(g.msl):  # (a pair's last cut is never valid: it keeps pairs apart)
        valid[first + pair_len - 1 - i] = False
    for i in range(g.msl - 1):
        valid[np.minimum(first + i, T - 1)] = False
    if g.mwl > 0:
        valid &= (g.crit.weight(left) >= g.mwl) & (g.crit.weight(right) >= g.mwl)
    with np.errstate(divide="ignore", invalid="ignore"):
        proxy = np.where(valid, g.crit.proxy(left, right), -np.inf)
    best = np.maximum.reduceat(proxy, first)
    # the first best cut of each pair: the first hit at or after the pair's first entry
    # (a pair without a valid cut has -inf everywhere, so its first entry is a hit)
    hits = np.flatnonzero(proxy == np.repeat(best, pair_len))
    at = hits[np.searchsorted(hits, first)]
    lo, hi = xs[at].astype(np.float64), xs[np.minimum(at + 1, T - 1)].astype(np.float64)
    thr = lo / 2.0 + hi / 2.0
    varying = xs[first + pair_len - 1] > xs[first] + FEATURE_THRESHOLD
    return best, at - first + 1, np.where((thr == hi) | ~np.isfinite(thr), lo, thr), varying


def sorts_pairs(max_features, n_features):
    """Whether few enough features are drawn per node to sort the drawn pairs per level
    (sampled mode) rather than keep all features sorted."""
    return max_features is not None and 3 * max_features <= n_features


_SORTED = {}  # "entry": (ref to X, ref to presorted, (rank, values)), a forest's trees share


def _sorted_data(X, presorted):
    """``rank`` (p, n): the place of row i in feature j's sorted order, and the sorted
    values, computed once for all trees grown on the same ``X`` and ``presorted``. The
    entry is one tuple, read and replaced whole, so that fits in two threads never mix
    another fit's arrays with their own (at worst they recompute)."""
    entry = _SORTED.get("entry")
    if entry is not None and entry[0]() is X and entry[1]() is presorted:
        return entry[2]
    n = X.shape[0]
    rank = np.empty(presorted.shape, dtype=np.int32 if n < 2**31 else np.intp)
    np.put_along_axis(rank, presorted, np.arange(n)[None], axis=1)
    values = np.take_along_axis(np.ascontiguousarray(X.T), presorted, axis=1)
    ref = weakref.ref(presorted)
    _SORTED["entry"] = (weakref.ref(X), ref, (rank, values))
    weakref.finalize(presorted, _forget, ref)  # freed with the presorted array
    return rank, values


def _forget(ref):
    """Drop the cached entry if it is still the one of the presorted array behind ``ref``."""
    entry = _SORTED.get("entry")
    if entry is not None and entry[1] is ref:
        _SORTED.pop("entry", None)


class _ExactLevelGrower:
    def __init__(self, X, S, crit, params):
        self.X, self.S, self.crit = np.ascontiguousarray(X), S, crit
        self.n, self.p = X.shape
        self.max_depth, self.msl = params["max_depth"], params["min_samples_leaf"]
        self.mss, self.mwl = params["min_samples_split"], params["min_weight_leaf"]
        self.mid, self.mf = params["min_impurity_decrease"], params["max_features"]
        # few features drawn per node: sort each level's drawn (node, feature) pairs rather
        # than keep all p features sorted (a partition of p x n entries per level)
        self.sampled = sorts_pairs(self.mf, self.p)
        if not self.sampled:
            self.XT = np.ascontiguousarray(X.T)

    def prepare(self, presorted, rows):
        """The root's layout. Sampled mode: the layout is one row (each node's rows, in no
        order: ``rows``, or all), and each feature's ranks and sorted rows and values are
        kept for the per-level sorts."""
        if not self.sampled:
            if presorted is None:  # (ties in any order: they never fall on two sides of a cut)
                presorted = np.argsort(self.XT, axis=1)
            return np.ascontiguousarray(presorted)
        if presorted is None:
            presorted = np.argsort(np.ascontiguousarray(self.X.T), axis=1)
        self.sorted_rows = presorted
        self.rank, self.sorted_values = _sorted_data(self.X, presorted)
        return (np.arange(self.n) if rows is None else rows)[None]

    def _ranges(self, order, starts, sizes):
        """(k, p): each node's smallest and largest value of each feature (dense mode: the
        first and last rows of its sorted segments)."""
        lo = np.take(self.XT, order[:, starts].T + np.arange(self.p) * self.n)
        hi = np.take(self.XT, order[:, starts + sizes - 1].T + np.arange(self.p) * self.n)
        return lo, hi

    def _pair_rows(self, order, feats, starts, sizes):
        """The rows of (node, feature) pairs, each sorted by its feature, laid end to end,
        and their values."""
        if not self.sampled:
            rows = np.take(order, _segments(feats * order.shape[1] + starts, sizes))
            return rows, np.take(self.XT, np.repeat(feats * self.n, sizes) + rows)
        # one sort of the keys (pair, rank of the row in the pair's feature): pair j's keys
        # lie in [j n, (j + 1) n), so after the sort its rows are where they were, in order
        rows = np.take(order[0], _segments(starts, sizes))
        # int32 keys (when they fit) sort faster than int64
        fits = max(len(feats), self.p) * self.n < 2**31
        pair_base = np.arange(len(feats), dtype=np.int32 if fits else np.intp) * self.n
        keys = np.take(self.rank, np.repeat(feats * self.n, sizes) + rows)
        keys = keys.astype(pair_base.dtype, copy=False) + np.repeat(pair_base, sizes)
        keys.sort()
        keys += np.repeat((feats * self.n - pair_base).astype(keys.dtype), sizes)  # j n + rank
        return np.take(self.sorted_rows, keys), np.take(self.sorted_values, keys)

    def _split_rows(self, order, starts, sizes, f, n_left, thr):
        """The rows left and right of each node's split, grouped by node."""
        if not self.sampled:  # the first n_left rows along the feature
            M = order.shape[1]
            left = np.take(order, _segments(f * M + starts, n_left))
            right = np.take(order, _segments(f * M + starts + n_left, sizes - n_left))
            return left, right
        rows = np.take(order[0], _segments(starts, sizes))
        # (the same rows: no value lies between the two the threshold separates)
        go = np.take(self.X, rows * self.p + np.repeat(f, sizes)) <= np.repeat(thr, sizes)
        return rows[go], rows[~go]

    def splittable(self, sums, m, depth):
        """Nodes that pass the stopping rules before a search (as ``_Grower._evaluate``)."""
        w, L = self.crit.weight(sums), self.crit.loss(sums)
        with np.errstate(divide="ignore", invalid="ignore"):
            impurity = np.where(w > 0, L / np.where(w > 0, w, 1.0), 0.0)
        stop = (depth >= self.max_depth) | (m < self.mss) | (m < 2 * self.msl)
        stop |= w < 2 * self.mwl
        if self.crit.checks_purity:
            stop |= impurity <= EPSILON
        return ~stop, w, L, impurity

    def search(self, order, starts, sizes, keys):
        """Best split of each node (segment) of the layout: its proxy (-inf: none valid),
        feature, number of rows left and threshold. The candidates of a node are its first
        ``max_features`` non-constant features in its random order (all of them if None)."""
        k, p = len(sizes), self.p
        perm = feature_orders(keys, p)
        # best proxy, n_left and threshold of each (node, feature) searched
        tables = np.full((k, p), -np.inf), np.zeros((k, p), dtype=np.intp), np.zeros((k, p))
        if not self.sampled:
            lo, hi = self._ranges(order, starts, sizes)
            chosen = np.take_along_axis(hi > lo + FEATURE_THRESHOLD, perm, axis=1)
            if self.mf is not None:
                chosen &= np.cumsum(chosen, axis=1) <= self.mf
            self._search_pairs(order, starts, sizes, perm, chosen, tables)
        else:  # draw features in each node's order until max_features vary (usually once)
            cursor, need = np.zeros(k, dtype=np.intp), np.full(k, self.mf)
            at = np.arange(p)
            while need.any():
                chosen = (at >= cursor[:, None]) & (at < (cursor + need)[:, None])
                varying = self._search_pairs(order, starts, sizes, perm, chosen, tables)
                cursor += need
                need = np.minimum(need - varying, p - cursor)
        best = [np.take_along_axis(table, perm, axis=1) for table in tables]
        q = np.argmax(best[0], axis=1)  # the first maximum in the node's feature order
        at = np.arange(k)
        return best[0][at, q], perm[at, q], best[1][at, q], best[2][at, q]

    def _search_pairs(self, order, starts, sizes, perm, chosen, tables):
        """Fill ``tables`` for the (node, feature) pairs ``chosen`` ((k, p), in the nodes'
        feature orders); returns the number of non-constant features searched per node."""
        k, p = chosen.shape
        # the pairs feature by feature (then node by node): with all features chosen their
        # rows are the layout's rows as they lie
        by_feature = np.zeros((k, p), dtype=bool)
        np.put_along_axis(by_feature, perm, chosen, axis=1)
        pair_feat, pair_node = np.nonzero(by_feature.T)
        n_pairs = len(pair_node)
        all_pairs = n_pairs == k * p and not self.sampled
        total = int(sizes.sum())  # the layout's nodes fill its first total columns
        ends = np.cumsum(sizes[pair_node])
        rows_per_block = _CHUNK // self.S.shape[0]  # blocks of whole pairs
        varying = np.zeros(n_pairs, dtype=bool)
        start = 0
        while start < n_pairs:
            base = ends[start - 1] if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + rows_per_block, "right")))
            nodes, feats = pair_node[start:stop], pair_feat[start:stop]
            if all_pairs and start == 0 and stop == n_pairs:
                rows = order[:, :total]
                xs = np.take(self.XT, rows + (np.arange(p) * self.n)[:, None]).ravel()
                rows = rows.ravel()
            else:
                rows, xs = self._pair_rows(order, feats, starts[nodes], sizes[nodes])
            *cuts, varying[start:stop] = _best_cuts(self, rows, xs, sizes[nodes])
            for table, values in zip(tables, cuts):
                table[nodes, feats] = values
            start = stop
        return np.bincount(pair_node, weights=varying, minlength=k).astype(np.intp)

    def partition(self, order, sizes, n_left, goes_left, keep):
        """The next level's layout: the rows of every node of the layout (``sizes``, ``n_left``
        of them going left: 0 for a node not split) moved stably to their child, left child
        first. The children kept (``keep``, (2 k,): left and right of each node) come first,
        in level order; returns the layout and their segments (starts and sizes)."""
        total = int(sizes.sum())
        layout = order[:, :total]
        gl = np.take(goes_left, layout)
        n_lefts = np.cumsum(gl, axis=1)
        child_sizes = np.stack([n_left, sizes - n_left], axis=1).ravel()
        ranked = np.argsort(~keep, kind="stable")  # kept children first
        new_starts = np.empty_like(child_sizes)
        new_starts[ranked] = np.cumsum(child_sizes[ranked]) - child_sizes[ranked]
        # the same number of rows goes left in every feature row of a node, so the left rows
        # before a node's segment are a column constant: left rows go to
        # left_start + (n_lefts - 1 - lefts_before), right rows to right_start + (column in
        # the segment) - (n_lefts - lefts_before)
        lefts_before = np.repeat(np.cumsum(n_left) - n_left, sizes)
        in_seg = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        to_left = np.repeat(new_starts[0::2], sizes) - lefts_before - 1
        to_right = np.repeat(new_starts[1::2], sizes) + in_seg + lefts_before
        to_left = to_left + (np.arange(len(order)) * total)[:, None]  # flat positions
        to_right = to_right + (np.arange(len(order)) * total)[:, None]
        dest = n_lefts + to_left  # (in place below: fewer fresh arrays of p x total)
        np.subtract(to_right, n_lefts, out=n_lefts)
        np.copyto(dest, n_lefts, where=~gl)
        new = np.empty((len(order), total), dtype=order.dtype)
        new.ravel()[dest.ravel()] = layout.ravel()
        return new, new_starts[keep], child_sizes[keep]

    def grow(self, order, key):
        """The tree (renumbered depth first) and the leaf of every row."""
        crit, S = self.crit, self.S
        d = S.shape[0]
        n_root = order.shape[1]
        sums = S[:, order[0]].sum(axis=1)[:, None]
        m, keys, depth, first = np.array([n_root]), key, 0, 0
        W = float(crit.weight(sums)[0])
        can, w, L, impurity = self.splittable(sums, m, depth)
        starts, sizes = np.array([0]), np.array([n_root])
        row_node = np.zeros(self.n, dtype=np.intp)
        goes_left = np.zeros(self.n, dtype=bool)
        names = ("left", "right", "feature", "threshold", "bin", "value", "impurity", "n", "w")
        levels = {name: [] for name in names + ("depth",)}  # one array per level
        while True:
            k = len(m)
            level = dict(
                left=np.full(k, TREE_LEAF),
                right=np.full(k, TREE_LEAF),
                feature=np.full(k, TREE_UNDEFINED),
                threshold=np.full(k, float(TREE_UNDEFINED)),
                bin=np.full(k, TREE_UNDEFINED),
                value=np.asarray(crit.value(sums), dtype=np.float64).reshape(-1, k).T,
                impurity=impurity,
                n=m,
                w=w,
                depth=np.full(k, depth),
            )
            for name, values in level.items():
                levels[name].append(values)
            cand = np.nonzero(can)[0]  # the nodes in the layout, in its order
            if not len(cand):
                break
            best, f, nl, thr = self.search(order, starts, sizes, keys[cand])
            # the rows of each split: the node's first n_left rows along its feature go left
            seg = np.nonzero(best > -np.inf)[0]
            if not len(seg):
                break
            # the children's sums from their rows (not differences: a pure child has an
            # impurity of exactly 0, as scikit-learn sums each node's samples)
            nr = sizes[seg] - nl[seg]
            left_rows, right_rows = self._split_rows(
                order, starts[seg], sizes[seg], f[seg], nl[seg], thr[seg]
            )
            lsum = np.add.reduceat(S[:, left_rows], np.cumsum(nl[seg]) - nl[seg], axis=1)
            rsum = np.add.reduceat(S[:, right_rows], np.cumsum(nr) - nr, axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                gain = (L[cand[seg]] - crit.loss(lsum) - crit.loss(rsum)) / W
            ok = gain + EPSILON >= self.mid
            if not ok.any():
                break
            nl_all = nl[seg]
            seg, lsum, rsum = seg[ok], lsum[:, ok], rsum[:, ok]
            sp, f, thr, nl = cand[seg], f[seg], thr[seg], nl[seg]
            children = first + k + 2 * np.arange(len(sp))  # breadth-first ids
            level["left"][sp], level["right"][sp] = children, children + 1
            level["feature"][sp], level["threshold"][sp] = f, thr
            goes_left[:] = False
            goes_left[left_rows[np.repeat(ok, nl_all)]] = True
            rows = np.take(order[0], _segments(starts[seg], sizes[seg]))
            row_node[rows] = first + k + 2 * np.repeat(np.arange(len(sp)), sizes[seg])
            row_node[rows] += ~goes_left[rows]
            # the children: sums from the search, keys from their parents'
            sums = np.stack([lsum, rsum], axis=2).reshape(d, -1)
            m = np.stack([nl, sizes[seg] - nl], axis=1).reshape(-1)
            keys = np.stack([child_keys(keys[sp], 0), child_keys(keys[sp], 1)], axis=1).ravel()
            first, depth = first + k, depth + 1
            can, w, L, impurity = self.splittable(sums, m, depth)
            if can.any():
                n_left = np.zeros(len(sizes), dtype=np.intp)
                n_left[seg] = nl
                keep = np.zeros(2 * len(sizes), dtype=bool)  # a node not split: no children
                keep[np.stack([2 * seg, 2 * seg + 1], axis=1).ravel()] = can
                order, starts, sizes = self.partition(order, sizes, n_left, goes_left, keep)
        nodes = {name: np.concatenate(values) for name, values in levels.items()}
        tree, new = tree_from_levels(nodes, self.p)
        return tree, new[row_node]


def grow_exact_levelwise(X, S, crit, params, key, presorted=None, rows=None):
    """Grow one exact-mode tree on ``X`` (n, p) from the statistics ``S`` (d, n), a level at
    a time; ``key`` the root's feature-order key (``_node_keys``), ``presorted`` (p, n)
    optional ``argsort(X, axis=0).T``; ``rows``: the rows to grow on (sampled mode only; all
    if None). Returns the tree and the leaf of every row (of ``rows``)."""
    grower = _ExactLevelGrower(X, S, crit, params)
    return grower.grow(grower.prepare(presorted, rows), key)
