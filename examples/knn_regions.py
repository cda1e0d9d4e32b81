"""k-nearest neighbours on two noisy interleaved classes: k=1 against k=15.

With k=1 every training point owns its Voronoi cell, so the regions trace the noise (zero
training error, jagged boundary); with k=15 the vote averages over a neighbourhood and the
boundary smooths towards the Bayes boundary, at the price of a few training errors.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import KNeighborsClassifier
from gradscratch.plotting import plot_decision_regions


def _moons(n, noise, rng):
    t = rng.uniform(0, np.pi, n)
    y = rng.integers(0, 2, n)
    X = np.column_stack([np.cos(t), np.sin(t)])
    X[y == 1] = np.column_stack([1 - np.cos(t[y == 1]), 0.5 - np.sin(t[y == 1])])
    return X + noise * rng.standard_normal((n, 2)), y


def run(out_dir):
    """KNN decision regions for k=1 and k=15."""
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(0)
    X, y = _moons(300, 0.3, rng)
    X_test, y_test = _moons(2000, 0.3, rng)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.6))
    for ax, k in zip(axes, [1, 15]):
        model = KNeighborsClassifier(n_neighbors=k).fit(X, y)
        plot_decision_regions(model, X, y, ax=ax)
        ax.set_title(
            f"k={k}: train accuracy {model.score(X, y):.2f}, "
            f"test accuracy {model.score(X_test, y_test):.2f}"
        )
    caption = (
        "KNN on noisy moons: k=1 fits every training point (jagged regions, lower test "
        "accuracy); k=15 averages the vote and smooths the boundary."
    )
    return [(save(fig, out_dir, "knn_regions.png"), caption)]


if __name__ == "__main__":
    main(run)
