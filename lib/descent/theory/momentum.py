r"""The heavy-ball method on a quadratic, solved exactly.

On :math:`f(\theta) = \tfrac12 \theta^\top A \theta` the momentum update in torch's form

.. math::

    v_{t+1} = \beta v_t + g_t, \qquad \theta_{t+1} = \theta_t - \alpha v_{t+1}

does not mix the eigen-directions of :math:`A`. Along one direction with eigenvalue
:math:`\lambda` the gradient is :math:`g_t = \lambda x_t` and the pair (position, buffer) obeys
a 2×2 linear system

.. math::

    \begin{pmatrix} x_{t+1} \\ v_{t+1} \end{pmatrix}
    = \underbrace{\begin{pmatrix} 1 - \alpha\lambda & -\alpha\beta \\ \lambda & \beta \end{pmatrix}}_{M}
      \begin{pmatrix} x_t \\ v_t \end{pmatrix},

whose characteristic polynomial is :math:`z^2 - (1 + \beta - \alpha\lambda) z + \beta`. Everything
in this module follows from its two roots: the per-step convergence rate :math:`\rho` is the
largest root modulus over all eigen-directions, the iteration converges iff
:math:`0 < \alpha\lambda < 2 + 2\beta`, the roots are complex (modulus :math:`\sqrt\beta`) between
the two critical-damping lines :math:`\alpha\lambda = (1 \mp \sqrt\beta)^2`, and the best choice
for eigenvalues in :math:`[\mu, L]` is :math:`\alpha^* = (2/(\sqrt\mu + \sqrt L))^2`,
:math:`\beta^* = ((\sqrt\kappa - 1)/(\sqrt\kappa + 1))^2`, with rate
:math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.

All functions accept scalars or numpy arrays (broadcast together) and reject invalid input with a
``ValueError`` naming the parameter. The names are those of every method in :mod:`descent.theory`
(:func:`convergence_rate`, :func:`stability_limit`, :func:`optimal_convergence_rate`, ...); Nesterov's
method, for comparison, is :mod:`descent.theory.nesterov`.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as check
from ._twobytwo import (
    direction_arguments,
    largest_modulus,
    momentum,
    positive,
    quadratic_roots,
    scalar_or_array,
    two_by_two,
)
# The names every method offers (see descent.theory): imported here so that momentum.steps_to_tolerance works.
from .rates import condition_number, first_step_below, measured_rate, spectrum, steps_to_tolerance

__all__ = [
    "iteration_matrix",
    "eigenvalues",
    "direction_rate",
    "damping",
    "critical_beta",
    "convergence_rate",
    "stability_limit",
    "is_stable",
    "rate_map",
    "optimal_parameters",
    "optimal_convergence_rate",
    "simulate",
]


# ----------------------------------------------------------------------------- one eigen-direction


def iteration_matrix(alpha, beta, eigenvalue):
    r"""The 2×2 matrix that advances (position, buffer) by one step along one eigen-direction.

    .. math::

        M = \begin{pmatrix} 1 - \alpha\lambda & -\alpha\beta \\ \lambda & \beta \end{pmatrix}

    Parameters
    ----------
    alpha : float or array_like
        Learning rate :math:`\alpha > 0`.
    beta : float or array_like
        Momentum coefficient :math:`\beta \in [0, 1)`.
    eigenvalue : float or array_like
        Hessian eigenvalue :math:`\lambda > 0` of the direction.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast_shape + (2, 2)``.
    """
    a, b, lam = direction_arguments(alpha, beta, eigenvalue)
    return two_by_two(1 - a * lam, -a * b, lam, b)


def _roots(a, b, lam):
    """Roots of z² − (1 + β − αλ) z + β (heavy ball), larger modulus first (no input checks)."""
    return quadratic_roots(1 + b - a * lam, b)


def eigenvalues(alpha, beta, eigenvalue):
    r"""Eigenvalues of :func:`iteration_matrix`, the roots of :math:`z^2 - (1 + \beta - \alpha\lambda) z + \beta`.

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`iteration_matrix`.

    Returns
    -------
    numpy.ndarray
        Complex array of shape ``broadcast_shape + (2,)``, the root of larger modulus first.
    """
    a, b, lam = direction_arguments(alpha, beta, eigenvalue)
    return _roots(a, b, lam)


def direction_rate(alpha, beta, eigenvalue):
    r"""Per-step contraction factor along one eigen-direction: the larger root modulus.

    Equal to :math:`\sqrt\beta` when the roots are complex, below 1 iff :math:`0 < \alpha\lambda < 2 + 2\beta`.

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`iteration_matrix`.

    Returns
    -------
    float or numpy.ndarray
    """
    return scalar_or_array(np.abs(eigenvalues(alpha, beta, eigenvalue)[..., 0]))


def damping(alpha, beta, eigenvalue, rtol=1e-9):
    r"""Name the regime of one eigen-direction.

    ``"overdamped"`` (real positive roots, :math:`\alpha\lambda < (1-\sqrt\beta)^2`: the position
    creeps to 0 without crossing it), ``"critically damped"`` (a double root),
    ``"underdamped"`` (complex roots, :math:`(1-\sqrt\beta)^2 < \alpha\lambda < (1+\sqrt\beta)^2`:
    a decaying spiral), ``"flipping"`` (real negative roots: the sign flips every step, as for plain
    descent with :math:`\alpha\lambda > 1`) and ``"divergent"`` (:math:`\alpha\lambda \ge 2 + 2\beta`).

    Parameters
    ----------
    alpha, beta, eigenvalue : float
        As in :func:`iteration_matrix` (scalars).
    rtol : float
        Relative tolerance for calling the discriminant zero.

    Returns
    -------
    str
    """
    a = check.reals("alpha", alpha, 0, low_open=True, single=True)
    b = check.reals("beta", beta, 0, 1, high_open=True, single=True)
    lam = check.reals("eigenvalue", eigenvalue, 0, low_open=True, single=True)
    s = 1 + b - a * lam
    if a * lam >= 2 + 2 * b:
        return "divergent"
    discriminant = s * s - 4 * b
    if abs(discriminant) <= rtol * max(1.0, s * s):
        return "critically damped"
    if discriminant < 0:
        return "underdamped"
    return "overdamped" if s > 0 else "flipping"


def critical_beta(alpha, eigenvalue):
    r"""Momentum at which one eigen-direction is critically damped: :math:`\beta = (1 - \sqrt{\alpha\lambda})^2`.

    Parameters
    ----------
    alpha : float or array_like
        Learning rate, with :math:`\alpha\lambda < 4` (beyond it no :math:`\beta < 1` is critical).
    eigenvalue : float or array_like
        Hessian eigenvalue :math:`\lambda > 0`.

    Returns
    -------
    float or numpy.ndarray
    """
    a, lam = np.broadcast_arrays(positive("alpha", alpha), positive("eigenvalue", eigenvalue))
    if np.any(a * lam >= 4):
        raise ValueError("alpha * eigenvalue must be < 4 for a critical momentum in [0, 1) to exist")
    return scalar_or_array((1 - np.sqrt(a * lam)) ** 2)


# ----------------------------------------------------------------------------- the whole quadratic


def convergence_rate(alpha, beta, eigenvalues):
    r"""Per-step convergence rate :math:`\rho` on a quadratic: the largest root modulus over its eigen-directions.

    Parameters
    ----------
    alpha, beta : float or array_like
        Learning rate and momentum (broadcast together).
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0.

    Returns
    -------
    float or numpy.ndarray
        Shape of ``broadcast(alpha, beta)``; :math:`\rho < 1` means convergence.
    """
    return largest_modulus(_roots, alpha, beta, eigenvalues)


def stability_limit(beta, eigenvalues):
    r"""Largest stable learning rate on the quadratic: momentum converges iff :math:`\alpha < (2 + 2\beta)/L`.

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
    return scalar_or_array((2 + 2 * b) / spectrum(eigenvalues).max())


def rate_map(alphas, betas, eigenvalues):
    r"""Convergence rate over an (α, β) grid, ready for ``imshow`` (rows are β, columns are α).

    Parameters
    ----------
    alphas : sequence of float
        Learning rates (> 0), the grid's columns.
    betas : sequence of float
        Momenta in [0, 1), the grid's rows.
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(betas), len(alphas))``; entry ``[i, j]`` is ``convergence_rate(alphas[j], betas[i], eigenvalues)``.
    """
    a = positive("alphas", alphas)
    b = momentum(betas, name="betas")
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError("alphas and betas must be 1-D sequences")
    return convergence_rate(a[None, :], b[:, None], eigenvalues)


def is_stable(alpha, beta, eigenvalues):
    r"""Whether momentum converges on the quadratic: :math:`0 < \alpha\lambda_i < 2 + 2\beta` for every eigenvalue.

    Parameters
    ----------
    alpha, beta : float or array_like
        Learning rate and momentum.
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0.

    Returns
    -------
    bool or numpy.ndarray of bool
    """
    a, b = np.broadcast_arrays(positive("alpha", alpha), momentum(beta))
    largest = spectrum(eigenvalues).max()
    return scalar_or_array(a * largest < 2 + 2 * b)


def optimal_parameters(eigenvalues):
    r"""The (α, β) that minimise the worst rate over eigenvalues in :math:`[\mu, L]`.

    .. math::

        \alpha^* = \Big(\frac{2}{\sqrt\mu + \sqrt L}\Big)^2, \qquad
        \beta^* = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2, \qquad \kappa = L/\mu.

    Both extreme directions are then critically damped and every direction decays at
    :math:`\sqrt{\beta^*}`, the :func:`optimal_convergence_rate`.

    Parameters
    ----------
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0; only the smallest, :math:`\mu`, and the largest, :math:`L`, matter.

    Returns
    -------
    tuple of float
        ``(alpha, beta)``.
    """
    values = spectrum(eigenvalues)
    mu, L = float(values.min()), float(values.max())
    alpha = (2 / (math.sqrt(mu) + math.sqrt(L))) ** 2
    beta = optimal_convergence_rate(values) ** 2
    return alpha, beta


def optimal_convergence_rate(eigenvalues) -> float:
    r"""The best rate momentum reaches on the quadratic: :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`, :math:`\kappa = L/\mu`.

    Parameters
    ----------
    eigenvalues : float or sequence of float
        The Hessian's eigenvalues, all > 0.

    Returns
    -------
    float
    """
    root = math.sqrt(condition_number(eigenvalues))
    return (root - 1) / (root + 1)


# ----------------------------------------------------------------------------- simulation


def simulate(alpha, beta, eigenvalue, steps, x0=1.0, v0=0.0):
    r"""Run the heavy-ball recursion along one eigen-direction.

    Parameters
    ----------
    alpha, beta, eigenvalue : float
        As in :func:`iteration_matrix` (scalars).
    steps : int
        Number of steps, >= 0.
    x0 : float
        Starting position.
    v0 : float
        Starting buffer (torch starts it at 0).

    Returns
    -------
    positions : numpy.ndarray
        :math:`x_0, \dots, x_{steps}`.
    buffers : numpy.ndarray
        :math:`v_0, \dots, v_{steps}`; the displacement per step is
        :math:`x_{t+1} - x_t = -\alpha v_{t+1}`.
        Once the values leave the float range (a diverging run) the rest is ``nan``.
    """
    a = check.reals("alpha", alpha, 0, low_open=True, single=True)
    b = check.reals("beta", beta, 0, 1, high_open=True, single=True)
    lam = check.reals("eigenvalue", eigenvalue, 0, low_open=True, single=True)
    steps = check.integer("steps", steps, 0, floats=False)
    x0 = check.reals("x0", x0, single=True)
    v0 = check.reals("v0", v0, single=True)
    positions = np.full(steps + 1, np.nan)
    buffers = np.full(steps + 1, np.nan)
    x, v = x0, v0
    positions[0], buffers[0] = x, v
    for t in range(1, steps + 1):
        v = b * v + lam * x
        x = x - a * v
        if not (abs(x) < 1e150 and abs(v) < 1e150):
            break
        positions[t], buffers[t] = x, v
    return positions, buffers
