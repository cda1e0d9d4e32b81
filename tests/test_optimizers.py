"""The ten optimizers against scipy's L-BFGS-B, the update rules against their formulas, the
schedules, the prox rule, and bad input."""

import pickle
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize

import optim
from gradscratch.datasets import make_classification
from optim.schedules import Constant, Cosine, InverseTime

# Data of the logistic problem below: 200 samples, 10 features and an intercept; with the L2
# term 0.05 ||w||^2 the Hessian's eigenvalues lie in [0.1, L], L = lambda_max(X^T X) / (4n) + 0.1.
X_LOG, Y_LOG = make_classification(200, 10, n_informative=4, random_state=3)
X_LOG = np.hstack([X_LOG, np.ones((len(X_LOG), 1))])
L_LOG = float(np.linalg.eigvalsh(X_LOG.T @ X_LOG / (4 * len(X_LOG)))[-1]) + 0.1


def logistic(w):
    s = 2.0 * Y_LOG - 1.0
    return anp.mean(anp.logaddexp(0.0, -s * (X_LOG @ w))) + 0.05 * anp.sum(w[:-1] ** 2)


@pytest.fixture(scope="module")
def f_star():
    ref = scipy.optimize.minimize(
        logistic,
        np.zeros(X_LOG.shape[1]),
        jac=autograd.grad(logistic),
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000},
    )
    assert ref.success
    return ref.fun


# Step sizes: 1/L for the fixed-step methods; the adaptive methods' lr is per coordinate and
# scale-free (a step of about lr in each coordinate at first), so it is chosen against the
# size of the solution (|w*| ~ 0.5): the library defaults (1e-2, 1e-3, 1e-3) also reach 1e-4
# within 20000 iterations here (measured: AdaGrad 3e-7, RMSProp 2e-6, Adam 2e-16) but need
# seconds; RMSProp's constant-lr oscillation is annealed away by a cosine schedule.
TEN = {
    "GradientDescent": (optim.GradientDescent(), 1e-8),
    "GradientDescent(lr=1/L)": (optim.GradientDescent(lr=1.0 / L_LOG), 1e-8),
    "Momentum": (optim.Momentum(lr=1.0 / L_LOG, momentum=0.9), 1e-8),
    "Nesterov": (optim.Nesterov(), 1e-8),
    "AdaGrad": (optim.AdaGrad(lr=0.5), 1e-4),
    "RMSProp": (optim.RMSProp(lr=Cosine(0.01, 3000)), 1e-4),
    "Adam": (optim.Adam(lr=0.01), 1e-4),
    "LBFGS": (optim.LBFGS(), 1e-8),
    "Newton": (optim.Newton(), 1e-8),
    "ProximalGradient": (optim.ProximalGradient(), 1e-8),
    "FISTA": (optim.FISTA(), 1e-8),
}


@pytest.mark.parametrize("name", list(TEN))
def test_reaches_scipy_optimum_of_logistic_loss(name, f_star):
    optimizer, rtol = TEN[name]
    with warnings.catch_warnings():
        # The adaptive methods need not meet the gradient tolerance; suboptimality is the test.
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optimizer.minimize(logistic, np.zeros(X_LOG.shape[1]), max_iter=20000, tol=1e-9)
    assert (result.fun - f_star) / abs(f_star) <= rtol, result.message
    assert result.fun == pytest.approx(logistic(result.x), rel=1e-14)
    assert len(result.trace["fun"]) == result.n_iter + 1


def test_adaptive_defaults_are_the_literature_ones():
    assert optim.Adam().get_params() == {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8}
    assert optim.RMSProp().get_params() == {"lr": 1e-3, "decay": 0.9, "eps": 1e-8}
    assert optim.AdaGrad().get_params() == {"lr": 0.01, "eps": 1e-10}
    assert optim.Momentum().get_params() == {"lr": 0.01, "momentum": 0.9}


def test_update_rules_match_their_formulas():
    g1, g2 = np.array([1.0, -2.0]), np.array([0.5, 4.0])
    # Adam: after one step the bias-corrected step is -lr * sign(g) (up to eps).
    adam = optim.Adam(lr=0.1)
    step, state = adam.update(g1, adam.init(np.zeros(2)))
    np.testing.assert_allclose(step, -0.1 * np.sign(g1), rtol=1e-7)
    step, state = adam.update(g2, state)
    m = (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9**2)
    v = (0.999 * 0.001 * g1**2 + 0.001 * g2**2) / (1 - 0.999**2)
    np.testing.assert_allclose(step, -0.1 * m / (np.sqrt(v) + 1e-8))
    # AdaGrad and RMSProp.
    ada = optim.AdaGrad(lr=0.1, eps=0.0 + 1e-300)
    _, state = ada.update(g1, ada.init(np.zeros(2)))
    step, _ = ada.update(g2, state)
    np.testing.assert_allclose(step, -0.1 * g2 / np.sqrt(g1**2 + g2**2))
    rms = optim.RMSProp(lr=0.1, decay=0.5, eps=1e-300)
    _, state = rms.update(g1, rms.init(np.zeros(2)))
    step, _ = rms.update(g2, state)
    np.testing.assert_allclose(step, -0.1 * g2 / np.sqrt(0.25 * g1**2 + 0.5 * g2**2))
    # Heavy ball: v2 = momentum * v1 - lr g2.
    hb = optim.Momentum(lr=0.1, momentum=0.5)
    _, state = hb.update(g1, hb.init(np.zeros(2)))
    step, _ = hb.update(g2, state)
    np.testing.assert_allclose(step, 0.5 * (-0.1 * g1) - 0.1 * g2)
    # Without a state the rules start from init (reuse outside the loop).
    step, _ = optim.GradientDescent(lr=0.5).update(g1, None)
    np.testing.assert_allclose(step, -0.5 * g1)
    for rule in (optim.Momentum(lr=0.5), optim.Nesterov(lr=0.5)):
        step, state = rule.update(g1, None)
        np.testing.assert_allclose(step, -0.5 * g1)
        assert state["k"] == 1
    step, state = optim.AdaGrad(lr=0.5).update(g1, None)
    np.testing.assert_allclose(step, -0.5 * np.sign(g1), rtol=1e-9)


def test_schedules():
    assert Constant(0.3)(100) == 0.3
    assert InverseTime(1.0, decay=0.5)(4) == pytest.approx(1.0 / 3.0)
    assert InverseTime(1.0, decay=1.0, power=0.5)(3) == pytest.approx(0.5)
    cos = Cosine(1.0, 10, lr_min=0.1)
    assert cos(0) == 1.0 and cos(10) == pytest.approx(0.1) and cos(20) == pytest.approx(0.1)
    assert cos(5) == pytest.approx(0.55)
    both = Cosine(1.0, 10) * InverseTime(2.0, decay=1.0) * 0.5
    assert both(5) == pytest.approx(0.5 * 1.0 / 6.0 * 2.0 * 0.5)
    with pytest.raises(ValueError, match="n_steps"):
        Cosine(1.0, 0)
    with pytest.raises(ValueError, match="lr > 0"):
        InverseTime(-1.0)


@pytest.mark.parametrize(
    "optimizer",
    [
        optim.GradientDescent(lr=InverseTime(0.5, decay=0.01)),
        optim.Momentum(lr=InverseTime(0.5, decay=0.01)),
        optim.Nesterov(lr=InverseTime(0.5, decay=0.01)),
        optim.AdaGrad(lr=InverseTime(0.5, decay=0.01)),
        optim.RMSProp(lr=InverseTime(0.5, decay=0.01)),
        optim.Adam(lr=InverseTime(0.5, decay=0.01)),
    ],
    ids=lambda o: type(o).__name__,
)
def test_schedule_is_used_at_every_step(optimizer):
    """The trace's step size is the schedule's lr_k, k = 0, 1, ...; a callable works too."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optimizer.minimize(logistic, np.zeros(X_LOG.shape[1]), max_iter=20, tol=0)
        plain = optimizer.set_params(lr=lambda k: 0.5 / (1 + 0.01 * k))
        again = plain.minimize(logistic, np.zeros(X_LOG.shape[1]), max_iter=20, tol=0)
    np.testing.assert_allclose(result.trace["step_size"][1:], 0.5 / (1 + 0.01 * np.arange(20)))
    np.testing.assert_array_equal(result.x, again.x)


@pytest.mark.parametrize(
    "optimizer",
    [optim.Momentum(lr=0.1, momentum=0.5), optim.AdaGrad(lr=0.5), optim.Adam(lr=Cosine(0.1, 4000))],
    ids=lambda o: type(o).__name__,
)
def test_prox_rule_reaches_the_lasso_solution(optimizer):
    """Applying the prox after the step (per coordinate for the adaptive methods) solves the
    composite problem: same solution, with exact zeros, as FISTA."""
    rng = np.random.default_rng(0)
    A = rng.standard_normal((60, 8))
    b = A @ np.array([1.0, -2.0, 0, 0, 0.5, 0, 0, 0]) + 0.1 * rng.standard_normal(60)

    def f(x):
        return 0.5 * anp.mean((b - A @ x) ** 2)

    l1 = optim.prox.L1(0.1)
    ref = optim.FISTA().minimize(f, np.zeros(8), prox=l1, tol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optimizer.minimize(f, np.zeros(8), prox=l1, max_iter=4000, tol=1e-10)
    assert (result.fun - ref.fun) / ref.fun <= 1e-6
    np.testing.assert_array_equal(result.x == 0, ref.x == 0)
    assert (ref.x == 0).sum() >= 3


def test_prox_is_applied_with_the_per_coordinate_step():
    """One Adam step with a prox is prox(x + s, eta) with eta = lr / (sqrt(v_hat) + eps)."""
    adam = optim.Adam(lr=0.1)
    calls = []

    class Spy(optim.prox.L1):
        def prox(self, x, step):
            calls.append(np.broadcast_to(step, x.shape).copy())
            return super().prox(x, step)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        adam.minimize(
            lambda x: anp.sum((x - 3.0) ** 2 * np.array([1.0, 4.0])),
            np.zeros(2),
            prox=Spy(1.0),
            max_iter=1,
        )
    # calls[0] is the stationarity measure at x0 (step 1); calls[1] is the step.
    np.testing.assert_allclose(calls[1], [0.1 / 6.0, 0.1 / 24.0], rtol=1e-6)


def test_optimizers_pickle_and_compare():
    for optimizer, _ in TEN.values():
        assert pickle.loads(pickle.dumps(optimizer)) == optimizer
    assert "betas=(0.9, 0.999)" in repr(optim.Adam())


BAD_PARAMS = [
    (optim.Momentum(lr=-1.0), "lr > 0"),
    (optim.Momentum(momentum=1.0), "momentum in"),
    (optim.Adam(betas=(0.9,)), "betas"),
    (optim.Adam(betas=(0.9, 1.0)), r"betas\[1\]"),
    (optim.RMSProp(decay=-0.1), "decay"),
    (optim.AdaGrad(eps=0.0), "eps > 0"),
    (optim.GradientDescent(lr="big"), "lr > 0"),
    (optim.Nesterov(lr=lambda k: -1.0), "lr\\(0\\)"),
]


@pytest.mark.parametrize("optimizer,match", BAD_PARAMS, ids=lambda p: repr(p)[:40])
def test_bad_hyperparameters(optimizer, match):
    with pytest.raises(ValueError, match=match):
        optimizer.minimize(logistic, np.zeros(X_LOG.shape[1]))


FAMILY = [
    optim.GradientDescent(),
    optim.GradientDescent(lr=0.1),
    optim.Momentum(),
    optim.Nesterov(),
    optim.AdaGrad(),
    optim.RMSProp(),
    optim.Adam(),
    optim.LBFGS(),
    optim.Newton(),
    optim.ProximalGradient(),
    optim.FISTA(),
]


@pytest.mark.parametrize("optimizer", FAMILY, ids=repr)
def test_bad_input_gets_a_clear_error(optimizer):
    with pytest.raises(ValueError, match="NaN or inf"):
        optimizer.minimize(logistic, np.array([np.inf] + [0.0] * 10))
    with pytest.raises(TypeError, match="must return a scalar"):
        optimizer.minimize(lambda x: x**2, np.ones(3))
    if optimizer.accepts_prox:
        with pytest.raises(ValueError, match="mask has shape"):
            optimizer.minimize(logistic, np.zeros(11), prox=optim.prox.L1(0.1, mask=[True] * 10))
    else:
        with pytest.raises(ValueError, match="does not handle a non-smooth term"):
            optimizer.minimize(logistic, np.zeros(11), prox=optim.prox.L1(0.1))


def nan_beyond_two(x):
    """A bowl centred at 5 that is undefined (NaN) for x[0] > 2."""
    return anp.sum((x - 5.0) ** 2) + anp.where(x[0] > 2.0, anp.nan, 0.0)


@pytest.mark.parametrize(
    "optimizer",
    [
        optim.GradientDescent(lr=0.1),
        optim.Momentum(lr=0.1),
        optim.Nesterov(lr=0.1),
        optim.AdaGrad(lr=1.0),
        optim.RMSProp(lr=0.1),
        optim.Adam(lr=0.1),
    ],
    ids=repr,
)
def test_nan_mid_run_stops_with_best_finite_point(optimizer):
    with pytest.warns(optim.ConvergenceWarning, match="did not converge"):
        result = optimizer.minimize(nan_beyond_two, np.zeros(2), max_iter=500)
    assert not result.converged
    assert result.status == optim.Status.NON_FINITE
    assert "became nan" in result.message
    assert result.x[0] <= 2.0 and np.isfinite(result.fun)
    assert result.fun == pytest.approx(nan_beyond_two(result.x))
    assert np.all(np.isfinite(result.trace["fun"]))


def test_line_search_methods_back_off_from_nan():
    result = optim.LBFGS().minimize(lambda x: anp.sum((x - 1.0) ** 2), np.zeros(2))
    assert result.converged
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optim.GradientDescent().minimize(nan_beyond_two, np.zeros(2), max_iter=200)
    assert result.x[0] <= 2.0 and np.isfinite(result.fun)
