"""The least-squares data term in orthogonal coordinates: LinearRegression's accurate route.

With the centred design weighted by sqrt(s_i) and its columns scaled to unit standard
deviation, Xs = Xc D^-1 (D = diag(x_scale)), ys = sqrt(s) yc, and a Householder QR
Xs = Q R (Q with orthonormal columns, R upper triangular),

    RSS(w) = ||ys - Xs D w||^2 = ||b - R D w||^2 + rho^2,   b = Q^T ys,  rho^2 = ||ys - Q b||^2

(rho^2 is the residual of the projection, computed as such, never as ||ys||^2 - ||b||^2,
which cancels on a close fit). In the coordinates u = R D w the data term is

    RSS(u) = ||b - u||^2 + rho^2,

a loss autograd differentiates like any other, whose Hessian is 2I on any data: Newton solves
it in one step, and the coefficients come back by one triangular solve, w = D^-1 R^-1 u. The
factorization is backward stable and nothing squares the condition number, so the
coefficients lose about log10 kappa digits where the Gram route loses 2 log10 kappa (see
``_least_squares.py``, which also says when the route is taken). It costs a centred copy of X
and about 4 n p^2 flops (factorization and Q) on top of the Gram pass that measured the
condition; nothing of size n is kept. At the fit rho^2 is the RSS to working precision, and
the standard errors use the same factor: G = Xc^T S Xc = (R D)^T (R D) (``gram_root``).

Measured on the NIST StRD sets (row orders permuted, 200 draws), this route and scikit-learn's
lstsq (tol=eps) have the same median digits on every set: on Wampler4/5, whose digits are
set by y's component along the least-significant directions (b's last entries, known to
eps ||ys|| absolute), each method's digits scatter over about +-0.8 with the rounding.
"""

import autograd.numpy as anp
import numpy as np

from gradscratch._blocks import combine_factors, is_dask, reduce_blocks
from gradscratch.parametric._least_squares import (
    GRAM_MAX_CONDITION,
    LeastSquares,
    _centred_blocks,
    _root_weights,
    standardized_condition,
)

__all__ = ["OrthogonalLeastSquares", "least_squares_route"]


def _block_factor(X, y, w, x_offset, y_offset, x_scale):
    """The triangular factor of one dask block of [Xs, ys] (centred, weighted and scaled as
    in memory), for ``gradscratch._blocks.combine_factors``."""
    # the whole dask block as one in-memory block (none when the dask block is empty)
    rows = list(_centred_blocks(X, y, _root_weights(w), x_offset, y_offset, max(1, len(X))))
    Z = np.column_stack([rows[0][0] / x_scale, rows[0][1]]) if rows else np.zeros((0, 0))
    return np.linalg.qr(Z.reshape(len(Z), X.shape[1] + 1), mode="r"), float(np.sum(w)), None


class OrthogonalLeastSquares:
    """The RSS in the coordinates u = R D w, with the centring of a :class:`LeastSquares`.

    Parameters
    ----------
    X, y, sample_weight : the data.
    centring : LeastSquares
        Built on the same data: its weighted means, weight sum and column scales are reused.

    Attributes
    ----------
    R : ndarray of shape (p, p)
        Upper triangular factor of the scaled centred design.
    b : ndarray of shape (p,)
        Q^T ys, the minimizer in u.
    rho2 : float
        The residual sum of squares at the least-squares fit.
    rank : int
        The numerical rank of Xs: singular values of R above max(n, p) eps times the largest
        (numpy's ``matrix_rank`` rule). Below p the coefficients are not identified and
        ``to_coef`` is not defined (:func:`least_squares_route` does not use this term then).
    """

    def __init__(self, X, y, sample_weight, centring):
        n, p = X.shape
        self.n_samples, self.weight_sum = centring.n_samples, centring.weight_sum
        self.x_offset, self.y_offset = centring.x_offset, centring.y_offset
        self.x_scale, self.yy = centring.x_scale, centring.yy
        if is_dask(X):
            self._reduce_blocks(X, y, sample_weight)
        else:
            root = _root_weights(sample_weight)
            ((Xs, ys),) = _centred_blocks(X, y, root, self.x_offset, self.y_offset, n)
            Xs /= self.x_scale
            Q, self.R = np.linalg.qr(Xs)
            self.b = Q.T @ ys
            self.rho2 = float(np.sum((ys - Q @ self.b) ** 2))
        singular_values = np.linalg.svd(self.R, compute_uv=False)
        tol = singular_values[0] * max(n, p) * np.finfo(np.float64).eps
        self.rank = int(np.sum(singular_values > tol))

    def _reduce_blocks(self, X, y, sample_weight):
        """R, b and rho^2 from the row blocks of dask arrays (a second pass, after the Gram
        pass that chose this route): a tall-skinny QR of [Xs, ys], whose triangular factor
        is [[R, b], [0, rho]] (the QR of the design augmented by y: b = Q^T ys, and rho the
        norm of the residual of the projection, never a difference of squares)."""
        p = X.shape[1]
        parts = (X, y, sample_weight), self.x_offset, self.y_offset, self.x_scale
        R, _, _ = reduce_blocks(_block_factor, combine_factors, *parts)
        R = np.vstack([R, np.zeros((max(0, p + 1 - R.shape[0]), p + 1))])
        self.R, self.b, self.rho2 = R[:p, :p], R[:p, p].copy(), float(R[p, p] ** 2)

    def rss(self, u):
        """Weighted residual sum of squares at u = R D w (intercept profiled out)."""
        d = self.b - u
        return anp.dot(d, d) + self.rho2

    def to_coef(self, u):
        """w = D^-1 R^-1 u, by a triangular solve (LU on a triangular R pivots nowhere)."""
        return np.linalg.solve(self.R, u) / self.x_scale

    def accurate_rss(self, u, X=None, y=None, sample_weight=None):
        """The RSS at u, to working precision already (rho^2 comes from the factorization)."""
        return float(self.rss(u))

    def intercept(self, w):
        """The best intercept for coefficients w."""
        return self.y_offset - float(self.x_offset @ w)

    @property
    def gram_root(self):
        """T = R D, upper triangular with T^T T = G = Xc^T S Xc."""
        return self.R * self.x_scale

    @property
    def curvature(self):
        """The RSS's Hessian diagonal in u: 2 (the Hessian is 2I)."""
        return np.full(len(self.b), 2.0)

    @property
    def rss_scale(self):
        """The RSS at w = 0 (1 for a constant y), as for :class:`LeastSquares`."""
        return self.yy if self.yy > 0 else 1.0


def least_squares_route(X, y, sample_weight, fit_intercept, route="auto"):
    """LinearRegression's data term: the Gram route where it is accurate, else orthogonal.

    Both compute the same RSS as the plain residual form (``LeastSquares(use_gram=False)``);
    ``tests/test_linear.py`` checks the three agree on random well-conditioned data. The Gram
    route is the faster: one pass over the rows as symmetric rank-k updates (n p^2 flops, no
    copy of X), then O(p^2) per evaluation; the orthogonal route adds a QR of a centred copy
    (2 n p^2 flops, n p memory) and is taken only where the Gram route would lose more than
    a digit to it: cond(C) > GRAM_MAX_CONDITION (``route="auto"``; "gram" or "orthogonal"
    force one). A numerically rank-deficient design keeps the Gram route, whose Newton step
    is the minimum-norm solution in standardized coordinates, with its ``rank`` recorded
    (summary() refuses it). Past the Gram route's size limits (p > n, p > GRAM_MAX_FEATURES)
    the plain form is used, as for every model.
    """
    if route not in ("auto", "gram", "orthogonal"):
        raise ValueError(f"route must be 'auto', 'gram' or 'orthogonal', got {route!r}.")
    data = LeastSquares(X, y, sample_weight, fit_intercept)
    if not data.use_gram or route == "gram":
        return data
    if route == "auto" and standardized_condition(data.gram) <= GRAM_MAX_CONDITION:
        data.rank = X.shape[1]  # cond(C) <= 100: full rank
        return data
    accurate = OrthogonalLeastSquares(X, y, sample_weight, data)
    if accurate.rank < X.shape[1]:
        data.rank = accurate.rank
        return data
    return accurate
