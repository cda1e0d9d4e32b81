"""Proximal operators against their closed forms and against brute-force minimization."""

import numpy as np
import pytest
import scipy.optimize

from optim import prox

RNG = np.random.default_rng(0)
X = RNG.standard_normal(7) * 2.0
STEP = RNG.uniform(0.1, 2.0, 7)

OPERATORS = [
    prox.L1(0.7),
    prox.L2(1.3),
    prox.ElasticNet(0.9, l1_ratio=0.3),
    prox.ElasticNet(0.9, l1_ratio=1.0),
    prox.NonNegative(),
    prox.Box(-0.5, 1.0),
    prox.Box(np.full(7, -1.0), np.linspace(0.0, 2.0, 7)),
]


def _brute_force_prox(operator, x, step):
    """argmin_z g(z) + (z - x)^2 / (2 step), coordinate by coordinate (g is separable)."""
    out = np.empty_like(x)
    for i in range(x.size):

        def h(z, i=i):
            point = x.copy()
            point[i] = z
            return operator.value(point) + (z - x[i]) ** 2 / (2 * step[i])

        out[i] = scipy.optimize.minimize_scalar(
            h, bounds=(x[i] - 10.0, x[i] + 10.0), method="bounded", options={"xatol": 1e-11}
        ).x
    return out


def _brute_force_projection(operator, x, spacing=5e-3):
    """For an indicator g the prox is the projection: the nearest feasible point, found on a
    grid (coordinate by coordinate, the others held at a feasible point)."""
    grid = np.arange(-5.0, 5.0 + spacing, spacing)
    base = operator.prox(np.zeros_like(x), 1.0)
    out = np.empty_like(x)
    for i in range(x.size):
        feasible = []
        for z in grid:
            point = base.copy()
            point[i] = z
            if operator.value(point) == 0:
                feasible.append(z)
        feasible = np.array(feasible)
        out[i] = feasible[np.argmin(np.abs(feasible - x[i]))]
    return out


@pytest.mark.parametrize("operator", OPERATORS, ids=repr)
def test_prox_is_the_minimizer(operator):
    z = operator.prox(X, STEP)
    if isinstance(operator, (prox.NonNegative, prox.Box)):
        np.testing.assert_allclose(z, _brute_force_projection(operator, X), atol=5e-3)
        assert operator.value(z) == 0
    else:
        np.testing.assert_allclose(z, _brute_force_prox(operator, X, STEP), atol=1e-7)


def test_closed_forms():
    x = np.array([-3.0, -0.5, 0.0, 0.2, 2.0])
    np.testing.assert_allclose(prox.L1(1.0).prox(x, 0.5), [-2.5, 0.0, 0.0, 0.0, 1.5])
    np.testing.assert_allclose(prox.L2(2.0).prox(x, 0.5), x / 2.0)
    np.testing.assert_allclose(
        prox.ElasticNet(2.0, 0.5).prox(x, 0.5), np.array([-2.5, 0, 0, 0, 1.5]) / 1.5
    )
    np.testing.assert_allclose(prox.NonNegative().prox(x, 1.0), [0, 0, 0, 0.2, 2.0])
    np.testing.assert_allclose(prox.Box(-1.0, 1.0).prox(x, 1.0), [-1, -0.5, 0, 0.2, 1.0])
    assert prox.L1(2.0).value(x) == pytest.approx(2.0 * 5.7)
    assert prox.L2(2.0).value(x) == pytest.approx(0.5 * 2.0 * np.sum(x**2))
    assert prox.ElasticNet(2.0, 0.25).value(x) == pytest.approx(
        0.5 * 5.7 + 0.5 * 1.5 * np.sum(x**2)
    )
    assert prox.NonNegative().value(x) == np.inf and prox.NonNegative().value(np.abs(x)) == 0
    assert prox.Box(-1.0, 1.0).value(x) == np.inf and prox.Box(-3, 2).value(x) == 0


def test_vector_step_is_per_coordinate():
    x = np.array([2.0, 2.0, -2.0])
    np.testing.assert_allclose(prox.L1(1.0).prox(x, np.array([0.5, 1.0, 3.0])), [1.5, 1.0, 0])


@pytest.mark.parametrize("operator", OPERATORS[:5] + [prox.Box(-0.5, 1.0)], ids=repr)
def test_mask_leaves_coordinates_alone(operator):
    mask = np.array([True, True, False, True, False, True, True])
    masked = type(operator)(**{k: v for k, v in vars(operator).items() if k != "mask"})
    masked.mask = mask
    z = masked.prox(X, STEP)
    np.testing.assert_array_equal(z[~mask], X[~mask])
    np.testing.assert_allclose(z[mask], operator.prox(X, STEP)[mask])
    inside = np.where(mask, np.clip(X, 0.0, 0.5), X)
    assert masked.value(inside) == pytest.approx(operator.value(inside[mask]))


def test_mask_of_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"mask has shape \(3,\) but the parameters have"):
        prox.L1(1.0, mask=[True, False, True]).prox(np.ones(4), 1.0)
    with pytest.raises(ValueError, match="mask has shape"):
        prox.Box(0, 1, mask=np.ones(2, bool)).value(np.ones(4))


def test_bad_parameters():
    with pytest.raises(ValueError, match="alpha >= 0"):
        prox.L1(-1.0)
    with pytest.raises(ValueError, match="l1_ratio"):
        prox.ElasticNet(1.0, l1_ratio=1.5)
    with pytest.raises(ValueError, match="lower <= upper"):
        prox.Box(1.0, 0.0)
