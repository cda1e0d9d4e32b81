"""The tree engine: CART trees as flat arrays, grown greedily, for trees, forests and boosting.

Function-level API (what the estimators and gradient boosting call)
-------------------------------------------------------------------
``grow_tree(X, y=None, *, criterion, ...) -> Tree``
    Grow one tree. ``criterion`` is ``"gini"``, ``"entropy"``/``"log_loss"`` (``y`` integer
    class codes in ``[0, n_classes)``), ``"squared_error"`` (``y`` float) or ``"newton"``
    (``gradient=g, hessian=h, reg_lambda=lambda``: split gain ``G^2/(H+lambda)`` form, leaf
    value ``-G/(H+lambda)``, see :class:`~._criteria.Newton`). Keywords: ``sample_weight``,
    ``max_depth``, ``min_samples_split``, ``min_samples_leaf``, ``min_weight_leaf``,
    ``min_impurity_decrease``, ``max_features`` (an int or None), ``max_leaf_nodes`` (best-first
    growth when set), ``random_state`` (a seed or numpy Generator, for feature sampling).
    Exact mode: ``X`` is the float data; splits are searched with sorted cumulative sums and
    thresholds are midpoints between consecutive distinct values (as scikit-learn). Without
    ``max_leaf_nodes`` the tree is grown a level at a time (``_tree_exact_levelwise``), else
    node by node (``_Grower``), the same tree; a node's random feature order is a function of
    ``random_state`` and the node's path from the root (``_node_keys``), so both draw alike.
    Histogram mode: pass ``binner=`` a fitted :class:`~._binning.Binner` and ``X =
    binner.transform(X_raw)`` (uint8 codes, from ``bin_data(X_raw, max_bins)``); histograms
    are built with ``np.bincount`` for the smaller child only, the larger child's being the
    parent's minus its sibling's. Without ``max_features``, ``max_leaf_nodes`` and
    ``min_weight_leaf`` (boosting's trees) the tree is grown a level at a time, one bincount
    per level (``_tree_levelwise``); otherwise node by node (``_Grower``), the same tree.

``Tree``
    Arrays over nodes: ``children_left``, ``children_right`` (-1 at leaves), ``feature``,
    ``threshold`` (-2 at leaves; a sample goes left when ``x[feature] <= threshold``),
    ``threshold_bin`` (histogram mode: go left when ``code <= threshold_bin``), ``value`` (n_nodes,
    n_values), ``impurity``, ``n_node_samples``, ``weighted_n_node_samples``, ``depth``.
    ``apply(X)`` (leaf ids on raw X), ``apply_binned(codes)``, ``predict(X) = value[apply(X)]``,
    ``compute_feature_importances()``, ``node_count``, ``n_leaves``, ``max_depth``. Boosting may
    overwrite ``value`` per leaf (e.g. after a line search) and then predict with it.

Boosting, for example (one Newton stage on binned data; ``g``, ``h`` per-sample derivatives)::

    codes, binner = bin_data(X, max_bins=255)          # once, before the first stage
    tree = grow_tree(codes, criterion="newton", gradient=g, hessian=h, reg_lambda=1.0,
                     binner=binner, max_depth=3, min_samples_leaf=20)
    leaves = tree.apply_binned(codes)                  # training rows -> leaf ids
    F += learning_rate * tree.value[leaves, 0]         # value = -G/(H + lambda) per leaf
    F_test += learning_rate * tree.predict(X_test)[:, 0]

For first-order boosting fit ``criterion="squared_error"`` to ``y = -g`` and overwrite
``tree.value[leaf, 0]`` with a per-leaf line search before predicting. Rows with zero
``sample_weight`` are dropped (subsampling); ``random_state`` only orders/draws features.

Nodes are numbered in the order scikit-learn numbers them (depth first, left child first) when
``max_leaf_nodes`` is None. Splitting stops, as in scikit-learn, at ``max_depth``, when a node
has fewer than ``min_samples_split`` or ``2 * min_samples_leaf`` samples, when it is pure
(impurity <= machine epsilon; not for ``newton``), when no split leaves ``min_samples_leaf``
samples on each side, or when the improvement is below ``min_impurity_decrease``.
"""

import heapq

import numpy as np

from gradscratch.nonparametric._criteria import make_criterion
from gradscratch.nonparametric._node_keys import child_keys, feature_orders, root_key
from gradscratch.nonparametric._tree_arrays import FIELD_DTYPES, TREE_LEAF, TREE_UNDEFINED, Tree
from gradscratch.nonparametric._tree_exact_levelwise import grow_exact_levelwise, sorts_pairs
from gradscratch.nonparametric._tree_levelwise import applies, grow_levelwise

__all__ = ["Tree", "grow_tree"]

FEATURE_THRESHOLD = 1e-7  # scikit-learn: values closer than this are not split apart
EPSILON = np.finfo(np.float64).eps
_CHUNK = 4_000_000  # entries of the cumulative-sum block handled at once (memory bound)


def _child_key(key, side):
    """A child's feature-order key (exact mode; histogram mode has none)."""
    return None if key is None else child_keys(key, side)


class _Grower:
    """Greedy growth of one tree; node sample sets are sorted index rows or index vectors."""

    def __init__(self, X, S, crit, binner, params, rng, presorted):
        self.X, self.S, self.crit, self.binner, self.rng = X, S, crit, binner, rng
        self.n, self.p = X.shape
        self.__dict__.update(params)
        self.W = float(crit.weight(S.sum(axis=1)))
        self.nodes = {k: [] for k in FIELD_DTYPES}
        self.goes_left = np.zeros(self.n, dtype=bool)
        self.features = np.arange(self.p)
        self.root_key = None
        if binner is None:
            self.root_key = root_key(rng)
            self.hist = False
            order = presorted if presorted is not None else np.argsort(X, axis=0, kind="stable").T
            self.root = np.ascontiguousarray(order)
        else:
            self.hist = True
            self.n_bins = int(max(binner.n_bins_))
            # flat bin index of every (sample, feature), computed once per tree
            self.flat = X.astype(np.intp) + np.arange(self.p) * self.n_bins
            # statistics equal to 1 everywhere (unit weights or Hessians) reuse the counts
            self.unit = [bool(np.all(S[c] == 1.0)) for c in range(S.shape[0])]
            self.root = self._histogram(np.arange(self.n))

    # ---- node sample sets -------------------------------------------------------------
    def _ids(self, rep):
        return rep[0]

    def _histogram(self, idx):
        flat = self.flat[idx].ravel()
        size = self.p * self.n_bins
        counts = np.bincount(flat, minlength=size)
        cols = [
            counts
            if unit
            else np.bincount(flat, weights=np.repeat(self.S[c, idx], self.p), minlength=size)
            for c, unit in enumerate(self.unit)
        ]
        hist = np.stack(cols).astype(np.float64).reshape(-1, self.p, self.n_bins)
        return idx, hist, counts.reshape(self.p, self.n_bins)

    def _children(self, rep, split):
        f, m = split["feature"], split["n_left"]
        ids = self._ids(rep)
        if not self.hist:
            self.goes_left[rep[f, :m]] = True
            mask = self.goes_left[rep]
            left = rep[mask].reshape(self.p, m)
            right = rep[~mask].reshape(self.p, rep.shape[1] - m)
            self.goes_left[ids] = False
            return left, right
        idx, hist, counts = rep
        go = self.X[idx, f] <= split["bin"]
        li, ri = idx[go], idx[~go]
        small, large = (li, ri) if len(li) <= len(ri) else (ri, li)
        small_rep = self._histogram(small)
        large_rep = (large, hist - small_rep[1], counts - small_rep[2])
        return (small_rep, large_rep) if small is li else (large_rep, small_rep)

    # ---- split search -----------------------------------------------------------------
    def _candidates(self, rep, key):
        """Non-constant features in a random order; the first ``max_features`` of them.

        Exact mode: the order is a function of the node's ``key`` (``_node_keys``), so that
        the level-wise grower draws the same; histogram mode: drawn from ``rng``.
        """
        if not self.hist:
            lo = self.X[rep[:, 0], self.features]
            hi = self.X[rep[:, -1], self.features]
            varying = hi > lo + FEATURE_THRESHOLD
            perm = feature_orders(key, self.p)[0]
        else:
            varying = np.count_nonzero(rep[2], axis=1) > 1
            perm = self.rng.permutation(self.p)
        feats = perm[varying[perm]]
        return feats if self.max_features is None else feats[: self.max_features]

    def _pick(self, left, right, valid, best, feats):
        """Best proxy ``-(L(left) + L(right))`` over a block; first maximum wins as sklearn."""
        if self.min_weight_leaf > 0:
            valid &= self.crit.weight(left) >= self.min_weight_leaf
            valid &= self.crit.weight(right) >= self.min_weight_leaf
        if not valid.any():
            return best
        with np.errstate(divide="ignore", invalid="ignore"):
            proxy = np.where(valid, self.crit.proxy(left, right), -np.inf)
        j = int(np.argmax(proxy))
        if best is None or proxy.flat[j] > best[0]:
            fi, pos = divmod(j, proxy.shape[1])
            return proxy.flat[j], feats[fi], pos, left[:, fi, pos], right[:, fi, pos], fi
        return best

    def _search(self, rep, m, key):
        feats = self._candidates(rep, key)
        best = None
        if self.hist:
            counts, hist = rep[2][feats], rep[1][:, feats]
            n_left = np.cumsum(counts, axis=1)[:, :-1]
            left = np.cumsum(hist, axis=2)[:, :, :-1]
            right = hist.sum(axis=2, keepdims=True) - left
            msl = self.min_samples_leaf
            valid = (n_left >= msl) & (m - n_left >= msl)
            best = self._pick(left, right, valid, best, feats)
            if best is None:
                return None
            _, f, b, lsum, rsum, _ = best
            n_left_best = int(np.sum(self.X[rep[0], f] <= b))
            thr = self.binner.bin_thresholds_[f][b]
            return dict(feature=f, bin=b, threshold=thr, n_left=n_left_best, left=lsum, right=rsum)
        d = self.S.shape[0]
        step = max(1, _CHUNK // max(1, m * d))
        # a split after the first p sorted samples (p = a + 1, ..., b) leaves min_samples_leaf
        # samples on each side
        a, b = self.min_samples_leaf - 1, m - self.min_samples_leaf
        for start in range(0, len(feats), step):
            fs = feats[start : start + step]
            ids = rep[fs]
            xs = self.X[ids, fs[:, None]]
            valid = xs[:, a + 1 : b + 1] > xs[:, a:b] + FEATURE_THRESHOLD
            if not valid.any():
                continue
            cs = np.cumsum(self.S[:, ids], axis=2)
            left = cs[:, :, a:b]
            right = cs[:, :, -1:] - left
            prev = best
            best = self._pick(left, right, valid, best, fs)
            if best is not prev:
                fi, pos = best[5], best[2] + a
                bounds = (float(xs[fi, pos]), float(xs[fi, pos + 1]))
        if best is None:
            return None
        _, f, pos, lsum, rsum, _ = best
        pos += a
        lo, hi = bounds
        thr = lo / 2.0 + hi / 2.0
        if thr == hi or not np.isfinite(thr):
            thr = lo
        return dict(feature=f, threshold=thr, n_left=int(pos) + 1, left=lsum, right=rsum)

    # ---- growth -----------------------------------------------------------------------
    def _evaluate(self, rep, depth, sums=None, node_key=None):
        """Add the node for ``rep`` (as a leaf) and return its split or None.

        ``sums``: the node's statistics when its parent's split search already has them;
        ``node_key``: its feature-order key (exact mode).
        """
        ids = self._ids(rep)
        m = len(ids)
        if sums is None:
            sums = self.S[:, ids].sum(axis=1)
        w = float(self.crit.weight(sums))
        L = float(self.crit.loss(sums))
        impurity = L / w if w > 0 else 0.0
        node = len(self.nodes["depth"])
        for key, val in (
            ("children_left", TREE_LEAF),
            ("children_right", TREE_LEAF),
            ("feature", TREE_UNDEFINED),
            ("threshold", float(TREE_UNDEFINED)),
            ("threshold_bin", TREE_UNDEFINED),
            ("value", self.crit.value(sums)),
            ("impurity", impurity),
            ("n_node_samples", m),
            ("weighted_n_node_samples", w),
            ("depth", depth),
        ):
            self.nodes[key].append(val)
        leaf = (
            depth >= self.max_depth
            or m < self.min_samples_split
            or m < 2 * self.min_samples_leaf
            or w < 2 * self.min_weight_leaf
            or (self.crit.checks_purity and impurity <= EPSILON)
        )
        split = None if leaf else self._search(rep, m, node_key)
        if split is not None:
            gain = (L - self.crit.loss(split["left"]) - self.crit.loss(split["right"])) / self.W
            split["improvement"] = float(gain)
            if gain + EPSILON < self.min_impurity_decrease:
                split = None
        return node, split

    def _link(self, node, split, left, right):
        self.nodes["children_left"][node] = left
        self.nodes["children_right"][node] = right
        self.nodes["feature"][node] = split["feature"]
        self.nodes["threshold"][node] = split["threshold"]
        self.nodes["threshold_bin"][node] = split.get("bin", TREE_UNDEFINED)

    def grow_depth_first(self):
        stack = [(self.root, 0, -1, False, None, self.root_key)]
        while stack:
            rep, depth, parent, is_left, sums, node_key = stack.pop()
            node, split = self._evaluate(rep, depth, sums, node_key)
            if parent >= 0:
                field = "children_left" if is_left else "children_right"
                self.nodes[field][parent] = node
            if split is not None:
                self._link(node, split, TREE_LEAF, TREE_LEAF)
                left, right = self._children(rep, split)
                right_key, left_key = _child_key(node_key, 1), _child_key(node_key, 0)
                stack.append((right, depth + 1, node, False, split["right"], right_key))
                stack.append((left, depth + 1, node, True, split["left"], left_key))

    def grow_best_first(self, max_leaf_nodes):
        heap, tick = [], 0
        node, split = self._evaluate(self.root, 0, node_key=self.root_key)
        if split is not None:
            item = (-split["improvement"], tick, node, split, self.root, 0, self.root_key)
            heapq.heappush(heap, item)
        n_leaves = 1
        while heap and n_leaves < max_leaf_nodes:
            _, _, node, split, rep, depth, key = heapq.heappop(heap)
            left, right = self._children(rep, split)
            ids = []
            for side, child, sums in ((0, left, split["left"]), (1, right, split["right"])):
                tick += 1
                ckey = _child_key(key, side)
                cnode, csplit = self._evaluate(child, depth + 1, sums, ckey)
                ids.append(cnode)
                if csplit is not None:
                    item = (-csplit["improvement"], tick, cnode, csplit, child, depth + 1, ckey)
                    heapq.heappush(heap, item)
            self._link(node, split, *ids)
            n_leaves += 1

    def tree(self):
        nodes = {}
        for key, vals in self.nodes.items():
            nodes[key] = np.array(vals, dtype=FIELD_DTYPES[key])
        return Tree(nodes, self.p)


def grow_tree(
    X,
    y=None,
    *,
    criterion="squared_error",
    n_classes=None,
    sample_weight=None,
    gradient=None,
    hessian=None,
    reg_lambda=1.0,
    binner=None,
    max_depth=None,
    min_samples_split=2,
    min_samples_leaf=1,
    min_weight_leaf=0.0,
    min_impurity_decrease=0.0,
    max_features=None,
    max_leaf_nodes=None,
    random_state=None,
    presorted=None,
    return_leaves=False,
    levelwise=True,
):
    """Grow one tree greedily and return it as a :class:`Tree` (see the module docstring).

    Samples with zero weight are left out (as scikit-learn does with bootstrap counts).
    ``presorted`` (p, n), optional: ``argsort(X, axis=0).T`` computed once by the caller (forests
    reuse it across trees). ``return_leaves``: return ``(tree, leaves)``, ``leaves`` (n,) the
    leaf of every row of ``X`` (what ``tree.apply_binned(X)`` / ``tree.apply(X)`` give; the
    level-wise grower knows them without a descent). ``levelwise=False`` grows an exact-mode
    tree node by node (``_Grower``), the same tree as the level-wise grower (tests compare).
    """
    X_all = X
    n = X.shape[0]
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    y = None if y is None else np.asarray(y)
    n_outputs = 1 if y is None or y.ndim == 1 else y.shape[1]
    crit = make_criterion(
        criterion, n_classes=n_classes, reg_lambda=reg_lambda, n_outputs=n_outputs
    )
    if criterion == "newton":
        S = crit.stats(np.asarray(gradient, float), np.asarray(hessian, float), w)
    elif criterion == "squared_error":
        S = crit.stats(y.astype(np.float64), w)
    else:
        S = crit.stats(np.asarray(y, dtype=np.intp), w)
    keep = w > 0
    exact_levelwise = binner is None and max_leaf_nodes is None and levelwise
    rows = None  # sampled mode grows on the rows kept, numbered as in X (no compaction)
    if not keep.all() and exact_levelwise and sorts_pairs(max_features, X.shape[1]):
        rows = np.flatnonzero(keep)
    elif not keep.all():
        if presorted is not None:
            # zero-weight rows are removed from each sorted row without re-sorting
            rank = np.cumsum(keep) - 1
            kept = presorted[keep[presorted]].reshape(presorted.shape[0], -1)
            presorted = rank[kept]
        X, S = X[keep], S[:, keep]
    if presorted is not None and presorted.shape[1] != X.shape[0]:
        presorted = None
    params = dict(
        max_depth=np.inf if max_depth is None else max_depth,
        min_samples_split=min_samples_split,
        min_samples_leaf=min_samples_leaf,
        min_weight_leaf=min_weight_leaf,
        min_impurity_decrease=min_impurity_decrease,
        max_features=max_features,
    )
    tree, leaves = None, None
    if applies(
        binner,
        X.shape[1],
        S.shape[0],
        params["max_depth"],
        max_features,
        max_leaf_nodes,
        min_weight_leaf,
    ):
        tree, leaves = grow_levelwise(X, S, crit, binner, params)  # the same tree, per level
    elif exact_levelwise:
        key = root_key(np.random.default_rng(random_state))  # as _Grower draws it
        tree, leaves = grow_exact_levelwise(X, S, crit, params, key, presorted, rows)
    else:
        rng = np.random.default_rng(random_state)
        grower = _Grower(X, S, crit, binner, params, rng, presorted)
        if max_leaf_nodes is None:
            grower.grow_depth_first()
        else:
            grower.grow_best_first(max_leaf_nodes)
        tree = grower.tree()
    if not return_leaves:
        return tree
    if leaves is None or not keep.all():  # rows left out (zero weight) are not in leaves
        leaves = tree.apply_binned(X_all) if binner is not None else tree.apply(X_all)
    return tree, leaves
