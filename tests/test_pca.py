"""PCA against scikit-learn."""

import functools

import numpy as np
import pytest
from sklearn import decomposition as skd

from gradscratch import PCA
from gradscratch.datasets import load_digits, load_iris


@functools.lru_cache
def _data(name):
    if name == "iris":
        return load_iris(return_X_y=True)[0]
    if name == "digits":
        return load_digits(return_X_y=True)[0][:200]
    rng = np.random.default_rng(0)
    return rng.normal(size=(60, 90)) @ np.diag(np.linspace(3, 0.1, 90)) + 5.0


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "auto"])
@pytest.mark.parametrize("whiten", [False, True])
@pytest.mark.parametrize("n_components", [None, 3, 0.9])
@pytest.mark.parametrize("name", ["iris", "digits", "wide"])
def test_matches_sklearn(name, n_components, whiten, solver):
    X = _data(name)
    kw = dict(n_components=n_components, whiten=whiten, svd_solver=solver)
    ours, ref = PCA(**kw).fit(X), skd.PCA(**kw).fit(X)
    assert ours.n_components_ == ref.n_components_
    # The sign convention is the same, so components are compared as they are (the
    # ambiguity "up to sign" is resolved identically); zero-variance directions are not
    # identifiable and are skipped.
    keep = ref.explained_variance_ > 1e-8 * ref.explained_variance_[0]
    np.testing.assert_allclose(ours.components_[keep], ref.components_[keep], atol=1e-8)
    for attr in ["explained_variance_ratio_", "explained_variance_", "singular_values_"]:
        np.testing.assert_allclose(getattr(ours, attr), getattr(ref, attr), atol=1e-8)
    np.testing.assert_allclose(ours.mean_, ref.mean_, atol=1e-12)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, atol=1e-8)
    Z, Z_ref = ours.transform(X), ref.transform(X)
    np.testing.assert_allclose(Z[:, keep], Z_ref[:, keep], atol=1e-8)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z_ref), atol=1e-8)


def test_randomized_matches_full():
    rng = np.random.default_rng(1)
    # A clear spectral gap after 5 components: the randomized range finder is then exact.
    X = rng.normal(size=(700, 5)) @ rng.normal(size=(5, 40)) * 3 + 1e-3 * rng.normal(size=(700, 40))
    ours = PCA(5, svd_solver="randomized", random_state=0).fit(X)
    ref = skd.PCA(5, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.components_, ref.components_, atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, atol=1e-12)
    assert ours._solver == "randomized"
    assert PCA(5).fit(X)._solver == "covariance_eigh"


def test_sign_convention():
    X = _data("digits")
    C = PCA(10).fit(X).components_
    biggest = C[np.arange(10), np.argmax(np.abs(C), axis=1)]
    assert np.all(biggest > 0)


def test_bad_input():
    X = _data("iris")
    with pytest.raises(ValueError, match="n_components=5 must be between 0 and"):
        PCA(5).fit(X)
    with pytest.raises(ValueError, match="must be between 1 and"):
        PCA(0, svd_solver="randomized").fit(X)
    with pytest.raises(ValueError, match="svd_solver must be one of"):
        PCA(svd_solver="arpack!").fit(X)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        PCA(2).fit(bad)
    with pytest.raises(ValueError, match="X has 3 features, but PCA is expecting 4"):
        PCA(2).fit(X).transform(X[:, :3])


def test_duplicate_points():
    X = np.repeat(_data("iris")[:10], 5, axis=0)
    ours, ref = PCA(3).fit(X), skd.PCA(3).fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, atol=1e-10)
