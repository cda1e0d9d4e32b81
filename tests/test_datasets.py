"""Bundled data equal the public datasets (scikit-learn's copies)."""

import numpy as np
import pytest
import sklearn.datasets as skd

import gradscratch.datasets as gd


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "diabetes"])
def test_bundled_data_equal_the_reference(name):
    ours = getattr(gd, f"load_{name}")()
    ref = getattr(skd, f"load_{name}")()
    np.testing.assert_allclose(ours.data, ref.data, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(ours.target, ref.target)
    assert list(ours.feature_names) == list(ref.feature_names)
    X, y = getattr(gd, f"load_{name}")(return_X_y=True)
    assert X.shape == ref.data.shape and y.shape == ref.target.shape


@pytest.mark.parametrize(
    "make,kwargs",
    [
        (gd.make_regression, {"n_samples": 50, "n_features": 4, "noise": 1.0}),
        (gd.make_classification, {"n_samples": 50, "n_features": 5, "n_classes": 3}),
        (gd.make_blobs, {"n_samples": 50, "centers": 4}),
    ],
)
def test_generators_are_deterministic(make, kwargs):
    a, b = make(**kwargs, random_state=7), make(**kwargs, random_state=7)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert len(a[0]) == 50


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "diabetes"])
def test_as_frame_equals_the_reference(name):
    pd = pytest.importorskip("pandas")
    ours = getattr(gd, f"load_{name}")(as_frame=True)
    ref = getattr(skd, f"load_{name}")(as_frame=True)
    pd.testing.assert_frame_equal(ours.frame, ref.frame, rtol=1e-12, atol=1e-15)
    pd.testing.assert_frame_equal(ours.data, ref.data, rtol=1e-12, atol=1e-15)
    pd.testing.assert_series_equal(ours.target, ref.target)
    X, y = getattr(gd, f"load_{name}")(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series) and y.name == "target"
    assert list(X.columns) == list(ref.feature_names)
    assert getattr(gd, f"load_{name}")().frame is None  # as scikit-learn, without as_frame
