r"""Nesterov's method in torch's form on a quadratic, solved exactly, for comparison with the heavy ball.

Along an eigen-direction with eigenvalue :math:`\lambda`, torch's update
:math:`v_{t+1} = \beta v_t + g_t`, :math:`\theta_{t+1} = \theta_t - \alpha (g_t + \beta v_{t+1})` is a 2×2
linear recursion, as the heavy ball's (:mod:`descent.theory.momentum`), with characteristic polynomial
:math:`z^2 - (1 + \beta)(1 - \alpha\lambda) z + \beta (1 - \alpha\lambda)`. The names are those of every
method in :mod:`descent.theory`: :func:`iteration_matrix`, :func:`eigenvalues`, :func:`convergence_rate`,
:func:`stability_limit`, :func:`direction_rate`.
"""

from __future__ import annotations

import numpy as np

from ._twobytwo import (
    direction_arguments,
    largest_modulus,
    momentum,
    quadratic_roots,
    scalar_or_array,
    two_by_two,
)
# The names every method offers (see descent.theory): imported here so that nesterov.steps_to_tolerance works.
from .rates import condition_number, first_step_below, measured_rate, spectrum, steps_to_tolerance

__all__ = ["iteration_matrix", "eigenvalues", "direction_rate", "convergence_rate", "stability_limit"]


def iteration_matrix(alpha, beta, eigenvalue):
    r"""The 2×2 matrix of torch's Nesterov update along one eigen-direction.

    The update :math:`v_{t+1} = \beta v_t + g_t`, :math:`\theta_{t+1} = \theta_t - \alpha (g_t + \beta v_{t+1})`
    with :math:`g_t = \lambda x_t` gives

    .. math::

        M_{\mathrm{N}} = \begin{pmatrix} 1 - \alpha\lambda(1 + \beta) & -\alpha\beta^2 \\ \lambda & \beta \end{pmatrix},
        \qquad \det(zI - M_{\mathrm{N}}) = z^2 - (1 + \beta)(1 - \alpha\lambda) z + \beta (1 - \alpha\lambda).

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`descent.theory.momentum.iteration_matrix`.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast_shape + (2, 2)``.
    """
    a, b, lam = direction_arguments(alpha, beta, eigenvalue)
    return two_by_two(1 - a * lam * (1 + b), -a * b * b, lam, b)


def _roots(a, b, lam):
    """Roots of z² − (1 + β)(1 − αλ) z + β(1 − αλ) (Nesterov), larger modulus first (no input checks)."""
    return quadratic_roots((1 + b) * (1 - a * lam), b * (1 - a * lam))


def eigenvalues(alpha, beta, eigenvalue):
    r"""Eigenvalues of :func:`iteration_matrix`, larger modulus first.

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`descent.theory.momentum.iteration_matrix`.

    Returns
    -------
    numpy.ndarray
        Complex array of shape ``broadcast_shape + (2,)``.
    """
    a, b, lam = direction_arguments(alpha, beta, eigenvalue)
    return _roots(a, b, lam)


def direction_rate(alpha, beta, eigenvalue):
    r"""Per-step contraction factor along one eigen-direction: the larger modulus of :func:`eigenvalues`.

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`descent.theory.momentum.iteration_matrix`.

    Returns
    -------
    float or numpy.ndarray
    """
    return scalar_or_array(np.abs(eigenvalues(alpha, beta, eigenvalue)[..., 0]))


def convergence_rate(alpha, beta, eigenvalues):
    r"""Per-step rate of Nesterov's method on a quadratic: the largest root modulus over the eigen-directions.

    Parameters
    ----------
    alpha, beta : float or array_like
        Learning rate and momentum (broadcast together).
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0.

    Returns
    -------
    float or numpy.ndarray
    """
    return largest_modulus(_roots, alpha, beta, eigenvalues)


def stability_limit(beta, eigenvalues):
    r"""Largest stable learning rate for Nesterov on the quadratic: :math:`\alpha < (2 + 2\beta) / ((1 + 2\beta) L)`.

    Narrower than the heavy ball's :math:`(2 + 2\beta)/L`: the look-ahead adds :math:`\alpha\beta\lambda` to
    the effective step.

    Parameters
    ----------
    beta : float or array_like
        Momentum coefficient in [0, 1).
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0; :math:`L` is the largest (one eigenvalue gives the limit of its
        direction).

    Returns
    -------
    float or numpy.ndarray
        Shape of ``beta``.
    """
    b = momentum(beta)
    return scalar_or_array((2 + 2 * b) / ((1 + 2 * b) * spectrum(eigenvalues).max()))
