"""BLAS threads: every estimator's public work runs with one BLAS thread.

numpy hands its matrix products to a BLAS (OpenBLAS in the wheels) that starts one thread per
core and, between calls, keeps them spinning for work. The models call it many times on
modest blocks (an optimizer's evaluations, distance blocks, histogram passes), so on a
machine where any other process competes for the cores the spinning threads are descheduled
mid-product and the one Python thread waits for them: measured on this project's 2-core
machine with one competing process, LinearRegression 200000 x 100 took 2.7 s with two BLAS
threads and 0.17 s with one, a 10-class logistic fit 7.6 s and 1.5 s, k-means 1.86 s and
0.17 s. On a quiet machine the second thread buys little for these sizes (the ratios in the
README are measured with one). So ``fit``, ``predict`` and the other public methods of every
estimator run with one BLAS thread, set with threadpoolctl (as scikit-learn does inside its
own loops) and restored on return; :func:`limit_blas_threads` is that rule, and
``BLAS_THREADS`` its one setting (None: leave BLAS as it is).

An estimator whose work is a few large products (PCA's covariance, KNN's distance blocks)
declares ``_blas_threads = None`` and keeps the caller's threads: measured on 2 cores, PCA
50000 x 200 fits in 0.060 s with two threads and 0.075 s with one (scikit-learn 0.053 s),
and with one competing process 0.23 s and 0.08 s (scikit-learn 0.18-0.23 s); KNN predict
5000 -> 20000 in 0.14 s and 0.18 s quiet, 0.26 s and 0.18 s loaded (scikit-learn 0.19-0.21,
0.29-0.33): for them the second thread is worth more quiet than it costs loaded.
"""

import functools
import threading

__all__ = ["BLAS_THREADS", "limit_blas_threads", "limited"]

BLAS_THREADS = 1

# The public methods an estimator class defines that do the work (wrapped by BaseEstimator).
PUBLIC_WORK = (
    "fit",
    "fit_predict",
    "fit_transform",
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "transform",
    "inverse_transform",
    "score",
    "score_samples",
    "kneighbors",
    "apply",
)

_state = threading.local()
_controller = None


def _blas_limiter(limit):
    global _controller
    if _controller is None:  # created on first use, once numpy's BLAS is loaded
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=limit, user_api="blas")


def limit_blas_threads(method):
    """Run ``method`` with ``BLAS_THREADS`` BLAS threads, or the estimator's own
    ``_blas_threads`` (None: the caller's); the outermost call sets them."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        limit = getattr(self, "_blas_threads", BLAS_THREADS)
        if limit is None or BLAS_THREADS is None or getattr(_state, "inside", False):
            return method(self, *args, **kwargs)
        _state.inside = True
        try:
            with _blas_limiter(limit):
                return method(self, *args, **kwargs)
        finally:
            _state.inside = False

    run._limits_blas_threads = True
    return run


def limited(cls):
    """Wrap the public methods that do the work, where ``cls`` itself defines them."""
    for name in PUBLIC_WORK:
        method = cls.__dict__.get(name)
        if callable(method) and not getattr(method, "_limits_blas_threads", False):
            setattr(cls, name, limit_blas_threads(method))
