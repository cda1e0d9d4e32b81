"""
k-nearest neighbours: k = 1 against k = 15
==========================================

The prediction at :math:`x` is the majority class of its :math:`k` nearest training points.
With :math:`k = 1` every training point owns its Voronoi cell, so the regions trace the
noise (zero training error, jagged boundary); with :math:`k = 15` the vote averages over a
neighbourhood and the boundary smooths towards the Bayes boundary, at the price of a few
training errors. Two noisy interleaved half-moons, 300 training and 2000 test points.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import KNeighborsClassifier
from gradscratch.plotting import plot_decision_regions


def moons(n, noise, rng):
    t = rng.uniform(0, np.pi, n)
    y = rng.integers(0, 2, n)
    X = np.column_stack([np.cos(t), np.sin(t)])
    X[y == 1] = np.column_stack([1 - np.cos(t[y == 1]), 0.5 - np.sin(t[y == 1])])
    return X + noise * rng.standard_normal((n, 2)), y


rng = np.random.default_rng(0)
X, y = moons(300, 0.3, rng)
X_test, y_test = moons(2000, 0.3, rng)

fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained")
for ax, k in zip(axes, [1, 15]):
    model = KNeighborsClassifier(n_neighbors=k).fit(X, y)
    plot_decision_regions(model, X, y, ax=ax)
    ax.set(xlabel="x1", ylabel="x2")
    ax.set_title(
        f"k={k}: train accuracy {model.score(X, y):.2f}, "
        f"test accuracy {model.score(X_test, y_test):.2f}"
    )

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
