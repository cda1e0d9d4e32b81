"""Out-of-bag error of a random forest against its number of trees, and the test error.

Each training sample is scored only by the trees whose bootstrap sample missed it (about a
third of them), so the OOB error estimates the test error without a held-out set.
"""

import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from _common import main, save

from gradscratch import DecisionTreeClassifier, RandomForestClassifier
from gradscratch.datasets import load_breast_cancer


def run(out_dir):
    """OOB and test error of forests of 5..150 trees on breast cancer."""
    import matplotlib.pyplot as plt

    X, y = load_breast_cancer(return_X_y=True)
    perm = np.random.default_rng(0).permutation(len(y))
    X, y = X[perm], y[perm]
    Xtr, ytr, Xte, yte = X[:380], y[:380], X[380:], y[380:]
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
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(sizes, oob, "o-", label="out-of-bag error")
    ax.plot(sizes, test, "s-", label="test error")
    ax.axhline(tree_err, color="0.5", ls="--", label="single tree, test error")
    ax.set_xlabel("number of trees")
    ax.set_ylabel("misclassification rate")
    ax.set_title("Random forest on breast cancer")
    ax.legend()
    return [
        (
            save(fig, out_dir, "forest_oob.png"),
            "The OOB error tracks the test error as trees are added, well below a single tree's.",
        )
    ]


if __name__ == "__main__":
    main(run)
