"""The weighted least-squares data term, shared by every linear regression model.

    RSS(w, b) = sum_i s_i (y_i - x_i w - b)^2

The intercept is not a parameter of the optimization: for any w the best b is
y_mean - x_mean w (weighted means), so the data are centred once and b recovered afterwards,
exactly as scikit-learn does. With the rows of the centred data weighted by sqrt(s_i), the
plain form is the residuals themselves (the code path taken when p > n):

    RSS(w) = ||yc - Xc w||^2,                                   O(np) per evaluation.

The Gram route, every model's default when n >= p, writes the same function on the sufficient
statistics G = Xc^T S Xc, c = Xc^T S yc, yy = yc^T S yc:

    RSS(w) = w^T G w - 2 c^T w + yy,                            O(p^2) per evaluation,

which autograd differentiates like any loss, after one pass over the rows (a symmetric
rank-k update per block, no centred copy of X).

What the Gram route costs in accuracy. Let kappa be the condition number of the centred design
with its columns scaled to unit norm (column scaling changes neither method's accuracy beyond
this normalization, van der Sluis). Forming G squares it: the coefficients solved from G carry
about 16 - 2 log10 kappa correct digits, those from an orthogonal factorization of the design
about 16 - log10 kappa (both lose a further kappa^2 * ||r|| / ||Xc w|| when the residual r is
large). The Gram route thus loses log10 kappa digits more than QR. LinearRegression keeps it
only where that is at most one digit, kappa <= 10, that is cond(C) = kappa^2 <= 100
(``GRAM_MAX_CONDITION``) for the design's correlation matrix C = D^-1 G D^-1, D^2 = diag(G);
:func:`standardized_condition` computes cond(C) from C's eigenvalues, O(p^3) against the
O(n p^2) of forming G. Elsewhere it takes the orthogonal route of ``_orthogonal.py``. On the
NIST StRD sets cond(C) is 1 (Norris, NoInt1/2) and 69 (Pontius), which stay on the Gram route,
1.2e4 (Longley), 2.7e6 (Wampler1-5) and about 1e19 (Filip), which do not.

The Gram RSS itself cancels where the fit is close: at the optimum the three terms sum to
RSS from terms of size yy, so its rounding error is about eps * yy whatever RSS is (measured:
1e-16 yy for n up to 2e5). Its relative error eps * yy / RSS reaches 1e-10 (the standard
errors' tenth digit) at RSS = 1e-6 yy (``RSS_CANCELLED``); below that :meth:`accurate_rss`
recomputes it from the residuals in one more pass over the rows.
"""

import autograd.numpy as anp
import numpy as np

from gradscratch._blocks import Moments, combine_moments, is_dask, reduce_blocks
from gradscratch._dask_validation import check_weight_sum

__all__ = ["GRAM_MAX_CONDITION", "LeastSquares", "standardized_condition"]

# Above this many features (and when p > n) the Gram matrix is not worth forming.
GRAM_MAX_FEATURES = 2000
# LinearRegression trusts the Gram route up to this cond(C) (see the module docstring).
GRAM_MAX_CONDITION = 1e2
# Below RSS_CANCELLED * yy the Gram form of the RSS has lost its tenth digit to cancellation.
RSS_CANCELLED = 1e-6


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

    Attributes
    ----------
    rank : int or None
        The numerical rank of the centred design where it has been measured (LinearRegression's
        route choice does, see ``_orthogonal.least_squares_route``), else None.

    The optimizer's parameters are the coefficients themselves: ``to_coef`` is the identity
    and ``curvature`` the RSS's Hessian diagonal in them (the orthogonal data term has others).
    """

    def __init__(self, X, y, sample_weight, fit_intercept, use_gram="auto"):
        if is_dask(X):
            self._reduce_blocks(X, y, sample_weight, fit_intercept, use_gram)
            return
        n, p = X.shape
        self.n_samples = n
        self.weight_sum = float(np.sum(sample_weight))
        if fit_intercept:
            self.x_offset = sample_weight @ X / self.weight_sum
            self.y_offset = float(sample_weight @ y / self.weight_sum)
        else:
            self.x_offset = np.zeros(p)
            self.y_offset = 0.0
        root = _root_weights(sample_weight)
        self.rank = None
        if use_gram == "auto":
            use_gram = p <= n and p <= GRAM_MAX_FEATURES
        self.use_gram = bool(use_gram)
        if self.use_gram:
            self.gram, self.Xty, self.yy = _sums(X, y, root, self.x_offset, self.y_offset)
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

    def to_coef(self, w):
        """The coefficients at the optimizer's parameters: here they are the same."""
        return w

    def accurate_rss(self, w, X, y, sample_weight):
        """The RSS at w to working precision: the Gram form unless it has cancelled (below
        RSS_CANCELLED * yy, see the module docstring), else sum_i s_i (y_i - x_i w - b)^2 from
        the residuals, in blocks of rows (X, y, sample_weight: the data this term was built on).
        """
        rss = float(self.rss(w))
        if not self.use_gram or rss > RSS_CANCELLED * self.yy:
            return rss
        if is_dask(X):
            terms = (X, y, sample_weight), self.x_offset, self.y_offset, w
            return reduce_blocks(_block_rss, sum, *terms)
        root = _root_weights(sample_weight)
        blocks = _centred_blocks(X, y, root, self.x_offset, self.y_offset)
        return float(sum(np.sum((yb - Xb @ w) ** 2) for Xb, yb in blocks))

    def _reduce_blocks(self, X, y, sample_weight, fit_intercept, use_gram):
        """The same term from the row blocks of dask arrays, in one pass: each block's
        statistics centred at its own means (the in-memory code, :func:`_block_moments`),
        combined exactly by Chan's update (``gradscratch._blocks``). Only the Gram route:
        p moderate (at most GRAM_MAX_FEATURES, and p <= n)."""
        n, p = X.shape
        if use_gram == "auto":
            use_gram = p <= n and p <= GRAM_MAX_FEATURES
        if not use_gram:
            raise ValueError(
                f"Least squares on a dask array reduce the data to the p x p Gram matrix in "
                f"one pass, which needs p <= n and p <= {GRAM_MAX_FEATURES}; got n={n}, "
                f"p={p}. Select fewer features, or compute the data to fit in memory."
            )
        total = reduce_blocks(_block_moments, combine_moments, (X, y, sample_weight), fit_intercept)
        check_weight_sum(total.weight)
        self.n_samples, self.weight_sum = n, total.weight
        mean = np.zeros(p + 1) if total.mean is None else total.mean
        self.x_offset, self.y_offset = mean[:p].copy(), float(mean[p])
        self.use_gram, self.rank, self.X, self.y = True, None, None, None
        self.gram = total.scatter[:p, :p].copy()
        self.Xty = total.scatter[:p, p].copy()
        self.yy = float(total.scatter[p, p])

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
        sub.rank = None
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
    def curvature(self):
        """The RSS's Hessian diagonal, 2 sum_i s_i (x_ij - mean_j)^2: the fit path's Jacobi
        scaling (``_model.jacobi_scale``) is built on it."""
        return 2.0 * self.column_ss

    @property
    def rss_scale(self):
        """The RSS at w = 0, sum_i s_i (y_i - mean y)^2 (1 for a constant y): RSS / rss_scale
        is of order 1."""
        return self.yy if self.yy > 0 else 1.0


def standardized_condition(gram):
    """cond(C) of the correlation matrix C = D^-1 G D^-1 (D^2 = diag(G); a constant column
    counts as singular): the squared condition number of the centred design with unit-norm
    columns, from C's eigenvalues. Its O(p^3) is a fraction p / n of forming G. inf when C is
    singular or indefinite in floating point (collinear or constant columns)."""
    sd = np.sqrt(np.diag(gram))
    if np.any(sd == 0):
        return np.inf
    eigenvalues = np.linalg.eigvalsh(gram / np.outer(sd, sd))
    return float(eigenvalues[-1] / eigenvalues[0]) if eigenvalues[0] > 0 else np.inf


def _sums(X, y, root, x_offset, y_offset):
    """(Xc^T S Xc, Xc^T S yc, yc^T S yc), centring and accumulating block by block: no
    centred copy of X is ever made, and each block's Xb^T Xb runs as a symmetric rank-k
    update."""
    p = X.shape[1]
    gram, Xty, yy = np.zeros((p, p)), np.zeros(p), 0.0
    for Xb, yb in _centred_blocks(X, y, root, x_offset, y_offset):
        gram += Xb.T @ Xb
        Xty += Xb.T @ yb
        yy += float(yb @ yb)
    return gram, Xty, yy


def _block_moments(X, y, w, fit_intercept):
    """One dask block's statistics, centred at the block's own weighted means by the
    in-memory code, as the :class:`Moments` of the rows z = [x, y] (for Chan's update)."""
    p = X.shape[1]
    weight = float(np.sum(w))
    if fit_intercept and weight > 0:
        x_offset, y_offset = w @ X / weight, float(w @ y / weight)
    else:
        x_offset, y_offset = np.zeros(p), 0.0
    gram, Xty, yy = _sums(X, y, _root_weights(w), x_offset, y_offset)
    scatter = np.block([[gram, Xty[:, None]], [Xty[None, :], np.array([[yy]])]])
    mean = np.append(x_offset, y_offset) if fit_intercept else None
    return Moments(weight, mean, scatter)


def _block_rss(X, y, w, x_offset, y_offset, coef):
    """sum_i s_i (y_i - x_i w - b)^2 over one dask block (``accurate_rss``)."""
    blocks = _centred_blocks(X, y, _root_weights(w), x_offset, y_offset)
    return float(sum(np.sum((yb - Xb @ coef) ** 2) for Xb, yb in blocks))


def _root_weights(sample_weight):
    """sqrt(s), or None for unit weights (the blocks then skip the scaling)."""
    return None if np.all(sample_weight == 1.0) else np.sqrt(sample_weight)


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
