"""Figures drawn from fitted models and optimizer results; nothing is fitted here.

matplotlib is imported inside each function so that importing gradscratch stays light.
"""

import numpy as np

__all__ = ["plot_convergence", "plot_tree"]


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
    return ax
