"""The residual statistics of the elastic net's working-set solver, on either route.

Every KKT check, duality gap and screening test of :mod:`._enet` needs, at a point w, the
correlations X^T S R, R^T S R and R^T S y of the residual R = y - X w (centred data). On the
Gram route they come from G = X^T S X and X^T S y in p x p work; on the design route (many
features) from one pass over the rows, or from the columns the working sets have visited so
far (:class:`GramCache`, which also builds the working sets' Gram blocks).
"""

import numpy as np

__all__ = ["GramCache", "statistics"]


def statistics(data, w):
    """(X^T S R, R^T S R, R^T S y) at w, R the residual, in numpy; cheap for a sparse w."""
    nz = np.flatnonzero(w)
    if nz.size == 0:  # R = y: the statistics are the data term's own
        return data.Xty.copy(), data.yy, data.yy
    dense = 4 * nz.size > w.size  # then a plain product beats copying the columns out
    if data.use_gram:
        return _gram_statistics(data, data.gram @ w if dense else data.gram[:, nz] @ w[nz], w)
    R = data.y - (data.X @ w if dense else data.X[:, nz] @ w[nz])
    return data.X.T @ R, float(R @ R), float(R @ data.y)


def _gram_statistics(data, Gw, w):
    """``statistics`` from Gw = G w, G the Gram matrix: p x p work, no pass over the rows."""
    cw = float(data.Xty @ w)
    return data.Xty - Gw, data.yy - 2.0 * cw + float(w @ Gw), data.yy - cw


class GramCache:
    """Gram blocks of the features seen so far: a new feature costs one pass over them.

    The columns seen are copied once into a column-major buffer (so the cross products and
    the residual X_T w read contiguous memory); once more than half the features have been
    asked for, the full Gram matrix (one symmetric product, X^T X) costs less than growing
    the blocks further, and replaces them.
    """

    def __init__(self, X):
        self.X = X
        n, p = X.shape
        self.pos = np.full(p, -1)
        self.k = 0
        self.cols = np.empty((n, p // 2), order="F")
        self.gram = np.empty((p // 2, p // 2))

    def fills(self, k):
        """Whether k cached features pass the half of them where the full Gram matrix
        replaces the blocks."""
        return 2 * k > self.X.shape[1]

    def block(self, columns):
        new = columns[self.pos[columns] < 0]
        if new.size and self.fills(self.k + new.size):
            self.gram, self.cols = self.X.T @ self.X, None
            self.pos, self.k = np.arange(self.X.shape[1]), self.X.shape[1]
        elif new.size:
            k, m = self.k, new.size
            self.cols[:, k : k + m] = self.X[:, new]
            old, fresh = self.cols[:, :k], self.cols[:, k : k + m]
            cross = old.T @ fresh
            self.gram[:k, k : k + m] = cross
            self.gram[k : k + m, :k] = cross.T
            self.gram[k : k + m, k : k + m] = fresh.T @ fresh
            self.pos[new] = np.arange(k, k + m)
            self.k = k + m
        at = self.pos[columns]
        return self.gram[np.ix_(at, at)]

    def statistics(self, data, w):
        """``statistics(data, w)`` when w's nonempty support is among the cached columns, else
        None (then ``statistics(data, w)`` itself)."""
        if self.cols is None:  # the full Gram matrix: as the Gram route
            return _gram_statistics(data, self.gram @ w, w)
        nz = np.flatnonzero(w)
        at = self.pos[nz]
        if nz.size == 0 or np.any(at < 0):  # (at w = 0, statistics() needs no pass over X)
            return None
        v = np.zeros(self.k)
        v[at] = w[nz]
        R = data.y - self.cols[:, : self.k] @ v
        return data.X.T @ R, float(R @ R), float(R @ data.y)
