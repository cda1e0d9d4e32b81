"""Reference optima computed independently of the library (numpy and scipy only), for data on
which scikit-learn's own solvers cannot be trusted (columns from 1e-6 to 1e10, penalties in raw
units): the same objectives, written out with hand-derived derivatives, solved in standardized
coordinates by scipy and polished by Newton's method to the limit of float64, and checked by
their optimality conditions."""

import numpy as np
import scipy.optimize
from scipy.special import expit, log_softmax, softmax


def _standardize(X, w):
    m = w @ X / w.sum()
    sd = np.sqrt(w @ (X - m) ** 2 / w.sum())
    sd = np.where(sd > 0, sd, 1.0)
    return (X - m) / sd, m, sd


def ridge_optimum(X, y, alpha, sample_weight=None):
    """argmin sum_i s_i (y_i - x_i w - b)^2 + alpha ||w||^2, by an SVD least-squares solve of
    the augmented system in standardized columns (accurate whatever the columns' units)."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    Xs, m, sd = _standardize(X, s)
    yc = y - s @ y / s.sum()
    root = np.sqrt(s)
    A = np.vstack([Xs * root[:, None], np.sqrt(alpha) * np.diag(1.0 / sd)])
    rhs = np.concatenate([yc * root, np.zeros(X.shape[1])])
    z = np.linalg.lstsq(A, rhs, rcond=None)[0]
    w = z / sd
    return w, s @ y / s.sum() - m @ w


def logistic_optimum(X, y, C=1.0, l1_ratio=0.0, sample_weight=None):
    """scikit-learn's LogisticRegression objective (binary, intercept unpenalized)

        C sum_i s_i log(1 + exp(-t_i (x_i w + b))) + (1 - r) / 2 ||w||^2 + r ||w||_1

    minimized exactly: L-BFGS-B on split variables w = u - v (u, v >= 0) in standardized
    columns, then Newton on the support with the signs fixed. Returns (w, b, kkt): kkt is the
    largest violation of the optimality conditions, in standardized units."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    t = np.where(y == np.unique(y)[1], 1.0, -1.0)
    Xs, m, sd = _standardize(X, s)
    n, p = Xs.shape
    scale = C * s.sum()
    l2 = (1.0 - l1_ratio) / scale / sd**2  # per standardized coordinate z = w * sd
    l1 = l1_ratio / scale / sd

    def smooth(zb):
        z, b = zb[:p], zb[p]
        margin = t * (Xs @ z + b)
        f = s @ np.logaddexp(0.0, -margin) / s.sum() + 0.5 * l2 @ z**2
        r = -s * t * expit(-margin) / s.sum()
        return f, np.append(Xs.T @ r + l2 * z, r.sum()), margin

    def split(v):
        u, d, b = v[:p], v[p : 2 * p], v[2 * p]
        f, g, _ = smooth(np.append(u - d, b))
        return f + l1 @ (u + d), np.concatenate([g[:p] + l1, -g[:p] + l1, g[p:]])

    bounds = [(0, None)] * (2 * p) + [(None, None)]
    res = scipy.optimize.minimize(
        split,
        np.zeros(2 * p + 1),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 100000, "maxcor": 30, "gtol": 1e-13, "ftol": 0.0},
    )
    zb = np.append(res.x[:p] - res.x[p : 2 * p], res.x[2 * p])
    zb[:p][np.abs(zb[:p]) < 1e-12] = 0.0
    for _ in range(20):  # Newton on the free coordinates (support and intercept)
        free = np.append(zb[:p] != 0, True) if l1_ratio > 0 else np.ones(p + 1, bool)
        _, g, margin = smooth(zb)
        g = g + np.append(l1 * np.sign(zb[:p]), 0.0)
        d = s * expit(margin) * expit(-margin) / s.sum()
        Xb = np.column_stack([Xs, np.ones(n)])[:, free]
        H = Xb.T @ (Xb * d[:, None]) + np.diag(np.append(l2, 0.0)[free])
        step = np.zeros(p + 1)
        step[free] = np.linalg.solve(H, -g[free])
        trial = zb + step
        if l1_ratio > 0 and np.any(np.sign(trial[:p]) != np.sign(zb[:p])):
            break
        zb = trial
        if np.max(np.abs(step)) < 1e-15 * max(1.0, np.max(np.abs(zb))):
            break
    _, g, _ = smooth(zb)
    z = zb[:p]
    gz = g[:p]
    on = z != 0
    kkt = max(
        np.max(np.abs(gz[on] + l1[on] * np.sign(z[on])), initial=0.0),
        np.max(np.maximum(np.abs(gz[~on]) - l1[~on], 0.0), initial=0.0),
        abs(g[p]),
    )
    w = z / sd
    return w, zb[p] - m @ w, kkt


def multinomial_optimum(X, y, C=1.0, sample_weight=None):
    """scikit-learn's multinomial objective with an L2 penalty (intercepts unpenalized), by
    Newton's method on the full Hessian in standardized columns. Returns (W, b), W of shape
    (K, p), b centred."""
    s = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    classes, idx = np.unique(y, return_inverse=True)
    K = len(classes)
    Y = np.eye(K)[idx]
    Xs, m, sd = _standardize(X, s)
    n, p = Xs.shape
    A = np.column_stack([Xs, np.ones(n)])
    lam = np.append(np.full(p, 1.0 / (C * s.sum())), 0.0) / np.append(sd**2, 1.0)
    theta = np.zeros((K, p + 1))

    def grad_hess(theta):
        P = softmax(A @ theta.T, axis=1)
        G = ((P - Y) * s[:, None]).T @ A / s.sum() + theta * lam
        H = np.zeros((K * (p + 1), K * (p + 1)))
        for a in range(K):
            for c in range(K):
                d = s * P[:, a] * ((a == c) - P[:, c]) / s.sum()
                H[a * (p + 1) : (a + 1) * (p + 1), c * (p + 1) : (c + 1) * (p + 1)] = A.T @ (
                    A * d[:, None]
                )
        H += np.diag(np.tile(lam, K))
        return G, H

    for _ in range(50):
        G, H = grad_hess(theta)
        # The softmax is unchanged by a common shift of the intercepts: H is singular along it.
        step = np.linalg.lstsq(H, -G.ravel(), rcond=1e-14)[0].reshape(K, p + 1)
        theta = theta + step
        if np.max(np.abs(step)) < 1e-14 * max(1.0, np.max(np.abs(theta))):
            break
    W = theta[:, :p] / sd
    b = theta[:, p] - W @ m
    loss = -(s * (log_softmax(A @ theta.T, axis=1) * Y).sum(axis=1)).sum()
    assert np.isfinite(loss)
    return W, b - b.mean()


def statsmodels_table(kind, X, y):
    """statsmodels' OLS or Logit (Newton to 1e-14) table in X's own units, intercept first.

    statsmodels fits on standardized columns (on raw columns of very different units its solvers
    warn and lose digits); the exact affine change of variables b = b_z - m.w, w = w_z / sd maps
    the estimates and their covariance back. Returns params, bse, tvalues, pvalues, conf_int."""
    import scipy.stats
    import statsmodels.api as sm

    m, sd = X.mean(axis=0), X.std(axis=0)
    Z = sm.add_constant((X - m) / sd)
    if kind == "ols":
        fit = sm.OLS(y, Z).fit()
        dist = scipy.stats.t(fit.df_resid)
    else:
        fit = sm.Logit(y, Z).fit(disp=0, method="newton", tol=1e-14, maxiter=100)
        dist = scipy.stats.norm()
    A = np.diag(np.append(1.0, 1.0 / sd))
    A[0, 1:] = -m / sd
    params = A @ fit.params
    bse = np.sqrt(np.diag(A @ fit.cov_params() @ A.T))
    stat = params / bse
    q = dist.ppf(0.975)
    return {
        "params": params,
        "bse": bse,
        "tvalues": stat,
        "pvalues": 2 * dist.sf(np.abs(stat)),
        "conf_int": np.column_stack([params - q * bse, params + q * bse]),
    }
