"""
Bias and variance of a regression tree: error against depth
===========================================================

A deeper tree fits the training data ever better (its error falls to 0 once the leaves are
single samples) while the test error falls, bottoms out and rises again as the tree starts
fitting the noise. :math:`y = \\sin(2x_1) + x_2 / 2 + \\varepsilon`,
:math:`\\varepsilon \\sim N(0, 0.4^2)`, 400 training and 800 test points.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import DecisionTreeRegressor

rng = np.random.default_rng(0)
X = rng.uniform(-3, 3, size=(1200, 2))
y = np.sin(2 * X[:, 0]) + 0.5 * X[:, 1] + 0.4 * rng.normal(size=1200)
Xtr, ytr, Xte, yte = X[:400], y[:400], X[400:], y[400:]
depths = np.arange(1, 15)
train, test = [], []
for d in depths:
    tree = DecisionTreeRegressor(max_depth=int(d), random_state=0).fit(Xtr, ytr)
    train.append(np.mean((tree.predict(Xtr) - ytr) ** 2))
    test.append(np.mean((tree.predict(Xte) - yte) ** 2))
best = depths[int(np.argmin(test))]

fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
ax.plot(depths, train, "o-", label="training MSE")
ax.plot(depths, test, "s-", label="test MSE")
ax.axhline(0.4**2, color="0.5", ls="--", label="noise variance")
ax.axvline(best, color="C1", ls=":", label=f"best depth = {best}")
ax.set_xlabel("max_depth")
ax.set_ylabel("mean squared error")
ax.set_title("regression tree: bias falls, variance grows with depth")
ax.grid(True, alpha=0.3)
ax.legend()

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
