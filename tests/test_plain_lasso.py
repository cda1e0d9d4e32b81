"""The lasso's seam: the working-set solver (``solve_working_sets``, the default fit) against
the plain algorithm (``plain_elastic_net``: one FISTA run on the whole problem).

Both stop on the same measure, the full problem's prox-gradient mapping in standardized
coordinates z = w / scale, here at ``tol=1e-12``; so on a strongly convex problem they agree
to that: the objective to 1e-12 of its value at 0, the standardized coefficients to 1e-8.
Zeros are compared exactly on problems whose optimum is tie-free (every nonzero |z_j| and
every inactive feature's KKT slack above 1e-6: a coefficient at the edge of the support is
legitimately zero in one and 1e-13 in the other); the others are drawn again.
"""

import warnings
from unittest import mock

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import optim
from gradscratch import ElasticNet
from gradscratch.parametric import _enet, lasso
from gradscratch.parametric.lasso import plain_elastic_net

TOL = 1e-12


def _problem(seed, n, p, informative):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.1, 10.0, p) + rng.normal(size=p)
    coef = rng.normal(size=p) * (rng.permutation(p) < informative)
    return X, X @ coef + rng.normal(size=n) + 3.0


def _objective(X, y, coef, intercept, alpha, l1_ratio):
    r = y - X @ coef - intercept
    l1, l2 = alpha * l1_ratio, alpha * (1.0 - l1_ratio)
    return r @ r / (2 * len(y)) + l1 * np.abs(coef).sum() + 0.5 * l2 * coef @ coef


def _assert_fast_equals_plain(seed, n, p, informative, l1_ratio, fraction, design):
    X, y = _problem(seed, n, p, informative)
    Xc, yc = X - X.mean(0), y - y.mean()
    alpha = fraction * np.max(np.abs(Xc.T @ yc)) / (n * l1_ratio)
    # The working-set fit keeps the centred design (Gram blocks of the working set) from
    # WORKING_SET_DESIGN_FEATURES on, the Gram matrix below: both routes, whatever p.
    threshold = 0 if design else 10**9
    with mock.patch.object(lasso, "WORKING_SET_DESIGN_FEATURES", threshold):
        fast = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=TOL).fit(X, y)
    assert fast.optim_result_.converged
    with warnings.catch_warnings():
        # At tol=1e-12 FISTA's line search can fail at the floor of precision after its
        # point met tol (optim then reports a failure): the comparisons below judge the answer.
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        coef, intercept = plain_elastic_net(X, y, alpha, l1_ratio, tol=TOL, max_iter=200_000)
    scale = fast.optim_result_.coef_scale
    z_fast, z_plain = fast.coef_ / scale, coef / scale
    at_zero = _objective(X, y, 0 * coef, y.mean(), alpha, l1_ratio)
    f_fast = _objective(X, y, fast.coef_, fast.intercept_, alpha, l1_ratio)
    f_plain = _objective(X, y, coef, intercept, alpha, l1_ratio)
    assert abs(f_fast - f_plain) <= 1e-12 * at_zero
    np.testing.assert_allclose(z_fast, z_plain, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fast.intercept_, intercept, rtol=0, atol=1e-8 * np.std(y))
    # Tie-free optima only: no coefficient at the edge of the support.
    corr = Xc.T @ (yc - Xc @ fast.coef_) / n - alpha * (1 - l1_ratio) * fast.coef_
    slack = 1.0 - np.abs(corr) / (alpha * l1_ratio)
    assume(np.all(np.where(fast.coef_ == 0, slack, np.abs(z_fast)) > 1e-6))
    np.testing.assert_array_equal(fast.coef_ == 0, coef == 0)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    p=st.integers(1, 8),
    extra_rows=st.integers(3, 30),
    informative=st.integers(0, 8),
    l1_ratio=st.sampled_from([1.0, 0.7, 0.3]),
    fraction=st.floats(0.005, 0.9),
    design=st.booleans(),
)
def test_working_sets_equal_one_fista_run(
    seed, p, extra_rows, informative, l1_ratio, fraction, design
):
    _assert_fast_equals_plain(seed, p + extra_rows, p, informative, l1_ratio, fraction, design)


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    p=st.integers(30, 60),
    informative=st.integers(1, 6),
    l1_ratio=st.sampled_from([1.0, 0.7]),
    fraction=st.floats(0.05, 0.5),
)
def test_working_sets_on_gram_blocks_equal_one_fista_run(seed, p, informative, l1_ratio, fraction):
    """Supports of a few features among 30-60: the working sets grow through the cached
    Gram blocks of the design (and pass to the full Gram matrix past half the features).
    Sets start at 2 features with a margin of 2 (the defaults would take all 30-60 in the
    first round), so that the fits take 3-5 rounds."""
    with mock.patch.object(_enet, "MIN_WORKING_SET", 2), mock.patch.object(_enet, "MARGIN", 2):
        _assert_fast_equals_plain(seed, 2 * p, p, informative, l1_ratio, fraction, design=True)


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    p=st.integers(200, 300),
    informative=st.integers(20, 50),
    l1_ratio=st.sampled_from([1.0, 0.5]),
    fraction=st.floats(0.02, 0.2),
)
def test_default_working_sets_equal_one_fista_run(seed, p, informative, l1_ratio, fraction):
    """Supports of 20-100 among 200-300 features with the default settings: sets of 40, then
    grown by the support or the KKT violators, through the Gram cache (3-5 rounds)."""
    _assert_fast_equals_plain(seed, 2 * p, p, informative, l1_ratio, fraction, design=True)
