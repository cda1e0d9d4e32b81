"""The algorithmic module: models defined by algorithms rather than by a loss.

Depends on gradscratch.base only (never on optim or the parametric module).
"""

__all__ = []
