"""Logistic regression on dask arrays: the same data term, evaluated block by block.

The in-memory data term (``logistic._LogisticData``) is the weighted mean log-loss

    L(x) = sum_i s_i l_i(x) / W,     W = sum_i s_i,

on the design centred at the weighted means. On dask arrays it is split over the row blocks
b (n_b rows of n) as ``optim.blocks`` sums it, F(x) = sum_b (n_b / n) f_b(x), with

    f_b(x) = (n / n_b) sum_{i in b} s_i l_i(x) / W,

so F = L exactly: ``optim.minimize(f, x0, data=(X, y_idx, s))`` evaluates f and its autograd
gradient where each block lives and returns one value and one gradient per evaluation. What
the fit needs first (the classes, the class counts for "balanced" and the present-class check,
the weighted means and standard deviations of the columns) comes from one pass of per-block
sums (the moments merged by Chan's update, ``gradscratch._blocks``) after the classes' own
small pass (``dask.array.unique``).
"""

import autograd.numpy as anp
import numpy as np

from gradscratch._blocks import combine_moments, moments, reduce_blocks
from gradscratch.base import check_classification_targets, check_sample_weight
from gradscratch.losses import binary_log_loss, multinomial_log_loss
from gradscratch.parametric.logistic import _LogisticData

__all__ = ["BlockLogisticData", "logistic_blocks"]


def _class_index(y, classes):
    return np.searchsorted(classes, y)


def _weigh(w, y_idx, class_weights):
    return w * class_weights[y_idx]


def _block_counts(X, y_idx, w, n_classes):
    """(weighted class counts, the Moments of the block's rows) for one block."""
    return np.bincount(y_idx, weights=w, minlength=n_classes), moments(X, w)


def _combine_counts(parts):
    return sum(p[0] for p in parts), combine_moments([p[1] for p in parts])


def logistic_blocks(model, X, y, sample_weight):
    """``model.classes_`` and a :class:`BlockLogisticData` for dask arrays X and y (the
    in-memory checks of ``LogisticRegression.fit``, from per-block sums)."""
    # the distinct labels of each block (a few values per block travel), then of all
    model.classes_ = np.unique(np.asarray(y.map_blocks(np.unique, dtype=y.dtype).compute()))
    check_classification_targets(model.classes_)
    n_classes = len(model.classes_)
    y_idx = y.map_blocks(_class_index, model.classes_, dtype=np.intp)
    weights = check_sample_weight(sample_weight, X.shape[0], like=X)
    if model.class_weight == "balanced":
        counts, _ = reduce_blocks(_block_counts, _combine_counts, (X, y_idx, weights), n_classes)
        safe = np.where(counts > 0, counts, 1.0)
        class_weights = np.where(counts > 0, np.sum(counts) / (n_classes * safe), 0.0)
    else:
        class_weights = model._class_weights(None, None)
    weights = weights.map_blocks(_weigh, y_idx, class_weights, dtype=np.float64)
    counts, total = reduce_blocks(_block_counts, _combine_counts, (X, y_idx, weights), n_classes)
    present = np.flatnonzero(counts > 0)
    if len(present) < 2:
        raise ValueError(
            "LogisticRegression needs samples of at least 2 classes (with positive weight) "
            f"in the data, but the data contain only one class: {model.classes_[present]!r}."
        )
    return BlockLogisticData(
        (X, y_idx, weights), total, n_classes, model.fit_intercept, model.C != np.inf
    )


def _block_information(X, y_idx, weights, data, x):
    from types import SimpleNamespace

    from gradscratch.parametric.inference import logistic_information

    rows = SimpleNamespace(
        target=(y_idx == 1).astype(np.float64),
        weight_sum=1.0,
        scaled_weights=weights,  # weight_sum * scaled_weights: the block's s_i
        scores=lambda x: data.scores(x, X),
        X=X - data.x_offset if data.fit_intercept else X,
        offset_left=0.0,  # X is centred here
        fit_intercept=data.fit_intercept,
    )
    return logistic_information(rows, x)


class BlockLogisticData(_LogisticData):
    """``_LogisticData`` on dask arrays: ``mean_nll(x, X_b, y_b, s_b)`` is a block's f_b
    (module docstring), and ``blocks`` the arrays to pass as ``data``; what needs no data
    (``curvature``, ``unpack``) is the in-memory class's own."""

    def __init__(self, blocks, total, n_classes, fit_intercept, penalized):
        X = blocks[0]
        self.blocks = blocks
        self.n_samples = X.shape[0]
        self.weight_sum = float(total.weight)
        self.x_offset = total.mean if fit_intercept else np.zeros(X.shape[1])
        # the weighted variance about the offset: Chan's scatter, plus the shift's square
        scatter = np.diag(total.scatter).copy()
        if not fit_intercept:
            scatter += self.weight_sum * total.mean**2
        sd = np.sqrt(np.maximum(scatter, 0.0) / self.weight_sum)
        self.x_scale = np.where(sd > 0, sd, 1.0)
        self.n_classes = n_classes
        self._layout(X.shape[1], n_classes, fit_intercept, penalized)

    def scores(self, x, X):
        p, k = self.n_features, self.n_outputs
        X = X - self.x_offset if self.fit_intercept else X
        if self.binary:
            z = anp.dot(X, x[:p])
            return z + x[p] if self.fit_intercept else z
        W = anp.reshape(x[: k * p], (k, p))
        Z = anp.dot(X, W.T)
        return Z + x[k * p :] if self.fit_intercept else Z

    def mean_nll(self, x, X, y_idx, weights):
        """f_b(x) = (n / n_b) sum_{i in b} s_i l_i / W on one block."""
        if len(X) == 0:
            return 0.0 * anp.sum(x)
        if self.binary:
            loss, target = binary_log_loss, (y_idx == 1).astype(np.float64)
        else:
            loss, target = multinomial_log_loss, np.eye(self.n_classes)[y_idx]
        factor = self.n_samples / (len(X) * self.weight_sum)
        return factor * anp.dot(weights, loss(target, self.scores(x, X)))

    def information(self, x):
        """The observed information at x (``inference.logistic_information``), summed over
        the blocks: each block's is the in-memory function's on that block's rows."""
        return reduce_blocks(_block_information, sum, self.blocks, self, x)

    def __getstate__(self):
        # shipped to the workers with mean_nll: the arrays stay behind (their blocks go as data)
        return {k: v for k, v in self.__dict__.items() if k != "blocks"}
