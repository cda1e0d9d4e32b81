"""The parametric models' convergence warning: gradscratch's and optim's at once.

A parametric model fails to converge when its optimizer does, so its warning is caught by
``gradscratch.ConvergenceWarning`` (every estimator's) as well as by ``optim.ConvergenceWarning``
(the optimizer's own); the nonparametric side never imports this module, nor optim.
"""

import optim
from gradscratch._validation import ConvergenceWarning

__all__ = ["FitConvergenceWarning"]


class FitConvergenceWarning(ConvergenceWarning, optim.ConvergenceWarning):
    """A parametric model's fit did not converge: its optimizer stopped before ``tol``."""
