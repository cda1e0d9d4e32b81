"""A fitted tree as flat node arrays, with vectorized descent (see ``_tree_engine``)."""

import numpy as np

__all__ = ["FIELD_DTYPES", "TREE_LEAF", "TREE_UNDEFINED", "Tree", "tree_from_levels"]

TREE_LEAF = -1
TREE_UNDEFINED = -2


class Tree:
    """A fitted tree as flat node arrays (see the module docstring)."""

    def __init__(self, nodes, n_features):
        for name, arr in nodes.items():
            setattr(self, name, arr)
        self.n_features = n_features

    @property
    def node_count(self):
        return len(self.children_left)

    @property
    def n_leaves(self):
        return int(np.sum(self.children_left == TREE_LEAF))

    @property
    def max_depth(self):
        return int(self.depth.max())

    def _descend(self, X, threshold):
        node = np.zeros(X.shape[0], dtype=np.intp)
        active = np.nonzero(self.children_left[node] != TREE_LEAF)[0]
        # one pass per level, vectorized over the samples still inside the tree
        while active.size:
            at = node[active]
            left = X[active, self.feature[at]] <= threshold[at]
            node[active] = np.where(left, self.children_left[at], self.children_right[at])
            active = active[self.children_left[node[active]] != TREE_LEAF]
        return node

    def apply(self, X):
        """Leaf index of each row of raw ``X``."""
        return self._descend(X, self.threshold)

    def apply_binned(self, codes):
        """Leaf index of each row of binned ``codes`` (histogram-mode trees)."""
        return self._descend(codes, self.threshold_bin)

    def predict(self, X):
        """``value`` of each row's leaf, shape (n, n_values)."""
        return self.value[self.apply(X)]

    def compute_feature_importances(self, normalize=True):
        """Total impurity decrease per feature, ``sum over splits of L(node) - L(l) - L(r)``.

        Divided by the root weight; normalized to sum to one when ``normalize`` (and nonzero).
        """
        inner = np.nonzero(self.children_left != TREE_LEAF)[0]
        L = self.weighted_n_node_samples * self.impurity
        gain = L[inner] - L[self.children_left[inner]] - L[self.children_right[inner]]
        imp = np.bincount(self.feature[inner], weights=gain, minlength=self.n_features)
        imp = imp / self.weighted_n_node_samples[0]
        if normalize and imp.sum() > 0:
            imp = imp / imp.sum()
        return imp


FIELD_DTYPES = {  # the Tree's node arrays and their dtypes
    "children_left": np.intp,
    "children_right": np.intp,
    "feature": np.intp,
    "threshold": np.float64,
    "threshold_bin": np.intp,
    "value": np.float64,
    "impurity": np.float64,
    "n_node_samples": np.intp,
    "weighted_n_node_samples": np.float64,
    "depth": np.intp,
}
_LEVEL_KEYS = {  # the level-wise growers' names of the same arrays
    "children_left": "left",
    "children_right": "right",
    "threshold_bin": "bin",
    "n_node_samples": "n",
    "weighted_n_node_samples": "w",
}


def tree_from_levels(nodes, n_features):
    """The :class:`Tree` of the level-wise growers' node table ``nodes`` (numbered breadth
    first, a level after another), renumbered depth first, left child first (scikit-learn's
    numbering, as the node-by-node grower numbers them); also returns the new number of every
    old one. Subtree sizes are summed bottom up and positions passed top down, a level at a
    time: a node's left child comes right after it, its right child after the left subtree."""
    left, right = np.asarray(nodes["left"]), np.asarray(nodes["right"])
    depth = np.asarray(nodes["depth"])
    bounds = np.searchsorted(depth, np.arange(depth.max() + 2))  # level d: bounds[d:d + 2]
    inner = [v[left[v] != TREE_LEAF] for v in map(np.arange, bounds[:-1], bounds[1:])]
    size = np.ones(len(left), dtype=np.intp)
    for v in reversed(inner):
        size[v] += size[left[v]] + size[right[v]]
    new = np.zeros(len(left), dtype=np.intp)
    for v in inner:
        new[left[v]] = new[v] + 1
        new[right[v]] = new[v] + 1 + size[left[v]]
    order = np.empty_like(new)
    order[new] = np.arange(len(new))
    arrays = {}
    for field, dtype in FIELD_DTYPES.items():
        arrays[field] = np.asarray(nodes[_LEVEL_KEYS.get(field, field)], dtype=dtype)[order]
    for field in ("children_left", "children_right"):
        a = arrays[field]
        arrays[field] = np.where(a == TREE_LEAF, TREE_LEAF, new[np.maximum(a, 0)])
    return Tree(arrays, n_features), new
