"""LogisticRegression on standardized breast cancer: one loss, every optimizer.

The objective (scikit-learn's, divided by C * n) is the mean log-loss plus ||w||^2 / (2 C n);
swapping the optimizer is swapping one object. Curves are read from each fit's trace: the
suboptimality against the iteration and against wall time (where Newton's few expensive
steps and L-BFGS's cheap ones compare fairly). Momentum and Adam are drawn when optim has them.
"""

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main, save

import optim
from gradscratch import LogisticRegression
from gradscratch.datasets import load_breast_cancer
from gradscratch.plotting import plot_convergence

C = 1.0


def _optimizers():
    found = {"GD (backtracking)": optim.GradientDescent()}
    if getattr(optim, "Momentum", None) is not None:
        found["Momentum"] = optim.Momentum()
    found["Nesterov"] = optim.Nesterov()
    found["Nesterov + restart"] = optim.Nesterov(restart=True)
    if getattr(optim, "Adam", None) is not None:
        found["Adam"] = optim.Adam()
    found["L-BFGS"] = optim.LBFGS()
    found["Newton"] = optim.Newton()
    return found


def run(out_dir):
    """Breast cancer logistic regression: loss against iteration and wall time."""
    import matplotlib.pyplot as plt

    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    with warnings.catch_warnings():
        # The first-order runs are cut at 400 iterations on purpose.
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        fits = {
            label: LogisticRegression(C=C, optimizer=opt, max_iter=400, tol=1e-10).fit(X, y)
            for label, opt in _optimizers().items()
        }
    f_star = min(m.optim_result_.fun for m in fits.values())
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
    plot_convergence(fits, f_star=f_star, ax=axes[0])
    plot_convergence(fits, f_star=f_star, x="time", ax=axes[1])
    axes[0].set_title("against iteration")
    axes[1].set_title("against wall time")
    axes[1].set_xscale("log")
    fig.suptitle(f"LogisticRegression(C={C}) on standardized breast cancer (n=569, p=30)")
    missing = [name for name in ("Momentum", "Adam") if getattr(optim, name, None) is None]
    caption = (
        "Logistic regression on breast cancer, the same loss under each optimizer: Newton "
        "converges quadratically in a handful of steps and L-BFGS superlinearly with cheaper "
        "ones (fastest in wall time). Gradient descent, whose backtracking step may grow "
        "again, converges linearly and here beats Nesterov, whose backtracked step never "
        "grows (as its O(1/k^2) guarantee requires); plain Nesterov's momentum then "
        "oscillates near 1e-6, which adaptive restart removes."
        + (f" ({' and '.join(missing)} not available in optim yet.)" if missing else "")
    )
    return [(save(fig, out_dir, "logistic_optimizers.png"), caption)]


if __name__ == "__main__":
    main(run)
