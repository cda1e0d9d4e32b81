"""Figures drawn from fitted models and optimizer results; nothing is fitted here.

matplotlib is imported inside each function so that importing gradscratch stays light.
"""

import numpy as np

from gradscratch._graph import plot_computation_graph as plot_computation_graph

__all__ = [
    "plot_convergence",
    "plot_decision_regions",
    "plot_dendrogram",
    "plot_scree",
    "plot_tree",
]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 4.2))
    return ax


def plot_convergence(results, *, f_star=None, x="iteration", ax=None, bounds=None, floor=1e-16):
    """Suboptimality F(x_k) - F* (log scale) of each run against iteration or time.

    Parameters
    ----------
    results : dict of {label: OptimizeResult or fitted model}
        Runs to draw; a model is read through its ``optim_result_``.
    f_star : float, optional
        The optimum; default: the smallest objective seen in any run.
    x : {"iteration", "time"}, default="iteration"
    ax : matplotlib Axes, optional
    bounds : dict of {label: callable k -> bound on F(x_k) - F*}, optional
        Textbook rates drawn as dashed lines over the iterations shown.
    floor : float, default=1e-16
        Gaps below this (relative to |F*|) are drawn at the floor, for the log scale.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    traces = {label: getattr(r, "optim_result_", r)["trace"] for label, r in results.items()}
    if f_star is None:
        f_star = min(float(np.min(t["fun"])) for t in traces.values())
    lowest = floor * max(abs(f_star), 1.0)
    longest = 1
    for label, trace in traces.items():
        gap = np.maximum(trace["fun"] - f_star, lowest)
        xs = trace["time"] if x == "time" else np.arange(len(gap))
        ax.semilogy(xs, gap, label=label, lw=1.6)
        longest = max(longest, len(gap))
    if bounds and x == "iteration":
        k = np.arange(longest)
        for label, bound in bounds.items():
            ax.semilogy(k, np.maximum(bound(k), lowest), "--", lw=1.0, label=label)
    ax.set_xlabel("seconds" if x == "time" else "iteration k")
    ax.set_ylabel("F(x_k) - F*")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_tree(tree, ax=None, feature_names=None, class_names=None, fontsize=8):
    """Draw a fitted decision tree: split rule, impurity, samples and value in each node.

    Leaves are spaced evenly left to right and each internal node sits above the middle of its
    leaves; depth grows downward. ``tree`` is a fitted DecisionTreeClassifier/Regressor.
    """
    ax = _axes(ax)
    t = tree.tree_
    names = feature_names or [f"x[{j}]" for j in range(t.n_features)]
    classes = getattr(tree, "classes_", None)
    if classes is not None and class_names is not None:
        classes = list(class_names)
    x = np.zeros(t.node_count)
    next_leaf = [0.0]

    def place(node):
        left, right = t.children_left[node], t.children_right[node]
        if left == -1:
            x[node] = next_leaf[0]
            next_leaf[0] += 1.0
        else:
            place(left)
            place(right)
            x[node] = (x[left] + x[right]) / 2

    place(0)
    width = max(next_leaf[0] - 1.0, 1.0)
    depth = max(t.max_depth, 1)
    xs, ys = x / width, 1.0 - t.depth / depth
    for node in range(t.node_count):
        for child in (t.children_left[node], t.children_right[node]):
            if child != -1:
                ax.plot([xs[node], xs[child]], [ys[node], ys[child]], color="0.6", lw=0.8, zorder=1)
    for node in range(t.node_count):
        lines = []
        if t.children_left[node] != -1:
            lines.append(f"{names[t.feature[node]]} <= {t.threshold[node]:.3g}")
        lines.append(f"impurity = {t.impurity[node]:.3f}")
        lines.append(f"samples = {t.n_node_samples[node]}")
        v = t.value[node]
        if classes is not None:
            lines.append(f"class = {classes[int(np.argmax(v))]}")
            color = f"C{int(np.argmax(v)) % 10}"
            alpha = 0.15 + 0.6 * (float(v.max()) - 1.0 / len(v)) / (1.0 - 1.0 / len(v) + 1e-12)
        else:
            lines.append(f"value = {v[0]:.3g}")
            color, alpha = "C0", 0.25
        ax.text(
            xs[node],
            ys[node],
            "\n".join(lines),
            ha="center",
            va="center",
            fontsize=fontsize,
            bbox=dict(boxstyle="round", fc=color, alpha=min(alpha, 0.8), ec="0.3"),
            zorder=2,
        )
    ax.set_xlim(-0.08, 1.08)
    ax.set_ylim(-0.12, 1.12)
    ax.axis("off")


def _dendrogram_layout(Z):
    """Leaf order (left child first) and the (x, height) of every node of a linkage matrix."""
    Z = np.asarray(Z, dtype=np.float64)
    n = Z.shape[0] + 1
    children = Z[:, :2].astype(np.intp)
    order, stack = [], [2 * n - 2]
    while stack:
        node = stack.pop()
        if node < n:
            order.append(node)
        else:
            left, right = children[node - n]
            stack.extend([right, left])
    x = np.empty(2 * n - 1)
    x[np.array(order, dtype=np.intp)] = np.arange(n)
    height = np.concatenate([np.zeros(n), Z[:, 2]])
    for i, (a, b) in enumerate(children):
        x[n + i] = (x[a] + x[b]) / 2
    return np.array(order), x, height


def plot_dendrogram(Z, ax=None, *, labels=None, color_threshold=None, leaf_font_size=7):
    """Dendrogram of a scipy-style linkage matrix (as returned by :func:`gradscratch.linkage`).

    Parameters
    ----------
    Z : ndarray of shape (n - 1, 4)
    ax : matplotlib Axes, optional
    labels : sequence of str, optional
        Leaf labels (default: the point indices, shown when there are at most 80 leaves).
    color_threshold : float, optional
        Subtrees merged below this height get one color each; links above are gray.
        Default: 0.7 * the largest height (scipy's default).
    leaf_font_size : float, default=7

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.collections import LineCollection

    from gradscratch.nonparametric import fcluster

    ax = _axes(ax)
    Z = np.asarray(Z, dtype=np.float64)
    n = Z.shape[0] + 1
    order, x, height = _dendrogram_layout(Z)
    threshold = 0.7 * Z[:, 2].max() if color_threshold is None else color_threshold
    cluster = fcluster(Z, threshold, criterion="distance")
    palette = ["C0", "C1", "C2", "C3", "C4", "C5", "C6", "C8", "C9"]
    segments, colors = [], []
    for i, (a, b) in enumerate(Z[:, :2].astype(np.intp)):
        h = Z[i, 2]
        segments.append([(x[a], height[a]), (x[a], h), (x[b], h), (x[b], height[b])])
        leaf = a
        while leaf >= n:
            leaf = int(Z[leaf - n, 0])
        colors.append(palette[(cluster[leaf] - 1) % len(palette)] if h <= threshold else "0.5")
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=1.0))
    ax.set_xlim(-1, n)
    ax.set_ylim(0, 1.05 * Z[:, 2].max() if n > 1 else 1)
    if labels is not None or n <= 80:
        names = np.arange(n).astype(str) if labels is None else np.asarray(labels).astype(str)
        ax.set_xticks(np.arange(n))
        ax.set_xticklabels(names[order], rotation=90, fontsize=leaf_font_size)
    else:
        ax.set_xticks([])
    ax.axhline(threshold, color="0.3", lw=0.8, ls=":")
    ax.set_ylabel("merge height")
    return ax


def plot_scree(pca, ax=None):
    """Explained variance ratio of each component (bars) and its cumulative sum (line).

    Parameters
    ----------
    pca : fitted :class:`gradscratch.PCA`
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    ratio = np.asarray(pca.explained_variance_ratio_)
    k = np.arange(1, len(ratio) + 1)
    ax.bar(k, ratio, color="C0", alpha=0.7, label="explained variance ratio")
    ax.plot(k, np.cumsum(ratio), "o-", color="C3", ms=3, label="cumulative")
    ax.set_xlabel("component")
    ax.set_ylabel("fraction of variance")
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_decision_regions(model, X, y, ax=None, *, resolution=200, margin=0.05, alpha=0.25):
    """Predicted class over a grid covering 2-D data, with the points on top.

    Works with any fitted classifier whose ``predict`` takes 2 features.

    Parameters
    ----------
    model : fitted classifier
    X : array of shape (n_samples, 2)
    y : array of shape (n_samples,)
    ax : matplotlib Axes, optional
    resolution : int, default=200
        Grid points per axis.
    margin : float, default=0.05
        Fraction of the data range added on each side.
    alpha : float, default=0.25
        Opacity of the regions.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.colors import ListedColormap

    ax = _axes(ax)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_regions needs 2-D data, got shape {X.shape}.")
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * np.where(hi > lo, hi - lo, 1.0)
    g0 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g1 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    xx, yy = np.meshgrid(g0, g1)
    pred = model.predict(np.column_stack([xx.ravel(), yy.ravel()]))
    classes = np.unique(np.concatenate([np.unique(y), np.unique(pred)]))
    colors = [f"C{i % 10}" for i in range(len(classes))]
    cmap = ListedColormap(colors)
    codes = np.searchsorted(classes, pred).reshape(xx.shape)
    ax.contourf(xx, yy, codes, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=alpha)
    ax.scatter(
        X[:, 0],
        X[:, 1],
        c=np.searchsorted(classes, y),
        cmap=cmap,
        vmin=-0.5,
        vmax=len(classes) - 0.5,
        s=14,
        edgecolors="k",
        linewidths=0.3,
    )
    ax.set_xlim(g0[0], g0[-1])
    ax.set_ylim(g1[0], g1[-1])
    return ax
