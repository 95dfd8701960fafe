r"""The learning-rate range test on a quadratic without gradient noise, in closed form.

On :math:`f(\theta) = f^\star + \tfrac12 (\theta - \theta^\star)^\top H (\theta - \theta^\star)` with
eigenvalues :math:`\lambda_i` and eigenvectors :math:`u_i`, a step at rate :math:`\eta_t`
multiplies the error's coordinate :math:`e_i = u_i^\top(\theta - \theta^\star)` by
:math:`1 - \eta_t\lambda_i`. A sweep of rates :math:`\eta_0, \eta_1, \dots` (see
:func:`descent.training.lr_range_test`) therefore leaves, after its steps :math:`0, \dots, t`,

.. math::

    e_{i,t+1} = e_{i,0} \prod_{s=0}^{t} (1 - \eta_s\lambda_i), \qquad
    f(\theta_{t+1}) - f^\star = \tfrac12 \sum_i \lambda_i\, e_{i,t+1}^2 ,

which is what the range test records as its loss after step :math:`t` on a
:class:`~descent.models.Quadratic`, or on least squares with full batches.

**Why such a sweep stops late.** Below :math:`2/L` every factor has modulus below 1, so the
loss only falls, and the test cannot stop there. Near :math:`\eta = 1/L` the steepest
direction's factors :math:`|1 - \eta L|` are close to 0, and their product drives that
coordinate down by many orders of magnitude (:func:`sweep_factors`). Past :math:`2/L` it
grows again by :math:`|1 - \eta L| > 1` per step, but it has to climb back from that depth
before the loss exceeds a few times its smallest value, and the sweep stops only then,
several times :math:`2/L` out. Gradient noise keeps refilling every direction instead, and a
noisy sweep stops soon after :math:`2/L`.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check

__all__ = ["sweep_factors", "sweep_losses"]


def sweep_factors(rates, eigenvalues):
    r"""The products :math:`\prod_{s \le t} (1 - \eta_s\lambda_i)`, one row per step :math:`t`, one column per eigenvalue.

    Parameters
    ----------
    rates : 1-D array
        The sweep's rates :math:`\eta_0, \eta_1, \dots` (each > 0), e.g. :attr:`RangeTest.lrs
        <descent.training.RangeTest>`.
    eigenvalues : float or 1-D array
        The Hessian's eigenvalues (each >= 0).

    Returns
    -------
    numpy.ndarray, shape (len(rates), len(eigenvalues))
    """
    rates = check.reals("rates", rates, 0, low_open=True, max_ndim=1)
    eigenvalues = np.atleast_1d(check.reals("eigenvalues", eigenvalues, 0, max_ndim=1))
    with np.errstate(over="ignore", under="ignore"):
        return np.cumprod(1.0 - np.atleast_1d(rates)[:, None] * eigenvalues[None, :], axis=0)


def sweep_losses(rates, eigenvalues, coordinates, min_value=0.0):
    r"""The loss after each step of a noise-free sweep: :math:`f^\star + \tfrac12\sum_i \lambda_i e_{i,t+1}^2`.

    Parameters
    ----------
    rates : 1-D array
        The sweep's rates.
    eigenvalues : float or 1-D array
        The Hessian's eigenvalues :math:`\lambda_i`.
    coordinates : float or 1-D array
        The starting error along each eigenvector, :math:`e_{i,0} = u_i^\top(\theta_0 - \theta^\star)`
        (same length as ``eigenvalues``).
    min_value : float, default 0
        :math:`f^\star`.

    Returns
    -------
    numpy.ndarray, shape (len(rates),)
    """
    eigenvalues = np.atleast_1d(check.reals("eigenvalues", eigenvalues, 0, max_ndim=1))
    coordinates = np.atleast_1d(check.reals("coordinates", coordinates, max_ndim=1))
    if coordinates.shape != eigenvalues.shape:
        raise ValueError(f"coordinates must have one entry per eigenvalue ({eigenvalues.size}), got {coordinates.size}")
    min_value = check.real("min_value", min_value)
    factors = sweep_factors(rates, eigenvalues)
    with np.errstate(over="ignore", invalid="ignore"):
        return min_value + 0.5 * np.sum(eigenvalues * (coordinates * factors) ** 2, axis=1)
