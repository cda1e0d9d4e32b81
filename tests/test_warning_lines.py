"""Every warning the library raises points at the caller's line (this file), however deep in
gradscratch or optim it arose."""

import warnings

import autograd.numpy as anp
import numpy as np
import pandas as pd
import pytest

import gradscratch
import optim
from gradscratch import (
    PCA,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    KMeans,
    Lasso,
    LogisticRegression,
    RandomForestClassifier,
    Ridge,
)
from gradscratch._validation import DataConversionWarning
from gradscratch.datasets import make_regression
from gradscratch.parametric.logistic import PerfectSeparationWarning

RNG = np.random.default_rng(0)
X = RNG.standard_normal((40, 3))
Y = X @ np.array([1.0, 2.0, -1.0]) + 0.1 * RNG.standard_normal(40)
LABELS = (Y > 0).astype(int)


def _caught(category, call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    found = [w for w in caught if issubclass(w.category, category)]
    assert found, f"no {category.__name__} among {[str(w.message) for w in caught]}"
    return found


def _here(found):
    for w in found:
        assert w.filename == __file__, (w.filename, w.lineno, str(w.message))


def test_kmeans_empty_clusters():
    duplicates = np.repeat(X[:2], 10, axis=0)
    _here(_caught(gradscratch.ConvergenceWarning, lambda: KMeans(3, n_init=1).fit(duplicates)))
    found = _caught(
        gradscratch.ConvergenceWarning, lambda: KMeans(3, n_init=1).fit_predict(duplicates)
    )
    _here(found)


def test_kmeans_explicit_init_with_n_init():
    _here(_caught(RuntimeWarning, lambda: KMeans(2, init=X[:2], n_init=3).fit(X)))


def test_perfect_separation_in_logistic():
    separable = np.r_[X[:, :1] - 3.0, X[:, :1] + 3.0]
    classes = np.r_[np.zeros(40), np.ones(40)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gradscratch.ConvergenceWarning)
        found = _caught(
            PerfectSeparationWarning, lambda: LogisticRegression(C=np.inf).fit(separable, classes)
        )
    _here(found)


@pytest.mark.parametrize(
    "make",
    [lambda: Lasso(alpha=0.01), lambda: GradientBoostingRegressor(n_estimators=3)],
    ids=["Lasso", "GradientBoostingRegressor"],
)
def test_column_vector_y(make):
    """(Ridge and LinearRegression fit a column vector as one output, as scikit-learn's do.)"""
    model = make()
    _here(_caught(DataConversionWarning, lambda: model.fit(X, Y[:, None])))


def test_column_vector_y_in_boosting_classification():
    model = GradientBoostingClassifier(n_estimators=3)
    _here(_caught(DataConversionWarning, lambda: model.fit(X, LABELS[:, None])))


@pytest.mark.parametrize(
    "make",
    [lambda: Ridge(), lambda: GradientBoostingRegressor(n_estimators=3), lambda: PCA(2)],
    ids=["Ridge", "GradientBoostingRegressor", "PCA"],
)
def test_feature_names_mismatch(make):
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = make().fit(frame, Y)
    method = model.transform if isinstance(model, PCA) else model.predict
    _here(_caught(UserWarning, lambda: method(X)))
    unnamed = make().fit(X, Y)
    method = unnamed.transform if isinstance(unnamed, PCA) else unnamed.predict
    _here(_caught(UserWarning, lambda: method(frame)))


def test_forest_without_oob_scores():
    forest = RandomForestClassifier(n_estimators=2, oob_score=True, random_state=0)
    _here(_caught(UserWarning, lambda: forest.fit(X, LABELS)))


@pytest.mark.parametrize(
    "make,target",
    [
        (lambda: Ridge(optimizer=optim.GradientDescent(), max_iter=2), "y"),
        (lambda: Lasso(alpha=1e-3, max_iter=2), "y"),
        (lambda: Lasso(alpha=1e-3, optimizer=optim.FISTA(), working_set=False, max_iter=2), "y"),
        (lambda: LogisticRegression(optimizer=optim.Adam(), max_iter=2), "labels"),
    ],
    ids=["Ridge", "Lasso", "Lasso-FISTA", "LogisticRegression"],
)
def test_parametric_fits_that_do_not_converge(make, target):
    Xc, yc = make_regression(100, 30, noise=1.0, correlation=0.9, random_state=0)
    yc = yc if target == "y" else (yc > 0).astype(int)
    model = make()
    found = _caught(gradscratch.ConvergenceWarning, lambda: model.fit(Xc, yc))
    assert len(found) == 1  # said once, by the model, not again by its optimizer
    _here(found)


def _quadratic(x, A=None, b=None):
    return anp.sum((x - 1.0) ** 2) if A is None else anp.mean((A @ x - b) ** 2)


def _rosenbrock(x):
    return anp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def test_the_optim_loop_full_batch():
    found = _caught(
        optim.ConvergenceWarning,
        lambda: optim.GradientDescent(lr=1e-3).minimize(_quadratic, np.zeros(3), max_iter=2),
    )
    _here(found)


def test_the_optim_loop_minibatch():
    def run():
        optim.Adam().minimize(
            _quadratic, np.zeros(3), data=(X, Y), batch_size=8, max_iter=2, random_state=0
        )

    _here(_caught(optim.ConvergenceWarning, run))


def test_the_optim_loop_with_bounds():
    def run():
        optim.LBFGS().minimize(_rosenbrock, np.zeros(4), bounds=[(-1, 0.5)] * 4, max_iter=2)

    _here(_caught(optim.ConvergenceWarning, run))
