r"""Schedules that only ever decay (or hold) the rate.

``constant``, ``step_decay``, ``multistep``, ``exponential``, ``inverse_time``,
``polynomial`` and ``linear``. Each returns a :class:`~descent.schedules.Schedule`
``s`` with ``s(t)`` the rate for step ``t`` (``t = 0`` is the initial rate), equal to
torch's ``scheduler.get_last_lr()[0]`` after ``t`` calls of ``scheduler.step()``.
"""

from __future__ import annotations

from bisect import bisect_right

from .. import _validation as check
from ._base import Recurrence, Schedule


def constant(lr0):
    r"""The same rate at every step.

    .. math::

        \eta_t = \eta_0

    Parameters
    ----------
    lr0 : float
        The rate :math:`\eta_0 > 0`.

    Returns
    -------
    Schedule
        ``s(t) == lr0`` for every ``t``.

    Notes
    -----
    torch has no scheduler for this (an optimizer without a scheduler is constant);
    ``torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1.0)`` is the same thing.
    """
    lr0 = check.positive("lr0", lr0)

    def lr_at(t):
        return lr0

    return Schedule("constant", {"lr0": lr0}, lr_at)


def step_decay(lr0, step_size, gamma=0.1):
    r"""Multiply the rate by ``gamma`` every ``step_size`` steps.

    .. math::

        \eta_t = \eta_0 \, \gamma^{\lfloor t / \text{step\_size} \rfloor}

    The classic ResNet recipe divides the rate by 10 at fixed epochs.

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    step_size : int
        Steps between two decays, ``>= 1``.
    gamma : float, default 0.1
        Factor applied at each decay, ``> 0`` (``gamma < 1`` decays).

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.StepLR(opt, step_size, gamma)``. torch multiplies
    the previous rate by ``gamma`` at each multiple of ``step_size``; the closed form
    above agrees with that repeated product to about ``1e-15`` relative.
    """
    lr0 = check.positive("lr0", lr0)
    step_size = check.integer("step_size", step_size, 1)
    gamma = check.positive("gamma", gamma)

    def lr_at(t):
        return lr0 * gamma ** (t // step_size)

    return Schedule("step_decay", {"lr0": lr0, "step_size": step_size, "gamma": gamma}, lr_at)


def multistep(lr0, milestones, gamma=0.1):
    r"""Multiply the rate by ``gamma`` at each milestone step.

    .. math::

        \eta_t = \eta_0 \, \gamma^{\#\{i \,:\, m_i \le t\}}

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    milestones : sequence of int
        Steps :math:`m_1 < m_2 < \dots` at which the rate is multiplied by
        ``gamma``: positive integers in strictly increasing order.  An empty list
        gives a constant rate.
    gamma : float, default 0.1
        Factor applied at each milestone, ``> 0``.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.MultiStepLR(opt, milestones, gamma)``. torch
    accepts the milestones in any order and with repeats (it counts them: a
    milestone listed twice applies ``gamma`` twice, once per repeat); here a list
    out of order or with a repeat is refused, since it is more often a typo than an
    intention (write ``gamma**2`` for a double drop).  torch multiplies the
    previous rate by ``gamma`` at each milestone; the closed form agrees with that
    product to about ``1e-15`` relative.
    """
    lr0 = check.positive("lr0", lr0)
    gamma = check.positive("gamma", gamma)
    if isinstance(milestones, (str, bytes)) or not hasattr(milestones, "__iter__"):
        raise TypeError(f"milestones must be a sequence of positive integers; got {milestones!r}")
    milestones = [check.integer("milestones[%d]" % i, m, 1) for i, m in enumerate(milestones)]
    for i in range(1, len(milestones)):
        if milestones[i] <= milestones[i - 1]:
            raise ValueError(f"milestones must be strictly increasing (no repeats); got {milestones!r}")

    def lr_at(t):
        return lr0 * gamma ** bisect_right(milestones, t)

    return Schedule("multistep", {"lr0": lr0, "milestones": list(milestones), "gamma": gamma}, lr_at)


def exponential(lr0, gamma):
    r"""Multiply the rate by ``gamma`` at every step.

    .. math::

        \eta_t = \eta_0 \, \gamma^{t}

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    gamma : float
        Factor per step, ``> 0``. ``gamma < 1`` decays; ``gamma > 1`` grows the rate,
        as an LR range test does.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.ExponentialLR(opt, gamma)``. torch multiplies the
    previous rate by ``gamma`` at each step; the closed form agrees with that product to
    about ``t * 1e-16`` relative (``1e-14`` after 20,000 steps).
    """
    lr0 = check.positive("lr0", lr0)
    gamma = check.positive("gamma", gamma)

    def lr_at(t):
        return lr0 * gamma**t

    return Schedule("exponential", {"lr0": lr0, "gamma": gamma}, lr_at)


def inverse_time(lr0, decay_rate, decay_steps=1, staircase=False):
    r"""Inverse-time decay: the rate falls like :math:`1/t`.

    .. math::

        \eta_t = \frac{\eta_0}{1 + k \, t / T},
        \qquad\text{or with staircase}\qquad
        \eta_t = \frac{\eta_0}{1 + k \lfloor t / T \rfloor}

    with :math:`k` = ``decay_rate`` and :math:`T` = ``decay_steps``. A decay with
    :math:`\sum_t \eta_t = \infty` and :math:`\sum_t \eta_t^2 < \infty`, the conditions
    of Robbins and Monro (1951) under which SGD converges.

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    decay_rate : float
        :math:`k \ge 0`; ``0`` gives a constant rate.
    decay_steps : float, default 1
        :math:`T > 0`, the step count over which the denominator grows by ``decay_rate``.
    staircase : bool, default False
        Use the floored ratio :math:`\lfloor t/T \rfloor`, so the rate changes only every
        ``decay_steps`` steps.

    Returns
    -------
    Schedule

    Notes
    -----
    torch has no such scheduler; ``LambdaLR(opt, lambda t: 1 / (1 + k * t / T))``
    gives the same rates. This is exactly Keras'
    ``keras.optimizers.schedules.InverseTimeDecay(lr0, decay_steps, decay_rate,
    staircase)``, computed in the same order.
    """
    lr0 = check.positive("lr0", lr0)
    decay_rate = check.non_negative("decay_rate", decay_rate)
    given_integer = isinstance(decay_steps, int) and not isinstance(decay_steps, bool)
    decay_steps = check.positive("decay_steps", decay_steps)
    if given_integer:
        decay_steps = int(decay_steps)  # shown as given: inverse_time(..., decay_steps=4, ...)
    staircase = check.flag("staircase", staircase)

    def lr_at(t):
        p = t / decay_steps
        if staircase:
            p = float(int(p))
        return lr0 / (1 + decay_rate * p)

    params = {"lr0": lr0, "decay_rate": decay_rate, "decay_steps": decay_steps, "staircase": staircase}
    return Schedule("inverse_time", params, lr_at)


def polynomial(lr0, total_iters=5, power=1.0):
    r"""Polynomial decay to zero over ``total_iters`` steps, then zero.

    .. math::

        \eta_t = \eta_0 \left(1 - \frac{\min(t, T)}{T}\right)^{p}

    with :math:`T` = ``total_iters`` and :math:`p` = ``power`` (``power=1`` is a
    straight line to zero).

    Parameters
    ----------
    lr0 : float
        Initial rate :math:`\eta_0 > 0`.
    total_iters : int, default 5
        Steps to reach zero, ``>= 1``.
    power : float, default 1.0
        Exponent :math:`p > 0`.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.PolynomialLR(opt, total_iters, power)``. torch does
    not evaluate the formula; it multiplies the previous rate by
    :math:`\big((1 - t/T) / (1 - (t-1)/T)\big)^p` at each step up to :math:`T` and then
    leaves it alone. This function replays that recursion, so it returns torch's numbers
    exactly; ``s.formula(t)`` evaluates the formula above, and the two agree to rounding
    (:math:`2\,t\,\varepsilon\,\eta_0`).
    """
    lr0 = check.positive("lr0", lr0)
    total_iters = check.integer("total_iters", total_iters, 1)
    power = check.positive("power", power)

    def update(lr, t):  # torch's recurrence
        return lr * ((1.0 - t / total_iters) / (1.0 - (t - 1) / total_iters)) ** power

    def formula(t):  # the closed form it follows
        return lr0 * (1.0 - min(t, total_iters) / total_iters) ** power

    lr_at = Recurrence(lr0, update, last=total_iters)
    return Schedule("polynomial", {"lr0": lr0, "total_iters": total_iters, "power": power}, lr_at, formula)


def linear(lr0, start_factor=1.0 / 3, end_factor=1.0, total_iters=5):
    r"""Change the rate linearly from ``start_factor * lr0`` to ``end_factor * lr0``.

    .. math::

        \eta_t = \eta_0 \left(s + (e - s) \frac{\min(t, T)}{T}\right)

    with :math:`s` = ``start_factor``, :math:`e` = ``end_factor`` and :math:`T` =
    ``total_iters``; constant after step :math:`T`. With ``start_factor < end_factor``
    it is a linear warmup, with ``start_factor=1, end_factor=0`` a linear decay to zero.

    Parameters
    ----------
    lr0 : float
        The base rate :math:`\eta_0 > 0` (the factors multiply it).
    start_factor : float, default 1/3
        :math:`s`, in ``(0, 1]`` (torch's range).
    end_factor : float, default 1.0
        :math:`e`, in ``[0, 1]`` (torch's range).
    total_iters : int, default 5
        Steps to go from :math:`s` to :math:`e`, ``>= 1``.

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.LinearLR(opt, start_factor, end_factor,
    total_iters)``. torch does not evaluate the formula: it multiplies the previous rate
    by :math:`1 + (e - s) / (T s + (t - 1)(e - s))` at each step up to :math:`T`. This
    function replays that recursion and so returns torch's numbers exactly; ``s.formula(t)``
    evaluates the formula above, and the two agree to rounding (:math:`2\,t\,\varepsilon\,\eta_0`):
    at the end of a decay to zero torch can be left with a residue such as ``6e-21`` instead
    of ``0``.
    """
    lr0 = check.positive("lr0", lr0)
    start_factor = check.in_range("start_factor", start_factor, 0.0, 1.0, low_open=True)
    end_factor = check.in_range("end_factor", end_factor, 0.0, 1.0)
    total_iters = check.integer("total_iters", total_iters, 1)
    slope = end_factor - start_factor

    def update(lr, t):  # torch's recurrence
        return lr * (1.0 + slope / (total_iters * start_factor + (t - 1) * slope))

    def formula(t):  # the closed form it follows
        return lr0 * (start_factor + slope * min(t, total_iters) / total_iters)

    lr_at = Recurrence(lr0 * start_factor, update, last=total_iters)
    params = {"lr0": lr0, "start_factor": start_factor, "end_factor": end_factor, "total_iters": total_iters}
    return Schedule("linear", params, lr_at, formula)
