"""The weighted least-squares data term, shared by every linear regression model.

    RSS(w, b) = sum_i s_i (y_i - x_i w - b)^2

The intercept is not a parameter of the optimization: for any w the best b is
y_mean - x_mean w (weighted means), so the data are centred once and b recovered afterwards,
exactly as scikit-learn does. When n >> p the data term is written on the sufficient
statistics G = Xc^T S Xc, c = Xc^T S yc, yy = yc^T S yc:

    RSS(w) = w^T G w - 2 c^T w + yy,

which autograd differentiates like any loss but costs O(p^2) per evaluation instead of O(np).
"""

import autograd.numpy as anp
import numpy as np

__all__ = ["LeastSquares"]

# Above this many features (and when p > n) the Gram matrix is not worth forming.
GRAM_MAX_FEATURES = 2000


class LeastSquares:
    """Centred data or their sufficient statistics, and the RSS as an autograd function.

    Parameters
    ----------
    X : array of shape (n, p)
    y : array of shape (n,)
    sample_weight : array of shape (n,)
    fit_intercept : bool
    use_gram : bool or "auto"
        "auto" uses the Gram matrix when p <= n and p <= GRAM_MAX_FEATURES.
    """

    def __init__(self, X, y, sample_weight, fit_intercept, use_gram="auto"):
        n, p = X.shape
        self.n_samples = n
        self.weight_sum = float(np.sum(sample_weight))
        if fit_intercept:
            self.x_offset = sample_weight @ X / self.weight_sum
            self.y_offset = float(sample_weight @ y / self.weight_sum)
        else:
            self.x_offset = np.zeros(p)
            self.y_offset = 0.0
        root = None if np.all(sample_weight == 1.0) else np.sqrt(sample_weight)
        if use_gram == "auto":
            use_gram = p <= n and p <= GRAM_MAX_FEATURES
        self.use_gram = bool(use_gram)
        if self.use_gram:
            # Centre and accumulate block by block: no centred copy of X is ever made, and
            # each block's Xb^T Xb runs as a symmetric rank-k update.
            self.gram = np.zeros((p, p))
            self.Xty = np.zeros(p)
            self.yy = 0.0
            for Xb, yb in _centred_blocks(X, y, root, self.x_offset, self.y_offset):
                self.gram += Xb.T @ Xb
                self.Xty += Xb.T @ yb
                self.yy += float(yb @ yb)
            self.X = self.y = None
        else:
            self.gram = None
            ((self.X, self.y),) = _centred_blocks(X, y, root, self.x_offset, self.y_offset, n)
            self.Xty = self.X.T @ self.y
            self.yy = float(self.y @ self.y)

    def rss(self, w):
        """Weighted residual sum of squares at coefficients w (intercept profiled out)."""
        if self.use_gram:
            return anp.dot(w, anp.dot(self.gram, w)) - 2.0 * anp.dot(self.Xty, w) + self.yy
        r = self.y - anp.dot(self.X, w)
        return anp.dot(r, r)

    def correlation(self, w):
        """X^T S (y - X w): minus half the RSS gradient, in plain numpy (for duality gaps)."""
        if self.use_gram:
            return self.Xty - self.gram @ w
        return self.X.T @ (self.y - self.X @ w)

    def intercept(self, w):
        """The best intercept for coefficients w."""
        return self.y_offset - float(self.x_offset @ w)

    def restrict(self, columns, gram_block=None):
        """The same data term on the features ``columns`` only, on their sufficient statistics.

        ``gram_block`` (Xc^T S Xc restricted to ``columns``) may be given when the caller
        already has it; otherwise it is taken from the Gram matrix or computed from the design.
        """
        columns = np.asarray(columns, dtype=np.intp)
        if gram_block is None:
            if self.use_gram:
                gram_block = self.gram[np.ix_(columns, columns)]
            else:
                Xs = self.X[:, columns]
                gram_block = Xs.T @ Xs
        sub = object.__new__(LeastSquares)
        sub.n_samples, sub.weight_sum = self.n_samples, self.weight_sum
        sub.x_offset, sub.y_offset = self.x_offset[columns], self.y_offset
        sub.use_gram, sub.gram, sub.X, sub.y = True, gram_block, None, None
        sub.Xty, sub.yy = self.Xty[columns], self.yy
        return sub

    @property
    def column_ss(self):
        """sum_i s_i (x_ij - mean_j)^2 for each column: half the RSS's curvature along w_j."""
        if self.use_gram:
            return np.diag(self.gram).copy()
        return np.einsum("ij,ij->j", self.X, self.X)

    @property
    def x_scale(self):
        """The weighted standard deviation of each (centred) column; 1 for a constant one."""
        sd = np.sqrt(self.column_ss / self.weight_sum)
        return np.where(sd > 0, sd, 1.0)

    @property
    def y_scale(self):
        """The weighted standard deviation of (centred) y; 1 for a constant y."""
        sd = np.sqrt(self.yy / self.weight_sum)
        return sd if sd > 0 else 1.0

    @property
    def coef_scale(self):
        """A coefficient's natural unit, std(y) / std(x_j): w = coef_scale * z puts the RSS
        in standardized coordinates z (the design's correlation matrix as its Hessian)."""
        return self.y_scale / self.x_scale

    @property
    def rss_scale(self):
        """The RSS at w = 0, sum_i s_i (y_i - mean y)^2 (1 for a constant y): RSS / rss_scale
        is of order 1."""
        return self.yy if self.yy > 0 else 1.0


def _centred_blocks(X, y, root, x_offset, y_offset, block=None):
    """(sqrt(s) * (X - x_offset), sqrt(s) * (y - y_offset)) in blocks of rows."""
    n, p = X.shape
    block = block or max(1, (1 << 20) // max(p, 1))
    for start in range(0, n, block):
        Xb = X[start : start + block] - x_offset
        yb = y[start : start + block] - y_offset
        if root is not None:
            Xb *= root[start : start + block, None]
            yb = yb * root[start : start + block]
        yield Xb, yb
