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

import math

import numpy as np

__all__ = [
    "condition_number",
    "convergence_rate",
    "stability_limit",
    "optimal_learning_rate",
    "optimal_convergence_rate",
    "steps_to_tolerance",
    "measured_rate",
]


def _eigenvalues(eigenvalues) -> np.ndarray:
    try:
        values = np.atleast_1d(np.asarray(eigenvalues, dtype=float))
    except (TypeError, ValueError) as error:
        raise TypeError(f"eigenvalues must be real numbers; got {eigenvalues!r}") from error
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"eigenvalues must be a number or a non-empty 1-D sequence; got shape {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"eigenvalues must all be finite and > 0 (a convex quadratic); got {values}")
    return values


def _alpha(alpha, name: str = "alpha"):
    try:
        value = np.asarray(alpha, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a real number or array of them; got {alpha!r}") from error
    if not np.all(np.isfinite(value)) or np.any(value < 0):
        raise ValueError(f"{name} must be finite and >= 0; got {alpha!r}")
    return value


def condition_number(eigenvalues) -> float:
    r"""The condition number :math:`\kappa = L / \mu` = largest / smallest eigenvalue."""
    values = _eigenvalues(eigenvalues)
    return float(values.max() / values.min())


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
    values = _eigenvalues(eigenvalues)
    alphas = _alpha(alpha)
    rates = np.max(np.abs(1 - alphas[..., None] * values), axis=-1)
    return float(rates) if rates.ndim == 0 else rates


def stability_limit(eigenvalues) -> float:
    r"""The largest stable learning rate, :math:`2 / L`: descent converges for every :math:`0 < \alpha < 2/L`."""
    return float(2.0 / _eigenvalues(eigenvalues).max())


def optimal_learning_rate(eigenvalues) -> float:
    r"""The learning rate that minimises :math:`\rho(\alpha)`: :math:`\alpha^\star = 2 / (\mu + L)`."""
    values = _eigenvalues(eigenvalues)
    return float(2.0 / (values.min() + values.max()))


def optimal_convergence_rate(eigenvalues) -> float:
    r"""The best achievable rate, :math:`\rho(\alpha^\star) = (\kappa - 1) / (\kappa + 1)`."""
    kappa = condition_number(eigenvalues)
    return float((kappa - 1) / (kappa + 1))


def steps_to_tolerance(rate: float, tolerance: float, initial_error: float = 1.0) -> float:
    r"""Steps until an error that shrinks by ``rate`` per step falls below ``tolerance``.

    The smallest integer t with :math:`\rho^t \, e_0 \le \delta`, i.e.
    :math:`t = \lceil \log(\delta / e_0) / \log \rho \rceil`; ``0`` if :math:`e_0 \le \delta`
    already and ``inf`` if :math:`\rho \ge 1`.

    Parameters
    ----------
    rate : float
        Contraction factor :math:`\rho \ge 0`.
    tolerance : float
        Target error :math:`\delta > 0`.
    initial_error : float, default 1.0
        Starting error :math:`e_0 > 0`.
    """
    for name, value in (("rate", rate), ("tolerance", tolerance), ("initial_error", initial_error)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a real number; got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite; got {value!r}")
    if rate < 0:
        raise ValueError(f"rate must be >= 0; got {rate!r}")
    if tolerance <= 0 or initial_error <= 0:
        raise ValueError(f"tolerance and initial_error must be > 0; got {tolerance!r} and {initial_error!r}")
    if initial_error <= tolerance:
        return 0
    if rate >= 1:
        return math.inf
    if rate == 0:
        return 1
    return math.ceil(math.log(tolerance / initial_error) / math.log(rate) - 1e-12)


def measured_rate(path, minimizer=None, last: int = 10) -> float:
    r"""The contraction factor observed along a path: the geometric mean of
    :math:`\|\theta_{t+1} - \theta^\star\| / \|\theta_t - \theta^\star\|` over its last ``last`` steps.

    Parameters
    ----------
    path : array_like, shape (n, d)
        Iterates, e.g. ``Trajectory.path`` (must be finite and not yet at the minimum).
    minimizer : array_like, optional
        :math:`\theta^\star`; the origin by default.
    last : int, default 10
        Number of final steps to average over (>= 1, < n).
    """
    points = np.asarray(path, dtype=float)
    if points.ndim == 1:
        points = points[:, None]
    if points.ndim != 2 or len(points) < 2:
        raise ValueError(f"path must have shape (n, d) with n >= 2; got shape {points.shape}")
    if isinstance(last, bool) or not isinstance(last, (int, np.integer)) or not 1 <= last < len(points):
        raise ValueError(f"last must be an integer in [1, {len(points) - 1}]; got {last!r}")
    centre = np.zeros(points.shape[1]) if minimizer is None else np.asarray(minimizer, dtype=float).reshape(-1)
    errors = np.linalg.norm(points[-last - 1:] - centre, axis=1)
    if not np.all(np.isfinite(errors)) or np.any(errors == 0):
        raise ValueError("path must stay finite and away from the minimizer over the steps measured")
    return float((errors[-1] / errors[0]) ** (1.0 / last))
