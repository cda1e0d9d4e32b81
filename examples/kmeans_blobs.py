"""k-means on blobs: the centers moving, the inertia per iteration, and an elbow curve.

The path of the centers and the inertia curve are read from the fitted model's
``centers_history_`` and ``inertia_history_``; Lloyd's iterations never increase the inertia.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import KMeans
from gradscratch.datasets import make_blobs


def run(out_dir):
    """k-means iterations on blobs and the elbow curve."""
    import matplotlib.pyplot as plt

    centers = np.array([[-6.0, -4.0], [0.0, 7.0], [6.0, -4.0], [-6.0, 4.0], [6.0, 4.0]])
    X, _ = make_blobs(600, 2, centers=centers, cluster_std=1.3, random_state=4)
    model = KMeans(5, init="random", n_init=1, random_state=2).fit(X)
    path = model.centers_history_
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    axes[0].scatter(X[:, 0], X[:, 1], c=model.labels_, cmap="tab10", s=6, alpha=0.5)
    for j in range(path.shape[1]):
        axes[0].plot(path[:, j, 0], path[:, j, 1], "k.-", lw=1, ms=4)
    axes[0].plot(path[0, :, 0], path[0, :, 1], "ks", mfc="w", label="start")
    axes[0].plot(path[-1, :, 0], path[-1, :, 1], "k*", ms=12, label="converged")
    axes[0].legend(fontsize=8)
    axes[0].set_title(f"centers over {model.n_iter_} Lloyd iterations (random start)")
    axes[1].plot(np.arange(1, model.n_iter_ + 1), model.inertia_history_, "o-")
    axes[1].set_xlabel("iteration")
    axes[1].set_ylabel("inertia")
    axes[1].set_title("inertia per iteration (never increases)")
    axes[1].grid(True, alpha=0.3)
    ks = np.arange(1, 11)
    inertia = [KMeans(k, random_state=0).fit(X).inertia_ for k in ks]
    axes[2].plot(ks, inertia, "o-")
    axes[2].axvline(5, color="0.4", ls=":")
    axes[2].set_xlabel("k")
    axes[2].set_ylabel("inertia")
    axes[2].set_title("elbow curve (k-means++): the bend at k = 5")
    axes[2].grid(True, alpha=0.3)
    caption = (
        "k-means on 5 blobs: the centers travel from a random start to the blob means while "
        "the inertia decreases at every iteration; the elbow curve bends at the true k = 5."
    )
    return [(save(fig, out_dir, "kmeans_blobs.png"), caption)]


if __name__ == "__main__":
    main(run)
