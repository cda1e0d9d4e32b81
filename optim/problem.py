"""An objective f(x) + g(x): f smooth, written with autograd.numpy; g non-smooth, by its prox.

Derivatives of f come from autograd and are built once per problem; the problem counts the
evaluations the optimizers ask for.
"""

import warnings

import autograd
import numpy as np

from optim.blocks import BlockData, is_blocked, reemit

__all__ = ["NonFiniteObjective", "Problem"]

# What to write instead, for the mistakes autograd reports in its own terms.
CONSTANT = (
    "The objective does not depend on x (autograd: 'Output seems independent of input'), so "
    "it has no gradient to follow. Compute it from x with autograd.numpy (import "
    "autograd.numpy as np): float(...), .item(), np.asarray(x) or a copy of x cut the "
    "dependence, and so does returning a value computed before the call."
)
IN_PLACE = (
    "The objective writes into an array in place ({detail}), which autograd cannot "
    "differentiate. Build new arrays instead: x_new = np.concatenate([x[:1] * 2, x[1:]]), "
    "np.stack, np.where(mask, a, b), or x = x + step rather than item assignment "
    "(with import autograd.numpy as np)."
)
UNTRACED = (
    "The objective turns x into something autograd cannot follow ({detail}): float(), "
    ".item(), .dot and calls outside autograd.numpy do. Compute it with autograd.numpy on x "
    "(import autograd.numpy as np; a @ b for .dot), returning an autograd scalar."
)


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
        Arrays passed to ``f`` after ``x`` (sliced into minibatches by stochastic runs).
        Dask arrays make ``f`` a mean over their row blocks, evaluated where the blocks
        live (:mod:`optim.blocks`); ``blocks`` is then their :class:`BlockData`.
    args : tuple
        Further arguments passed to ``f`` after the data, never sliced: ``f(x, *data, *args)``.

    ``bounds`` is ``(lower, upper)`` when the problem has a box (then also part of ``prox``),
    else None.
    """

    def __init__(self, f, prox=None, data=None, args=()):
        if not callable(f):
            raise TypeError(f"The objective must be callable, got {type(f).__name__}.")
        _check_operator(prox)
        self.f = f
        self.prox = prox
        self.bounds = None
        self.data = () if data is None else tuple(data)
        self.blocks = None
        if is_blocked(self.data):
            self.blocks, self.data = BlockData(self.data), ()
        self.args = tuple(args) if isinstance(args, (tuple, list)) else (args,)
        self._checked = False
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
        if self.blocks is not None and data is None:
            value, caught = self.blocks.evaluate(self.f, x, self.args)
            reemit(caught)
            return self._scalar(value)
        return self._scalar(self.f(x, *(self.data if data is None else data), *self.args))

    def value_and_grad(self, x, data=None):
        """f(x) and its gradient, from one forward and one backward pass."""
        self.n_fev += 1
        self.n_gev += 1
        on_blocks = self.blocks is not None and data is None
        data = (*(self.data if data is None else data), *self.args)
        try:
            if on_blocks:
                (value, grad), caught = self.blocks.evaluate(self._value_and_grad, x, self.args)
                self._reemit(caught, check=not self._checked)
                self._checked = True
            elif self._checked:
                value, grad = self._value_and_grad(x, *data)
            else:
                value, grad = self._first_value_and_grad(x, data)
        except TypeError as err:
            if "scalar-output" in str(err):
                # autograd's own wording does not say what the objective returned.
                if on_blocks:
                    raise TypeError(
                        "The objective must return a scalar; on each block it returned an "
                        "array. Sum or average the per-sample terms."
                    ) from err
                self._scalar(self.f(x, *data))
            if "does not support item assignment" in str(err):
                raise TypeError(IN_PLACE.format(detail=f"x[i] = ...: {err}")) from err
            if "ArrayBox" in str(err):
                raise TypeError(UNTRACED.format(detail=err)) from err
            raise
        except AttributeError as err:
            if "ArrayBox" in str(err):
                raise TypeError(UNTRACED.format(detail=err)) from err
            raise
        except ValueError as err:
            if "setting an array element with a sequence" in str(err):
                detail = f"a[i] = (something computed from x): {err}"
                raise TypeError(IN_PLACE.format(detail=detail)) from err
            raise
        return self._scalar(value), np.asarray(grad, dtype=np.float64).reshape(x.shape)

    def _first_value_and_grad(self, x, data):
        """The first evaluation also checks that the objective depends on x at all."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = self._value_and_grad(x, *data)
        self._reemit([(w.message, w.category, w.filename, w.lineno) for w in caught])
        self._checked = True
        return result

    @staticmethod
    def _reemit(caught, check=True):
        """Re-raise the warnings of an evaluation; autograd's 'independent of input' one
        (on the first evaluation) becomes the error that says what to write instead."""
        if check and any("Output seems independent of input" in str(w[0]) for w in caught):
            raise ValueError(CONSTANT)
        reemit(caught)

    def hessian(self, x):
        """The dense Hessian of f (one backward pass per coordinate)."""
        self.n_hev += 1
        if self.blocks is not None:
            hess, caught = self.blocks.evaluate(self._hessian, x, self.args)
            reemit(caught)
        else:
            hess = self._hessian(x, *self.data, *self.args)
        return np.asarray(hess, dtype=np.float64).reshape(x.size, x.size)

    def hvp(self, x, v):
        """The Hessian-vector product of f at x with v (a few gradient passes)."""
        self.n_hev += 1
        if self.blocks is not None:
            product, caught = self.blocks.evaluate(self._hvp, x, (*self.args, v))
            reemit(caught)
            return np.asarray(product, dtype=np.float64)
        return np.asarray(self._hvp(x, *self.data, *self.args, v), dtype=np.float64)

    def g(self, x):
        """The non-smooth part's value (0 without a prox)."""
        return 0.0 if self.prox is None else float(self.prox.value(x))

    def prox_step(self, x, step):
        """prox_{step * g}(x) (x itself without a prox)."""
        return x if self.prox is None else self.prox.prox(x, step)

    def check_prox(self, x):
        if self.prox is not None and hasattr(self.prox, "check"):
            self.prox.check(x)


def _check_operator(prox):
    """A prox is an operator with ``value(x)`` and ``prox(x, step)``: say what to write when
    it is a class, or a plain function."""
    if prox is None:
        return
    if isinstance(prox, type):
        raise TypeError(
            f"prox must be an operator object, got the class {prox.__name__}: write "
            f"prox=optim.prox.{prox.__name__}(...) with its parameters."
        )
    if not (callable(getattr(prox, "prox", None)) and callable(getattr(prox, "value", None))):
        raise TypeError(
            f"prox must be an operator with value(x) and prox(x, step), such as "
            f"optim.prox.L1(alpha); got {type(prox).__name__} {prox!r}. To use your own "
            "proximal function p(x, step), subclass optim.prox.Prox and define "
            "_value(self, x) (the penalty g) and _prox(self, x, step) (return p(x, step))."
        )
