"""k-means: Lloyd's algorithm, vectorized, started from greedy k-means++."""

import numbers

import numpy as np

from gradscratch._blocks import combine_moments, is_dask, map_rows, moments, reduce_blocks
from gradscratch._dask_validation import check_weight_sum
from gradscratch.base import (
    BaseEstimator,
    ClusterMixin,
    ConvergenceWarning,
    TransformerMixin,
    check_array,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
    validate_data,
    warn_at_caller,
)
from gradscratch.nonparametric._distances import (
    accurate_euclidean,
    chunk_rows,
    iter_chunks,
    pairwise_distances,
    sq_euclidean_offsets,
    squared_norms,
)
from gradscratch.nonparametric._limits import check_powers_finite

__all__ = ["KMeans"]


def _assign(X, centers):
    """Nearest center of each row and its squared distance, in bounded-memory chunks.

    The centers are ranked by ``||c||^2 - 2 x.c`` (the squared distance minus the row's
    constant ``||x||^2``: one matrix product), whose rounding error is about
    ``eps (||x|| ||c|| + ||c||^2)``: on centred data (the callers centre X and the centers
    at a common origin) a center can lose only to one whose true distance is within that of
    the best, relative to the data's spread, not to their offset. The winner's squared
    distance is then recomputed from the coordinate differences (n p flops, against the
    n k p of the ranking), so the distances and inertia reported do not cancel.
    """
    n = X.shape[0]
    labels = np.empty(n, dtype=np.intp)
    d2 = np.empty(n)
    c_sq = squared_norms(centers)
    for sl in iter_chunks(n, chunk_rows(len(centers), X.shape[1])):
        D = sq_euclidean_offsets(X[sl], centers, c_sq)
        labels[sl] = np.argmin(D, axis=1)
        d2[sl] = squared_norms(X[sl] - centers[labels[sl]])
    return labels, d2


def kmeans_plusplus(X, n_clusters, sample_weight, x_sq_norms, rng):
    """Greedy k-means++ (Arthur & Vassilvitskii): each new center is the best of
    ``2 + floor(log k)`` candidates drawn with probability proportional to ``w D(x)^2``."""
    n = X.shape[0]
    n_trials = 2 + int(np.log(n_clusters))
    centers = np.empty((n_clusters, X.shape[1]))
    first = rng.choice(n, p=sample_weight / sample_weight.sum())
    centers[0] = X[first]
    closest = pairwise_distances(X[[first]], X, Y_sq_norms=x_sq_norms, squared=True)[0]
    potential = closest @ sample_weight
    for c in range(1, n_clusters):
        draws = rng.uniform(size=n_trials) * potential
        candidates = np.searchsorted(np.cumsum(sample_weight * closest), draws)
        np.clip(candidates, None, n - 1, out=candidates)
        d_cand = pairwise_distances(X[candidates], X, Y_sq_norms=x_sq_norms, squared=True)
        np.minimum(closest, d_cand, out=d_cand)
        potentials = d_cand @ sample_weight
        best = np.argmin(potentials)
        potential, closest = potentials[best], d_cand[best]
        centers[c] = X[candidates[best]]
    return centers


def _update_centers(X, w, labels, centers_old):
    """Weighted means of the clusters; an empty cluster takes the point farthest from its
    center (scikit-learn's relocation), which leaves its old cluster."""
    k = len(centers_old)
    weight_in = np.bincount(labels, weights=w, minlength=k)
    sums = np.zeros((k, X.shape[1]))
    # Per-cluster sums as (weighted one-hot)^T X, one bounded block of rows at a time.
    for sl in iter_chunks(X.shape[0], chunk_rows(k, 1)):
        onehot = np.zeros((sl.stop - sl.start, k))
        onehot[np.arange(sl.stop - sl.start), labels[sl]] = w[sl]
        sums += onehot.T @ X[sl]
    empty = np.flatnonzero(weight_in == 0)
    if len(empty):
        far_d = np.sum((X - centers_old[labels]) ** 2, axis=1)
        if far_d.max() > 0:
            far = np.argsort(-far_d, kind="stable")[: len(empty)]
            for new, idx in zip(empty, far):
                old = labels[idx]
                sums[old] -= w[idx] * X[idx]
                weight_in[old] -= w[idx]
                sums[new] = w[idx] * X[idx]
                weight_in[new] = w[idx]
    centers = centers_old.copy()
    filled = weight_in > 0
    centers[filled] = sums[filled] / weight_in[filled, None]
    return centers


def lloyd(X, w, centers, max_iter, tol):
    """Lloyd's iterations from ``centers`` until labels stop changing or the total squared
    center shift is at most ``tol``; returns (labels, centers, inertia, n_iter, history)."""
    labels_old = None
    history = {"centers": [centers], "inertia": []}
    strict = False
    for _ in range(max_iter):
        labels, d2 = _assign(X, centers)
        history["inertia"].append(float(d2 @ w))
        new_centers = _update_centers(X, w, labels, centers)
        shift = np.sum((new_centers - centers) ** 2)
        centers = new_centers
        history["centers"].append(centers)
        if labels_old is not None and np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    n_iter = len(history["inertia"])
    if strict:
        d2 = squared_norms(X - centers[labels])
    else:
        # Re-assign so that the labels returned belong to the final centers.
        labels, d2 = _assign(X, centers)
    inertia = float(d2 @ w)
    return labels, centers, inertia, n_iter, history


def _nearest(X, centers):
    """(nearest center, squared distance) of each row of X, centred at the centers' mean as
    the fit was: the ranking's rounding is then relative to the spread of the centers, not
    to their distance from the origin."""
    origin = centers.mean(axis=0)
    return _assign(X - origin, centers - origin)


def _labels(X, centers):
    """The nearest center of each row (a block of a dask array: ``KMeans.predict``)."""
    return _nearest(X, centers)[0]


def _block_inertia(X, w, centers):
    return float(_nearest(X, centers)[1] @ w)


def _block_weight(w):
    return [float(np.sum(w))]


def _concat(parts):
    return [item for part in parts for item in part]


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means clustering by Lloyd's algorithm.

    Minimizes the inertia ``sum_i w_i min_j ||x_i - c_j||^2`` by alternating assignment of each
    point to its nearest center and moving each center to the (weighted) mean of its points.

    Parameters
    ----------
    n_clusters : int, default=8
    init : {"k-means++", "random"} or array of shape (n_clusters, n_features)
        "k-means++": greedy k-means++ (``2 + floor(log k)`` trials per center); "random":
        k distinct training points drawn uniformly.
    n_init : "auto" or int, default="auto"
        Runs from different starts; the lowest inertia wins. "auto": 1 for "k-means++" or an
        array, 10 for "random" (scikit-learn 1.4+).
    max_iter : int, default=300
    tol : float, default=1e-4
        Stop when the total squared center shift is at most ``tol * mean(var(X, axis=0))``.
    random_state : None, int or numpy Generator, default=None

    Attributes
    ----------
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
    labels_ : ndarray of shape (n_samples,)
    inertia_ : float
    n_iter_ : int
    inertia_history_ : ndarray of shape (n_iter_,)
        Inertia of the assignment made at each iteration of the best run (before its update).
    centers_history_ : ndarray of shape (n_iter_ + 1, n_clusters, n_features)
        Centers of the best run: the start, then after each update.

    Notes
    -----
    Fewer distinct points than clusters leaves clusters empty: a ConvergenceWarning says so.
    """

    # Fits dask arrays: per-block assignments and cluster sums (``_dask_kmeans.py``);
    # ``labels_``, predict and transform are lazy.
    _accepts_dask = True

    def __init__(
        self,
        n_clusters=8,
        *,
        init="k-means++",
        n_init="auto",
        max_iter=300,
        tol=1e-4,
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _check_params(self, X):
        k = self.n_clusters
        if not isinstance(k, numbers.Integral) or isinstance(k, bool) or k < 1:
            raise ValueError(f"n_clusters must be an integer >= 1, got {k!r}.")
        if X.shape[0] < k:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={k}.")
        for name in ("max_iter",):
            v = getattr(self, name)
            if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v < 1:
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}.")
        if not isinstance(self.tol, numbers.Real) or self.tol < 0:
            raise ValueError(f"tol must be a float >= 0, got {self.tol!r}.")
        is_array = not isinstance(self.init, str)
        if not is_array and self.init not in ("k-means++", "random"):
            raise ValueError(f"init must be 'k-means++', 'random' or an array, got {self.init!r}.")
        if self.n_init == "auto":
            n_init = 10 if (not is_array and self.init == "random") else 1
        elif isinstance(self.n_init, numbers.Integral) and self.n_init >= 1:
            n_init = int(self.n_init)
        else:
            raise ValueError(f"n_init must be 'auto' or an integer >= 1, got {self.n_init!r}.")
        if is_array:
            init = check_array(self.init, estimator=self, name="init")
            if init.shape != (k, X.shape[1]):
                raise ValueError(
                    f"The shape of the initial centers {init.shape} does not match the "
                    f"number of clusters {k} and features {X.shape[1]}."
                )
            if n_init != 1:
                warn_at_caller(
                    "Explicit initial center position passed: performing only one init in "
                    f"KMeans instead of n_init={n_init}.",
                    RuntimeWarning,
                )
            return init, 1
        return None, n_init

    def fit(self, X, y=None, sample_weight=None):
        """Cluster X; returns ``self``."""
        X = validate_data(self, X)
        if is_dask(X):
            return self._fit_blocks(X, sample_weight)
        # the inertia sums n p squares
        check_powers_finite(X, "KMeans", terms=X.shape[0] * X.shape[1])
        init, n_init = self._check_params(X)
        w = check_sample_weight(sample_weight, X.shape[0])
        rng = check_random_state(self.random_state)
        # Centering changes nothing mathematically but keeps ||x||^2 - 2x.c + ||c||^2 exact.
        mean = X.mean(axis=0)
        Xc = X - mean
        x_sq = squared_norms(Xc)
        tol = float(np.mean(np.var(X, axis=0)) * self.tol)
        best = None
        for _ in range(n_init):
            if init is not None:
                start = init - mean
            elif self.init == "k-means++":
                start = kmeans_plusplus(Xc, self.n_clusters, w, x_sq, rng)
            else:
                start = Xc[rng.choice(X.shape[0], self.n_clusters, replace=False)]
            run = lloyd(Xc, w, start, self.max_iter, tol)
            if best is None or run[2] < best[2]:
                best = run
        labels, centers, inertia, n_iter, history = best
        return self._set_fit(labels, centers + mean, inertia, n_iter, history, mean)

    def _fit_blocks(self, X, sample_weight):
        """The same fit from per-block sums of dask arrays (``_dask_kmeans.py``): the
        start, then one pass per Lloyd iteration; ``labels_`` a lazy dask array."""
        from gradscratch.nonparametric import _dask_kmeans as blocks

        total = reduce_blocks(moments, combine_moments, (X,))
        check_powers_finite(X, "KMeans", terms=X.shape[0] * X.shape[1], largest=total.largest)
        init, n_init = self._check_params(X)
        w = check_sample_weight(sample_weight, X.shape[0], like=X)
        weight_totals = np.array(reduce_blocks(_block_weight, _concat, (w,)))
        check_weight_sum(weight_totals.sum())
        rng = check_random_state(self.random_state)
        mean = total.mean
        tol = float(np.mean(np.diag(total.scatter) / X.shape[0]) * self.tol)
        best = None
        for _ in range(n_init):
            if init is not None:
                start = init - mean
            elif self.init == "k-means++":
                start = blocks.kmeans_plusplus_blocks(
                    X, w, mean, self.n_clusters, rng, weight_totals
                )
            else:
                index = rng.choice(X.shape[0], self.n_clusters, replace=False)
                start = np.asarray(X[index].compute()) - mean  # k rows
            run = blocks.lloyd_blocks(X, w, mean, start, self.max_iter, tol)
            if best is None or run[2] < best[2]:
                best = run
        label_centers, centers, inertia, n_iter, history, distinct = best
        labels = map_rows(_labels, X, label_centers + mean, dtype=np.intp)
        return self._set_fit(labels, centers + mean, inertia, n_iter, history, mean, distinct)

    def _set_fit(self, labels, centers, inertia, n_iter, history, mean, distinct=None):
        distinct = len(np.unique(labels)) if distinct is None else distinct
        if distinct < self.n_clusters:
            warn_at_caller(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning,
            )
        self.cluster_centers_ = centers
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self.inertia_history_ = np.array(history["inertia"])
        self.centers_history_ = np.array(history["centers"]) + mean
        return self

    def _check_X(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        if not is_dask(X):  # checked on each block as it is computed
            check_powers_finite(X, "KMeans")
        return X

    def _assign_new(self, X):
        return _nearest(X, self.cluster_centers_)

    def predict(self, X):
        """Index of the nearest center of each row."""
        X = self._check_X(X)
        if is_dask(X):
            return map_rows(_labels, X, self.cluster_centers_, dtype=np.intp)
        return self._assign_new(X)[0]

    def transform(self, X):
        """Euclidean distances to every center, shape (n_samples, n_clusters), each to
        1e-12 relative (the small ones recomputed from coordinate differences); columns
        ``kmeans0``, ``kmeans1``, ... with ``set_output(transform="pandas")``."""
        X_checked = self._check_X(X)
        if is_dask(X_checked):
            return map_rows(self.transform, X_checked, columns=len(self.cluster_centers_))
        distances = accurate_euclidean(X_checked, self.cluster_centers_)
        return self._wrap_output(distances, X)

    @property
    def _n_features_out(self):
        return self.cluster_centers_.shape[0]

    def score(self, X, y=None, sample_weight=None):
        """Opposite of the inertia of X under the fitted centers."""
        X = self._check_X(X)
        w = check_sample_weight(sample_weight, X.shape[0], like=X)
        if is_dask(X):
            return -float(reduce_blocks(_block_inertia, sum, (X, w), self.cluster_centers_))
        return -float(self._assign_new(X)[1] @ w)
