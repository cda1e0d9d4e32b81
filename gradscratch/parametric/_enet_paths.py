"""Regularization paths: the elastic-net problem along a decreasing grid of alphas, each
solution warm-starting the next (scikit-learn's ``enet_path``/``lasso_path``)."""

import numbers

import numpy as np

from gradscratch.base import check_array
from gradscratch.parametric._enet import (
    DEFAULT_TOL,
    ElasticNetProblem,
    Settings,
    check_l1_ratio,
    check_working_set,
    solve_whole,
    solve_working_sets,
)
from gradscratch.parametric._least_squares import LeastSquares

__all__ = ["enet_path", "lasso_path"]


def enet_path(
    X,
    y,
    alphas=None,
    n_alphas=100,
    eps=1e-3,
    *,
    l1_ratio=0.5,
    coef_init=None,
    tol=DEFAULT_TOL,
    max_iter=None,
    optimizer=None,
    working_set=True,
    return_n_iter=False,
):
    """Elastic-net coefficients along a decreasing grid of alphas, with warm starts.

    Solves, for each alpha, ``1/(2n) ||y - X w||^2 + alpha * l1_ratio * ||w||_1
    + 0.5 * alpha * (1 - l1_ratio) * ||w||^2`` without an intercept (centre X and y first
    to get one), as scikit-learn's ``enet_path``; each solution starts the next.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,)
    alphas : array, int or None, default=None
        The alphas (sorted in decreasing order); an int or None makes a grid of that many
        (``n_alphas`` when None): from alpha_max = max_j |X_j^T y| / (n * l1_ratio), the
        smallest alpha with w = 0, down to ``eps * alpha_max``, log-spaced.
    n_alphas : int, default=100
    eps : float, default=1e-3
    l1_ratio : float, default=0.5
    coef_init : array of shape (n_features,), optional
        Starting coefficients for the first alpha.
    tol, max_iter, optimizer, working_set :
        As in :class:`ElasticNet`.
    return_n_iter : bool, default=False
        Also return the optimizer iterations for each alpha.

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
    n_iters : list of int
        Only with ``return_n_iter=True``.
    """
    X = check_array(X)
    y = check_array(y, name="y", ensure_2d=False)
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must be a 1-D array with one value per row of X ({X.shape[0]}), got shape "
            f"{y.shape}."
        )
    check_l1_ratio(l1_ratio)
    check_working_set(working_set)
    n, p = X.shape
    data = LeastSquares(X, y, np.ones(n), fit_intercept=False)
    if alphas is None or isinstance(alphas, numbers.Integral):
        if l1_ratio == 0:
            raise ValueError("The alpha grid needs l1_ratio > 0; pass the alphas explicitly.")
        count = n_alphas if alphas is None else alphas
        if not (isinstance(count, numbers.Integral) and count >= 1):
            raise ValueError(f"n_alphas must be a positive integer, got {count!r}.")
        if not (isinstance(eps, numbers.Real) and eps > 0):
            raise ValueError(f"eps must be a positive number, got {eps!r}.")
        alphas = _alpha_grid(data.Xty, n, l1_ratio, eps, int(count))
    else:
        alphas = np.sort(np.asarray(alphas, dtype=np.float64).ravel())[::-1]
        if alphas.size == 0 or not np.all(np.isfinite(alphas)) or alphas[-1] < 0:
            raise ValueError("alphas must be finite non-negative numbers.")
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=np.float64)
    if w.shape != (p,):
        raise ValueError(f"coef_init must have shape ({p},), got {w.shape}.")
    settings = Settings(optimizer, max_iter, tol, name="enet_path")
    solve = solve_working_sets if working_set else solve_whole
    coefs, gaps, n_iters = np.empty((p, len(alphas))), np.empty(len(alphas)), []
    for i, alpha in enumerate(alphas):
        problem = ElasticNetProblem(data, alpha * l1_ratio, alpha * (1.0 - l1_ratio))
        w, gaps[i], result, _ = solve(problem, w, settings)
        coefs[:, i] = w
        n_iters.append(int(result.n_iter))
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


def lasso_path(
    X,
    y,
    alphas=None,
    n_alphas=100,
    eps=1e-3,
    *,
    coef_init=None,
    tol=DEFAULT_TOL,
    max_iter=None,
    optimizer=None,
    working_set=True,
    return_n_iter=False,
):
    """Lasso coefficients along a decreasing grid of alphas: ``enet_path`` with l1_ratio=1.

    Solves ``1/(2n) ||y - X w||^2 + alpha * ||w||_1`` for each alpha (no intercept, as
    scikit-learn's ``lasso_path``); parameters and returns as in :func:`enet_path`.
    """
    return enet_path(
        X,
        y,
        alphas,
        n_alphas,
        eps,
        l1_ratio=1.0,
        coef_init=coef_init,
        tol=tol,
        max_iter=max_iter,
        optimizer=optimizer,
        working_set=working_set,
        return_n_iter=return_n_iter,
    )


def _alpha_grid(Xty, n, l1_ratio, eps, count):
    """scikit-learn's grid: alpha_max = max|X^T y| / (n l1_ratio) down to eps alpha_max."""
    alpha_max = float(np.max(np.abs(Xty))) / (n * l1_ratio)
    resolution = np.finfo(np.float64).resolution
    if alpha_max <= resolution:
        return np.full(count, resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=count)
