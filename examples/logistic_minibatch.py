"""Minibatch Adam against full-batch methods on a large synthetic logistic regression.

The objective is an average, F(w, b) = mean_i l(y_i, x_i w + b) + ||w||^2 / (2 C n) with l the
binary log-loss of :mod:`gradscratch.losses`, so a minibatch gives an unbiased estimate of it
and of its gradient: ``optimizer.minimize(f, x0, data=(X, y), batch_size=...)`` makes one
step per batch, and the trace records the full objective once per epoch (one pass over the
data), the unit in which the full-batch methods (one gradient per iteration) are counted too.
Needs optim's stochastic optimizers (Adam, minibatches); without them it draws nothing.
"""

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import autograd.numpy as anp
import numpy as np
from _common import main, save

import optim
from gradscratch.datasets import make_classification
from gradscratch.losses import binary_log_loss
from gradscratch.plotting import plot_convergence

N, P, C = 100_000, 50, 1.0


def run(out_dir):
    """Minibatch Adam against full-batch Adam and L-BFGS, per epoch and per second."""
    if getattr(optim, "Adam", None) is None:
        return []
    import matplotlib.pyplot as plt

    X, y = make_classification(N, P, n_informative=10, class_sep=0.7, flip_y=0.02, random_state=0)
    y = y.astype(np.float64)
    lam = 1.0 / (C * N)

    def objective(x, Xb, yb):
        w, b = x[:-1], x[-1]
        return anp.mean(binary_log_loss(yb, anp.dot(Xb, w) + b)) + 0.5 * lam * anp.dot(w, w)

    x0 = np.zeros(P + 1)
    runs = {}
    with warnings.catch_warnings():
        # Every run stops at its epoch budget on purpose.
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        runs["L-BFGS (full batch)"] = optim.LBFGS().minimize(
            objective, x0, data=(X, y), max_iter=40, tol=1e-12
        )
        runs["Adam, full batch (lr = 0.05)"] = optim.Adam(lr=0.05).minimize(
            objective, x0, data=(X, y), max_iter=40, tol=1e-12
        )
        for batch, lr in [(1000, 0.01), (100, 0.002)]:
            runs[f"Adam, batches of {batch} (lr = {lr})"] = optim.Adam(lr=lr).minimize(
                objective,
                x0,
                data=(X, y),
                batch_size=batch,
                random_state=0,
                max_iter=4,
                tol=1e-12,
            )
    f_star = runs["L-BFGS (full batch)"].fun
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.3))
    plot_convergence(runs, f_star=f_star, ax=axes[0])
    plot_convergence(runs, f_star=f_star, x="time", ax=axes[1])
    axes[0].set_xlabel("epoch (passes over the data)")
    axes[0].set_title("against epochs")
    axes[1].set_title("against wall time")
    fig.suptitle(f"L2 logistic regression, n={N}, p={P}: minibatch against full batch")
    caption = (
        "Minibatch Adam makes hundreds of steps per pass over the data: it is near 1e-3 "
        "suboptimality after two epochs, a level full-batch Adam reaches only after ~40, and "
        "then stalls at the noise floor its step size and batch set. On this well-conditioned "
        "problem held in memory, full-batch L-BFGS still converges to machine precision in "
        "~15 passes and wins in wall time: minibatches pay off when a full pass is the "
        "expensive part."
    )
    return [(save(fig, out_dir, "logistic_minibatch.png"), caption)]


if __name__ == "__main__":
    main(run)
