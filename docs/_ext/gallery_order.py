"""The gallery's order: the series' (models first to last, optim at the end)."""

SERIES = [
    "linear_regression_optimizers.py",
    "ridge_convergence.py",
    "lasso_path.py",
    "ista_vs_fista.py",
    "logistic_boundary.py",
    "logistic_optimizers.py",
    "logistic_minibatch.py",
    "knn_regions.py",
    "tree_iris.py",
    "tree_depth.py",
    "forest_oob.py",
    "boosting_optimizers.py",
    "boosting_custom_loss.py",
    "boosting_quantile.py",
    "kmeans_blobs.py",
    "dendrogram_iris.py",
    "pca_digits.py",
    "dask_out_of_core.py",
    "optimizers_logistic.py",
]


class SeriesOrder:
    """sphinx-gallery sort key: an example's place in SERIES (unknown files last, by name)."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in SERIES:
            return (SERIES.index(filename), filename)
        return (len(SERIES), filename)

    def __repr__(self):
        return "SeriesOrder"
