r"""What every method's analysis shares: a spectrum's condition number, and rates against runs.

On a quadratic, each method here converges linearly: the error shrinks by a factor :math:`\rho` per step,
:math:`e_t \le \rho^t e_0`, with :math:`\rho` given by the method's own ``convergence_rate``. This module turns a
rate into a number of steps (:func:`steps_to_tolerance`), measures the rate on a run
(:func:`measured_rate`) and reads the step a run first gets there (:func:`first_step_below`), so the chapters
can set the formula beside the measurement. Each method's module (:mod:`~descent.theory.gradient_descent`,
:mod:`~descent.theory.momentum`, :mod:`~descent.theory.nesterov`) imports these names too, so
``gradient_descent.steps_to_tolerance`` is this very function.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as check

__all__ = ["condition_number", "steps_to_tolerance", "measured_rate", "first_step_below"]


def spectrum(eigenvalues) -> np.ndarray:
    """The Hessian's eigenvalues as a 1-D float array, all finite and > 0 (a convex quadratic)."""
    return np.atleast_1d(check.reals("eigenvalues", eigenvalues, 0, low_open=True, max_ndim=1))


def condition_number(eigenvalues) -> float:
    r"""The condition number :math:`\kappa = L / \mu` = largest / smallest eigenvalue."""
    values = spectrum(eigenvalues)
    return float(values.max() / values.min())


def steps_to_tolerance(rate: float, tolerance: float, initial_error: float = 1.0) -> float:
    r"""Steps until an error that shrinks by ``rate`` per step falls below ``tolerance``.

    The smallest integer t with :math:`\rho^t \, e_0 \le \delta`, i.e.
    :math:`t = \lceil \log(\delta / e_0) / \log \rho \rceil`; ``0`` if :math:`e_0 \le \delta`
    already and ``inf`` if :math:`\rho \ge 1`. With the default :math:`e_0 = 1`, ``tolerance`` is the
    factor by which the error must shrink.

    Parameters
    ----------
    rate : float
        Contraction factor :math:`\rho \ge 0`.
    tolerance : float
        Target error :math:`\delta > 0`.
    initial_error : float, default 1.0
        Starting error :math:`e_0 > 0`.

    Returns
    -------
    int or float
        The number of steps (``math.inf`` when the error never gets there).
    """
    rate = check.non_negative("rate", rate)
    tolerance = check.positive("tolerance", tolerance)
    initial_error = check.positive("initial_error", initial_error)
    if initial_error <= tolerance:
        return 0
    if rate >= 1:
        return math.inf
    if rate == 0:
        return 1
    return math.ceil(math.log(tolerance / initial_error) / math.log(rate) - 1e-12)


def measured_rate(path, minimizer=None, last: int = 10, end=None) -> float:
    r"""The contraction factor observed along a run: :math:`(e_T / e_{T-w})^{1/w}`.

    :math:`e_t = \|\theta_t - \theta^\star\|` is the distance of iterate t from the minimizer, :math:`w` =
    ``last`` the number of steps measured and :math:`T` = ``end`` the last of them. The rate is the geometric
    mean of the ratios :math:`e_{t+1}/e_t` over the window, computed as
    :math:`\exp((\ln e_T - \ln e_{T-w})/w)`, which neither overflows nor underflows. With real roots it
    settles at the method's rate quickly; with complex roots the distance oscillates: measure over a whole
    number of oscillation periods.

    Parameters
    ----------
    path : array_like, shape (n, d) or (n,)
        The iterates, e.g. ``Trajectory.path``, or (one dimension) positions or distances :math:`d_t \ge 0`
        to the minimizer.
    minimizer : array_like, optional
        :math:`\theta^\star`; the origin by default.
    last : int, default 10
        The window :math:`w \ge 1`.
    end : int, optional
        Index :math:`T` of the window's last point, ``last <= T < n``; the last iterate by default.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the window does not fit in the path, or the distances at its two ends are not finite and > 0.
    """
    points = np.asarray(path, dtype=float)
    if points.ndim == 1:
        points = points[:, None]
    if points.ndim != 2 or len(points) < 2:
        raise ValueError(f"path must have shape (n, d) or (n,) with n >= 2; got shape {points.shape}")
    end = len(points) - 1 if end is None else check.integer("end", end, 1, len(points) - 1, floats=False)
    last = check.integer("last", last, 1, end, floats=False, hint=f" (the window must fit before end = {end})")
    centre = np.zeros(points.shape[1]) if minimizer is None else np.asarray(minimizer, dtype=float).reshape(-1)
    # hypot rather than the square root of a sum of squares, which underflows for distances below 1e-154
    first_error, last_error = np.hypot.reduce(np.abs(points[[end - last, end]] - centre), axis=1)
    if not (np.isfinite(first_error) and np.isfinite(last_error) and first_error > 0 and last_error > 0):
        raise ValueError("path must be finite and away from the minimizer at both ends of the window measured; "
                         f"got distances {first_error!r} and {last_error!r}")
    return float(np.exp((np.log(last_error) - np.log(first_error)) / last))


def first_step_below(distances, tolerance: float):
    r"""First step :math:`t` with :math:`d_t \le \delta \cdot d_0`, measured on a run (``None`` if never).

    Parameters
    ----------
    distances : array_like
        Distances to the minimiser, :math:`d_0 > 0` first.
    tolerance : float
        The factor :math:`\delta` in (0, 1) by which the distance must shrink.

    Returns
    -------
    int or None
    """
    d = np.asarray(distances, dtype=float)
    if d.ndim != 1 or len(d) == 0 or not d[0] > 0:
        raise ValueError("distances must be a 1-D sequence starting with a positive distance")
    tolerance = check.in_range("tolerance", tolerance, 0, 1, low_open=True, high_open=True)
    below = np.flatnonzero(d <= tolerance * d[0])
    return int(below[0]) if len(below) else None
