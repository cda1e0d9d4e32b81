"""A depth-10 classification tree on 50000x20 and a 100-tree forest (depth 10) on 20000x20."""

import numpy as np
from benchmark import Case
from sklearn import ensemble as sk_ensemble
from sklearn import tree as sk_tree

import gradscratch as gs
from gradscratch.datasets import make_classification


def _split(n_train, seed):
    X, y = make_classification(n_train + 10_000, 20, n_informative=10, random_state=seed)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _accuracy(model, data):
    _, _, X_test, y_test = data
    return float(np.mean(model.predict(X_test) == y_test))


def cases():
    cache = {}

    def data(n):
        def get():
            if n not in cache:
                cache[n] = _split(n, 0)
            return cache[n]

        return get

    tree_kw = dict(max_depth=10, random_state=0)
    forest_kw = dict(n_estimators=100, max_depth=10, n_jobs=2, random_state=0)
    return [
        Case(
            "DecisionTreeClassifier(max_depth=10) 50000x20",
            data(50_000),
            lambda d: gs.DecisionTreeClassifier(**tree_kw).fit(d[0], d[1]),
            lambda d: sk_tree.DecisionTreeClassifier(**tree_kw).fit(d[0], d[1]),
            _accuracy,
            "test accuracy",
        ),
        Case(
            "RandomForestClassifier(100 trees, depth 10, n_jobs=2) 20000x20",
            data(20_000),
            lambda d: gs.RandomForestClassifier(**forest_kw).fit(d[0], d[1]),
            lambda d: sk_ensemble.RandomForestClassifier(**forest_kw).fit(d[0], d[1]),
            _accuracy,
            "test accuracy",
        ),
    ]
