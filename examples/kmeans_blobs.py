"""
k-means on blobs: the centers moving, the inertia, the elbow
============================================================

Lloyd's algorithm alternates two steps that each lower the inertia
:math:`\\sum_i \\min_j \\|x_i - c_j\\|^2`: assign every point to its nearest center, move
every center to the mean of its points. The path of the centers and the inertia per
iteration are read from the fitted model's ``centers_history_`` and ``inertia_history_``.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import KMeans
from gradscratch.datasets import make_blobs

centers = np.array([[-6.0, -4.0], [0.0, 7.0], [6.0, -4.0], [-6.0, 4.0], [6.0, 4.0]])
X, _ = make_blobs(600, 2, centers=centers, cluster_std=1.3, random_state=4)

# %%
# One run from a random start, and an elbow curve
# -----------------------------------------------

model = KMeans(5, init="random", n_init=1, random_state=2).fit(X)
path = model.centers_history_
ks = np.arange(1, 11)
inertia = [KMeans(k, random_state=0).fit(X).inertia_ for k in ks]

fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), layout="constrained")
axes[0].scatter(X[:, 0], X[:, 1], c=model.labels_, cmap="tab10", s=6, alpha=0.5)
for j in range(path.shape[1]):
    axes[0].plot(path[:, j, 0], path[:, j, 1], "k.-", lw=1, ms=4)
axes[0].plot(path[0, :, 0], path[0, :, 1], "ks", mfc="w", label="start")
axes[0].plot(path[-1, :, 0], path[-1, :, 1], "k*", ms=12, label="converged")
axes[0].set(xlabel="x1", ylabel="x2")
axes[0].legend(fontsize=8)
axes[0].set_title(f"centers over {model.n_iter_} Lloyd iterations (random start)")
axes[1].plot(np.arange(1, model.n_iter_ + 1), model.inertia_history_, "o-")
axes[1].set_xlabel("iteration")
axes[1].set_ylabel("inertia")
axes[1].set_title("inertia per iteration (never increases)")
axes[1].grid(True, alpha=0.3)
axes[2].plot(ks, inertia, "o-")
axes[2].axvline(5, color="0.4", ls=":", label="true k = 5")
axes[2].set_xlabel("k")
axes[2].set_ylabel("inertia (k-means++)")
axes[2].set_title("elbow curve: the bend at k = 5")
axes[2].grid(True, alpha=0.3)
axes[2].legend(fontsize=8)

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
