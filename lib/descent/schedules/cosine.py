r"""Cosine annealing, with and without warm restarts (SGDR, Loshchilov and Hutter, 2017)."""

from __future__ import annotations

import math

from .. import _validation as check
from ._base import Recurrence, Schedule


def _eta_min(eta_min, lr0):
    return check.in_range("eta_min", eta_min, 0.0, lr0)


def cosine(lr0, T_max, eta_min=0.0):
    r"""Cosine annealing from ``lr0`` down to ``eta_min`` over ``T_max`` steps.

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
                 \left(1 + \cos\frac{\pi t}{T_{\max}}\right)

    :math:`\eta_0` at :math:`t = 0`, :math:`\eta_{\min}` at :math:`t = T_{\max}`. Past
    :math:`T_{\max}` torch keeps following the cosine, so the rate climbs back to
    :math:`\eta_0` at :math:`2T_{\max}` and oscillates with period :math:`2T_{\max}`;
    this function does the same. Hold the rate yourself if you train longer than
    ``T_max`` steps.

    Parameters
    ----------
    lr0 : float
        Initial (largest) rate :math:`\eta_0 > 0`.
    T_max : int
        Steps to reach ``eta_min``, ``>= 1``.
    eta_min : float, default 0.0
        The smallest rate, in ``[0, lr0]``.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min)``. torch
    does not evaluate the formula above (the SGDR paper's closed form, without its
    restarts). It updates the previous rate,

    .. math::

        \eta_t = \eta_{\min} + (\eta_{t-1} - \eta_{\min})
                 \frac{1 + \cos(\pi t / T_{\max})}{1 + \cos(\pi (t-1) / T_{\max})},

    and, at the steps :math:`t = T_{\max} + 1 + 2kT_{\max}` where that ratio would divide
    by zero, adds :math:`(\eta_0 - \eta_{\min})(1 - \cos(\pi / T_{\max}))/2` instead.
    This function replays the same operations, so it returns torch's numbers exactly;
    ``s.formula(t)`` evaluates the closed form. Within the first period the two agree to
    rounding (:math:`2\,t\,\varepsilon\,\eta_0`); afterwards torch's recurrence drifts a
    little with ``eta_min = 0`` (up to about :math:`20\,t\,\varepsilon\,\eta_0`) and more with
    ``eta_min > 0`` (about ``3e-9`` relative near :math:`t = 2T_{\max}` for ``T_max=20000``).
    """
    lr0 = check.positive("lr0", lr0)
    T_max = check.integer("T_max", T_max, 1)
    eta_min = _eta_min(eta_min, lr0)
    restart_step = (lr0 - eta_min) * (1 - math.cos(math.pi / T_max)) / 2

    def update(lr, t):  # torch's recurrence
        if (t - 1 - T_max) % (2 * T_max) == 0:
            return lr + restart_step
        ratio = (1 + math.cos(math.pi * t / T_max)) / (1 + math.cos(math.pi * (t - 1) / T_max))
        return ratio * (lr - eta_min) + eta_min

    def formula(t):  # the closed form it follows
        return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2

    lr_at = Recurrence(lr0, update)
    return Schedule("cosine", {"lr0": lr0, "T_max": T_max, "eta_min": eta_min}, lr_at, formula)


def cosine_restarts(lr0, T_0, T_mult=1, eta_min=0.0):
    r"""Cosine annealing with warm restarts (SGDR): anneal, jump back to ``lr0``, repeat.

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
                 \left(1 + \cos\frac{\pi T_{\text{cur}}}{T_i}\right)

    where :math:`T_{\text{cur}}` counts the steps since the last restart and the
    :math:`i`-th cycle lasts :math:`T_i = T_0 \, T_{\text{mult}}^{\,i}` steps. Restarts
    happen at :math:`t = T_0, \; T_0 + T_0 T_{\text{mult}}, \dots`, where the rate is
    :math:`\eta_0` again. Within a cycle the rate never quite reaches
    :math:`\eta_{\min}`: the last step of a cycle has :math:`T_{\text{cur}} = T_i - 1`.

    Parameters
    ----------
    lr0 : float
        The rate at each (re)start, :math:`\eta_0 > 0`.
    T_0 : int
        Length of the first cycle, ``>= 1``.
    T_mult : int, default 1
        Factor by which each cycle is longer than the previous one: an integer ``>= 1``.
    eta_min : float, default 0.0
        The rate the cosine heads for, in ``[0, lr0]``.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0, T_mult,
    eta_min)``, which evaluates this closed form at each step (no recursion), as here.
    The SGDR paper allows a real-valued :math:`T_{\text{cur}}` updated every mini-batch;
    with an integer step counter, as here and in torch's ``step()`` without arguments,
    :math:`T_{\text{cur}}` is an integer.
    """
    lr0 = check.positive("lr0", lr0)
    T_0 = check.integer("T_0", T_0, 1)
    T_mult = check.integer("T_mult", T_mult, 1)
    eta_min = _eta_min(eta_min, lr0)

    def lr_at(t):
        if T_mult == 1:
            T_cur, T_i = t % T_0, T_0
        else:
            T_cur, T_i = t, T_0
            while T_cur >= T_i:
                T_cur -= T_i
                T_i *= T_mult
        return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2

    params = {"lr0": lr0, "T_0": T_0, "T_mult": T_mult, "eta_min": eta_min}
    return Schedule("cosine_restarts", params, lr_at)
