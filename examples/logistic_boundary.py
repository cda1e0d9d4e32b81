"""LogisticRegression decision boundaries in two dimensions.

Left: binary, the fitted probability P(y = 1 | x) = sigma(x w + b) as a colour field with its
0.5 contour, the line x w + b = 0. Right: three classes under the softmax, whose regions are
bounded by the lines where two classes' scores x w_k + b_k tie; a strong penalty (small C)
shrinks W and blurs the probabilities. Drawn from ``predict_proba`` on a grid.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import LogisticRegression
from gradscratch.datasets import make_blobs, make_classification


def _grid(X, n=300):
    lo, hi = X.min(axis=0) - 1.0, X.max(axis=0) + 1.0
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _regions(ax, model, X, y, title):
    import matplotlib.pyplot as plt

    xx, yy, grid = _grid(X)
    proba = model.predict_proba(grid)
    k = proba.shape[1]
    colours = plt.get_cmap("tab10")(np.arange(k))[:, :3]
    # Each grid point takes its class colours weighted by the probabilities: confident
    # regions are saturated, uncertain ones washed out.
    image = np.clip((proba @ colours) * 0.55 + 0.45, 0.0, 1.0)
    ax.imshow(
        image.reshape(*xx.shape, 3),
        origin="lower",
        extent=(xx.min(), xx.max(), yy.min(), yy.max()),
        aspect="auto",
    )
    labels = model.predict(grid).reshape(xx.shape)
    ax.contour(xx, yy, labels, levels=np.arange(k - 1) + 0.5, colors="k", linewidths=1.0)
    for c in range(k):
        ax.scatter(*X[y == c].T, s=14, color=colours[c], edgecolor="k", lw=0.4, label=f"class {c}")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper right")


def run(out_dir):
    """Binary and three-class decision regions of LogisticRegression."""
    import matplotlib.pyplot as plt

    Xb, yb = make_classification(
        200, 2, n_informative=2, n_classes=2, class_sep=1.2, flip_y=0.05, random_state=0
    )
    Xm, ym = make_blobs(300, centers=3, cluster_std=1.6, random_state=2)
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.4))
    binary = LogisticRegression(C=1.0).fit(Xb, yb)
    xx, yy, grid = _grid(Xb)
    p1 = binary.predict_proba(grid)[:, 1].reshape(xx.shape)
    field = axes[0].contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
    axes[0].contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=1.2)
    axes[0].scatter(*Xb.T, c=yb, cmap="RdBu_r", s=14, edgecolor="k", lw=0.4)
    fig.colorbar(field, ax=axes[0], label="P(y = 1 | x)")
    w, b = binary.coef_[0], binary.intercept_[0]
    axes[0].set_title(f"binary, C=1: {w[0]:.2f} x1 {w[1]:+.2f} x2 {b:+.2f} = 0", fontsize=10)
    for ax, C in zip(axes[1:], [100.0, 0.002]):
        model = LogisticRegression(C=C).fit(Xm, ym)
        accuracy = model.score(Xm, ym)
        _regions(ax, model, Xm, ym, f"3-class softmax, C={C:g} (train accuracy {accuracy:.2f})")
    caption = (
        "LogisticRegression in 2-D: the binary probability field and its linear 0.5 boundary; "
        "three-class softmax regions (bounded by lines where two scores tie), colour saturation "
        "showing confidence. A tiny C shrinks W towards 0: the probabilities flatten (washed-out "
        "colours) and the boundaries move, while the training accuracy stays the same."
    )
    return [(save(fig, out_dir, "logistic_boundary.png"), caption)]


if __name__ == "__main__":
    main(run)
