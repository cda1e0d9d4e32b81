"""Input validation at the boundary: every public ``fit``/``predict`` goes through here once.

Messages follow scikit-learn's wording, so that users (and scikit-learn's estimator checks)
recognise them.
"""

import numbers
import os
import sys
import warnings

import numpy as np

from gradscratch import _dask_validation as _dask
from gradscratch._blocks import is_dask

__all__ = [
    "ConvergenceWarning",
    "DataConversionWarning",
    "check_array",
    "check_classification_targets",
    "check_random_state",
    "check_sample_weight",
    "validate_data",
    "warn_at_caller",
]


class ConvergenceWarning(UserWarning):
    """A gradscratch estimator did not converge (its optimizer stopped short, k-means found
    fewer clusters than asked): the class that catches every such warning the estimators emit.

    Defined here, without importing optim, so that the nonparametric side stays free of it;
    the parametric models warn with a subclass that is also :class:`optim.ConvergenceWarning`
    (``gradscratch.parametric._warnings``), since their failures are their optimizer's.
    """


class DataConversionWarning(UserWarning):
    """Input data was converted (e.g. a column-vector ``y`` raveled)."""


def _is_sparse(X):
    return hasattr(X, "nnz") and hasattr(X, "tocsr")


def _feature_names(X):
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc") or len(columns) == 0:
        return None
    names = np.asarray(list(columns), dtype=object)
    kinds = {type(n) for n in names}
    if kinds == {str}:
        return names
    if str in kinds:
        raise TypeError(
            "Feature names are only supported if all input features have string names; "
            "convert them with X.columns = X.columns.astype(str)."
        )
    return None


def _assert_finite(a, name):
    if a.dtype.kind not in "fc":
        return
    # A finite sum has no NaN or inf among its terms (one pass, no n x p boolean temporary);
    # an infinite one may be the overflow of finite terms, and the elementwise test decides.
    if np.isfinite(np.sum(a)) or np.isfinite(a).all():
        return
    if np.isnan(a).any():
        raise ValueError(f"Input {name} contains NaN.")
    raise ValueError(f"Input {name} contains infinity or a value too large for {a.dtype!r}.")


def check_array(
    X,
    *,
    name="X",
    estimator=None,
    dtype=np.float64,
    ensure_2d=True,
    ensure_min_samples=1,
    ensure_min_features=1,
    allow_nan=False,
    accept_dask=None,
):
    """Convert ``X`` to a numeric numpy array and check it (finite, 2-D, non-empty).

    Lists, pandas frames and read-only arrays are accepted; sparse matrices, complex numbers
    and non-numeric entries are refused with a message saying why. A dask array is checked
    lazily and stays one (:mod:`gradscratch._dask_validation`) when ``accept_dask`` is True
    (None: when the estimator declares ``_accepts_dask``); otherwise it is refused with a
    message saying what to do, never computed.
    """
    who = _name(estimator)
    if is_dask(X):
        if accept_dask is None:
            accept_dask = getattr(estimator, "_accepts_dask", False)
        if not accept_dask:
            raise _dask.refuse_dask(who)
        X = _dask.check_dask_array(X, who=who, name=name, dtype=dtype, allow_nan=allow_nan)
        _check_shape(X, who, ensure_2d, ensure_min_samples, ensure_min_features)
        return X
    if _is_sparse(X):
        raise TypeError(
            f"{who} does not accept sparse input: a sparse matrix was passed, but dense data "
            "is required. Use X.toarray() to convert to a dense numpy array."
        )
    if X is None:
        raise ValueError(f"{who} expected array-like input {name}, got None.")
    raw = np.asarray(X)
    if np.iscomplexobj(raw):
        raise ValueError("Complex data not supported")
    if dtype is not None and raw.dtype != dtype:
        if raw.dtype.kind in "OUS":
            try:
                raw = raw.astype(dtype)
            except ValueError as err:
                raise ValueError(f"{who} needs numeric input {name}: {err}") from err
            except TypeError as err:
                raise TypeError(f"{who} needs numeric input {name}: {err}") from err
            if np.iscomplexobj(raw):
                raise ValueError("Complex data not supported")
        else:
            raw = raw.astype(dtype)
    _check_shape(raw, who, ensure_2d, ensure_min_samples, ensure_min_features)
    if not allow_nan:
        _assert_finite(raw, name)
    return raw


def _check_shape(X, who, ensure_2d, ensure_min_samples, ensure_min_features):
    """check_array's shape checks, scikit-learn's messages; X.ndim and X.shape are all they
    read, so a numpy array and a (lazy) dask array share them."""
    if ensure_2d and X.ndim != 2:
        if X.ndim > 2:
            raise ValueError(f"Found array with dim {X.ndim}. {who} expected <= 2.")
        kind = "scalar array" if X.ndim == 0 else "1D array"
        raise ValueError(
            f"Expected 2D array, got {kind} instead:\narray={X!r}.\n"
            "Reshape your data either using array.reshape(-1, 1) if your data has a single "
            "feature or array.reshape(1, -1) if it contains a single sample."
        )
    if ensure_min_samples > 0 and X.ndim >= 1 and X.shape[0] < ensure_min_samples:
        raise ValueError(
            f"Found array with {X.shape[0]} sample(s) (shape={X.shape}) while a minimum of "
            f"{ensure_min_samples} is required by {who}."
        )
    if ensure_2d and ensure_min_features > 0 and X.shape[1] < ensure_min_features:
        raise ValueError(
            f"Found array with {X.shape[1]} feature(s) (shape={X.shape}) while a minimum "
            f"of {ensure_min_features} is required by {who}."
        )


def _name(estimator):
    if estimator is None:
        return "This function"
    return estimator if isinstance(estimator, str) else type(estimator).__name__


def _warn_column_vector():
    warn_at_caller(
        "A column-vector y was passed when a 1d array was expected. Please change the "
        "shape of y to (n_samples, ), for example using ravel().",
        DataConversionWarning,
    )


def _check_y(y, *, estimator, y_numeric, X=None):
    who = type(estimator).__name__
    if is_dask(y) or is_dask(X):
        if is_dask(y) and not getattr(estimator, "_accepts_dask", False):
            raise _dask.refuse_dask(who)
        if is_dask(y):
            return _dask.check_dask_y(
                y, X, who=who, y_numeric=y_numeric, warn_column=_warn_column_vector
            )
        y = _check_y(y, estimator=estimator, y_numeric=y_numeric)
        return _dask.check_dask_y(y, X, who=who, y_numeric=y_numeric, warn_column=None)
    y_arr = np.asarray(y)
    if _is_sparse(y):
        raise TypeError(f"{who} does not accept a sparse y.")
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        _warn_column_vector()
        y_arr = y_arr.ravel()
    if y_arr.ndim != 1:
        raise ValueError(
            f"{who} expects a 1-D target y of shape (n_samples,), got shape {y_arr.shape}."
        )
    if np.iscomplexobj(y_arr):
        raise ValueError("Complex data not supported")
    if y_numeric:
        try:
            y_arr = y_arr.astype(np.float64)
        except (ValueError, TypeError) as err:
            raise ValueError(f"{who} needs a numeric target y: {err}") from err
    if y_arr.dtype.kind == "f":
        _assert_finite(y_arr, "y")
    elif y_arr.dtype.kind == "O":
        if any(isinstance(v, float) and not np.isfinite(v) for v in y_arr):
            raise ValueError("Input y contains NaN.")
    return y_arr


_NO_Y = object()


def validate_data(
    estimator,
    X,
    y=_NO_Y,
    *,
    reset=True,
    y_numeric=False,
    ensure_min_samples=1,
    dtype=np.float64,
):
    """Validate ``X`` (and ``y`` when given) for ``estimator``; returns ``X`` or ``(X, y)``.

    With ``reset=True`` (in ``fit``) it records ``n_features_in_`` (and ``feature_names_in_``
    for a frame with string column names); with ``reset=False`` it checks ``X`` against them.
    """
    who = type(estimator).__name__
    if y is None:
        raise ValueError(f"{who} requires y to be passed, but the target y is None.")
    if is_dask(X) and not getattr(estimator, "_accepts_dask", False):
        raise _dask.refuse_dask(who, fitting=reset)
    names = _feature_names(X)
    X = check_array(X, estimator=estimator, dtype=dtype, ensure_min_samples=ensure_min_samples)
    if reset:
        estimator.n_features_in_ = X.shape[1]
        if names is not None:
            estimator.feature_names_in_ = names
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
    else:
        _check_feature_names(estimator, names)
        expected = getattr(estimator, "n_features_in_", None)
        if expected is not None and X.shape[1] != expected:
            raise ValueError(
                f"X has {X.shape[1]} features, but {who} is expecting {expected} features as input."
            )
    if y is _NO_Y:
        return X
    y = _check_y(y, estimator=estimator, y_numeric=y_numeric, X=X)
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{X.shape[0]}, {y.shape[0]}]"
        )
    return X, y


def _check_feature_names(estimator, names):
    who = type(estimator).__name__
    fitted = getattr(estimator, "feature_names_in_", None)
    if fitted is None and names is None:
        return
    if fitted is None:
        warn_at_caller(
            f"X has feature names, but {who} was fitted without feature names", UserWarning
        )
        return
    if names is None:
        warn_at_caller(
            f"X does not have valid feature names, but {who} was fitted with feature names",
            UserWarning,
        )
        return
    if len(fitted) == len(names) and np.all(fitted == names):
        return

    def listing(items):
        shown = [f"- {n}\n" for n in items[:5]]
        return "".join(shown) + ("- ...\n" if len(items) > 5 else "")

    unexpected = sorted(set(names) - set(fitted))
    missing = sorted(set(fitted) - set(names))
    message = "The feature names should match those that were passed during fit.\n"
    if unexpected:
        message += "Feature names unseen at fit time:\n" + listing(unexpected)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + listing(missing)
    if not unexpected and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def check_sample_weight(sample_weight, n_samples, like=None):
    """Sample weights as a float64 vector of length ``n_samples`` (``None`` means all ones).

    With ``like`` a dask array (the X of a fit): a dask array chunked as its rows, checked
    lazily (ones made lazily for None: nothing of size n on the client).
    """
    if is_dask(like):
        return _dask.check_dask_sample_weight(sample_weight, like, check_sample_weight)
    if is_dask(sample_weight):
        raise TypeError(
            "sample_weight is a dask array but X is not: pass both as dask arrays or both "
            "in memory."
        )
    if sample_weight is None:
        return np.ones(n_samples)
    if isinstance(sample_weight, numbers.Number):
        return np.full(n_samples, float(sample_weight))
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError("Sample weights must be 1D array or scalar")
    if w.shape != (n_samples,):
        raise ValueError(f"sample_weight.shape == {w.shape}, expected {(n_samples,)}!")
    _assert_finite(w, "sample_weight")
    if np.any(w < 0):
        raise ValueError("Negative values in data passed to sample_weight")
    if not np.any(w > 0):
        raise ValueError("Sample weights must contain at least one non-zero weight.")
    return w


def check_classification_targets(y):
    """Refuse targets that are not class labels (continuous floats, matrices)."""
    y = np.asarray(y)
    if y.dtype.kind == "f" and np.any(y != np.round(y)):
        raise ValueError(
            "Unknown label type: continuous. Maybe you are trying to fit a classifier, which "
            "expects discrete classes on a regression target with continuous values."
        )
    if y.dtype.kind not in "biufUSO":
        raise ValueError(f"Unknown label type: {y.dtype}.")


def check_random_state(seed):
    """A :class:`numpy.random.Generator` from ``None``, an int, or a generator.

    A legacy ``RandomState`` is accepted and seeds a new generator from its stream.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.RandomState):
        return np.random.default_rng(seed.randint(np.iinfo(np.int32).max))
    if seed is None or isinstance(seed, (numbers.Integral, np.random.SeedSequence)):
        return np.random.default_rng(seed)
    raise ValueError(f"random_state must be None, an int or a numpy Generator, got {seed!r}.")


_HERE = os.path.dirname(os.path.abspath(__file__))
_LIBRARY_DIRS = (_HERE + os.sep, os.path.join(os.path.dirname(_HERE), "optim") + os.sep)


def warn_at_caller(message, category):
    """``warnings.warn`` attributed to the first frame outside gradscratch and optim: the
    user's ``fit`` line, however deep in the library the warning arose."""
    level, frame = 2, sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_LIBRARY_DIRS):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category, stacklevel=level)
