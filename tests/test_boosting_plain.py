"""The boosting seam: the estimators (``fit_stages``: histogram trees grown a level at a time)
compute the plain loop ``plain_gradient_boosting`` on small random tie-free data.

Predictions are compared on the training rows: below the root a histogram tree's threshold is
a global bin edge, the same split of the training rows as the plain midpoint but not of every
new point. Log-loss goes through the same loop, but binary labels are not tie-free: at the
first stage -g/h takes two values, so different splits tie exactly and rounding picks one.
Nor is learning_rate=1 tie-free: each stage then centres the residuals of every leaf exactly,
and on a few rows two leaves of three rows can hold the same residuals with opposite signs,
so two splits of the next stage gain the same (seed 12441, n=10: rounding chose differently).
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gradscratch import GradientBoostingRegressor
from gradscratch.parametric._boosting_loss import make_loss
from gradscratch.parametric.boosting import plain_boosting_predict, plain_gradient_boosting

shapes = dict(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(10, 60),
    p=st.integers(1, 4),
    n_estimators=st.integers(1, 8),
    learning_rate=st.sampled_from([0.1, 0.5, 0.9]),
    max_depth=st.integers(1, 3),
    min_samples_leaf=st.integers(1, 4),
)


@settings(max_examples=40, deadline=None)
@given(**shapes)
def test_regressor_is_the_plain_loop(seed, n, p, **params):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = np.sin(2 * X[:, 0]) + X[:, -1] ** 2 + 0.3 * rng.normal(size=n)
    model = GradientBoostingRegressor(random_state=seed, **params).fit(X, y)
    loss = make_loss("squared_error", {}, 1, {"squared_error": "half_squared_error"})
    F0, trees = plain_gradient_boosting(X, y, loss, **params)
    expected = plain_boosting_predict(F0, trees, X, params["learning_rate"])
    np.testing.assert_allclose(model.predict(X), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(model.init_[0], F0, rtol=1e-12)
    assert model.n_estimators_ == len(trees)
