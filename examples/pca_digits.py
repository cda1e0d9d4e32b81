"""PCA of the 8x8 digits: how much variance each component carries, and the first plane.

The scree plot reads ``explained_variance_ratio_`` of a full PCA; the projection is the
transform of a 2-component PCA (same two directions, scikit-learn's sign convention).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import PCA
from gradscratch.datasets import load_digits
from gradscratch.plotting import plot_scree


def run(out_dir):
    """Scree plot and 2-D projection of digits."""
    import matplotlib.pyplot as plt

    X, y = load_digits(return_X_y=True)
    full = PCA().fit(X)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8))
    plot_scree(full, ax=axes[0])
    k90 = int(np.searchsorted(np.cumsum(full.explained_variance_ratio_), 0.9) + 1)
    axes[0].axvline(k90, color="0.4", ls=":", lw=1)
    axes[0].set_title(f"digits: {k90} of 64 components keep 90% of the variance")
    Z = PCA(2).fit_transform(X)
    scatter = axes[1].scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=6)
    for digit in range(10):
        cx, cy = np.median(Z[y == digit], axis=0)
        axes[1].text(cx, cy, str(digit), fontsize=13, weight="bold", ha="center")
    fig.colorbar(scatter, ax=axes[1], ticks=range(10))
    axes[1].set_xlabel("PC 1")
    axes[1].set_ylabel("PC 2")
    axes[1].set_title("first two principal components")
    caption = (
        f"PCA of digits: a steep scree ({k90} components for 90% of the variance) and a "
        "2-D projection where 0, 4, 6 and 3 already separate."
    )
    return [(save(fig, out_dir, "pca_digits.png"), caption)]


if __name__ == "__main__":
    main(run)
