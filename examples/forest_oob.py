"""
Random forest: out-of-bag error against the number of trees
===========================================================

Each training sample is scored only by the trees whose bootstrap sample missed it (about a
third of them, :math:`(1 - 1/n)^n \\approx e^{-1}`), so the out-of-bag (OOB) error
estimates the test error without a held-out set. Breast cancer, 380 training and 189 test
samples.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

from gradscratch import DecisionTreeClassifier, RandomForestClassifier
from gradscratch.datasets import load_breast_cancer

X, y = load_breast_cancer(return_X_y=True)
perm = np.random.default_rng(0).permutation(len(y))
X, y = X[perm], y[perm]
Xtr, ytr, Xte, yte = X[:380], y[:380], X[380:], y[380:]

# %%
# Forests of 5 to 150 trees
# -------------------------

sizes = [5, 10, 20, 40, 70, 100, 150]
oob, test = [], []
for n in sizes:
    with warnings.catch_warnings():
        # with 5 trees a few samples are in every bootstrap sample: no OOB vote for them
        warnings.filterwarnings("ignore", message="Some inputs do not have OOB scores")
        forest = RandomForestClassifier(n_estimators=n, oob_score=True, random_state=0)
        forest.fit(Xtr, ytr)
    oob.append(1 - forest.oob_score_)
    test.append(1 - forest.score(Xte, yte))
tree_err = 1 - DecisionTreeClassifier(random_state=0).fit(Xtr, ytr).score(Xte, yte)

fig, ax = plt.subplots(figsize=(7, 4.4), layout="constrained")
ax.plot(sizes, oob, "o-", label="out-of-bag error")
ax.plot(sizes, test, "s-", label="test error")
ax.axhline(tree_err, color="0.5", ls="--", label="single tree, test error")
ax.set_xscale("log")
ax.set_xticks(sizes, [str(s) for s in sizes])
ax.set_xlabel("number of trees")
ax.set_ylabel("misclassification rate")
ax.set_title("Random forest on breast cancer")
ax.grid(True, alpha=0.3)
ax.legend()

# %%
# The OOB error tracks the test error as trees are added, well below a single tree's.

# sphinx_gallery_start_ignore
from _common import finish

finish()
# sphinx_gallery_end_ignore
