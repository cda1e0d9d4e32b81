"""minimize(..., bounds=...): projected L-BFGS equals scipy's L-BFGS-B; the first-order
methods take the box as a prox; Newton refuses it."""

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from scipy.optimize import Bounds
from scipy.optimize import minimize as scipy_minimize

import optim

RNG = np.random.default_rng(0)
A = RNG.standard_normal((40, 15))
B = RNG.standard_normal(40)
D = np.logspace(-3, 3, 12)  # curvatures spanning six decades
C = 2.0 * RNG.standard_normal(12)
S = np.logspace(-2, 2, 8)  # variables in units spanning four decades
X_LOG = RNG.standard_normal((200, 6))
Y_LOG = (X_LOG @ RNG.standard_normal(6) + RNG.standard_normal(200) > 0).astype(float)


def rosenbrock(x):
    return anp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def least_squares(x):
    return 0.5 * anp.sum((A @ x - B) ** 2)


def badly_scaled(x):
    return 0.5 * anp.sum(D * (x - C) ** 2) + 0.1 * anp.sum(x**4)


def in_units(x):
    z = x / S
    return anp.sum((z - 1.5) ** 2) + 0.3 * anp.sum(z[1:] * z[:-1])


def logistic(w):
    z = X_LOG @ w
    return anp.mean(anp.logaddexp(0.0, z) - Y_LOG * z)


# name -> (f, x0, bounds); every problem has a unique minimizer.
PROBLEMS = {
    "rosenbrock, one bound active": (rosenbrock, np.full(6, -1.0), [(-2.0, 0.5)] * 6),
    "rosenbrock, no bound active": (rosenbrock, np.full(6, -1.2), [(-2.0, 2.0)] * 6),
    "rosenbrock, open sides": (rosenbrock, np.zeros(10), [(None, 0.8), (-1.0, None)] * 5),
    "non-negative least squares": (least_squares, np.ones(15), [(0.0, None)] * 15),
    "curvatures 1e-3..1e3 in a box": (badly_scaled, np.zeros(12), [(-0.5, 0.5)] * 12),
    "units 1e-2..1e2, every bound active": (in_units, np.zeros(8), list(zip(-S, S))),
    "logistic in a box": (logistic, np.zeros(6), [(-0.3, 0.3)] * 6),
}


def _reference(f, x0, bounds):
    options = {"gtol": 1e-12, "ftol": 1e-16, "maxiter": 10000, "maxfun": 100000}
    return scipy_minimize(f, x0, jac=grad(f), method="L-BFGS-B", bounds=bounds, options=options)


def _box(bounds):
    lower = np.array([-np.inf if lo is None else lo for lo, _ in bounds])
    upper = np.array([np.inf if hi is None else hi for _, hi in bounds])
    return lower, upper


def _active(x, bounds):
    lower, upper = _box(bounds)
    return (x <= lower + 1e-9) | (x >= upper - 1e-9)


@pytest.mark.parametrize("name", PROBLEMS)
def test_projected_lbfgs_equals_scipy_lbfgsb(name):
    f, x0, bounds = PROBLEMS[name]
    ref = _reference(f, x0, bounds)
    ours = optim.LBFGS().minimize(f, x0, bounds=bounds, tol=1e-10)
    assert ours.converged and ours.stationarity <= 1e-10
    np.testing.assert_allclose(ours.x, ref.x, rtol=1e-6, atol=1e-6 * np.abs(ref.x).max())
    assert ours.fun == pytest.approx(ref.fun, rel=1e-10, abs=1e-14)
    np.testing.assert_array_equal(_active(ours.x, bounds), _active(ref.x, bounds))
    lower, upper = _box(bounds)
    assert np.all((lower <= ours.x) & (ours.x <= upper))
    # The stopping measure is scipy's projected gradient, at the returned point.
    projected = ours.x - np.clip(ours.x - ours.jac, lower, upper)
    assert ours.stationarity == pytest.approx(np.max(np.abs(projected)), abs=1e-300)
    # About as many iterations as L-BFGS-B (its Cauchy point; our binding set).
    assert ours.n_iter <= 2 * ref.nit + 10


def test_bounds_that_are_active_at_the_solution_are_found():
    f, x0, bounds = PROBLEMS["non-negative least squares"]
    ours = optim.LBFGS().minimize(f, x0, bounds=bounds, tol=1e-10)
    zero = ours.x == 0.0
    assert 3 <= zero.sum() < zero.size  # some bounds bind exactly, others do not
    g = ours.jac
    assert np.all(g[zero] >= -1e-10) and np.max(np.abs(g[~zero])) <= 1e-10  # KKT


@pytest.mark.parametrize(
    "optimizer",
    [optim.ProximalGradient(), optim.FISTA(), optim.GradientDescent(), optim.Nesterov()],
    ids=repr,
)
def test_first_order_methods_take_the_box_as_a_prox(optimizer):
    f, x0, bounds = PROBLEMS["non-negative least squares"]
    ref = _reference(f, x0, bounds)
    ours = optimizer.minimize(f, x0, bounds=bounds, tol=1e-8, max_iter=20000)
    assert ours.converged
    np.testing.assert_allclose(ours.x, ref.x, rtol=1e-6, atol=1e-7)


def test_a_separable_prox_is_combined_with_the_box():
    # On x >= 0, alpha ||x||_1 = alpha sum(x): the same problem, smooth, for scipy.
    alpha = 2.0
    bounds = [(0.0, 0.4)] * 15
    ref = _reference(lambda x: least_squares(x) + alpha * anp.sum(x), np.zeros(15), bounds)
    ours = optim.FISTA().minimize(
        least_squares, np.zeros(15), prox=optim.prox.L1(alpha), bounds=bounds, tol=1e-10
    )
    assert ours.converged
    np.testing.assert_allclose(ours.x, ref.x, rtol=1e-6, atol=1e-7)
    assert ours.fun == pytest.approx(ref.fun, rel=1e-10)


def test_minibatch_runs_stay_in_the_box():
    X, y = RNG.standard_normal((300, 4)), RNG.standard_normal(300)

    def mse(w, Xb, yb):
        return anp.mean((Xb @ w - yb) ** 2)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        run = optim.Adam(lr=0.05).minimize(
            mse, np.zeros(4), data=(X, y), batch_size=50, bounds=[(0.0, 0.01)] * 4, max_iter=20
        )
    assert np.all((run.x >= 0.0) & (run.x <= 0.01))


def test_bounds_formats_are_scipy_s():
    f, x0, bounds = PROBLEMS["logistic in a box"]
    as_pairs = optim.LBFGS().minimize(f, x0, bounds=bounds)
    as_object = optim.LBFGS().minimize(f, x0, bounds=Bounds(-0.3, 0.3))
    as_arrays = optim.LBFGS().minimize(f, x0, bounds=Bounds(np.full(6, -0.3), np.full(6, 0.3)))
    np.testing.assert_allclose(as_object.x, as_pairs.x, rtol=1e-12)
    np.testing.assert_allclose(as_arrays.x, as_pairs.x, rtol=1e-12)
    outside = optim.LBFGS().minimize(f, np.full(6, 5.0), bounds=bounds)  # clipped, as scipy
    np.testing.assert_allclose(outside.x, as_pairs.x, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    "bounds,message",
    [
        ([(0, 1)] * 5, "sequence of 6"),
        ([(1, 0)] * 6, "lower <= upper"),
        ([(np.nan, 1)] * 6, "NaN"),
        ([0, 1] * 3, "pairs"),
    ],
)
def test_malformed_bounds_are_refused(bounds, message):
    f, x0, _ = PROBLEMS["logistic in a box"]
    with pytest.raises(ValueError, match=message):
        optim.LBFGS().minimize(f, x0, bounds=bounds)


def test_methods_that_cannot_take_bounds_refuse_them_clearly():
    f, x0, bounds = PROBLEMS["logistic in a box"]
    with pytest.raises(ValueError, match="Newton does not handle bounds: use optim.LBFGS"):
        optim.Newton().minimize(f, x0, bounds=bounds)
    with pytest.raises(ValueError, match="LBFGS does not handle a non-smooth term"):
        optim.LBFGS().minimize(f, x0, prox=optim.prox.L1(0.1), bounds=bounds)

    class GroupNorm:  # not separable: its prox with a box is not the clipped one
        def value(self, x):
            return float(np.linalg.norm(x))

        def prox(self, x, step):
            return x * max(0.0, 1.0 - step / max(np.linalg.norm(x), 1e-300))

    with pytest.raises(ValueError, match="separable prox"):
        optim.FISTA().minimize(f, x0, prox=GroupNorm(), bounds=bounds)
