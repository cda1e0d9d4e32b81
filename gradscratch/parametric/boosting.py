"""Gradient boosting as functional gradient descent: autograd losses, swappable optimizers.

The model is F(x) = F_0 + sum_k a_k f_k(x): a constant F_0 = argmin_c sum_i l(y_i, c) plus
regression trees f_k. Boosting minimizes L(F) = sum_i l(y_i, F_i) over the vector of
training predictions F, one stage at a time:

1. autograd gives the gradient g_i = dl/dF (y_i, F_i) and the Hessian diagonal
   h_i = d2l/dF2 (y_i, F_i) of the elementwise loss (no derivative is written by hand);
2. a regression tree from the tree engine (histogram mode, features binned once) fits the
   step, and its leaf values are refined by the loss itself;
3. the optimizer's update rule turns the fitted step into the move of F.

:func:`plain_gradient_boosting` is that loop in a dozen lines, for the default rule (Newton
leaves, squared error or log-loss, no weights): the estimators compute the same model through
:func:`~gradscratch.parametric._boosting_fit.fit_stages` (tested equal to it), on trees grown
from histograms a level at a time.

``fit(X, y, sample_weight)`` minimizes sum_i w_i l(y_i, F_i): the weights multiply the
gradients and Hessians in the Newton sums, weight the least-squares fit of -g (gradient
descent), the leaf line searches, the initial constant, Huber's delta (a weighted quantile),
``train_score_`` and the validation loss. A weight of 0 is a row left out (binning
included); an integer weight is a repeated row, up to exact ties between splits.

``optimizer`` picks the rule:

- ``optim.GradientDescent()`` (Friedman's gradient boosting): the tree fits the steepest
  descent direction -g (squared error), each leaf value is then the exact line search
  c_j = argmin_c sum_{i in leaf j} l(y_i, F_i + c) (regression; for classification one
  Newton-Raphson step on that leaf loss, as Friedman's TreeBoost: the exact minimizer of a
  nearly pure leaf is a huge margin that overfits), and ``update`` scales it by ``lr`` (1 when
  None) times ``learning_rate``.
- ``optim.Newton(damping=lambda)`` (second-order boosting, as XGBoost): the tree is grown with
  the Newton gain G^2 / (H + lambda) and each leaf value is ``Newton.update`` on the leaf
  sums, -G / (H + lambda), times ``learning_rate``.
- ``optim.Nesterov()`` (accelerated boosting): the fitted, line-searched tree is the gradient
  step, and ``Nesterov.update`` adds its momentum. The rule is applied to the joint vector
  (tree coefficients a, training predictions, validation predictions): it is linear, so the
  momentum step is itself a combination of the trees already fitted and predictions on new
  data are the same weighted sum of trees (``stage_weights_``). A plain ``Nesterov()``
  (``momentum=None``) runs with the constant momentum beta = (1 - sqrt(q)) / (1 + sqrt(q)),
  q = ``learning_rate`` * lr (lr = 1 when None), not with FISTA's theta sequence. Why: the
  line-searched leaf value is a Newton step on the leaf, so in that metric the training loss
  is strongly convex with mu = L = 1, stepped by t = q, and Nesterov's momentum for a
  mu-strongly convex problem is (1 - sqrt(mu t)) / (1 + sqrt(mu t)) (0.52 for nu = 0.1). The
  theta sequence is the merely convex choice (momentum -> 1): the weight of an early tree
  grows like k/3 (20 after 100 stages, against 1 / (1 - beta) ~ 2 here), and a tree fitted to
  the gradient at the training points is only an approximation of it: later trees cancel its
  error in-sample, not on new data, so that error is amplified out-of-sample. This is the
  error accumulation of accelerated methods with inexact gradients (Devolder, Glineur and
  Nesterov, 2014; the motivation of Lu et al.'s AGBM, 2020; Biau, Cadre and Rouviere's AGB,
  2019, stops it by choosing few stages). Measured on Friedman #1 (2000 rows, 100 stages,
  nu = 0.1): theta sequence test R^2 0.802 (best 0.905 at stage 34), with restart on the
  training loss 0.817 (the training loss almost never rises: it is not divergence), constant
  momentum 0.52: 0.932 (scikit-learn 0.926, gradient descent 0.925). An explicit
  ``momentum`` is used as given.

No stage raises the training loss. A regression leaf's value is the exact minimizer of its
own loss, searched inside the range of the leaf's residuals (a bracket it never leaves, see
``leaf_line_search``), so with ``learning_rate`` <= 1 convexity forbids a rise; a stage whose
move raises the loss anyway (a classification leaf's single Newton step, the K trees of a
multiclass stage moving all scores at once) is halved until it does not, a backtracking line
search on its weight a_k (Nesterov's momentum steps excepted). The halvings show in
``stage_weights_``.

The default optimizer, chosen by measurement, is Newton boosting for squared error and
log-loss (same test R^2 as gradient descent on squared error; on log-loss the same accuracy
on breast cancer, 0.9 point better on digits, the lowest test log-loss in
examples/boosting_optimizers.py, and no line search), gradient descent for every other loss,
user losses included: Newton's leaf value -G/H does not exist where H = 0 (absolute, quantile,
Huber's linear zone) and explodes where H is tiny (log-cosh on large residuals).
"""

import numbers

import numpy as np

from gradscratch.base import (
    ClassifierMixin,
    RegressorMixin,
    check_classification_targets,
    check_is_fitted,
    check_sample_weight,
    validate_data,
)
from gradscratch.losses import log_softmax
from gradscratch.nonparametric.tree import plain_predict, plain_tree
from gradscratch.parametric._boosting_base import BaseBoosting
from gradscratch.parametric._boosting_fit import fit_stages
from gradscratch.parametric._boosting_loss import make_loss

__all__ = [
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "plain_boosting_predict",
    "plain_gradient_boosting",
]

_REGRESSION_LOSSES = {
    "squared_error": "half_squared_error",
    "absolute_error": "absolute_error",
    "huber": "huber",
    "quantile": "quantile",
}


def plain_gradient_boosting(
    X, y, loss, n_estimators=100, learning_rate=0.1, max_depth=3, min_samples_leaf=1
):
    """Newton gradient tree boosting, plainly (ESL Algorithm 10.3 with Newton leaves, the
    default for squared error and log-loss): ``loss`` is a one-output boosting loss
    (``_boosting_loss.make_loss``). Returns (F_0, trees); F(x) = F_0 + nu sum_k f_k(x).

    The estimators run :func:`~gradscratch.parametric._boosting_fit.fit_stages` instead: the
    same model on histogram trees grown a level at a time, with weights, subsampling, early
    stopping, K classes and the other update rules.
    """
    F0 = loss.initial_constant(y, len(y))[0]  # argmin_c sum_i l(y_i, c)
    F = np.full(len(y), F0)
    trees = []
    for _ in range(n_estimators):
        g, h = loss.gradient_hessian(y, F)  # autograd: dl/dF and d2l/dF2 at every F_i
        # least squares on the Newton targets -g/h with weights h: the split gain is
        # G_L^2/H_L + G_R^2/H_R (+ a constant), a leaf's value -G/H, a Newton step on it
        tree = plain_tree(X, -g / h, h, max_depth=max_depth, min_samples_leaf=min_samples_leaf)
        F = F + learning_rate * plain_predict(tree, X)[:, 0]
        trees.append(tree)
    return F0, trees


def plain_boosting_predict(F0, trees, X, learning_rate=0.1):
    """F(x) = F_0 + nu sum_k f_k(x) for the output of :func:`plain_gradient_boosting`."""
    return F0 + learning_rate * sum(plain_predict(tree, X)[:, 0] for tree in trees)


def _sigmoid(F):
    return np.exp(-np.logaddexp(0.0, -F))


_PARAMS_DOC = """
    n_estimators : int, default=100
        Number of boosting stages (a stage is one tree, or one tree per class).
    learning_rate : float, default=0.1
        Shrinkage nu > 0 applied to every tree's leaf values.
    max_depth : int or None, default=3
    min_samples_leaf : int, default=1
    subsample : float in (0, 1], default=1.0
        Fraction of the training rows, drawn without replacement, each tree is grown on
        (stochastic gradient boosting); the line search uses the same rows.
    max_bins : int in [2, 256], default=255
        Features are binned once (quantiles) and trees are grown on histograms.
    optimizer : optim.GradientDescent, optim.Nesterov, optim.Newton or None
        The update rule (see the module docstring). None: Newton for squared error and
        log-loss, gradient descent for the other losses.
    validation_fraction : float in (0, 1), default=0.1
        Share of the data held out for early stopping (only when ``n_iter_no_change`` is set).
    n_iter_no_change : int or None, default=None
        Stop when the validation loss has not improved by 1e-4 on any of the last
        ``n_iter_no_change`` stages.
    random_state : None, int or numpy Generator
"""

_ATTRS_DOC = """
    init_ : ndarray of shape (1,) or (n_classes,)
        The constant F_0 = argmin_c sum_i l(y_i, c) (found by ``optim.Newton``).
    estimators_ : ndarray of Tree, shape (n_estimators_, 1 or n_classes)
    stage_weights_ : ndarray of shape (n_estimators_, n_estimators_)
        Row k: the weight of each tree in the model after stage k (ones up to k for
        gradient descent and Newton, halved where a stage's full step would have raised the
        training loss; the momentum combination for Nesterov).
    n_estimators_ : int
        Stages fitted (fewer than ``n_estimators`` after early stopping).
    train_score_ : ndarray of shape (n_estimators_,)
        Mean training loss (1/n) sum_i l(y_i, F_i) after each stage.
    optimizer_ : the optimizer used (a plain ``Nesterov()`` with its momentum filled in).
    feature_importances_ : ndarray of shape (n_features,)
"""


class GradientBoostingRegressor(RegressorMixin, BaseBoosting):
    __doc__ = (
        """Gradient boosting for regression: functional gradient descent on l(y, F).

    Parameters
    ----------
    loss : {"squared_error", "absolute_error", "huber", "quantile"} or callable
        The elementwise loss l(y, F): (y - F)^2 / 2, |y - F|, Huber with delta the
        ``alpha``-quantile of |y - F| (updated each stage), the pinball loss of level
        ``alpha``; or a function ``l(y, F) -> (n,)`` written with autograd.numpy.
    alpha : float in (0, 1), default=0.9
        Quantile level (quantile) or the residual quantile setting delta (huber)."""
        + _PARAMS_DOC
        + """
    Attributes
    ----------"""
        + _ATTRS_DOC
        + """
    Examples
    --------
    >>> import numpy as np
    >>> from gradscratch import GradientBoostingRegressor
    >>> X = np.linspace(0, 6, 200)[:, None]
    >>> model = GradientBoostingRegressor(n_estimators=50).fit(X, np.sin(X[:, 0]))
    >>> bool(model.score(X, np.sin(X[:, 0])) > 0.99)
    True
    """
    )

    def __init__(
        self,
        loss="squared_error",
        alpha=0.9,
        n_estimators=100,
        learning_rate=0.1,
        max_depth=3,
        min_samples_leaf=1,
        subsample=1.0,
        max_bins=255,
        optimizer=None,
        validation_fraction=0.1,
        n_iter_no_change=None,
        random_state=None,
    ):
        super().__init__(
            loss=loss,
            alpha=alpha,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            max_depth=max_depth,
            min_samples_leaf=min_samples_leaf,
            subsample=subsample,
            max_bins=max_bins,
            optimizer=optimizer,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            random_state=random_state,
        )

    def fit(self, X, y, sample_weight=None):
        """Fit the boosted model on X (n, p) and real targets y (n,); ``sample_weight`` (n,)
        multiplies each sample's loss."""
        self._check_params()
        if self.loss in ("huber", "quantile") and not (
            isinstance(self.alpha, numbers.Real) and 0 < self.alpha < 1
        ):
            raise ValueError(f"alpha must be in (0, 1), got {self.alpha!r}.")
        X, y = validate_data(self, X, y, y_numeric=True)
        y = np.asarray(y, dtype=np.float64)
        params = {"alpha": float(self.alpha)} if self.loss == "quantile" else {}
        loss = make_loss(self.loss, params, 1, _REGRESSION_LOSSES)
        return fit_stages(self, X.astype(np.float64), y, loss, sample_weight=sample_weight)

    def predict(self, X):
        """F(x) = F_0 + sum_k a_k f_k(x), shape (n,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self._raw(X)

    def staged_predict(self, X):
        """Predictions after each stage (a generator of (n,) arrays)."""
        yield from self._staged_raw(X)


class GradientBoostingClassifier(ClassifierMixin, BaseBoosting):
    _exact_line_search = False

    __doc__ = (
        """Gradient boosting for classification on the logit scale.

    Two classes: one tree per stage on the raw score F, P(y = 1) = sigmoid(F), loss
    log(1 + exp(F)) - y F. K > 2 classes: one tree per class per stage on the scores F_k,
    P = softmax(F), loss logsumexp(F) - F_y (trees for different classes are grown on the same
    gradients, as scikit-learn does).

    Parameters
    ----------
    loss : "log_loss" or callable
        A callable is ``l(y, F)`` with y in {0, 1} and F of shape (n,) for two classes, or Y
        one-hot (n, K) and F (n, K) for more; probabilities use the sigmoid / softmax link.
    alpha : float
        Unused (kept for a shared signature with the regressor)."""
        + _PARAMS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)"""
        + _ATTRS_DOC
    )

    def __init__(
        self,
        loss="log_loss",
        alpha=0.9,
        n_estimators=100,
        learning_rate=0.1,
        max_depth=3,
        min_samples_leaf=1,
        subsample=1.0,
        max_bins=255,
        optimizer=None,
        validation_fraction=0.1,
        n_iter_no_change=None,
        random_state=None,
    ):
        super().__init__(
            loss=loss,
            alpha=alpha,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            max_depth=max_depth,
            min_samples_leaf=min_samples_leaf,
            subsample=subsample,
            max_bins=max_bins,
            optimizer=optimizer,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            random_state=random_state,
        )

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, p) and class labels y (n,); ``sample_weight`` (n,) multiplies each
        sample's loss."""
        self._check_params()
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        K = len(self.classes_)
        if K < 2:
            raise ValueError(
                "GradientBoostingClassifier needs samples of at least 2 classes in the data, "
                f"but the data contain only one class: {self.classes_[0]!r}."
            )
        if sample_weight is not None:
            # scikit-learn's rule and message: the classes present are those of positive weight
            weights = check_sample_weight(sample_weight, len(y_idx))
            present = np.count_nonzero(np.bincount(y_idx, weights=weights, minlength=K))
            if present < 2:
                raise ValueError(
                    f"y contains {present} class after sample_weight trimmed classes with "
                    "zero weights, while a minimum of 2 classes are required."
                )
        if K == 2:
            target, names = y_idx.astype(np.float64), {"log_loss": "log_loss"}
            loss = make_loss(self.loss, {}, 1, names)
        else:
            target = np.eye(K)[y_idx]
            loss = make_loss(self.loss, {}, K, {"log_loss": "multinomial_log_loss"})
        return fit_stages(
            self, X.astype(np.float64), target, loss, strata=y_idx, sample_weight=sample_weight
        )

    def decision_function(self, X):
        """Raw scores: F (n,) for two classes (log-odds of classes_[1]), (n, K) otherwise."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self._raw(X)

    def _proba(self, raw):
        if raw.ndim == 1:
            p1 = _sigmoid(raw)
            return np.stack([1.0 - p1, p1], axis=1)
        return np.exp(log_softmax(raw))

    def predict_proba(self, X):
        """P(class | x), shape (n, n_classes), columns in ``classes_`` order."""
        return self._proba(self.decision_function(X))

    def staged_decision_function(self, X):
        yield from self._staged_raw(X)

    def staged_predict_proba(self, X):
        """Class probabilities after each stage (a generator of (n, n_classes) arrays)."""
        for raw in self._staged_raw(X):
            yield self._proba(raw)

    def staged_predict(self, X):
        for proba in self.staged_predict_proba(X):
            yield self.classes_[np.argmax(proba, axis=1)]
