"""PCA and k-means on dask arrays: their sums over samples, per block, reduced.

PCA needs the centred data only through their scatter Xc^T Xc = V S^2 V^T: the solver
"covariance_eigh" takes it from the blocks' moments merged by Chan's update (the in-memory
route's matrix, without its cancellation), "full" from a tall-skinny QR of the centred
blocks, R^T R = Xc^T Xc, whose SVD R = U S V^T has the singular values and right vectors of
Xc itself (the in-memory SVD's, to rounding). Both are one pass; only p x p matrices travel
(``gradscratch._blocks``).
"""

import numpy as np

from gradscratch._blocks import combine_factors, combine_moments, moments, reduce_blocks

__all__ = ["pca_blocks"]


def _block_factor(X):
    """(R, n_b, mean) of one block centred at its own mean, and the block's max |x|."""
    if len(X) == 0:
        p = X.shape[1]
        return (np.zeros((0, p)), 0.0, np.zeros(p)), 0.0
    mean = X.mean(axis=0)
    R = np.linalg.qr(X - mean, mode="r")
    return (R, float(len(X)), mean), float(np.max(np.abs(X)))


def _combine_factors(parts):
    nonempty = [p[0] for p in parts if p[0][1] > 0] or [parts[0][0]]
    return combine_factors(nonempty), max(p[1] for p in parts)


def pca_blocks(X, solver):
    """(mean, S, Vt, variance, max |x|) of the rows of the dask array X: the singular values
    and right singular vectors of the centred data (``solver`` "covariance_eigh" or "full"),
    the variances S^2 / (n - 1), in decreasing order."""
    n, p = X.shape
    if solver == "covariance_eigh":
        total = reduce_blocks(moments, combine_moments, (X,))
        variance, vectors = np.linalg.eigh(total.scatter / (n - 1))
        variance, Vt = np.maximum(variance[::-1], 0.0), vectors[:, ::-1].T
        return total.mean, np.sqrt(variance * (n - 1)), Vt, variance, total.largest
    (R, _, mean), largest = reduce_blocks(_block_factor, _combine_factors, (X,))
    _, S, Vt = np.linalg.svd(R, full_matrices=False)
    S = np.concatenate([S, np.zeros(min(n, p) - len(S))])
    if Vt.shape[0] < min(n, p):  # fewer rows than features in R: complete the basis
        _, _, Vt = np.linalg.svd(np.vstack([R, np.zeros((p - R.shape[0], p))]))
        Vt = Vt[: min(n, p)]
    return mean, S, Vt, S**2 / (n - 1), largest
