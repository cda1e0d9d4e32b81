"""
A user-defined boosting loss: log-cosh, no derivative written by hand
=====================================================================

:math:`\\ell(y, F) = \\log\\cosh(F - y)` is quadratic near zero and linear in the tails (a
smooth Huber). It is written with ``autograd.numpy``; autograd supplies the
pseudo-residuals :math:`\\tanh(F - y)` and the curvature. The data carry 5% gross outliers:
squared error chases them, log-cosh is pulled by each one only up to a bounded gradient
(:math:`|\\tanh| \\leq 1`), and ends twice as close to the truth.
"""

import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np

from gradscratch import GradientBoostingRegressor


def log_cosh(y, F):
    """l(y, F) = log cosh(F - y), written overflow-free as logaddexp(r, -r) - log 2."""
    r = F - y
    return anp.logaddexp(r, -r) - anp.log(2.0)


rng = np.random.default_rng(0)
x = rng.uniform(0, 6, 600)
y = np.sin(x) + 0.2 * rng.normal(size=600)
outlier = rng.random(600) < 0.05
y[outlier] += rng.choice([-1, 1], outlier.sum()) * rng.uniform(4, 8, outlier.sum())
X = x[:, None]

# %%
# Two fits of the same trees
# --------------------------
# Both use gradient descent with an exact per-leaf line search; only the loss differs.

models = {
    "log-cosh (user loss)": GradientBoostingRegressor(loss=log_cosh, random_state=0).fit(X, y),
    "squared_error": GradientBoostingRegressor(loss="squared_error", random_state=0).fit(X, y),
}
grid = np.linspace(0, 6, 400)[:, None]
truth = np.sin(grid[:, 0])

# %%
# The data with their outliers, the fits, and the distance to the truth
# ---------------------------------------------------------------------
# Left: every point, the outliers in red. Middle: the same fits, zoomed on the signal. Right:
# one yardstick for both models, the mean distance of the fit to :math:`\sin x` after each
# stage (from ``staged_predict``); each model's ``train_score_`` is in its own loss's units,
# so the two cannot share an axis.

fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), layout="constrained")
colors = {"log-cosh (user loss)": "C0", "squared_error": "C3"}
for ax in axes[:2]:
    ax.scatter(x[~outlier], y[~outlier], s=5, color="0.6", label="data")
    ax.scatter(x[outlier], y[outlier], s=14, marker="x", color="C3", lw=0.8, label="outliers (5%)")
    ax.plot(grid[:, 0], truth, "k--", lw=1, label="sin x")
    for name, model in models.items():
        ax.plot(grid[:, 0], model.predict(grid), color=colors[name], lw=1.4, label=name)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
axes[0].set_title("all the data")
axes[0].legend(fontsize=8, loc="lower left")
axes[1].set_ylim(-2, 2)
axes[1].set_title("zoomed on the signal")
for name, model in models.items():
    err = [np.mean(np.abs(F - truth)) for F in model.staged_predict(grid)]
    axes[2].semilogy(np.arange(1, len(err) + 1), err, color=colors[name], label=name)
axes[2].set_xlabel("stage")
axes[2].set_ylabel("mean |F(x) - sin x| on a grid")
axes[2].set_title("distance to the truth per stage")
axes[2].grid(True, which="both", alpha=0.3)
axes[2].legend(fontsize=8)

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
