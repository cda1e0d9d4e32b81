"""The elementwise losses: values against their formulas, finite-difference gradients, and
no overflow for huge margins."""

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

from gradscratch import losses
from tests.conftest import assert_gradient_matches

RNG = np.random.default_rng(0)
Y01 = (RNG.uniform(size=7) < 0.5).astype(float)
F7 = RNG.normal(scale=2.0, size=7)
Y1H = np.eye(4)[RNG.integers(0, 4, size=6)]
F64 = RNG.normal(scale=2.0, size=(6, 4))


@pytest.mark.parametrize(
    "loss, y, F",
    [
        (losses.squared_error, F7 + 1.0, F7),
        (losses.half_squared_error, F7 + 1.0, F7),
        (losses.binary_log_loss, Y01, F7),
        (losses.multinomial_log_loss, Y1H, F64),
    ],
)
def test_gradient_matches_finite_differences(loss, y, F):
    weights = np.linspace(0.5, 1.5, len(y))

    def total(flat):
        return anp.dot(weights, loss(y, anp.reshape(flat, F.shape)))

    assert_gradient_matches(total, F.ravel())


def test_log_softmax_gradient_matches_finite_differences():
    assert_gradient_matches(
        lambda f: anp.sum(losses.log_softmax(anp.reshape(f, (6, 4)))[:, 1]), F64.ravel()
    )


def test_values_match_the_formulas():
    p = 1 / (1 + np.exp(-F7))
    expected = -(Y01 * np.log(p) + (1 - Y01) * np.log(1 - p))
    np.testing.assert_allclose(losses.binary_log_loss(Y01, F7), expected, rtol=1e-12)
    P = np.exp(F64) / np.exp(F64).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(
        losses.multinomial_log_loss(Y1H, F64), -np.log(np.sum(Y1H * P, axis=1)), rtol=1e-12
    )
    np.testing.assert_allclose(losses.squared_error(3.0, 1.0), 4.0)
    np.testing.assert_allclose(losses.half_squared_error(3.0, 1.0), 2.0)


def test_huge_margins_do_not_overflow():
    F = np.array([-1e308, -800.0, 800.0, 1e308])
    with np.errstate(over="raise", invalid="raise"):
        value = losses.binary_log_loss(np.array([0.0, 1.0, 0.0, 1.0]), F)
    np.testing.assert_allclose(value, [0.0, 800.0, 800.0, 0.0])
    grad = autograd.grad(lambda f: anp.sum(losses.binary_log_loss(np.ones(2), f)))(
        np.array([-800.0, 800.0])
    )
    np.testing.assert_allclose(grad, [-1.0, 0.0])
    Fm = np.array([[1000.0, 0.0, -1000.0], [-1e300, 1e300, 0.0]])
    value = losses.multinomial_log_loss(np.eye(3)[[2, 1]], Fm)
    np.testing.assert_allclose(value, [2000.0, 0.0])
    assert np.all(np.isfinite(autograd.grad(lambda f: anp.sum(losses.logsumexp(f)))(Fm)))


def test_logsumexp_second_derivatives_are_exact():
    # The max shift is a constant outside autograd's trace: the Hessian must still be the
    # softmax covariance diag(p) - p p^T, row by row.
    F = F64[:2]
    H = autograd.hessian(lambda f: anp.sum(losses.logsumexp(anp.reshape(f, F.shape))))(F.ravel())
    P = np.exp(F) / np.exp(F).sum(axis=1, keepdims=True)
    expected = np.zeros((F.size, F.size))
    for i, p in enumerate(P):
        block = slice(4 * i, 4 * i + 4)
        expected[block, block] = np.diag(p) - np.outer(p, p)
    np.testing.assert_allclose(H, expected, atol=1e-12)
