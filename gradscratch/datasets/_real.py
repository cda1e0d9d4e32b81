"""The public classic datasets, shipped as gzipped CSV inside the package.

Each file has a header of feature names and a last column ``target``; the numbers are those of
the UCI / scikit-learn copies of the datasets. Every loader takes scikit-learn's ``return_X_y``
and ``as_frame`` (a pandas DataFrame and Series, and ``frame`` with both).
"""

import gzip
from importlib import resources

import numpy as np

_TARGET_NAMES = {
    "iris": ["setosa", "versicolor", "virginica"],
    "wine": ["class_0", "class_1", "class_2"],
    "breast_cancer": ["malignant", "benign"],
    "digits": [str(d) for d in range(10)],
    "diabetes": None,
}


class Bunch(dict):
    """A dict whose keys are also attributes (``data``, ``target``, ``feature_names``...)."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as err:
            raise AttributeError(key) from err

    def __setattr__(self, key, value):
        self[key] = value


def _load(name, target_dtype=np.int64):
    path = resources.files("gradscratch.datasets") / "data" / f"{name}.csv.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt") as f:
        header = f.readline().strip().split(",")
        table = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    names = _TARGET_NAMES[name]
    return Bunch(
        data=table[:, :-1],
        target=table[:, -1].astype(target_dtype),
        feature_names=np.array(header[:-1]),
        target_names=None if names is None else np.array(names),
        name=name,
    )


def _finish(bunch, return_X_y, as_frame):
    """What scikit-learn's loaders return: arrays, or with ``as_frame`` a DataFrame of the
    features, a Series ``target`` and ``frame`` (both side by side); pandas is imported only
    then."""
    if as_frame:
        import pandas as pd

        data = pd.DataFrame(bunch.data, columns=list(bunch.feature_names))
        target = pd.Series(bunch.target, name="target")
        bunch.data, bunch.target = data, target
        bunch.frame = pd.concat([data, target], axis=1)
    elif not return_X_y:
        bunch.frame = None
    return (bunch.data, bunch.target) if return_X_y else bunch


def load_iris(*, return_X_y=False, as_frame=False):
    """Fisher's iris: 150 flowers, 4 measurements, 3 species."""
    return _finish(_load("iris"), return_X_y, as_frame)


def load_wine(*, return_X_y=False, as_frame=False):
    """Wine recognition: 178 wines, 13 chemical measurements, 3 cultivars."""
    return _finish(_load("wine"), return_X_y, as_frame)


def load_breast_cancer(*, return_X_y=False, as_frame=False):
    """Wisconsin diagnostic breast cancer: 569 tumours, 30 features, malignant (0) / benign (1)."""
    return _finish(_load("breast_cancer"), return_X_y, as_frame)


def load_digits(*, return_X_y=False, as_frame=False):
    """Handwritten digits: 1797 images of 8x8 pixels with values 0..16, 10 classes."""
    return _finish(_load("digits"), return_X_y, as_frame)


def load_diabetes(*, return_X_y=False, as_frame=False, scaled=True):
    """Diabetes progression: 442 patients, 10 baseline variables, a continuous target.

    With ``scaled=True`` (as scikit-learn) each feature is centred and divided by its standard
    deviation times sqrt(n_samples), so that every column has unit Euclidean norm.
    """
    bunch = _load("diabetes", target_dtype=np.float64)
    if scaled:
        X = bunch.data - bunch.data.mean(axis=0)
        bunch.data = X / (X.std(axis=0) * np.sqrt(X.shape[0]))
    return _finish(bunch, return_X_y, as_frame)
