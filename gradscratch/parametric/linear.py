"""Least-squares regression: ordinary (LinearRegression) and L2-penalized (Ridge)."""

import autograd.numpy as anp
import numpy as np

import optim
from gradscratch._blocks import map_rows
from gradscratch.base import (
    BaseEstimator,
    MultiOutputMixin,
    RegressorMixin,
    check_is_fitted,
    check_sample_weight,
    is_dask,
    validate_data,
    validate_targets,
)
from gradscratch.parametric._least_squares import LeastSquares
from gradscratch.parametric._model import (
    Objective,
    ParametricModel,
    check_non_negative,
    jacobi_scale,
    minimize_objective,
)
from gradscratch.parametric._orthogonal import least_squares_route
from gradscratch.parametric.inference import least_squares_statistics, linear_summary

__all__ = ["LinearModel", "LinearRegression", "Ridge"]


class LinearModel(ParametricModel, RegressorMixin, BaseEstimator):
    """Shared by the linear regressors: fit through a least-squares data term, predict X w + b.

    Subclasses define ``_objective(data)``, returning the :class:`Objective` built on the
    data term ``_data_term`` gives (a :class:`LeastSquares` unless overridden). The optimizer
    works in the data term's parameters; ``data.to_coef`` maps its minimizer to coefficients.
    """

    # Fits dask arrays: the data term reduces their row blocks (``LeastSquares``), and
    # predict maps over them lazily.
    _accepts_dask = True

    def _data_term(self, X, y, sample_weight):
        return LeastSquares(X, y, sample_weight, self.fit_intercept)

    # scikit-learn's Ridge keeps coef_ 1-D for a (n, 1) target (LinearRegression does not)
    _column_vector_coef_1d = False

    def fit(self, X, y, sample_weight=None):
        """Fit the coefficients; ``sample_weight`` weighs each squared residual.

        ``y`` of shape (n, k) fits k outputs: the loss is the sum of the k losses, which
        separates into one fit per column, each through the same data term and optimizer
        (``coef_`` of shape (k, p), ``intercept_`` (k,), ``optim_result_`` a list).
        """
        self._check_common_params()
        self._check_params()
        X, y = validate_targets(self, X, y, column_vector="keep")
        weights = check_sample_weight(sample_weight, X.shape[0], like=X)
        if y.ndim == 2:
            return self._fit_outputs(X, y, weights)
        w, intercept, params, data = self._fit_one(X, y, weights)
        self.coef_, self.intercept_ = w, intercept
        self._inference_stats = least_squares_statistics(data, params, X, y, weights)
        return self

    def _fit_one(self, X, y, weights):
        data = self._data_term(X, y, weights)
        params = minimize_objective(self, self._objective(data))
        w = data.to_coef(params)
        self.optim_result_.x = w  # the coefficients, whichever coordinates the route used
        return w, data.intercept(w) if self.fit_intercept else 0.0, params, data

    def _fit_outputs(self, X, Y, weights):
        coefs, intercepts, results = [], [], []
        for j in range(Y.shape[1]):
            w, intercept, _, _ = self._fit_one(X, Y[:, j], weights)
            coefs.append(w)
            intercepts.append(intercept)
            results.append(self.optim_result_)
        self.coef_ = np.array(coefs)
        if self._column_vector_coef_1d and Y.shape[1] == 1:
            self.coef_ = self.coef_[0]
        self.intercept_ = np.array(intercepts) if self.fit_intercept else 0.0
        self.optim_result_ = results
        self.n_iter_ = np.array([r.n_iter for r in results])
        self._inference_stats = None
        return self

    def summary(self, alpha=0.05, feature_names=None):
        """OLS inference table: see :func:`gradscratch.parametric.inference.linear_summary`."""
        check_is_fitted(self)
        if getattr(self, "_inference_stats", None) is None:
            raise ValueError(
                "summary() describes a single-output fit; this model was fitted on a 2-D y "
                "(several outputs): fit one model per column of y for its table."
            )
        return linear_summary(self, alpha=alpha, feature_names=feature_names)

    def _check_params(self):
        pass

    def predict(self, X):
        """X @ coef_ + intercept_ (shape (n,), or (n, k) for a fit on k outputs)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        if is_dask(X):
            columns = None if np.ndim(self.coef_) == 1 else np.shape(self.coef_)[0]
            return map_rows(_linear_predict, X, self.coef_, self.intercept_, columns=columns)
        return _linear_predict(X, self.coef_, self.intercept_)


def _linear_predict(X, coef, intercept):
    return X @ np.transpose(coef) + intercept


class LinearRegression(MultiOutputMixin, LinearModel):
    """Ordinary least squares.

    Minimizes the residual sum of squares ``sum_i s_i (y_i - x_i w - b)^2`` (s_i the sample
    weights), as scikit-learn's ``LinearRegression``. The loss is written with autograd.numpy on
    the sufficient statistics (X^T X, X^T y) when n >= p and the design is well conditioned
    (the condition number of the centred design with unit columns at most 10, where they lose
    at most a digit to an orthogonal factorization); on an ill-conditioned design it is the RSS
    in orthogonal coordinates u = R D w (Xc D^-1 = Q R, a Householder QR), whose Hessian is 2I,
    and the coefficients are recovered by a triangular solve (see ``_orthogonal.py``); when
    p > n it is written on the centred design. ``optim_result_.x`` holds the coefficients;
    its trace (the RSS, and the stopping measure in the optimizer's standardized coordinates)
    is the same on either route.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Fit the unpenalized intercept b (by centring the data).
    optimizer : optim optimizer or None, default=None
        None uses ``optim.Newton(certify=False)`` (the RSS is convex: no saddle test), which
        solves the quadratic in one step.
    max_iter : int or None, default=None
        Iteration budget (None: the optimizer's default).
    tol : float, default=1e-8
        Stop once no gradient component exceeds ``tol`` in standardized coordinates (each
        coefficient in units of std(y) / std(x_j), or on the orthogonal route u in units of
        ||y - mean y||; the RSS divided by its value at w = 0): the criterion of every
        parametric model, unchanged by rescaling a column or y.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
        (n_targets, n_features) for a 2-D y, a (n, 1) column included (scikit-learn's).
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int (an array of one per target for a 2-D y)
    n_features_in_ : int
    optim_result_ : optim.OptimizeResult (a list of one per target for a 2-D y)
        The optimizer's result, with its per-iteration ``trace``.

    Examples
    --------
    >>> from gradscratch import LinearRegression
    >>> from gradscratch.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> round(LinearRegression().fit(X, y).score(X, y), 3)
    0.518
    """

    def __init__(self, fit_intercept=True, optimizer=None, max_iter=None, tol=1e-8):
        self.fit_intercept = fit_intercept
        self.optimizer = optimizer
        self.max_iter = max_iter
        self.tol = tol

    def _data_term(self, X, y, sample_weight):
        return least_squares_route(X, y, sample_weight, self.fit_intercept)

    def _objective(self, data):
        return Objective(
            fun=data.rss,
            x0=np.zeros(len(data.x_offset)),
            default_optimizer=optim.Newton(certify=False),
            scale=jacobi_scale(data.curvature, data.rss_scale),
            divisor=data.rss_scale,
        )


class Ridge(MultiOutputMixin, LinearModel):
    """Least squares with an L2 penalty on the coefficients (not on the intercept).

    Minimizes ``sum_i s_i (y_i - x_i w - b)^2 + alpha * ||w||_2^2``, scikit-learn's ``Ridge``
    objective, so the same ``alpha`` gives the same coefficients.

    The data term is always on the sufficient statistics when n >= p, with no condition check
    and no orthogonal fallback: the penalty adds 2 alpha to every eigenvalue of the Hessian
    2 X^T X, so an alpha of the data's scale keeps the Gram route well conditioned. (At
    alpha=0 this is least squares on the Gram route; LinearRegression is the accurate one on
    an ill-conditioned design.)

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, >= 0.
    fit_intercept : bool, default=True
    optimizer : optim optimizer or None, default=None
        None uses ``optim.Newton(certify=False)``.
    max_iter : int or None, default=None
    tol : float, default=1e-8
        Stop once no gradient component exceeds ``tol`` in standardized coordinates (each
        coefficient in units of std(y) / std(x_j), the RSS divided by its value at w = 0): the
        criterion of every parametric model, unchanged by rescaling a column or y.

    Attributes
    ----------
    coef_, intercept_, n_iter_, n_features_in_, optim_result_ : as in LinearRegression,
        except that a (n, 1) y gives a 1-D ``coef_`` (and ``intercept_`` of shape (1,)), as
        scikit-learn's Ridge does.
    """

    _column_vector_coef_1d = True

    def __init__(self, alpha=1.0, fit_intercept=True, optimizer=None, max_iter=None, tol=1e-8):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.optimizer = optimizer
        self.max_iter = max_iter
        self.tol = tol

    def _check_params(self):
        check_non_negative(self.alpha, "alpha")

    def _objective(self, data):
        alpha = float(self.alpha)

        def loss(w):
            return data.rss(w) + alpha * anp.dot(w, w)

        return Objective(
            fun=loss,
            x0=np.zeros(len(data.Xty)),
            default_optimizer=optim.Newton(certify=False),
            scale=jacobi_scale(data.curvature + 2.0 * alpha, data.rss_scale),
            divisor=data.rss_scale,
        )
