"""The estimators on dask arrays, on a real dask.distributed LocalCluster (issue 16).

One cluster of two worker processes (loopback only, no dashboard) serves the whole module.
Each fit on a dask array equals the in-memory fit on the same data to 1e-8 relative, with the
same trace; predictions stay lazy; the estimators that are not sums over blocks refuse.
"""

import subprocess
import sys
import warnings

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import gradscratch  # noqa: E402
from gradscratch import LinearRegression, Ridge  # noqa: E402

CHUNK = 97  # rows per block: uneven blocks, the last one short


@pytest.fixture(scope="module")
def client():
    with warnings.catch_warnings():
        # the cluster's start-up may warn about its own environment; the tests do not
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            host="127.0.0.1",
        )
        client = distributed.Client(cluster)
    yield client
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client.close()
        cluster.close()


def lazy(a, chunk=CHUNK):
    return da.from_array(a, chunks=(chunk, *a.shape[1:]))


def assert_close(actual, desired, rtol=1e-8):
    """Equal to ``rtol`` relative to the largest entry of ``desired`` (one scale per array)."""
    desired = np.asarray(desired, dtype=np.float64)
    scale = max(float(np.max(np.abs(desired))), 1e-300) if desired.size else 1.0
    np.testing.assert_allclose(actual, desired, rtol=0, atol=rtol * scale)


def same_trace(a, b, rtol=1e-8):
    """The two fits' traces: the same iterations, the same objective values."""
    ta, tb = a.optim_result_.trace, b.optim_result_.trace
    assert len(ta["fun"]) == len(tb["fun"])
    assert_close(tb["fun"], ta["fun"], rtol)
    assert_close(tb["grad_norm"], ta["grad_norm"], 1e-6)  # the measure: its noise is absolute
    assert a.optim_result_.converged == b.optim_result_.converged


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(700, 6)) * [1, 10, 0.1, 1, 5, 1] + [0, 3, -2, 1e3, 0, 1]
    y = X @ rng.normal(size=6) + rng.normal(size=700) + 4.0
    weights = rng.uniform(0.5, 2.0, size=700)
    return X, y, weights


def test_import_never_loads_dask():
    code = (
        "import sys, gradscratch, optim\n"
        "from gradscratch import LinearRegression, LogisticRegression, KMeans, PCA\n"
        "LinearRegression().fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.5])\n"
        "assert 'dask' not in sys.modules, 'dask imported'\n"
        "assert 'distributed' not in sys.modules, 'distributed imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "make",
    [LinearRegression, lambda: Ridge(alpha=3.0), lambda: LinearRegression(fit_intercept=False)],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_least_squares_equal_in_memory(client, regression, make, weighted):
    X, y, weights = regression
    sw = weights if weighted else None
    ref = make().fit(X, y, sample_weight=sw)
    model = make().fit(lazy(X), lazy(y), sample_weight=None if sw is None else lazy(sw))
    assert_close(model.coef_, ref.coef_)
    assert_close(model.intercept_, ref.intercept_)
    same_trace(ref, model)
    if make is LinearRegression and not weighted:  # summary(): from the reduced Gram
        assert_close(model.summary().std_err, ref.summary().std_err, rtol=1e-8)


def test_linear_regression_orthogonal_route(client, regression):
    """An ill-conditioned design takes the tall-skinny QR route, reduced over blocks."""
    X, y, _ = regression
    rng = np.random.default_rng(1)
    X = np.column_stack([X, X[:, 0] + 1e-6 * rng.normal(size=len(X))])
    ref = LinearRegression().fit(X, y)
    model = LinearRegression().fit(lazy(X), lazy(y))
    # the route's own promise: the digits a backward-stable QR keeps at this condition
    assert_close(model.coef_, ref.coef_, rtol=1e-6)
    assert_close(model.predict(X[:50]), ref.predict(X[:50]), rtol=1e-10)


def test_multi_output_and_in_memory_target(client, regression):
    X, y, _ = regression
    Y = np.column_stack([y, 2 * y - X[:, 0]])
    ref = Ridge(alpha=1.0).fit(X, Y)
    model = Ridge(alpha=1.0).fit(lazy(X), lazy(Y))
    assert_close(model.coef_, ref.coef_)
    # an in-memory y beside a dask X is chunked as X's rows
    assert_close(LinearRegression().fit(lazy(X), y).coef_, LinearRegression().fit(X, y).coef_)


def test_predict_is_lazy_and_score_works(client, regression):
    X, y, _ = regression
    ref = LinearRegression().fit(X, y)
    model = LinearRegression().fit(lazy(X), lazy(y))
    prediction = model.predict(lazy(X))
    assert isinstance(prediction, da.Array)
    assert prediction.chunks[0] == lazy(X).chunks[0]
    assert_close(prediction.compute(), ref.predict(X), rtol=1e-10)
    assert model.score(lazy(X), lazy(y)) == pytest.approx(ref.score(X, y), rel=1e-10)
    Y = np.column_stack([y, -y])
    lazy_2d = LinearRegression().fit(lazy(X), lazy(Y)).predict(lazy(X))
    assert lazy_2d.shape == (len(X), 2) and isinstance(lazy_2d, da.Array)


def test_nan_found_lazily_with_the_in_memory_message(client, regression):
    X, y, _ = regression
    X = X.copy()
    X[500, 2] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        LinearRegression().fit(lazy(X), lazy(y))
    with pytest.raises(ValueError, match="Negative values in data passed to sample_weight"):
        LinearRegression().fit(lazy(np.abs(y)[:, None]), lazy(y), sample_weight=lazy(-np.ones(700)))


def test_unknown_chunks_and_mixed_inputs_refused(client, regression):
    X, y, _ = regression
    dX = lazy(X)
    unknown = dX[dX[:, 0] > 0]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        LinearRegression().fit(unknown, y[:10])
    with pytest.raises(TypeError, match="both as dask arrays"):
        LinearRegression().fit(X, lazy(y))


REFUSED = [
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "KNeighborsClassifier",
    "KNeighborsRegressor",
    "AgglomerativeClustering",
]


@pytest.mark.parametrize("name", REFUSED)
def test_refused_with_the_remedy_never_computed(name, regression):
    """No cluster needed: a refusal computes nothing (a graph that raises if computed)."""
    X, y, _ = regression

    def explode(block):
        raise AssertionError("the dask array was computed")

    dX = lazy(X).map_blocks(explode, dtype=np.float64)
    dy = lazy(y).map_blocks(explode, dtype=np.float64)
    estimator = getattr(gradscratch, name)()
    with pytest.raises(TypeError, match="does not accept a dask array") as info:
        estimator.fit(dX, dy if name != "AgglomerativeClustering" else None)
    assert "compute()" in str(info.value)
    # a model fitted in memory refuses to predict a dask array and says how to map it
    if name != "AgglomerativeClustering":
        fitted = getattr(gradscratch, name)().fit(X[:100], (y[:100] > np.median(y[:100])) * 1.0)
        with pytest.raises(TypeError, match="map_blocks"):
            fitted.predict(dX)


def test_linkage_refuses_dask(regression):
    X, _, _ = regression
    with pytest.raises(TypeError, match="does not accept a dask array"):
        gradscratch.linkage(lazy(X[:50]))


@pytest.fixture(scope="module")
def classification():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(600, 4)) * [1, 3, 0.5, 1] + [0, 1, 5, -2]
    logits = (X - X.mean(axis=0)) @ rng.normal(size=(4, 3))
    y3 = np.argmax(logits + rng.gumbel(size=(600, 3)), axis=1)
    return X, y3, rng.uniform(0.5, 2.0, size=600)


LOGISTIC = [
    {},
    {"C": 0.1, "class_weight": "balanced"},
    {"C": np.inf},  # the Newton polish: Hessians summed over blocks
    {"fit_intercept": False, "class_weight": {"a": 2.0}},
]


@pytest.mark.parametrize(
    "params, n_classes",
    [(params, k) for params in LOGISTIC for k in (2, 3)]
    # FISTA with the L1 prox (binary only: its many iterations are each a round trip)
    + [({"C": 0.5, "l1_ratio": 0.5}, 2)],
)
def test_logistic_equal_in_memory(client, classification, params, n_classes):
    from gradscratch import LogisticRegression

    X, y, weights = classification
    y = np.array(["a", "b", "c"])[y if n_classes == 3 else (y > 0) * 1]
    if params.get("C") == np.inf and n_classes == 3:
        params = {"C": 1e4}
    ref = LogisticRegression(**params).fit(X, y, sample_weight=weights)
    # three blocks: each evaluation is a round trip to the workers
    dX, dy, dw = lazy(X, 250), lazy(y, 250), lazy(weights, 250)
    model = LogisticRegression(**params).fit(dX, dy, sample_weight=dw)
    np.testing.assert_array_equal(model.classes_, ref.classes_)
    assert_close(model.coef_, ref.coef_)
    assert_close(model.intercept_, ref.intercept_)
    same_trace(ref, model)
    proba = model.predict_proba(lazy(X))
    assert isinstance(proba, da.Array)
    assert_close(proba.compute(), ref.predict_proba(X), rtol=1e-8)
    labels = model.predict(lazy(X))
    assert isinstance(labels, da.Array)
    np.testing.assert_array_equal(labels.compute(), ref.predict(X))
    assert isinstance(model.decision_function(lazy(X)), da.Array)
    assert model.score(lazy(X), lazy(y)) == pytest.approx(ref.score(X, y), rel=1e-12)
    if params.get("C") == np.inf and n_classes == 2:  # the information, summed over blocks
        table, expected = model.summary(), ref.summary()
        for column in ("coef", "std_err", "p_value"):
            assert_close(getattr(table, column), getattr(expected, column), rtol=1e-7)


def test_logistic_one_class_refused(client, classification):
    from gradscratch import LogisticRegression

    X, y, _ = classification
    with pytest.raises(ValueError, match="at least 2 classes"):
        LogisticRegression().fit(lazy(X), lazy(np.zeros(len(X))))
    with pytest.raises(ValueError, match="Unknown label type"):
        LogisticRegression().fit(lazy(X), lazy(X[:, 0]))


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "auto"])
@pytest.mark.parametrize("n_components", [None, 3, 0.9])
def test_pca_equal_in_memory(client, regression, solver, n_components):
    from gradscratch import PCA

    X, _, _ = regression
    X = X[:, :5] @ np.random.default_rng(3).normal(size=(5, 5)) + 1e3  # correlated, offset
    ref = PCA(n_components, svd_solver=solver).fit(X)
    model = PCA(n_components, svd_solver=solver).fit(lazy(X))
    assert model.n_components_ == ref.n_components_
    for name in ("components_", "explained_variance_", "singular_values_", "mean_"):
        assert_close(getattr(model, name), getattr(ref, name))
    assert_close(model.noise_variance_, ref.noise_variance_, rtol=1e-6)
    Z = model.transform(lazy(X))
    assert isinstance(Z, da.Array) and Z.shape == (len(X), ref.n_components_)
    assert_close(Z.compute(), ref.transform(X))
    assert model.score(lazy(X)) == pytest.approx(ref.score(X), rel=1e-10)


def test_pca_randomized_refused(regression):
    from gradscratch import PCA

    with pytest.raises(ValueError, match="randomized"):
        PCA(2, svd_solver="randomized").fit(lazy(regression[0]))


@pytest.mark.parametrize("name", ["Lasso", "ElasticNet"])
@pytest.mark.parametrize("weighted", [False, True])
def test_lasso_enet_on_the_reduced_gram(client, regression, name, weighted):
    X, y, weights = regression
    sw = weights if weighted else None
    make = getattr(gradscratch, name)
    ref = make(alpha=0.05).fit(X, y, sample_weight=sw)
    model = make(alpha=0.05).fit(lazy(X), lazy(y), sample_weight=None if sw is None else lazy(sw))
    # both stop within the solver's tolerance (the coefficients to ~5e-9 here); the intercept
    # b = mean(y) - mean(x) w carries the columns' offsets (1e3) times that difference
    assert_close(model.coef_, ref.coef_)
    offsets = np.average(X, axis=0, weights=sw)
    scale = abs(ref.intercept_) + np.abs(offsets) @ np.abs(ref.coef_)
    assert abs(model.intercept_ - ref.intercept_) <= 1e-8 * scale
    assert model.n_iter_ == ref.n_iter_
    assert isinstance(model.predict(lazy(X)), da.Array)


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(4)
    centers = rng.normal(scale=4.0, size=(4, 3)) + [0.0, 100.0, -5.0]
    X = np.vstack([c + rng.normal(size=(150, 3)) for c in centers])
    return X[rng.permutation(len(X))], rng.uniform(0.5, 2.0, size=len(X))


@pytest.mark.parametrize(
    "params",
    [
        {"n_clusters": 4},
        {"n_clusters": 6, "init": "random", "n_init": 2},
        {"n_clusters": 3, "tol": 0.0, "max_iter": 5},
    ],
)
@pytest.mark.parametrize("weighted", [False, True])
def test_kmeans_equal_in_memory(client, blobs, params, weighted):
    """The same start from the same random stream, the same iterations, the same inertia."""
    from gradscratch import KMeans

    X, weights = blobs
    sw = weights if weighted else None
    ref = KMeans(random_state=0, **params).fit(X, sample_weight=sw)
    dX = lazy(X, 150)
    model = KMeans(random_state=0, **params).fit(
        dX, sample_weight=None if sw is None else lazy(sw, 150)
    )
    assert_close(model.cluster_centers_, ref.cluster_centers_)
    assert model.n_iter_ == ref.n_iter_
    assert model.inertia_ == pytest.approx(ref.inertia_, rel=1e-10)
    assert_close(model.inertia_history_, ref.inertia_history_, rtol=1e-10)
    assert isinstance(model.labels_, da.Array)
    np.testing.assert_array_equal(model.labels_.compute(), ref.labels_)
    np.testing.assert_array_equal(model.predict(dX).compute(), ref.predict(X))
    assert_close(model.transform(dX).compute(), ref.transform(X), rtol=1e-10)
    assert model.score(dX) == pytest.approx(ref.score(X), rel=1e-10)


def test_kmeans_empty_cluster_relocated_as_in_memory(client, blobs):
    from gradscratch import KMeans

    X, _ = blobs
    init = np.vstack([X[:3], X[:3].mean(axis=0) + 1e6])  # the far center catches nothing
    ref = KMeans(4, init=init).fit(X)
    model = KMeans(4, init=init).fit(lazy(X, 150))
    assert_close(model.cluster_centers_, ref.cluster_centers_)
    assert model.n_iter_ == ref.n_iter_


def test_optim_minimize_sums_over_blocks(client):
    """optim's own seam: f a mean over rows, evaluated per block and summed, equals the
    in-memory run; minibatches of dask arrays are refused."""
    import autograd.numpy as anp

    import optim

    rng = np.random.default_rng(5)
    A, b = rng.normal(size=(500, 3)), rng.normal(size=500)

    def f(x, A, b):
        return anp.mean((anp.dot(A, x) - b) ** 2) + 0.1 * anp.dot(x, x)

    for optimizer in (optim.LBFGS(), optim.Newton()):
        ref = optimizer.minimize(f, np.zeros(3), data=(A, b))
        run = optimizer.minimize(f, np.zeros(3), data=(lazy(A), lazy(b)))
        assert_close(run.x, ref.x)
        assert run.n_iter == ref.n_iter and run.converged
    with pytest.raises(ValueError, match="Minibatches of dask arrays"):
        optim.Adam().minimize(f, np.zeros(3), data=(lazy(A), lazy(b)), batch_size=50)


def test_fits_never_gather_the_data(client, regression, classification, monkeypatch):
    """No dask array is converted to numpy on the client during a fit (``__array__``
    raises); least squares and PCA do not even call ``compute``, only reductions."""
    from gradscratch import PCA, KMeans, LogisticRegression

    X, y, _ = regression
    Xc, yc, _ = classification
    dX, dy, dXc, dyc = lazy(X), lazy(y), lazy(Xc, 300), lazy(yc, 300)

    def gathered(*args, **kwargs):
        raise AssertionError("a dask array was gathered on the client")

    monkeypatch.setattr(da.Array, "__array__", gathered)
    LogisticRegression().fit(dXc, dyc)
    KMeans(3, random_state=0).fit(dXc)
    monkeypatch.setattr(da.Array, "compute", gathered)
    LinearRegression().fit(dX, dy)
    Ridge().fit(dX, dy)
    PCA(2).fit(dX)


def test_same_convergence_warning(client, classification):
    """A budget too small warns on the dask fit as on the in-memory one, at the user's line."""
    from gradscratch import ConvergenceWarning, LogisticRegression

    X, y, _ = classification
    with pytest.warns(ConvergenceWarning, match="did not converge") as ref:
        LogisticRegression(max_iter=2).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="did not converge") as run:
        LogisticRegression(max_iter=2).fit(lazy(X, 300), lazy(y, 300))
    assert [str(w.message) for w in run] == [str(w.message) for w in ref]
    assert run[0].filename == __file__
