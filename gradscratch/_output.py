"""What transformers hand back: output feature names, and pandas frames on request.

scikit-learn's conventions without depending on it: ``get_feature_names_out`` names a
transformer's outputs after its class (``pca0``, ``pca1``, ...), and ``set_output(transform=
"pandas")`` makes ``transform`` and ``fit_transform`` return a ``DataFrame`` with those columns
and the input's index, which is what ``Pipeline(...).set_output(...)`` and
``ColumnTransformer`` call. The setting is stored where scikit-learn's ``clone`` copies it
(``_sklearn_output_config``); when unset, scikit-learn's global ``transform_output`` applies
if scikit-learn is loaded. pandas is imported only when a frame is asked for.
"""

import sys

import numpy as np

__all__ = ["OUTPUTS", "check_input_features", "output_kind", "wrap_output"]

OUTPUTS = ("default", "pandas")


def check_input_features(estimator, input_features):
    """Validate ``input_features`` against what ``fit`` saw (scikit-learn's messages)."""
    if input_features is None:
        return
    input_features = np.asarray(input_features, dtype=object)
    fitted = getattr(estimator, "feature_names_in_", None)
    if fitted is not None and not np.array_equal(fitted, input_features):
        raise ValueError("input_features is not equal to feature_names_in_")
    n = getattr(estimator, "n_features_in_", None)
    if n is not None and len(input_features) != n:
        raise ValueError(
            f"input_features should have length equal to number of features ({n}), got "
            f"{len(input_features)}"
        )


def output_kind(estimator):
    """ "default" or "pandas": the estimator's own setting, else scikit-learn's global one."""
    kind = getattr(estimator, "_sklearn_output_config", {}).get("transform")
    if kind is None:
        sklearn = sys.modules.get("sklearn")
        kind = sklearn.get_config()["transform_output"] if sklearn is not None else "default"
    if kind not in OUTPUTS:
        raise ValueError(f"output config must be in {sorted(OUTPUTS)}, got {kind}")
    return kind


def wrap_output(estimator, Z, X):
    """Z as the configured container: unchanged, or a DataFrame named by
    ``get_feature_names_out`` with the index of X when X is a frame."""
    if output_kind(estimator) == "default":
        return Z
    try:
        import pandas as pd
    except ImportError as err:  # pragma: no cover - pandas is a test dependency
        raise ImportError("set_output(transform='pandas') needs pandas installed.") from err
    index = X.index if isinstance(X, pd.DataFrame) else None
    return pd.DataFrame(Z, index=index, columns=estimator.get_feature_names_out())
