"""
The lasso and elastic-net regularization paths of diabetes
==========================================================

``lasso_path`` and ``enet_path`` solve
:math:`\\frac{1}{2n}\\|y - Xw\\|^2 + \\alpha\\rho\\|w\\|_1 + \\frac{\\alpha(1-\\rho)}{2}\\|w\\|^2`
on scikit-learn's grid: from :math:`\\alpha_{\\max} = \\max_j |x_j^\\top y| / (n\\rho)`, the
smallest :math:`\\alpha` with every coefficient at zero, down to
:math:`10^{-3}\\alpha_{\\max}`, log-spaced, each solution warm-starting the next. The lasso
path is piecewise linear in :math:`\\alpha`: variables enter one by one; the elastic net's L2
part lets correlated variables enter together.
"""

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import enet_path, lasso_path
from gradscratch.datasets import load_diabetes

L1_RATIO = 0.8
TOL = 1e-8
bunch = load_diabetes()
X, y = bunch.data, bunch.target

# %%
# Both paths, with the iterations each alpha took
# -----------------------------------------------

alphas, coefs, gaps, iters = lasso_path(X, y, eps=1e-3, tol=TOL, return_n_iter=True)
e_alphas, e_coefs, e_gaps, e_iters = enet_path(
    X, y, eps=1e-3, l1_ratio=L1_RATIO, tol=TOL, return_n_iter=True
)

fig, (ax, ax2) = plt.subplots(1, 2, figsize=(13, 4.8), width_ratios=[1.6, 1], layout="constrained")
colors = plt.cm.tab10(np.arange(X.shape[1]))
for j, name in enumerate(bunch.feature_names):
    ax.plot(alphas, coefs[j], color=colors[j], lw=1.6, label=name)
    ax.plot(e_alphas, e_coefs[j], color=colors[j], lw=1.0, ls="--")
ax.set_xscale("log")
ax.invert_xaxis()
ax.set_xlabel("alpha (decreasing)")
ax.set_ylabel("coefficient")
ax.set_title(f"lasso (solid) and elastic net, l1_ratio={L1_RATIO} (dashed)")
ax.legend(fontsize=7, ncol=2, loc="upper left")
ax.grid(alpha=0.3)

ax2.step(alphas, np.count_nonzero(coefs, axis=0), where="mid", label="lasso: nonzero")
ax2.step(
    e_alphas, np.count_nonzero(e_coefs, axis=0), where="mid", ls="--", label="elastic net: nonzero"
)
ax2.set_xscale("log")
ax2.invert_xaxis()
ax2.set_xlabel("alpha (decreasing)")
ax2.set_ylabel("nonzero coefficients")
twin = ax2.twinx()
twin.plot(alphas, iters, color="gray", lw=0.8, label="lasso: FISTA iterations")
twin.set_ylabel("FISTA iterations per alpha (warm-started)", color="gray")
worst = max(gaps.max(), e_gaps.max())
ax2.set_title(f"largest duality gap on the paths: {worst:.1e}", fontsize=10)
handles = ax2.get_legend_handles_labels()
extra = twin.get_legend_handles_labels()
ax2.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="upper left")

# %%
# An alpha takes no FISTA iteration when the previous support, polished by one Newton step
# on it, is already optimal.

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
