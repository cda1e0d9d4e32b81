"""Lasso and elastic net, fast: the minimizer ``plain_elastic_net`` computes, by working sets.

Same as the plain version (``plain_elastic_net`` in ``lasso.py``, one FISTA run on all
features): :func:`solve_working_sets` returns a point where the stationarity measure of the
*full* problem (every feature, :meth:`ElasticNetProblem.stationarity`) is <= ``tol``, the
test that ends the plain run, on the same objective in the same standardized coordinates;
``tests/test_plain_lasso.py`` asserts both agree on random problems.

Faster, because the optimizer never iterates on the whole problem: each round solves the
problem restricted to a few features (the support and those nearest to violating the KKT
conditions), whose smooth part is a k x k Gram block instead of n x p products; features
the gap-safe rule proves zero at the optimum leave for good; and once the support is
known, one Newton solve with the signs fixed lands on the optimum, where FISTA would still
be iterating on an ill-conditioned block.

The problem, scikit-learn's objective with W = sum of the sample weights (n without them):

    P(w) = RSS(w) / (2 W) + l1 ||w||_1 + l2 / 2 ||w||^2,     l1 = alpha l1_ratio,
                                                             l2 = alpha (1 - l1_ratio).

The smooth part RSS / (2W) + l2 / 2 ||w||^2 is an autograd function built on
:class:`LeastSquares`; the L1 part is ``optim.prox.L1``. As every parametric model, the fit is
run in standardized coordinates (P divided by P(0) = ||y_c||^2_S / (2W), w = scale * z) and
stops once the prox-gradient mapping there has no component above ``tol``. The duality gap
is computed alongside, as scikit-learn's: with the dual point
theta = R / max(1, ||X^T R - W l2 w||_inf / (W l1)) (R the residual), G(w) = P(w) - D(theta)
bounds P(w) - P* from above; it is reported (``dual_gap_``) and drives the screening.

The estimators' ``working_set`` parameter chooses the solver: :func:`solve_working_sets`
(True, the default) or :func:`solve_whole` (False: the plain algorithm on the estimator's
data, one optim run on the whole problem, the duality gap recorded after every iteration).
"""

import numbers
import time
import warnings

import autograd.numpy as anp
import numpy as np

import optim
from gradscratch._validation import ConvergenceWarning, warn_at_caller
from gradscratch.parametric._enet_statistics import GramCache, statistics
from gradscratch.parametric._model import Objective, jacobi_scale, minimize_objective
from gradscratch.parametric._warnings import FitConvergenceWarning

__all__ = [
    "DEFAULT_TOL",
    "ElasticNetProblem",
    "Settings",
    "check_l1_ratio",
    "check_working_set",
    "solve_whole",
    "solve_working_sets",
]

DEFAULT_TOL = 1e-8

# The working-set solver's settings (none changes the optimum, only the route to it):
MAX_OUTER = 100  # working-set rounds; each at least doubles precision or grows the set
MIN_WORKING_SET = 40  # the first set's size (then it doubles with the support)
MARGIN = 10  # features beyond the support and the KKT violators in a set meant to be the last
ROUND_PRECISION = 1e-2  # a round not meant to be the last: solved to this fraction of the measure
ROUND_MAX_ITER = 200  # optimizer iterations per round before the support is polished
TOTAL_MAX_ITER = 10000  # the default budget of a working-set fit, over all rounds
POLISH_AFTER = 20  # polish the support after rounds at least this long
POLISH_MAX_SUPPORT = 500  # above this the polish's Newton solve costs more than a round
POLISH_SMALL = 20  # always polish supports this small


def check_l1_ratio(l1_ratio):
    if not (isinstance(l1_ratio, numbers.Real) and 0 <= l1_ratio <= 1):
        raise ValueError(f"l1_ratio must be a number in [0, 1], got {l1_ratio!r}.")


def check_working_set(working_set):
    if not isinstance(working_set, (bool, np.bool_)):
        raise ValueError(f"working_set must be True or False, got {working_set!r}.")


class Settings:
    """What ``minimize_objective`` reads from a model (and writes back: ``optim_result_``,
    ``n_iter_``), for callers without one: the paths and the working-set rounds."""

    def __init__(self, optimizer, max_iter, tol, name="working-set round"):
        self.optimizer, self.max_iter, self.tol = optimizer, max_iter, tol
        self.display_name = name


def duality_gap(w, corr, R2, Ry, l1, l2, W):
    """The duality gap of P at w (objective units) and X^T R - W l2 w, as scikit-learn's.

    In scikit-learn's units (the objective times W, penalties a = W l1, b = W l2):
    primal = (R2 + b ||w||^2) / 2 + a ||w||_1, dual = -s^2 (R2 + b ||w||^2) / 2 + s R.y with
    s = min(1, a / ||X^T R - b w||_inf). Without an L1 part: the ridge gap, or ||X^T R||^2.
    """
    a, b = l1 * W, l2 * W
    w2 = float(w @ w)
    if a > 0:
        xta = corr - b * w
        dual_norm = float(np.max(np.abs(xta))) if xta.size else 0.0
        scale = a / dual_norm if dual_norm > a else 1.0
        quad = R2 + b * w2
        primal = 0.5 * quad + a * float(np.sum(np.abs(w)))
        gap = primal - (-0.5 * scale * scale * quad + scale * Ry)
        return gap / W, xta, dual_norm
    if b > 0:
        gap = R2 + 0.5 * b * w2 - Ry + float(corr @ corr) / (2.0 * b)
    else:
        gap = float(corr @ corr)
    return gap / W, corr, np.inf


class ElasticNetProblem:
    """P(w) on a :class:`LeastSquares` data term (see the module docstring)."""

    def __init__(self, data, l1, l2):
        self.data, self.l1, self.l2 = data, float(l1), float(l2)
        self.W = data.weight_sum
        # The standardized coordinates: P divided by P(0), w = scale * z with a unit Hessian
        # diagonal of the smooth part (column_ss / W + l2) in z.
        self.divisor = data.rss_scale / (2.0 * self.W)
        self.norms2 = data.column_ss
        self.scale = jacobi_scale(self.norms2 / self.W + self.l2, self.divisor)
        self._cache = None if data.use_gram else GramCache(data.X)

    def smooth(self, data):
        """RSS(w) / (2W) + l2 / 2 ||w||^2 on ``data`` (the full term or a restriction)."""
        W2, l2 = 2.0 * self.W, self.l2

        def loss(w):
            return data.rss(w) / W2 + 0.5 * l2 * anp.dot(w, w)

        return loss

    def quadratic(self, data, linear=None):
        """``smooth(data)`` (plus ``linear . w`` when given) on a restriction ``data`` (its
        sufficient statistics, ``data.use_gram``), written as the quadratic it is:

            0.5 w.(Q w) - q.w + c,   Q = G / W + l2 I,  q = X^T S y / W,  c = y^T S y / (2W).

        The same function, with Q, q and c formed once per round: autograd traces four
        primitives per evaluation instead of the RSS's dozen and the penalty's (its tracing,
        not the k x k product, is what an evaluation on a working set costs).
        """
        Q = data.gram / self.W + self.l2 * np.eye(data.gram.shape[0])
        q = data.Xty / self.W if linear is None else data.Xty / self.W - linear
        c = 0.5 * data.yy / self.W

        def loss(w):
            return w @ (0.5 * (Q @ w) - q) + c  # 0.5 w.(Q w) - q.w + c, four primitives

        return loss

    @property
    def prox(self):
        return optim.prox.L1(self.l1) if self.l1 > 0 else None

    def gap(self, data, w):
        return duality_gap(w, *statistics(data, w), self.l1, self.l2, self.W)

    def stationarity(self, w, corr):
        """The stopping measure of the full problem at w (corr = X^T S R): the largest
        component of z - prox(z - grad F(z), 1) in the standardized coordinates z = w / scale,
        F = P / divisor, the measure optim stops on."""
        s, v = self.scale, self.divisor
        z, grad = w / s, s * (self.l2 * w - corr / self.W) / v
        u = z - grad
        return float(np.max(np.abs(z - np.sign(u) * np.maximum(np.abs(u) - self.l1 * s / v, 0))))

    def objective(self, data, x0, columns=None, callback=None):
        """The :class:`Objective` of the problem on ``data`` (the features ``columns``)."""
        scale = self.scale if columns is None else self.scale[columns]
        smooth = self.smooth(data) if columns is None else self.quadratic(data)
        # Without an L1 part the problem is a smooth quadratic (ridge's): Newton solves it in
        # one step on any conditioning, where FISTA's rate degrades with it.
        return Objective(
            fun=smooth,
            x0=x0,
            default_optimizer=optim.FISTA() if self.l1 > 0 else optim.Newton(),
            prox=self.prox,
            scale=scale,
            divisor=self.divisor,
            callback=callback,
        )

    def full_statistics(self, w):
        """``statistics(self.data, w)``; on the design, the residual from the cached columns
        when they hold w's support (a pass over n x k, not n x p)."""
        found = None if self._cache is None else self._cache.statistics(self.data, w)
        return statistics(self.data, w) if found is None else found

    def value(self, w, R2=None):
        if R2 is None:
            _, R2, _ = self.full_statistics(w)
        return R2 / (2.0 * self.W) + self.l1 * np.sum(np.abs(w)) + 0.5 * self.l2 * (w @ w)

    def fills_gram(self, size):
        """Whether a working set of ``size`` features makes the Gram cache (on the design)
        form the full Gram matrix."""
        return self._cache is not None and self._cache.fills(size)

    def restrict(self, columns):
        block = None if self._cache is None else self._cache.block(columns)
        return self.data.restrict(columns, block)


def solve_whole(problem, w0, settings):
    """Minimize P from w0 by one run of ``settings.optimizer`` (FISTA when None; Newton when
    there is no L1 part) on the whole problem, until its stationarity measure <= settings.tol.

    Returns (w, gap, result, gaps): ``result`` is the run's OptimizeResult, ``gaps`` the
    duality gap at w0 and after every iteration.
    """
    w = np.array(w0, dtype=np.float64)
    gaps = [problem.gap(problem.data, w)[0]]

    def record_gap(snapshot):
        gaps.append(problem.gap(problem.data, snapshot["x"])[0])

    objective = problem.objective(problem.data, w, callback=record_gap)
    w = minimize_objective(settings, objective)
    return w, problem.gap(problem.data, w)[0], settings.optim_result_, gaps


def solve_working_sets(problem, w0, settings):
    """The minimizer of P that the plain algorithm computes (``plain_elastic_net`` in
    ``lasso.py``; :func:`solve_whole` on the estimator's data), by working sets.

    Same: the answer is a point where the stationarity measure of the *full* problem
    (:meth:`ElasticNetProblem.stationarity`, every feature) is <= ``settings.tol``, the test
    that ends one FISTA run on the whole problem; the rounds, the screening and the polish
    only change how that point is reached.

    Faster, because the optimizer never sees the whole problem: each round solves the
    problem restricted to a few features (the support and those nearest to violating the KKT
    conditions), whose smooth part is a k x k block of the Gram matrix (cached as features
    enter) instead of n x p products; features the gap-safe rule (Ndiaye et al., 2017)
    proves zero at the optimum leave for good; and once the support is known a Newton solve
    with the signs fixed lands on the optimum, where FISTA would still be iterating on an
    ill-conditioned block. Without an L1 part there is nothing to screen: the problem goes
    to :func:`solve_whole` (one Newton step).

    Returns (w, gap, result, gaps) as :func:`solve_whole`: ``result`` merges the rounds
    (iterations, counts and traces concatenated), ``gaps`` holds the full problem's duality
    gap at the start of every round.
    """
    if problem.l1 == 0:
        return solve_whole(problem, w0, settings)
    start = time.perf_counter()
    w = np.array(w0, dtype=np.float64)
    gaps, runs = [], []
    W, a, b = problem.W, problem.l1 * problem.W, problem.l2 * problem.W
    active = problem.norms2 > 0  # a constant column never enters: its correlation is 0
    w[~active] = 0.0
    size, converged, last = 0, False, np.inf
    warm = bool(np.any(w))  # a warm start (the previous alpha) may have the support
    budget = TOTAL_MAX_ITER if settings.max_iter is None else settings.max_iter
    for _ in range(MAX_OUTER):
        corr, R2, Ry = stats = problem.full_statistics(w)
        gap, xta, dual_norm = duality_gap(w, corr, R2, Ry, problem.l1, problem.l2, W)
        gaps.append(gap)
        measure = problem.stationarity(w, corr)
        if measure <= settings.tol:
            converged = True
            break
        # Gap-safe screening: |X_j^T theta| < 1 - ||X_j|| sqrt(2 G) / a proves w_j* = 0.
        with np.errstate(divide="ignore", invalid="ignore"):
            dist = (1.0 - np.abs(xta) / max(a, dual_norm)) / np.sqrt(problem.norms2 + b)
        active &= ~(dist > np.sqrt(2.0 * max(gap, 0.0) * W) / a)
        w[~active] = 0.0
        if warm:
            # Newton on the warm start's support and signs: exact when they are the optimum's.
            warm, polished = False, _polish(problem, w)
            if polished is not w:
                w = polished
                continue
        priority = np.where(active, dist, np.inf)
        priority[w != 0] = -np.inf
        n_active = int(active.sum())
        # The zero features that violate the KKT conditions, |X_j^T R - b w_j| > a.
        violating = np.count_nonzero(active & (w == 0) & (np.abs(xta) > a))
        size = _working_set_size(w, size, n_active, violating, measure / last)
        last = measure
        if problem.fills_gram(size):
            # A set this large makes the Gram cache form the full matrix: a round on every
            # active feature then costs little more than one on part, and ends the fit.
            size = n_active
        columns = np.sort(np.argsort(priority, kind="stable")[:size])
        if budget <= 0:
            break
        # Solve a round to a fraction of the full measure, or to tol once it holds every
        # feature left (its measure is then the full one) or every violator with a margin
        # (the support is then nearly known: this round is likely the last).
        final = size == n_active or size >= np.count_nonzero(w) + violating + MARGIN
        target = settings.tol if final else max(settings.tol, ROUND_PRECISION * measure)
        offset = time.perf_counter() - start
        chunk = Settings(settings.optimizer, min(budget, ROUND_MAX_ITER), target)
        with warnings.catch_warnings():
            # A round cut at its budget is not a failure: the next round resumes from it.
            warnings.simplefilter("ignore", ConvergenceWarning)
            sub = problem.restrict(columns)
            w_sub = minimize_objective(chunk, problem.objective(sub, w[columns], columns))
        runs.append((offset, chunk.optim_result_))
        budget -= chunk.n_iter_
        w = np.zeros_like(w)
        w[columns] = w_sub
        # Polish when the Newton solve is cheap (a small support, in a round meant to be the
        # last) or cheap compared with the round (its Hessian costs one gradient pass per
        # support feature).
        nnz = np.count_nonzero(w)
        if (final and nnz <= POLISH_SMALL) or chunk.n_iter_ >= max(POLISH_AFTER, nnz // 2):
            w = _polish(problem, w)
        stats = None  # w has moved since
    if not converged:
        warn_at_caller(
            f"The working-set solver stopped before the stationarity measure reached "
            f"{settings.tol:.3g} (it is {measure:.3g}; duality gap {gap:.3g}); raise max_iter.",
            FitConvergenceWarning,
        )
    return w, gap, _merge(runs, problem, w, converged, measure, stats), gaps


def _working_set_size(w, size, n_active, violating, progress):
    """The next working set's size, from the support of w, the last set's ``size``, the
    number of ``violating`` zero features and ``progress``, the full measure over its value
    before the last round.

    Double the support (Celer's rule); quadruple it while every feature of the last set came
    out nonzero, a sign that the support is larger still. Once few zero features violate the
    KKT conditions, the support is nearly known: the set is then the support, twice the
    violators and a margin, not twice the support (fewer columns to bring into the Gram
    cache). A round that did not cut the measure tenfold doubles the last set, so that the
    sets grow to every active feature if they must.
    """
    nnz = np.count_nonzero(w)
    wanted = max(MIN_WORKING_SET, (4 if nnz == size else 2) * nnz)
    wanted = min(wanted, nnz + 2 * violating + MARGIN)
    if progress > 0.1:
        wanted = max(wanted, 2 * size)
    return int(min(n_active, wanted))


def _polish(problem, w):
    """One Newton solve on the support with the signs fixed; kept if it is a better point.

    On the orthant of the signs s the L1 term is linear, so the problem restricted to the
    support T is the smooth quadratic f_T(v) + l1 s.v, which Newton solves in one step. Once
    FISTA has found the support and signs (which it does long before it converges on an
    ill-conditioned set), this lands on the optimum; if the signs do not hold, the FISTA
    point is kept.
    """
    support = np.flatnonzero(w)
    if support.size == 0 or support.size > POLISH_MAX_SUPPORT:
        return w
    signs = np.sign(w[support])
    # f_T(v) + l1 s.v, the quadratic with its linear term shifted by l1 s.
    on_orthant = problem.quadratic(problem.restrict(support), linear=problem.l1 * signs)

    objective = Objective(
        on_orthant,
        w[support],
        optim.Newton(certify=False),
        scale=problem.scale[support],
        divisor=problem.divisor,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        v = minimize_objective(Settings(None, 3, 0.0), objective)
    if np.all(np.sign(v) == signs) and on_orthant(v) <= on_orthant(w[support]):
        w = w.copy()
        w[support] = v
    return w


def _merge(runs, problem, w, converged, measure, stats=None):
    """One OptimizeResult for all runs: counts summed, traces concatenated (time offset);
    ``stats`` are the full statistics at w when the last check computed them."""
    keys = ("fun", "grad_norm", "step_size", "time")
    trace = {k: [np.zeros(0)] for k in keys}
    for offset, result in runs:
        for k in keys:
            trace[k].append(result.trace[k] + (offset if k == "time" else 0.0))
    trace = {k: np.concatenate(v) for k, v in trace.items()}
    corr, R2, _ = problem.full_statistics(w) if stats is None else stats
    fun = float(problem.value(w, R2))
    if not runs:
        trace = {"fun": np.array([fun]), "grad_norm": np.array([measure])}
        trace.update(step_size=np.array([np.nan]), time=np.array([0.0]))
    total = {k: sum(run[1][k] for run in runs) for k in ("n_iter", "n_fev", "n_gev", "n_hev")}
    status = optim.Status.CONVERGED if converged else optim.Status.MAX_ITER
    return optim.OptimizeResult(
        x=w,
        fun=fun,
        **total,
        converged=bool(converged),
        status=status,
        message=(
            "Prox-gradient mapping norm below tol."
            if converged
            else "The working-set budget (max_iter) ran out before tol was met."
        ),
        stationarity=measure,
        jac=problem.l2 * w - corr / problem.W,  # the smooth part's gradient at w
        trace=trace,
        coef_scale=problem.scale,
        objective_scale=problem.divisor,
    )
