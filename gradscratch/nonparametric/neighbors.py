"""k-nearest neighbours: brute force over chunked pairwise distances.

For each query the k training points of smallest distance are found with ``argpartition``
(O(n) per query rather than a full sort), then only those k are sorted. Memory is bounded by
processing queries in chunks (see :mod:`._distances`).
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
from gradscratch.nonparametric._distances import (
    chunk_rows,
    iter_chunks,
    metric_power,
    pairwise_distances,
    resolve_metric,
    squared_norms,
)
from gradscratch.nonparametric._limits import check_powers_finite

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]

# Training points per distance block (with the query rows of chunk_rows, a few MB).
BLOCK_COLS = 2**16
# Columns per group in the pre-selection of _k_smallest.
GROUP = 128


def _k_smallest_exact(D, k):
    """Column indices of the k smallest entries of each row of D, sorted by (distance, index).

    Ties at the k-th distance are broken towards the smaller training index, so the result
    does not depend on how ``argpartition`` happens to order equal values.
    """
    n_rows, n_cols = D.shape
    if k < n_cols:
        idx = np.argpartition(D, k - 1, axis=1)[:, :k]
    else:
        idx = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols)).copy()
    dk = np.take_along_axis(D, idx, axis=1)
    if k < n_cols:
        kth = dk.max(axis=1)
        tied = np.count_nonzero(D <= kth[:, None], axis=1) > k
        if tied.any():
            rows = np.flatnonzero(tied)
            full = np.argsort(D[rows], axis=1, kind="stable")[:, :k]
            idx[rows] = full
            dk[rows] = np.take_along_axis(D[rows], full, axis=1)
    order = np.lexsort((idx, dk), axis=1)
    return np.take_along_axis(dk, order, axis=1), np.take_along_axis(idx, order, axis=1)


def _k_smallest(D, k):
    """As :func:`_k_smallest_exact`, after discarding most columns cheaply.

    Split each row into ``n_groups`` groups of ``GROUP`` columns (group g holds the columns
    g, g + n_groups, g + 2 n_groups, ...: the minima are then elementwise minima of
    contiguous slices, a fast reduction). The k smallest group minima are k distinct
    entries, so the k-th smallest entry is at most the k-th smallest group minimum, and the
    k smallest entries all lie in the k groups of smallest minimum: one min-reduction over D
    and a selection among k * GROUP candidates replace a selection over the full row.
    Rows with tied group minima at the boundary use the full selection.
    """
    n_rows, n_cols = D.shape
    n_groups = n_cols // GROUP
    if n_groups <= 2 * k:
        return _k_smallest_exact(D, k)
    minima = D[:, : n_groups * GROUP].reshape(n_rows, GROUP, n_groups).min(axis=1)
    best = np.argpartition(minima, k - 1, axis=1)[:, :k]
    kth = np.take_along_axis(minima, best, axis=1).max(axis=1)
    cols = (best[:, :, None] + n_groups * np.arange(GROUP)).reshape(n_rows, k * GROUP)
    rest = np.broadcast_to(np.arange(n_groups * GROUP, n_cols), (n_rows, n_cols % GROUP))
    cols = np.hstack([cols, rest])
    dist, pos = _k_smallest_exact(np.take_along_axis(D, cols, axis=1), k)
    ind = np.take_along_axis(cols, pos, axis=1)
    tied = np.count_nonzero(minima <= kth[:, None], axis=1) > k
    if tied.any():
        rows = np.flatnonzero(tied)
        dist[rows], ind[rows] = _k_smallest_exact(D[rows], k)
    return dist, ind


def _exact_euclidean(Xq, X, ind):
    """Distances to the selected neighbours from coordinate differences, re-sorted.

    Selection used the matrix-product formula; recomputing the k winners exactly gives a
    query its exact distance 0 to a copy of itself (which ``weights="distance"`` relies on).
    """
    diff = Xq[:, None, :] - X[ind]
    dist = np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))
    order = np.lexsort((ind, dist), axis=1)
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(ind, order, axis=1)


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
        self._fit_sq_norms = squared_norms(X) if self._metric == "euclidean" else None
        # Training points as contiguous columns, with their squared norms as one more row:
        # (-2 x, 1) . (y, ||y||^2) = ||y||^2 - 2 x.y, the ranking key, in one matrix product.
        self._fit_XT = (
            np.ascontiguousarray(np.vstack([X.T, self._fit_sq_norms]))
            if self._metric == "euclidean"
            else None
        )
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
        n_queries = X.shape[0]
        dist = np.empty((n_queries, k))
        ind = np.empty((n_queries, k), dtype=np.intp)
        euclidean = self._metric == "euclidean"
        # Euclidean ranks by a rounded formula: look one neighbour further to spot near-ties.
        k_sel = min(k + 1, available) if euclidean else k
        cols = min(self.n_samples_fit_, max(BLOCK_COLS, k_sel))
        rows = chunk_rows(cols, X.shape[1], self._metric)
        buffer = np.empty((min(rows, n_queries), cols)) if euclidean else None
        if euclidean:
            Xa = np.hstack([-2.0 * X, np.ones((n_queries, 1))])
        for sl in iter_chunks(n_queries, rows):
            found_d, found_i = [], []
            # Blocks of training points keep each distance block in cache; every block
            # contributes its own k best, and the k best of those are the answer.
            for cl in iter_chunks(self.n_samples_fit_, cols):
                Y = self._fit_X[cl]
                if euclidean:
                    D = np.matmul(
                        Xa[sl],
                        self._fit_XT[:, cl],
                        out=buffer[: sl.stop - sl.start, : cl.stop - cl.start],
                    )
                else:
                    D = pairwise_distances(X[sl], Y, self._metric, self.p)
                if exclude_self:
                    own = np.arange(max(sl.start, cl.start), min(sl.stop, cl.stop))
                    D[own - sl.start, own - cl.start] = np.inf
                d, i = _k_smallest(D, min(k_sel, D.shape[1]))
                found_d.append(d)
                found_i.append(i + cl.start)
            d, i = np.hstack(found_d), np.hstack(found_i)
            if len(found_d) > 1:
                order = np.lexsort((i, d), axis=1)[:, :k_sel]
                d, i = np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)
            if euclidean:
                d, i = self._exact_ranking(X[sl], d, i, k, sl if exclude_self else None)
            dist[sl], ind[sl] = d, i
        return (dist, ind) if return_distance else ind

    def _exact_ranking(self, Xq, offsets, ind, k, own):
        """Exact distances of the k selected neighbours; rows whose k-th and (k+1)-th
        candidates are within rounding of each other are re-ranked exactly over all points,
        so that exact ties go to the smaller training index."""
        if offsets.shape[1] > k:
            scale = squared_norms(Xq) + self._fit_sq_norms.max()
            near_tie = offsets[:, k] - offsets[:, k - 1] <= 1e-10 * scale
            ind = ind[:, :k].copy()
            for r in np.flatnonzero(near_tie):
                diff = self._fit_X - Xq[r]
                exact = np.einsum("ij,ij->i", diff, diff)
                if own is not None:
                    exact[own.start + r] = np.inf
                ind[r] = np.lexsort((np.arange(len(exact)), exact))[:k]
        return _exact_euclidean(Xq, self._fit_X, ind)

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
