"""
Ridge: four optimizers against the textbook rates
=================================================

Ridge on standardized diabetes minimizes the quadratic
:math:`\\|y - Xw - b\\|^2 + \\alpha \\|w\\|^2`. The fit hands the optimizer standardized
coordinates (:math:`w = s \\odot z`, the objective divided by its value at 0:
``coef_scale`` and ``objective_scale`` in ``optim_result_``), where the Hessian is
:math:`2 S (X_c^\\top X_c + \\alpha I) S / v`. That gives :math:`\\mu` and :math:`L` exactly,
and with them the rates: gradient descent with step :math:`1/L` stays under
:math:`(1 - \\mu/L)^k`, Nesterov's method with constant momentum under the accelerated
:math:`(1 - \\sqrt{\\mu/L})^k`; L-BFGS is superlinear and Newton solves a quadratic in one
step.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

import optim
from gradscratch import Ridge
from gradscratch.datasets import load_diabetes
from gradscratch.plotting import plot_convergence

ALPHA = 1.0
X, y = load_diabetes(return_X_y=True, scaled=False)
X = (X - X.mean(axis=0)) / X.std(axis=0)

# %%
# The Hessian the optimizer sees
# ------------------------------
# Read the scale and the divisor from a default fit, and form the Hessian in the optimizer's
# coordinates: its extreme eigenvalues are :math:`\mu` and :math:`L`.

probe = Ridge(alpha=ALPHA).fit(X, y).optim_result_
s, v = probe.coef_scale, probe.objective_scale
Xc = X - X.mean(axis=0)
hessian = 2.0 * (Xc.T @ Xc + ALPHA * np.eye(X.shape[1])) * np.outer(s, s) / v
mu, L = np.linalg.eigvalsh(hessian)[[0, -1]]
print(f"mu = {mu:.4f}, L = {L:.3f}, L/mu = {L / mu:.0f}")

# %%
# Four runs of the same loss
# --------------------------
# The first-order runs are cut at 1000 iterations; the x axis is logarithmic past
# :math:`k = 1` so that Newton's single step and L-BFGS's few show next to the linear rates.

optimizers = {
    "GD (lr = 1/L)": optim.GradientDescent(lr=1.0 / L),
    "Nesterov (constant momentum)": optim.Nesterov(
        lr=1.0 / L, momentum=(1 - np.sqrt(mu / L)) / (1 + np.sqrt(mu / L))
    ),
    "L-BFGS": optim.LBFGS(),
    "Newton": optim.Newton(),
}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", optim.ConvergenceWarning)
    fits = {
        label: Ridge(alpha=ALPHA, optimizer=opt, max_iter=1000, tol=1e-13).fit(X, y)
        for label, opt in optimizers.items()
    }
f_star = min(m.optim_result_.fun for m in fits.values())
gap0 = fits["L-BFGS"].optim_result_.trace["fun"][0] - f_star

fig, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
plot_convergence(
    fits,
    f_star=f_star,
    ax=ax,
    bounds={
        "(1 - mu/L)^k": lambda k: gap0 * (1 - mu / L) ** k,
        "(1 - sqrt(mu/L))^k": lambda k: 2 * gap0 * (1 - np.sqrt(mu / L)) ** k,
    },
)
ax.set_xscale("symlog", linthresh=1)
ax.set_xlim(0, 1000)
ax.set_ylim(3e-17 * abs(f_star), 10 * gap0)  # the floor (1e-16 |F*|) in view
ax.set_title(f"Ridge on diabetes (alpha={ALPHA}, L/mu = {L / mu:.0f})")
ax.get_legend().remove()
fig.legend(*ax.get_legend_handles_labels(), loc="outside right center", fontsize=8)

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
