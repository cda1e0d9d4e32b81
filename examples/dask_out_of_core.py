"""
When the data do not fit: the same estimators on dask arrays
============================================================

A ``dask.array.Array`` is a grid of numpy blocks that are computed (or read) only when asked
for. gradscratch's models are sums over samples, so a fit on a dask array is the in-memory
fit with every sum split by row block: each block's partial sum is computed where the block
lives (a worker of a ``dask.distributed`` cluster, or a thread of dask's local scheduler, as
here), and only the partial sums travel. Nothing of size n reaches this process.

This needs the optional extra: ``pip install -e ".[dask]"``. On a cluster, create a
``distributed.Client`` first; the code below does not change.
"""

import dask.array as da
import matplotlib.pyplot as plt
import numpy as np

from gradscratch import PCA, KMeans, LinearRegression, LogisticRegression

N, P, BLOCK = 80_000, 5, 20_000


def generate(block_info=None):
    """One block of rows, drawn by a generator seeded with the block's index: the same data
    on every run, made where the block is computed."""
    (start, stop), _ = block_info[None]["array-location"]
    rng = np.random.default_rng([7, block_info[None]["chunk-location"][0]])
    return rng.normal(size=(stop - start, P)) * [1.0, 2.0, 0.5, 1.0, 3.0] + [0, 0, 5, 100, 0]


X = da.map_blocks(generate, chunks=((BLOCK,) * (N // BLOCK), (P,)), dtype=np.float64)
coef = np.array([1.0, -2.0, 0.5, 0.0, 1.5])
y = X @ coef + 4.0 + da.random.default_rng(0).normal(size=N, chunks=BLOCK)
labels = (X[:, 0] - 2 * X[:, 1] > 0).astype(int)
print(X)  # a lazy array: 4 blocks of 20,000 rows, nothing computed yet

# %%
# Least squares: one pass
# -----------------------
# ``LinearRegression`` and ``Ridge`` need X^T X and X^T y of the centred data. Each block
# returns its weighted count, mean and centred scatter of [x, y]; Chan, Golub and LeVeque's
# update merges two blocks exactly (``gradscratch/_blocks.py``), so the column near 100 keeps
# its digits. The rest of the fit is the in-memory one, on a 6 x 6 matrix.

ols = LinearRegression().fit(X, y)
print("coefficients:", np.round(ols.coef_, 3), "intercept:", round(ols.intercept_, 3))
prediction = ols.predict(X)  # lazy: a map over the blocks
print("predict returns", type(prediction).__name__, "; R^2 =", round(ols.score(X, y), 4))

# %%
# Logistic regression: one reduction per evaluation
# -------------------------------------------------
# The mean log-loss is a sum over blocks; ``optim.minimize(f, x0, data=(X, y, w))`` with
# dask arrays evaluates f and its autograd gradient on every block and adds the results,
# so L-BFGS runs unchanged, each of its evaluations one pass. On the same data in memory
# the fit is the same to rounding, iteration by iteration:

logistic = LogisticRegression(C=0.01).fit(X, labels)
X_mem, labels_mem = X.compute(), labels.compute()  # small enough here, to compare
in_memory = LogisticRegression(C=0.01).fit(X_mem, labels_mem)
print("max |coef difference|:", np.max(np.abs(logistic.coef_ - in_memory.coef_)))

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for model, name, style in [(in_memory, "in memory", "-"), (logistic, "dask, 4 blocks", "o")]:
    trace = model.optim_result_.trace
    ax.semilogy(trace["grad_norm"], style, label=name, mfc="none")
ax.set_xlabel("L-BFGS iteration")
ax.set_ylabel("stopping measure")
ax.set_title("LogisticRegression: the same iterations on blocks as in memory")
ax.legend()

# %%
# k-means and PCA
# ---------------
# k-means' Lloyd iteration needs, per cluster, the weight and the sum of its points: one
# pass per iteration, and its k-means++ start locates each draw by the blocks' totals, so
# only k rows are ever fetched. PCA takes the scatter of the centred blocks (merged
# moments) or a tall-skinny QR of them.

kmeans = KMeans(3, random_state=0).fit(X)
print("k-means inertia:", round(kmeans.inertia_, 1), "labels_:", type(kmeans.labels_).__name__)
pca = PCA(2).fit(X)
print("explained variance ratio:", np.round(pca.explained_variance_ratio_, 3))

# %%
# What cannot work this way
# -------------------------
# An exact decision tree sorts every feature at every node; a neighbour search compares each
# query with every training row. Those estimators refuse a dask array, and say what to do:

from gradscratch import DecisionTreeClassifier  # noqa: E402

try:
    DecisionTreeClassifier().fit(X, labels)
except TypeError as error:
    print(error)

# sphinx_gallery_start_ignore
from _common import finish  # noqa: E402

finish()
# sphinx_gallery_end_ignore
