"""The computation graph autograd records when it traces a function, and a drawing of it.

autograd differentiates by tracing: it calls the function on a boxed value, and every
primitive applied to a box (``matmul``, ``logaddexp``, ``sum``, ...) makes a ``Node`` holding
the primitive and the nodes of its boxed arguments. The backward pass walks those nodes in
reverse. :func:`computation_graph` runs that same trace with a node class of its own, which
keeps only what a drawing needs (the primitive's name, the parents, the shape of the result,
the shapes of the constant arrays it was given), and returns the graph.
:func:`plot_computation_graph` lays it out in layers and draws it with matplotlib.
"""

from dataclasses import dataclass, field

import numpy as np
from autograd.tracer import Node, trace

__all__ = ["Graph", "computation_graph", "plot_computation_graph"]


class _Recorder(Node):
    """A trace node that records the primitive, its parents and shapes (nothing to
    differentiate: the values themselves are not kept)."""

    __slots__ = ("name", "parents", "shape", "constants")

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.name = getattr(fun, "__name__", type(fun).__name__).strip("_")
        self.parents = parents
        self.shape = np.shape(value)
        # Array arguments that are not traced: the data the primitive reads (X, y, a Gram
        # matrix). Scalars (the 0 of logaddexp(0, z), a penalty's alpha) are left out.
        self.constants = tuple(
            np.shape(a) for i, a in enumerate(args) if i not in parent_argnums and np.ndim(a) > 0
        )

    def initialize_root(self, shape=()):
        self.name, self.parents, self.shape, self.constants = "input", (), shape, ()


@dataclass
class Graph:
    """The graph of one traced evaluation.

    ``names[i]``, ``kinds[i]`` ("input", "primitive" or "constant") and ``shapes[i]``
    describe node i; ``edges`` holds each (parent, child) data flow once, parents first
    (node 0 is the input, the nodes are in topological order); ``output`` is the node whose
    value the function returned.
    """

    names: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    shapes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    output: int = 0

    def primitives(self):
        """The names of the primitive nodes, in topological order."""
        return [n for n, k in zip(self.names, self.kinds) if k == "primitive"]

    def named_edges(self, constants=False):
        """The edges as (parent name, child name) pairs (constants left out by default)."""
        return [
            (self.names[a], self.names[b])
            for a, b in self.edges
            if constants or self.kinds[a] != "constant"
        ]


def computation_graph(fun, x):
    """Trace ``fun`` at ``x`` with autograd and return the :class:`Graph` of its primitives.

    Only the primitives the output depends on appear (what the backward pass would visit).
    """
    x = np.asarray(x, dtype=np.float64)
    root = _Recorder.new_root(np.shape(x))
    _, end = trace(root, fun, x)
    if end is None:
        raise ValueError("The output of fun does not depend on x: there is no graph to draw.")
    order, seen = [], set()
    stack = [(end, False)]
    while stack:  # depth-first, parents before children
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    if order[0] is not root:  # the input first, always
        order.remove(root)
        order.insert(0, root)
    index = {id(n): i for i, n in enumerate(order)}
    graph = Graph()
    for node in order:
        graph.names.append(node.name)
        graph.kinds.append("input" if node is root else "primitive")
        graph.shapes.append(node.shape)
    edges = []
    for node in order:
        child = index[id(node)]
        for shape in node.constants:
            graph.names.append("const")
            graph.kinds.append("constant")
            graph.shapes.append(shape)
            edges.append((len(graph.names) - 1, child))
        for parent in node.parents:
            if (index[id(parent)], child) not in edges:
                edges.append((index[id(parent)], child))
    graph.edges = edges
    graph.output = index[id(end)]
    return graph


def _layers(graph):
    """Longest-path layering: an operation sits one layer below its deepest parent; a
    constant sits just above the operation that reads it."""
    n = len(graph.names)
    layer = np.zeros(n, dtype=int)
    parents = [[] for _ in range(n)]
    for a, b in graph.edges:
        parents[b].append(a)
    for i in range(n):  # operations are in topological order
        if graph.kinds[i] == "primitive":
            ops = [p for p in parents[i] if graph.kinds[p] != "constant"]
            layer[i] = 1 + max((layer[p] for p in ops), default=0)
    for a, b in graph.edges:
        if graph.kinds[a] == "constant":
            layer[a] = layer[b] - 1
    return layer


def _order(graph, layer, sweeps=4):
    """Positions within each layer, with a dummy vertex on every layer an edge crosses; a few
    barycentre sweeps (down, then up) reduce the crossings. Returns (rows, chains): rows[l]
    lists the vertices of layer l (ints: nodes, tuples: dummies), chains[e] the vertices of
    edge e from parent to child."""
    n_layers = int(layer.max()) + 1
    rows = [[] for _ in range(n_layers)]
    for i in range(len(graph.names)):
        rows[layer[i]].append(i)
    chains, up, down = [], {}, {}
    for e, (a, b) in enumerate(graph.edges):
        chain = [a] + [("dummy", e, k) for k in range(layer[a] + 1, layer[b])] + [b]
        for k, v in enumerate(chain[1:-1], start=layer[a] + 1):
            rows[k].append(v)
        for u, v in zip(chain, chain[1:]):
            down.setdefault(u, []).append(v)
            up.setdefault(v, []).append(u)
        chains.append(chain)
    for sweep in range(sweeps):
        going_down = sweep % 2 == 0
        order = range(1, n_layers) if going_down else range(n_layers - 2, -1, -1)
        for k in order:
            ref = rows[k - 1] if going_down else rows[k + 1]
            pos = {v: i for i, v in enumerate(ref)}
            links = up if going_down else down

            def key(item, pos=pos, links=links):
                i, v = item
                near = [pos[u] for u in links.get(v, []) if u in pos]
                return np.mean(near) if near else i

            rows[k] = [v for _, v in sorted(enumerate(rows[k]), key=key)]
    return rows, chains


def _coordinates(rows, chains, iterations=12):
    """x of every vertex: each pulled towards the mean of its neighbours (so that an edge
    through dummy vertices straightens), the order within a layer kept and vertices at least
    1 apart (0.5 between dummies)."""
    neighbours = {}
    for chain in chains:
        for u, v in zip(chain, chain[1:]):
            neighbours.setdefault(u, []).append(v)
            neighbours.setdefault(v, []).append(u)
    x = {v: i - (len(row) - 1) / 2.0 for row in rows for i, v in enumerate(row)}

    def gap(u, v):
        return 0.5 if isinstance(u, tuple) and isinstance(v, tuple) else 1.0

    for _ in range(iterations):
        for row in rows:
            want = [np.mean([x[u] for u in neighbours.get(v, [v])]) for v in row]
            placed = list(want)
            for i in range(1, len(row)):  # push right what overlaps its left neighbour
                placed[i] = max(placed[i], placed[i - 1] + gap(row[i - 1], row[i]))
            for i in range(len(row) - 2, -1, -1):  # then pull back what was pushed too far
                placed[i] = min(placed[i], placed[i + 1] - gap(row[i], row[i + 1]))
            shift = np.mean(want) - np.mean(placed)
            for v, p in zip(row, placed):
                x[v] = p + shift
    return x


def _label(graph, i):
    shape = graph.shapes[i]
    size = "scalar" if shape == () else "×".join(map(str, shape))
    if graph.kinds[i] == "input":
        return f"input x\n{size}"
    if graph.kinds[i] == "constant":
        return f"data {size}"
    return f"{graph.names[i]}\n{size}"


def _model_loss(model, X, y):
    """(fun, x, title): the loss of a fitted parametric model rebuilt on (X, y), as its fit
    writes it (its ``_objective(data)``), and the point to trace it at."""
    from gradscratch.base import check_is_fitted
    from gradscratch.parametric._boosting_fit import BaseBoosting
    from gradscratch.parametric._least_squares import LeastSquares
    from gradscratch.parametric.lasso import ElasticNet
    from gradscratch.parametric.linear import LinearModel
    from gradscratch.parametric.logistic import LogisticRegression, _LogisticData

    check_is_fitted(model)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    ones = np.ones(X.shape[0])
    name = type(model).__name__
    if isinstance(model, LogisticRegression):
        y_idx = np.searchsorted(model.classes_, y)
        k = len(model.classes_)
        data = _LogisticData(X, y_idx, ones, k, model.fit_intercept, model.C != np.inf)
        fun = model._objective(data).fun
        x = np.asarray(model.optim_result_.x, dtype=np.float64)
        return fun, x if x.shape == (data.n_params,) else np.zeros(data.n_params), name
    if isinstance(model, ElasticNet):
        from gradscratch.parametric._enet import ElasticNetProblem

        data = LeastSquares(X, y.astype(np.float64), ones, model.fit_intercept)
        alpha, ratio = float(model.alpha), float(model._l1_ratio())
        fun = ElasticNetProblem(data, alpha * ratio, alpha * (1.0 - ratio)).smooth(data)
        return fun, np.asarray(model.coef_, dtype=np.float64), f"{name} (smooth part)"
    if isinstance(model, LinearModel):
        data = LeastSquares(X, y.astype(np.float64), ones, model.fit_intercept)
        fun = model._objective(data).fun
        return fun, np.asarray(model.coef_, dtype=np.float64), name
    if isinstance(model, BaseBoosting):
        import autograd.numpy as anp

        classes = getattr(model, "classes_", None)
        if classes is None:
            target = y.astype(np.float64)
        elif len(classes) == 2:
            target = np.searchsorted(classes, y).astype(np.float64)
        else:
            target = np.eye(len(classes))[np.searchsorted(classes, y)]
        loss = model.loss_.fun

        def total(F):
            return anp.sum(loss(target, F))

        return total, model._raw(X), f"{name}: sum of l(y, F) over F"
    raise TypeError(
        f"plot_computation_graph draws a function or a fitted parametric model's loss; "
        f"{name} has no autograd loss."
    )


def plot_computation_graph(fun, x, y=None, *, ax=None, constants=True, fontsize=8):
    """Draw the graph of primitives autograd records when it evaluates ``fun`` at ``x``.

    Nodes are named by the primitive (``matmul``, ``logaddexp``, ``sum``...) with the shape
    of its result; edges are the data flow, drawn downward from the input (green) to the
    output (red); gray boxes are the constant arrays (the data) a primitive reads.

    Parameters
    ----------
    fun : callable or fitted parametric model
        A function of one array written with ``autograd.numpy``; or a fitted model
        (``LinearRegression``, ``Ridge``, ``Lasso``, ``ElasticNet``, ``LogisticRegression``,
        gradient boosting), whose loss is rebuilt on ``(x, y)`` as its fit writes it and
        traced at the fitted parameters (for boosting: the sum of l(y, F) over the
        predictions F). Use a small slice of the data: the graph does not depend on n.
    x : array
        The point to trace at (for a model: the features X).
    y : array, optional
        The targets, for a model only.
    ax : matplotlib Axes, optional
    constants : bool, default=True
        Draw the constant arrays as nodes.
    fontsize : float, default=8

    Returns
    -------
    matplotlib Axes
    """
    title = None
    if not callable(fun):
        if y is None:
            raise TypeError(
                "A model's loss is traced on data: pass plot_computation_graph(model, X, y)."
            )
        fun, x, title = _model_loss(fun, x, y)
    elif y is not None:
        raise TypeError("y is only for a model; for a function pass the Axes as ax=.")
    graph = computation_graph(fun, x)
    if not constants:
        keep = [i for i, k in enumerate(graph.kinds) if k != "constant"]
        new = {old: i for i, old in enumerate(keep)}
        graph = Graph(
            [graph.names[i] for i in keep],
            [graph.kinds[i] for i in keep],
            [graph.shapes[i] for i in keep],
            [(new[a], new[b]) for a, b in graph.edges if a in new],
            new[graph.output],
        )
    layer = _layers(graph)
    rows, chains = _order(graph, layer)
    width = max(len(r) for r in rows)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(max(3.5, 1.5 * width), max(2.5, 0.8 * len(rows))))
    xs = _coordinates(rows, chains)
    where = {v: (xs[v], -float(k)) for k, row in enumerate(rows) for v in row}
    style = {
        "input": dict(fc="#c7e9c0", ec="#238b45"),
        "primitive": dict(fc="#deebf7", ec="#3182bd"),
        "constant": dict(fc="#f0f0f0", ec="#969696"),
    }
    boxes = {}
    for i in range(len(graph.names)):
        kind = graph.kinds[i]
        box = dict(boxstyle="round,pad=0.35", lw=1.0, **style[kind])
        if i == graph.output:
            box.update(fc="#fcbba1", ec="#cb181d", lw=1.8)
        boxes[i] = ax.text(
            *where[i],
            _label(graph, i) + ("\n(output)" if i == graph.output else ""),
            ha="center",
            va="center",
            fontsize=fontsize * (0.85 if kind == "constant" else 1.0),
            color="0.35" if kind == "constant" else "black",
            bbox=box,
            zorder=3,
        )
    for chain in chains:
        points = [where[v] for v in chain]
        gray = graph.kinds[chain[0]] == "constant"
        color = "0.6" if gray else "0.25"
        if len(points) > 2:
            xs, ys = zip(*points[1:-1])
            ax.plot([points[0][0], *xs], [points[0][1], *ys], color=color, lw=1.0, zorder=1)
        ax.annotate(
            "",
            xy=points[-1],
            xytext=points[-2],
            arrowprops=dict(
                arrowstyle="-|>",
                color=color,
                lw=1.0,
                shrinkA=0,
                shrinkB=2,
                patchA=boxes[chain[0]].get_bbox_patch() if len(points) == 2 else None,
                patchB=boxes[chain[-1]].get_bbox_patch(),
            ),
            zorder=2,
        )
    xs = [p[0] for p in where.values()]
    ax.set_xlim(min(xs) - 0.75, max(xs) + 0.75)
    ax.set_ylim(-len(rows) + 0.4, 0.6)
    ax.axis("off")
    if title is not None:
        ax.set_title(title, fontsize=fontsize + 1)
    return ax
