"""Proximal operators of the non-smooth penalties g(x).

Each operator has ``value(x)`` (g at x) and ``prox(x, step)``, the minimizer over z of
``g(z) + ||z - x||^2 / (2 * step)``. ``step`` may be a scalar or a per-coordinate vector (all
the penalties here are separable, so a diagonal metric is exact). An optional boolean ``mask``
selects the coordinates the penalty applies to; the others (an intercept, say) pass through.
"""

import numpy as np

__all__ = ["L1", "L2", "Box", "Boxed", "ElasticNet", "NonNegative", "Prox", "Rescaled"]


class Prox:
    """Base class: a separable penalty applied to the coordinates selected by ``mask``."""

    def __init__(self, mask=None):
        self.mask = mask

    def _mask(self, x):
        if self.mask is None:
            return None
        mask = np.asarray(self.mask)
        if mask.shape != x.shape:
            raise ValueError(
                f"{type(self).__name__}: the mask has shape {mask.shape} but the parameters "
                f"have shape {x.shape}."
            )
        return mask.astype(bool)

    def check(self, x):
        """Raise a clear error now if the mask does not fit parameters shaped like ``x``."""
        self._mask(x)

    def value(self, x):
        mask = self._mask(x)
        return float(self._value(x if mask is None else x[mask]))

    def prox(self, x, step):
        mask = self._mask(x)
        step = np.broadcast_to(np.asarray(step, dtype=np.float64), x.shape)
        if mask is None:
            return self._prox(x, step)
        out = np.array(x, dtype=np.float64, copy=True)
        out[mask] = self._prox(x[mask], step[mask])
        return out

    def __repr__(self):
        params = {k: v for k, v in vars(self).items() if k != "mask" and not k.startswith("_")}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in params.items())})"


def _soft_threshold(x, threshold):
    return np.sign(x) * np.maximum(np.abs(x) - threshold, 0.0)


class L1(Prox):
    """g(x) = alpha * ||x||_1; its prox is soft-thresholding at alpha * step."""

    def __init__(self, alpha, mask=None):
        if not alpha >= 0:
            raise ValueError(f"L1 needs alpha >= 0, got {alpha!r}.")
        super().__init__(mask)
        self.alpha = alpha

    def _value(self, x):
        return self.alpha * np.sum(np.abs(x))

    def _prox(self, x, step):
        return _soft_threshold(x, self.alpha * step)


class L2(Prox):
    """g(x) = 0.5 * alpha * ||x||_2^2 (squared); its prox shrinks by 1 / (1 + alpha * step)."""

    def __init__(self, alpha, mask=None):
        if not alpha >= 0:
            raise ValueError(f"L2 needs alpha >= 0, got {alpha!r}.")
        super().__init__(mask)
        self.alpha = alpha

    def _value(self, x):
        return 0.5 * self.alpha * np.sum(x**2)

    def _prox(self, x, step):
        return x / (1.0 + self.alpha * step)


class ElasticNet(Prox):
    """g(x) = alpha * l1_ratio * ||x||_1 + 0.5 * alpha * (1 - l1_ratio) * ||x||_2^2."""

    def __init__(self, alpha, l1_ratio=0.5, mask=None):
        if not alpha >= 0:
            raise ValueError(f"ElasticNet needs alpha >= 0, got {alpha!r}.")
        if not 0 <= l1_ratio <= 1:
            raise ValueError(f"ElasticNet needs l1_ratio in [0, 1], got {l1_ratio!r}.")
        super().__init__(mask)
        self.alpha = alpha
        self.l1_ratio = l1_ratio

    def _value(self, x):
        l1, l2 = self.alpha * self.l1_ratio, self.alpha * (1.0 - self.l1_ratio)
        return l1 * np.sum(np.abs(x)) + 0.5 * l2 * np.sum(x**2)

    def _prox(self, x, step):
        l1, l2 = self.alpha * self.l1_ratio, self.alpha * (1.0 - self.l1_ratio)
        return _soft_threshold(x, l1 * step) / (1.0 + l2 * step)


class NonNegative(Prox):
    """g(x) = 0 if x >= 0 else inf; its prox is the projection max(x, 0)."""

    def _value(self, x):
        return 0.0 if np.all(x >= 0) else np.inf

    def _prox(self, x, step):
        return np.maximum(x, 0.0)


class Box(Prox):
    """g(x) = 0 if lower <= x <= upper else inf; its prox is the projection (clipping)."""

    def __init__(self, lower=-np.inf, upper=np.inf, mask=None):
        if np.any(np.asarray(lower) > np.asarray(upper)):
            raise ValueError("Box needs lower <= upper.")
        super().__init__(mask)
        self.lower = lower
        self.upper = upper

    def value(self, x):
        inside = np.all((x >= self.lower) & (x <= self.upper))
        mask = self._mask(x)
        if mask is not None:
            inside = np.all(((x >= self.lower) & (x <= self.upper))[mask])
        return 0.0 if inside else np.inf

    def prox(self, x, step):
        clipped = np.clip(x, self.lower, self.upper)
        mask = self._mask(x)
        return clipped if mask is None else np.where(mask, clipped, x)


class Boxed(Prox):
    """g(x) + the indicator of lower <= x <= upper, for a separable g (every operator here).

    In one dimension the minimizer of a convex g(z) + (z - x)^2 / (2 step) over an interval is
    the unconstrained one clipped to it, so the prox is ``clip(prox_g(x, step), lower, upper)``
    (what ``minimize(..., prox=g, bounds=...)`` uses).
    """

    def __init__(self, base, lower=-np.inf, upper=np.inf):
        super().__init__(None)
        self.base, self.box = base, Box(lower, upper)

    def check(self, x):
        self.base.check(x)

    def value(self, x):
        return self.base.value(x) + self.box.value(x)

    def prox(self, x, step):
        return self.box.prox(self.base.prox(x, step), step)


class Rescaled(Prox):
    """g(scale * z) / divisor for a separable g and scale > 0: the same penalty seen in the
    coordinates z = x / scale, divided by ``divisor`` (what an optimizer handed standardized
    coordinates and an objective divided by its natural scale needs).

    With u = scale * z the prox separates: prox_{t g(S.)/v}(z) = prox_{g, t scale^2 / v}(S z) / S,
    exact for every operator here (their steps may be per-coordinate vectors).
    """

    def __init__(self, base, scale, divisor=1.0):
        scale = np.asarray(scale, dtype=np.float64)
        if not (np.all(scale > 0) and np.all(np.isfinite(scale)) and divisor > 0):
            raise ValueError("Rescaled needs finite scale > 0 and divisor > 0.")
        super().__init__(None)
        self.base, self.scale, self.divisor = base, scale, float(divisor)

    def check(self, x):
        self.base.check(x)

    def value(self, x):
        return self.base.value(self.scale * x) / self.divisor

    def prox(self, x, step):
        step = np.asarray(step, dtype=np.float64) * self.scale**2 / self.divisor
        return self.base.prox(self.scale * x, step) / self.scale
