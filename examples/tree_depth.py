"""Bias and variance of a regression tree: training and test error against depth.

A deeper tree fits the training data ever better (its error falls to 0 once leaves are
single samples) while the test error falls, bottoms out and rises again as the tree starts
fitting the noise.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import DecisionTreeRegressor


def run(out_dir):
    """Train/test MSE of trees of depth 1..14 on a noisy sine."""
    import matplotlib.pyplot as plt

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
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(depths, train, "o-", label="training MSE")
    ax.plot(depths, test, "s-", label="test MSE")
    ax.axhline(0.4**2, color="0.5", ls="--", label="noise variance")
    best = depths[int(np.argmin(test))]
    ax.axvline(best, color="C1", ls=":", label=f"best depth = {best}")
    ax.set_xlabel("max_depth")
    ax.set_ylabel("mean squared error")
    ax.set_title("Regression tree: bias falls, variance grows with depth")
    ax.legend()
    return [
        (
            save(fig, out_dir, "tree_depth.png"),
            f"Training error keeps falling with depth; test error is lowest at depth {best}.",
        )
    ]


if __name__ == "__main__":
    main(run)
