"""Each line search on its own: its acceptance conditions checked on known functions."""

import autograd.numpy as anp
import numpy as np
import pytest

import optim
from optim.line_search import Armijo, ProxBacktracking, StrongWolfe
from optim.problem import Problem


def rosenbrock(x):
    return anp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


RNG = np.random.default_rng(0)
Q, _ = np.linalg.qr(RNG.standard_normal((6, 6)))
EIG = np.array([0.5, 1.0, 2.0, 4.0, 8.0, 16.0])
A = (Q * EIG) @ Q.T
B = RNG.standard_normal(6)


def quadratic(x):
    return 0.5 * anp.dot(x, anp.dot(A, x)) - anp.dot(B, x)


STARTS = [
    (rosenbrock, np.array([-1.2, 1.0])),
    (rosenbrock, np.array([0.5, -0.3, 1.5])),
    (quadratic, RNG.standard_normal(6)),
]


@pytest.mark.parametrize("f,x", STARTS)
@pytest.mark.parametrize("t0", [1e-4, 1.0, 50.0])
def test_armijo_sufficient_decrease_and_maximal_step(f, x, t0):
    problem = Problem(f)
    fx, g = problem.value_and_grad(x)
    search = Armijo(c1=1e-4, shrink=0.5)
    step = search.search(problem, x, fx, g, -g, t0)
    assert step.ok
    np.testing.assert_allclose(step.x, x - step.t * g)
    assert step.f == pytest.approx(f(step.x), rel=1e-15)
    assert step.f <= fx - 1e-4 * step.t * (g @ g)
    if step.t < t0:  # the trial before (twice as long) failed the condition
        t_prev = step.t / 0.5
        assert f(x - t_prev * g) > fx - 1e-4 * t_prev * (g @ g)


def test_armijo_backs_off_from_nan_and_reports_failure():
    def f(x):
        return anp.sum(x**2) + anp.where(anp.abs(x[0]) > 1.5, anp.nan, 0.0)

    problem = Problem(f)
    x = np.array([1.0, 1.0])
    fx, g = problem.value_and_grad(x)
    step = Armijo().search(problem, x, fx, g, -g, 10.0)
    assert step.ok and np.isfinite(step.f) and abs(step.x[0]) <= 1.5
    # An ascent direction cannot decrease f: the search says so instead of moving.
    step = Armijo(max_trials=20).search(problem, x, fx, g, g, 1.0)
    assert not step.ok and np.array_equal(step.x, x)


@pytest.mark.parametrize("penalty", [None, optim.prox.L1(0.3), optim.prox.NonNegative()])
@pytest.mark.parametrize("t0", [1e-3, 1.0, 100.0])
def test_prox_backtracking_upper_bound_and_step_at_least_shrink_over_L(penalty, t0):
    problem = Problem(quadratic, prox=penalty)
    L = EIG.max()
    x = RNG.standard_normal(6)
    fx, g = problem.value_and_grad(x)
    step = ProxBacktracking(shrink=0.5).search(problem, x, fx, g, t0)
    assert step.ok
    np.testing.assert_allclose(step.x, problem.prox_step(x - step.t * g, step.t))
    diff = step.x - x
    # The quadratic upper bound that defines acceptance...
    assert step.f <= fx + g @ diff + diff @ diff / (2 * step.t) + 1e-12 * abs(fx)
    # ...holds for every t <= 1/L, so the search never goes below shrink / L.
    assert step.t >= min(t0, 0.5 / L)
    if step.t < t0:
        assert step.t <= 1.0 / EIG.min()


def test_prox_backtracking_decides_by_curvature_when_values_are_noise():
    """f computed with cancellation (the sufficient statistics of least squares, scaled so
    that 0.5 y^T y is 1e4 times the optimum): near x* the value changes are below rounding, so
    whether the plain bound accepts a step depends on how the BLAS rounds. With the curvature
    fallback every search accepts a step near 1/L (the curvature along any step is at most L)
    that moves towards x*; it never does worse than the plain test, and gradient descent still
    reaches a gradient of 1e-10."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 4))
    y = X @ np.full(4, 30.0) + rng.standard_normal(50)
    XtX, Xty, yty = X.T @ X, X.T @ y, float(y @ y)

    def f(w):
        return 0.5 * (anp.dot(w, anp.dot(XtX, w)) - 2 * anp.dot(Xty, w) + yty) / 50

    w_star = np.linalg.solve(XtX, Xty)
    problem = Problem(f)
    L = np.linalg.eigvalsh(XtX / 50).max()
    blind_steps = []
    for _ in range(20):
        x = w_star + 1e-7 * rng.standard_normal(4)
        fx, g = problem.value_and_grad(x)
        step = ProxBacktracking().search(problem, x, fx, g, 1.0 / L)
        blind = ProxBacktracking(noise=0.0).search(problem, x, fx, g, 1.0 / L)
        assert step.ok and step.t >= 0.25 / L and step.t >= blind.t
        assert np.linalg.norm(step.x - w_star) < np.linalg.norm(x - w_star)
        blind_steps.append(blind.t)
    assert min(blind_steps) < 0.1 / L  # without the fallback, rounding noise shrinks steps
    result = optim.GradientDescent().minimize(f, np.zeros(4), tol=1e-10)
    assert result.converged and "Gradient norm below tol" in result.message


@pytest.mark.parametrize("f,x", STARTS)
@pytest.mark.parametrize("t0", [1e-5, 1.0, 30.0])
@pytest.mark.parametrize("c2", [0.1, 0.9])
def test_strong_wolfe_conditions(f, x, t0, c2):
    problem = Problem(f)
    fx, g = problem.value_and_grad(x)
    d = -g / np.linalg.norm(g)
    step = StrongWolfe(c1=1e-4, c2=c2).search(problem, x, fx, g, d, t0)
    assert step.ok and step.t > 0
    np.testing.assert_allclose(step.x, x + step.t * d)
    assert step.f <= fx + 1e-4 * step.t * (g @ d)
    assert abs(step.g @ d) <= c2 * abs(g @ d)
    assert step.f == pytest.approx(f(step.x), rel=1e-14)


def test_strong_wolfe_on_a_quadratic_with_tight_c2_finds_the_exact_minimizer():
    problem = Problem(quadratic)
    x = np.zeros(6)
    fx, g = problem.value_and_grad(x)
    d = -g
    exact = float(g @ g) / float(g @ A @ g)
    step = StrongWolfe(c2=1e-6).search(problem, x, fx, g, d, 1.0)
    assert step.t == pytest.approx(exact, rel=1e-5)


def test_strong_wolfe_refuses_an_ascent_direction_and_handles_nan():
    problem = Problem(rosenbrock)
    x = np.array([-1.2, 1.0])
    fx, g = problem.value_and_grad(x)
    assert not StrongWolfe().search(problem, x, fx, g, g).ok

    def f(x):
        return anp.sum((x - 3.0) ** 2) + anp.where(x[0] > 2.0, anp.nan, 0.0)

    problem = Problem(f)
    x = np.zeros(2)
    fx, g = problem.value_and_grad(x)
    step = StrongWolfe().search(problem, x, fx, g, -g, 10.0)
    assert step.ok and np.isfinite(step.f) and step.x[0] <= 2.0 and step.f < fx
