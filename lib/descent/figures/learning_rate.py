r"""Chapter 1's figures: what the learning rate does to gradient descent on a quadratic.

The chapter's figures are single calls of :mod:`descent.plots` (:func:`~descent.plots.curve_paths`,
:func:`~descent.plots.contour_paths`, :func:`~descent.plots.loss_curves`, :func:`~descent.plots.rate_curve`,
:func:`~descent.plots.lr_sweep`, :func:`~descent.plots.gradient_norms`). What is the chapter's own is the
one-line reading of a learning rate, :func:`describe`, which the explorers of
:mod:`descent.explorers.learning_rate` print above their paths.
"""

from __future__ import annotations

import numpy as np

from ..theory import gradient_descent as theory

__all__ = ["describe"]


def describe(alpha: float, eigenvalues, trajectory=None) -> str:
    r"""One line saying what gradient descent does at learning rate ``alpha`` on a quadratic.

    Uses :math:`\rho(\alpha)` and, for the smallest eigenvalue :math:`\mu` and largest :math:`L`, where α
    lies relative to :math:`1/L` and :math:`2/L`. If ``trajectory`` diverged, says at which step.
    """
    values = np.sort(np.atleast_1d(np.asarray(eigenvalues, dtype=float)))
    rate = theory.convergence_rate(alpha, values)
    limit = theory.stability_limit(values)
    if trajectory is not None and trajectory.diverged:
        return f"ρ = {rate:.3g} > 1: diverged at step {trajectory.diverged_at}"
    if rate > 1 + 1e-12:
        return f"ρ = {rate:.3g} > 1: diverges (α > 2/L = {limit:.3g})"
    if abs(rate - 1) <= 1e-12:
        return "ρ = 1: never converges (on the edge, α = 2/L)" if alpha > 0 else "α = 0: no progress"
    if alpha * values[-1] > 1 + 1e-12:
        return f"ρ = {rate:.3g}: oscillates yet converges (1/L < α < 2/L)"
    if abs(alpha * values[-1] - 1) <= 1e-12 and len(values) == 1:
        return "ρ = 0: one step to the minimum (α = 1/L)"
    return f"ρ = {rate:.3g}: creeps monotonically (α ≤ 1/L)"
