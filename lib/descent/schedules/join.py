r"""Schedules joined end to end at step boundaries (torch's ``SequentialLR``)."""

from __future__ import annotations

from bisect import bisect_right

from .. import _validation as check
from ._base import Schedule


def join(schedules, milestones):
    r"""Run ``schedules[0]``, then from step ``milestones[0]`` on ``schedules[1]`` from its own step 0, and so on.

    With :math:`s_0, \dots, s_k` the schedules and :math:`0 = m_0 < m_1 < \dots < m_k` the milestones,

    .. math::

        \eta_t = s_i(t - m_i) \qquad \text{for } m_i \le t < m_{i+1} \quad (m_{k+1} = \infty):

    each schedule starts its own clock at its milestone, so it runs whole, only later. A warmup is a join of
    a linear ramp and the schedule it leads into (:func:`~descent.schedules.warmup`).

    Parameters
    ----------
    schedules : sequence of Schedule
        Two or more schedules of :mod:`descent.schedules` (or callables ``t -> lr``).
    milestones : sequence of int
        The steps at which each schedule after the first takes over: one fewer than ``schedules``,
        positive integers in strictly increasing order.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.SequentialLR(opt, schedulers, milestones)``, which at each milestone
    restarts the next scheduler at its step 0 (``scheduler.step(0)``). torch's schedulers all share the
    optimizer's base rate, where each schedule here has its own ``lr0``: ``join`` of schedules with a common
    ``lr0`` gives torch's rates. torch lets a scheduler with a recursive rule restart from its closed form
    at step 0 (``eta_min + (lr0 - eta_min)(1 + cos 0)/2`` for ``CosineAnnealingLR``), which can differ from
    ``lr0`` in the last bit; the rates agree to rounding (the tests compare them with torch's).
    """
    if isinstance(schedules, (str, bytes)) or not hasattr(schedules, "__iter__"):
        raise TypeError(f"schedules must be a sequence of schedules; got {schedules!r}")
    schedules = [check.function(f"schedules[{i}]", s, "a schedule (a callable t -> lr)")
                 for i, s in enumerate(schedules)]
    if len(schedules) < 2:
        raise ValueError(f"schedules must hold at least two schedules to join; got {len(schedules)}")
    if isinstance(milestones, (str, bytes)) or not hasattr(milestones, "__iter__"):
        raise TypeError(f"milestones must be a sequence of positive integers; got {milestones!r}")
    milestones = [check.integer(f"milestones[{i}]", m, 1) for i, m in enumerate(milestones)]
    if len(milestones) != len(schedules) - 1:
        raise ValueError(f"milestones must have one entry fewer than schedules ({len(schedules) - 1}); "
                         f"got {len(milestones)}")
    for i in range(1, len(milestones)):
        if milestones[i] <= milestones[i - 1]:
            raise ValueError(f"milestones must be strictly increasing; got {milestones!r}")
    starts = [0, *milestones]

    def lr_at(t):
        i = bisect_right(milestones, t)
        return schedules[i](t - starts[i])

    def formula(t):  # each part's closed form, where it has one
        i = bisect_right(milestones, t)
        part = schedules[i]
        return part.formula(t - starts[i]) if isinstance(part, Schedule) else part(t - starts[i])

    return Schedule("join", {"schedules": schedules, "milestones": milestones}, lr_at, formula)
