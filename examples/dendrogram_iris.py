"""Hierarchical clustering of iris: ward and single linkage dendrograms.

Both trees come from :func:`gradscratch.linkage` (scipy's linkage matrix); ward's merge
heights grow fast once well separated groups join, single linkage chains points together.
"""

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import AgglomerativeClustering, linkage
from gradscratch.datasets import load_iris
from gradscratch.plotting import plot_dendrogram


def run(out_dir):
    """Dendrograms of iris (ward and single linkage)."""
    import matplotlib.pyplot as plt

    X, y = load_iris(return_X_y=True)
    species = np.array(["s", "v", "g"])[y]
    fig, axes = plt.subplots(2, 1, figsize=(13, 8))
    for ax, method in zip(axes, ["ward", "single"]):
        Z = linkage(X, method)
        labels = AgglomerativeClustering(3, linkage=method).fit(X).labels_
        agree = max(
            np.mean(labels == perm[y]) for perm in map(np.array, itertools.permutations(range(3)))
        )
        plot_dendrogram(
            Z, ax=ax, labels=species, color_threshold=(Z[-3, 2] + Z[-2, 2]) / 2, leaf_font_size=4
        )
        ax.set_title(
            f"{method} linkage: cut into 3 clusters, {100 * agree:.0f}% agree with the species"
        )
    caption = (
        "Iris dendrograms (leaves: s = setosa, v = versicolor, g = virginica): ward separates "
        "three groups with large merge heights; single linkage chains versicolor and "
        "virginica together and isolates setosa."
    )
    return [(save(fig, out_dir, "dendrogram_iris.png"), caption)]


if __name__ == "__main__":
    main(run)
