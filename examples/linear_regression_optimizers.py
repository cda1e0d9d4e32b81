"""
Least squares in standardized coordinates
=========================================

``LinearRegression`` minimizes the residual sum of squares
:math:`\\mathrm{RSS}(w) = \\|y_c - X_c w\\|^2` (intercept profiled out by centring). Its
fit hands every optimizer the same problem in standardized coordinates
:math:`w = s \\odot z`, objective divided by its value at the start, where the Hessian has a
unit diagonal. On diabetes in its raw units (age in years, blood pressure in mm Hg, serum
measurements in mg/dl) that turns a condition number of about :math:`10^5` into the one of
the correlation matrix, about :math:`5 \\cdot 10^2`.
"""

import warnings

import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np

import optim
from gradscratch import LinearRegression
from gradscratch.datasets import load_diabetes
from gradscratch.plotting import plot_convergence

X, y = load_diabetes(return_X_y=True, scaled=False)

# %%
# One loss, four optimizers
# -------------------------
# Each fit keeps the optimizer's trace in ``optim_result_``; Newton solves the quadratic in
# one step, L-BFGS in about as many steps as there are distinct eigenvalues that matter.

optimizers = {
    "Newton (default)": optim.Newton(),
    "L-BFGS": optim.LBFGS(),
    "Nesterov + restart": optim.Nesterov(restart=True),
    "GD (backtracking)": optim.GradientDescent(),
}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", optim.ConvergenceWarning)  # GD is cut at 300 on purpose
    fits = {
        name: LinearRegression(optimizer=opt, max_iter=300, tol=1e-12).fit(X, y)
        for name, opt in optimizers.items()
    }
for name, model in fits.items():
    print(f"{name:18s} {model.n_iter_:4d} iterations, R^2 = {model.score(X, y):.6f}")

# %%
# The same gradient descent without the standardization
# -----------------------------------------------------
# Written by hand on the raw columns, the RSS (divided by its value at 0, as the fit does)
# has the Hessian :math:`2 X_c^\top X_c / \|y_c\|^2`; its eigenvalues spread over five
# decades, and backtracking gradient descent creeps along the smallest ones.

Xc, yc = X - X.mean(axis=0), y - y.mean()
yy = float(yc @ yc)


def raw_rss(w):
    r = yc - anp.dot(Xc, w)
    return anp.dot(r, r) / yy


with warnings.catch_warnings():
    warnings.simplefilter("ignore", optim.ConvergenceWarning)
    raw = optim.GradientDescent().minimize(raw_rss, np.zeros(X.shape[1]), max_iter=300)
s = fits["Newton (default)"].optim_result_.coef_scale
H_raw = 2 * Xc.T @ Xc / yy
H_std = H_raw * np.outer(s, s)
cond = {name: np.linalg.cond(H) for name, H in [("raw", H_raw), ("standardized", H_std)]}
f_star = fits["Newton (default)"].optim_result_.fun

fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.4), layout="constrained")
plot_convergence(fits, f_star=f_star, ax=ax)
ax.set_xscale("symlog", linthresh=1)
ax.set_ylabel("RSS(w_k) - RSS*")
ax.set_title("LinearRegression on raw diabetes: four optimizers")
gd = fits["GD (backtracking)"].optim_result_
k = np.arange(len(gd.trace["fun"]))
ax2.semilogy(k, gd.trace["fun"] - f_star, label=f"standardized (cond {cond['standardized']:.0f})")
ax2.semilogy(
    np.arange(len(raw.trace["fun"])),
    raw.trace["fun"] * yy - f_star,
    label=f"raw units (cond {cond['raw']:.1e})",
)
ax2.set_xlabel("iteration k")
ax2.set_ylabel("RSS(w_k) - RSS*")
ax2.set_title("gradient descent, with and without the standardization")
ax2.grid(True, which="both", alpha=0.3)
ax2.legend(fontsize=8)

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
