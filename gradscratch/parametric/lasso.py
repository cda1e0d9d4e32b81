"""Lasso and elastic net by proximal gradient (FISTA), with regularization paths.

The objective is scikit-learn's, with W the sum of the sample weights (n without them):

    1/(2W) sum_i s_i (y_i - x_i w - b)^2 + alpha l1_ratio ||w||_1
                                         + alpha (1 - l1_ratio) / 2 ||w||_2^2,

the intercept b unpenalized (profiled out by centring). The smooth part is written with
autograd.numpy on :class:`LeastSquares`; the L1 part is ``optim.prox.L1``; the fit stops on
the duality gap with scikit-learn's ``tol`` semantics (see :mod:`._enet`).
"""

import numbers

import numpy as np

import optim
from gradscratch.base import check_array, check_sample_weight, validate_data
from gradscratch.parametric._enet import ElasticNetProblem, Settings, solve
from gradscratch.parametric._least_squares import LeastSquares
from gradscratch.parametric._model import (
    Objective,
    check_non_negative,
    jacobi_scale,
    minimize_objective,
)
from gradscratch.parametric._orthogonal import least_squares_route
from gradscratch.parametric.linear import LinearModel

__all__ = ["ElasticNet", "Lasso", "enet_path", "lasso_path"]

# A single fit forms the full Gram matrix only when it is cheap; otherwise the working-set
# solver needs Gram blocks of the few features it visits, computed from the centred design.
GRAM_MAX_FEATURES_FIT = 2000
DEFAULT_TOL = 1e-8


def _check_l1_ratio(l1_ratio):
    if not (isinstance(l1_ratio, numbers.Real) and 0 <= l1_ratio <= 1):
        raise ValueError(f"l1_ratio must be a number in [0, 1], got {l1_ratio!r}.")


class ElasticNet(LinearModel):
    """Linear regression with a combined L1 and L2 penalty, fitted by FISTA on working sets.

    Minimizes scikit-learn's elastic-net objective (s_i the sample weights, W = sum_i s_i)::

        1/(2W) sum_i s_i (y_i - x_i w - b)^2 + alpha * l1_ratio * ||w||_1
                                             + 0.5 * alpha * (1 - l1_ratio) * ||w||_2^2

    so the same ``alpha`` and ``l1_ratio`` give the same coefficients. The smooth part is an
    autograd loss; the L1 part is the prox ``optim.prox.L1(alpha * l1_ratio)``.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, >= 0.
    l1_ratio : float, default=0.5
        Share of the L1 penalty, in [0, 1] (1 is the lasso, 0 ridge).
    fit_intercept : bool, default=True
        Fit the unpenalized intercept b (by centring the data).
    optimizer : optim optimizer or None, default=None
        None runs ``optim.FISTA()`` on working sets of features (fast; see below); without
        an L1 part (``l1_ratio=0`` or ``alpha=0``) the problem is a smooth quadratic and
        None runs ``optim.Newton()``, which solves it in one step on any conditioning
        (``l1_ratio=0``: Ridge with ``alpha_ridge = W * alpha``; ``alpha=0``: least
        squares on LinearRegression's data term, orthogonal on an ill-conditioned design). An
        optimizer given here is run on the whole problem in one call, so that its trace is
        that method's convergence history: ``optim.ProximalGradient()`` (ISTA),
        ``optim.FISTA()``, or any first-order method, which applies the prox after its step.
        ``optim.LBFGS``/``optim.Newton`` refuse the non-smooth L1 term with a clear error.
    max_iter : int or None, default=None
        Iteration budget: of the optimizer's run when one is given (None: its default), of
        all working-set rounds together otherwise (None: 10000).
    tol : float, default=1e-8
        Stop once no component of the prox-gradient mapping exceeds ``tol`` in standardized
        coordinates (each coefficient in units of std(y) / std(x_j), the objective divided by
        its value at w = 0): the criterion of every parametric model. (scikit-learn's ``tol``
        bounds the duality gap instead; the gap is reported as ``dual_gap_``.)
    warm_start : bool, default=False
        Start from the previous ``coef_`` when refitting.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    dual_gap_ : float
        The duality gap at the solution, in objective units (scikit-learn's ``dual_gap_``).
    gap_history_ : ndarray
        Duality gaps, starting at the initial point. With an ``optimizer`` given: the gap of
        the whole problem after every iteration (``n_iter_ + 1`` entries). With the default
        working-set solver: the full gap at the start of each round, then the gap of the
        round's subproblem after each of its iterations (every 5th on sets over 200).
    n_iter_ : int
        Optimizer iterations (summed over the working-set rounds).
    n_features_in_ : int
    optim_result_ : optim.OptimizeResult
        The optimizer's result; its ``trace`` concatenates the runs (``fun`` is the full
        objective throughout).

    Notes
    -----
    The default solver keeps a working set of features: FISTA solves the problem restricted
    to it (on its Gram block, a tiny quadratic), the duality gap and the KKT conditions
    |X_j^T S r| / W <= alpha * l1_ratio are checked on all features, features proven zero by
    the gap-safe rule are dropped, and the set grows until the full gap meets ``tol``. After a
    long round the support is polished by one ``optim.Newton`` solve with the signs fixed
    (where the L1 term is linear), kept only if the signs hold and the objective does not rise.
    """

    def __init__(
        self,
        alpha=1.0,
        l1_ratio=0.5,
        fit_intercept=True,
        optimizer=None,
        max_iter=None,
        tol=DEFAULT_TOL,
        warm_start=False,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.optimizer = optimizer
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _l1_ratio(self):
        return self.l1_ratio

    def _check_params(self):
        check_non_negative(self.alpha, "alpha")
        _check_l1_ratio(self._l1_ratio())

    def fit(self, X, y, sample_weight=None):
        """Fit the coefficients; ``sample_weight`` weighs each squared residual."""
        self._check_common_params()
        self._check_params()
        X, y = validate_data(self, X, y, y_numeric=True)
        weights = check_sample_weight(sample_weight, X.shape[0], like=X)
        n, p = X.shape
        use_gram = p <= n and p <= GRAM_MAX_FEATURES_FIT
        data = LeastSquares(X, y, weights, self.fit_intercept, use_gram=use_gram)
        alpha, ratio = float(self.alpha), float(self._l1_ratio())
        problem = ElasticNetProblem(data, alpha * ratio, alpha * (1.0 - ratio))
        w0 = np.zeros(p)
        previous = getattr(self, "coef_", None)
        if self.warm_start and previous is not None and np.shape(previous) == (p,):
            w0 = np.array(previous, dtype=np.float64)
        if alpha == 0 and self.optimizer is None:
            # No penalty at all: least squares, on LinearRegression's route (orthogonal where
            # the Gram matrix would lose digits to an ill-conditioned design).
            w = self._least_squares(X, y, weights)
            gaps = [problem.gap(data, w0)[0]]
            gap = problem.gap(data, w)[0]
            gaps.append(gap)
        else:
            w, gap, result, gaps = solve(problem, w0, self, self.optimizer is None)
            self.optim_result_ = result
            self.n_iter_ = result.n_iter
        self.coef_ = w
        self.intercept_ = data.intercept(w) if self.fit_intercept else 0.0
        self.dual_gap_ = float(gap)
        self.gap_history_ = np.asarray(gaps)
        return self

    def _least_squares(self, X, y, weights):
        """argmin RSS(w) / (2W) by Newton on LinearRegression's data term (one step: the
        RSS is quadratic); sets ``optim_result_`` and returns the coefficients."""
        data = least_squares_route(X, y, weights, self.fit_intercept)
        W2 = 2.0 * data.weight_sum

        def loss(u):
            return data.rss(u) / W2

        objective = Objective(
            fun=loss,
            x0=np.zeros(X.shape[1]),
            default_optimizer=optim.Newton(),
            scale=jacobi_scale(data.curvature, data.rss_scale),
            divisor=data.rss_scale / W2,
        )
        w = data.to_coef(minimize_objective(self, objective))
        self.optim_result_.x = w
        return w


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty: :class:`ElasticNet` with ``l1_ratio=1``.

    Minimizes ``1/(2W) sum_i s_i (y_i - x_i w - b)^2 + alpha * ||w||_1``, scikit-learn's
    ``Lasso`` objective. Parameters and attributes as in :class:`ElasticNet`.

    Examples
    --------
    >>> from gradscratch import Lasso
    >>> from gradscratch.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = Lasso(alpha=0.1).fit(X, y)
    >>> int((model.coef_ != 0).sum())  # as scikit-learn's Lasso(alpha=0.1)
    7
    """

    def __init__(
        self,
        alpha=1.0,
        fit_intercept=True,
        optimizer=None,
        max_iter=None,
        tol=DEFAULT_TOL,
        warm_start=False,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.optimizer = optimizer
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _l1_ratio(self):
        return 1.0


def enet_path(
    X,
    y,
    alphas=None,
    n_alphas=100,
    eps=1e-3,
    *,
    l1_ratio=0.5,
    coef_init=None,
    tol=DEFAULT_TOL,
    max_iter=None,
    optimizer=None,
    return_n_iter=False,
):
    """Elastic-net coefficients along a decreasing grid of alphas, with warm starts.

    Solves, for each alpha, ``1/(2n) ||y - X w||^2 + alpha * l1_ratio * ||w||_1
    + 0.5 * alpha * (1 - l1_ratio) * ||w||^2`` without an intercept (centre X and y first
    to get one), as scikit-learn's ``enet_path``; each solution starts the next.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
    alphas : array, int or None, default=None
        The alphas (sorted in decreasing order); an int or None makes a grid of that many
        (``n_alphas`` when None): from alpha_max = max_j |X_j^T y| / (n * l1_ratio), the
        smallest alpha with w = 0, down to ``eps * alpha_max``, log-spaced.
    n_alphas : int, default=100
    eps : float, default=1e-3
    l1_ratio : float, default=0.5
    coef_init : array of shape (n_features,), optional
        Starting coefficients for the first alpha.
    tol, max_iter, optimizer :
        As in :class:`ElasticNet`.
    return_n_iter : bool, default=False
        Also return the optimizer iterations for each alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    n_iters : list of int
        Only with ``return_n_iter=True``.
    """
    X = check_array(X)
    y = check_array(y, name="y", ensure_2d=False)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must be a 1-D array with one value per row of X ({X.shape[0]}), got shape "
            f"{y.shape}."
        )
    _check_l1_ratio(l1_ratio)
    n, p = X.shape
    data = LeastSquares(X, y, np.ones(n), fit_intercept=False)
    if alphas is None or isinstance(alphas, numbers.Integral):
        if l1_ratio == 0:
            raise ValueError("The alpha grid needs l1_ratio > 0; pass the alphas explicitly.")
        count = n_alphas if alphas is None else alphas
        if not (isinstance(count, numbers.Integral) and count >= 1):
            raise ValueError(f"n_alphas must be a positive integer, got {count!r}.")
        if not (isinstance(eps, numbers.Real) and eps > 0):
            raise ValueError(f"eps must be a positive number, got {eps!r}.")
        alphas = _alpha_grid(data.Xty, n, l1_ratio, eps, int(count))
    else:
        alphas = np.sort(np.asarray(alphas, dtype=np.float64).ravel())[::-1]
        if alphas.size == 0 or not np.all(np.isfinite(alphas)) or alphas[-1] < 0:
            raise ValueError("alphas must be finite non-negative numbers.")
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    if w.shape != (p,):
        raise ValueError(f"coef_init must have shape ({p},), got {w.shape}.")
    settings = Settings(optimizer, max_iter, tol, name="enet_path")
    coefs, gaps, n_iters = np.empty((p, len(alphas))), np.empty(len(alphas)), []
    for i, alpha in enumerate(alphas):
        problem = ElasticNetProblem(data, alpha * l1_ratio, alpha * (1.0 - l1_ratio))
        w, gaps[i], result, _ = solve(problem, w, settings, optimizer is None)
        coefs[:, i] = w
        n_iters.append(int(result.n_iter))
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


def lasso_path(
    X,
    y,
    alphas=None,
    n_alphas=100,
    eps=1e-3,
    *,
    coef_init=None,
    tol=DEFAULT_TOL,
    max_iter=None,
    optimizer=None,
    return_n_iter=False,
):
    """Lasso coefficients along a decreasing grid of alphas: ``enet_path`` with l1_ratio=1.

    Solves ``1/(2n) ||y - X w||^2 + alpha * ||w||_1`` for each alpha (no intercept, as
    scikit-learn's ``lasso_path``); parameters and returns as in :func:`enet_path`.
    """
    return enet_path(
        X,
        y,
        alphas,
        n_alphas,
        eps,
        l1_ratio=1.0,
        coef_init=coef_init,
        tol=tol,
        max_iter=max_iter,
        optimizer=optimizer,
        return_n_iter=return_n_iter,
    )


def _alpha_grid(Xty, n, l1_ratio, eps, count):
    """scikit-learn's grid: alpha_max = max|X^T y| / (n l1_ratio) down to eps alpha_max."""
    alpha_max = float(np.max(np.abs(Xty))) / (n * l1_ratio)
    resolution = np.finfo(np.float64).resolution
    if alpha_max <= resolution:
        return np.full(count, resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=count)
