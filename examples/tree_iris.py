"""
A depth-3 classification tree on iris, drawn node by node
=========================================================

CART grows the tree greedily: at each node it takes the split :math:`x_j \\leq t` that most
decreases the weighted Gini impurity :math:`1 - \\sum_k p_k^2` of the children. Each box shows
the split rule (samples going left satisfy it), the node's Gini impurity, its number of
samples and its majority class.
"""

import matplotlib.pyplot as plt

from gradscratch import DecisionTreeClassifier
from gradscratch.datasets import load_iris
from gradscratch.plotting import plot_tree

X, y = load_iris(return_X_y=True)
tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
plot_tree(
    tree,
    ax=ax,
    feature_names=["sepal length", "sepal width", "petal length", "petal width"],
    class_names=["setosa", "versicolor", "virginica"],
    fontsize=10,
)
ax.set_title(f"CART on iris (gini, depth 3): training accuracy {tree.score(X, y):.3f}")

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
