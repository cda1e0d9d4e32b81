"""Validation of dask arrays at the boundary: lazily, never converting them to numpy.

What is known without computing is checked at once: the dtype, the number of dimensions, the
shape (a dask array of unknown chunk sizes is refused with the remedy). What needs the data
(NaN and inf; negative sample weights) is checked block by block, fused into the array's own
graph: the first pass over the data a fit makes (or the first block a lazy prediction
computes) raises the same error the in-memory check would, with the same message. An
estimator that is not written as a sum over blocks refuses a dask array with a TypeError that
says why and what to do (:func:`refuse_dask`), and never computes it.
"""

import numpy as np

__all__ = [
    "DASK_ESTIMATORS",
    "as_rows_of",
    "check_dask_array",
    "check_dask_sample_weight",
    "check_dask_y",
    "check_weight_sum",
    "refuse_dask",
]

DASK_ESTIMATORS = "LinearRegression, Ridge, Lasso, ElasticNet, LogisticRegression, KMeans, PCA"

_EXACT_TREE = (
    "an exact tree sorts every feature's values at every node, over rows that must be in memory"
)
_HIERARCHICAL = "hierarchical clustering needs the n x n distances between all rows"
_REASONS = {
    "DecisionTreeClassifier": _EXACT_TREE,
    "DecisionTreeRegressor": _EXACT_TREE,
    "RandomForestClassifier": "its exact trees are grown on bootstrap samples of rows in memory",
    "RandomForestRegressor": "its exact trees are grown on bootstrap samples of rows in memory",
    "GradientBoostingClassifier": (
        "its trees are grown on rows in memory (histograms summed over blocks would serve, "
        "but its histogram engine does not take dask arrays yet)"
    ),
    "GradientBoostingRegressor": (
        "its trees are grown on rows in memory (histograms summed over blocks would serve, "
        "but its histogram engine does not take dask arrays yet)"
    ),
    "KNeighborsClassifier": "a neighbour search compares each query with every training row",
    "KNeighborsRegressor": "a neighbour search compares each query with every training row",
    "AgglomerativeClustering": _HIERARCHICAL,
    "linkage": _HIERARCHICAL,
}


def refuse_dask(who, fitting=True):
    """The TypeError of an estimator (or function) that cannot take a dask array."""
    reason = _REASONS.get(who, "it is not computed as a sum over blocks of rows")
    if fitting:
        remedy = (
            "fit it on a sample that fits in memory (X[:m].compute(), y[:m].compute(), or "
            "rows drawn at random)"
        )
    else:
        remedy = (
            "the fitted model predicts row by row, so map it over the blocks, lazily: "
            "X.map_blocks(model.predict, drop_axis=1, dtype=...) (or compute the rows)"
        )
    return TypeError(
        f"{who} does not accept a dask array: {reason}. To use it, {remedy}. The estimators "
        f"that fit dask arrays block by block are {DASK_ESTIMATORS}."
    )


def _finite_block(block, what):
    """The block itself, after the in-memory finiteness check (run where the block lives)."""
    from gradscratch._validation import _assert_finite

    _assert_finite(block, what)
    return block


def _weight_block(block):
    _finite_block(block, "sample_weight")
    if np.any(block < 0):
        raise ValueError("Negative values in data passed to sample_weight")
    return block


def _lazy_checked(a, name):
    return a.map_blocks(_finite_block, what=name, dtype=a.dtype)


def check_dask_array(X, *, who, name, dtype, allow_nan):
    """:func:`gradscratch._validation.check_array` for a dask array, lazily (the shape
    checks, which need only X.shape, are check_array's own, shared with numpy arrays)."""
    if not hasattr(X, "chunks"):
        raise TypeError(
            f"{who} takes dask arrays, got a {type(X).__name__}: convert it first, e.g. "
            f"{name}.to_dask_array(lengths=True) for a dask DataFrame."
        )
    if X.dtype.kind == "c":
        raise ValueError("Complex data not supported")
    if X.dtype.kind not in "biuf":
        raise TypeError(
            f"{who} needs numeric input {name}, got a dask array of dtype {X.dtype}: convert "
            f"it lazily first ({name}.astype(float))."
        )
    if any(np.isnan(s) for s in X.shape):
        raise ValueError(
            f"{who} needs the shape of {name}, but the dask array has unknown chunk sizes "
            f"(shape {X.shape}): call {name}.compute_chunk_sizes() first (or pass lengths= "
            "to to_dask_array)."
        )
    if dtype is not None and X.dtype != dtype:
        X = X.astype(dtype)
    if X.ndim == 2:
        X = X.rechunk({1: -1})  # the blocks are whole rows
    return X if allow_nan else _lazy_checked(X, name)


def as_rows_of(y, X, *, who):
    """A target beside a dask X as a dask array chunked as X's rows (an in-memory one, already
    checked, is wrapped as it is); a dask target beside an in-memory X is refused."""
    import dask.array as da

    if not hasattr(X, "chunks"):
        raise TypeError(
            f"{who}: y is a dask array but X is not; pass both as dask arrays "
            "(dask.array.from_array(X, chunks=...)) or both in memory."
        )
    if hasattr(y, "chunks"):
        return y
    return da.from_array(np.asarray(y), chunks=(X.chunks[0], *y.shape[1:]))


def check_dask_y(y, X, *, who, y_numeric, warn_column):
    """``_check_y`` for a target beside a dask X: y a dask array (checked lazily) or an
    in-memory one (checked as usual by the caller, then chunked as X's rows)."""
    if not (hasattr(y, "chunks") and hasattr(X, "chunks")):
        return as_rows_of(y, X, who=who)
    if y.ndim == 2 and y.shape[1] == 1:
        warn_column()
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"{who} expects a 1-D target y of shape (n_samples,), got shape {y.shape}."
        )
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported")
    if y_numeric or y.dtype.kind == "f":
        if y.dtype.kind not in "biuf":
            raise ValueError(f"{who} needs a numeric target y, got dtype {y.dtype}.")
        y = _lazy_checked(y.astype(np.float64) if y_numeric else y, "y")
    if any(np.isnan(s) for s in y.shape):
        raise ValueError("y has unknown chunk sizes: call y.compute_chunk_sizes() first.")
    return y


def check_dask_sample_weight(sample_weight, like, check_in_memory):
    """Sample weights for a dask X, as a dask array chunked as X's rows (lazily ones for
    None); an in-memory vector is checked by ``check_in_memory`` first."""
    import dask.array as da

    n, rows = like.shape[0], (like.chunks[0],)
    if sample_weight is None:
        return da.ones(n, chunks=rows)
    if not hasattr(sample_weight, "chunks"):
        return da.from_array(check_in_memory(sample_weight, n), chunks=rows)
    if sample_weight.ndim != 1:
        raise ValueError("Sample weights must be 1D array or scalar")
    if sample_weight.shape != (n,):
        raise ValueError(f"sample_weight.shape == {sample_weight.shape}, expected {(n,)}!")
    w = sample_weight.astype(np.float64).rechunk(rows)
    return w.map_blocks(_weight_block, dtype=np.float64)


def check_weight_sum(weight_sum):
    """The in-memory check that needs a sum: at least one weight is positive."""
    if not weight_sum > 0:
        raise ValueError("Sample weights must contain at least one non-zero weight.")
