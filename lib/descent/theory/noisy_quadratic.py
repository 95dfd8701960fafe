r"""SGD and heavy-ball momentum on the noisy quadratic model, in expectation and exactly.

The model: a quadratic loss :math:`f(\theta) = \tfrac12 \sum_i \lambda_i \theta_i^2`, written in the
eigenvectors of its Hessian, whose gradient is observed with additive noise,

.. math::

    g_t = \nabla f(\theta_t) + \xi_t, \qquad
    \mathbb{E}\,\xi_{t,i} = 0, \quad \mathbb{E}\,\xi_{t,i}^2 = \sigma_i^2,

with the noise independent of everything before step :math:`t` (and across directions). It is the
model of Zhang et al. (2019), "Which algorithmic choices matter at which batch sizes?", with the
gradient covariance diagonal in the Hessian's eigenbasis. Each direction evolves on its own, so
everything below is per eigen-direction :math:`i` (written without the index).

**SGD** with rate :math:`\eta_t` at step :math:`t`: :math:`x_{t+1} = x_t - \eta_t(\lambda x_t +
\xi_t) = (1 - \eta_t\lambda)\,x_t - \eta_t \xi_t`. Squaring and taking expectations, the cross term
vanishes because :math:`\xi_t` has mean zero and is independent of :math:`x_t`:

.. math::

    \mathbb{E}[x_{t+1}^2] = (1 - \eta_t\lambda)^2\, \mathbb{E}[x_t^2] + \eta_t^2 \sigma^2 .

**Heavy-ball momentum** in torch's form, :math:`v_{t+1} = \beta v_t + g_t`,
:math:`x_{t+1} = x_t - \eta_t v_{t+1}`, from :math:`v_0 = 0`. With :math:`a = 1 - \eta_t\lambda`,
:math:`b = -\eta_t\beta`, :math:`x_{t+1} = a x_t + b v_t - \eta_t\xi_t` and
:math:`v_{t+1} = \lambda x_t + \beta v_t + \xi_t`, so the three second moments
:math:`P = \mathbb{E}[x^2]`, :math:`Q = \mathbb{E}[xv]`, :math:`R = \mathbb{E}[v^2]` follow

.. math::

    P_{t+1} &= a^2 P_t + 2ab\, Q_t + b^2 R_t + \eta_t^2\sigma^2, \\
    Q_{t+1} &= a\lambda P_t + (a\beta + b\lambda)\, Q_t + b\beta R_t - \eta_t\sigma^2, \\
    R_{t+1} &= \lambda^2 P_t + 2\lambda\beta\, Q_t + \beta^2 R_t + \sigma^2 .

These recursions are exact for any noise distribution with these two moments: nothing is sampled.
The expected loss is :math:`\mathbb{E} f(\theta_t) = \tfrac12 \sum_i \lambda_i\, \mathbb{E}[x_{t,i}^2]`
(its minimum is 0).

With a constant rate :math:`\eta` the recursion has a fixed point, the **noise floor**:

.. math::

    \mathbb{E}[x_\infty^2] = \frac{\eta\,\sigma^2\,(1 + \beta)}{\lambda\,(1 - \beta)\,(2 + 2\beta - \eta\lambda)}
    \;\overset{\beta = 0}{=}\; \frac{\eta\,\sigma^2}{\lambda\,(2 - \eta\lambda)},

reached when :math:`0 < \eta\lambda < 2 + 2\beta` (the stability limit of chapter 3; :math:`2` for
SGD). The floor is proportional to :math:`\eta` for small :math:`\eta\lambda`: only a rate that
decays lowers it.

Functions
---------
:func:`expected_second_moments`, :func:`expected_loss` (the recursions, for any schedule),
:func:`stationary_second_moments`, :func:`noise_floor` (the fixed point of a constant rate) and
:func:`stability_limit`. Each takes what is set by the run first (the schedule or the rate), then the
problem (the eigenvalues, the noise variances), and the momentum :math:`\beta` as a keyword (0, plain SGD,
by default).
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
from ..runner import DIVERGENCE_BOUND

__all__ = [
    "expected_second_moments",
    "expected_loss",
    "stationary_second_moments",
    "noise_floor",
    "stability_limit",
]


def _eigenvalues(eigenvalues) -> np.ndarray:
    try:
        values = np.atleast_1d(np.asarray(eigenvalues, dtype=float))
    except (TypeError, ValueError):
        raise TypeError(f"eigenvalues must be real numbers; got {eigenvalues!r}") from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"eigenvalues must be a number or a non-empty 1-D sequence; got shape {values.shape}")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"eigenvalues must all be finite and > 0 (a convex quadratic); got {values}")
    return values


def _per_direction(name: str, value, size: int, rule: str) -> np.ndarray:
    """A number or one number per direction, broadcast to ``size`` directions."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or one per eigenvalue; got {value!r}") from None
    if array.ndim > 1 or (array.ndim == 1 and array.size != size):
        raise ValueError(f"{name} must be a number or have one entry per eigenvalue ({size}); got shape {array.shape}")
    array = np.broadcast_to(array, (size,)).copy()
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite; got {value!r}")
    if rule == ">= 0" and np.any(array < 0):
        raise ValueError(f"{name} must be >= 0; got {value!r}")
    return array


def _momentum(momentum) -> float:
    return check.in_range("momentum", momentum, 0.0, 1.0, high_open=True)


def _rates(schedule, steps: int) -> np.ndarray:
    """The rates :math:`\\eta_0, \\dots, \\eta_{steps-1}` of a schedule (a callable ``t -> rate``) or array."""
    if callable(schedule):
        try:
            rates = np.asarray(schedule(np.arange(steps)), dtype=float)
        except (TypeError, ValueError, IndexError):
            rates = None
        if rates is None or rates.shape != (steps,):
            rates = np.array([float(schedule(t)) for t in range(steps)], dtype=float)
    else:
        try:
            rates = np.asarray(schedule, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"schedule must be a callable t -> rate or an array of rates; got {schedule!r}") from None
        if rates.ndim != 1 or rates.size < steps:
            raise ValueError(f"schedule as an array must hold at least steps = {steps} rates; got shape {rates.shape}")
        rates = rates[:steps]
    if not np.all(np.isfinite(rates)) or np.any(rates < 0):
        bad = rates[~(np.isfinite(rates) & (rates >= 0))][0]
        raise ValueError(f"schedule must give finite rates >= 0 at t = 0, ..., {steps - 1}; got {bad!r}")
    return rates


def expected_second_moments(schedule, eigenvalues, noise, steps, *, start=1.0, momentum=0.0) -> np.ndarray:
    r""":math:`\mathbb{E}[x_{t,i}^2]` for :math:`t = 0, \dots, T` along every eigen-direction :math:`i`.

    Runs the recursion of the module docstring: for SGD (``momentum=0``)

    .. math::

        \mathbb{E}[x_{t+1}^2] = (1 - \eta_t\lambda)^2\, \mathbb{E}[x_t^2] + \eta_t^2 \sigma^2,

    and for heavy-ball momentum the three-moment recursion (torch's form, :math:`v_0 = 0`).

    Parameters
    ----------
    schedule : callable or array_like
        ``schedule(t) -> rate`` (a :mod:`descent.schedules` schedule), or the rates
        :math:`\eta_0, \dots, \eta_{T-1}` themselves; every rate finite and ``>= 0``.
    eigenvalues : array_like
        The Hessian's eigenvalues :math:`\lambda_i > 0`.
    noise : float or array_like
        The gradient-noise variance :math:`\sigma_i^2 \ge 0` along each direction (or one for all).
    steps : int
        :math:`T \ge 0`, the number of steps.
    start : float or array_like, default 1.0
        The starting coordinates :math:`x_{0,i}` (deterministic), one for all or one per direction.
    momentum : float, default 0.0
        :math:`\beta \in [0, 1)`; 0 is SGD.

    Returns
    -------
    numpy.ndarray, shape (steps + 1, d)
        Row :math:`t` holds :math:`\mathbb{E}[x_{t,i}^2]`. A direction whose second moment passes
        :data:`descent.runner.DIVERGENCE_BOUND` times :math:`\max(1, x_{0,i}^2)` (the rate beyond the
        stability limit for long enough) counts as diverged, as a run of :func:`descent.runner.run`
        does, and is ``inf`` from then on: in exact arithmetic a rate that falls back below the limit
        would shrink it again, but a real run would have overflowed long before.
    """
    values = _eigenvalues(eigenvalues)
    d = values.size
    sigma2 = _per_direction("noise", noise, d, ">= 0")
    x0 = _per_direction("start", start, d, "real")
    steps = check.integer("steps", steps, 0)
    beta = _momentum(momentum)
    rates = _rates(schedule, steps)[:, None]
    out = np.empty((steps + 1, d))
    out[0] = x0**2
    with np.errstate(over="ignore", invalid="ignore"):
        if beta == 0.0:
            contraction = (1.0 - rates * values) ** 2  # (T, d), computed once
            injected = rates**2 * sigma2
            m = out[0].copy()
            for t in range(steps):
                m = contraction[t] * m + injected[t]
                out[t + 1] = m
        else:
            # state (P, Q, R) per direction; one 3x3 matrix per step and direction, built at once
            a, b = 1.0 - rates * values, -rates * beta  # (T, d) and (T, 1)
            b = np.broadcast_to(b, a.shape)
            lam = np.broadcast_to(values, a.shape)
            matrices = np.stack([
                np.stack([a * a, 2 * a * b, b * b], axis=-1),
                np.stack([a * lam, a * beta + b * lam, b * beta], axis=-1),
                np.stack([lam * lam, 2 * lam * beta + 0 * a, beta * beta + 0 * a], axis=-1),
            ], axis=-2)  # (T, d, 3, 3)
            injected = np.stack([rates**2 * sigma2, -rates * sigma2, np.broadcast_to(sigma2, a.shape)],
                                axis=-1)[..., None]  # (T, d, 3, 1)
            state = np.zeros((d, 3, 1))
            state[:, 0, 0] = out[0]
            for t in range(steps):
                state = matrices[t] @ state + injected[t]
                out[t + 1] = state[:, 0, 0]
        # a direction that blew up stays diverged: inf from its first moment past the bound (or not finite) on
        bad = ~(out <= DIVERGENCE_BOUND * np.maximum(1.0, out[0]))
        if bad.any():
            first = np.where(bad.any(axis=0), bad.argmax(axis=0), steps + 1)
            out[np.arange(steps + 1)[:, None] >= first[None, :]] = np.inf
    return out


def expected_loss(schedule, eigenvalues, noise, steps, *, start=1.0, momentum=0.0) -> np.ndarray:
    r"""The expected loss :math:`\mathbb{E} f(\theta_t) = \tfrac12 \sum_i \lambda_i\,\mathbb{E}[x_{t,i}^2]`,
    :math:`t = 0, \dots, T`.

    Same arguments as :func:`expected_second_moments`. The minimum of :math:`f` is 0, so this is also
    the expected loss gap. ``inf`` once any direction has overflowed.

    Returns
    -------
    numpy.ndarray, shape (steps + 1,)
    """
    values = _eigenvalues(eigenvalues)
    moments = expected_second_moments(schedule, values, noise, steps, start=start, momentum=momentum)
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * moments @ values


def stationary_second_moments(alpha, eigenvalues, noise, *, momentum=0.0) -> np.ndarray:
    r"""The fixed point of the recursion at a constant rate :math:`\eta`, per direction:

    .. math::

        \mathbb{E}[x_\infty^2] = \frac{\eta\,\sigma^2\,(1 + \beta)}{\lambda\,(1 - \beta)\,(2 + 2\beta - \eta\lambda)}

    where :math:`0 < \eta\lambda < 2 + 2\beta`, and ``inf`` for a direction beyond that limit (its
    moments grow without bound). At :math:`\eta = 0` nothing moves and there is no floor: ``nan``.

    Parameters
    ----------
    alpha : float
        The constant rate :math:`\eta > 0`.
    eigenvalues, noise, momentum
        As in :func:`expected_second_moments`.

    Returns
    -------
    numpy.ndarray, shape (d,)
    """
    alpha = check.positive("alpha", alpha)
    values = _eigenvalues(eigenvalues)
    sigma2 = _per_direction("noise", noise, values.size, ">= 0")
    beta = _momentum(momentum)
    margin = 2 + 2 * beta - alpha * values
    with np.errstate(divide="ignore", invalid="ignore"):
        floor = alpha * sigma2 * (1 + beta) / (values * (1 - beta) * margin)
    return np.where(margin > 0, floor, np.inf)


def noise_floor(alpha, eigenvalues, noise, *, momentum=0.0) -> float:
    r"""The expected loss a constant rate settles at:
    :math:`\tfrac12 \sum_i \lambda_i\, \mathbb{E}[x_{\infty,i}^2]
    = \sum_i \frac{\eta\,\sigma_i^2 (1 + \beta)}{2 (1 - \beta)(2 + 2\beta - \eta\lambda_i)}`.

    For small :math:`\eta\lambda_i` this is about :math:`\eta \sum_i \sigma_i^2 / (4(1 - \beta))`:
    proportional to the rate (the effective rate :math:`\eta/(1-\beta)` with momentum), and
    independent of the curvature. ``inf`` beyond the stability limit.

    Parameters
    ----------
    alpha, eigenvalues, noise, momentum
        As in :func:`stationary_second_moments`.

    Returns
    -------
    float
    """
    values = _eigenvalues(eigenvalues)
    moments = stationary_second_moments(alpha, values, noise, momentum=momentum)
    return float(0.5 * np.sum(values * moments))


def stability_limit(eigenvalues, *, momentum=0.0) -> float:
    r"""The largest constant rate at which the expected loss stays bounded: :math:`(2 + 2\beta)/L`.

    :math:`L` is the largest eigenvalue; :math:`2/L` for SGD. Above it the steepest direction's
    moments grow geometrically, with or without noise, whatever came before (a warmup does not move
    this limit on a quadratic, whose curvature is the same at every step).

    Parameters
    ----------
    eigenvalues : array_like
    momentum : float, default 0.0

    Returns
    -------
    float
    """
    values = _eigenvalues(eigenvalues)
    beta = _momentum(momentum)
    return float((2 + 2 * beta) / values.max())
