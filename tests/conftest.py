"""Shared test fixtures: reference data sets and the finite-difference gradient check."""

import numpy as np
import pytest

from gradscratch.datasets import load_diabetes, make_regression


def finite_difference_gradient(f, x, eps=1e-6):
    """Central differences of f at x, coordinate by coordinate."""
    x = np.asarray(x, dtype=np.float64)
    grad = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps * max(1.0, abs(x[i]))
        grad[i] = (f(x + e) - f(x - e)) / (2 * e[i])
    return grad


def assert_gradient_matches(f, x, rtol=1e-5, atol=1e-7):
    """autograd's gradient of f at x equals central finite differences."""
    import autograd

    np.testing.assert_allclose(
        autograd.grad(f)(x), finite_difference_gradient(f, x), rtol=rtol, atol=atol
    )


@pytest.fixture(scope="session")
def diabetes_standardized():
    X, y = load_diabetes(return_X_y=True, scaled=False)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


@pytest.fixture(scope="session")
def correlated_regression():
    X, y = make_regression(300, 12, noise=5.0, bias=7.0, correlation=0.9, random_state=0)
    return X + 3.0, y
