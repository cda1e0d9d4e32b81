"""Transformers in scikit-learn's ecosystem: output names, pandas output in pipelines and
column transformers, and probabilistic PCA's log-likelihood equal to scikit-learn's."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA as SkPCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gradscratch import PCA, KMeans

RNG = np.random.default_rng(0)
X = RNG.standard_normal((120, 5)) @ RNG.standard_normal((5, 5)) + 2.0
FRAME = pd.DataFrame(X, columns=list("abcde"), index=np.arange(100, 220))


def test_feature_names_are_scikit_learn_s():
    ours, ref = PCA(3).fit(FRAME), SkPCA(3).fit(FRAME)
    np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())
    assert list(ours.get_feature_names_out()) == ["pca0", "pca1", "pca2"]
    assert list(ours.get_feature_names_out(list("abcde"))) == ["pca0", "pca1", "pca2"]
    with pytest.raises(ValueError, match="input_features is not equal to feature_names_in_"):
        ours.get_feature_names_out(list("vwxyz"))
    with pytest.raises(ValueError, match=r"length equal to number of features \(5\), got 2"):
        PCA(2).fit(X).get_feature_names_out(["u", "v"])
    assert list(KMeans(2, n_init=1, random_state=0).fit(X).get_feature_names_out()) == [
        "kmeans0",
        "kmeans1",
    ]


def test_pandas_output_keeps_the_index():
    pca = PCA(2).set_output(transform="pandas")
    Z = pca.fit_transform(FRAME)
    assert isinstance(Z, pd.DataFrame) and list(Z.columns) == ["pca0", "pca1"]
    pd.testing.assert_index_equal(Z.index, FRAME.index)
    np.testing.assert_allclose(Z.to_numpy(), PCA(2).fit(FRAME).transform(FRAME), rtol=1e-12)
    assert isinstance(pca.set_output(transform="default").transform(FRAME), np.ndarray)
    assert pca.set_output(transform=None) is pca  # None leaves the setting as it is
    with pytest.raises(ValueError, match="set_output"):
        pca.set_output(transform="arrow")
    distances = KMeans(3, n_init=1, random_state=0).set_output(transform="pandas").fit(X)
    assert list(distances.transform(X).columns) == ["kmeans0", "kmeans1", "kmeans2"]


def test_a_pipeline_with_pandas_output():
    ours = make_pipeline(StandardScaler(), PCA(2)).set_output(transform="pandas")
    ref = make_pipeline(StandardScaler(), SkPCA(2)).set_output(transform="pandas")
    Z, R = ours.fit_transform(FRAME), ref.fit_transform(FRAME)
    assert list(Z.columns) == list(R.columns) == ["pca0", "pca1"]
    pd.testing.assert_index_equal(Z.index, R.index)
    # Equal up to the sign of each component (both flip by the same convention).
    np.testing.assert_allclose(np.abs(Z.to_numpy()), np.abs(R.to_numpy()), rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(ours.get_feature_names_out(), ref.get_feature_names_out())


def test_column_transformer_names_and_frames():
    def columns(pca):
        return ColumnTransformer([("pca", pca, ["a", "b", "c"]), ("keep", "passthrough", ["d"])])

    ours, ref = columns(PCA(2)).fit(FRAME), columns(SkPCA(2)).fit(FRAME)
    names = ours.get_feature_names_out()
    np.testing.assert_array_equal(names, ref.get_feature_names_out())
    assert list(names) == ["pca__pca0", "pca__pca1", "keep__d"]
    Z = columns(PCA(2)).set_output(transform="pandas").fit_transform(FRAME)
    assert list(Z.columns) == list(names)
    pd.testing.assert_index_equal(Z.index, FRAME.index)


def test_scikit_learn_s_global_output_setting_applies():
    with sklearn.config_context(transform_output="pandas"):
        Z = PCA(2).fit(FRAME).transform(FRAME)
    assert isinstance(Z, pd.DataFrame) and list(Z.columns) == ["pca0", "pca1"]
    own = PCA(2).set_output(transform="default").fit(FRAME)
    with sklearn.config_context(transform_output="pandas"):
        assert isinstance(own.transform(FRAME), np.ndarray)  # the estimator's own wins


@pytest.mark.parametrize("n_components", [None, 1, 3, 4, 0.9])
@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "randomized"])
def test_score_is_scikit_learn_s_probabilistic_pca(n_components, solver):
    if solver == "randomized" and not isinstance(n_components, int):
        pytest.skip("the randomized solver needs an integer n_components")
    ours = PCA(n_components, svd_solver=solver, random_state=0).fit(X)
    ref = SkPCA(n_components, svd_solver=solver, random_state=0).fit(X)
    held_out = RNG.standard_normal((30, 5)) * 3.0
    for data in (X, held_out):
        np.testing.assert_allclose(ours.score_samples(data), ref.score_samples(data), rtol=1e-8)
        assert ours.score(data) == pytest.approx(ref.score(data), rel=1e-8)
    np.testing.assert_allclose(ours.get_covariance(), ref.get_covariance(), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.get_precision(), ref.get_precision(), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ours.get_covariance() @ ours.get_precision(), np.eye(5), atol=1e-9)


def test_score_is_a_gaussian_log_density():
    from scipy.stats import multivariate_normal

    pca = PCA(2).fit(X)
    density = multivariate_normal(pca.mean_, pca.get_covariance())
    np.testing.assert_allclose(pca.score_samples(X), density.logpdf(X), rtol=1e-10)
    # Whitening changes the transform, not the model of X.
    whitened = PCA(2, whiten=True).fit(X)
    np.testing.assert_allclose(whitened.score_samples(X), pca.score_samples(X), rtol=1e-12)
    np.testing.assert_allclose(whitened.score_samples(X), SkPCA(2).fit(X).score_samples(X), 1e-8)
