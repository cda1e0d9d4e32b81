"""k-nearest neighbours (ESL 2.3.2 and 13.3; ISLR 2.2.3 and 3.5).

A query x is predicted from N_k(x), the k training points nearest to it in the metric d,
by default minkowski's ``d(x, y) = (sum_l |x_l - y_l|^p)^(1/p)`` (p = 2 euclidean, p = 1
manhattan):

    classifier   P(c | x) = sum_{j in N_k(x)} w_j [y_j = c] / sum_{j in N_k(x)} w_j,
                 y_hat(x) = argmax_c P(c | x)
    regressor    f_hat(x) = sum_{j in N_k(x)} w_j y_j / sum_{j in N_k(x)} w_j

with ``w_j = 1`` (``weights="uniform"``: the majority vote and the plain mean) or
``w_j = 1 / d(x, x_j)`` (``"distance"``; a query on training points gives those weight 1 and
the others 0, scikit-learn's rule). Ties in distance go to the smaller training index, ties
in the vote to the smallest label. There is nothing to fit: the model is the training set.

:func:`plain_kneighbors` and :func:`plain_predict` below are that, read straight off the
formulas: the full distance matrix, a sort of each row, the vote or the mean. The
estimators compute the same neighbours through one seam, :func:`fast_kneighbors`
(``_kneighbors.py``: float32 keys from one matrix product per block filter candidates
under a rigorous rounding bound, no row is sorted, the candidates finish exactly), and
``tests/test_neighbors_plain.py`` asserts that the two agree.
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
    validate_data,
    validate_targets,
)
from gradscratch.nonparametric._distances import metric_power, resolve_metric
from gradscratch.nonparametric._kneighbors import fast_kneighbors, fit_index
from gradscratch.nonparametric._limits import check_powers_finite

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor", "plain_kneighbors", "plain_predict"]


def plain_kneighbors(X_fit, X, k, p=2):
    """The k nearest rows of ``X_fit`` to each row of ``X``, nearest first: the textbook
    search (O(n_queries n_fit) memory; for reading and for tests)."""
    # d(x, x_j) = (sum_l |x_l - x_jl|^p)^(1/p), every query against every training point
    D = np.sum(np.abs(X[:, None, :] - X_fit[None, :, :]) ** p, axis=2) ** (1.0 / p)
    ind = np.argsort(D, axis=1, kind="stable")[:, :k]  # N_k(x); equal distances: smaller index
    return np.take_along_axis(D, ind, axis=1), ind


def plain_predict(X_fit, y_fit, X, k, weights="uniform", p=2, regression=False):
    """The textbook prediction over :func:`plain_kneighbors`: the regressor's (weighted)
    mean, or the classifier's class shares and winning labels (for queries at a positive
    distance from every training point)."""
    dist, ind = plain_kneighbors(X_fit, X, k, p)
    w = np.ones_like(dist) if weights == "uniform" else 1.0 / dist  # w_j = 1 or 1 / d(x, x_j)
    if regression:  # f(x) = sum_j w_j y_j / sum_j w_j
        return np.sum(w * y_fit[ind], axis=1) / np.sum(w, axis=1)
    classes = np.unique(y_fit)
    # votes[q, c] = sum_{j in N_k(x_q)} w_j [y_j = c]; the largest wins, ties to the first
    votes = np.sum(w[:, :, None] * (y_fit[ind][:, :, None] == classes), axis=1)
    proba = votes / np.sum(votes, axis=1, keepdims=True)
    return proba, classes[np.argmax(proba, axis=1)]


def _neighbor_weights(dist, weights):
    """Weights of each neighbour: ones, 1/d, or a user's function of the distances.

    With ``weights="distance"``, a query at distance 0 from some training points gives those
    points weight 1 and all others weight 0 (scikit-learn's rule).
    """
    if weights == "uniform":
        return None
    if weights == "distance":
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        inf_mask = np.isinf(w)
        inf_row = inf_mask.any(axis=1)
        w[inf_row] = inf_mask[inf_row]
        return w
    w = np.asarray(weights(dist), dtype=np.float64)
    if w.shape != dist.shape:
        raise ValueError("weights function must return an array of the shape of its input.")
    if np.any(np.all(w == 0, axis=1)):
        # A weighted vote or mean over weights that sum to 0 has no answer (scikit-learn's
        # error and message).
        raise ValueError(
            "All neighbors of some sample is getting zero weights. Please modify 'weights' "
            "to avoid this case if you are using a user-defined function."
        )
    return w


class _KNeighbors(BaseEstimator):
    """Shared fit and neighbour search of the classifier and the regressor."""

    _blas_threads = None  # large distance blocks: the caller's BLAS threads (_threads.py)

    def _check_params(self):
        k = self.n_neighbors
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(f"n_neighbors must be an integer >= 1, got {k!r}.")
        if not (self.weights in ("uniform", "distance") or callable(self.weights)):
            raise ValueError(
                f"weights must be 'uniform', 'distance' or a callable, got {self.weights!r}."
            )
        self._metric = resolve_metric(self.metric, self.p)

    def _check_scale(self, X):
        check_powers_finite(X, type(self).__name__, power=metric_power(self._metric, self.p))

    def _fit_points(self, X):
        self._check_params()
        self._check_scale(X)
        self._fit_X = X
        self._fit_index = fit_index(X) if self._metric == "euclidean" else None
        self.n_samples_fit_ = X.shape[0]
        self.effective_metric_ = self._metric

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """The ``n_neighbors`` nearest training points of each query, nearest first.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_features), optional
            Queries; ``None`` means the training points, each excluded from its own
            neighbours.
        n_neighbors : int, optional
            Default: the ``n_neighbors`` given at construction.
        return_distance : bool, default=True

        Returns
        -------
        distances : ndarray of shape (n_queries, n_neighbors), if ``return_distance``
        indices : ndarray of shape (n_queries, n_neighbors)
        """
        check_is_fitted(self)
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(f"n_neighbors must be an integer >= 1, got {k!r}.")
        exclude_self = X is None
        if not exclude_self:
            X = validate_data(self, X, reset=False)
            self._check_scale(X)
        else:
            X = self._fit_X
        available = self.n_samples_fit_ - int(exclude_self)
        if k > available:
            raise ValueError(
                f"Expected n_neighbors <= n_samples_fit, but n_neighbors = {k}, "
                f"n_samples_fit = {self.n_samples_fit_}, n_samples = {X.shape[0]}"
            )
        dist, ind = fast_kneighbors(
            X,
            self._fit_X,
            k,
            self._metric,
            self.p,
            index=self._fit_index,
            exclude_self=exclude_self,
        )
        return (dist, ind) if return_distance else ind

    def _neighbors_and_weights(self, X):
        dist, ind = self.kneighbors(X)
        return ind, _neighbor_weights(dist, self.weights)


class KNeighborsClassifier(ClassifierMixin, _KNeighbors):
    """Vote among the k nearest training points.

    The predicted class maximizes ``sum_{j in N_k(x)} w_j [y_j = c]`` where ``N_k(x)`` are the
    k nearest training points and ``w_j`` is 1 (``weights="uniform"``), ``1 / d(x, x_j)``
    (``"distance"``) or a user's function of the distances. Ties go to the smallest label.

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"} or callable, default="uniform"
        A callable maps an array of distances to an array of weights of the same shape.
    metric : {"minkowski", "euclidean", "manhattan", "chebyshev", "cosine"}, default="minkowski"
        As scikit-learn's: the default minkowski distance ``(sum_j |x_j - y_j|^p)^(1/p)``
        with ``p=2`` is the euclidean one, ``p=1`` manhattan, ``p=inf`` chebyshev
        (``effective_metric_`` names the one computed).
    p : float > 0, default=2
        Power of the minkowski metric (ignored by the other metrics, as in scikit-learn;
        0 < p < 1 warns: the formula is then not a metric).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_samples_fit_ : int
    effective_metric_ : str
    n_features_in_ : int
    """

    def __init__(self, n_neighbors=5, *, weights="uniform", metric="minkowski", p=2):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.p = p

    def fit(self, X, y):
        """Store the training points and their labels; returns ``self``."""
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_, self._y = np.unique(y, return_inverse=True)
        self._fit_points(X)
        return self

    def predict_proba(self, X):
        """Weighted share of each class among the neighbours, shape (n_queries, n_classes)."""
        check_is_fitted(self)
        ind, w = self._neighbors_and_weights(X)
        n_queries, k = ind.shape
        n_classes = len(self.classes_)
        labels = self._y[ind] + n_classes * np.arange(n_queries)[:, None]
        weights = None if w is None else w.ravel()
        votes = np.bincount(labels.ravel(), weights=weights, minlength=n_queries * n_classes)
        proba = votes.reshape(n_queries, n_classes).astype(np.float64)
        total = proba.sum(axis=1, keepdims=True)
        total[total == 0.0] = 1.0
        return proba / total


class KNeighborsRegressor(MultiOutputMixin, RegressorMixin, _KNeighbors):
    """Average of the targets of the k nearest training points.

    ``f(x) = sum_j w_j y_j / sum_j w_j`` over the k nearest training points, with the weights
    of :class:`KNeighborsClassifier`.

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"} or callable, default="uniform"
    metric : {"minkowski", "euclidean", "manhattan", "chebyshev", "cosine"}, default="minkowski"
    p : float > 0, default=2
        As in :class:`KNeighborsClassifier`.

    Attributes
    ----------
    n_samples_fit_ : int
    effective_metric_ : str
    n_features_in_ : int
    """

    def __init__(self, n_neighbors=5, *, weights="uniform", metric="minkowski", p=2):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.p = p

    def fit(self, X, y):
        """Store the training points and their targets (y of shape (n,) or (n, n_outputs));
        returns ``self``."""
        X, y = validate_targets(self, X, y, column_vector="keep")
        self._y = y
        self._fit_points(X)
        return self

    def predict(self, X):
        """(Weighted) mean target of the neighbours: shape (n,), or (n, n_outputs) for a 2-D
        y (a (n, 1) column included, as scikit-learn)."""
        check_is_fitted(self)
        ind, w = self._neighbors_and_weights(X)
        neighbor_y = self._y[ind]
        if w is None:
            return neighbor_y.mean(axis=1)
        if neighbor_y.ndim == 3:
            w = w[:, :, None]
        return (neighbor_y * w).sum(axis=1) / w.sum(axis=1)
