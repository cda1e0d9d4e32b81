"""Figures drawn from fitted models and optimizer results; nothing is fitted here.

matplotlib is imported inside each function so that importing gradscratch stays light.
"""

import numpy as np

__all__ = ["plot_convergence"]


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
