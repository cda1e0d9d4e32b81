"""CART decision trees for classification and regression, grown by the tree engine.

A tree recursively splits the data on one feature ``x_j <= t`` so as to maximize the impurity
decrease ``N_t / N * (i(t) - N_tL / N_t * i(t_L) - N_tR / N_t * i(t_R))`` (weighted counts
``N``), with ``i`` the Gini index ``1 - sum_k p_k^2``, the entropy ``-sum_k p_k log2 p_k`` or
the variance of ``y``. Thresholds are midpoints between consecutive distinct values. As in
scikit-learn, X is converted to float32 (so thresholds and predictions match scikit-learn's on
the same data) and the candidate features of a node are visited in a random order, the first
best split winning ties (the first ``max_features`` non-constant ones are the candidates).
A node's order is drawn from a key that ``random_state`` gives the root and each child
derives from its parent's and its side (``_node_keys``), not from one generator consumed as
nodes are grown, so that growing the tree depth first or a level at a time draws the same.
With ``max_features=None`` the order only breaks exact ties.

The plain version is :func:`plain_tree`: the recursion above written out, every feature and
every midpoint tried at every node. The estimators grow their trees through the engine's one
named function, :func:`grow_tree` (``_tree_engine``), which computes the same tree (tested
node for node on tie-free data, ``tests/test_tree_plain.py``) but evaluates all thresholds of
a node at once: cumulative sums of the per-sample statistics along presorted samples, or along
per-bin histograms in histogram mode, where gradient boosting grows a whole level per
``np.bincount`` (``_tree_levelwise``). In exact mode it also grows a whole level with a fixed
number of numpy calls (``_tree_exact_levelwise``: every node's sorted rows kept in one
layout, one cumulative sum over all (node, feature) segments). The plain search costs
O(n^2 p) per node, the engine's O(n p) (O(bins p) once a histogram is built).
"""

import numbers

import numpy as np

from gradscratch.base import (
    BaseEstimator,
    ClassifierMixin,
    MultiOutputMixin,
    RegressorMixin,
    check_classification_targets,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
    validate_data,
    validate_targets,
)
from gradscratch.nonparametric._binning import Binner
from gradscratch.nonparametric._criteria import make_criterion
from gradscratch.nonparametric._tree_engine import grow_tree

# grow_tree and Binner are the tree engine's public seam: gradient boosting (the parametric
# side) grows its trees through these names (and its plain version through plain_tree /
# plain_predict) and imports nothing else from here (import-linter checks it).
__all__ = [
    "Binner",
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "export_text",
    "grow_tree",
    "plain_predict",
    "plain_tree",
]

DTYPE = np.float32  # scikit-learn's tree dtype
EPSILON = np.finfo(np.float64).eps


def plain_tree(
    X,
    y,
    sample_weight=None,
    *,
    criterion="squared_error",
    n_classes=None,
    max_depth=None,
    min_samples_leaf=1,
):
    """CART, plainly: at each node try every feature j and every midpoint t between
    consecutive distinct values, keep the split ``x_j <= t`` of least L(left) + L(right)
    (L = weighted size x impurity of the criterion), recurse depth first until ``max_depth``,
    a pure node, or no split leaving ``min_samples_leaf`` rows on each side.

    Returns nested dicts: ``{"value", "n_samples"}`` at a leaf, plus ``"feature"``,
    ``"threshold"``, ``"left"``, ``"right"`` at a split. :func:`grow_tree` is the fast path.
    """
    crit = make_criterion(criterion, n_classes=n_classes)
    S = crit.stats(y, np.ones(len(y)) if sample_weight is None else sample_weight)
    L = lambda rows: crit.loss(S[:, rows].sum(axis=1))  # noqa: E731

    def grow(rows, depth):
        sums = S[:, rows].sum(axis=1)
        node = {"value": crit.value(sums), "n_samples": len(rows)}
        pure = crit.checks_purity and crit.loss(sums) <= EPSILON * crit.weight(sums)
        if depth == max_depth or len(rows) < 2 * min_samples_leaf or pure:
            return node
        best = None  # (L(left) + L(right), feature, threshold)
        for j in range(X.shape[1]):
            v = np.unique(X[rows, j]).astype(np.float64)
            for t in v[:-1] / 2 + v[1:] / 2:
                left = X[rows, j] <= t
                if min(left.sum(), (~left).sum()) >= min_samples_leaf:
                    cost = L(rows[left]) + L(rows[~left])
                    if best is None or cost < best[0]:
                        best = (cost, j, t)
        if best is None:
            return node
        _, j, t = best
        left = X[rows, j] <= t
        children = {"left": grow(rows[left], depth + 1), "right": grow(rows[~left], depth + 1)}
        return node | {"feature": j, "threshold": t} | children

    return grow(np.arange(len(X)), 0)


def plain_predict(node, X):
    """The ``value`` of each row's leaf in a :func:`plain_tree`, shape (n, n_values)."""
    if "feature" not in node:
        return np.tile(node["value"], (len(X), 1))
    left = X[:, node["feature"]] <= node["threshold"]
    out = np.empty((len(X), len(node["value"])))
    out[left] = plain_predict(node["left"], X[left])
    out[~left] = plain_predict(node["right"], X[~left])
    return out


def _check_int_or_frac(name, value, n, low, frac_open_high):
    """An int >= low, or a fraction of n (``ceil(value * n)``)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < low:
            raise ValueError(f"{name} must be an int >= {low} or a float in (0, 1], got {value!r}.")
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        high_ok = value < 1.0 if frac_open_high else value <= 1.0
        if 0.0 < value and high_ok:
            return max(low if low > 1 else 1, int(np.ceil(value * n)))
    raise ValueError(f"{name} must be an int >= {low} or a float in (0, 1], got {value!r}.")


def resolve_max_features(max_features, n_features):
    """Number of candidate features per split (scikit-learn's rules), or None for all."""
    if max_features is None:
        return None
    if max_features == "sqrt":
        k = max(1, int(np.sqrt(n_features)))
    elif max_features == "log2":
        k = max(1, int(np.log2(n_features)))
    elif isinstance(max_features, numbers.Integral) and not isinstance(max_features, bool):
        if not 1 <= max_features:
            raise ValueError(f"max_features must be >= 1, got {max_features!r}.")
        k = min(int(max_features), n_features)
    elif isinstance(max_features, numbers.Real) and 0.0 < max_features <= 1.0:
        k = max(1, int(max_features * n_features))
    else:
        raise ValueError(
            "max_features must be None, 'sqrt', 'log2', an int >= 1 or a float in (0, 1], "
            f"got {max_features!r}."
        )
    return None if k >= n_features else k


class _BaseDecisionTree(BaseEstimator):
    _criteria = ()

    def _growth_params(self, n_samples, n_features):
        if self.criterion not in self._criteria:
            raise ValueError(
                f"The 'criterion' parameter of {type(self).__name__} must be a str among "
                f"{sorted(self._criteria)}. Got {self.criterion!r} instead."
            )
        if self.max_depth is not None and (
            not isinstance(self.max_depth, numbers.Integral) or self.max_depth < 0
        ):
            raise ValueError(f"max_depth must be None or an int >= 0, got {self.max_depth!r}.")
        msl = _check_int_or_frac("min_samples_leaf", self.min_samples_leaf, n_samples, 1, True)
        mss = _check_int_or_frac("min_samples_split", self.min_samples_split, n_samples, 2, False)
        if not isinstance(self.min_impurity_decrease, numbers.Real) or (
            self.min_impurity_decrease < 0
        ):
            raise ValueError(
                f"min_impurity_decrease must be a float >= 0, got {self.min_impurity_decrease!r}."
            )
        mln = self.max_leaf_nodes
        if mln is not None and (not isinstance(mln, numbers.Integral) or mln < 2):
            raise ValueError(f"max_leaf_nodes must be None or an int >= 2, got {mln!r}.")
        return dict(
            criterion=self.criterion,
            max_depth=self.max_depth,
            min_samples_split=max(mss, 2 * msl),
            min_samples_leaf=msl,
            min_impurity_decrease=float(self.min_impurity_decrease),
            max_features=resolve_max_features(self.max_features, n_features),
            max_leaf_nodes=None if mln is None else int(mln),
        )

    def _fit(self, X, y, sample_weight, **engine_args):
        sample_weight = check_sample_weight(sample_weight, X.shape[0])
        params = self._growth_params(X.shape[0], X.shape[1])
        rng = check_random_state(self.random_state)
        self.tree_ = grow_tree(
            X, y, sample_weight=sample_weight, random_state=rng, **params, **engine_args
        )
        return self

    def _validate_X_predict(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=DTYPE)

    def apply(self, X):
        """Index of the leaf that each sample ends up in."""
        X = self._validate_X_predict(X)
        return self.tree_.apply(X)

    def get_depth(self):
        """Depth of the tree (a single leaf has depth 0)."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self):
        """Number of leaves."""
        check_is_fitted(self)
        return self.tree_.n_leaves

    @property
    def feature_importances_(self):
        """Impurity decrease brought by each feature, normalized to sum to one."""
        check_is_fitted(self, "tree_")
        return self.tree_.compute_feature_importances()


_DOC_PARAMS = """
    max_depth : int or None, default=None
        Maximum depth (0 gives a single leaf); None grows until the leaves are pure or small.
    min_samples_split : int or float, default=2
        Minimum number of samples (or fraction of them) to split a node.
    min_samples_leaf : int or float, default=1
        Minimum number of samples (or fraction) in each leaf; larger than n gives one leaf.
    min_impurity_decrease : float, default=0.0
        A split needs an impurity decrease (formula in the module docstring) of at least this.
    max_features : int, float, "sqrt", "log2" or None, default=None
        Number of features drawn at random as split candidates at each node.
    max_leaf_nodes : int or None, default=None
        Grow best-first (largest impurity decrease first) up to this many leaves.
    random_state : None, int or numpy Generator
        Order in which features are visited and, with max_features, which are drawn.
"""


class DecisionTreeClassifier(ClassifierMixin, _BaseDecisionTree):
    __doc__ = (
        """CART classification tree.

    Parameters
    ----------
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
"""
        + _DOC_PARAMS
        + """
    Attributes
    ----------
    tree_ : Tree (flat node arrays; ``value`` holds the class proportions of each node)
    classes_, n_classes_, n_features_in_, feature_importances_
    """
    )

    _criteria = ("gini", "entropy", "log_loss")

    def __init__(
        self,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_impurity_decrease=0.0,
        max_features=None,
        max_leaf_nodes=None,
        random_state=None,
    ):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_impurity_decrease = min_impurity_decrease
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on ``X`` (n, p) and class labels ``y``."""
        X, y = validate_data(self, X, y, dtype=DTYPE)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        return self._fit(X, codes, sample_weight, n_classes=self.n_classes_)

    def predict_proba(self, X):
        """Class proportions of each sample's leaf, shape (n, n_classes)."""
        X = self._validate_X_predict(X)
        return self.tree_.predict(X)


class DecisionTreeRegressor(MultiOutputMixin, RegressorMixin, _BaseDecisionTree):
    __doc__ = (
        """CART regression tree (squared error: leaves predict the weighted mean of y).

    A 2-D y (n, k) grows one tree for the k outputs, splitting on the squared error averaged
    over them (scikit-learn's multi-output criterion); its leaves predict each output's mean.

    Parameters
    ----------
    criterion : {"squared_error"}, default="squared_error"
"""
        + _DOC_PARAMS
        + """
    Attributes
    ----------
    tree_ : Tree (flat node arrays; ``value`` (n_nodes, n_outputs) holds each node's mean)
    n_outputs_ : int
    n_features_in_, feature_importances_
    """
    )

    _criteria = ("squared_error",)

    def __init__(
        self,
        criterion="squared_error",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_impurity_decrease=0.0,
        max_features=None,
        max_leaf_nodes=None,
        random_state=None,
    ):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_impurity_decrease = min_impurity_decrease
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on ``X`` (n, p) and real targets ``y`` (n,) or (n, n_outputs)."""
        X, y = validate_targets(self, X, y, column_vector="ravel", dtype=DTYPE)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return self._fit(X, y, sample_weight)

    def predict(self, X):
        """Mean target of each sample's leaf: shape (n,), or (n, n_outputs)."""
        X = self._validate_X_predict(X)
        value = self.tree_.predict(X)
        return value[:, 0] if self.n_outputs_ == 1 else value


def export_text(decision_tree, feature_names=None, decimals=2):
    """The tree as indented text rules, in scikit-learn's ``export_text`` layout.

    ::

        |--- petal width <= 0.80
        |   |--- class: 0
        |--- petal width >  0.80
        ...
    """
    check_is_fitted(decision_tree, "tree_")
    t = decision_tree.tree_
    names = feature_names
    if names is None:
        names = [f"feature_{j}" for j in range(t.n_features)]
    classes = getattr(decision_tree, "classes_", None)
    return _render(t, names, classes, decimals)


def _render(t, names, classes, decimals):
    out = []

    def walk(node, depth):
        indent = "|   " * depth + "|---"
        if t.children_left[node] == -1:
            v = t.value[node]
            if classes is not None:
                out.append(f"{indent} class: {classes[np.argmax(v)]}")
            else:
                out.append(f"{indent} value: [{', '.join(f'{x:.{decimals}f}' for x in v)}]")
            return
        name, thr = names[t.feature[node]], t.threshold[node]
        out.append(f"{indent} {name} <= {thr:.{decimals}f}")
        walk(t.children_left[node], depth + 1)
        out.append(f"{indent} {name} >  {thr:.{decimals}f}")
        walk(t.children_right[node], depth + 1)

    walk(0, 0)
    return "\n".join(out) + "\n"
