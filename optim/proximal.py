"""Proximal gradient (ISTA) and FISTA: the principled methods for f + g with g non-smooth.

They are gradient descent and Nesterov's method whose step ends with the prox, so they share
those classes' code; what differs is the default that suits composite problems.
"""

from optim.first_order import GradientDescent, Nesterov

__all__ = ["FISTA", "ProximalGradient"]


class ProximalGradient(GradientDescent):
    """ISTA: x_{k+1} = prox_{t g}(x_k - t grad f(x_k)), t by backtracking on the smooth part.

    Converges as F(x_k) - F* <= L ||x0 - x*||^2 / (2k) with t = 1/L. Stops when the gradient
    mapping norm ||x - prox(x - t grad f(x), t)|| / t is below ``tol``.

    Parameters
    ----------
    lr : float or None, default=None
        Fixed step (1/L gives the textbook bound); None backtracks.
    """

    def __init__(self, lr=None, line_search=None):
        super().__init__(lr=lr, line_search=line_search)


class FISTA(Nesterov):
    """Beck and Teboulle's FISTA with backtracking and adaptive restart.

    Converges as F(x_k) - F* <= 2 L ||x0 - x*||^2 / (k + 1)^2 with t = 1/L (without restart);
    restarting when the objective rises keeps that rate and adds linear convergence on
    strongly convex problems.

    Parameters
    ----------
    lr : float or None, default=None
        Fixed step; None backtracks.
    restart : bool, default=True
        Reset the momentum when the objective rises.
    """

    def __init__(self, lr=None, momentum=None, restart=True):
        super().__init__(lr=lr, momentum=momentum, restart=restart)
