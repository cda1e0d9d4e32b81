"""
ISTA against FISTA on one lasso, with their textbook bounds
===========================================================

Both run with the fixed step :math:`1/L`, :math:`L` the Lipschitz constant of the smooth
part :math:`\\|y - Xw - b\\|^2 / (2n)` in the coordinates the optimizer works in: the fit
standardizes them (:math:`w = s \\odot z`, the objective divided by :math:`v`;
``coef_scale`` and ``objective_scale`` in ``optim_result_``), where the Hessian is
:math:`S X_c^\\top X_c S / (n v)`. From :math:`z_0 = 0`, Beck and Teboulle (2009) bound the
suboptimality of ISTA by :math:`L \\|z_0 - z^*\\|^2 / (2k)` and of FISTA (without restart) by
:math:`2 L \\|z_0 - z^*\\|^2 / (k + 1)^2`, times :math:`v` in the model's units. FISTA with
backtracking and adaptive restart (the default) is drawn too.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

import optim
from gradscratch import Lasso
from gradscratch.datasets import load_diabetes
from gradscratch.plotting import plot_convergence

ITERATIONS = 300
X, y = load_diabetes(return_X_y=True, scaled=False)
X = (X - X.mean(axis=0)) / X.std(axis=0)
Xc = X - X.mean(axis=0)
alpha = 0.01 * np.max(np.abs(Xc.T @ (y - y.mean()))) / len(y)

# %%
# The optimum and the constants of the bounds
# -------------------------------------------
# A tight default fit gives :math:`F^*` and :math:`z^*`; its scale and divisor give
# :math:`L` in the optimizer's coordinates.

reference = Lasso(alpha=alpha, tol=1e-12).fit(X, y)
s, v = reference.optim_result_.coef_scale, reference.optim_result_.objective_scale
L = np.linalg.eigvalsh(Xc.T @ Xc / len(y) * np.outer(s, s) / v)[-1]
z_star = reference.coef_ / s
f_star, r2 = reference.optim_result_.fun, float(z_star @ z_star)

# %%
# Three runs of 300 iterations
# ----------------------------
# ``working_set=False`` runs each method once on the whole problem, so that its trace is
# that method's history, and ``tol=0`` makes every run go the full length. The right panel
# is the duality gap of each run, read from ``gap_history_``.

optimizers = {
    "ISTA (lr = 1/L)": optim.ProximalGradient(lr=1.0 / L),
    "FISTA (lr = 1/L, no restart)": optim.FISTA(lr=1.0 / L, restart=False),
    "FISTA (backtracking, restart)": optim.FISTA(),
}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", optim.ConvergenceWarning)
    fits = {
        label: Lasso(
            alpha=alpha, optimizer=opt, working_set=False, max_iter=ITERATIONS, tol=0.0
        ).fit(X, y)
        for label, opt in optimizers.items()
    }

fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
plot_convergence(
    fits,
    f_star=f_star,
    ax=ax,
    bounds={
        "L ||z0 - z*||^2 / (2k)": lambda k: v * L * r2 / (2.0 * np.maximum(k, 1)),
        "2 L ||z0 - z*||^2 / (k + 1)^2": lambda k: 2.0 * v * L * r2 / (k + 1.0) ** 2,
    },
)
ax.set_xscale("log")
ax.set_ylim(bottom=3e-17 * abs(f_star))  # the floor (1e-16 |F*|) in view
ax.set_title(f"Lasso on diabetes (alpha = 0.01 alpha_max, L = {L:.2f})")
for label, model in fits.items():
    ax2.semilogy(np.maximum(model.gap_history_, 1e-16), label=label, lw=1.4)
ax2.set_xscale("log")
ax2.set_xlabel("iteration k")
ax2.set_ylabel("duality gap")
ax2.set_title("the duality gap falls with them")
ax2.grid(True, which="both", alpha=0.3)
ax2.legend(fontsize=8)

# %%
# Each fixed-step method stays under its bound; restarted FISTA converges linearly (the
# problem is strongly convex on its support).

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
