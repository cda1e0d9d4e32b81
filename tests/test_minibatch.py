"""Minibatch runs: least squares on 100000 samples against the exact solution, determinism,
the per-epoch trace, progress bar, and the errors."""

import warnings

import autograd.numpy as anp
import numpy as np
import pytest

import optim
from optim.schedules import InverseTime

N, P = 100_000, 10


@pytest.fixture(scope="module")
def least_squares():
    rng = np.random.default_rng(42)
    X = rng.standard_normal((N, P)) * np.linspace(0.5, 2.0, P)
    y = X @ rng.standard_normal(P) + 3.0 + rng.standard_normal(N)
    X = np.hstack([X, np.ones((N, 1))])
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    f_star = 0.5 * np.mean((y - X @ w_star) ** 2)
    return X, y, f_star


def mse(w, X, y):
    return 0.5 * anp.mean((y - X @ w) ** 2)


# Three epochs of batch 200 (500 steps each); SGD's lr is below 1/L for a batch (L ~ 4).
# Measured after 3 epochs: SGD 0.13%, Adam 0.16% above the optimum.
STOCHASTIC = {
    "SGD": optim.GradientDescent(lr=0.05),
    "Adam": optim.Adam(lr=0.01),
}


@pytest.mark.parametrize("name", list(STOCHASTIC))
def test_minibatch_reaches_one_percent_of_optimum(name, least_squares):
    X, y, f_star = least_squares
    opt = STOCHASTIC[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        run = [
            opt.minimize(
                mse, np.zeros(P + 1), data=(X, y), batch_size=200, max_iter=3, random_state=7
            )
            for _ in range(2)
        ]
    result = run[0]
    assert result.n_iter == 3 and len(result.trace["fun"]) == 4
    assert (result.fun - f_star) / f_star <= 0.01
    assert result.trace["fun"][0] / f_star > 5  # the start is far from the optimum
    # The trace holds the full objective after each epoch; the result is the best epoch.
    assert result.fun == pytest.approx(mse(result.x, X, y), rel=1e-12)
    assert result.fun == result.trace["fun"].min()
    np.testing.assert_array_equal(result.x, run[1].x)
    np.testing.assert_array_equal(result.trace["fun"], run[1].trace["fun"])


def test_same_seed_same_result_other_seed_other_result():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((500, 3)), rng.standard_normal(500)
    kw = {"data": (X, y), "batch_size": 32, "max_iter": 2}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        a = optim.Momentum(lr=0.01).minimize(mse, np.zeros(3), random_state=1, **kw)
        b = optim.Momentum(lr=0.01).minimize(
            mse, np.zeros(3), random_state=np.random.default_rng(1), **kw
        )
        c = optim.Momentum(lr=0.01).minimize(mse, np.zeros(3), random_state=2, **kw)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)


@pytest.mark.parametrize(
    "optimizer",
    [
        optim.GradientDescent(lr=InverseTime(0.1, decay=1e-3)),
        optim.Momentum(lr=0.02),
        optim.Nesterov(lr=0.02, momentum=0.9),
        optim.AdaGrad(lr=0.5),
        optim.RMSProp(lr=InverseTime(0.02, decay=1e-2)),
        optim.Adam(lr=InverseTime(0.05, decay=1e-2)),
    ],
    ids=repr,
)
def test_every_stochastic_optimizer_converges_on_small_problem(optimizer):
    """Full-data batches are the deterministic method: with tol on the full gradient norm
    the run converges; small batches get close."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((400, 4))
    y = X @ np.array([1.0, -1.0, 2.0, 0.5]) + 0.5 * rng.standard_normal(400)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    f_star = mse(w_star, X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optimizer.minimize(
            mse, np.zeros(4), data=(X, y), batch_size=20, max_iter=30, random_state=0
        )
    assert (result.fun - f_star) / f_star <= 0.02
    assert np.all(result.trace["step_size"][1:] > 0)


def test_minibatch_with_prox_and_counts_epochs():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((1000, 6))
    y = X @ np.array([2.0, 0, 0, -1.0, 0, 0]) + 0.1 * rng.standard_normal(1000)
    l1 = optim.prox.L1(0.2)
    ref = optim.FISTA().minimize(mse, np.zeros(6), prox=l1, data=(X, y), tol=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        result = optim.GradientDescent(lr=InverseTime(0.1, decay=0.01)).minimize(
            mse, np.zeros(6), prox=l1, data=(X, y), batch_size=50, max_iter=20, random_state=0
        )
    assert result.n_iter == 20
    assert (result.fun - ref.fun) / ref.fun <= 1e-3
    np.testing.assert_array_equal(result.x == 0, ref.x == 0)


def test_tol_and_callback_stop_minibatch_runs():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((200, 2))
    y = X @ np.array([1.0, 2.0])  # noiseless: the minibatch gradients vanish at the optimum
    result = optim.GradientDescent(lr=0.1).minimize(
        mse, np.zeros(2), data=(X, y), batch_size=10, max_iter=1000, tol=1e-10, random_state=0
    )
    assert result.converged and result.n_iter < 1000 and "Gradient norm below tol" in result.message
    result = optim.Adam(lr=0.01).minimize(
        mse, np.zeros(2), data=(X, y), batch_size=10, callback=lambda r: r.n_iter == 2
    )
    assert result.converged and result.n_iter == 2


def test_verbose_shows_a_progress_bar(capsys):
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((100, 2)), rng.standard_normal(100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        optim.Adam().minimize(
            mse, np.zeros(2), data=(X, y), batch_size=10, max_iter=3, verbose=True
        )
        optim.GradientDescent().minimize(lambda w: anp.sum(w**2), np.ones(2), verbose=True)
    err = capsys.readouterr().err
    assert "Adam" in err and "3/3" in err and "gnorm=" in err and "f=" in err
    assert "GradientDescent" in err


def test_minibatch_errors():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((50, 2)), rng.standard_normal(50)
    for opt in (optim.LBFGS(), optim.Newton(), optim.GradientDescent(), optim.FISTA()):
        with pytest.raises(NotImplementedError, match="does not run on minibatches"):
            opt.minimize(mse, np.zeros(2), data=(X, y), batch_size=10)
    with pytest.raises(ValueError, match="batch_size must be an integer"):
        optim.Adam().minimize(mse, np.zeros(2), data=(X, y), batch_size=0)
    with pytest.raises(ValueError, match="same number of samples"):
        optim.Adam().minimize(mse, np.zeros(2), data=(X, y[:10]), batch_size=5)
    with pytest.raises(ValueError, match="need data"):
        optim.Adam().minimize(lambda w: anp.sum(w**2), np.zeros(2), batch_size=5)
    with pytest.raises(ValueError, match="NaN or inf"):
        optim.Adam().minimize(mse, np.array([np.nan, 0.0]), data=(X, y), batch_size=5)


def test_minibatch_nan_mid_run_returns_best_finite_epoch():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((100, 2))
    y = X @ np.array([5.0, 5.0])

    def f(w, X, y):
        return 0.5 * anp.mean((y - X @ w) ** 2) + anp.where(w[0] > 2.0, anp.nan, 0.0)

    with pytest.warns(optim.ConvergenceWarning, match="did not converge"):
        result = optim.GradientDescent(lr=0.02).minimize(
            f, np.zeros(2), data=(X, y), batch_size=10, max_iter=100, random_state=0
        )
    assert "became nan" in result.message
    assert result.x[0] <= 2.0 and np.isfinite(result.fun)
    assert result.fun == pytest.approx(f(result.x, X, y))
    assert len(result.trace["fun"]) == result.n_iter + 1
