"""A depth-3 classification tree on iris, drawn node by node.

Each box shows the split rule ``feature <= threshold`` (samples going left satisfy it), the
node's Gini impurity, its number of samples and its majority class.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import main, save

from gradscratch import DecisionTreeClassifier
from gradscratch.datasets import load_iris
from gradscratch.plotting import plot_tree

FEATURES = ["sepal length", "sepal width", "petal length", "petal width"]


def run(out_dir):
    """Iris tree of depth 3."""
    import matplotlib.pyplot as plt

    X, y = load_iris(return_X_y=True)
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    fig, ax = plt.subplots(figsize=(10, 5.5))
    plot_tree(
        tree, ax=ax, feature_names=FEATURES, class_names=["setosa", "versicolor", "virginica"]
    )
    ax.set_title(f"CART on iris (gini, depth 3): training accuracy {tree.score(X, y):.3f}")
    return [
        (
            save(fig, out_dir, "tree_iris.png"),
            "A depth-3 Gini tree on iris: petal measurements separate the three species.",
        )
    ]


if __name__ == "__main__":
    main(run)
