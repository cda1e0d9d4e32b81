"""The engineered boosting loop, :func:`fit_stages`.

It computes what :func:`gradscratch.parametric.boosting.plain_gradient_boosting` computes
(F_0 the loss's best constant; per stage g, h from autograd, a tree fitted to the step, leaf
values, F += learning_rate * tree) and gives the same predictions on tie-free data
(``tests/test_boosting_plain.py``). It is faster because the features are binned once and
every tree is grown on histograms, a level at a time (``grow_tree`` in histogram mode: one
``np.bincount`` per level, the larger sibling by subtraction), where the plain version
re-sorts every feature at every node; the training rows' leaves come from the engine, and
leaf values are solved for all leaves at once from ``np.bincount`` leaf sums.

What the plain version leaves out, done here: sample weights, ``subsample``, early stopping on
a validation split, Huber's per-stage delta, K trees per stage for K classes, gradient descent
(the tree fits -g, then the per-leaf line search of ``_boosting_loss``) and Nesterov's
momentum on the joint vector of tree coefficients and predictions, and the backtracking of a
stage that would raise the training loss (:func:`_no_overshoot`).
"""

import numpy as np

import optim
from gradscratch.base import check_random_state, check_sample_weight
from gradscratch.nonparametric.tree import Binner, grow_tree
from gradscratch.parametric._boosting_base import BaseBoosting  # noqa: F401 (its old home)
from gradscratch.parametric._boosting_loss import has_curvature, leaf_line_search

__all__ = ["fit_stages"]

_ES_TOL = 1e-4  # early stopping: the validation loss must improve by this much (scikit-learn)


def _quantile(x, q, w):
    """The weighted q-quantile (inverted CDF: an integer weight acts as repeated rows)."""
    return float(np.quantile(x, q, weights=w, method="inverted_cdf"))


def _power_of_two(x):
    """The power of two 2^floor(log2 x) (1 for x = 0): dividing by it is exact."""
    return float(2.0 ** np.floor(np.log2(x))) if x > 0 else 1.0


def _no_overshoot(loss, y, F, move, m, w, idx, before=None, max_halvings=50):
    """The stage's move, halved while it raises the training loss: a backtracking line
    search on the stage weight a_k (Friedman's rho_m), on the rows the leaves were fitted to.

    A regression leaf's value is the exact minimizer of its own loss, so with
    ``learning_rate`` <= 1 the loss cannot rise (by convexity) and this only confirms it; a
    classification leaf's value is one Newton step (TreeBoost), and the K trees of a
    multiclass stage move the K scores at once on a diagonal Hessian, which overshoots at a
    large ``learning_rate`` (measured: training log-loss 1e248 at learning_rate=1, 3 classes).
    Nesterov's momentum step is not a descent step and is left as it is.

    Returns the move and the loss after it (None if no halving gave a finite loss that is
    not higher). ``before``: the loss before the move, when the caller knows it.
    """
    rows = slice(None) if idx is None else idx
    y, w, F0 = y[rows], w[rows], F[rows]
    if not w.sum() > 0:
        return move, None
    U = move[m : m + F.size].reshape(F.shape)[rows]
    before = loss.mean(y, F0, w) if before is None else before
    for _ in range(max_halvings):
        try:
            after = loss.mean(y, F0 + U, w)
        except ValueError:  # the loss is not finite there: too far
            after = np.inf
        if after <= before + 1e-12 * abs(before):
            return move, after
        move, U = 0.5 * move, 0.5 * U
    return 0.0 * move, None


def _split(model, n, rng, strata):
    """Indices (train, validation); stratified by class for classifiers."""
    if model.n_iter_no_change is None:
        return np.arange(n), None
    groups = (
        [np.arange(n)]
        if strata is None
        else [np.nonzero(strata == c)[0] for c in np.unique(strata)]
    )
    val = []
    for idx in groups:
        take = int(round(model.validation_fraction * len(idx)))
        val.append(rng.permutation(idx)[:take])
    val = np.sort(np.concatenate(val))
    train = np.setdiff1d(np.arange(n), val)
    if len(val) == 0 or len(train) == 0:
        raise ValueError("validation_fraction leaves an empty training or validation set.")
    return train, val


def _delta(model, r, w):
    return _quantile(np.abs(r), model.alpha, w) or 1e-12


def fit_stages(model, X, y, loss, strata=None, sample_weight=None):
    """Fit ``model`` (a BaseBoosting) on float X (n, p) and targets y: the boosting loop.

    ``sample_weight`` (n,) >= 0 multiplies each sample's loss: the objective is
    sum_i w_i l(y_i, F_i), so gradients, Hessians, leaf sums, the initial constant, Huber's
    delta (a weighted quantile), ``train_score_`` and the validation loss are weighted. A
    zero weight is the same as leaving the row out (the binning skips it too)."""
    rng = check_random_state(model.random_state)
    w_all = check_sample_weight(sample_weight, X.shape[0])
    tr, va = _split(model, X.shape[0], rng, strata)
    Xt, yt, w = X[tr], y[tr], w_all[tr]
    if not np.any(w > 0):
        raise ValueError("Sample weights of the training split are all zero.")
    n, K, m = len(tr), loss.n_outputs, model.n_estimators
    # bin edges from the weighted rows: an integer weight then gives the same edges as
    # repeated rows whenever a feature has at most max_bins distinct values (otherwise
    # the quantile edges are those of the distinct rows, not of the repeated ones)
    binner = Binner(max_bins=model.max_bins, random_state=rng.integers(2**31))
    binner.fit(Xt[w > 0])
    codes = binner.transform(Xt)
    codes.setflags(write=False)  # read-only: the tree engine may keep its bin index across trees
    if va is not None:
        yv, wv, codes_v = y[va], w_all[va], binner.transform(X[va])
        if not np.any(wv > 0):
            raise ValueError("Sample weights of the validation split are all zero.")
    huber = loss.name == "huber"
    if huber:  # Huber's delta: the alpha-quantile of the absolute residuals (scikit-learn)
        loss = loss.with_params(delta=_delta(model, yt - _quantile(yt, 0.5, w), w))
    model.init_ = loss.initial_constant(yt, n, w)
    shape = (n, K) if K > 1 else (n,)
    F = np.broadcast_to(model.init_ if K > 1 else model.init_[0], shape).astype(np.float64)
    Fv = None if va is None else np.broadcast_to(F[:1], (len(va),) + shape[1:]).copy()
    opt = model._resolve_optimizer(loss, yt, F)
    newton = isinstance(opt, optim.Newton)
    grower = _StageTree(model, opt, codes, binner, w)
    # the joint vector the update rule moves: tree coefficients, train and val predictions
    size = m + F.size + (0 if Fv is None else Fv.size)
    state = None if newton else opt.init(np.zeros(size))
    coef = np.zeros(m)
    history, trees, scores = [], [], []
    best = np.full(model.n_iter_no_change or 1, np.inf)
    for k in range(m):
        if huber:
            loss = loss.with_params(delta=_delta(model, yt - F, w))
        g, h = loss.gradient_hessian(yt, F)
        if newton and not has_curvature(g, h, w):
            raise ValueError(
                f"loss {loss.name!r} has a zero Hessian, so Newton boosting has no step; "
                "use optimizer=optim.GradientDescent()."
            )
        idx = None  # all rows in the bag
        if model.subsample < 1:
            idx = np.sort(rng.choice(n, max(1, int(model.subsample * n)), replace=False))
        stage, U = [], np.zeros(shape)
        Uv = None if Fv is None else np.zeros_like(Fv)
        for c in range(K):
            column = None if K == 1 else c
            gc, hc = (g, h) if K == 1 else (g[:, c], h[:, c])
            tree, u = grower.grow(loss, yt, F, gc, hc, idx, column, rng)
            stage.append(tree)
            uv = None if Uv is None else tree.value[tree.apply_binned(codes_v), 0]
            if K > 1:
                U[:, c] = u
                if Uv is not None:
                    Uv[:, c] = uv
            else:
                U, Uv = u, uv
        e = np.zeros(m)
        e[k] = 1.0
        move = np.concatenate([e, U.ravel()] + ([] if Uv is None else [Uv.ravel()]))
        if not newton:
            move, state = opt.update(-move, state)
        after = None
        if not isinstance(opt, optim.Nesterov):
            # on all rows, the last stage's score is this stage's loss before its move
            # (unless Huber's delta, and so the loss, changed)
            same = idx is None and scores and not huber
            before = scores[-1] if same else None
            move, after = _no_overshoot(loss, yt, F, move, m, w, idx, before)
        coef = coef + move[:m]
        F = F + move[m : m + F.size].reshape(shape)
        history.append(coef.copy())
        trees.append(stage)
        # the loss after the accepted move, on all rows, is the stage's training score
        scores.append(after if after is not None and idx is None else loss.mean(yt, F, w))
        restart = getattr(opt, "restart", False)
        if restart and k > 0 and scores[-1] > scores[-2]:
            state = opt.init(np.zeros(size))
        if Fv is not None:
            Fv = Fv + move[m + F.size :].reshape(Fv.shape)
            val = loss.mean(yv, Fv, wv)
            if np.any(val + _ES_TOL < best):
                best[k % len(best)] = val
            else:
                break
    n_stages = len(trees)
    model.estimators_ = np.empty((n_stages, K), dtype=object)
    for k, stage in enumerate(trees):
        for c, tree in enumerate(stage):
            model.estimators_[k, c] = tree
    model.stage_weights_ = np.array([w[:n_stages] for w in history])
    model.n_estimators_ = n_stages
    model.train_score_ = np.array(scores)
    model.optimizer_ = opt
    model.loss_ = loss
    return model


class _StageTree:
    """Grows one tree of a stage on the binned training rows; what is fixed over the fit
    (hyperparameters, update rule, codes, binner, sample weights) is held here."""

    def __init__(self, model, opt, codes, binner, w):
        self.opt, self.codes, self.binner, self.w = opt, codes, binner, w
        self.unit_weights = bool(np.all(w == 1.0))  # then w_i g_i is g_i: no products
        self.newton = isinstance(opt, optim.Newton)
        self.learning_rate = model.learning_rate
        self.max_depth, self.min_samples_leaf = model.max_depth, model.min_samples_leaf
        self.exact_line_search = model._exact_line_search

    def grow(self, loss, y, F, g, h, idx, column, rng):
        """One tree on the in-bag rows ``idx`` (None: all), its leaf values set to the
        learning rate times the refined step. Returns the tree and its value at every
        training row. Rows of weight 0 are left out of the tree by the engine."""
        rows = slice(None) if idx is None else idx
        # self.codes itself when all rows grow the tree: the engine keeps its bin index then
        codes = self.codes if idx is None else self.codes[idx]
        g, h, w = g[rows], h[rows], self.w[rows]
        # the Newton sums are of the weighted g_i, h_i (w_i l_i)
        wg, wh = (g, h) if self.unit_weights else (w * g, w * h)
        common = dict(
            # unit weights: None keeps the engine's count-based fast path
            sample_weight=None if self.unit_weights else w,
            binner=self.binner,
            max_depth=self.max_depth,
            min_samples_leaf=self.min_samples_leaf,
            random_state=rng.integers(2**31),
            return_leaves=True,  # the leaf of every row grown on, without a descent
        )
        if self.newton:
            tree, nodes = grow_tree(
                codes,
                criterion="newton",
                gradient=wg,
                hessian=wh,
                reg_lambda=self.opt.damping,
                **common,
            )
        else:
            # the L2(w) projection of -g: weighted least squares (scikit-learn's choice), on
            # -g / s, s the power of two at its largest entry: the same splits (an exact
            # rescaling), but the engine's purity test (impurity <= eps) is then relative to
            # the gradients' size, so that pinball(1/2) (gradients +-1/2) and the absolute
            # error (+-1) grow the same trees, and y's units do not stop a tree from growing
            s = _power_of_two(np.max(np.abs(g[w > 0]), initial=0.0))
            tree, nodes = grow_tree(codes, -g / s, criterion="squared_error", **common)
            tree.impurity *= s * s  # the loss decreases of feature_importances_, unscaled
            tree.value *= s
        leaves = np.nonzero(tree.children_left == -1)[0]
        where = np.full(tree.node_count, -1)
        where[leaves] = np.arange(len(leaves))
        leaf = where[nodes]
        if idx is not None:  # the out-of-bag rows move too
            nodes = tree.apply_binned(self.codes)
        if self.newton:
            G = np.bincount(leaf, wg, minlength=len(leaves))
            H = np.bincount(leaf, wh, minlength=len(leaves))
            with np.errstate(divide="ignore", invalid="ignore"):
                value, _ = self.opt.update(G, None, H)
            value = np.where(H + self.opt.damping > 0, value, 0.0)
        else:
            start = tree.value[leaves, 0]
            value = leaf_line_search(
                loss, y[rows], F[rows], leaf, start, column, exact=self.exact_line_search, weight=w
            )
        tree.value[:] = 0.0
        tree.value[leaves, 0] = self.learning_rate * value
        return tree, tree.value[nodes, 0]
