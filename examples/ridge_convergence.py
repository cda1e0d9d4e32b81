"""Ridge on standardized diabetes: GD, Nesterov, L-BFGS and Newton against the textbook rates.

The objective is the quadratic ||y - Xw - b||^2 + alpha ||w||^2. The fit hands the optimizer
standardized coordinates (w = s * z, the objective divided by its value at 0; ``coef_scale`` and
``objective_scale`` in ``optim_result_``), where its Hessian is S 2 (Xc^T Xc + alpha I) S / v:
that gives mu and L exactly. Gradient descent with step 1/L stays under (1 - mu/L)^k and
Nesterov's method under the accelerated (1 - sqrt(mu/L))^k envelope.
"""

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

import optim
from gradscratch import Ridge
from gradscratch.datasets import load_diabetes
from gradscratch.plotting import plot_convergence

ALPHA = 1.0


def run(out_dir):
    """Ridge on diabetes: four optimizers and the linear-rate bounds."""
    import matplotlib.pyplot as plt

    X, y = load_diabetes(return_X_y=True, scaled=False)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    # The Hessian the optimizer sees, in its standardized coordinates.
    probe = Ridge(alpha=ALPHA).fit(X, y).optim_result_
    s, v = probe.coef_scale, probe.objective_scale
    Xc = X - X.mean(axis=0)
    hessian = 2.0 * (Xc.T @ Xc + ALPHA * np.eye(X.shape[1])) * np.outer(s, s) / v
    eig = np.linalg.eigvalsh(hessian)
    mu, L = eig[0], eig[-1]
    optimizers = {
        "GD (lr = 1/L)": optim.GradientDescent(lr=1.0 / L),
        "Nesterov (constant momentum)": optim.Nesterov(
            lr=1.0 / L, momentum=(1 - np.sqrt(mu / L)) / (1 + np.sqrt(mu / L))
        ),
        "L-BFGS": optim.LBFGS(),
        "Newton": optim.Newton(),
    }
    with warnings.catch_warnings():
        # The first-order runs are cut at 300 iterations on purpose.
        warnings.simplefilter("ignore", optim.ConvergenceWarning)
        fits = {
            label: Ridge(alpha=ALPHA, optimizer=opt, max_iter=300, tol=1e-13).fit(X, y)
            for label, opt in optimizers.items()
        }
    f_star = min(m.optim_result_.fun for m in fits.values())
    gap0 = fits["L-BFGS"].optim_result_.trace["fun"][0] - f_star
    fig, ax = plt.subplots(figsize=(7, 4.5))
    plot_convergence(
        fits,
        f_star=f_star,
        ax=ax,
        bounds={
            "(1 - mu/L)^k": lambda k: gap0 * (1 - mu / L) ** k,
            "(1 - sqrt(mu/L))^k": lambda k: 2 * gap0 * (1 - np.sqrt(mu / L)) ** k,
        },
    )
    ax.set_title(f"Ridge on diabetes (alpha={ALPHA}, L/mu = {L / mu:.0f})")
    ax.set_ylim(bottom=1e-10 * abs(f_star))
    caption = (
        "Ridge on diabetes: GD with lr=1/L stays under (1 - mu/L)^k and Nesterov under the "
        "accelerated (1 - sqrt(mu/L))^k envelope; L-BFGS is superlinear and Newton solves "
        "the quadratic in one step."
    )
    return [(save(fig, out_dir, "ridge_convergence.png"), caption)]


if __name__ == "__main__":
    main(run)
