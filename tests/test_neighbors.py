"""k-nearest neighbours against scikit-learn's brute force."""

import numpy as np
import pytest
from sklearn import neighbors as skn

from gradscratch import KNeighborsClassifier, KNeighborsRegressor
from gradscratch.datasets import load_breast_cancer, load_wine, make_classification


def _classification(name):
    if name == "wine":
        X, y = load_wine(return_X_y=True)
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        return X[::2], y[::2], X[1::2]
    if name == "cancer":
        X, y = load_breast_cancer(return_X_y=True)
        return X[:300], y[:300], X[300:]
    X, y = make_classification(400, 6, n_classes=3, random_state=0)
    return X[:250], y[:250], X[250:]


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 7])
@pytest.mark.parametrize("name", ["wine", "cancer", "synthetic"])
def test_classifier_matches_sklearn(name, k, weights, metric):
    X, y, Xq = _classification(name)
    kw = dict(n_neighbors=k, weights=weights, metric=metric)
    ours = KNeighborsClassifier(**kw).fit(X, y)
    ref = skn.KNeighborsClassifier(algorithm="brute", **kw).fit(X, y)
    np.testing.assert_array_equal(ours.predict(Xq), ref.predict(Xq))
    np.testing.assert_allclose(ours.predict_proba(Xq), ref.predict_proba(Xq), atol=1e-12)
    d, i = ours.kneighbors(Xq)
    d_ref, i_ref = ref.kneighbors(Xq)
    np.testing.assert_allclose(d, d_ref, atol=1e-7)


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 7])
def test_regressor_matches_sklearn(k, weights, metric):
    rng = np.random.default_rng(0)
    X, Xq = rng.normal(size=(300, 5)), rng.normal(size=(100, 5))
    y = np.sin(X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=300)
    kw = dict(n_neighbors=k, weights=weights, metric=metric)
    ours = KNeighborsRegressor(**kw).fit(X, y).predict(Xq)
    ref = skn.KNeighborsRegressor(algorithm="brute", **kw).fit(X, y).predict(Xq)
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("metric,p", [("chebyshev", 2), ("minkowski", 3), ("minkowski", 1)])
def test_other_metrics(metric, p):
    X, y, Xq = _classification("synthetic")
    ours = KNeighborsRegressor(5, metric=metric, p=p).fit(X, y).predict(Xq)
    ref = skn.KNeighborsRegressor(5, metric=metric, p=p, algorithm="brute").fit(X, y)
    np.testing.assert_allclose(ours, ref.predict(Xq), rtol=1e-10)


def test_zero_distance_and_callable_weights():
    """Queries equal to training points: with weights="distance" the exact matches take all
    the weight (scikit-learn's rule), so each such query predicts its own label. scikit-learn
    computes that zero distance with the expanded formula |x|^2 - 2 x.y + |y|^2, which leaves
    a residue of about 1e-8 on some CPUs' BLAS kernels, and so gives the other neighbours
    weights of order 1e-8: agreement with it is asserted to that precision, the rule exactly."""
    X, y, _ = _classification("wine")
    for weights in ["distance", lambda d: np.exp(-d)]:
        ours = KNeighborsClassifier(7, weights=weights).fit(X, y)
        ref = skn.KNeighborsClassifier(7, weights=weights, algorithm="brute").fit(X, y)
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
        reg = KNeighborsRegressor(7, weights=weights).fit(X, y.astype(float))
        ref_reg = skn.KNeighborsRegressor(7, weights=weights, algorithm="brute")
        np.testing.assert_allclose(reg.predict(X), ref_reg.fit(X, y).predict(X), atol=1e-6)
    proba = KNeighborsClassifier(7, weights="distance").fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(proba, np.eye(3)[y])
    pred = KNeighborsRegressor(7, weights="distance").fit(X, y.astype(float)).predict(X)
    np.testing.assert_array_equal(pred, y.astype(float))


def test_vote_ties_go_to_smallest_label():
    X = np.array([[0.0], [1.0], [-1.0], [2.0]])
    y = np.array([3, 1, 1, 3])
    # Two neighbours at equal distance with different labels.
    assert KNeighborsClassifier(2).fit(X[:3], y[:3]).predict([[0.5]])[0] == 1
    pred = KNeighborsClassifier(4).fit(X, y).predict([[0.5]])
    assert pred[0] == 1


def test_kneighbors_without_queries_excludes_self():
    X, y, _ = _classification("synthetic")
    ours = KNeighborsClassifier(3).fit(X, y).kneighbors()
    ref = skn.NearestNeighbors(n_neighbors=3, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ours[1], ref[1])


def test_chunking_gives_the_same_answer(monkeypatch):
    from gradscratch.nonparametric import _distances

    X, y, Xq = _classification("synthetic")
    full = KNeighborsRegressor(7, metric="manhattan").fit(X, y).predict(Xq)
    monkeypatch.setattr(_distances, "MAX_CHUNK_BYTES", 8 * 250 * 6 * 3)
    for metric in ["manhattan", "euclidean"]:
        chunked = KNeighborsRegressor(7, metric=metric).fit(X, y)
        assert _distances.chunk_rows(250, 6, metric) < len(Xq)
        if metric == "manhattan":
            np.testing.assert_array_equal(chunked.predict(Xq), full)


def test_bad_input():
    X, y, Xq = _classification("synthetic")
    model = KNeighborsClassifier(n_neighbors=300).fit(X, y)
    with pytest.raises(ValueError, match="Expected n_neighbors <= n_samples_fit"):
        model.predict(Xq)
    with pytest.raises(ValueError, match="n_neighbors must be an integer"):
        KNeighborsClassifier(n_neighbors=0).fit(X, y)
    with pytest.raises(ValueError, match="metric must be one of"):
        KNeighborsClassifier(metric="hamming").fit(X, y)
    bad = Xq.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        KNeighborsClassifier().fit(X, y).predict(bad)
    with pytest.raises(ValueError, match="X has 2 features, but KNeighborsRegressor"):
        KNeighborsRegressor().fit(X, y).predict(Xq[:, :2])


def test_duplicate_points():
    X = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0]]), 3, axis=0)
    y = np.repeat([0, 1, 2], 3)
    for weights in ["uniform", "distance"]:
        ours = KNeighborsClassifier(3, weights=weights).fit(X, y)
        ref = skn.KNeighborsClassifier(3, weights=weights, algorithm="brute").fit(X, y)
        np.testing.assert_array_equal(ours.predict(X + 0.1), ref.predict(X + 0.1))
        np.testing.assert_array_equal(ours.predict(X), y)


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("k", [1, 7])
def test_group_preselection_on_larger_training_sets(k, metric):
    # 4000 training points: rows are long enough for the group-minimum pre-selection.
    X, y = make_classification(4300, 5, n_classes=3, random_state=1)
    X, Xq, y = X[:4000], X[4000:], y[:4000]
    for weights in ["uniform", "distance"]:
        kw = dict(n_neighbors=k, weights=weights, metric=metric)
        ours = KNeighborsClassifier(**kw).fit(X, y)
        ref = skn.KNeighborsClassifier(algorithm="brute", **kw).fit(X, y)
        np.testing.assert_array_equal(ours.predict(Xq), ref.predict(Xq))
        np.testing.assert_array_equal(ours.kneighbors(Xq)[1], ref.kneighbors(Xq)[1])


@pytest.mark.parametrize("k", [1, 3])
def test_tied_distances_on_digits(k):
    # Integer pixels: many exactly tied distances. We break a tie at the k-th distance towards
    # the smaller training index; scikit-learn's choice there follows the rounding of its
    # matrix-product formula. Predictions must agree everywhere else.
    from gradscratch.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, Xq, y = X[:1500], X[1500:], y[:1500]
    dist, ind = KNeighborsClassifier(k).fit(X, y).kneighbors(Xq)
    exact = np.sqrt(((Xq[:, None, :] - X[None, :, :]) ** 2).sum(axis=2))
    expected = np.lexsort((np.broadcast_to(np.arange(len(X)), exact.shape), exact), axis=1)
    np.testing.assert_array_equal(ind, expected[:, :k])
    ours = KNeighborsClassifier(k).fit(X, y).predict(Xq)
    ref = skn.KNeighborsClassifier(k, algorithm="brute").fit(X, y).predict(Xq)
    kth = np.sort(exact, axis=1)
    boundary_tie = kth[:, k - 1] == kth[:, k]
    np.testing.assert_array_equal(ours[~boundary_tie], ref[~boundary_tie])


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 7])
def test_regressor_on_diabetes(k, weights, metric):
    from gradscratch.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    kw = dict(n_neighbors=k, weights=weights, metric=metric)
    ours = KNeighborsRegressor(**kw).fit(X[:300], y[:300]).predict(X[300:])
    ref = skn.KNeighborsRegressor(algorithm="brute", **kw).fit(X[:300], y[:300])
    np.testing.assert_allclose(ours, ref.predict(X[300:]), rtol=1e-10, atol=1e-10)
