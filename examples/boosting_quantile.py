"""
Quantile regression by gradient boosting: a 90% band
====================================================

Each model boosts the pinball loss
:math:`\\ell(y, F) = \\max(\\alpha r, (\\alpha - 1) r)`, :math:`r = y - F`, for
:math:`\\alpha` = 0.05, 0.5 and 0.95. Its gradient is a step function and its Hessian zero,
so the rule is gradient descent with an exact per-leaf search (bisection to the leaf's
:math:`\\alpha`-quantile of the residuals). The noise grows with :math:`x`, and so does the
band.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import GradientBoostingRegressor


def noisy(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, n)
    return x[:, None], x * np.sin(x) + rng.normal(size=n) * (0.3 + 0.25 * x)


X, y = noisy(1000, 0)
Xt, yt = noisy(1000, 1)

# %%
# Three quantile boosters
# -----------------------
# 100 depth-3 trees each, at least 20 samples per leaf; the coverage is measured on 1000
# held-out points.

fits = {
    a: GradientBoostingRegressor(loss="quantile", alpha=a, min_samples_leaf=20, random_state=0).fit(
        X, y
    )
    for a in (0.05, 0.5, 0.95)
}
inside = float(np.mean((yt >= fits[0.05].predict(Xt)) & (yt <= fits[0.95].predict(Xt))))
print(f"held-out coverage of the 0.05-0.95 band: {inside:.1%} (nominal 90%)")

grid = np.linspace(0, 10, 400)[:, None]
fig, ax = plt.subplots(figsize=(8, 4.6), layout="constrained")
ax.scatter(X[:, 0], y, s=5, color="0.6", label="training data")
ax.fill_between(
    grid[:, 0],
    fits[0.05].predict(grid),
    fits[0.95].predict(grid),
    color="C0",
    alpha=0.25,
    label="0.05 to 0.95 quantiles",
)
ax.plot(grid[:, 0], fits[0.5].predict(grid), color="C3", label="median (alpha = 0.5)")
ax.plot(grid[:, 0], grid[:, 0] * np.sin(grid[:, 0]), "k--", lw=1, label="x sin x")
ax.set(xlabel="x", ylabel="y", title=f"held-out coverage of the band: {inside:.1%}")
ax.legend(loc="upper left", fontsize=8)

# %%
# The coverage falls short of the nominal 90%: each quantile model fits its own training
# points too well, so the band is a little narrow out of sample.

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
