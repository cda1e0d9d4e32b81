"""An objective f(x) + g(x): f smooth, written with autograd.numpy; g non-smooth, by its prox.

Derivatives of f come from autograd and are built once per problem; the problem counts the
evaluations the optimizers ask for.
"""

import autograd
import numpy as np

__all__ = ["NonFiniteObjective", "Problem"]


class NonFiniteObjective(FloatingPointError):
    """The objective or its gradient was NaN or infinite at an accepted point."""


class Problem:
    """The objective an optimizer minimizes.

    Parameters
    ----------
    f : callable
        ``f(x)`` (or ``f(x, *data)`` when ``data`` is given) returning a scalar, written with
        ``autograd.numpy`` so that autograd can differentiate it.
    prox : optim.prox.Prox or None
        The non-smooth part g, given by ``prox.value(x)`` and ``prox.prox(x, step)``.
    data : tuple or None
        Arrays passed to ``f`` after ``x``.
    """

    def __init__(self, f, prox=None, data=None):
        if not callable(f):
            raise TypeError(f"The objective must be callable, got {type(f).__name__}.")
        self.f = f
        self.prox = prox
        self.data = () if data is None else tuple(data)
        self._value_and_grad = autograd.value_and_grad(f)
        self._hessian = autograd.hessian(f)
        self._hvp = autograd.hessian_vector_product(f)
        self.n_fev = 0
        self.n_gev = 0
        self.n_hev = 0

    @staticmethod
    def _scalar(value):
        arr = np.asarray(value)
        if arr.shape != () and arr.size != 1:
            raise TypeError(
                f"The objective must return a scalar, but it returned an array of shape "
                f"{arr.shape}. Sum or average the per-sample terms."
            )
        return float(arr.reshape(()))

    def fun(self, x, data=None):
        """f(x); may be NaN or inf at trial points (line searches back off from those)."""
        self.n_fev += 1
        return self._scalar(self.f(x, *(self.data if data is None else data)))

    def value_and_grad(self, x, data=None):
        """f(x) and its gradient, from one forward and one backward pass."""
        self.n_fev += 1
        self.n_gev += 1
        data = self.data if data is None else data
        try:
            value, grad = self._value_and_grad(x, *data)
        except TypeError as err:
            if "scalar-output" in str(err):
                # autograd's own wording does not say what the objective returned.
                self._scalar(self.f(x, *data))
            raise
        return self._scalar(value), np.asarray(grad, dtype=np.float64).reshape(x.shape)

    def hessian(self, x):
        """The dense Hessian of f (one backward pass per coordinate)."""
        self.n_hev += 1
        return np.asarray(self._hessian(x, *self.data), dtype=np.float64).reshape(x.size, x.size)

    def hvp(self, x, v):
        """The Hessian-vector product of f at x with v (a few gradient passes)."""
        self.n_hev += 1
        return np.asarray(self._hvp(x, v, *self.data), dtype=np.float64)

    def g(self, x):
        """The non-smooth part's value (0 without a prox)."""
        return 0.0 if self.prox is None else float(self.prox.value(x))

    def prox_step(self, x, step):
        """prox_{step * g}(x) (x itself without a prox)."""
        return x if self.prox is None else self.prox.prox(x, step)

    def check_prox(self, x):
        if self.prox is not None and hasattr(self.prox, "check"):
            self.prox.check(x)
