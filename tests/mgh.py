"""The Moré-Garbow-Hillstrom unconstrained test problems as autograd objectives.

J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained optimization software",
ACM TOMS 7(1), 17-41, 1981 (the paper, "MGH" below), and the authors' Algorithm 566, TOMS 7(1),
136-140 (its Fortran routines, "Alg. 566"). Each problem is a sum of squares
f(x) = sum_i r_i(x)^2 of m residuals in n variables, with a standard start x0 and the minimum
value f* that MGH publish.

``PROBLEMS`` holds the 35 problems (Watson twice, at n = 6 and n = 9) at the dimensions of the
usual fixed-size set. Each ``f`` is written with ``autograd.numpy`` and builds its residual
vector without assigning into arrays, so ``autograd.grad(p.f)`` is its gradient.

Where MGH list more than one minimum value, ``f_star`` is the smallest and ``f_local`` holds
the others (some are reached only at infinity: MGH write, e.g., "f = 17.4286 at
(0.8406, -inf, -inf)" for Bard). Three local minima MGH do not list, reached from 10 x0
(Osborne 2, Trigonometric, Brown almost-linear), are in ``f_local`` too, each verified as a
minimizer (gradient ~0, Hessian positive semidefinite, a tight least_squares run from the point
keeping the value: ``tests/test_mgh.py``); Biggs EXP6's listed 5.65565e-3 is a saddle and is
in ``f_saddle`` instead. ``f_x0`` is a published f(x0) where one exists: MGH do not
print f(x0); the values here are those Alg. 566's driver prints (to 3 digits) or ones that
follow exactly from the definition.

Choices where MGH leave one open: Gulf uses m = 99 and Box three-dimensional m = 10, as in
Alg. 566; Jennrich and Sampson m = 10, Brown and Dennis m = 20, Biggs EXP6 m = 13 (the values
MGH quote f* for); the three linear functions n = 10, m = 20; the variable-dimension problems
n = 10 except extended Powell singular (12), Watson (6 and 9) and Chebyquad (8).

``badly_scaled`` is True for MGH's two "badly scaled" problems and for Meyer, whose minimizer
(0.0056, 6181, 345) spans six orders of magnitude and whose Jacobian there has condition
number 1e8. Box three-dimensional is not flagged: its variables are O(1-10) and cond(J) at
(1, 10, 1) is about 90; its difficulty is that f = 0 on a whole line (x1 = x2, x3 = 0).

``solved`` decides whether a point is a minimizer; ``run_scipy_bfgs`` runs scipy's BFGS at its
defaults (scipy is a test-only reference).
"""

import warnings
from dataclasses import dataclass, field

import autograd
import autograd.numpy as anp
import numpy as np

__all__ = [
    "PROBLEMS",
    "MGHProblem",
    "RunResult",
    "by_name",
    "run_optim",
    "run_scipy_bfgs",
    "solved",
]


@dataclass(frozen=True, eq=False)
class MGHProblem:
    """One test problem.

    ``number`` is MGH's numbering; ``residuals(x)`` the vector (r_1, ..., r_m); ``f(x)`` the
    sum of their squares; ``f_star`` the published minimum value (6 digits) and
    ``f_star_refined`` the same minimum to 10 digits, from scipy.optimize.least_squares at
    tight tolerances (the tests check it against least_squares and the 6 published digits,
    which MGH truncate; None where f* is 0 or exact); ``x_star`` the published minimizers
    (empty where MGH give none); ``x_star_rounded`` is True when the published x* is rounded
    (so f(x*) only approximates f*). ``f_saddle`` holds stationary values that are not minima
    (a value MGH list as a local minimum where the Hessian is indefinite): never solved.
    """

    number: int
    name: str
    n: int
    m: int
    residuals: object
    x0: np.ndarray
    f_star: float
    f_star_refined: float | None = None
    f_local: tuple = ()
    f_saddle: tuple = ()
    x_star: tuple = ()
    x_star_rounded: bool = False
    f_x0: float | None = None
    badly_scaled: bool = False
    note: str = ""
    f: object = field(init=False, repr=False)

    def __post_init__(self):
        residuals = self.residuals

        def f(x):
            r = residuals(x)
            return anp.sum(r * r)

        f.__name__ = f.__qualname__ = "mgh_" + _slug(self.name)
        object.__setattr__(self, "f", f)
        object.__setattr__(self, "x0", np.asarray(self.x0, dtype=np.float64))
        stars = tuple(np.asarray(x, dtype=np.float64) for x in self.x_star)
        object.__setattr__(self, "x_star", stars)

    @property
    def f_min(self):
        """The global minimum value to the most digits known (refined, else published)."""
        return self.f_star if self.f_star_refined is None else self.f_star_refined

    @property
    def minimum_values(self):
        """f* followed by the listed local minimum values."""
        return (self.f_star, *self.f_local)

    def __repr__(self):
        return f"MGHProblem({self.number}, {self.name!r}, n={self.n}, m={self.m})"


def _slug(name):
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")


def _pair(*parts):
    """The residual vector from scalars and vectors (anp.concatenate of 1-d pieces)."""
    return anp.concatenate([anp.reshape(p, (-1,)) for p in parts])


# --- 1-19: fixed dimension ---------------------------------------------------------------
def rosenbrock(x):
    return _pair(10.0 * (x[1] - x[0] ** 2), 1.0 - x[0])


def freudenstein_roth(x):
    x1, x2 = x[0], x[1]
    return _pair(
        -13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2,
        -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2,
    )


def powell_badly_scaled(x):
    return _pair(1e4 * x[0] * x[1] - 1.0, anp.exp(-x[0]) + anp.exp(-x[1]) - 1.0001)


def brown_badly_scaled(x):
    return _pair(x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2.0)


_BEALE_Y = np.array([1.5, 2.25, 2.625])
_BEALE_I = np.arange(1, 4)


def beale(x):
    return _BEALE_Y - x[0] * (1.0 - x[1] ** _BEALE_I)


_JS_I = np.arange(1, 11, dtype=np.float64)


def jennrich_sampson(x):
    return 2.0 + 2.0 * _JS_I - (anp.exp(_JS_I * x[0]) + anp.exp(_JS_I * x[1]))


def helical_valley(x):
    x1, x2, x3 = x[0], x[1], x[2]
    # MGH: theta = arctan(x2/x1) / (2 pi), plus 1/2 when x1 < 0 (undefined at x1 = 0).
    theta = anp.arctan(x2 / x1) / (2.0 * np.pi) + anp.where(x1 < 0, 0.5, 0.0)
    return _pair(10.0 * (x3 - 10.0 * theta), 10.0 * (anp.sqrt(x1**2 + x2**2) - 1.0), x3)


_BARD_Y = np.array(
    [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]
)
_BARD_U = np.arange(1, 16, dtype=np.float64)
_BARD_V = 16.0 - _BARD_U
_BARD_W = np.minimum(_BARD_U, _BARD_V)


def bard(x):
    return _BARD_Y - (x[0] + _BARD_U / (_BARD_V * x[1] + _BARD_W * x[2]))


_GAUSS_Y = np.array(
    [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989]
    + [0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009]
)
_GAUSS_T = (8.0 - np.arange(1, 16)) / 2.0


def gaussian(x):
    return x[0] * anp.exp(-x[1] * (_GAUSS_T - x[2]) ** 2 / 2.0) - _GAUSS_Y


_MEYER_Y = np.array(
    [34780, 28610, 23650, 19630, 16370, 13720, 11540, 9744]
    + [8261, 7030, 6005, 5147, 4427, 3820, 3307, 2872],
    dtype=np.float64,
)
_MEYER_T = 45.0 + 5.0 * np.arange(1, 17)


def meyer(x):
    return x[0] * anp.exp(x[1] / (_MEYER_T + x[2])) - _MEYER_Y


GULF_M = 99
_GULF_T = np.arange(1, GULF_M + 1) / 100.0
_GULF_Y = 25.0 + (-50.0 * np.log(_GULF_T)) ** (2.0 / 3.0)


def gulf(x):
    # MGH print |y_i m i x_2|; the "m i" is a misprinted minus: Alg. 566 computes |y_i - x_2|.
    return anp.exp(-(anp.abs(_GULF_Y - x[1]) ** x[2]) / x[0]) - _GULF_T


_BOX_T = 0.1 * np.arange(1, 11)
_BOX_C = np.exp(-_BOX_T) - np.exp(-10.0 * _BOX_T)


def box_3d(x):
    return anp.exp(-_BOX_T * x[0]) - anp.exp(-_BOX_T * x[1]) - x[2] * _BOX_C


def powell_singular(x):
    return _pair(
        x[0] + 10.0 * x[1],
        np.sqrt(5.0) * (x[2] - x[3]),
        (x[1] - 2.0 * x[2]) ** 2,
        np.sqrt(10.0) * (x[0] - x[3]) ** 2,
    )


def wood(x):
    x1, x2, x3, x4 = x[0], x[1], x[2], x[3]
    return _pair(
        10.0 * (x2 - x1**2),
        1.0 - x1,
        np.sqrt(90.0) * (x4 - x3**2),
        1.0 - x3,
        np.sqrt(10.0) * (x2 + x4 - 2.0),
        (x2 - x4) / np.sqrt(10.0),
    )


_KO_Y = np.array(
    [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
)
_KO_U = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])


def kowalik_osborne(x):
    return _KO_Y - x[0] * (_KO_U**2 + _KO_U * x[1]) / (_KO_U**2 + _KO_U * x[2] + x[3])


_BD_T = np.arange(1, 21) / 5.0


def brown_dennis(x):
    a = x[0] + _BD_T * x[1] - np.exp(_BD_T)
    b = x[2] + x[3] * np.sin(_BD_T) - np.cos(_BD_T)
    return a**2 + b**2


_OSB1_Y = np.array(
    [0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751]
    + [0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490]
    + [0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406]
)
_OSB1_T = 10.0 * np.arange(33)


def osborne1(x):
    model = x[0] + x[1] * anp.exp(-_OSB1_T * x[3]) + x[2] * anp.exp(-_OSB1_T * x[4])
    return _OSB1_Y - model


_BIGGS_T = 0.1 * np.arange(1, 14)
_BIGGS_Y = np.exp(-_BIGGS_T) - 5.0 * np.exp(-10.0 * _BIGGS_T) + 3.0 * np.exp(-4.0 * _BIGGS_T)


def biggs_exp6(x):
    t = _BIGGS_T
    return (
        x[2] * anp.exp(-t * x[0]) - x[3] * anp.exp(-t * x[1]) + x[5] * anp.exp(-t * x[4]) - _BIGGS_Y
    )


_OSB2_Y = np.array(
    [1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679, 0.608]
    + [0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644, 0.624]
    + [0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396]
    + [0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645]
    + [0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581, 0.428]
    + [0.292, 0.162, 0.098, 0.054]
)
_OSB2_T = np.arange(65) / 10.0


def osborne2(x):
    t = _OSB2_T
    model = (
        x[0] * anp.exp(-t * x[4])
        + x[1] * anp.exp(-((t - x[8]) ** 2) * x[5])
        + x[2] * anp.exp(-((t - x[9]) ** 2) * x[6])
        + x[3] * anp.exp(-((t - x[10]) ** 2) * x[7])
    )
    return _OSB2_Y - model


# --- 20-35: variable dimension -----------------------------------------------------------
def watson(n):
    t = np.arange(1, 30) / 29.0
    j = np.arange(1, n + 1)
    powers = t[:, None] ** (j - 1)  # t_i^(j-1), j = 1..n
    derivs = (j[1:] - 1) * t[:, None] ** (j[1:] - 2)  # (j-1) t_i^(j-2), j = 2..n

    def residuals(x):
        s = powers @ x
        return _pair(derivs @ x[1:] - s**2 - 1.0, x[0], x[1] - x[0] ** 2 - 1.0)

    return residuals


def extended_rosenbrock(x):
    odd, even = x[0::2], x[1::2]
    # Interleave (r_{2i-1}, r_{2i}) = (10 (x_{2i} - x_{2i-1}^2), 1 - x_{2i-1}).
    return anp.reshape(anp.stack([10.0 * (even - odd**2), 1.0 - odd], axis=1), (-1,))


def extended_powell_singular(x):
    a, b, c, d = x[0::4], x[1::4], x[2::4], x[3::4]
    parts = [a + 10.0 * b, np.sqrt(5.0) * (c - d), (b - 2.0 * c) ** 2]
    parts.append(np.sqrt(10.0) * (a - d) ** 2)
    return anp.reshape(anp.stack(parts, axis=1), (-1,))


_PENALTY_A = 1e-5


def penalty1(x):
    return _pair(np.sqrt(_PENALTY_A) * (x - 1.0), anp.sum(x**2) - 0.25)


def penalty2(n):
    i = np.arange(2, n + 1)
    y = np.exp(i / 10.0) + np.exp((i - 1) / 10.0)
    weights = n - np.arange(1, n + 1) + 1.0
    sa = np.sqrt(_PENALTY_A)

    def residuals(x):
        e = anp.exp(x / 10.0)
        return _pair(
            x[0] - 0.2,
            sa * (e[1:] + e[:-1] - y),  # i = 2..n
            sa * (e[1:] - np.exp(-0.1)),  # i = n+1..2n-1, on x_2..x_n
            anp.sum(weights * x**2) - 1.0,
        )

    return residuals


def variably_dimensioned(x):
    j = np.arange(1, x.shape[0] + 1)
    s = anp.sum(j * (x - 1.0))
    return _pair(x - 1.0, s, s**2)


def trigonometric(x):
    n = x.shape[0]
    i = np.arange(1, n + 1)
    return n - anp.sum(anp.cos(x)) + i * (1.0 - anp.cos(x)) - anp.sin(x)


def brown_almost_linear(x):
    n = x.shape[0]
    return _pair(x[:-1] + anp.sum(x) - (n + 1.0), anp.prod(x) - 1.0)


def _grid(n):
    h = 1.0 / (n + 1)
    return h, h * np.arange(1, n + 1)


def discrete_boundary_value(x):
    h, t = _grid(x.shape[0])
    zero = anp.zeros(1)
    left = anp.concatenate([zero, x[:-1]])  # x_{i-1}, with x_0 = 0
    right = anp.concatenate([x[1:], zero])  # x_{i+1}, with x_{n+1} = 0
    return 2.0 * x - left - right + h**2 * (x + t + 1.0) ** 3 / 2.0


def discrete_integral_equation(n):
    h, t = _grid(n)
    # K[i, j] = (1 - t_i) t_j for j <= i, t_i (1 - t_j) for j > i.
    lower = np.tril(np.ones((n, n)))
    kernel = lower * np.outer(1.0 - t, t) + (1.0 - lower) * np.outer(t, 1.0 - t)

    def residuals(x):
        return x + h * (kernel @ (x + t + 1.0) ** 3) / 2.0

    return residuals


def broyden_tridiagonal(x):
    zero = anp.zeros(1)
    left = anp.concatenate([zero, x[:-1]])
    right = anp.concatenate([x[1:], zero])
    return (3.0 - 2.0 * x) * x - left - 2.0 * right + 1.0


def broyden_banded(n, ml=5, mu=1):
    i, j = np.indices((n, n))
    band = ((j >= i - ml) & (j <= i + mu) & (j != i)).astype(np.float64)

    def residuals(x):
        return x * (2.0 + 5.0 * x**2) + 1.0 - band @ (x * (1.0 + x))

    return residuals


def linear_full_rank(m):
    def residuals(x):
        s = 2.0 / m * anp.sum(x)
        return _pair(x - s - 1.0, -s - 1.0 + np.zeros(m - x.shape[0]))

    return residuals


def linear_rank1(m):
    i = np.arange(1, m + 1)

    def residuals(x):
        return i * anp.sum(np.arange(1, x.shape[0] + 1) * x) - 1.0

    return residuals


def linear_rank1_zero(m):
    i = np.arange(2, m)

    def residuals(x):
        n = x.shape[0]
        s = anp.sum(np.arange(2, n) * x[1:-1])
        return _pair(-1.0, (i - 1) * s - 1.0, -1.0)

    return residuals


def chebyquad(n, m=None):
    m = n if m is None else m
    k = np.arange(1, m + 1)
    # Integral of T*_k over [0, 1]: 0 for odd k, -1 / (k^2 - 1) for even k.
    integrals = np.zeros(m)
    integrals[1::2] = -1.0 / (k[1::2] ** 2 - 1.0)

    def residuals(x):
        y = 2.0 * x - 1.0
        prev, cur = anp.ones_like(x), y
        means = [anp.mean(cur)]
        for _ in range(m - 1):
            prev, cur = cur, 2.0 * y * cur - prev
            means.append(anp.mean(cur))
        return anp.stack(means) - integrals

    return residuals


# --- the list ------------------------------------------------------------------------------
def _linear_rank1_f_star(m):
    return m * (m - 1) / (2.0 * (2 * m + 1))


def _linear_rank1_zero_f_star(m):
    return (m**2 + 3 * m - 6) / (2.0 * (2 * m - 3))


LINEAR_N, LINEAR_M = 10, 20
_n10 = np.arange(1, 11)
_t10 = _grid(10)[1]

PROBLEMS = [
    MGHProblem(
        1, "Rosenbrock", 2, 2, rosenbrock, [-1.2, 1.0], 0.0, x_star=([1.0, 1.0],), f_x0=24.2
    ),
    MGHProblem(
        2,
        "Freudenstein and Roth",
        2,
        2,
        freudenstein_roth,
        [0.5, -2.0],
        0.0,
        f_local=(48.9842,),
        x_star=([5.0, 4.0],),
        f_x0=400.5,
        note="local minimum f = 48.9842 at (11.41..., -0.8968...)",
    ),
    MGHProblem(
        3,
        "Powell badly scaled",
        2,
        2,
        powell_badly_scaled,
        [0.0, 1.0],
        0.0,
        x_star=([1.098e-5, 9.106],),
        x_star_rounded=True,
        f_x0=1.14,
        badly_scaled=True,
    ),
    MGHProblem(
        4,
        "Brown badly scaled",
        2,
        3,
        brown_badly_scaled,
        [1.0, 1.0],
        0.0,
        x_star=([1e6, 2e-6],),
        f_x0=1.00e12,
        badly_scaled=True,
    ),
    MGHProblem(5, "Beale", 2, 3, beale, [1.0, 1.0], 0.0, x_star=([3.0, 0.5],), f_x0=14.2),
    MGHProblem(
        6,
        "Jennrich and Sampson",
        2,
        10,
        jennrich_sampson,
        [0.3, 0.4],
        124.362,
        f_star_refined=124.3621824,
        x_star=([0.2578, 0.2578],),
        x_star_rounded=True,
        note="m = 10",
    ),
    MGHProblem(
        7,
        "Helical valley",
        3,
        3,
        helical_valley,
        [-1.0, 0.0, 0.0],
        0.0,
        x_star=([1.0, 0.0, 0.0],),
        f_x0=2500.0,
        note="theta has a jump across x1 = 0 (x2 != 0) and is undefined at x1 = 0",
    ),
    MGHProblem(
        8,
        "Bard",
        3,
        15,
        bard,
        [1.0, 1.0, 1.0],
        8.21487e-3,
        f_star_refined=8.214877307e-3,
        f_local=(17.4286,),
        note="f = 17.4286 only in the limit (0.8406, -inf, -inf)",
    ),
    MGHProblem(
        9,
        "Gaussian",
        3,
        15,
        gaussian,
        [0.4, 1.0, 0.0],
        1.12793e-8,
        f_star_refined=1.127932770e-8,
        f_x0=3.89e-6,
    ),
    MGHProblem(
        10,
        "Meyer",
        3,
        16,
        meyer,
        [0.02, 4000.0, 250.0],
        87.9458,
        f_star_refined=87.94585517,
        badly_scaled=True,
        note="minimizer near (0.0056, 6181, 345): variables and residuals of very unequal size",
    ),
    MGHProblem(
        11,
        "Gulf research and development",
        3,
        GULF_M,
        gulf,
        [5.0, 2.5, 0.15],
        0.0,
        x_star=([50.0, 25.0, 1.5],),
        f_x0=12.1,
        note="m = 99 (Alg. 566); |y_i - x_2| where MGH misprint |y_i m i x_2|",
    ),
    MGHProblem(
        12,
        "Box three-dimensional",
        3,
        10,
        box_3d,
        [0.0, 10.0, 20.0],
        0.0,
        x_star=([1.0, 10.0, 1.0], [10.0, 1.0, -1.0], [3.0, 3.0, 0.0]),
        f_x0=1.03e3,
        note="m = 10; f = 0 also on the whole line x1 = x2, x3 = 0",
    ),
    MGHProblem(
        13,
        "Powell singular",
        4,
        4,
        powell_singular,
        [3.0, -1.0, 0.0, 1.0],
        0.0,
        x_star=(np.zeros(4),),
        f_x0=215.0,
        note="singular Hessian at x*",
    ),
    MGHProblem(
        14, "Wood", 4, 6, wood, [-3.0, -1.0, -3.0, -1.0], 0.0, x_star=(np.ones(4),), f_x0=19192.0
    ),
    MGHProblem(
        15,
        "Kowalik and Osborne",
        4,
        11,
        kowalik_osborne,
        [0.25, 0.39, 0.415, 0.39],
        3.07505e-4,
        f_star_refined=3.075056038e-4,
        f_local=(1.02734e-3,),
        note="f = 1.02734e-3 only in the limit (+inf, -14.07..., -inf, -inf)",
    ),
    MGHProblem(
        16,
        "Brown and Dennis",
        4,
        20,
        brown_dennis,
        [25.0, 5.0, -5.0, -1.0],
        85822.2,
        f_star_refined=85822.20163,
        f_x0=7.93e6,
        note="m = 20",
    ),
    MGHProblem(
        17,
        "Osborne 1",
        5,
        33,
        osborne1,
        [0.5, 1.5, -1.0, 0.01, 0.02],
        5.46489e-5,
        f_star_refined=5.464894697e-5,
    ),
    MGHProblem(
        18,
        "Biggs EXP6",
        6,
        13,
        biggs_exp6,
        [1.0, 2.0, 1.0, 1.0, 1.0, 1.0],
        0.0,
        f_saddle=(5.65565e-3,),
        x_star=([1.0, 10.0, 1.0, 5.0, 4.0, 3.0],),
        f_x0=7.79e-1,
        note="m = 13: f = 0 at (1, 10, 1, 5, 4, 3). MGH list f = 5.65565e-3 too, reached at "
        "(1.7114, 17.683, 1.1631, 5.1866, 1.7114, 1.1631): a minimizer on the plane x1 = x5, "
        "x3 = x6 (which x0 lies in and gradient methods never leave), but a saddle of f: the "
        "Hessian has eigenvalue -9.8e-3 along x1 - x5, and f falls to 0 from a nudge along it",
    ),
    MGHProblem(
        19,
        "Osborne 2",
        11,
        65,
        osborne2,
        [1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5],
        4.01377e-2,
        f_star_refined=4.013773629e-2,
        f_local=(1.78981,),
        note="f = 1.78981 (not in MGH) is reached from 10 x0: there x6..x8 stay at 30, 50, 70, "
        "where the three Gaussian terms underflow to 0, and x1, x5 fit the exponential alone; "
        "gradient 2e-11, Hessian positive semidefinite (exactly 0 in the 9 flat directions); "
        "least_squares at tight tolerances from that point stays at the value",
    ),
    MGHProblem(
        20, "Watson (n=6)", 6, 31, watson(6), np.zeros(6), 2.28767e-3, 2.287670054e-3, f_x0=30.0
    ),
    MGHProblem(
        20,
        "Watson (n=9)",
        9,
        31,
        watson(9),
        np.zeros(9),
        1.39976e-6,
        1.399760138e-6,
        f_x0=30.0,
        note="f_star_refined from optim.Newton at tol 1e-13 (the same 10 digits under every "
        "BLAS kernel); least_squares stops on xtol up to 2.3e-8 above it (cond(J) ~ 1e8)",
    ),
    MGHProblem(
        21,
        "Extended Rosenbrock",
        10,
        10,
        extended_rosenbrock,
        np.tile([-1.2, 1.0], 5),
        0.0,
        x_star=(np.ones(10),),
        f_x0=5 * 24.2,
    ),
    MGHProblem(
        22,
        "Extended Powell singular",
        12,
        12,
        extended_powell_singular,
        np.tile([3.0, -1.0, 0.0, 1.0], 3),
        0.0,
        x_star=(np.zeros(12),),
        f_x0=3 * 215.0,
        note="singular Hessian at x*",
    ),
    MGHProblem(
        23,
        "Penalty I",
        10,
        11,
        penalty1,
        _n10.astype(np.float64),
        7.08765e-5,
        f_star_refined=7.087651467e-5,
        f_x0=1e-5 * 285 + (385 - 0.25) ** 2,
    ),
    MGHProblem(
        24, "Penalty II", 10, 20, penalty2(10), np.full(10, 0.5), 2.93660e-4, 2.936605375e-4
    ),
    MGHProblem(
        25,
        "Variably dimensioned",
        10,
        12,
        variably_dimensioned,
        1.0 - _n10 / 10.0,
        0.0,
        x_star=(np.ones(10),),
    ),
    MGHProblem(
        26,
        "Trigonometric",
        10,
        10,
        trigonometric,
        np.full(10, 0.1),
        0.0,
        f_local=(2.79506e-5, 4.21863e-5),
        x_star=(np.zeros(10),),
        note="many local minima; 2.79506e-5 is the one reached from x0 (later literature); "
        "4.21863e-5 (not in MGH) is reached from 10 x0: gradient 5e-9, Hessian eigenvalues "
        "0.065 to 2.7, least_squares and trust-exact from there agree to 10 digits",
    ),
    MGHProblem(
        27,
        "Brown almost-linear",
        10,
        10,
        brown_almost_linear,
        np.full(10, 0.5),
        0.0,
        f_local=(1.0, 0.917900),
        x_star=(np.ones(10),),
        note="f = 1 at (0, ..., 0, n + 1); f = 0.917900 (not in MGH) at x_j = -0.903188 except "
        "x2 = 0.106538 and x10 = 18.9105, reached from 10 x0: gradient 6e-14, Hessian "
        "eigenvalues 0.157 to 221, least_squares and trust-exact from there agree to 10 digits",
    ),
    MGHProblem(
        28,
        "Discrete boundary value",
        10,
        10,
        discrete_boundary_value,
        _t10 * (_t10 - 1.0),
        0.0,
    ),
    MGHProblem(
        29,
        "Discrete integral equation",
        10,
        10,
        discrete_integral_equation(10),
        _t10 * (_t10 - 1.0),
        0.0,
    ),
    MGHProblem(30, "Broyden tridiagonal", 10, 10, broyden_tridiagonal, -np.ones(10), 0.0),
    MGHProblem(
        31, "Broyden banded", 10, 10, broyden_banded(10), -np.ones(10), 0.0, note="ml=5, mu=1"
    ),
    MGHProblem(
        32,
        "Linear full rank",
        LINEAR_N,
        LINEAR_M,
        linear_full_rank(LINEAR_M),
        np.ones(LINEAR_N),
        float(LINEAR_M - LINEAR_N),
        x_star=(-np.ones(LINEAR_N),),
        note="m = 20; f* = m - n",
    ),
    MGHProblem(
        33,
        "Linear rank 1",
        LINEAR_N,
        LINEAR_M,
        linear_rank1(LINEAR_M),
        np.ones(LINEAR_N),
        _linear_rank1_f_star(LINEAR_M),
        x_star=(np.eye(LINEAR_N)[0] * 3.0 / (2 * LINEAR_M + 1),),
        note="m = 20; f* = m(m-1) / (2(2m+1)) wherever sum j x_j = 3 / (2m+1)",
    ),
    MGHProblem(
        34,
        "Linear rank 1 with zero columns and rows",
        LINEAR_N,
        LINEAR_M,
        linear_rank1_zero(LINEAR_M),
        np.ones(LINEAR_N),
        _linear_rank1_zero_f_star(LINEAR_M),
        x_star=(np.eye(LINEAR_N)[1] * 3.0 / (2.0 * (2 * LINEAR_M - 3)),),
        note="m = 20; f* = (m^2+3m-6) / (2(2m-3)) wherever sum_{j=2}^{n-1} j x_j = 3 / (2m-3)",
    ),
    MGHProblem(
        35,
        "Chebyquad",
        8,
        8,
        chebyquad(8),
        np.arange(1, 9) / 9.0,
        3.51687e-3,
        f_star_refined=3.516873726e-3,
        note="m = n = 8 (f* = 0 for n <= 7 and n = 9)",
    ),
]


def by_name(name):
    """The problem called ``name``."""
    for p in PROBLEMS:
        if p.name == name:
            return p
    raise KeyError(name)


# --- deciding whether a run solved a problem ---------------------------------------------
def solved(problem, x, f_value, rtol=1e-5, atol=1e-10, gtol=1e-5, f_singular=1e-6):
    """Whether the point ``x``, with objective value ``f_value``, minimizes ``problem``.

    Let tol(v) = rtol * |v| for a minimum value v != 0 (the published values carry 6 digits,
    which rtol = 1e-5 allows for) and tol(v) = atol for v = 0 (a residual norm of 1e-5), and
    call x stationary when ||grad f(x)||_inf <= gtol * max(1, |v|). Then x is solved when

    * f_value - f* <= tol(f*): the value test against the global minimum value (the refined
      value where there is one, so that the rounding of the published 6 digits does not eat
      into rtol), which needs no gradient (no point lies below f*); or
    * |f_value - v| <= tol(v) for a local minimum value v in ``f_local`` and x is stationary
      (so a run merely passing through the level v on its way down does not count); or
    * f* = 0, f_value <= f_singular and x is stationary: a zero-residual minimizer where the
      Hessian is singular (Powell singular: f ~ |x - x*|^4, gradient ~ f^(3/4)), at which a
      method that stops on a gradient tolerance is left with f ~ 1e-9. Near a nonsingular
      zero-residual minimizer the gradient is ~ sqrt(f) and this branch adds nothing.

    The value test is deliberately relative where f* is tiny (Gaussian, f* = 1.1e-8): a
    gradient below an absolute tolerance says nothing there.
    """
    x = np.asarray(x, dtype=np.float64)
    f_value = float(f_value)
    if not (np.isfinite(f_value) and np.all(np.isfinite(x))):
        return False

    def tol(v):
        return rtol * abs(v) if v != 0 else atol

    if f_value - problem.f_min <= tol(problem.f_min):
        return True
    near = [v for v in problem.f_local if abs(f_value - v) <= tol(v)]
    if problem.f_star == 0 and f_value <= f_singular:
        near.append(0.0)
    if not near:
        return False
    g = np.asarray(autograd.grad(problem.f)(x), dtype=np.float64)
    gmax = float(np.max(np.abs(g)))
    return bool(np.isfinite(gmax)) and any(gmax <= gtol * max(1.0, abs(v)) for v in near)


# --- scipy's BFGS at its defaults ----------------------------------------------------------
@dataclass
class RunResult:
    """One run: whether it solved the problem, the solver's own success flag, its iteration
    count, the final value and point, and its message. ``false_convergence``: success
    reported away from a minimizer."""

    solved: bool
    success: bool
    nit: int
    f: float
    message: str
    x: np.ndarray = field(repr=False, default=None)

    @property
    def false_convergence(self):
        return self.success and not self.solved


def run_scipy_bfgs(problem, x0=None):
    """scipy.optimize.minimize(method="BFGS") with jac=autograd.grad(f), default options,
    from ``x0`` (the standard start when None)."""
    import scipy.optimize

    with warnings.catch_warnings():
        # Trial steps may overflow (exp of a large argument); BFGS backs off from them.
        warnings.simplefilter("ignore", RuntimeWarning)
        res = scipy.optimize.minimize(
            problem.f,
            problem.x0 if x0 is None else x0,
            jac=autograd.grad(problem.f),
            method="BFGS",
        )
    f_value = float(res.fun)
    return RunResult(
        solved=solved(problem, res.x, f_value),
        success=bool(res.success),
        nit=int(res.nit),
        f=f_value,
        message=str(res.message),
        x=np.asarray(res.x),
    )


def run_optim(problem, optimizer, max_iter=None, x0=None):
    """``optimizer.minimize(p.f, p.x0)`` at its defaults (``max_iter`` passed on when given;
    ``x0`` replaces the standard start when given), warnings caught.

    Returns a RunResult whose ``success`` is the optimizer's ``converged`` flag; its message
    gains the names of the warnings raised (ConvergenceWarning, RuntimeWarning, ...). An
    exception is caught too and reported as an unsolved, unconverged run.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            start = problem.x0 if x0 is None else x0
            res = optimizer.minimize(problem.f, start, max_iter=max_iter)
        except Exception as err:  # noqa: BLE001 - the report records every failure
            return RunResult(False, False, 0, np.nan, f"raised {type(err).__name__}: {err}")
    names = sorted({w.category.__name__ for w in caught})
    message = str(res.message) + (f" [warned: {', '.join(names)}]" if names else "")
    f_value = float(res.fun)
    return RunResult(
        solved=solved(problem, res.x, f_value),
        success=bool(res.converged),
        nit=int(res.n_iter),
        f=f_value,
        message=message,
        x=np.asarray(res.x),
    )
