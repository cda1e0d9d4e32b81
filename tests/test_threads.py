"""The BLAS thread rule (gradscratch/_threads.py): public work runs with one BLAS thread, and
the caller's setting comes back afterwards, also when the work raises."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import gradscratch as gs
from gradscratch import _threads


def _blas_threads():
    """Threads of numpy's own BLAS (the one the models call; scipy may load another)."""
    return [
        lib["num_threads"]
        for lib in threadpool_info()
        if lib["user_api"] == "blas" and "numpy" in lib["filepath"]
    ]


class _Probe(gs.base.BaseEstimator):
    """Records the BLAS threads it runs with; ``fit`` calls ``predict`` (a nested call)."""

    def __init__(self, fail=False):
        self.fail = fail

    def fit(self, X, y=None):
        self.seen_ = _blas_threads()
        if self.fail:
            raise RuntimeError("fit failed")
        self.predict(X)
        return self

    def predict(self, X):
        self.seen_in_predict_ = _blas_threads()
        return np.zeros(len(X))


def test_fit_runs_with_one_blas_thread_and_restores_the_callers_setting():
    if not _blas_threads():
        pytest.skip("numpy's BLAS is not visible to threadpoolctl here")
    with threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        probe = _Probe().fit(np.ones((4, 2)))
        assert probe.seen_ == [1] * len(before)
        assert probe.seen_in_predict_ == [1] * len(before)
        assert _blas_threads() == before
        with pytest.raises(RuntimeError, match="fit failed"):
            _Probe(fail=True).fit(np.ones((4, 2)))
        assert _blas_threads() == before


def test_every_estimator_wraps_its_public_work():
    for name in gs.__all__:
        cls = getattr(gs, name)
        if not (isinstance(cls, type) and issubclass(cls, gs.base.BaseEstimator)):
            continue
        for method in _threads.PUBLIC_WORK:
            if method in cls.__dict__:
                assert getattr(cls.__dict__[method], "_limits_blas_threads", False), (
                    f"{name}.{method}"
                )


def test_the_wrapped_methods_keep_their_names_and_docstrings():
    fit = gs.LinearRegression.fit
    assert fit.__name__ == "fit"
    assert fit.__doc__ and "sample_weight" in fit.__doc__


class _ProbeKeepingThreads(_Probe):
    _blas_threads = None  # as PCA and KNN: a few large products, the caller's threads


def test_an_estimator_may_keep_the_callers_threads():
    if not _blas_threads():
        pytest.skip("numpy's BLAS is not visible to threadpoolctl here")
    with threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        probe = _ProbeKeepingThreads().fit(np.ones((4, 2)))
        assert probe.seen_ == before
    assert gs.PCA._blas_threads is None and gs.KNeighborsClassifier._blas_threads is None
    assert getattr(gs.KMeans, "_blas_threads", _threads.BLAS_THREADS) == 1
