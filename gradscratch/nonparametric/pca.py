"""Principal component analysis by SVD of the centered data (or eigh of its covariance).

Probabilistic PCA (Tipping and Bishop, 1999) reads the fit as a Gaussian model of the data,
x ~ N(mean, C) with C = V^T diag(lambda - sigma^2) V + sigma^2 I: the k components V with their
variances lambda, and sigma^2 the mean discarded variance (``noise_variance_``, its
maximum-likelihood value). ``score_samples`` is log N(x; mean, C), computed in the
eigenbasis of C (eigenvalues max(lambda_j, sigma^2) along the components, sigma^2 elsewhere),
without forming or inverting C.
"""

import numbers

import numpy as np

from gradscratch._blocks import is_dask, map_rows
from gradscratch.base import (
    BaseEstimator,
    TransformerMixin,
    check_array,
    check_is_fitted,
    check_random_state,
    validate_data,
)
from gradscratch.nonparametric._limits import check_powers_finite

__all__ = ["PCA"]

SOLVERS = ("auto", "full", "covariance_eigh", "randomized")


def _flip_signs(Vt):
    """scikit-learn's convention: the largest-magnitude entry of each component is positive."""
    biggest = np.argmax(np.abs(Vt), axis=1)
    signs = np.sign(Vt[np.arange(Vt.shape[0]), biggest])
    signs[signs == 0] = 1.0
    return Vt * signs[:, None]


def _check_gram(G, X):
    """The overflow check of :func:`check_powers_finite`, read off the Gram matrix X^T X.

    Its diagonal holds each column's sum of squares, so it is finite exactly when no sum of
    squares the fit computes overflows, and it is at least ``n * tiny`` when some square is a
    normal number: only data that fail one of these need the pass over X that measures
    max |x| for the error message (a pass over X saved on every other fit)."""
    diagonal = np.diagonal(G)
    tiny = np.finfo(np.float64).tiny
    if not np.isfinite(diagonal.sum()) or diagonal.max() < 2.0 * X.shape[0] * tiny:
        check_powers_finite(X, "PCA", terms=X.size)


def _randomized_svd(A, n_components, n_oversamples, n_iter, rng):
    """Halko, Martinsson & Tropp: range of A from a Gaussian sketch and power iterations,
    then a Rayleigh-Ritz step on the row space found.

    The sketch's SVD Q^T A = U S V^T approximates A's top singular triplets; its S is the
    norm of Q Q^T A v, below the norm of A v by whatever of A v the sketch missed (2e-4
    relative with scikit-learn's defaults, 10 oversamples and 4 or 7 power iterations, on
    a slowly decaying spectrum). Rotating V within its span by the SVD A V = U' S' W^T
    (V' = V W, one more product with A) makes the projections A V' = U' S' orthogonal with
    norms S': the singular values returned are those of the data's own projections onto
    the components, to rounding (the variances of ``transform``'s columns), and the
    components are the best in the sketched span.
    """
    size = min(n_components + n_oversamples, min(A.shape))
    Q = rng.standard_normal((A.shape[1], size))
    for _ in range(n_iter):
        # LU/QR renormalization keeps the power iterations from collapsing onto the top
        # singular vector in floating point.
        Q, _ = np.linalg.qr(A @ Q)
        Q, _ = np.linalg.qr(A.T @ Q)
    Q, _ = np.linalg.qr(A @ Q)
    _, _, Vt = np.linalg.svd(Q.T @ A, full_matrices=False)
    _, S, Wt = np.linalg.svd(A @ Vt.T, full_matrices=False)
    return S[:n_components], (Wt @ Vt)[:n_components]


class PCA(TransformerMixin, BaseEstimator):
    """Linear projection onto the directions of largest variance.

    With ``Xc = X - mean`` and its SVD ``Xc = U S V^T``, the components are the rows of
    ``V^T`` and component j explains variance ``S_j^2 / (n - 1)``. ``transform(X) = (X -
    mean) V_k`` (divided by ``sqrt(explained_variance_)`` when ``whiten``).

    Parameters
    ----------
    n_components : None, int or float in (0, 1), default=None
        None keeps ``min(n_samples, n_features)`` components; a float keeps the fewest
        components whose cumulative explained variance ratio exceeds it.
    whiten : bool, default=False
    svd_solver : {"auto", "full", "covariance_eigh", "randomized"}, default="auto"
        "full": SVD of the centered data; "covariance_eigh": ``eigh`` of the covariance matrix
        (fast when n_samples >> n_features); "randomized": randomized truncated SVD; "auto"
        picks as scikit-learn does.
    random_state : None, int or numpy Generator, default=None
        Seeds the randomized solver.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        Largest-magnitude entry of each row positive (scikit-learn's sign convention).
    explained_variance_, explained_variance_ratio_, singular_values_ : ndarray
    mean_ : ndarray of shape (n_features,)
    n_components_ : int
    n_samples_ : int
    noise_variance_ : float
        Mean of the discarded variances (probabilistic PCA's maximum-likelihood sigma^2).

    Notes
    -----
    ``get_feature_names_out()`` gives ``pca0``, ``pca1``, ...; ``set_output(transform="pandas")``
    makes ``transform`` return a DataFrame with those columns (so it works in scikit-learn's
    ``Pipeline`` and ``ColumnTransformer``). ``score``/``score_samples`` are probabilistic PCA's
    log-likelihood, scikit-learn's with ``whiten=False``; with ``whiten=True`` scikit-learn
    also scales the components of its generative model (its issue 13898), ours is the same
    model of X whatever the transform.
    """

    _blas_threads = None  # one large product per fit: the caller's BLAS threads (_threads.py)

    # Fits dask arrays: the scatter of their blocks, reduced (``_dask_fit.py``); transform
    # and score_samples map over them lazily.
    _accepts_dask = True

    def __init__(self, n_components=None, *, whiten=False, svd_solver="auto", random_state=None):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.random_state = random_state

    def _check_n_components(self, n_samples, n_features):
        k = self.n_components
        limit = min(n_samples, n_features)
        if k is None:
            return limit
        if isinstance(k, numbers.Integral) and not isinstance(k, bool):
            if not 0 <= k <= limit:
                raise ValueError(
                    f"n_components={k} must be between 0 and min(n_samples, n_features)="
                    f"{limit} with svd_solver={self._solver!r}"
                )
            return int(k)
        if isinstance(k, numbers.Real) and 0 < k < 1:
            if self._solver == "randomized":
                raise ValueError("A fractional n_components needs svd_solver 'full' or 'auto'.")
            return float(k)
        raise ValueError(f"n_components must be None, an int or a float in (0, 1), got {k!r}.")

    def _pick_solver(self, n_samples, n_features, k):
        if n_features <= 1000 and n_samples >= 10 * n_features:
            return "covariance_eigh"
        if max(n_samples, n_features) <= 500:
            return "full"
        if k is not None and 1 <= k < 0.8 * min(n_samples, n_features):
            return "randomized"
        return "full"

    def fit(self, X, y=None):
        """Compute the components; returns ``self``."""
        self._fit(X)
        return self

    def _fit(self, X):
        if self.svd_solver not in SOLVERS:
            raise ValueError(f"svd_solver must be one of {SOLVERS}, got {self.svd_solver!r}.")
        X = validate_data(self, X)
        n, p = X.shape
        self._solver = self.svd_solver
        k = self._check_n_components(n, p)
        if self._solver == "auto":
            self._solver = self._pick_solver(n, p, k if isinstance(k, int) else None)
        if self._solver == "randomized" and k < 1:
            raise ValueError(
                f"n_components={k} must be between 1 and min(n_samples, n_features)="
                f"{min(n, p)} with svd_solver='randomized'"
            )
        if n < 2:
            raise ValueError(f"PCA needs at least 2 samples, got n_samples = {n}.")
        self.n_samples_ = n
        limit = min(n, p)
        if is_dask(X):
            return self._fit_blocks(X, k, limit)
        if self._solver != "covariance_eigh":
            check_powers_finite(X, "PCA", terms=X.size)  # the total variance sums n p squares
        self.mean_ = X.mean(axis=0)
        if self._solver == "randomized":
            Xc = X - self.mean_
            rng = check_random_state(self.random_state)
            n_iter = 7 if k < 0.1 * limit else 4
            S, Vt = _randomized_svd(Xc, k, 10, n_iter, rng)
            total_var = np.sum(Xc * Xc) / (n - 1)
            variance = S**2 / (n - 1)
            self._set(_flip_signs(Vt), variance, variance / total_var, S, k)
            discarded = total_var - variance.sum()
            self.noise_variance_ = discarded / (limit - k) if k < limit else 0.0
            return self
        if self._solver == "full":
            _, S, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
            variance = S**2 / (n - 1)
        else:
            # Centering the small p x p Gram matrix instead of the n x p data saves a copy.
            with np.errstate(over="ignore", invalid="ignore"):  # _check_gram reports it
                C = X.T @ X
            _check_gram(C, X)
            C -= n * self.mean_[:, None] * self.mean_[None, :]
            C /= n - 1
            variance, vectors = np.linalg.eigh(C)
            variance, Vt = np.maximum(variance[::-1], 0.0), vectors[:, ::-1].T
            S = np.sqrt(variance * (n - 1))
        return self._finish(Vt, variance, S, k, limit)

    def _fit_blocks(self, X, k, limit):
        """The same fit from one pass over the blocks of a dask array (``_dask_fit.py``):
        "covariance_eigh" from the merged moments, "full" from a tall-skinny QR."""
        from gradscratch.nonparametric._dask_fit import pca_blocks

        if self.svd_solver == "randomized":
            raise ValueError(
                "svd_solver='randomized' does not take a dask array: 'full' (a tall-skinny "
                "QR, one pass) or 'covariance_eigh' give the exact components in one pass."
            )
        solver = "full" if self._solver == "randomized" else self._solver
        self.mean_, S, Vt, variance, largest = pca_blocks(X, solver)
        check_powers_finite(X, "PCA", terms=X.size, largest=largest)
        return self._finish(Vt, variance, S, k, limit)

    def _finish(self, Vt, variance, S, k, limit):
        Vt = _flip_signs(Vt)
        ratio = variance / variance.sum()
        if isinstance(k, float):
            k = int(np.searchsorted(np.cumsum(ratio), k, side="right") + 1)
            k = min(k, limit)
        # scikit-learn averages every discarded eigenvalue the solver produced.
        self.noise_variance_ = float(variance[k:].mean()) if k < limit else 0.0
        self._set(Vt, variance, ratio, S, k)
        return self

    def _set(self, Vt, variance, ratio, S, k):
        self.n_components_ = k
        self.components_ = np.ascontiguousarray(Vt[:k])
        self.explained_variance_ = variance[:k].copy()
        self.explained_variance_ratio_ = ratio[:k].copy()
        self.singular_values_ = S[:k].copy()

    def transform(self, X):
        """Coordinates of X on the components (whitened: unit variance each)."""
        check_is_fitted(self)
        original, X = X, validate_data(self, X, reset=False)
        if is_dask(X):
            return map_rows(self.transform, X, columns=self.n_components_)
        Z = (X - self.mean_) @ self.components_.T
        if self.whiten:
            Z /= self._whitening_scale()
        return self._wrap_output(Z, original)

    @property
    def _n_features_out(self):
        return self.n_components_

    def _whitening_scale(self):
        # Zero-variance directions would divide by zero: clip at machine epsilon.
        return np.maximum(np.sqrt(self.explained_variance_), np.finfo(np.float64).eps)

    def inverse_transform(self, X):
        """Map coordinates back to the feature space: ``Z V_k^T + mean`` (un-whitened)."""
        check_is_fitted(self)
        Z = check_array(X, estimator=self)
        if self.whiten:
            return Z @ (np.sqrt(self.explained_variance_)[:, None] * self.components_) + self.mean_
        return Z @ self.components_ + self.mean_

    # --- probabilistic PCA -------------------------------------------------------------------
    def _model_variances(self):
        """Eigenvalues of C along the components: max(lambda_j, sigma^2)."""
        return np.maximum(self.explained_variance_, self.noise_variance_)

    def get_covariance(self):
        """C = V^T diag(lambda - sigma^2)_+ V + sigma^2 I, the model's covariance."""
        check_is_fitted(self)
        V, sigma2 = self.components_, self.noise_variance_
        cov = (V.T * (self._model_variances() - sigma2)) @ V
        cov.flat[:: cov.shape[0] + 1] += sigma2
        return cov

    def get_precision(self):
        """C^{-1} = V^T diag(1 / max(lambda, sigma^2) - 1 / sigma^2) V + I / sigma^2 (from the
        eigenbasis; with every component kept, V^T diag(1 / lambda) V)."""
        check_is_fitted(self)
        V, p = self.components_, self.components_.shape[1]
        inverse = 1.0 / self._model_variances()
        if self.n_components_ == p:
            return (V.T * inverse) @ V
        sigma2 = self.noise_variance_
        precision = (V.T * (inverse - 1.0 / sigma2)) @ V
        precision.flat[:: p + 1] += 1.0 / sigma2
        return precision

    def score_samples(self, X):
        """log N(x; mean, C) of each row under probabilistic PCA:
        -(r^T C^{-1} r + log det C + p log 2 pi) / 2 with r = x - mean, where
        r^T C^{-1} r = sum_j (V r)_j^2 / max(lambda_j, sigma^2) + (||r||^2 - ||V r||^2) / sigma^2
        and log det C = sum_j log max(lambda_j, sigma^2) + (p - k) log sigma^2."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        if is_dask(X):
            return map_rows(self.score_samples, X)
        R = X - self.mean_
        p, k = X.shape[1], self.n_components_
        variances = self._model_variances()
        coords = R @ self.components_.T
        quadratic = np.sum(coords**2 / variances, axis=1)
        logdet = np.sum(np.log(variances))
        if k < p:
            sigma2 = self.noise_variance_
            residual = np.maximum(np.sum(R * R, axis=1) - np.sum(coords**2, axis=1), 0.0)
            quadratic += residual / sigma2
            logdet += (p - k) * np.log(sigma2)
        return -0.5 * (quadratic + logdet + p * np.log(2.0 * np.pi))

    def score(self, X, y=None):
        """The average log-likelihood of the rows of X (see :meth:`score_samples`)."""
        return float(np.mean(self.score_samples(X)))
