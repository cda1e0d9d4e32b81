"""The algorithmic module: models defined by algorithms rather than by a loss.

Depends on gradscratch.base only (never on optim or the parametric module).
"""

from gradscratch.nonparametric.forest import RandomForestClassifier, RandomForestRegressor
from gradscratch.nonparametric.hierarchical import (
    AgglomerativeClustering,
    fcluster,
    inconsistent,
    linkage,
)
from gradscratch.nonparametric.kmeans import KMeans
from gradscratch.nonparametric.neighbors import KNeighborsClassifier, KNeighborsRegressor
from gradscratch.nonparametric.pca import PCA
from gradscratch.nonparametric.tree import (
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    export_text,
)

__all__ = [
    "AgglomerativeClustering",
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "KMeans",
    "KNeighborsClassifier",
    "KNeighborsRegressor",
    "PCA",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "export_text",
    "fcluster",
    "inconsistent",
    "linkage",
]
