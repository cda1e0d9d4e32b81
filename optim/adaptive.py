"""Adaptive methods: a per-coordinate step size from the history of squared gradients.

Each moves by s_k = -eta_k * d_k, with d_k its gradient estimate and eta_k = lr_k / (sqrt(v_k)
+ eps) a vector; with a prox, x_{k+1} = prox(x_k + s_k, eta_k), the prox in the diagonal
metric diag(1 / eta_k) (exact for the separable ``optim.prox`` operators). The update rules
are exposed as ``init(x)`` and ``update(grad, state) -> (step, state)`` for reuse outside the
loop (``state=None`` starts from ``init``); the state carries the update count ``k``, the
scalar ``lr`` = lr_k and the vector ``eta``. The loop's stationarity measure (the gradient
mapping norm with step lr_k) and the trace's ``step_size`` use the scalar lr_k.

All three run on minibatches. On a deterministic problem with a constant lr they stall at a
distance of order lr from the optimum (Adam and RMSProp) or slow down (AdaGrad): pair them with
a decaying schedule from :mod:`optim.schedules` when precision matters.
"""

import numbers

import numpy as np

from optim.base import Optimizer
from optim.schedules import check_lr, lr_at

__all__ = ["AdaGrad", "Adam", "RMSProp"]


def _check_unit(value, name, owner):
    if not (isinstance(value, numbers.Real) and 0 <= value < 1):
        raise ValueError(f"{owner} needs {name} in [0, 1), got {value!r}.")


def _check_eps(value, owner):
    if not (isinstance(value, numbers.Real) and value > 0):
        raise ValueError(f"{owner} needs eps > 0, got {value!r}.")


class _Adaptive(Optimizer):
    """The loop's side, shared: validate, start from ``init``, step with the rule."""

    default_max_iter = 10000
    stochastic = True

    def _start(self, problem, it):
        self._check_params()
        return self.init(it.x)

    def _step(self, problem, it, state):
        return self._rule_step(problem, it, state)


class AdaGrad(_Adaptive):
    """Duchi, Hazan and Singer's (2011) AdaGrad.

    G_k = G_{k-1} + g_k^2,  x_{k+1} = x_k - lr_k * g_k / (sqrt(G_k) + eps)  (elementwise).

    Parameters
    ----------
    lr : float or schedule, default=0.01
        PyTorch's default. The accumulated G already decays the step like 1/sqrt(k).
    eps : float, default=1e-10
        Added to sqrt(G) (PyTorch's default).
    """

    def __init__(self, lr=0.01, eps=1e-10):
        self.lr = lr
        self.eps = eps

    def _check_params(self):
        check_lr(self.lr, "AdaGrad")
        _check_eps(self.eps, "AdaGrad")

    def init(self, x):
        return {"G": np.zeros_like(x), "k": 0, "lr": np.nan, "eta": np.nan}

    def update(self, grad, state, hess=None):
        state = self.init(grad) if state is None else state
        lr = lr_at(self.lr, state["k"])
        G = state["G"] + grad * grad
        eta = lr / (np.sqrt(G) + self.eps)
        return -eta * grad, {"G": G, "k": state["k"] + 1, "lr": lr, "eta": eta}


class RMSProp(_Adaptive):
    """Tieleman and Hinton's (2012) RMSProp.

    v_k = decay * v_{k-1} + (1 - decay) * g_k^2,  x_{k+1} = x_k - lr_k * g_k / (sqrt(v_k) + eps).

    Parameters
    ----------
    lr : float or schedule, default=1e-3
        The lecture's (and Keras's) default.
    decay : float, default=0.9
        Forgetting factor of the squared-gradient average, in [0, 1).
    eps : float, default=1e-8
    """

    def __init__(self, lr=1e-3, decay=0.9, eps=1e-8):
        self.lr = lr
        self.decay = decay
        self.eps = eps

    def _check_params(self):
        check_lr(self.lr, "RMSProp")
        _check_unit(self.decay, "decay", "RMSProp")
        _check_eps(self.eps, "RMSProp")

    def init(self, x):
        return {"v": np.zeros_like(x), "k": 0, "lr": np.nan, "eta": np.nan}

    def update(self, grad, state, hess=None):
        state = self.init(grad) if state is None else state
        lr = lr_at(self.lr, state["k"])
        v = self.decay * state["v"] + (1.0 - self.decay) * grad * grad
        eta = lr / (np.sqrt(v) + self.eps)
        return -eta * grad, {"v": v, "k": state["k"] + 1, "lr": lr, "eta": eta}


class Adam(_Adaptive):
    """Kingma and Ba's (2015) Adam.

    m_k = b1 m_{k-1} + (1 - b1) g_k,  v_k = b2 v_{k-1} + (1 - b2) g_k^2,
    x_{k+1} = x_k - lr_k * m_hat / (sqrt(v_hat) + eps), with the bias corrections
    m_hat = m_k / (1 - b1^k), v_hat = v_k / (1 - b2^k) (k counted from 1).

    Parameters
    ----------
    lr : float or schedule, default=1e-3
    betas : tuple of 2 floats, default=(0.9, 0.999)
        (b1, b2), each in [0, 1).
    eps : float, default=1e-8
        The paper's defaults throughout.
    """

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.lr = lr
        self.betas = betas
        self.eps = eps

    def _check_params(self):
        check_lr(self.lr, "Adam")
        if not (isinstance(self.betas, (tuple, list)) and len(self.betas) == 2):
            raise ValueError(f"Adam needs betas = (b1, b2), got {self.betas!r}.")
        _check_unit(self.betas[0], "betas[0]", "Adam")
        _check_unit(self.betas[1], "betas[1]", "Adam")
        _check_eps(self.eps, "Adam")

    def init(self, x):
        return {"m": np.zeros_like(x), "v": np.zeros_like(x), "k": 0, "lr": np.nan, "eta": np.nan}

    def update(self, grad, state, hess=None):
        state = self.init(grad) if state is None else state
        b1, b2 = self.betas
        k = state["k"] + 1
        lr = lr_at(self.lr, state["k"])
        m = b1 * state["m"] + (1.0 - b1) * grad
        v = b2 * state["v"] + (1.0 - b2) * grad * grad
        eta = lr / (np.sqrt(v / (1.0 - b2**k)) + self.eps)
        step = -eta * (m / (1.0 - b1**k))
        return step, {"m": m, "v": v, "k": k, "lr": lr, "eta": eta}
