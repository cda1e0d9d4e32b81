"""The stopping contract: converged=True only when the stationarity measure is met at the
returned point; every other ending says how it ended, warns, and names the remedy."""

import warnings

import autograd.numpy as anp
import numpy as np
import pytest

import optim
from optim import Status

FIRST_ORDER = [
    optim.GradientDescent(),
    optim.GradientDescent(lr=0.01),
    optim.Momentum(),
    optim.Nesterov(),
    optim.Nesterov(lr=0.01),
    optim.AdaGrad(),
    optim.RMSProp(),
    optim.Adam(),
    optim.ProximalGradient(),
    optim.FISTA(),
]
ALL = [*FIRST_ORDER, optim.LBFGS(), optim.Newton(), optim.Newton(hessian="cg")]

# Badly scaled smooth problems: curvatures over 26 decades, a scaled Rosenbrock, and a
# logistic loss on a column in the units of a Unix timestamp.
CURVATURES = np.array([1e20, 1.0, 1e-6])


def curvature_spread(x):
    return 0.5 * anp.sum(CURVATURES * x**2)


def scaled_rosenbrock(x):
    u = x * np.array([1e-4, 1e3])
    return 100.0 * (u[1] - u[0] ** 2) ** 2 + (1.0 - u[0]) ** 2


_rng = np.random.default_rng(0)
_T = np.column_stack([1.7e9 + 3e7 * _rng.random(200), _rng.standard_normal(200)])
_S = np.where(_T[:, 1] + 1e-7 * (_T[:, 0] - 1.715e9) + 0.3 * _rng.standard_normal(200) > 0, 1, -1)


def timestamp_logistic(x):
    return anp.mean(anp.logaddexp(0.0, -_S * (anp.dot(_T, x[:2]) + x[2])))


PROBLEMS = {
    "curvature_spread": (curvature_spread, np.ones(3), None),
    "scaled_rosenbrock": (scaled_rosenbrock, np.array([-1.2e4, 1e-3]), None),
    "timestamp_logistic": (timestamp_logistic, np.zeros(3), None),
    "lasso_spread": (curvature_spread, np.ones(3), optim.prox.L1(0.5)),
}


def _run(optimizer, name):
    f, x0, prox = PROBLEMS[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = optimizer.minimize(f, x0, prox=prox)
    return result, [w for w in caught if issubclass(w.category, optim.ConvergenceWarning)]


@pytest.mark.parametrize("name", list(PROBLEMS))
@pytest.mark.parametrize("optimizer", ALL, ids=repr)
def test_no_false_convergence_on_badly_scaled_problems(optimizer, name):
    f, _, prox = PROBLEMS[name]
    if prox is not None and not optimizer.accepts_prox:
        pytest.skip("second-order methods refuse a prox")
    result, caught = _run(optimizer, name)
    # The measure, recomputed here from autograd's gradient at the returned point.
    g = optim.Problem(f).value_and_grad(result.x)[1]
    measure = optim.base.stationarity(optim.Problem(f, prox=prox), result.x, g)
    assert result.stationarity == pytest.approx(measure, rel=1e-9, abs=1e-300)
    if result.converged:
        assert result.status == Status.CONVERGED and measure <= optimizer.default_tol
        assert not caught
    else:
        assert result.status != Status.CONVERGED and measure > optimizer.default_tol
        assert len(caught) == 1 and "To fix:" in str(caught[0].message)
    assert np.all(np.isfinite(result.x)) and np.isfinite(result.fun)
    assert result.fun <= f(PROBLEMS[name][1]) + (0 if prox is None else prox.value(result.x))


def test_lbfgs_does_not_stop_at_x0_when_the_first_search_is_hard():
    """The first L-BFGS step on curvatures 1e20, 1, 1e-6 used to find no step and call x0
    converged; now it moves, and meets the gradient tolerance honestly."""
    result, caught = _run(optim.LBFGS(), "curvature_spread")
    assert result.n_iter > 0 and result.fun < 1.0
    assert result.converged == (np.max(np.abs(CURVATURES * result.x)) <= 1e-6)


def test_divergence_stops_early_with_the_best_point():
    def bowl(x):
        return anp.sum(x**2)

    with pytest.warns(optim.ConvergenceWarning, match="diverged.*lower lr"):
        result = optim.GradientDescent(lr=5.0).minimize(bowl, np.ones(3), max_iter=10000)
    assert result.status == Status.DIVERGED and result.n_iter < 30
    np.testing.assert_array_equal(result.x, np.ones(3))  # x0 was the best point
    assert result.fun == 3.0 and "best point found" in result.message


def test_stall_is_a_failure():
    def bowl(x):
        return anp.sum((x - 1.0) ** 2)

    with pytest.warns(optim.ConvergenceWarning, match="no longer changes x"):
        result = optim.GradientDescent(lr=1e-300).minimize(bowl, np.full(2, 3.0))
    assert result.status == Status.STALLED and not result.converged


def test_line_search_failure_is_not_convergence():
    """A bowl on top of 1e30: near its bottom the decrease is below the rounding of f, so a
    search on values alone (Armijo with noise=0) finds no step while the gradient is still 1e17
    (the default Armijo then judges by the slope and converges). That ends
    the run as a failure, not as convergence."""

    def bowl_on_a_plateau(x):
        return 1e30 + 1e20 * anp.sum(np.array([1.0, 3.0]) * (x - 1.0) ** 2)

    gd = optim.GradientDescent(line_search=optim.line_search.Armijo(noise=0.0))
    with pytest.warns(optim.ConvergenceWarning, match="line search.*rescale the problem"):
        result = gd.minimize(bowl_on_a_plateau, np.array([0.0, 0.3]))
    assert result.status == Status.LINE_SEARCH and not result.converged
    assert np.all(np.abs(result.x - 1.0) < 1e-2) and result.stationarity > 1e6


def log_cosh(x):
    return anp.sum(anp.logaddexp(x - 3.0, 3.0 - x))


@pytest.mark.parametrize("optimizer", ALL, ids=repr)
def test_max_iter_is_a_failure_with_a_remedy(optimizer):
    with pytest.warns(optim.ConvergenceWarning, match="raise max_iter"):
        result = optimizer.minimize(log_cosh, np.zeros(4), max_iter=2)
    assert result.status == Status.MAX_ITER and result.n_iter == 2


def test_tol_is_the_largest_gradient_component():
    """The measure is ||grad f||_inf: a run with tol=t stops at the first iterate whose largest
    gradient component is <= t (checked on the trace)."""
    result = optim.GradientDescent().minimize(curvature_spread, np.array([0.0, 1.0, 0.0]), tol=1e-3)
    assert result.converged
    assert result.trace["grad_norm"][-1] <= 1e-3 < result.trace["grad_norm"][-2]
    assert result.stationarity == pytest.approx(np.max(np.abs(CURVATURES * result.x)))
