"""Synthetic data with a known structure, reproducible through ``random_state``."""

import numpy as np

from gradscratch._validation import check_random_state


def make_regression(
    n_samples=100,
    n_features=10,
    *,
    n_informative=None,
    noise=0.0,
    bias=0.0,
    effective_rank=None,
    correlation=0.0,
    coef=False,
    random_state=None,
):
    """A linear target ``y = X w + bias + noise`` on Gaussian features.

    ``correlation`` in [0, 1) gives every pair of features that correlation (an equicorrelated
    design, the hard case for first-order methods); ``n_informative`` features have nonzero
    weights (all of them by default). With ``coef=True`` the true weights are returned too.
    """
    rng = check_random_state(random_state)
    n_informative = n_features if n_informative is None else min(n_informative, n_features)
    X = rng.standard_normal((n_samples, n_features))
    if correlation:
        shared = rng.standard_normal((n_samples, 1))
        X = np.sqrt(1.0 - correlation) * X + np.sqrt(correlation) * shared
    if effective_rank is not None:
        u, _, vt = np.linalg.svd(X, full_matrices=False)
        decay = np.exp(-((np.arange(len(vt)) / effective_rank) ** 2))
        X = (u * decay) @ vt * np.sqrt(n_samples)
    w = np.zeros(n_features)
    support = rng.permutation(n_features)[:n_informative]
    w[support] = 100.0 * rng.uniform(size=n_informative)
    y = X @ w + bias + noise * rng.standard_normal(n_samples)
    return (X, y, w) if coef else (X, y)


def make_classification(
    n_samples=100,
    n_features=20,
    *,
    n_informative=2,
    n_classes=2,
    class_sep=1.0,
    flip_y=0.01,
    random_state=None,
):
    """Gaussian classes around the vertices of a hypercube in ``n_informative`` dimensions.

    The remaining features are noise. ``flip_y`` is the fraction of labels reassigned at random.
    """
    rng = check_random_state(random_state)
    if n_informative > n_features:
        raise ValueError("n_informative must be at most n_features.")
    if n_classes > 2**n_informative:
        raise ValueError("n_classes must be at most 2**n_informative.")
    vertices = rng.permutation(2**n_informative)[:n_classes]
    bits = (vertices[:, None] >> np.arange(n_informative)) & 1
    centers = class_sep * (2.0 * bits - 1.0)
    y = np.arange(n_samples) % n_classes
    rng.shuffle(y)
    X = rng.standard_normal((n_samples, n_features))
    X[:, :n_informative] += centers[y]
    flip = rng.uniform(size=n_samples) < flip_y
    y[flip] = rng.integers(0, n_classes, size=int(flip.sum()))
    return X, y


def make_blobs(
    n_samples=100,
    n_features=2,
    *,
    centers=3,
    cluster_std=1.0,
    center_box=(-10.0, 10.0),
    random_state=None,
):
    """Isotropic Gaussian blobs; returns ``(X, y)``. ``centers`` is a count or an array."""
    rng = check_random_state(random_state)
    if np.isscalar(centers):
        centers = rng.uniform(*center_box, size=(int(centers), n_features))
    centers = np.asarray(centers, dtype=np.float64)
    y = np.arange(n_samples) % len(centers)
    rng.shuffle(y)
    std = np.broadcast_to(np.asarray(cluster_std, dtype=np.float64), (len(centers),))
    X = centers[y] + std[y, None] * rng.standard_normal((n_samples, centers.shape[1]))
    return X, y
