"""Lasso and elastic net: the L1 penalty as a proximal operator, FISTA as the textbook solver.

The objective is scikit-learn's, with W the sum of the sample weights (n without them):

    P(w) = 1/(2W) sum_i s_i (y_i - x_i w - b)^2 + l1 ||w||_1 + l2 / 2 ||w||_2^2,
    l1 = alpha l1_ratio,  l2 = alpha (1 - l1_ratio),

the intercept b unpenalized (profiled out by centring: b = mean(y) - mean(x) w). The smooth
part f(w) = RSS / (2W) + l2 / 2 ||w||^2 is written with autograd.numpy; the L1 part is not
differentiable at 0 and enters through its proximal operator, soft-thresholding
(``optim.prox.L1``): prox_{t l1}(v)_j = sign(v_j) max(|v_j| - t l1, 0). Proximal gradient
steps w <- prox_{t l1}(w - t grad f(w)), with Nesterov's momentum (FISTA), converge to the
minimizer, whose zeros are exact: w_j = 0 exactly where |x_j^T S r| / W <= l1 (KKT).

The fit stops once no component of the prox-gradient mapping z - prox(z - grad F(z), 1)
exceeds ``tol``, F = P / P(0) in the standardized coordinates z = w / scale (a unit Hessian
diagonal at the start): the measure of every parametric model. :func:`plain_elastic_net` is
that algorithm, one FISTA run on the whole problem; the estimators reach the engineered path
through one function, :func:`._enet.solve_working_sets` (``working_set=True``, the default),
which stops on the same measure.
"""

import autograd.numpy as anp
import numpy as np

import optim
from gradscratch.base import check_sample_weight, validate_data
from gradscratch.parametric._enet import (
    DEFAULT_TOL,
    ElasticNetProblem,
    check_l1_ratio,
    check_working_set,
    solve_whole,
    solve_working_sets,
)
from gradscratch.parametric._enet_paths import enet_path, lasso_path
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

# A single fit forms the full Gram matrix (n p^2 / 2 once, then every product is p x p) only
# where it pays. One run on the whole problem does many products: the Gram route, for n >= p
# up to GRAM_MAX_FEATURES_FIT. The working-set solver does a few X^T r per round (n p each)
# and needs only the Gram blocks of the features it visits: from WORKING_SET_DESIGN_FEATURES
# features on, it keeps the centred design and builds those blocks (_enet_statistics.GramCache).
GRAM_MAX_FEATURES_FIT = 2000
WORKING_SET_DESIGN_FEATURES = 200


def plain_elastic_net(X, y, alpha=1.0, l1_ratio=0.5, tol=DEFAULT_TOL, max_iter=10_000):
    """The elastic net by its textbook algorithm: one FISTA run, L1 as a prox, all features.

    Returns (coef, intercept), the minimizer of P (no sample weights) to the estimators'
    stopping rule; ``ElasticNet(alpha, l1_ratio)`` computes the same.
    """
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean  # the unpenalized intercept, profiled out
    n = len(y)
    l1, l2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)

    def smooth(w):  # f(w) = RSS(w) / (2n) + l2 / 2 ||w||^2
        r = yc - Xc @ w
        return anp.dot(r, r) / (2 * n) + 0.5 * l2 * anp.dot(w, w)

    # Standardized coordinates: F(z) = P(scale * z) / P(0), with a unit Hessian diagonal.
    divisor = yc @ yc / (2 * n)
    scale = jacobi_scale(np.sum(Xc * Xc, axis=0) / n + l2, divisor)
    result = optim.FISTA().minimize(
        lambda z: smooth(scale * z) / divisor,
        np.zeros(X.shape[1]),
        prox=optim.prox.Rescaled(optim.prox.L1(l1), scale, divisor),
        tol=tol,
        max_iter=max_iter,
    )
    coef = scale * result.x
    return coef, y_mean - x_mean @ coef


class ElasticNet(LinearModel):
    """Linear regression with a combined L1 and L2 penalty, fitted by FISTA (on working sets).

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
        The method that minimizes the problem (see ``working_set`` for on what). None:
        ``optim.FISTA()``; without an L1 part (``l1_ratio=0`` or ``alpha=0``) the problem is
        a smooth quadratic and None runs ``optim.Newton()``, which solves it in one step on
        any conditioning (``l1_ratio=0``: Ridge with ``alpha_ridge = W * alpha``;
        ``alpha=0``: least squares on LinearRegression's data term, orthogonal on an
        ill-conditioned design). Any proximal method works: ``optim.ProximalGradient()``
        (ISTA), ``optim.FISTA()``, or a first-order method, which applies the prox after its
        step; ``optim.LBFGS``/``optim.Newton`` refuse the non-smooth L1 term with a clear
        error.
    working_set : bool, default=True
        True: the working-set solver (fast; see Notes): ``optimizer`` (the one given, or
        FISTA) solves each round's problem restricted to a few features, and the fit stops
        on the full problem's measure, so the answer is the one ``working_set=False`` gives;
        between rounds a Newton solve with the signs fixed may polish the support, whatever
        the optimizer. False: one run of ``optimizer`` on the whole problem, the textbook
        algorithm (``plain_elastic_net``), so that ``optim_result_.trace`` is that method's
        convergence history. Without an L1 part there is nothing to screen and both are one
        run on the whole problem.
    max_iter : int or None, default=None
        Iteration budget: of the one run (``working_set=False``; None: the optimizer's
        default), of all working-set rounds together otherwise (None: 10000).
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
        Duality gaps of the whole problem, starting at the initial point: after every
        iteration with ``working_set=False`` (``n_iter_ + 1`` entries), at the start of
        every round with the working-set solver.
    n_iter_ : int
        Optimizer iterations (summed over the working-set rounds).
    n_features_in_ : int
    optim_result_ : optim.OptimizeResult
        The optimizer's result; its ``trace`` concatenates the runs (``fun`` is the full
        objective throughout).

    Notes
    -----
    The working-set solver (``working_set=True``) keeps a working set of features: the
    optimizer solves the problem restricted to it (on its Gram block, a tiny quadratic), the
    stationarity measure and the KKT conditions |X_j^T S r| / W <= alpha * l1_ratio are
    checked on all features, features proven zero by the gap-safe rule are dropped, and the
    set grows until the full problem's measure meets ``tol``. After a long round the support
    is polished by one ``optim.Newton`` solve with the signs fixed (where the L1 term is
    linear), kept only if the signs hold and the objective does not rise.
    """

    def __init__(
        self,
        alpha=1.0,
        l1_ratio=0.5,
        fit_intercept=True,
        optimizer=None,
        working_set=True,
        max_iter=None,
        tol=DEFAULT_TOL,
        warm_start=False,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.optimizer = optimizer
        self.working_set = working_set
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _l1_ratio(self):
        return self.l1_ratio

    def _check_params(self):
        check_non_negative(self.alpha, "alpha")
        check_l1_ratio(self._l1_ratio())
        check_working_set(self.working_set)

    def fit(self, X, y, sample_weight=None):
        """Fit the coefficients; ``sample_weight`` weighs each squared residual."""
        self._check_common_params()
        self._check_params()
        X, y = validate_data(self, X, y, y_numeric=True)
        weights = check_sample_weight(sample_weight, X.shape[0], like=X)
        n, p = X.shape
        alpha, ratio = float(self.alpha), float(self._l1_ratio())
        on_working_sets = self.working_set and alpha * ratio > 0
        use_gram = p <= n and p <= GRAM_MAX_FEATURES_FIT
        if on_working_sets and p >= WORKING_SET_DESIGN_FEATURES:
            use_gram = False
        data = LeastSquares(X, y, weights, self.fit_intercept, use_gram=use_gram)
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
            solve = solve_working_sets if self.working_set else solve_whole
            w, gap, result, gaps = solve(problem, w0, self)
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
        working_set=True,
        max_iter=None,
        tol=DEFAULT_TOL,
        warm_start=False,
    ):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.optimizer = optimizer
        self.working_set = working_set
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start

    def _l1_ratio(self):
        return 1.0
