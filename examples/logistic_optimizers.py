"""
Logistic regression on breast cancer: one loss, every optimizer
===============================================================

The objective (scikit-learn's, divided by :math:`Cn`) is the mean log-loss plus
:math:`\\|w\\|^2 / (2Cn)`; swapping the optimizer is swapping one object. The curves are
read from each fit's trace: the suboptimality against the iteration and against wall time,
where Newton's few expensive steps and L-BFGS's cheap ones compare fairly.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

import optim
from gradscratch import LogisticRegression
from gradscratch.datasets import load_breast_cancer
from gradscratch.plotting import plot_convergence

C = 1.0
X, y = load_breast_cancer(return_X_y=True)
X = (X - X.mean(axis=0)) / X.std(axis=0)

# %%
# A step size for the fixed-step methods
# --------------------------------------
# :math:`\sigma'' \leq 1/4` bounds the Hessian by
# :math:`[X, 1]^\top [X, 1] / (4n) + I / (Cn)`: its largest eigenvalue is :math:`L`.

design = np.column_stack([X, np.ones(len(y))])
L = np.linalg.eigvalsh(design.T @ design)[-1] / (4 * len(y)) + 1.0 / (C * len(y))
optimizers = {
    "GD (backtracking)": optim.GradientDescent(),
    "Momentum (lr = 1/L)": optim.Momentum(lr=1.0 / L, momentum=0.9),
    "Nesterov": optim.Nesterov(),
    "Nesterov + restart": optim.Nesterov(restart=True),
    "Adam (lr = 0.05)": optim.Adam(lr=0.05),
    "L-BFGS": optim.LBFGS(),
    "Newton": optim.Newton(),
}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", optim.ConvergenceWarning)  # first-order runs cut at 400
    fits = {
        label: LogisticRegression(C=C, optimizer=opt, max_iter=400, tol=1e-10).fit(X, y)
        for label, opt in optimizers.items()
    }
f_star = min(m.optim_result_.fun for m in fits.values())

fig, axes = plt.subplots(1, 2, figsize=(12, 4.4), layout="constrained")
plot_convergence(fits, f_star=f_star, ax=axes[0])
plot_convergence(fits, f_star=f_star, x="time", ax=axes[1])
axes[0].set_xscale("symlog", linthresh=1)
axes[0].set_title("against iteration")
axes[1].set_title("against wall time")
axes[1].set_xscale("log")
axes[1].get_legend().remove()
fig.suptitle(f"LogisticRegression(C={C}) on standardized breast cancer (n=569, p=30)")

# %%
# Newton converges quadratically in a handful of steps and L-BFGS superlinearly with cheaper
# ones (the fastest in wall time). Gradient descent, whose backtracking step may grow again,
# converges linearly and here beats Nesterov, whose backtracked step never grows (as its
# :math:`O(1/k^2)` guarantee requires); plain Nesterov's momentum then oscillates, which
# adaptive restart removes. Momentum and Adam converge linearly, more slowly.

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
