"""The algorithmic module: models defined by algorithms rather than by a loss.

Depends on gradscratch.base only (never on optim or the parametric module).
"""

from gradscratch.nonparametric.hierarchical import AgglomerativeClustering, fcluster, linkage
from gradscratch.nonparametric.kmeans import KMeans
from gradscratch.nonparametric.neighbors import KNeighborsClassifier, KNeighborsRegressor
from gradscratch.nonparametric.pca import PCA

__all__ = [
    "AgglomerativeClustering",
    "KMeans",
    "KNeighborsClassifier",
    "KNeighborsRegressor",
    "PCA",
    "fcluster",
    "linkage",
]
