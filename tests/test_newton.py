"""optim.Newton, the trust-region Newton method: its subproblem against brute force, saddles
and singular Hessians, the structured-Hessian option, the diagonal rule boosting uses, the CG
variant at n = 300, and an honest failure when the trust region collapses."""

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize

import optim
from gradscratch import LinearRegression
from gradscratch.datasets import make_classification
from optim.newton import newton_direction, trust_region_step

DENSE_AND_CG = [optim.Newton(), optim.Newton(hessian="cg")]


def _model(g, H, p):
    return g @ p + 0.5 * p @ H @ p


# --- the subproblem ---------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_subproblem_is_the_minimum_over_the_ball(seed):
    """min g.p + p.Hp/2 over ||p|| <= radius: no sampled point of the ball does better,
    including hard cases (g orthogonal to the lowest eigenvector, seeds 4..7)."""
    rng = np.random.default_rng(seed)
    n = 4
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.sort(rng.standard_normal(n) * 2)
    g = Q @ rng.standard_normal(n)
    if seed >= 4:
        g -= (Q[:, 0] @ g) * Q[:, 0]  # the hard case: no gradient along q_1
    H = (Q * lam) @ Q.T
    radius = 10.0 ** rng.uniform(-1, 1)
    p, decrease = trust_region_step(g, radius, lam, Q)
    assert np.linalg.norm(p) <= radius * (1 + 1e-9)
    np.testing.assert_allclose(decrease, -_model(g, H, p), rtol=1e-9, atol=1e-14)
    samples = rng.standard_normal((20000, n))
    samples *= (radius * rng.uniform(0, 1, (20000, 1)) ** (1 / n)) / np.linalg.norm(
        samples, axis=1, keepdims=True
    )
    boundary = samples / np.linalg.norm(samples, axis=1, keepdims=True) * radius
    values = [_model(g, H, s) for s in np.vstack([samples, boundary])]
    assert _model(g, H, p) <= min(values) + 1e-12 * (1 + abs(min(values)))
    if lam[0] < 0:
        assert np.linalg.norm(p) == pytest.approx(radius, rel=1e-9)


def test_hard_case_goes_along_the_negative_curvature():
    lam, Q = np.array([-1.0, 1.0]), np.eye(2)
    p, _ = trust_region_step(np.array([0.0, 1.0]), 2.0, lam, Q)
    # p(1) = (0, -1/2), plus tau q_1 to the boundary.
    np.testing.assert_allclose(np.abs(p), [np.sqrt(4 - 0.25), 0.5], rtol=1e-12)


def test_singular_psd_gives_the_minimum_norm_step():
    rng = np.random.default_rng(0)
    J = rng.standard_normal((3, 6))
    H, g = J.T @ J, J.T @ rng.standard_normal(3)  # rank 3, g in its range
    np.testing.assert_allclose(newton_direction(g, H), -np.linalg.pinv(H) @ g, rtol=1e-8)


def test_diagonal_rule_is_unchanged():
    """Gradient boosting calls update(G, None, H) with leaf sums: -G / (H + damping)."""
    G, H = np.array([2.0, -4.0, 0.3]), np.array([2.0, 8.0, 0.7])
    for damping in (0.0, 1.0):
        step, state = optim.Newton(damping=damping).update(G, None, H)
        np.testing.assert_array_equal(step, -G / (H + damping))
        assert state is None
    np.testing.assert_array_equal(newton_direction(G, H, 0.5), -G / (H + 0.5))


# --- indefinite and singular Hessians ---------------------------------------------------------
def saddle(x):
    return x[0] ** 2 - x[1] ** 2 + x[1] ** 4


@pytest.mark.parametrize("optimizer", DENSE_AND_CG, ids=repr)
@pytest.mark.parametrize("x0", [[1.0, 0.0], [0.3, 0.0], [-2.0, 0.0], [0.0, 1e-3]])
def test_saddle_starts_reach_a_minimum(optimizer, x0):
    """f = x^2 - y^2 + y^4 from y = 0: the gradient has no y component, the origin is a
    saddle; the minima are (0, +-1/sqrt(2)), f = -1/4."""
    result = optimizer.minimize(saddle, np.array(x0))
    assert result.converged
    np.testing.assert_allclose(np.abs(result.x), [0.0, 1 / np.sqrt(2)], atol=1e-8)
    assert result.fun == pytest.approx(-0.25, abs=1e-15)


def double_well(x):
    return (x[0] ** 2 - 1.0) ** 2 + x[1] ** 2 + 0.1 * anp.sum(x[2:] ** 2)


@pytest.mark.parametrize("optimizer", DENSE_AND_CG, ids=repr)
def test_negative_curvature_without_gradient_is_not_a_minimum(optimizer):
    """From (0, 1, 1, 1) the gradient lies along x2..x4 while x1 has curvature -4 and no
    gradient: flipping or dropping that curvature converges to the saddle x1 = 0 (f = 1);
    the trust region follows it to x1 = +-1 (f = 0)."""
    result = optimizer.minimize(double_well, np.array([0.0, 1.0, 1.0, 1.0]))
    assert result.converged and result.fun < 1e-15
    np.testing.assert_allclose(np.abs(result.x[0]), 1.0, atol=1e-8)


def inflection(x):
    return x[0] ** 4 - 6.0 * x[0] ** 2 + 4.0 * x[0] + x[1] ** 2


def test_a_gradient_along_zero_curvature_is_followed():
    """The issue's failure mode: at (1, 0) H = diag(0, 2) and g = (-4, 0), so the whole
    gradient lies in the zero-curvature direction, which the old rule dropped (a zero step).
    The trust region steps along it to a minimizer: 4x^3 - 12x + 4 = 0 with 12x^2 > 12."""
    x0 = np.array([1.0, 0.0])
    np.testing.assert_allclose(autograd.hessian(inflection)(x0), np.diag([0.0, 2.0]), atol=0)
    result = optim.Newton().minimize(inflection, x0)
    assert result.converged and result.fun < inflection(x0)
    x = result.x[0]
    assert abs(4 * x**3 - 12 * x + 4) <= 1e-8 and 12 * x**2 > 12 and abs(result.x[1]) <= 1e-8


def test_start_exactly_at_a_saddle():
    """The loop asks the method to certify a point that meets the gradient test, at x0 too:
    Newton refuses the saddle and steps out along its negative curvature."""
    result = optim.Newton().minimize(saddle, np.zeros(2))
    assert result.fun == pytest.approx(-0.25)


def test_minimum_norm_least_squares_when_p_exceeds_n():
    """p > n: X^T X is singular; from x0 = 0 the Newton step is the minimum-norm solution,
    lstsq's, in one step."""
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((15, 40)), rng.standard_normal(15)

    def least_squares(w):
        return 0.5 * anp.sum((anp.dot(X, w) - y) ** 2)

    result = optim.Newton().minimize(least_squares, np.zeros(40))
    min_norm = np.linalg.lstsq(X, y, rcond=None)[0]
    assert result.converged and result.n_iter == 1
    np.testing.assert_allclose(result.x, min_norm, rtol=1e-8, atol=1e-10)


def test_a_quadratic_in_one_step():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((12, 12))
    A = A @ A.T + 0.1 * np.eye(12)
    b = rng.standard_normal(12)

    def quadratic(x):
        return 0.5 * anp.dot(x, anp.dot(A, x)) - anp.dot(b, x)

    result = optim.Newton().minimize(quadratic, np.zeros(12))
    assert result.converged and result.n_iter == 1
    np.testing.assert_allclose(result.x, np.linalg.solve(A, b), rtol=1e-9)
    X = rng.standard_normal((60, 5))
    fit = LinearRegression().fit(X, X @ rng.standard_normal(5) + rng.standard_normal(60))
    assert fit.optim_result_.converged and fit.optim_result_.n_iter == 1


# --- a structured Hessian ---------------------------------------------------------------------
def test_callable_hessian_equals_autograd():
    """Logistic regression with its Hessian X^T D X / n + 2 alpha I given by the caller."""
    X, y = make_classification(300, 6, n_informative=4, random_state=0)
    X = np.hstack([X, np.ones((300, 1))])
    s, alpha = 2.0 * y - 1.0, 0.01

    def loss(w):
        return anp.mean(anp.logaddexp(0.0, -s * anp.dot(X, w))) + alpha * anp.sum(w**2)

    def hess(w):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        return (X.T * (p * (1 - p))) @ X / len(X) + 2 * alpha * np.eye(X.shape[1])

    w = np.linspace(-1, 1, 7)
    np.testing.assert_allclose(hess(w), autograd.hessian(loss)(w), rtol=1e-10, atol=1e-14)
    ours = optim.Newton(hessian=hess).minimize(loss, np.zeros(7), tol=1e-12)
    auto = optim.Newton().minimize(loss, np.zeros(7), tol=1e-12)
    assert ours.converged and auto.converged
    assert ours.n_iter == auto.n_iter and ours.n_hev == auto.n_hev
    np.testing.assert_allclose(ours.x, auto.x, rtol=1e-10, atol=1e-12)


def test_bad_hessian_options():
    with pytest.raises(ValueError, match="must have shape"):
        optim.Newton(hessian=lambda x: np.eye(3)).minimize(saddle, np.ones(2))
    with pytest.raises(ValueError, match="hessian must be"):
        optim.Newton(hessian="exact").minimize(saddle, np.ones(2))


# --- large dimension: Steihaug CG -------------------------------------------------------------
def test_cg_on_300_dimensions(monkeypatch):
    """n = 300 > dense_max: "auto" runs Steihaug CG on Hessian-vector products and never
    builds the dense Hessian; a logistic loss matches scipy's L-BFGS-B at tight tolerances."""
    X, y = make_classification(400, 300, n_informative=20, random_state=0)
    s = 2.0 * y - 1.0

    def loss(w):
        return anp.mean(anp.logaddexp(0.0, -s * anp.dot(X, w))) + 0.01 * anp.sum(w**2)

    def no_dense_hessian(self, x):
        raise AssertionError("the dense Hessian was built")

    monkeypatch.setattr(optim.Problem, "hessian", no_dense_hessian)
    result = optim.Newton().minimize(loss, np.zeros(300))
    assert result.converged and result.n_iter <= 15
    ref = scipy.optimize.minimize(
        loss,
        np.zeros(300),
        jac=autograd.grad(loss),
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 10000},
    )
    assert result.fun <= ref.fun * (1 + 1e-12)
    np.testing.assert_allclose(result.x, ref.x, atol=1e-6 * np.max(np.abs(ref.x)))
    # A saddle at n = 300: the gradient lies along x2..x300, x1 = 0 has curvature -4.
    double = optim.Newton().minimize(double_well, np.r_[0.0, np.ones(299)])
    assert double.converged and double.fun < 1e-15  # escaped by the Lanczos probe


# --- honest failure ---------------------------------------------------------------------------
def test_collapsing_trust_region_is_a_failure():
    """sum |x - 1| (autograd: gradient sign(x - 1), Hessian 0) from x0 = 0.3: the linear model
    is wrong across the kink at every scale, so the radius shrinks until the step no longer
    moves x, with the gradient still 1 in size: a failure, not a convergence."""

    def kink(x):
        return anp.sum(anp.abs(x - 1.0))

    with pytest.warns(optim.ConvergenceWarning, match="trust region shrank"):
        result = optim.Newton().minimize(kink, np.array([0.3, 0.7]))
    assert not result.converged and result.status == optim.Status.LINE_SEARCH
    assert result.stationarity == 1.0 and np.all(np.abs(result.x - 1.0) < 1e-6)


def test_nonfinite_region_is_backed_off():
    def log_barrier(x):
        return anp.sum(x - anp.log(x))  # minimum at 1; NaN for x < 0

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = optim.Newton().minimize(log_barrier, np.array([20.0, 0.05]))
    assert result.converged
    np.testing.assert_allclose(result.x, 1.0, rtol=1e-8)


def test_hessian_vector_products_with_data():
    """Newton-CG and L-BFGS's curvature probe take Hessian-vector products of f(x, *data):
    the vector goes after the data (autograd's signature)."""
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((40, 5)), rng.standard_normal(40)

    def mse(w, X, y):
        return anp.mean((anp.dot(X, w) - y) ** 2)

    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    for optimizer in (optim.Newton(hessian="cg"), optim.LBFGS()):
        result = optimizer.minimize(mse, np.zeros(5), data=(X, y))
        assert result.converged
        np.testing.assert_allclose(result.x, w_star, rtol=1e-6)
