"""scipy's conventions in optim (success, nit, jac, args) and the mistakes that get a message
saying what to write instead."""

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from scipy.optimize import minimize as scipy_minimize

import optim
from gradscratch import GradientBoostingRegressor, Ridge

RNG = np.random.default_rng(3)
X = RNG.standard_normal((60, 3))
Y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * RNG.standard_normal(60)


def mse(w, X, y):
    return anp.mean((X @ w - y) ** 2)


def test_the_result_has_scipy_s_names():
    r = optim.LBFGS().minimize(mse, np.zeros(3), args=(X, Y))
    assert r.success is r.converged is True and r.nit == r.n_iter == r["nit"]
    assert "success" in r and r.get("nit") == r.n_iter
    assert (r.nfev, r.njev, r.nhev) == (r.n_fev, r.n_gev, r.n_hev)
    r.nit = 7  # an alias, not a copy
    assert r.n_iter == 7
    ref = scipy_minimize(mse, np.zeros(3), args=(X, Y), method="BFGS")
    np.testing.assert_allclose(r.x, ref.x, rtol=1e-5)
    # jac: the gradient of f at x (zero at this unconstrained minimum, to tol).
    expected = 2.0 * X.T @ (X @ r.x - Y) / len(Y)
    np.testing.assert_allclose(r.jac, expected, rtol=1e-10, atol=1e-15)
    assert np.max(np.abs(r.jac)) <= 1e-8


def test_args_follow_data_and_are_never_sliced():
    def weighted(w, X, y, weight):
        return weight * anp.mean((X @ w - y) ** 2)

    full = optim.LBFGS().minimize(weighted, np.zeros(3), data=(X, Y), args=(3.0,))
    plain = optim.LBFGS().minimize(weighted, np.zeros(3), args=(X, Y, 3.0))
    np.testing.assert_allclose(full.x, plain.x, rtol=1e-12)
    single = optim.LBFGS().minimize(lambda w, c: anp.sum((w - c) ** 2), np.zeros(2), args=2.0)
    np.testing.assert_allclose(single.x, [2.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        sgd = optim.Adam(lr=0.05).minimize(
            weighted, np.zeros(3), data=(X, Y), args=(3.0,), batch_size=20, max_iter=300
        )
    np.testing.assert_allclose(sgd.x, plain.x, atol=0.05)


def test_a_model_s_jac_is_in_its_own_units():
    model = Ridge(alpha=1.0).fit(X, Y)
    r = model.optim_result_
    assert r.jac.shape == r.x.shape and np.max(np.abs(r.jac)) < 1e-6


def test_a_class_for_an_instance_says_to_write_parentheses():
    with pytest.raises(TypeError, match=r"LBFGS.minimize was called on the class.*LBFGS\(\)"):
        optim.LBFGS.minimize(mse, np.zeros(3), args=(X, Y))
    with pytest.raises(TypeError, match=r"optimizer=optim.LBFGS\(\)"):
        Ridge(optimizer=optim.LBFGS).fit(X, Y)
    with pytest.raises(TypeError, match=r"optimizer=optim.Newton\(\)"):
        GradientBoostingRegressor(optimizer=optim.Newton, n_estimators=2).fit(X, Y)
    with pytest.raises(TypeError, match=r"prox=optim.prox.L1\(...\)"):
        optim.FISTA().minimize(mse, np.zeros(3), prox=optim.prox.L1, args=(X, Y))
    assert "Minimize f(x)" in optim.LBFGS.minimize.__doc__  # still documented on the class


def test_a_plain_function_as_prox_says_how_to_wrap_it():
    def soft(x, step):
        return np.sign(x) * np.maximum(np.abs(x) - step, 0.0)

    with pytest.raises(TypeError, match="subclass optim.prox.Prox"):
        optim.FISTA().minimize(mse, np.zeros(3), prox=soft, args=(X, Y))

    class Soft(optim.prox.Prox):  # what the message says to write
        def _value(self, x):
            return np.sum(np.abs(x))

        def _prox(self, x, step):
            return soft(x, step)

    r = optim.FISTA().minimize(mse, np.zeros(3), prox=Soft(), args=(X, Y))
    ref = optim.FISTA().minimize(mse, np.zeros(3), prox=optim.prox.L1(1.0), args=(X, Y))
    np.testing.assert_allclose(r.x, ref.x, rtol=1e-10)


@pytest.mark.parametrize(
    "objective", [lambda x: 3.0, lambda x: np.float64(2.0)], ids=["float", "numpy scalar"]
)
def test_a_constant_objective_says_it_does_not_depend_on_x(objective):
    with pytest.raises(ValueError, match="does not depend on x.*autograd.numpy"):
        optim.LBFGS().minimize(objective, np.zeros(2))


@pytest.mark.parametrize(
    "objective",
    [lambda x: float(anp.sum(x**2)), lambda x: anp.sum(x**2).item(), lambda x: x.dot(x)],
    ids=["float()", ".item()", ".dot"],
)
def test_an_untraced_objective_says_to_use_autograd_numpy(objective):
    with pytest.raises(TypeError, match="autograd cannot follow.*autograd.numpy"):
        optim.LBFGS().minimize(objective, np.zeros(2))


def test_an_objective_that_writes_in_place_says_what_to_build_instead():
    def assigns_into_x(x):
        x[0] = 1.0
        return anp.sum(x**2)

    def assigns_into_a_buffer(x):
        a = np.zeros(2)
        a[0] = x[0]
        return anp.sum(a**2)

    for f in (assigns_into_x, assigns_into_a_buffer):
        with pytest.raises(TypeError, match=r"in place.*np.concatenate"):
            optim.GradientDescent().minimize(f, np.zeros(2))
