"""Gradient boosting's losses stay bounded: no stage raises the training loss.

A regression leaf takes the exact minimizer of its own loss, found inside the range of its
residuals (a bracket the search never leaves), so with learning_rate <= 1 the stage cannot
raise the loss (convexity); a stage whose move would raise it anyway (a classification
leaf's single Newton step, K trees of a multiclass stage moving at once) is halved until it
does not. Huber's delta changes each stage (the alpha-quantile of |y - F|): each stage is
compared on its own loss. Before this, Huber at learning_rate=0.5 reached a training MSE of
1e26 and predicted -3.5e14 on a small exactly fittable set, and multiclass log-loss reached
1e248 at learning_rate=1.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import ensemble as ske

import optim
from gradscratch import GradientBoostingClassifier, GradientBoostingRegressor, losses

EPS = np.finfo(np.float64).eps
REGRESSION = [
    ("squared_error", 0.9),
    ("absolute_error", 0.9),
    ("huber", 0.5),
    ("huber", 0.8),
    ("huber", 0.9),
    ("quantile", 0.2),
    ("quantile", 0.5),
    ("quantile", 0.8),
]


def _regression_data(kind, rng):
    n = int(rng.integers(6, 30))
    X = rng.integers(0, 4, size=(n, 2)).astype(float)
    if kind == "exact":  # y a function of X: every set is fitted exactly in the end
        return X, 3.0 * X[:, 0] - X[:, 1] ** 2 + 0.5
    if kind == "tied":  # many equal targets
        return X, np.round(rng.normal(size=n) * 2.0)
    if kind == "outliers":
        y = rng.normal(size=n)
        y[: max(1, n // 5)] *= 1e3
        return X, y
    X = rng.normal(size=(n, 3))
    return X, X[:, 0] * 3.0 + rng.normal(size=n) * 10.0 ** rng.uniform(-3, 2)


def _stage_losses(model, X, target, loss, alpha):
    """(before, after) of each stage, under the loss that stage minimized."""
    F0 = np.broadcast_to(model.init_ if model.init_.size > 1 else model.init_[0], target.shape)
    if isinstance(model, GradientBoostingClassifier):
        Fs = list(model.staged_decision_function(X))
    else:
        Fs = list(model.staged_predict(X))
    Fs = [np.array(F0, dtype=np.float64)] + Fs
    pairs = []
    for before, after in zip(Fs[:-1], Fs[1:]):
        fun = model.loss_.fun
        if loss == "huber":  # the delta of this stage: from the residuals before it
            q = np.quantile(np.abs(target - before), alpha, method="inverted_cdf") or 1e-12
            fun = lambda y, F, q=q: losses.huber(y, F, delta=q)  # noqa: E731
        pairs.append((np.mean(fun(target, before)), np.mean(fun(target, after))))
    return np.array(pairs)


def _assert_never_rises(pairs):
    before, after = pairs[:, 0], pairs[:, 1]
    scale = max(pairs[0, 0], 1e-300)
    assert np.all(after <= before + 1e-12 * before + 64 * EPS * scale), np.max(after - before)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    spec=st.sampled_from(REGRESSION),
    learning_rate=st.sampled_from([0.1, 0.5, 1.0]),
    depth=st.integers(1, 3),
    kind=st.sampled_from(["exact", "tied", "outliers", "noisy"]),
)
def test_regression_loss_never_rises(seed, spec, learning_rate, depth, kind):
    loss, alpha = spec
    X, y = _regression_data(kind, np.random.default_rng(seed))
    model = GradientBoostingRegressor(
        loss=loss, alpha=alpha, learning_rate=learning_rate, max_depth=depth, n_estimators=15
    ).fit(X, y)
    _assert_never_rises(_stage_losses(model, X, y, loss, alpha))
    # bounded: every leaf value lies within its leaf's residuals
    assert np.max(np.abs(model.predict(X))) <= 2 * np.max(np.abs(y)) + np.ptp(y) + 1e-12


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    n_classes=st.sampled_from([2, 3]),
    learning_rate=st.sampled_from([0.1, 0.5, 1.0, 2.0]),
    depth=st.integers(1, 3),
    gradient_descent=st.booleans(),
)
def test_classification_loss_never_rises(seed, n_classes, learning_rate, depth, gradient_descent):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 4, size=(40, 2)).astype(float)
    y = (X[:, 0].astype(int) + rng.integers(0, 2, size=40)) % n_classes
    if len(np.unique(y)) < n_classes:
        y[:n_classes] = np.arange(n_classes)
    model = GradientBoostingClassifier(
        learning_rate=learning_rate,
        max_depth=depth,
        n_estimators=15,
        optimizer=optim.GradientDescent() if gradient_descent else None,
    ).fit(X, y)
    target = y.astype(float) if n_classes == 2 else np.eye(n_classes)[y]
    _assert_never_rises(_stage_losses(model, X, target, "log_loss", None))


def test_reported_cases_stay_bounded():
    # Huber at learning_rate=0.5: one single-sample leaf in Huber's linear zone took a
    # Newton step on rounding-noise curvature and landed at -2.8e16.
    X = np.array([[1, 3], [2, 1], [0, 3], [2, 1], [3, 0], [4, 0], [1, 3], [0, 0]], float)
    y = np.array([17.4016, -0.0473, 6.6887, 8.3641, 1.8654, 11.0906, 5.9540, 20.9943])
    for alpha in (0.5, 0.8, 0.9):
        kw = dict(loss="huber", alpha=alpha, learning_rate=0.5, n_estimators=40)
        ours, ref = GradientBoostingRegressor(**kw), ske.GradientBoostingRegressor(**kw)
        mse = np.mean((ours.fit(X, y).predict(X) - y) ** 2)
        assert mse <= np.mean((ref.fit(X, y).predict(X) - y) ** 2) + 1e-9
    # multiclass log-loss at learning_rate=1 (was 1e248)
    rng = np.random.default_rng(28)
    X = rng.integers(0, 5, size=(50, 2)).astype(float)
    y = rng.integers(0, 3, size=50)
    model = GradientBoostingClassifier(learning_rate=1.0, max_depth=2, n_estimators=30)
    assert np.all(np.diff(model.fit(X, y).train_score_) <= 1e-12)


@pytest.mark.parametrize("kind", ["noisy", "tied", "exact"])
def test_median_quantile_is_absolute_error(kind):
    # pinball(1/2) is half the absolute error: the same minimizer, hence the same model
    # (as in scikit-learn, where the two give identical predictions)
    X, y = _regression_data(kind, np.random.default_rng(3))
    kw = dict(n_estimators=20, max_depth=3, random_state=0)
    quantile = GradientBoostingRegressor(loss="quantile", alpha=0.5, **kw).fit(X, y)
    absolute = GradientBoostingRegressor(loss="absolute_error", **kw).fit(X, y)
    np.testing.assert_array_equal(quantile.init_, absolute.init_)
    np.testing.assert_allclose(quantile.predict(X), absolute.predict(X), rtol=0, atol=0)
    w = np.random.default_rng(4).uniform(0.5, 2, size=len(y))
    q_w = GradientBoostingRegressor(loss="quantile", alpha=0.5, **kw).fit(X, y, w)
    a_w = GradientBoostingRegressor(loss="absolute_error", **kw).fit(X, y, w)
    np.testing.assert_allclose(q_w.predict(X), a_w.predict(X), rtol=0, atol=0)


def test_zero_weights_leaving_one_class_raise_as_sklearn():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), np.repeat([0, 1, 2, 3], 10)
    message = "y contains 1 class after sample_weight trimmed classes with zero weights"
    for w in ((y == 1) * 1.0, (y == 3) * 2.0):
        with pytest.raises(ValueError, match=message):
            ske.GradientBoostingClassifier(n_estimators=2).fit(X, y, sample_weight=w)
        with pytest.raises(ValueError, match=message):
            GradientBoostingClassifier(n_estimators=2).fit(X, y, sample_weight=w)
    # two classes of positive weight among four: both libraries fit
    w = (y < 2) * 1.0
    ours = GradientBoostingClassifier(n_estimators=5).fit(X, y, sample_weight=w)
    assert ours.predict_proba(X)[:, 2:].max() < 1e-6
