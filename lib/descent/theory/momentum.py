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
``ValueError`` naming the parameter.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "iteration_matrix",
    "eigenvalues",
    "direction_rate",
    "rate",
    "rate_map",
    "is_stable",
    "stability_limit",
    "critical_beta",
    "damping",
    "optimal_parameters",
    "optimal_rate",
    "nesterov_iteration_matrix",
    "nesterov_eigenvalues",
    "nesterov_rate",
    "nesterov_stability_limit",
    "simulate",
    "measured_rate",
    "steps_to_tolerance",
    "first_step_below",
]


# ----------------------------------------------------------------------------- input checks


def _as_float_array(name, value):
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {value!r}") from None
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def _positive(name, value):
    array = _as_float_array(name, value)
    if np.any(array <= 0):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return array


def _momentum(value, name="beta"):
    array = _as_float_array(name, value)
    if np.any((array < 0) | (array >= 1)):
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return array


def _scalar(name, array):
    if array.size != 1:
        raise ValueError(f"{name} must be a single number here, got an array of shape {array.shape}")
    return float(array.reshape(()))


def _eigenvalue_list(value, name="eigenvalues"):
    array = _positive(name, value)
    if array.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D sequence of numbers, got shape {array.shape}")
    return np.atleast_1d(array)


def _scalar_or_array(array):
    return array.item() if array.ndim == 0 else array


# ----------------------------------------------------------------------------- one eigen-direction


def _direction_arguments(alpha, beta, eigenvalue):
    """α, β and λ checked and broadcast together."""
    return np.broadcast_arrays(_positive("alpha", alpha), _momentum(beta), _positive("eigenvalue", eigenvalue))


def _two_by_two(top_left, top_right, lam, b):
    """Matrices [[top_left, top_right], [λ, β]] stacked over the broadcast shape."""
    matrix = np.empty(np.shape(top_left) + (2, 2))
    matrix[..., 0, 0] = top_left
    matrix[..., 0, 1] = top_right
    matrix[..., 1, 0] = lam
    matrix[..., 1, 1] = b
    return matrix


def _quadratic_roots(s, p):
    """Roots of z² − s z + p, larger modulus first (no input checks)."""
    root = np.sqrt((s * s - 4 * p).astype(complex))
    z1, z2 = (s + root) / 2, (s - root) / 2
    swap = np.abs(z2) > np.abs(z1)
    return np.stack([np.where(swap, z2, z1), np.where(swap, z1, z2)], axis=-1)


def _largest_modulus(roots, alpha, beta, eigenvalues):
    """The largest root modulus over the eigenvalues, for ``roots`` = :func:`_roots` or :func:`_nesterov_roots`."""
    a, b = np.broadcast_arrays(_positive("alpha", alpha), _momentum(beta))
    lams = _eigenvalue_list(eigenvalues)
    moduli = np.abs(roots(a[..., None], b[..., None], lams)[..., 0])
    return _scalar_or_array(moduli.max(axis=-1))


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
    a, b, lam = _direction_arguments(alpha, beta, eigenvalue)
    return _two_by_two(1 - a * lam, -a * b, lam, b)


def _roots(a, b, lam):
    """Roots of z² − (1 + β − αλ) z + β (heavy ball), larger modulus first (no input checks)."""
    return _quadratic_roots(1 + b - a * lam, b)


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
    a, b, lam = _direction_arguments(alpha, beta, eigenvalue)
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
    return _scalar_or_array(np.abs(eigenvalues(alpha, beta, eigenvalue)[..., 0]))


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
    a = _scalar("alpha", _positive("alpha", alpha))
    b = _scalar("beta", _momentum(beta))
    lam = _scalar("eigenvalue", _positive("eigenvalue", eigenvalue))
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
    a, lam = np.broadcast_arrays(_positive("alpha", alpha), _positive("eigenvalue", eigenvalue))
    if np.any(a * lam >= 4):
        raise ValueError("alpha * eigenvalue must be < 4 for a critical momentum in [0, 1) to exist")
    return _scalar_or_array((1 - np.sqrt(a * lam)) ** 2)


def stability_limit(beta, eigenvalue):
    r"""Largest stable learning rate along one direction: :math:`\alpha < (2 + 2\beta)/\lambda`.

    Parameters
    ----------
    beta : float or array_like
        Momentum coefficient in [0, 1).
    eigenvalue : float or array_like
        Hessian eigenvalue :math:`\lambda > 0` (use :math:`L`, the largest, for the whole quadratic).

    Returns
    -------
    float or numpy.ndarray
    """
    b, lam = np.broadcast_arrays(_momentum(beta), _positive("eigenvalue", eigenvalue))
    return _scalar_or_array((2 + 2 * b) / lam)


# ----------------------------------------------------------------------------- the whole quadratic


def rate(alpha, beta, eigenvalues):
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
    return _largest_modulus(_roots, alpha, beta, eigenvalues)


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
        Shape ``(len(betas), len(alphas))``; entry ``[i, j]`` is ``rate(alphas[j], betas[i], eigenvalues)``.
    """
    a = _positive("alphas", alphas)
    b = _momentum(betas, name="betas")
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError("alphas and betas must be 1-D sequences")
    return rate(a[None, :], b[:, None], eigenvalues)


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
    a, b = np.broadcast_arrays(_positive("alpha", alpha), _momentum(beta))
    largest = _eigenvalue_list(eigenvalues).max()
    return _scalar_or_array(a * largest < 2 + 2 * b)


def optimal_parameters(mu, L):
    r"""The (α, β) that minimise the worst rate over eigenvalues in :math:`[\mu, L]`.

    .. math::

        \alpha^* = \Big(\frac{2}{\sqrt\mu + \sqrt L}\Big)^2, \qquad
        \beta^* = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2, \qquad \kappa = L/\mu.

    Both extreme directions are then critically damped and every direction decays at
    :math:`\sqrt{\beta^*}`.

    Parameters
    ----------
    mu : float
        Smallest eigenvalue, > 0.
    L : float
        Largest eigenvalue, >= mu.

    Returns
    -------
    tuple of float
        ``(alpha, beta)``.
    """
    mu = _scalar("mu", _positive("mu", mu))
    L = _scalar("L", _positive("L", L))
    if L < mu:
        raise ValueError(f"L must be >= mu, got mu={mu!r}, L={L!r}")
    alpha = (2 / (math.sqrt(mu) + math.sqrt(L))) ** 2
    beta = optimal_rate(L / mu) ** 2
    return alpha, beta


def optimal_rate(kappa):
    r"""Best momentum rate for condition number :math:`\kappa`: :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.

    Parameters
    ----------
    kappa : float or array_like
        Condition number, >= 1.

    Returns
    -------
    float or numpy.ndarray
    """
    k = _as_float_array("kappa", kappa)
    if np.any(k < 1):
        raise ValueError(f"kappa must be >= 1, got {kappa!r}")
    root = np.sqrt(k)
    return _scalar_or_array((root - 1) / (root + 1))


# ----------------------------------------------------------------------------- Nesterov, for comparison


def nesterov_iteration_matrix(alpha, beta, eigenvalue):
    r"""The 2×2 matrix of torch's Nesterov update along one eigen-direction.

    The update :math:`v_{t+1} = \beta v_t + g_t`, :math:`\theta_{t+1} = \theta_t - \alpha (g_t + \beta v_{t+1})`
    with :math:`g_t = \lambda x_t` gives

    .. math::

        M_{\mathrm{N}} = \begin{pmatrix} 1 - \alpha\lambda(1 + \beta) & -\alpha\beta^2 \\ \lambda & \beta \end{pmatrix},
        \qquad \det(zI - M_{\mathrm{N}}) = z^2 - (1 + \beta)(1 - \alpha\lambda) z + \beta (1 - \alpha\lambda).

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`iteration_matrix`.

    Returns
    -------
    numpy.ndarray
        Shape ``broadcast_shape + (2, 2)``.
    """
    a, b, lam = _direction_arguments(alpha, beta, eigenvalue)
    return _two_by_two(1 - a * lam * (1 + b), -a * b * b, lam, b)


def _nesterov_roots(a, b, lam):
    """Roots of z² − (1 + β)(1 − αλ) z + β(1 − αλ) (Nesterov), larger modulus first (no input checks)."""
    return _quadratic_roots((1 + b) * (1 - a * lam), b * (1 - a * lam))


def nesterov_eigenvalues(alpha, beta, eigenvalue):
    r"""Eigenvalues of :func:`nesterov_iteration_matrix`, larger modulus first.

    Parameters
    ----------
    alpha, beta, eigenvalue : float or array_like
        As in :func:`iteration_matrix`.

    Returns
    -------
    numpy.ndarray
        Complex array of shape ``broadcast_shape + (2,)``.
    """
    a, b, lam = _direction_arguments(alpha, beta, eigenvalue)
    return _nesterov_roots(a, b, lam)


def nesterov_rate(alpha, beta, eigenvalues):
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
    return _largest_modulus(_nesterov_roots, alpha, beta, eigenvalues)


def nesterov_stability_limit(beta, eigenvalue):
    r"""Largest stable rate for Nesterov along one direction: :math:`\alpha < (2 + 2\beta) / ((1 + 2\beta)\lambda)`.

    Narrower than the heavy ball's :math:`(2 + 2\beta)/\lambda`: the look-ahead adds
    :math:`\alpha\beta\lambda` to the effective step.

    Parameters
    ----------
    beta : float or array_like
        Momentum coefficient in [0, 1).
    eigenvalue : float or array_like
        Hessian eigenvalue :math:`\lambda > 0`.

    Returns
    -------
    float or numpy.ndarray
    """
    b, lam = np.broadcast_arrays(_momentum(beta), _positive("eigenvalue", eigenvalue))
    return _scalar_or_array((2 + 2 * b) / ((1 + 2 * b) * lam))


# ----------------------------------------------------------------------------- simulation and measurement


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
    a = _scalar("alpha", _positive("alpha", alpha))
    b = _scalar("beta", _momentum(beta))
    lam = _scalar("eigenvalue", _positive("eigenvalue", eigenvalue))
    if not isinstance(steps, (int, np.integer)) or isinstance(steps, bool) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    x0 = _scalar("x0", _as_float_array("x0", x0))
    v0 = _scalar("v0", _as_float_array("v0", v0))
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


def measured_rate(distances, window, end=None):
    r"""Per-step rate measured from a run: :math:`(d_{T} / d_{T-w})^{1/w}`.

    With real roots this converges to :math:`\rho` quickly. With complex roots the distance
    oscillates: measure over a whole number of oscillation periods.

    Parameters
    ----------
    distances : array_like
        Distances to the minimiser :math:`d_0, d_1, \dots` (positive).
    window : int
        Window length :math:`w >= 1`.
    end : int, optional
        Index :math:`T` of the window's last point (default: the last entry).

    Returns
    -------
    float
    """
    d = np.asarray(distances, dtype=float)
    if d.ndim != 1:
        raise ValueError("distances must be a 1-D sequence")
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 1:
        raise ValueError(f"window must be an integer >= 1, got {window!r}")
    end = len(d) - 1 if end is None else end
    if not (0 <= end - window and end < len(d)):
        raise ValueError(f"need 0 <= end - window and end < len(distances); got end={end}, window={window}, len={len(d)}")
    first, last = d[end - window], d[end]
    if not (np.isfinite(first) and np.isfinite(last) and first > 0 and last > 0):
        raise ValueError("distances at both ends of the window must be finite and > 0")
    return float(np.exp((np.log(last) - np.log(first)) / window))


def steps_to_tolerance(rate, tol):
    r"""Steps predicted for the error to shrink by the factor ``tol``: :math:`\lceil \ln(tol) / \ln\rho \rceil`.

    Parameters
    ----------
    rate : float
        Per-step rate :math:`\rho` in [0, 1); ``math.inf`` is returned for :math:`\rho \ge 1`.
    tol : float
        Target ratio in (0, 1).

    Returns
    -------
    int or float
    """
    rho = _scalar("rate", _as_float_array("rate", rate))
    tol = _scalar("tol", _as_float_array("tol", tol))
    if rho < 0:
        raise ValueError(f"rate must be >= 0, got {rho!r}")
    if not 0 < tol < 1:
        raise ValueError(f"tol must be in (0, 1), got {tol!r}")
    if rho >= 1:
        return math.inf
    if rho == 0:
        return 1
    return math.ceil(math.log(tol) / math.log(rho) - 1e-12)


def first_step_below(distances, tol):
    r"""First step :math:`t` with :math:`d_t \le tol \cdot d_0`, measured on a run (``None`` if never).

    Parameters
    ----------
    distances : array_like
        Distances to the minimiser, :math:`d_0 > 0` first.
    tol : float
        Target ratio in (0, 1).

    Returns
    -------
    int or None
    """
    d = np.asarray(distances, dtype=float)
    if d.ndim != 1 or len(d) == 0 or not d[0] > 0:
        raise ValueError("distances must be a 1-D sequence starting with a positive distance")
    tol = _scalar("tol", _as_float_array("tol", tol))
    if not 0 < tol < 1:
        raise ValueError(f"tol must be in (0, 1), got {tol!r}")
    below = np.flatnonzero(d <= tol * d[0])
    return int(below[0]) if len(below) else None
