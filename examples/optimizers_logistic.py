"""The ten optimizers of ``optim`` on one L2-regularized logistic loss, against iteration and
against wall time.

F(w, b) = mean(log(1 + exp(-s_i (x_i^T w + b)))) + 0.05 ||w||^2, s_i = +-1: smooth and strongly
convex (mu >= 0.1), so every method converges; what differs is how fast per iteration and per
second. Every curve is read from the runs' traces.
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
from gradscratch.plotting import plot_convergence
from optim.schedules import Cosine

MAX_ITER = 3000


def run(out_dir):
    """Ten optimizers on a regularized logistic loss: suboptimality per iteration and per second."""
    import matplotlib.pyplot as plt

    X, y = make_classification(500, 10, n_informative=5, class_sep=0.8, random_state=0)
    X1 = np.hstack([X, np.ones((len(X), 1))])
    s = 2.0 * y - 1.0

    def loss(wb):
        return anp.mean(anp.logaddexp(0.0, -s * (X1 @ wb))) + 0.05 * anp.sum(wb[:-1] ** 2)

    # Lipschitz constant of the gradient, for the fixed-step methods; ProximalGradient (with
    # no prox) is gradient descent with backtracking.
    L = float(np.linalg.eigvalsh(X1.T @ X1 / (4 * len(X1)))[-1]) + 0.1
    optimizers = {
        "GradientDescent (lr=1/L)": optim.GradientDescent(lr=1.0 / L),
        "Momentum (lr=1/L)": optim.Momentum(lr=1.0 / L, momentum=0.9),
        "Nesterov": optim.Nesterov(),
        "AdaGrad (lr=0.5)": optim.AdaGrad(lr=0.5),
        "RMSProp (cosine lr)": optim.RMSProp(lr=Cosine(0.01, MAX_ITER)),
        "Adam (lr=0.01)": optim.Adam(lr=0.01),
        "LBFGS": optim.LBFGS(),
        "Newton": optim.Newton(),
        "ProximalGradient (backtracking)": optim.ProximalGradient(),
        "FISTA": optim.FISTA(),
    }
    results = {}
    with warnings.catch_warnings():
        # Adaptive methods may stop at MAX_ITER before meeting the gradient tolerance.
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        for label, opt in optimizers.items():
            results[label] = opt.minimize(loss, np.zeros(X1.shape[1]), max_iter=MAX_ITER, tol=1e-9)
    f_star = min(r.fun for r in results.values())

    fig, (ax_it, ax_time) = plt.subplots(1, 2, figsize=(12, 4.8))
    plot_convergence(results, f_star=f_star, ax=ax_it)
    plot_convergence(results, f_star=f_star, x="time", ax=ax_time)
    ax_it.set_xscale("symlog", linthresh=10)
    ax_time.set_xscale("symlog", linthresh=1e-3)
    ax_it.set_title("F(x_k) - F* against iteration")
    ax_time.set_title("F(x_k) - F* against wall time")
    ax_time.get_legend().remove()
    for ax in (ax_it, ax_time):
        ax.set_ylim(bottom=1e-16 * abs(f_star))
    fig.suptitle("Regularized logistic regression (500 samples, 10 features): ten optimizers")
    caption = (
        "Ten optimizers on one regularized logistic loss (x axes: linear below 10 iterations / "
        "1 ms, logarithmic above). Newton (quadratic) and L-BFGS (superlinear) need about 10 "
        "iterations, L-BFGS being the fastest in seconds; FISTA, Nesterov and backtracking ISTA "
        "(whose step grows past 1/L) need tens; gradient descent with lr=1/L a few hundred, and "
        "heavy ball with momentum 0.9 oscillates before settling; Adam and AdaGrad, built for "
        "noisy minibatch gradients, are slower, and RMSProp with a constant lr stalls near "
        "1e-4 until its cosine schedule anneals the step."
    )
    return [(save(fig, out_dir, "optimizers_logistic.png"), caption)]


if __name__ == "__main__":
    main(run)
