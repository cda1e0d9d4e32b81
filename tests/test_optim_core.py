"""The optimizer contract and convergence against scipy and against theory."""

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize

import optim
from gradscratch.datasets import make_classification
from tests.conftest import assert_gradient_matches

ALL = [
    optim.GradientDescent(),
    optim.Nesterov(),
    optim.LBFGS(),
    optim.Newton(),
    optim.Newton(hessian="cg"),
    optim.ProximalGradient(),
    optim.FISTA(),
]


def rosenbrock(x):
    return anp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


@pytest.fixture(scope="module")
def logistic_problem():
    X, y = make_classification(200, 10, n_informative=4, random_state=3)
    X = np.hstack([X, np.ones((len(X), 1))])
    s = 2.0 * y - 1.0

    def loss(w):
        return anp.mean(anp.logaddexp(0.0, -s * anp.dot(X, w))) + 0.05 * anp.sum(w[:-1] ** 2)

    ref = scipy.optimize.minimize(
        loss,
        np.zeros(X.shape[1]),
        jac=lambda w: __import__("autograd").grad(loss)(w),
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000},
    )
    return loss, ref.fun, X.shape[1]


@pytest.mark.parametrize("optimizer", ALL, ids=repr)
def test_every_optimizer_reaches_scipy_optimum(optimizer, logistic_problem):
    loss, f_star, p = logistic_problem
    result = optimizer.minimize(loss, np.zeros(p), max_iter=20000, tol=1e-9)
    assert result.converged, result.message
    assert (result.fun - f_star) / abs(f_star) <= 1e-8


def test_logistic_loss_gradient(logistic_problem):
    loss, _, p = logistic_problem
    assert_gradient_matches(loss, np.linspace(-0.5, 0.5, p))


@pytest.mark.parametrize("optimizer", [optim.LBFGS(), optim.Newton()], ids=repr)
def test_rosenbrock(optimizer):
    result = optimizer.minimize(rosenbrock, np.array([-1.2, 1.0]), max_iter=5000, tol=1e-10)
    np.testing.assert_allclose(result.x, [1.0, 1.0], atol=1e-6)
    x5 = optimizer.minimize(rosenbrock, np.full(5, -1.0), max_iter=5000, tol=1e-10).x
    np.testing.assert_allclose(x5, np.ones(5), atol=1e-6)


def test_gradient_descent_under_linear_rate_bound():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((8, 8)))
    eig = np.geomspace(0.1, 10.0, 8)
    A = (Q * eig) @ Q.T
    b = rng.standard_normal(8)
    x_star = np.linalg.solve(A, b)

    def f(x):
        return 0.5 * anp.dot(x, anp.dot(A, x)) - anp.dot(b, x)

    f_star = f(x_star)
    mu, L = eig.min(), eig.max()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optim.GradientDescent(lr=1.0 / L).minimize(f, np.zeros(8), max_iter=1500, tol=0)
    gap = result.trace["fun"] - f_star
    k = np.arange(len(gap))
    assert np.all(gap <= (1.0 - mu / L) ** k * gap[0] * (1 + 1e-9) + 1e-14)
    assert gap[-1] < 1e-3 * gap[0]


def test_result_contract():
    result = optim.LBFGS().minimize(rosenbrock, np.array([-1.2, 1.0]), tol=1e-8)
    for key in ("x", "fun", "n_iter", "n_fev", "n_gev", "converged", "message", "trace"):
        assert key in result
    trace = result.trace
    assert trace["fun"][0] == pytest.approx(rosenbrock(np.array([-1.2, 1.0])))
    assert len(trace["fun"]) == result.n_iter + 1
    assert set(trace) >= {"fun", "grad_norm", "step_size", "time"}
    assert np.all(np.diff(trace["time"]) >= 0)


def test_max_iter_warns_and_says_so():
    with pytest.warns(optim.ConvergenceWarning, match="did not converge"):
        result = optim.GradientDescent().minimize(rosenbrock, np.array([-1.2, 1.0]), max_iter=3)
    assert not result.converged and "Maximum number of iterations" in result.message


def test_bad_inputs():
    with pytest.raises(ValueError, match="NaN or inf"):
        optim.LBFGS().minimize(rosenbrock, np.array([np.nan, 1.0]))
    with pytest.raises(TypeError, match="scalar"):
        optim.LBFGS().minimize(lambda x: x**2, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="does not handle a non-smooth term"):
        optim.LBFGS().minimize(rosenbrock, np.ones(2), prox=optim.prox.L1(0.1))
    with pytest.raises(ValueError, match="mask has shape"):
        optim.FISTA().minimize(rosenbrock, np.ones(2), prox=optim.prox.L1(0.1, mask=[1, 0, 1]))


def test_callback_can_stop_the_run():
    seen = []

    def callback(state):
        seen.append(state.n_iter)
        return state.n_iter >= 3

    result = optim.GradientDescent().minimize(rosenbrock, np.array([-1.2, 1.0]), callback=callback)
    assert seen == [1, 2, 3] and result.converged and result.n_iter == 3


def test_newton_update_rule_with_hessian_diagonal():
    step, _ = optim.Newton().update(np.array([2.0, -4.0]), None, np.array([2.0, 8.0]))
    np.testing.assert_allclose(step, [-1.0, 0.5])
