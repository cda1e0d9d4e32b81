"""Estimator conventions shared by every model: parameters, repr, fitted checks and scores.

The conventions are scikit-learn's, reimplemented without depending on it: ``__init__`` stores
keyword hyperparameters unchanged, ``fit`` validates and learns attributes ending in ``_`` and
returns ``self``. Input validation lives in :mod:`gradscratch._validation`; this module
re-exports it so that a model imports everything it needs from one place.
"""

import html
import inspect
import sys

import numpy as np

from gradscratch._blocks import is_dask, score_blocks
from gradscratch._dask_validation import as_rows_of
from gradscratch._output import OUTPUTS, check_input_features, wrap_output
from gradscratch._threads import limited
from gradscratch._validation import (
    ConvergenceWarning,
    DataConversionWarning,
    check_array,
    check_classification_targets,
    check_random_state,
    check_sample_weight,
    validate_data,
    warn_at_caller,
)

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "ClusterMixin",
    "ConvergenceWarning",
    "DataConversionWarning",
    "MultiOutputMixin",
    "NotFittedError",
    "RegressorMixin",
    "TransformerMixin",
    "check_array",
    "check_classification_targets",
    "check_is_fitted",
    "check_random_state",
    "check_sample_weight",
    "is_dask",
    "validate_data",
    "warn_at_caller",
    "validate_targets",
]


class NotFittedError(ValueError, AttributeError):
    """Raised when a model is used before ``fit``."""


_bridged_not_fitted = {}


def _not_fitted_error(message):
    """A :class:`NotFittedError` that is also scikit-learn's when scikit-learn is loaded.

    scikit-learn's estimator checks expect their own class; subclassing it only when
    ``sklearn.exceptions`` is already imported keeps scikit-learn out of the run-time imports.
    """
    sk = sys.modules.get("sklearn.exceptions")
    if sk is None:
        return NotFittedError(message)
    base = sk.NotFittedError
    if base not in _bridged_not_fitted:
        _bridged_not_fitted[base] = type("NotFittedError", (NotFittedError, base), {})
    return _bridged_not_fitted[base](message)


def check_is_fitted(estimator, attributes=None):
    """Raise :class:`NotFittedError` unless ``estimator`` has been fitted.

    An estimator is fitted when it has an attribute ending in ``_`` set by ``fit`` (or the
    given ``attributes``).
    """
    if attributes is None:
        fitted = any(k.endswith("_") and not k.startswith("__") for k in vars(estimator))
    else:
        names = [attributes] if isinstance(attributes, str) else attributes
        fitted = all(hasattr(estimator, name) for name in names)
    if not fitted:
        raise _not_fitted_error(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


class BaseEstimator:
    """Hyperparameters as keyword arguments of ``__init__``, with ``get_params``/``set_params``.

    Every subclass's public methods that do the work (``fit``, ``predict``, ``transform``, ...)
    run with one BLAS thread (:mod:`gradscratch._threads`: why, and the one setting).
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        limited(cls)

    @classmethod
    def _param_names(cls):
        signature = inspect.signature(cls.__init__)
        names = []
        for p in signature.parameters.values():
            if p.name == "self":
                continue
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                raise TypeError(f"{cls.__name__} must take explicit keyword hyperparameters.")
            names.append(p.name)
        return sorted(names)

    def get_params(self, deep=True):
        """Hyperparameters of this estimator, as a dict (nested ones as ``outer__inner``)."""
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for key, inner in value.get_params().items():
                    params[f"{name}__{key}"] = inner
            params[name] = value
        return params

    def set_params(self, **params):
        """Set hyperparameters (``outer__inner`` reaches a nested object); returns ``self``."""
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, _, inner = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._param_names())!r}."
                )
            if inner:
                nested.setdefault(name, {})[inner] = value
            else:
                setattr(self, name, value)
        for name, inner_params in nested.items():
            getattr(self, name).set_params(**inner_params)
        return self

    def _changed_params(self):
        """The hyperparameters that differ from their defaults, in name order."""
        defaults = {
            name: p.default
            for name, p in inspect.signature(type(self).__init__).parameters.items()
            if name != "self"
        }
        changed = {}
        for name in self._param_names():
            value = getattr(self, name)
            default = defaults[name]
            same = value is default
            if not same:
                try:
                    same = bool(type(value) is type(default) and value == default)
                except (ValueError, TypeError):
                    same = False
            if not same:
                changed[name] = value
        return changed

    def __repr__(self):
        changed = ", ".join(f"{k}={v!r}" for k, v in self._changed_params().items())
        return f"{type(self).__name__}({changed})"

    def _repr_html_(self):
        """What a notebook shows: the class, whether it is fitted, and a table of every
        hyperparameter (those changed from the default in bold), all text escaped."""
        changed = self._changed_params()
        fitted = any(k.endswith("_") and not k.startswith("__") for k in vars(self))
        rows = []
        for name in self._param_names():
            text = repr(getattr(self, name))
            text = text if len(text) <= 200 else text[:199] + "\u2026"
            cell = f"<code>{html.escape(text)}</code>"
            if name in changed:
                cell = f"<b>{cell}</b>"
            rows.append(f"<tr><td>{html.escape(name)}</td><td>{cell}</td></tr>")
        state = "fitted" if fitted else "not fitted"
        return (
            f'<div class="gradscratch-estimator"><p><b>{html.escape(type(self).__name__)}</b>'
            f" <small>({state})</small></p>"
            f"<table><tr><th>parameter</th><th>value</th></tr>{''.join(rows)}</table></div>"
        )

    def __getstate__(self):
        return dict(self.__dict__)

    def __setstate__(self, state):
        self.__dict__.update(state)

    def __sklearn_tags__(self):
        # scikit-learn is a test-only dependency: its tag classes are imported here and
        # nowhere else, when scikit-learn itself asks for them.
        from sklearn.utils import InputTags, Tags, TargetTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=None,
            regressor_tags=None,
            classifier_tags=None,
            input_tags=InputTags(),
        )


class RegressorMixin:
    """``score`` is the coefficient of determination R^2."""

    def score(self, X, y, sample_weight=None):
        """R^2 of ``predict(X)`` against ``y`` (1 is perfect, 0 is the mean's score)."""
        from gradscratch.metrics import r2_score

        prediction = self.predict(X)
        if is_dask(prediction):
            return score_blocks("r2", y, prediction, sample_weight)
        return r2_score(y, prediction, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        return tags


class ClassifierMixin:
    """``score`` is the accuracy; ``predict`` and ``predict_log_proba`` follow from
    ``predict_proba`` (a classifier with a better route, e.g. through its decision function,
    overrides them)."""

    def predict(self, X):
        """The most probable class of each row (ties go to the first in ``classes_``)."""
        proba = self.predict_proba(X)  # first: it raises the not-fitted error
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba` (-inf where a probability is exactly 0)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def score(self, X, y, sample_weight=None):
        """Fraction of samples whose predicted label equals ``y``."""
        from gradscratch.metrics import accuracy_score

        prediction = self.predict(X)
        if is_dask(prediction):
            return score_blocks("accuracy", y, prediction, sample_weight)
        return accuracy_score(y, prediction, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        return tags


class TransformerMixin:
    """``fit_transform`` as ``fit`` then ``transform``; output names ``<class name><i>`` and
    pandas output on request (:mod:`gradscratch._output`). A transformer calls
    ``self._wrap_output(Z, X)`` at the end of ``transform`` and says how many columns it
    outputs in ``_n_features_out``."""

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: ``pca0``, ``pca1``, ... for PCA (the class name in
        lower case, then the column's index), as scikit-learn names them. ``input_features``
        is only checked against the names (and their number) seen by ``fit``."""
        check_is_fitted(self)
        check_input_features(self, input_features)
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(self._n_features_out)], dtype=object)

    def set_output(self, *, transform=None):
        """Choose what ``transform`` and ``fit_transform`` return: "pandas" (a DataFrame with
        the columns of ``get_feature_names_out`` and the input's index), "default" (a numpy
        array), or None (leave the setting unchanged). Returns ``self``."""
        if transform is None:
            return self
        if transform not in OUTPUTS:
            raise ValueError(
                f"set_output(transform=...) takes one of {OUTPUTS} or None, got {transform!r}."
            )
        self._sklearn_output_config = {"transform": transform}
        return self

    def _wrap_output(self, Z, X):
        return wrap_output(self, Z, X)

    def __sklearn_tags__(self):
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.transformer_tags = TransformerTags()
        return tags


class ClusterMixin:
    """``fit_predict`` returns the fitted ``labels_``."""

    def fit_predict(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).labels_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "clusterer"
        return tags


def validate_targets(estimator, X, y, *, column_vector="keep", dtype=np.float64):
    """Validate ``X`` and a real target of shape (n,) or (n, n_outputs); returns ``(X, y)``.

    For the regressors that fit several outputs at once (one column of y per output).
    ``column_vector`` says what a (n, 1) target is, as for the scikit-learn estimator:
    "keep" (a 2-D target with one output), "ravel" (a 1-D target) or "warn" (1-D, with
    scikit-learn's "A column-vector y was passed" DataConversionWarning).
    """
    arr = None if y is None or hasattr(y, "nnz") else y if is_dask(y) else np.asarray(y)
    if arr is None or arr.ndim != 2 or (column_vector == "warn" and arr.shape[1] == 1):
        return validate_data(estimator, X, y, y_numeric=True, dtype=dtype)
    X = validate_data(estimator, X, dtype=dtype)
    Y = check_array(arr, name="y", estimator=estimator)
    if is_dask(X) or is_dask(Y):
        Y = as_rows_of(Y, X, who=type(estimator).__name__)
    if Y.shape[0] != X.shape[0]:
        raise ValueError(
            "Found input variables with inconsistent numbers of samples: "
            f"[{X.shape[0]}, {Y.shape[0]}]"
        )
    if column_vector == "ravel" and Y.shape[1] == 1:
        Y = Y[:, 0]
    return X, Y


class MultiOutputMixin:
    """Tags a regressor as fitting 2-D targets (scikit-learn's ``multi_output`` tag)."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
