"""
Logistic regression: decision boundaries in two dimensions
==========================================================

Left: binary, the fitted probability :math:`P(y = 1 \\mid x) = \\sigma(x^\\top w + b)` as a
colour field with its 0.5 contour, the line :math:`x^\\top w + b = 0`. Middle and right:
three classes under the softmax, whose regions are bounded by the lines where two classes'
scores :math:`x^\\top w_k + b_k` tie; a strong penalty (small ``C``) shrinks :math:`W` and
flattens the probabilities. Everything is drawn from ``predict_proba`` on a grid.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from gradscratch import LogisticRegression
from gradscratch.datasets import make_blobs, make_classification


def grid_over(X, n=300):
    lo, hi = X.min(axis=0) - 1.0, X.max(axis=0) + 1.0
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


# Class colours, and the same colours washed out for the regions behind the points, so that
# every point stands out from the region it falls in.
COLOURS = plt.get_cmap("tab10")(np.arange(3))[:, :3]


def regions(ax, model, X, y, title):
    xx, yy, grid = grid_over(X)
    proba = model.predict_proba(grid)
    k = proba.shape[1]
    # Each grid point mixes its class colours by the probabilities, washed towards white:
    # confident regions are tinted, uncertain ones paler.
    image = np.clip((proba @ COLOURS[:k]) * 0.45 + 0.55, 0.0, 1.0)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    ax.imshow(image.reshape(*xx.shape, 3), origin="lower", extent=extent, aspect="auto")
    labels = model.predict(grid).reshape(xx.shape)
    ax.contour(xx, yy, labels, levels=np.arange(k - 1) + 0.5, colors="k", linewidths=1.0)
    for c in range(k):
        ax.scatter(*X[y == c].T, s=16, color=COLOURS[c], edgecolor="k", lw=0.5, label=f"class {c}")
    ax.set(xlabel="x1", ylabel="x2", title=title)
    ax.title.set_fontsize(10)
    ax.legend(fontsize=8, loc="upper right")


# %%
# A binary fit and two three-class fits
# -------------------------------------
# The binary panel shows the probability itself, from class 0's colour through white (0.5,
# the boundary) to class 1's, washed out so that the points, in the full class colours with
# black edges, stand out from the region they fall in.

Xb, yb = make_classification(
    200, 2, n_informative=2, n_classes=2, class_sep=1.2, flip_y=0.05, random_state=0
)
Xm, ym = make_blobs(300, centers=3, cluster_std=1.6, random_state=2)
binary = LogisticRegression(C=1.0).fit(Xb, yb)

fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
xx, yy, grid = grid_over(Xb)
p1 = binary.predict_proba(grid)[:, 1].reshape(xx.shape)
washed = LinearSegmentedColormap.from_list(
    "washed", [COLOURS[0] * 0.45 + 0.55, (1.0, 1.0, 1.0), COLOURS[1] * 0.45 + 0.55]
)
field = axes[0].contourf(xx, yy, p1, levels=np.linspace(0, 1, 11), cmap=washed)
axes[0].contour(xx, yy, p1, levels=[0.5], colors="k", linewidths=1.2)
for c in (0, 1):
    axes[0].scatter(
        *Xb[yb == c].T, s=16, color=COLOURS[c], edgecolor="k", lw=0.5, label=f"class {c}"
    )
fig.colorbar(field, ax=axes[0], label="P(y = 1 | x)")
w, b = binary.coef_[0], binary.intercept_[0]
axes[0].set(xlabel="x1", ylabel="x2")
axes[0].set_title(f"binary, C=1: {w[0]:.2f} x1 {w[1]:+.2f} x2 {b:+.2f} = 0", fontsize=10)
axes[0].legend(fontsize=8, loc="upper right")
for ax, C in zip(axes[1:], [100.0, 0.002]):
    model = LogisticRegression(C=C).fit(Xm, ym)
    regions(
        ax, model, Xm, ym, f"3-class softmax, C={C:g} (train accuracy {model.score(Xm, ym):.2f})"
    )

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
