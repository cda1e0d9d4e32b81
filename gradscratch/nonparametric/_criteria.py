"""Split criteria of the tree engine, each written on additive per-node sums.

A criterion turns the per-sample targets into a statistics matrix ``S`` (d, n), one row per
statistic (so that sums of candidate splits are laid out as (d, ...) blocks whose reductions
over the statistics are sums of contiguous arrays), whose row sums over a node's samples are all
it needs: the node's weight, its loss
``L(sums)`` (total impurity, i.e. weighted size times impurity), and its value. Because only sums
are needed, the same criterion works on sorted cumulative sums (exact mode) and on histograms
(histogram mode, where a child's sums are the parent's minus its sibling's).

For a split of a node into left and right children the engine maximizes the proxy
``-(L(left) + L(right))``; the impurity improvement reported (and compared with
``min_impurity_decrease``) is ``(L(node) - L(left) - L(right)) / W`` with ``W`` the total weight
at the root, which is scikit-learn's ``N_t / N * (impurity - N_tR / N_t * impurity_R - N_tL /
N_t * impurity_L)``.
"""

import numpy as np

__all__ = ["CRITERIA", "Entropy", "Gini", "Newton", "SquaredError", "make_criterion"]


def _safe(w):
    return np.where(w > 0, w, 1.0)


def _sum_and_squares(sums):
    """``sum_k c_k`` and ``sum_k c_k^2`` over the (few) classes, as adds of whole blocks."""
    total, squares = sums[0].copy(), sums[0] * sums[0]
    for c in sums[1:]:
        total += c
        squares += c * c
    return total, squares


class Gini:
    """Gini impurity ``1 - sum_k p_k^2``; ``S`` holds the weighted one-hot labels (n, K).

    ``L = w - sum_k c_k^2 / w`` with ``c_k`` the weighted class counts and ``w = sum_k c_k``;
    the node value is the class proportions ``c_k / w``.
    """

    checks_purity = True
    proxy_rows = slice(None)  # the statistics that the proxy and the weight read

    def __init__(self, n_classes):
        self.n_classes = int(n_classes)

    def stats(self, y, sample_weight):
        S = np.zeros((self.n_classes, len(y)))
        S[y, np.arange(len(y))] = sample_weight
        return S

    def weight(self, sums):
        return sums.sum(axis=0)

    def loss(self, sums):
        w = sums.sum(axis=0)
        return w - np.sum(sums * sums, axis=0) / _safe(w)

    def value(self, sums):
        # sums from cumulative differences may carry -1e-17 for an absent class
        sums = np.maximum(sums, 0.0)
        return sums / _safe(sums.sum(axis=0))

    def proxy(self, left, right):
        # -(w_L gini_L + w_R gini_R), in scikit-learn's order of operations so that near-ties
        # are broken the same way (weights are positive wherever the engine reads the result)
        wl, sql = _sum_and_squares(left)
        wr, sqr = _sum_and_squares(right)
        gl = 1.0 - sql / (wl * wl)
        gr = 1.0 - sqr / (wr * wr)
        return -wr * gr - wl * gl


class Entropy(Gini):
    """Shannon entropy in bits ``-sum_k p_k log2 p_k`` (also called log_loss).

    ``L = w log2 w - sum_k c_k log2 c_k`` (with ``0 log 0 = 0``).
    """

    def loss(self, sums):
        w = sums.sum(axis=0)
        clogc = np.where(sums > 0, sums * np.log2(np.where(sums > 0, sums, 1.0)), 0.0)
        return w * np.log2(_safe(w)) - clogc.sum(axis=0)

    def proxy(self, left, right):
        return -self._entropy(right) * right.sum(axis=0) - self._entropy(left) * left.sum(axis=0)

    @staticmethod
    def _entropy(sums):
        p = sums / sums.sum(axis=0)
        return -np.sum(np.where(p > 0, p * np.log2(np.where(p > 0, p, 1.0)), 0.0), axis=0)


class SquaredError:
    """Variance, averaged over the outputs (scikit-learn's multi-output criterion):
    ``S = [w, w y_1, ..., w y_k, w y_1^2, ..., w y_k^2]`` for k outputs.

    ``L = (sum_k [sum w y_k^2 - (sum w y_k)^2 / w]) / k``; the node value is the weighted
    mean of each output. With one output these are the plain variance and mean.
    """

    checks_purity = True

    def __init__(self, n_outputs=1):
        self.n_outputs = self.n_values = int(n_outputs)
        self.proxy_rows = slice(0, 1 + self.n_outputs)  # w and w y (not w y^2)

    def stats(self, y, sample_weight):
        Y = y.reshape(len(y), -1).T  # (k, n)
        return np.concatenate([sample_weight[None], sample_weight * Y, sample_weight * Y * Y])

    def weight(self, sums):
        return sums[0]

    def loss(self, sums):
        k = self.n_outputs
        s, q = sums[1 : 1 + k], sums[1 + k :]
        return (q.sum(axis=0) - (s * s).sum(axis=0) / _safe(sums[0])) / k

    def value(self, sums):
        return sums[1 : 1 + self.n_outputs] / _safe(sums[0:1])

    def proxy(self, left, right):
        # scikit-learn's proxy: -(L(left) + L(right)) up to constants, in its order of
        # operations (the squared sums added over the outputs, then divided by the weight)
        if self.n_outputs == 1:  # (the same sums, without a reduction over one row)
            sl, sr = left[1], right[1]
            return sl * sl / left[0] + sr * sr / right[0]
        sl, sr = left[1 : 1 + self.n_outputs], right[1 : 1 + self.n_outputs]
        return (sl * sl).sum(axis=0) / left[0] + (sr * sr).sum(axis=0) / right[0]


class Newton:
    """Second-order (XGBoost) gain for boosting; ``S = [w, g, h]``.

    With ``G``, ``H`` the sums of per-sample gradients and Hessians over a node and
    ``lambda = reg_lambda``, ``L = -G^2 / (2 (H + lambda))`` (the minimum over a constant leaf
    value ``v`` of the second-order model ``G v + (H + lambda) v^2 / 2``), so the split gain is
    ``[G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda)] / 2`` and the leaf value is
    ``-G / (H + lambda)``. ``w`` (the sample weights) only counts samples; the caller puts any
    sample weight into ``g`` and ``h``.
    """

    checks_purity = False
    n_values = 1
    proxy_rows = slice(None)

    def __init__(self, reg_lambda=1.0):
        self.reg_lambda = float(reg_lambda)

    def stats(self, gradient, hessian, sample_weight):
        return np.stack([sample_weight, gradient, hessian])

    def weight(self, sums):
        return sums[0]

    def _den(self, sums):
        den = sums[2] + self.reg_lambda
        return np.where(den > 0, den, np.inf)

    def loss(self, sums):
        return -0.5 * sums[1] ** 2 / self._den(sums)

    def value(self, sums):
        return np.atleast_1d(-sums[1] / self._den(sums))

    def proxy(self, left, right):
        return -(self.loss(left) + self.loss(right))


CRITERIA = {
    "gini": Gini,
    "entropy": Entropy,
    "log_loss": Entropy,
    "squared_error": SquaredError,
    "newton": Newton,
}


def make_criterion(name, *, n_classes=None, reg_lambda=1.0, n_outputs=1):
    """The criterion object for ``name`` (one of :data:`CRITERIA`)."""
    if name in ("gini", "entropy", "log_loss"):
        return CRITERIA[name](n_classes)
    if name == "squared_error":
        return SquaredError(n_outputs)
    if name == "newton":
        return Newton(reg_lambda)
    raise ValueError(f"criterion must be one of {sorted(CRITERIA)}, got {name!r}.")
