"""The computation graph: the primitives autograd records, and its drawing for every
parametric model's loss."""

import autograd.numpy as anp
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from gradscratch import (
    ElasticNet,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from gradscratch._graph import computation_graph
from gradscratch.plotting import plot_computation_graph


def _logistic_data(n=8, p=3):
    rng = np.random.default_rng(0)
    return rng.normal(size=(n, p)), np.where(rng.normal(size=n) > 0, 1.0, -1.0)


def test_known_function_has_exactly_its_primitives_and_edges():
    X, y = _logistic_data()
    graph = computation_graph(lambda w: anp.sum(anp.logaddexp(0, -y * (X @ w))), np.zeros(3))
    assert graph.primitives() == ["matmul", "multiply", "logaddexp", "sum"]
    assert graph.named_edges() == [
        ("input", "matmul"),
        ("matmul", "multiply"),
        ("multiply", "logaddexp"),
        ("logaddexp", "sum"),
    ]
    assert graph.names[graph.output] == "sum" and graph.shapes[graph.output] == ()
    # The data enter as constants: X into matmul, -y into multiply (the scalar 0 is left out).
    constants = {
        (graph.shapes[a], graph.names[b]) for a, b in graph.edges if graph.kinds[a] == "constant"
    }
    assert constants == {((8, 3), "matmul"), ((8,), "multiply")}


def test_a_value_used_twice_is_one_node_with_one_edge():
    graph = computation_graph(lambda w: anp.dot(w, w) + anp.sum(w), np.ones(4))
    assert sorted(graph.primitives()) == ["add", "dot", "sum"]
    assert graph.named_edges().count(("input", "dot")) == 1


def test_output_independent_of_input_is_refused():
    with pytest.warns(UserWarning, match="independent"), pytest.raises(ValueError, match="depend"):
        computation_graph(lambda w: np.ones(3).sum(), np.zeros(2))


def test_function_form_draws_and_returns_the_axes():
    X, y = _logistic_data()
    fig, ax = plt.subplots()
    out = plot_computation_graph(
        lambda w: anp.sum(anp.logaddexp(0, -y * (X @ w))), np.zeros(3), ax=ax
    )
    assert out is ax
    labels = [t.get_text() for t in ax.texts]
    assert any(t.startswith("input x") for t in labels)
    assert any("logaddexp" in t for t in labels) and any("(output)" in t for t in labels)
    plt.close(fig)
    with pytest.raises(TypeError, match="ax="):
        plot_computation_graph(lambda w: anp.sum(w), np.zeros(2), np.zeros(2))


def _regression(n=40, p=4):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(n, p))
    return X, X @ rng.normal(size=p) + 0.1 * rng.normal(size=n)


def _classification(k, n=60, p=3):
    rng = np.random.default_rng(2)
    y = np.arange(n) % k
    return rng.normal(size=(n, p)) + y[:, None], y


@pytest.mark.parametrize(
    "make, data, primitive",
    [
        (LinearRegression, _regression, "dot"),
        (lambda: Ridge(alpha=1.0), _regression, "dot"),
        (lambda: Lasso(alpha=0.01), _regression, "dot"),
        (lambda: ElasticNet(alpha=0.01), _regression, "dot"),
        (LogisticRegression, lambda: _classification(2), "logaddexp"),
        (LogisticRegression, lambda: _classification(3), "exp"),
        (lambda: GradientBoostingRegressor(n_estimators=3), _regression, "multiply"),
        (
            lambda: GradientBoostingClassifier(n_estimators=3),
            lambda: _classification(2),
            "logaddexp",
        ),
        (lambda: GradientBoostingClassifier(n_estimators=3), lambda: _classification(3), "exp"),
    ],
)
def test_every_parametric_models_loss_draws(make, data, primitive):
    X, y = data()
    model = make().fit(X, y)
    fig, ax = plt.subplots()
    plot_computation_graph(model, X[:10], y[:10], ax=ax)
    labels = " ".join(t.get_text() for t in ax.texts)
    assert primitive in labels and "(output)" in labels
    plt.close(fig)


def test_model_form_needs_y_and_a_parametric_model():
    X, y = _regression()
    with pytest.raises(TypeError, match="model, X, y"):
        plot_computation_graph(Ridge().fit(X, y), X)
    from gradscratch import KMeans

    with pytest.raises(TypeError, match="no autograd loss"):
        plot_computation_graph(KMeans(2, random_state=0).fit(X), X, y)
