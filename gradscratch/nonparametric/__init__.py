"""The algorithmic module: models defined by algorithms rather than by a loss.

Depends on gradscratch.base only (never on optim or the parametric module).
"""

__all__ = []

from gradscratch.nonparametric.tree import (  # noqa: E402
    DecisionTreeClassifier,
    DecisionTreeRegressor,
    export_text,
)

__all__ += ["DecisionTreeClassifier", "DecisionTreeRegressor", "export_text"]

from gradscratch.nonparametric.forest import (  # noqa: E402
    RandomForestClassifier,
    RandomForestRegressor,
)

__all__ += ["RandomForestClassifier", "RandomForestRegressor"]
