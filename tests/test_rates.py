"""Convergence rates from theory on problems with known mu and L, and the lasso against
scikit-learn."""

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize

import optim
from gradscratch.datasets import make_classification

# Bounds are checked with a relative slack for rounding and an absolute floor at the level
# where the objective's own rounding (about 1e-16 |F*|) makes the gap meaningless.
SLACK = 1.0 + 1e-9


@pytest.fixture(scope="module")
def quadratic():
    """f(x) = x^T A x / 2 - b^T x with Hessian eigenvalues from mu = 0.01 to L = 1."""
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((20, 20)))
    eig = np.geomspace(0.01, 1.0, 20)
    A = (Q * eig) @ Q.T
    b = rng.standard_normal(20)
    x_star = np.linalg.solve(A, b)

    def f(x):
        return 0.5 * anp.dot(x, anp.dot(A, x)) - anp.dot(b, x)

    return f, x_star, float(f(x_star)), eig[0], eig[-1]


def _run(optimizer, f, x0, n, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        return optimizer.minimize(f, x0, max_iter=n, tol=0, **kw)


def test_gradient_descent_linear_rate(quadratic):
    f, x_star, f_star, mu, L = quadratic
    result = _run(optim.GradientDescent(lr=1.0 / L), f, np.zeros(20), 600)
    gap = result.trace["fun"] - f_star
    k = np.arange(len(gap))
    assert np.all(gap <= (1 - mu / L) ** k * gap[0] * SLACK + 1e-14 * abs(f_star))
    assert gap[-1] < 1e-2 * gap[0]


def test_nesterov_accelerated_bounds(quadratic):
    f, x_star, f_star, mu, L = quadratic
    x0 = np.zeros(20)
    r0 = float(x_star @ x_star)
    floor = 1e-14 * abs(f_star)
    # Convex bound (theta sequence): F(x_k) - F* <= 2 L ||x0 - x*||^2 / (k + 1)^2.
    gap = _run(optim.Nesterov(lr=1.0 / L), f, x0, 600).trace["fun"] - f_star
    k = np.arange(len(gap))
    assert np.all(gap <= 2 * L * r0 / (k + 1) ** 2 * SLACK + floor)
    # Strongly convex (constant momentum): (1 - sqrt(mu/L))^k (F(x0) - F* + mu/2 ||x0 - x*||^2).
    q = np.sqrt(mu / L)
    nesterov = optim.Nesterov(lr=1.0 / L, momentum=(1 - q) / (1 + q))
    gap = _run(nesterov, f, x0, 600).trace["fun"] - f_star
    bound = (1 - q) ** k * (gap[0] + 0.5 * mu * r0)
    assert np.all(gap <= bound * SLACK + floor)
    # Acceleration is real: far below gradient descent's guarantee after 600 steps.
    assert gap[-1] < 1e-6 * gap[0] and (1 - mu / L) ** 600 > 1e-3


@pytest.fixture(scope="module")
def lasso():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((50, 30))
    b = A[:, :5] @ rng.standard_normal(5) + 0.1 * rng.standard_normal(50)
    L = float(np.linalg.eigvalsh(A.T @ A)[-1])

    def f(x):
        return 0.5 * anp.sum((b - A @ x) ** 2)

    l1 = optim.prox.L1(2.0)
    ref = optim.FISTA().minimize(f, np.zeros(30), prox=l1, max_iter=50000, tol=1e-11)
    assert ref.converged
    return f, l1, ref.x, ref.fun, L


def test_ista_rate(lasso):
    f, l1, x_star, f_star, L = lasso
    x0 = np.zeros(30)
    gap = _run(optim.ProximalGradient(lr=1.0 / L), f, x0, 500, prox=l1).trace["fun"] - f_star
    k = np.arange(1, len(gap))
    r0 = float((x0 - x_star) @ (x0 - x_star))
    assert np.all(gap[1:] <= L * r0 / (2 * k) * SLACK + 1e-12 * abs(f_star))


def test_fista_rate(lasso):
    f, l1, x_star, f_star, L = lasso
    x0 = np.zeros(30)
    fista = optim.FISTA(lr=1.0 / L, restart=False)
    gap = _run(fista, f, x0, 500, prox=l1).trace["fun"] - f_star
    k = np.arange(len(gap))
    r0 = float((x0 - x_star) @ (x0 - x_star))
    assert np.all(gap <= 2 * L * r0 / (k + 1) ** 2 * SLACK + 1e-12 * abs(f_star))
    # And the bound is not vacuous: it is met within a factor 100 somewhere.
    assert np.any(gap[1:] * 100 > 2 * L * r0 / (k[1:] + 1) ** 2)


@pytest.mark.parametrize("method", [optim.FISTA(), optim.ProximalGradient()], ids=repr)
def test_lasso_matches_scikit_learn(method):
    from sklearn.linear_model import Lasso

    rng = np.random.default_rng(2)
    X = rng.standard_normal((100, 12))
    y = X[:, :4] @ np.array([3.0, -2.0, 1.0, 0.5]) + 0.5 * rng.standard_normal(100)
    alpha = 0.2
    sk = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100000).fit(X, y)

    def f(w):
        return 0.5 * anp.mean((y - X @ w) ** 2)

    l1 = optim.prox.L1(alpha)
    sk_obj = f(sk.coef_) + l1.value(sk.coef_)
    result = method.minimize(f, np.zeros(12), prox=l1, max_iter=20000, tol=1e-10)
    assert result.converged, result.message
    assert abs(result.fun - sk_obj) / sk_obj <= 1e-9
    np.testing.assert_array_equal(result.x == 0, sk.coef_ == 0)
    assert 0 < (sk.coef_ == 0).sum() < 12


def _logistic():
    X, y = make_classification(300, 10, n_informative=5, random_state=0)
    s = 2.0 * y - 1.0

    def loss(w):
        return anp.mean(anp.logaddexp(0.0, -s * (X @ w[:-1] + w[-1]))) + 0.01 * anp.sum(w**2)

    return loss, np.zeros(11)


def test_newton_converges_quadratically():
    loss, x0 = _logistic()
    result = optim.Newton().minimize(loss, x0, tol=1e-14)
    gnorm = result.trace["grad_norm"]
    # Near the optimum ||g_{k+1}|| <= C ||g_k||^2 (C = M / (2 mu^2), M the Lipschitz constant
    # of the Hessian; about 7 here). Below ||g|| ~ 1e-8 the decrease g^2 / mu is under the
    # rounding of f, so whether the line search takes the full step depends on how the BLAS
    # rounds: those pairs say nothing about the rate.
    pairs = [(a, b) for a, b in zip(gnorm[:-1], gnorm[1:]) if 1e-8 < a < 1e-2]
    assert len(pairs) >= 1
    for a, b in pairs:
        assert b <= 20.0 * a * a, (a, b)
    assert result.n_iter <= 8


def rosenbrock(x):
    return anp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


@pytest.mark.parametrize(
    "problem",
    [_logistic(), (rosenbrock, np.array([-1.2, 1.0])), (rosenbrock, np.full(6, -1.0))],
    ids=["logistic", "rosenbrock2", "rosenbrock6"],
)
def test_lbfgs_iterations_within_1_5x_scipy(problem):
    f, x0 = problem
    ours = optim.LBFGS().minimize(f, x0, tol=1e-8)
    ref = scipy.optimize.minimize(
        f,
        x0,
        jac=autograd.grad(f),
        method="L-BFGS-B",
        options={"gtol": 1e-8, "ftol": 0.0, "maxcor": 10, "maxiter": 10000},
    )
    assert ours.converged and np.linalg.norm(ref.jac) <= 1e-6
    assert ours.fun <= ref.fun + 1e-12 * max(1.0, abs(ref.fun))
    assert ours.n_iter <= 1.5 * ref.nit, (ours.n_iter, ref.nit)
