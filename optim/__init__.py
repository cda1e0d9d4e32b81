"""optim: numerical optimization of objectives written with autograd.numpy.

Every optimizer is an object holding its hyperparameters, run the same way::

    result = optimizer.minimize(f, x0, prox=None, max_iter=None, tol=None)

Swapping the method is swapping that object. ``optim.prox`` holds the proximal operators of
the non-smooth penalties; ``optim.line_search`` the line searches all methods share;
``optim.schedules`` the learning-rate schedules; ``optim.stochastic`` the minibatch runs
(``minimize(f, x0, data=(X, y), batch_size=b, random_state=seed)``).
"""

from optim import line_search, prox, schedules
from optim.adaptive import AdaGrad, Adam, RMSProp
from optim.base import Iterate, Optimizer
from optim.first_order import GradientDescent, Momentum, Nesterov
from optim.newton import Newton
from optim.problem import Problem
from optim.proximal import FISTA, ProximalGradient
from optim.quasi_newton import LBFGS
from optim.result import ConvergenceWarning, OptimizeResult, Status

__all__ = [
    "FISTA",
    "LBFGS",
    "AdaGrad",
    "Adam",
    "Momentum",
    "RMSProp",
    "ConvergenceWarning",
    "GradientDescent",
    "Iterate",
    "Nesterov",
    "Newton",
    "OptimizeResult",
    "Optimizer",
    "Problem",
    "ProximalGradient",
    "Status",
    "line_search",
    "prox",
    "schedules",
]
