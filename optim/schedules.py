"""Learning-rate schedules: small callables ``schedule(k) -> lr`` of the update count k.

Any optimizer that takes a fixed ``lr`` (GradientDescent, Momentum, Nesterov, AdaGrad, RMSProp,
Adam) also takes a schedule, or any plain callable of k. k counts updates from 0: iterations in
a full-batch run, minibatch steps (not epochs) in a minibatch run.

Schedules compose: multiplying two schedules (or a schedule and a number) gives their product,
e.g. ``Cosine(1.0, 1000) * InverseTime(0.1, decay=0.01)``.
"""

import numbers

import numpy as np

__all__ = ["Constant", "Cosine", "InverseTime", "Schedule", "check_lr", "lr_at"]


class Schedule:
    """Base class: a learning rate as a function of the update count k = 0, 1, 2, ..."""

    def __call__(self, k):
        raise NotImplementedError

    def __mul__(self, other):
        return Product(self, other)

    __rmul__ = __mul__

    def __repr__(self):
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    __hash__ = object.__hash__


def _positive(value, name, owner):
    if not (isinstance(value, numbers.Real) and value > 0):
        raise ValueError(f"{owner} needs {name} > 0, got {value!r}.")


class Constant(Schedule):
    """lr_k = lr."""

    def __init__(self, lr):
        _positive(lr, "lr", "Constant")
        self.lr = lr

    def __call__(self, k):
        return float(self.lr)


class InverseTime(Schedule):
    """lr_k = lr / (1 + decay * k)^power.

    power = 1 is the classic 1/k decay for strongly convex stochastic problems (Robbins-Monro:
    sum lr_k = inf, sum lr_k^2 < inf); power = 1/2 suits merely convex ones.
    """

    def __init__(self, lr, decay=1.0, power=1.0):
        _positive(lr, "lr", "InverseTime")
        if not (isinstance(decay, numbers.Real) and decay >= 0):
            raise ValueError(f"InverseTime needs decay >= 0, got {decay!r}.")
        _positive(power, "power", "InverseTime")
        self.lr = lr
        self.decay = decay
        self.power = power

    def __call__(self, k):
        return float(self.lr / (1.0 + self.decay * k) ** self.power)


class Cosine(Schedule):
    """lr_k = lr_min + (lr - lr_min) * (1 + cos(pi * min(k, n_steps) / n_steps)) / 2.

    Loshchilov and Hutter's (2017) cosine annealing without restarts: from lr at k = 0 down to
    lr_min at k = n_steps, then constant.
    """

    def __init__(self, lr, n_steps, lr_min=0.0):
        _positive(lr, "lr", "Cosine")
        if not (isinstance(n_steps, numbers.Integral) and n_steps >= 1):
            raise ValueError(f"Cosine needs an integer n_steps >= 1, got {n_steps!r}.")
        if not (isinstance(lr_min, numbers.Real) and 0 <= lr_min <= lr):
            raise ValueError(f"Cosine needs 0 <= lr_min <= lr, got {lr_min!r}.")
        self.lr = lr
        self.n_steps = n_steps
        self.lr_min = lr_min

    def __call__(self, k):
        frac = min(k, self.n_steps) / self.n_steps
        return float(self.lr_min + (self.lr - self.lr_min) * 0.5 * (1.0 + np.cos(np.pi * frac)))


class Product(Schedule):
    """lr_k = a(k) * b(k), where a and b are schedules, callables or numbers."""

    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __call__(self, k):
        return lr_at(self.a, k) * lr_at(self.b, k)


def lr_at(lr, k):
    """The learning rate at update k: ``lr(k)`` for a schedule or callable, else ``lr``."""
    return float(lr(k)) if callable(lr) else float(lr)


def check_lr(lr, name, allow_none=False):
    """Raise a clear error unless lr is a positive number, a callable (schedule), or None when
    ``allow_none`` (a line search then picks the step)."""
    if lr is None and allow_none:
        return
    if callable(lr):
        first = lr_at(lr, 0)
        if not (np.isfinite(first) and first > 0):
            raise ValueError(f"{name}: the learning-rate schedule gives lr(0) = {first}.")
        return
    if not (isinstance(lr, numbers.Real) and not isinstance(lr, bool) and lr > 0):
        extra = ", a schedule, or None (line search)" if allow_none else " or a schedule"
        raise ValueError(f"{name} needs lr > 0{extra}, got {lr!r}.")
