"""
The ten optimizers of optim on one logistic loss
================================================

:math:`F(w, b) = \\frac{1}{n}\\sum_i \\log(1 + e^{-s_i (x_i^\\top w + b)}) + 0.05\\|w\\|^2`,
:math:`s_i = \\pm 1`: smooth and strongly convex (:math:`\\mu \\geq 0.1`), so every method
converges; what differs is how fast per iteration and per second. The objective is written
directly with ``autograd.numpy`` and handed to each optimizer's ``minimize``; every curve is
read from the runs' traces.
"""

import warnings

import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np

import optim
from gradscratch.datasets import make_classification
from gradscratch.plotting import plot_convergence
from optim.schedules import Cosine

MAX_ITER = 3000
X, y = make_classification(500, 10, n_informative=5, class_sep=0.8, random_state=0)
X1 = np.hstack([X, np.ones((len(X), 1))])
s = 2.0 * y - 1.0


def loss(wb):
    return anp.mean(anp.logaddexp(0.0, -s * (X1 @ wb))) + 0.05 * anp.sum(wb[:-1] ** 2)


# %%
# Ten optimizers, one call each
# -----------------------------
# :math:`L`, the Lipschitz constant of the gradient, sets the fixed steps; ProximalGradient
# with no prox is gradient descent with backtracking.

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
with warnings.catch_warnings():
    # the adaptive methods may stop at MAX_ITER before meeting the tolerance
    warnings.simplefilter("ignore", optim.ConvergenceWarning)
    results = {
        label: opt.minimize(loss, np.zeros(X1.shape[1]), max_iter=MAX_ITER, tol=1e-9)
        for label, opt in optimizers.items()
    }
f_star = min(r.fun for r in results.values())

fig, (ax_it, ax_time) = plt.subplots(1, 2, figsize=(13, 5.6), layout="constrained")
plot_convergence(results, f_star=f_star, ax=ax_it)
plot_convergence(results, f_star=f_star, x="time", ax=ax_time)
ax_it.set_xscale("symlog", linthresh=10)
ax_time.set_xscale("symlog", linthresh=1e-3)
ax_it.set_title("against iteration (linear below 10)")
ax_time.set_title("against wall time (linear below 1 ms)")
handles, labels = ax_it.get_legend_handles_labels()
for ax in (ax_it, ax_time):
    ax.get_legend().remove()
fig.legend(handles, labels, loc="outside lower center", ncol=5, fontsize=8)
for ax in (ax_it, ax_time):
    ax.set_ylim(bottom=3e-17 * abs(f_star))
fig.suptitle("Regularized logistic regression (500 samples, 10 features): ten optimizers")

# %%
# Newton (quadratic) and L-BFGS (superlinear) need about 10 iterations, L-BFGS being the
# fastest in seconds; FISTA, Nesterov and backtracking ISTA (whose step grows past
# :math:`1/L`) need tens; gradient descent with :math:`1/L` a few hundred, and heavy ball
# with momentum 0.9 oscillates before settling. The adaptive methods, built for noisy
# minibatch gradients, pay for their per-coordinate steps here: AdaGrad (lr 0.5) needs about
# a hundred iterations, Adam (lr 0.01) several hundred, and RMSProp stalls near
# :math:`10^{-4}` until its cosine schedule anneals the step.

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
