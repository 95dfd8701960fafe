r"""Gradient descent on a quadratic, in closed form.

On :math:`f(\theta) = \tfrac12 \theta^\top A \theta` with Hessian eigenvalues :math:`\lambda_i`, one step of
gradient descent with learning rate :math:`\alpha` multiplies the coordinate of :math:`\theta` along the i-th
eigenvector by :math:`1 - \alpha\lambda_i`:

.. math::

    \theta_{t+1} = (I - \alpha A)\,\theta_t
    \quad\Longrightarrow\quad
    \|\theta_t - \theta^\star\| \le \rho^t \|\theta_0 - \theta^\star\|,
    \qquad \rho(\alpha) = \max_i |1 - \alpha\lambda_i| .

So descent converges exactly when :math:`\rho < 1`, i.e. :math:`0 < \alpha < 2/L`; the rate is best at
:math:`\alpha^\star = 2/(\mu + L)`, where :math:`\rho^\star = (\kappa - 1)/(\kappa + 1)` with
:math:`\kappa = L/\mu` (see Nocedal and Wright, 2006; Boyd and Vandenberghe, 2004).
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
# The names every method offers (see descent.theory): imported here so that gradient_descent.steps_to_tolerance works.
from .rates import condition_number, first_step_below, measured_rate, spectrum, steps_to_tolerance

__all__ = [
    "convergence_rate",
    "stability_limit",
    "optimal_learning_rate",
    "optimal_convergence_rate",
]


def convergence_rate(alpha, eigenvalues):
    r"""The per-step contraction factor :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|`.

    Parameters
    ----------
    alpha : float or array_like
        Learning rate(s) :math:`\alpha \ge 0`; an array gives one rate per entry.
    eigenvalues : float or array_like
        Hessian eigenvalues, all > 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`\rho < 1` means convergence (the error shrinks by at least this factor per step),
        :math:`\rho > 1` divergence.
    """
    values = spectrum(eigenvalues)
    alphas = check.reals("alpha", alpha, 0)
    rates = np.max(np.abs(1 - alphas[..., None] * values), axis=-1)
    return float(rates) if rates.ndim == 0 else rates


def stability_limit(eigenvalues) -> float:
    r"""The largest stable learning rate, :math:`2 / L`: descent converges for every :math:`0 < \alpha < 2/L`."""
    return float(2.0 / spectrum(eigenvalues).max())


def optimal_learning_rate(eigenvalues) -> float:
    r"""The learning rate that minimises :math:`\rho(\alpha)`: :math:`\alpha^\star = 2 / (\mu + L)`."""
    values = spectrum(eigenvalues)
    return float(2.0 / (values.min() + values.max()))


def optimal_convergence_rate(eigenvalues) -> float:
    r"""The best achievable rate, :math:`\rho(\alpha^\star) = (\kappa - 1) / (\kappa + 1)`."""
    kappa = condition_number(eigenvalues)
    return float((kappa - 1) / (kappa + 1))
