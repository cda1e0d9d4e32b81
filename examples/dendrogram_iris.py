"""
Hierarchical clustering of iris: ward and single linkage
========================================================

Both trees come from :func:`gradscratch.linkage` (scipy's linkage matrix). Ward merges the
pair of clusters whose union least increases the within-cluster sum of squares, so its merge
heights grow fast once well separated groups join; single linkage merges the closest pair of
points and chains them together. Under each dendrogram, a strip gives every leaf's species:
150 leaf labels would not be readable, colours are.
"""

import itertools

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Patch

from gradscratch import AgglomerativeClustering, linkage
from gradscratch.datasets import load_iris
from gradscratch.plotting import plot_dendrogram

X, y = load_iris(return_X_y=True)
species = np.array(["setosa", "versicolor", "virginica"])
strip_colors = np.array(["#252525", "#bdbdbd", "#984ea3"])

# %%
# Two linkages, cut into three clusters
# -------------------------------------
# The agreement with the species is the best match of cluster labels to species over the
# six relabellings. The leaf order is read back from the drawn axis (leaves labelled by
# their row number), then the labels are replaced by the species strip.

fig, axes = plt.subplots(2, 1, figsize=(13, 8), layout="constrained")
for ax, method in zip(axes, ["ward", "single"]):
    Z = linkage(X, method)
    labels = AgglomerativeClustering(3, linkage=method).fit(X).labels_
    agree = max(np.mean(labels == np.array(p)[y]) for p in itertools.permutations(range(3)))
    cut = (Z[-3, 2] + Z[-2, 2]) / 2
    plot_dendrogram(Z, ax=ax, labels=np.arange(len(y)), color_threshold=cut)
    order = np.array([int(t.get_text()) for t in ax.get_xticklabels()])
    ax.set_xticks([])
    top = ax.get_ylim()[1]
    band = 0.06 * top
    ax.bar(np.arange(len(y)), band, bottom=-1.15 * band, width=1.0, color=strip_colors[y[order]])
    ax.set_ylim(-1.2 * band, top)
    ax.set_xlabel("the 150 iris flowers, in leaf order (strip: species)")
    ax.set_title(
        f"{method} linkage, cut into 3 clusters: {100 * agree:.0f}% agree with the species"
    )
axes[0].legend(
    handles=[Patch(color=c, label=s) for c, s in zip(strip_colors, species)],
    title="species",
    fontsize=8,
    loc="upper right",
)

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
