"""Logistic regression: binary (one weight vector) and multinomial (K-class softmax)."""

import numbers

import autograd.numpy as anp
import numpy as np

import optim
from gradscratch._blocks import map_rows
from gradscratch.base import (
    BaseEstimator,
    ClassifierMixin,
    check_classification_targets,
    check_is_fitted,
    check_sample_weight,
    is_dask,
    validate_data,
    warn_at_caller,
)
from gradscratch.losses import binary_log_loss, log_softmax, multinomial_log_loss
from gradscratch.parametric._model import (
    Objective,
    ParametricModel,
    jacobi_scale,
    minimize_objective,
    refine,
)

__all__ = ["LogisticRegression", "PerfectSeparationWarning"]


class PerfectSeparationWarning(UserWarning):
    """The classes are linearly separable and there is no penalty: the maximum-likelihood
    coefficients do not exist (they grow without bound); the fit stops at a finite point."""


class LogisticRegression(ParametricModel, ClassifierMixin, BaseEstimator):
    """Logistic regression with scikit-learn's objective and parameterization.

    Minimizes, over the weights W (one vector for two classes, a (K, p) matrix of K-class
    softmax weights otherwise) and the unpenalized intercepts b,

        C * sum_i s_i * l_i + (1 - l1_ratio) / 2 * ||W||_2^2 + l1_ratio * ||W||_1,

    with l_i the log-loss of sample i (:func:`gradscratch.losses.binary_log_loss` on the margin
    x_i w + b, or :func:`gradscratch.losses.multinomial_log_loss` on x_i W^T + b) and s_i the
    sample weight times the class weight. ``C=np.inf`` removes the penalty. The optimizer sees
    that objective divided by C * sum_i s_i (the same minimizer, O(1) values at any n and C,
    defined at C = inf); the L1 part is a prox.

    Parameters
    ----------
    C : float, default=1.0
        Inverse penalty strength, > 0 (``np.inf``: no penalty).
    l1_ratio : float, default=0.0
        Elastic-net mixing in [0, 1]: 0 is L2, 1 is L1.
    fit_intercept : bool, default=True
    class_weight : dict, "balanced" or None, default=None
        Multiplies each sample's weight by its class's weight; "balanced" uses
        n_samples / (n_classes * count of the class).
    optimizer : optim optimizer or None, default=None
        None: ``optim.LBFGS()`` for the smooth problem (l1_ratio = 0 or C = inf, measured
        fastest: see examples/bench/logistic.py), ``optim.FISTA()`` with the L1 part as a prox
        otherwise. Any optim optimizer can be passed (LBFGS and Newton refuse an L1 part).
    max_iter : int or None, default=None
        Iteration budget (None: the optimizer's default).
    tol : float, default=1e-8
        Stop once no component of the gradient (of the prox-gradient mapping with an L1 part)
        exceeds ``tol`` in standardized coordinates (each weight in units of 1 / std(x_j),
        the objective divided by C sum_i s_i): the criterion of every parametric model,
        unchanged by rescaling a column.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels.
    coef_ : ndarray of shape (1, n_features) for two classes, (n_classes, n_features) otherwise
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : int
    n_features_in_ : int
    optim_result_ : optim.OptimizeResult
        The optimizer's result, with its per-iteration ``trace``.

    Examples
    --------
    >>> from gradscratch import LogisticRegression
    >>> from gradscratch.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> round(LogisticRegression().fit(X, y).score(X, y), 2)
    0.97
    """

    def __init__(
        self,
        C=1.0,
        l1_ratio=0.0,
        fit_intercept=True,
        class_weight=None,
        optimizer=None,
        max_iter=None,
        tol=1e-8,
    ):
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.max_iter = max_iter
        self.tol = tol

    # Fits dask arrays: the mean log-loss is reduced over their row blocks by optim
    # (``_dask_fit.py``), and the predictions map over them lazily.
    _accepts_dask = True

    # --- fitting -------------------------------------------------------------------------
    def _check_params(self):
        if not (isinstance(self.C, numbers.Real) and self.C > 0):
            raise ValueError(f"C must be a positive number (np.inf: no penalty), got {self.C!r}.")
        if not (isinstance(self.l1_ratio, numbers.Real) and 0 <= self.l1_ratio <= 1):
            raise ValueError(f"l1_ratio must be a number in [0, 1], got {self.l1_ratio!r}.")
        if not (self.class_weight is None or self.class_weight == "balanced"):
            if not isinstance(self.class_weight, dict):
                raise ValueError(
                    f"class_weight must be None, 'balanced' or a dict, got {self.class_weight!r}."
                )

    def _class_weights(self, y_idx, sample_weight):
        n_classes = len(self.classes_)
        if self.class_weight is None:
            return np.ones(n_classes)
        if isinstance(self.class_weight, str):
            # scikit-learn's "balanced": sum s / (K * weighted count of the class).
            counts = np.bincount(y_idx, weights=sample_weight, minlength=n_classes)
            safe = np.where(counts > 0, counts, 1.0)
            return np.where(counts > 0, np.sum(sample_weight) / (n_classes * safe), 0.0)
        unknown = set(self.class_weight) - set(self.classes_.tolist())
        if unknown:
            raise ValueError(f"class_weight has labels {sorted(unknown)!r} not in the data.")
        return np.array([float(self.class_weight.get(c, 1.0)) for c in self.classes_])

    def fit(self, X, y, sample_weight=None):
        """Fit the weights (and intercepts) on (X, y); ``sample_weight`` weighs each loss."""
        self._check_common_params()
        self._check_params()
        X, y = validate_data(self, X, y)
        if is_dask(X):
            from gradscratch.parametric._dask_fit import logistic_blocks

            data = logistic_blocks(self, X, y, sample_weight)  # the same checks, per block
        else:
            data = self._in_memory_data(X, y, sample_weight)
        objective = self._objective(data)
        x = minimize_objective(self, objective)
        self._information = None
        if self.C == np.inf and data.binary and self.optim_result_.converged:
            # summary()'s standard errors and p-values need the maximum-likelihood estimate
            # to its last digits: a Newton polish from the fit (one or two steps).
            x = refine(self, objective, x, optim.Newton(certify=False), tol=1e-12)
        self.coef_, self.intercept_ = data.unpack(x)
        if self.C == np.inf and data.binary:
            # What summary() needs, while the data are at hand: the observed information.
            from gradscratch.parametric.inference import logistic_information

            information = data.information(x) if is_dask(X) else logistic_information(data, x)
            self._information = (information, data.x_scale, data.x_offset)
        if self.C == np.inf and bool(np.all(self.predict(X) == y)):
            warn_at_caller(
                "The classes are perfectly separated and the fit has no penalty (C=np.inf): "
                "the maximum-likelihood coefficients are infinite and the fitted ones depend "
                "on where the optimizer stopped. Use a finite C.",
                PerfectSeparationWarning,
            )
        return self

    def _in_memory_data(self, X, y, sample_weight):
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        weights = check_sample_weight(sample_weight, X.shape[0])
        weights = weights * self._class_weights(y_idx, weights)[y_idx]
        present = np.unique(y_idx[weights > 0])
        if len(present) < 2:
            raise ValueError(
                "LogisticRegression needs samples of at least 2 classes (with positive weight) "
                f"in the data, but the data contain only one class: {self.classes_[present]!r}."
            )
        return _LogisticData(
            X, y_idx, weights, len(self.classes_), self.fit_intercept, self.C != np.inf
        )

    def _objective(self, data):
        l2 = 0.0 if self.C == np.inf else (1.0 - self.l1_ratio) / (self.C * data.weight_sum)
        l1 = 0.0 if self.C == np.inf else self.l1_ratio / (self.C * data.weight_sum)
        nll = data.mean_nll

        def loss(x, *blocks):  # blocks: a row block of dask arrays (data.blocks)
            if l2 == 0.0:
                return nll(x, *blocks)
            w = x[data.coef_slice]
            return nll(x, *blocks) + 0.5 * l2 * anp.dot(w, w)

        prox = optim.prox.L1(l1, mask=data.penalty_mask) if l1 > 0 else None
        return Objective(
            fun=loss,
            x0=np.zeros(data.n_params),
            default_optimizer=optim.LBFGS(certify=False) if prox is None else optim.FISTA(),
            prox=prox,
            scale=jacobi_scale(data.curvature(l2)),
            data=getattr(data, "blocks", None),
        )

    # --- prediction ----------------------------------------------------------------------
    def decision_function(self, X):
        """The margins x w + b, shape (n,) for two classes, (n, K) otherwise."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        if is_dask(X):
            return map_rows(self.decision_function, X, columns=self._score_columns())
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if len(self.classes_) == 2 else scores

    def _score_columns(self):
        return None if len(self.classes_) == 2 else len(self.classes_)

    def predict_log_proba(self, X):
        """log P(class | x), shape (n, n_classes), columns in ``classes_`` order."""
        if is_dask(X):
            return map_rows(self.predict_log_proba, X, columns=len(self.classes_))
        scores = self.decision_function(X)
        if scores.ndim == 1:
            # log sigma(z) = -log(1 + exp(-z)), computed without overflow.
            return np.column_stack([-np.logaddexp(0.0, scores), -np.logaddexp(0.0, -scores)])
        return log_softmax(scores)

    def predict_proba(self, X):
        """P(class | x), shape (n, n_classes), columns in ``classes_`` order."""
        if is_dask(X):
            return map_rows(self.predict_proba, X, columns=len(self.classes_))
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The most probable class label for each row of X."""
        if is_dask(X):
            return map_rows(self.predict, X, dtype=self.classes_.dtype)
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else np.argmax(scores, axis=1)
        return self.classes_[index]

    def summary(self, alpha=0.05, feature_names=None):
        """Wald inference for an unpenalized binary fit: see
        :func:`gradscratch.parametric.inference.logistic_summary`."""
        from gradscratch.parametric.inference import logistic_summary

        return logistic_summary(self, alpha=alpha, feature_names=feature_names)


class _LogisticData:
    """The data term of a logistic fit on one flat parameter vector x.

    Binary: x = [w (p), b]; multinomial: x = [W.ravel() (K p), b (K)] (b absent without an
    intercept). ``mean_nll(x)`` = sum_i s_i l_i / sum_i s_i, written with autograd.numpy.
    (Not in the GLM form sum_i s_i A(F_i) - t . x with the statistic t computed once: that
    saves an n x K product per evaluation, but its two large terms cancel and the value's
    rounding grows with the margins, which stalled line searches at tol=1e-8, measured.)
    """

    def __init__(self, X, y_idx, weights, n_classes, fit_intercept, penalized=True):
        self.weight_sum = float(np.sum(weights))
        self.scaled_weights = weights / self.weight_sum
        # The margins are written on the centred design, (X - m) w + b_c with b = b_c - m.w
        # (m the weighted column means): the same model, but the intercept no longer carries
        # the columns' offsets (a column of timestamps near 1.7e9 would otherwise couple it
        # to w by a factor of 1e9). A column whose offset exceeds its spread is centred in a
        # copy (its products x_ij w_j would cancel digits against m_j w_j); the others only
        # in the formula, (X w - m.w) + b_c: no copy of X for a design that does not need one.
        squares = _weighted_squares(X, self.scaled_weights)
        self.x_offset = self.scaled_weights @ X if fit_intercept else np.zeros(X.shape[1])
        # The spread about the offset (the root mean square without an intercept): the
        # curvature along each weight at the start.
        sd = np.sqrt(np.maximum(squares - self.x_offset**2, 0.0))
        copied = np.where(np.abs(self.x_offset) > sd, self.x_offset, 0.0)
        self.X = X - copied if np.any(copied) else X
        self.offset_left = self.x_offset - copied  # what the formula subtracts
        if np.any(copied):  # their spread again, from the centred copy (E x^2 - m^2 cancels)
            shifted = copied != 0
            sd[shifted] = np.sqrt(_weighted_squares(self.X[:, shifted], self.scaled_weights))
        self.x_scale = np.where(sd > 0, sd, 1.0)
        self._layout(X.shape[1], n_classes, fit_intercept, penalized)
        if self.binary:
            self.target = (y_idx == 1).astype(np.float64)
        else:
            self.target = np.zeros((len(y_idx), n_classes))
            self.target[np.arange(len(y_idx)), y_idx] = 1.0

    def _layout(self, n_features, n_classes, fit_intercept, penalized):
        """The flat parameter vector's layout: [w] or [W.ravel()], then the intercepts."""
        self.penalized = penalized
        self.n_features = n_features
        self.binary = n_classes == 2
        self.n_outputs = 1 if self.binary else n_classes
        self.fit_intercept = fit_intercept
        n_coef = self.n_outputs * n_features
        self.coef_slice = slice(0, n_coef)
        self.n_params = n_coef + (self.n_outputs if fit_intercept else 0)
        self.penalty_mask = np.arange(self.n_params) < n_coef

    def curvature(self, l2):
        """The Hessian diagonal of mean_nll + l2 / 2 ||w||^2 at x = 0, where every class has
        probability 1/K: q var(x_j) + l2 for a weight, q for an intercept, q = (1/K)(1 - 1/K)."""
        k = 2 if self.binary else self.n_outputs
        q = (1.0 - 1.0 / k) / k
        n_coef = self.n_outputs * self.n_features
        weights = np.tile(q * self.x_scale**2 + l2, self.n_outputs)
        return np.concatenate([weights, np.full(self.n_params - n_coef, q)])

    def scores(self, x):
        """The margins (X - m) w + b_c of the training rows at parameters x."""
        p, k, m = self.n_features, self.n_outputs, self.offset_left
        if self.binary:
            z = anp.dot(self.X, x[:p])
            return z + (x[p] - anp.dot(m, x[:p])) if self.fit_intercept else z
        W = anp.reshape(x[: k * p], (k, p))
        Z = anp.dot(self.X, W.T)
        return Z + (x[k * p :] - anp.dot(W, m)) if self.fit_intercept else Z

    def mean_nll(self, x):
        """sum_i s_i l_i / sum_i s_i: the weighted mean log-loss at parameters x."""
        loss = binary_log_loss if self.binary else multinomial_log_loss
        return anp.dot(self.scaled_weights, loss(self.target, self.scores(x)))

    def unpack(self, x):
        """coef_ (k, p) and intercept_ (k,) as scikit-learn shapes them.

        The softmax is unchanged by a common shift of the K rows of (W, b); a penalty fixes
        that of W but not that of the unpenalized b, which is centred (as scikit-learn's fits
        come out). Without a penalty W is centred too (the minimum-norm choice).
        """
        k, p = self.n_outputs, self.n_features
        coef = np.array(x[: k * p]).reshape(k, p)
        intercept = np.array(x[k * p :]) if self.fit_intercept else np.zeros(k)
        intercept = intercept - coef @ self.x_offset  # back from the centred design
        if not self.binary:
            if not self.penalized:
                coef -= coef.mean(axis=0)
            intercept -= intercept.mean()
        return coef, intercept


def _weighted_squares(X, weights, block=4096):
    """sum_i s_i x_ij^2 per column, a block of rows at a time (no n x p temporary)."""
    out = np.zeros(X.shape[1])
    buffer = np.empty((min(block, len(X)), X.shape[1]))
    for start in range(0, len(X), block):
        rows = X[start : start + block]
        squares = np.multiply(rows, rows, out=buffer[: len(rows)])
        out += weights[start : start + block] @ squares
    return out
