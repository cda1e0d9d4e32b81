"""Every parametric model with every optimizer at its default hyperparameters, on standardized
and on badly scaled data: each cell either reaches the optimum (objective within 1e-6,
relative) with converged=True and no warning, or says it did not (converged=False and a
ConvergenceWarning), or refuses the problem with a clear error (LBFGS and Newton refuse an L1
term). No cell may report a convergence it did not reach."""

import warnings

import numpy as np
import pytest

import optim
from gradscratch import (
    ConvergenceWarning,
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from gradscratch.datasets import make_classification, make_regression

OPTIMIZERS = {
    "default": None,
    "GradientDescent": optim.GradientDescent(),
    "GradientDescent(lr=0.01)": optim.GradientDescent(lr=0.01),
    "Momentum": optim.Momentum(),
    "Nesterov": optim.Nesterov(),
    "AdaGrad": optim.AdaGrad(),
    "RMSProp": optim.RMSProp(),
    "Adam": optim.Adam(),
    "LBFGS": optim.LBFGS(),
    "Newton": optim.Newton(),
    "ProximalGradient": optim.ProximalGradient(),
    "FISTA": optim.FISTA(),
}

SCALES = np.array([1e-6, 1e-2, 1.0, 1e4, 1e10])


def _data(kind, scaled):
    if kind == "regression":
        X, y = make_regression(150, 5, noise=2.0, correlation=0.5, random_state=0)
        y = y + 50.0
    elif kind == "binary":
        X, y = make_classification(150, 5, n_informative=3, random_state=1)
    else:
        X, y = make_classification(150, 5, n_informative=3, n_classes=3, random_state=1)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return (X * SCALES + 1e3 * SCALES if scaled else X), y


MODELS = {
    "LinearRegression": ("regression", lambda: LinearRegression()),
    "Ridge": ("regression", lambda: Ridge(alpha=1.0)),
    "Lasso": ("regression", lambda: Lasso(alpha=0.5)),
    "ElasticNet": ("regression", lambda: ElasticNet(alpha=0.5, l1_ratio=0.5)),
    "Logistic": ("binary", lambda: LogisticRegression(C=1.0)),
    "Logistic-L1": ("binary", lambda: LogisticRegression(C=1.0, l1_ratio=1.0)),
    "Logistic-multinomial": ("multiclass", lambda: LogisticRegression(C=1.0)),
}

_OPTIMA = {}


def _optimum(model_name, scaled):
    """The model's objective at its optimum: the default fit at a tight tol."""
    key = (model_name, scaled)
    if key not in _OPTIMA:
        kind, make = MODELS[model_name]
        X, y = _data(kind, scaled)
        _OPTIMA[key] = make().set_params(tol=1e-13).fit(X, y).optim_result_.fun
    return _OPTIMA[key]


@pytest.mark.parametrize("scaled", [False, True], ids=["standardized", "badly_scaled"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("model_name", list(MODELS))
def test_every_cell_converges_or_says_so(model_name, optimizer, scaled):
    kind, make = MODELS[model_name]
    X, y = _data(kind, scaled)
    model = make().set_params(optimizer=OPTIMIZERS[optimizer])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model.fit(X, y)
        except ValueError as err:
            assert "does not handle a non-smooth term" in str(err)
            assert optimizer in ("LBFGS", "Newton") and model_name in (
                "Lasso",
                "ElasticNet",
                "Logistic-L1",
            )
            return
    warned = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    result = model.optim_result_
    f_star = _optimum(model_name, scaled)
    if result.converged:
        assert not warned, warned[0].message
        assert result.fun - f_star <= 1e-6 * abs(f_star), (result.fun, f_star)
        assert result.stationarity <= model.tol
    else:
        assert len(warned) == 1 and "did not converge" in str(warned[0].message)
        assert np.all(np.isfinite(model.coef_))
        # A failed run returns its best point, never a diverged one.
        assert result.fun <= result.trace["fun"][0] * (1 + 1e-12)
