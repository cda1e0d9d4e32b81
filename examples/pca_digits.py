"""
PCA of the 8x8 digits: the scree and the first plane
====================================================

PCA diagonalizes the sample covariance :math:`\\frac{1}{n-1} X_c^\\top X_c` through the SVD
:math:`X_c = U S V^\\top`: the components are the rows of :math:`V^\\top`, their variances
:math:`s_j^2 / (n - 1)`. The scree plot reads ``explained_variance_ratio_`` of a full PCA;
the projection is the transform of a 2-component PCA (the same two directions, with
scikit-learn's sign convention).
"""

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import PCA
from gradscratch.datasets import load_digits
from gradscratch.plotting import plot_scree

X, y = load_digits(return_X_y=True)
full = PCA().fit(X)
k90 = int(np.searchsorted(np.cumsum(full.explained_variance_ratio_), 0.9) + 1)
Z = PCA(2).fit_transform(X)

fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
plot_scree(full, ax=axes[0])
axes[0].axvline(k90, color="0.4", ls=":", lw=1)
axes[0].set_title(f"digits: {k90} of 64 components keep 90% of the variance")
scatter = axes[1].scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=6)
for digit in range(10):
    cx, cy = np.median(Z[y == digit], axis=0)
    axes[1].text(cx, cy, str(digit), fontsize=13, weight="bold", ha="center")
fig.colorbar(scatter, ax=axes[1], ticks=range(10), label="digit")
axes[1].set_xlabel("PC 1")
axes[1].set_ylabel("PC 2")
axes[1].set_title("first two principal components: 0, 4, 6 and 3 already separate")

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
