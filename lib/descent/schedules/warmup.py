r"""Warmup: start small, then hand over to a schedule; and the Transformer's inverse square root."""

from __future__ import annotations

import math

from .. import _validation as check
from ._base import Schedule
from .decay import linear
from .join import join


def warmup(schedule, warmup_steps, start_factor=1.0 / 3):
    r"""Put a linear warmup of ``warmup_steps`` steps in front of any schedule.

    It is :func:`~descent.schedules.join` of a :func:`~descent.schedules.linear` ramp and the schedule.
    With :math:`s` the wrapped schedule, :math:`W` = ``warmup_steps`` and :math:`f` =
    ``start_factor``,

    .. math::

        \eta_t = \begin{cases}
            s(0) \left(f + (1 - f)\, t / W\right) & 0 \le t < W \\
            s(t - W) & t \ge W
        \end{cases}

    The ramp rises from :math:`f\,s(0)` towards the wrapped schedule's *initial* rate
    :math:`s(0)`, and the wrapped schedule's clock starts when the warmup ends: step
    :math:`W` is the wrapped schedule's step 0. So the wrapped schedule runs whole, only
    :math:`W` steps later; a ``cosine(lr0, T_max)`` behind a warmup reaches ``eta_min``
    at :math:`t = W + T_{\max}`. The join is continuous: the ramp, extended one more
    step, would land exactly on :math:`s(0)`, which is the value at :math:`t = W`.

    Parameters
    ----------
    schedule : Schedule
        Any schedule of :mod:`descent.schedules` (or any callable ``t -> lr``)
        whose initial rate ``schedule(0)`` is positive.
    warmup_steps : int
        :math:`W \ge 1`.
    start_factor : float, default 1/3
        :math:`f`, in ``(0, 1]``: the first rate is ``start_factor * schedule(0)``. The
        default and the range are those of torch's ``LinearLR``.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``SequentialLR(opt, [LinearLR(opt, start_factor, 1.0, total_iters=W),
    S], milestones=[W])`` with ``S`` the torch scheduler of the wrapped schedule
    (``SequentialLR`` restarts ``S`` at step 0 at the milestone). The ramp is computed
    by :func:`~descent.schedules.linear`, i.e. with torch's ``LinearLR`` recursion, so
    the rates are torch's. One difference: torch's ramp heads for the optimizer's base
    rate (``lr0``, ``base_lr``, or ``max_lr / div_factor`` for ``one_cycle``), not for
    ``S``'s first rate. The two are the same for every schedule here except ``linear``
    with ``start_factor < 1`` and ``one_cycle`` with ``pct_start * total_steps < 1``
    (which starts past its initial rate); wrapped around those, torch's rate jumps at
    the milestone, while this ramp joins the schedule continuously. Goyal et al. (2017) introduced this gradual warmup
    for large mini-batches, ramping over the first 5 epochs.

    A different convention multiplies a ramp onto the schedule running from ``t = 0``
    (torch's ``ChainedScheduler``); then the wrapped schedule's first :math:`W` steps
    are spent under the ramp.
    """
    check.function("schedule", schedule, "a schedule (a callable t -> lr)")
    warmup_steps = check.integer("warmup_steps", warmup_steps, 1)
    start_factor = check.in_range("start_factor", start_factor, 0.0, 1.0, low_open=True)
    try:
        peak = float(schedule(0))
    except (TypeError, ValueError):
        raise TypeError(f"schedule(0) must return a number (a rate); got {schedule(0)!r}") from None
    if not (math.isfinite(peak) and peak > 0):
        raise ValueError(
            "warmup ramps up to the wrapped schedule's initial rate schedule(0), which must "
            f"be > 0; got schedule(0) = {peak!r}"
        )
    ramp = linear(peak, start_factor=start_factor, end_factor=1.0, total_iters=warmup_steps)
    joined = join([ramp, schedule], [warmup_steps])
    params = {"schedule": schedule, "warmup_steps": warmup_steps, "start_factor": start_factor}
    return Schedule("warmup", params, joined, joined.formula)


def inverse_sqrt(lr0, warmup_steps):
    r"""Linear warmup to ``lr0``, then decay proportional to :math:`1/\sqrt{t}`.

    .. math::

        \eta_t = \eta_0 \min\left(\frac{t}{W}, \sqrt{\frac{W}{t}}\right)
               = \begin{cases} \eta_0\, t / W & t \le W \\
                               \eta_0 \sqrt{W / t} & t \ge W \end{cases}

    with :math:`W` = ``warmup_steps``. This is the Transformer schedule of Vaswani et
    al. (2017), :math:`d_{\text{model}}^{-1/2} \min(t^{-1/2}, \, t\, W^{-3/2})`,
    rescaled so that its peak, at :math:`t = W`, is :math:`\eta_0` (the paper's
    :math:`\eta_0` is :math:`(d_{\text{model}} W)^{-1/2}`). It is also exactly fairseq's
    ``inverse_sqrt`` scheduler with ``warmup_init_lr=0``.

    Defining properties: the rate is 0 at :math:`t = 0` (so the first update does
    nothing), grows linearly up to the peak :math:`\eta_W = \eta_0`, and
    :math:`\eta_t \sqrt{t}` is constant for :math:`t \ge W` (quadrupling :math:`t` halves
    the rate).

    Parameters
    ----------
    lr0 : float
        The peak rate :math:`\eta_0 > 0`, reached at ``t = warmup_steps``.
    warmup_steps : int
        :math:`W \ge 1`.

    Returns
    -------
    Schedule

    Notes
    -----
    torch has no such scheduler; ``LambdaLR(opt, lambda t: min(t / W, (W / t) ** 0.5)
    if t else 0.0)`` gives the same rates. The paper counts steps from 1, so its rate
    for the first update is :math:`\eta_0/W`, not 0; here, as in torch, ``t`` counts
    from 0 and the formula is evaluated at ``t`` itself.
    """
    lr0 = check.positive("lr0", lr0)
    warmup_steps = check.integer("warmup_steps", warmup_steps, 1)

    def lr_at(t):
        if t <= warmup_steps:
            return lr0 * t / warmup_steps
        return lr0 * math.sqrt(warmup_steps / t)

    return Schedule("inverse_sqrt", {"lr0": lr0, "warmup_steps": warmup_steps}, lr_at)
