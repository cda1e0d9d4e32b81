"""Scores used by the estimators' ``score`` methods and by the examples."""

import numpy as np

__all__ = ["accuracy_score", "mean_squared_error", "r2_score"]


def _weights(sample_weight, n):
    return np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)


def r2_score(y_true, y_pred, sample_weight=None):
    """Coefficient of determination: 1 - SS_res / SS_tot (weighted when weights are given)."""
    y_true = np.asarray(y_true, dtype=np.float64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.float64).ravel()
    w = _weights(sample_weight, len(y_true))
    ss_res = np.sum(w * (y_true - y_pred) ** 2)
    ss_tot = np.sum(w * (y_true - np.average(y_true, weights=w)) ** 2)
    if ss_tot == 0:
        return 1.0 if ss_res == 0 else 0.0
    return float(1.0 - ss_res / ss_tot)


def mean_squared_error(y_true, y_pred, sample_weight=None):
    """Weighted mean of squared residuals."""
    y_true = np.asarray(y_true, dtype=np.float64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.float64).ravel()
    return float(np.average((y_true - y_pred) ** 2, weights=_weights(sample_weight, len(y_true))))


def accuracy_score(y_true, y_pred, sample_weight=None):
    """Weighted fraction of exact label matches."""
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    return float(np.average(y_true == y_pred, weights=_weights(sample_weight, len(y_true))))
