"""Scores used by the estimators' ``score`` methods and by the examples."""

import numpy as np

__all__ = ["accuracy_score", "mean_squared_error", "r2_score"]


def _weights(sample_weight, n):
    return np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)


def _columns(y_true, y_pred):
    """Targets and predictions as (n, k) float arrays (k = 1 for 1-D ones)."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim == 1 and y_pred.ndim == 2 and y_pred.shape[1] == 1:
        y_pred = y_pred[:, 0]
    if y_pred.ndim == 1 and y_true.ndim == 2 and y_true.shape[1] == 1:
        y_true = y_true[:, 0]
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in shape.")
    return y_true.reshape(len(y_true), -1), y_pred.reshape(len(y_pred), -1)


def r2_score(y_true, y_pred, sample_weight=None):
    """Coefficient of determination: 1 - SS_res / SS_tot (weighted when weights are given).

    For k outputs (2-D y), the mean of the k outputs' scores (scikit-learn's
    ``multioutput="uniform_average"``); an output of constant y scores 1 if fitted exactly,
    else 0.
    """
    y_true, y_pred = _columns(y_true, y_pred)
    w = _weights(sample_weight, len(y_true))[:, None]
    ss_res = np.sum(w * (y_true - y_pred) ** 2, axis=0)
    ss_tot = np.sum(w * (y_true - np.average(y_true, axis=0, weights=w[:, 0])) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(ss_tot > 0, 1.0 - ss_res / ss_tot, np.where(ss_res == 0, 1.0, 0.0))
    return float(np.mean(scores))


def mean_squared_error(y_true, y_pred, sample_weight=None):
    """Weighted mean of squared residuals (averaged over the outputs of a 2-D y)."""
    y_true, y_pred = _columns(y_true, y_pred)
    w = _weights(sample_weight, len(y_true))
    return float(np.mean(np.average((y_true - y_pred) ** 2, axis=0, weights=w)))


def accuracy_score(y_true, y_pred, sample_weight=None):
    """Weighted fraction of exact label matches."""
    y_true = np.asarray(y_true).ravel()
    y_pred = np.asarray(y_pred).ravel()
    return float(np.average(y_true == y_pred, weights=_weights(sample_weight, len(y_true))))
