"""Pre-binning of features for the histogram mode of the tree engine.

Each feature gets at most ``max_bins`` bins (``max_bins <= 256`` so codes fit in ``uint8``).
A feature with at most ``max_bins`` distinct values gets one bin per value, with edges at the
midpoints between consecutive distinct values (the thresholds the exact mode would use); other
features get edges at quantiles. The code of ``x`` is the number of edges strictly below it, so
``code <= b`` if and only if ``x <= edges[b]``: a split on bin ``b`` is the split ``x <=
edges[b]`` on raw values.
"""

import numpy as np

__all__ = ["Binner", "bin_data"]


def _midpoints(values):
    a, b = values[:-1], values[1:]
    mid = a / 2.0 + b / 2.0
    # as scikit-learn: a midpoint that rounds up to the upper value falls back to the lower one
    return np.where((mid == b) | ~np.isfinite(mid), a, mid)


class Binner:
    """Quantile binner; ``fit(X)`` learns ``bin_thresholds_``, ``transform(X)`` gives codes.

    Parameters
    ----------
    max_bins : int, default=255
        Maximum number of bins per feature, in ``[2, 256]``.
    subsample : int or None, default=200000
        Quantiles are computed on at most this many rows (drawn with ``random_state``).
    random_state : None, int or numpy Generator
    """

    def __init__(self, max_bins=255, subsample=200_000, random_state=None):
        self.max_bins = max_bins
        self.subsample = subsample
        self.random_state = random_state

    def fit(self, X):
        X = np.asarray(X)
        if not 2 <= int(self.max_bins) <= 256:
            raise ValueError(f"max_bins must be in [2, 256], got {self.max_bins!r}.")
        if self.subsample is not None and X.shape[0] > self.subsample:
            rng = np.random.default_rng(self.random_state)
            X = X[rng.choice(X.shape[0], self.subsample, replace=False)]
        self.bin_thresholds_ = []
        for j in range(X.shape[1]):
            # one sort per column serves both the distinct values and the quantiles
            column = np.sort(X[:, j].astype(np.float64))
            distinct = column[np.concatenate(([True], column[1:] != column[:-1]))]
            if len(distinct) <= self.max_bins:
                edges = _midpoints(distinct)
            else:
                q = np.linspace(0, 1, self.max_bins + 1)[1:-1]
                edges = np.unique(np.quantile(column, q))
            self.bin_thresholds_.append(edges)
        self.n_bins_ = np.array([len(e) + 1 for e in self.bin_thresholds_])
        return self

    def __getstate__(self):
        # the level-wise grower's work arrays (``_tree_levelwise``) are scratch, not state
        return {k: v for k, v in self.__dict__.items() if k != "_workspace"}

    def transform(self, X):
        """Codes (n, p) uint8: ``codes[i, j]`` = number of edges of feature j below ``X[i, j]``."""
        X = np.asarray(X)
        codes = np.empty(X.shape, dtype=np.uint8)
        for j, edges in enumerate(self.bin_thresholds_):
            codes[:, j] = np.searchsorted(edges, X[:, j], side="left")
        return codes


def bin_data(X, max_bins=255, random_state=None):
    """Fit a :class:`Binner` on ``X`` and return ``(codes, binner)``."""
    binner = Binner(max_bins=max_bins, random_state=random_state).fit(X)
    return binner.transform(X), binner
