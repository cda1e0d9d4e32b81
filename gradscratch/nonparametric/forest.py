"""Random forests: bagged CART trees with random feature subsets, grown by the tree engine.

Each tree ``b`` is grown on a bootstrap sample (drawn with replacement; as in scikit-learn the
draw enters the tree as integer sample weights ``counts_b``) with ``max_features`` candidate
features drawn at every node. A classifier averages the trees' class probabilities,
``p(x) = 1/B sum_b p_b(x)``, and predicts their argmax; a regressor averages their predictions.
The out-of-bag estimate scores each training sample with the trees that did not draw it.

All randomness of tree ``b`` comes from one seed drawn up front from ``random_state``, so the
forest is the same whatever ``n_jobs`` (the number of worker processes growing trees).
"""

import numbers
import os
from concurrent.futures import ProcessPoolExecutor

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
    warn_at_caller,
)
from gradscratch.nonparametric._tree_engine import grow_tree
from gradscratch.nonparametric.tree import DTYPE, DecisionTreeClassifier, DecisionTreeRegressor

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]


def _bootstrap_counts(rng, n):
    return np.bincount(rng.integers(0, n, size=n), minlength=n)


_WORKER_DATA = ()  # a worker process's (X, y, sample_weight, presorted, params)


def _set_worker_data(*data):
    """Pool initializer: the data once per worker (inherited when the pool forks), so that
    a task carries only its seeds."""
    global _WORKER_DATA
    _WORKER_DATA = data


def _grow_in_worker(seeds, bootstrap):
    return _grow_trees(*_WORKER_DATA, seeds, bootstrap)


def _grow_trees(X, y, sample_weight, presorted, params, seeds, bootstrap):
    """Grow one tree per seed (runs in a worker process when n_jobs > 1)."""
    trees = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        w = sample_weight * _bootstrap_counts(rng, len(y)) if bootstrap else sample_weight
        trees.append(
            grow_tree(X, y, sample_weight=w, presorted=presorted, random_state=rng, **params)
        )
    return trees


def _n_workers(n_jobs, n_tasks):
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        raise ValueError(f"n_jobs must be None, -1 or a nonzero int, got {n_jobs!r}.")
    n = os.cpu_count() + 1 + n_jobs if n_jobs < 0 else n_jobs
    return max(1, min(n, n_tasks))


class _BaseForest(BaseEstimator):
    _tree_class = None

    def _tree_template(self, seed=None):
        keys = ("criterion", "max_depth", "min_samples_split", "min_samples_leaf")
        keys += ("max_features", "max_leaf_nodes", "min_impurity_decrease")
        return self._tree_class(**{k: getattr(self, k) for k in keys}, random_state=seed)

    def _fit_forest(self, X, y, sample_weight, **engine_args):
        if not isinstance(self.n_estimators, numbers.Integral) or self.n_estimators < 1:
            raise ValueError(f"n_estimators must be an int >= 1, got {self.n_estimators!r}.")
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        n = X.shape[0]
        sample_weight = check_sample_weight(sample_weight, n)
        params = self._tree_template()._growth_params(n, X.shape[1])
        params.update(engine_args)
        rng = check_random_state(self.random_state)
        seeds = rng.integers(0, np.iinfo(np.int64).max, size=self.n_estimators)
        # (ties in any order: they never fall on two sides of a cut)
        presorted = np.argsort(np.ascontiguousarray(X.T), axis=1)
        args = (X, y, sample_weight, presorted, params)
        workers = _n_workers(self.n_jobs, self.n_estimators)
        if workers == 1:
            trees = _grow_trees(*args, seeds, self.bootstrap)
        else:
            # a few chunks per worker: a worker slowed by other load takes fewer of them
            chunks = np.array_split(seeds, min(len(seeds), 4 * workers))
            pool = ProcessPoolExecutor(workers, initializer=_set_worker_data, initargs=args)
            with pool:
                futures = [pool.submit(_grow_in_worker, c, self.bootstrap) for c in chunks]
                trees = [t for f in futures for t in f.result()]
        self.estimators_ = [self._wrap(tree, seed, X.shape[1]) for tree, seed in zip(trees, seeds)]
        self._seeds = seeds
        if self.oob_score:
            self._set_oob_score(X, y)
        return self

    def _wrap(self, tree, seed, n_features):
        est = self._tree_template(int(seed))
        est.tree_ = tree
        est.n_features_in_ = n_features
        if hasattr(self, "classes_"):
            est.classes_, est.n_classes_ = self.classes_, self.n_classes_
        return est

    def _oob_average(self, X, per_tree):
        """Average of ``per_tree(tree, X_rows)`` over the trees that did not draw each row."""
        n = X.shape[0]
        total, count = None, np.zeros(n)
        for est, seed in zip(self.estimators_, self._seeds):
            unsampled = _bootstrap_counts(np.random.default_rng(seed), n) == 0
            pred = per_tree(est.tree_, X[unsampled])
            if total is None:
                total = np.zeros((n, pred.shape[1]))
            total[unsampled] += pred
            count[unsampled] += 1
        if np.any(count == 0):
            warn_at_caller(
                "Some inputs do not have OOB scores. This probably means too few trees were "
                "used to compute any reliable OOB estimates.",
                UserWarning,
            )
            count[count == 0] = 1
        return total / count[:, None]

    def _validate_X_predict(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False, dtype=DTYPE)

    def apply(self, X):
        """Leaf index of each sample in each tree, shape (n, n_estimators)."""
        X = self._validate_X_predict(X)
        return np.column_stack([est.tree_.apply(X) for est in self.estimators_])

    @property
    def feature_importances_(self):
        """Mean over the trees of their normalized impurity decreases, normalized."""
        check_is_fitted(self, "estimators_")
        imps = [e.tree_.compute_feature_importances() for e in self.estimators_]
        imps = [imp for imp, e in zip(imps, self.estimators_) if e.tree_.node_count > 1]
        if not imps:
            return np.zeros(self.n_features_in_)
        mean = np.mean(imps, axis=0)
        return mean / mean.sum()


_DOC = """
    n_estimators : int, default=100
        Number of trees.
    criterion, max_depth, min_samples_split, min_samples_leaf, max_features, max_leaf_nodes,
    min_impurity_decrease
        As in the decision tree, for every tree.
    bootstrap : bool, default=True
        Grow each tree on a bootstrap sample (else on the whole data).
    oob_score : bool, default=False
        Score the out-of-bag predictions (``oob_score_``; needs ``bootstrap``).
    n_jobs : int or None, default=None
        Worker processes growing trees (-1: all cores); the forest does not depend on it.
    random_state : None, int or numpy Generator
"""


class RandomForestClassifier(ClassifierMixin, _BaseForest):
    __doc__ = (
        """Random forest of classification trees (probabilities averaged over trees).

    Parameters
    ----------"""
        + _DOC.replace("criterion, max_depth", "criterion='gini', max_depth")
        + """    max_features default: "sqrt".

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    classes_, n_classes_, n_features_in_, feature_importances_
    oob_score_ : float, oob_decision_function_ : ndarray (n, n_classes)
    """
    )

    _tree_class = DecisionTreeClassifier

    def __init__(
        self,
        n_estimators=100,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features="sqrt",
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
    ):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees on bootstrap samples of ``(X, y)``."""
        X, y = validate_data(self, X, y, dtype=DTYPE)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = len(self.classes_)
        return self._fit_forest(X, codes, sample_weight, n_classes=self.n_classes_)

    def _set_oob_score(self, X, codes):
        self.oob_decision_function_ = self._oob_average(X, lambda t, Xs: t.predict(Xs))
        self.oob_score_ = float(np.mean(np.argmax(self.oob_decision_function_, axis=1) == codes))

    def predict_proba(self, X):
        """Mean over the trees of their leaf class proportions, shape (n, n_classes)."""
        X = self._validate_X_predict(X)
        proba = np.zeros((X.shape[0], self.n_classes_))
        for est in self.estimators_:
            proba += est.tree_.predict(X)
        return proba / len(self.estimators_)


class RandomForestRegressor(MultiOutputMixin, RegressorMixin, _BaseForest):
    __doc__ = (
        """Random forest of regression trees (predictions averaged over trees).

    Parameters
    ----------"""
        + _DOC.replace("criterion, max_depth", "criterion='squared_error', max_depth")
        + """    max_features default: 1.0 (all features, as scikit-learn).

    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    n_outputs_ : int
    n_features_in_, feature_importances_, oob_score_ (R^2, averaged over the outputs),
    oob_prediction_ (n,) or (n, n_outputs)
    """
    )

    _tree_class = DecisionTreeRegressor

    def __init__(
        self,
        n_estimators=100,
        criterion="squared_error",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=1.0,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
    ):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees on bootstrap samples of ``(X, y)``; y of shape (n,)
        or (n, n_outputs) (one tree serves all outputs, as scikit-learn's)."""
        X, y = validate_targets(self, X, y, column_vector="warn", dtype=DTYPE)
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        return self._fit_forest(X, y, sample_weight)

    def _wrap(self, tree, seed, n_features):
        est = super()._wrap(tree, seed, n_features)
        est.n_outputs_ = self.n_outputs_
        return est

    def _set_oob_score(self, X, y):
        from gradscratch.metrics import r2_score  # as RegressorMixin.score: R^2 averaged

        oob = self._oob_average(X, lambda t, Xs: t.predict(Xs))
        self.oob_prediction_ = oob[:, 0] if self.n_outputs_ == 1 else oob
        self.oob_score_ = r2_score(y, self.oob_prediction_)

    def predict(self, X):
        """Mean of the trees' predictions: shape (n,), or (n, n_outputs)."""
        X = self._validate_X_predict(X)
        pred = np.zeros((X.shape[0], self.n_outputs_))
        for est in self.estimators_:
            pred += est.tree_.predict(X)
        pred /= len(self.estimators_)
        return pred[:, 0] if self.n_outputs_ == 1 else pred
