r"""Cyclical learning rates (Smith, 2017) and the one-cycle policy (Smith and Topin, 2019)."""

from __future__ import annotations

import math

from .. import _validation as check
from ._base import Schedule

CYCLIC_MODES = ("triangular", "triangular2", "exp_range")
ANNEAL_STRATEGIES = ("cos", "linear")


def cyclic(base_lr, max_lr, step_size_up=2000, step_size_down=None, mode="triangular", gamma=1.0):
    r"""Cyclical learning rate: rise linearly to ``max_lr``, fall back, repeat.

    A cycle is ``step_size_up`` steps up plus ``step_size_down`` steps down. With
    :math:`L = u + d` the cycle length, :math:`c = \lfloor 1 + t/L \rfloor` the cycle
    number (from 1) and :math:`x = 1 + t/L - c \in [0, 1)` the position in the cycle,

    .. math::

        h(x) = \begin{cases} x / r & x \le r \\ (x - 1)/(r - 1) & x > r \end{cases},
        \qquad r = u / L,

        \eta_t = \eta_{\text{base}} + (\eta_{\max} - \eta_{\text{base}}) \, h(x) \, a_t

    where the amplitude scale :math:`a_t` is 1 for ``"triangular"``,
    :math:`2^{-(c-1)}` for ``"triangular2"`` (halved every cycle) and :math:`\gamma^t`
    for ``"exp_range"``. The rate stays within ``[base_lr, max_lr]`` (the top of a
    cycle can land one unit in the last place above ``max_lr`` by rounding, as in
    torch).

    Parameters
    ----------
    base_lr : float
        Lower boundary, ``> 0``; the rate at ``t = 0`` and at the start of every cycle.
    max_lr : float
        Upper boundary, ``>= base_lr``; reached at the top of the first cycle.
    step_size_up : int, default 2000
        Steps in the rising half, ``>= 1``.
    step_size_down : int or None, default None
        Steps in the falling half, ``>= 1``; ``None`` means ``step_size_up``.
    mode : {"triangular", "triangular2", "exp_range"}, default "triangular"
        How the amplitude shrinks from cycle to cycle.
    gamma : float, default 1.0
        Per-step amplitude factor of ``"exp_range"``, in ``(0, 1]`` (ignored by the
        other modes, but still checked).

    Returns
    -------
    Schedule

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.CyclicLR(opt, base_lr, max_lr, step_size_up,
    step_size_down, mode, gamma, cycle_momentum=False)``. This function evaluates the
    same expressions as torch's ``get_lr`` in the same order. torch also cycles the
    momentum (or Adam's :math:`\beta_1`) inversely to the rate between
    ``base_momentum`` and ``max_momentum`` when ``cycle_momentum=True`` (its default);
    this function gives only the rate. The paper's policy is the
    same triangle; ``step_size_down`` (asymmetric cycles) and the exact form of the
    ``exp_range`` decay follow torch and the ``bckenstler/CLR`` code it adapts.
    torch's custom ``scale_fn`` and ``scale_mode`` are not offered.
    """
    base_lr = check.positive("base_lr", base_lr)
    max_lr = check.real("max_lr", max_lr)
    if max_lr < base_lr:
        raise ValueError(f"max_lr must be >= base_lr ({base_lr!r}); got {max_lr!r}")
    step_size_up = check.integer("step_size_up", step_size_up, 1)
    if step_size_down is not None:
        step_size_down = check.integer("step_size_down", step_size_down, 1)
    mode = check.choice("mode", mode, CYCLIC_MODES)
    gamma = check.in_range("gamma", gamma, 0.0, 1.0, low_open=True)

    up = float(step_size_up)
    down = float(step_size_down) if step_size_down is not None else up
    total_size = up + down
    step_ratio = up / total_size

    def amplitude_scale(cycle, t):
        if mode == "triangular":
            return 1.0
        if mode == "triangular2":
            return 1 / (2.0 ** (cycle - 1))
        return gamma**t

    def lr_at(t):
        cycle = math.floor(1 + t / total_size)
        x = 1.0 + t / total_size - cycle
        if x <= step_ratio:
            scale_factor = x / step_ratio
        else:
            scale_factor = (x - 1) / (step_ratio - 1)
        base_height = (max_lr - base_lr) * scale_factor
        return base_lr + base_height * amplitude_scale(cycle, t)

    params = {
        "base_lr": base_lr,
        "max_lr": max_lr,
        "step_size_up": step_size_up,
        "step_size_down": step_size_down,
        "mode": mode,
        "gamma": gamma,
    }
    return Schedule("cyclic", params, lr_at)


def _anneal_cos(start, end, pct):
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start, end, pct):
    return (end - start) * pct + start


def one_cycle(
    max_lr,
    total_steps,
    pct_start=0.3,
    anneal_strategy="cos",
    div_factor=25.0,
    final_div_factor=1e4,
    three_phase=False,
):
    r"""The one-cycle policy: warm up to ``max_lr``, then anneal far below the start.

    With :math:`\eta_{\text{init}} = \eta_{\max} / \text{div\_factor}` and
    :math:`\eta_{\text{final}} = \eta_{\text{init}} / \text{final\_div\_factor}`, the
    rate moves through phases, each an interpolation
    :math:`\text{anneal}(a, b, p)` from :math:`a` to :math:`b` as :math:`p` goes from 0
    to 1:

    .. math::

        \text{cos:}\quad b + \tfrac12 (a - b)(1 + \cos \pi p), \qquad
        \text{linear:}\quad a + (b - a)\, p.

    Two phases (default): :math:`\eta_{\text{init}} \to \eta_{\max}` for
    :math:`0 \le t \le e_1`, then :math:`\eta_{\max} \to \eta_{\text{final}}` up to
    :math:`t = N - 1`, where :math:`N` = ``total_steps`` and
    :math:`e_1 = \text{pct\_start} \cdot N - 1` (a float, exactly as torch computes it).
    With ``three_phase=True``: :math:`\eta_{\text{init}} \to \eta_{\max}` up to
    :math:`e_1`, back down to :math:`\eta_{\text{init}}` up to :math:`e_2 = 2\,
    \text{pct\_start} \cdot N - 2`, then :math:`\eta_{\text{init}} \to
    \eta_{\text{final}}` up to :math:`N - 1`. Within a phase from :math:`e_a` to
    :math:`e_b`, :math:`p = (t - e_a)/(e_b - e_a)`.

    The peak :math:`\eta_{\max}` is reached at :math:`t = e_1` when that is an integer
    (for example ``pct_start=0.3, total_steps=100`` peaks at ``t=29``), otherwise at
    one of its neighbours.

    Parameters
    ----------
    max_lr : float
        The peak rate, ``> 0``.
    total_steps : int
        :math:`N`, the number of steps in the cycle, ``>= 1``.
    pct_start : float, default 0.3
        Fraction of the cycle spent warming up, in ``[0, 1]`` (``[0, 0.5]`` with
        ``three_phase``, whose first two phases take ``2 * pct_start`` of the cycle).
        ``pct_start * total_steps == 1`` is refused: the warm-up phase would last zero
        steps and torch divides by zero at ``t = 0``.
    anneal_strategy : {"cos", "linear"}, default "cos"
    div_factor : float, default 25.0
        :math:`\eta_{\text{init}} = \eta_{\max}/\text{div\_factor}`, ``>= 1``.
    final_div_factor : float, default 1e4
        :math:`\eta_{\text{final}} = \eta_{\text{init}}/\text{final\_div\_factor}`,
        ``>= 1``.
    three_phase : bool, default False
        Use the paper's three phases instead of torch's (fastai's) default two.

    Returns
    -------
    Schedule
        Defined for ``0 <= t <= total_steps``. Calling it with ``t > total_steps``
        raises ``ValueError``, as torch raises when stepped more than ``total_steps``
        times. ``t = total_steps`` is allowed, as in torch, but extrapolates past the
        end of the last phase (with ``"linear"`` it can even be negative): a training
        run of ``total_steps`` steps uses ``t = 0, ..., total_steps - 1``.

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.OneCycleLR(opt, max_lr, total_steps, pct_start=...,
    anneal_strategy=..., div_factor=..., final_div_factor=..., three_phase=...,
    cycle_momentum=False)``; this function evaluates the same expressions in the same
    order. torch also cycles the momentum (or Adam's :math:`\beta_1`) inversely to the
    rate, between ``max_momentum=0.95`` and ``base_momentum=0.85``, when
    ``cycle_momentum=True`` (its default); this function gives only the rate.

    Smith and Topin's super-convergence paper uses three phases: a linear rise, a
    symmetric linear fall, and a short final annihilation. torch's default (two phases,
    cosine) follows fastai's implementation instead; ``three_phase=True,
    anneal_strategy="linear"`` is closest to the paper.
    """
    max_lr = check.positive("max_lr", max_lr)
    total_steps = check.integer("total_steps", total_steps, 1)
    pct_start = check.in_range("pct_start", pct_start, 0.0, 1.0)
    anneal_strategy = check.choice("anneal_strategy", anneal_strategy, ANNEAL_STRATEGIES)
    div_factor = check.in_range("div_factor", div_factor, 1.0, math.inf)
    final_div_factor = check.in_range("final_div_factor", final_div_factor, 1.0, math.inf)
    three_phase = check.flag("three_phase", three_phase)
    if three_phase and pct_start > 0.5:
        raise ValueError(
            "pct_start must be in [0, 0.5] when three_phase=True (the rise and the "
            f"symmetric fall take 2 * pct_start of the cycle); got {pct_start!r}"
        )
    if float(pct_start * total_steps) - 1 == 0:
        raise ValueError(
            "pct_start * total_steps must not equal 1: the warm-up phase would last zero "
            f"steps (torch divides by zero at t = 0); got pct_start={pct_start!r}, "
            f"total_steps={total_steps!r}"
        )

    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    end_1 = float(pct_start * total_steps) - 1
    if three_phase:
        phases = [
            (end_1, initial_lr, max_lr),
            (float(2 * pct_start * total_steps) - 2, max_lr, initial_lr),
            (total_steps - 1, initial_lr, min_lr),
        ]
    else:
        phases = [(end_1, initial_lr, max_lr), (total_steps - 1, max_lr, min_lr)]
    anneal = _anneal_cos if anneal_strategy == "cos" else _anneal_linear

    def lr_at(t):
        if t > total_steps:
            raise ValueError(
                f"one_cycle is defined for t <= total_steps ({total_steps}); got t={t} "
                "(torch raises too when stepped more than total_steps times)"
            )
        start_step = 0.0
        for i, (end_step, start_lr, end_lr) in enumerate(phases):
            if t <= end_step or i == len(phases) - 1:
                if end_step == start_step:
                    raise ValueError(
                        f"one_cycle with pct_start={pct_start!r} has a final phase of zero "
                        f"steps, so t={t} is undefined (torch divides by zero here)"
                    )
                pct = (t - start_step) / (end_step - start_step)
                return anneal(start_lr, end_lr, pct)
            start_step = end_step

    params = {
        "max_lr": max_lr,
        "total_steps": total_steps,
        "pct_start": pct_start,
        "anneal_strategy": anneal_strategy,
        "div_factor": div_factor,
        "final_div_factor": final_div_factor,
        "three_phase": three_phase,
    }
    return Schedule("one_cycle", params, lr_at)
