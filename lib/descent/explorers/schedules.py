r"""The learning-rate schedules chapter's explorer: pick a schedule and its hyperparameters, see its rate
and the expected loss it gives on the noisy quadratic.

:class:`ScheduleExplorer` draws, for the chosen schedule, :math:`\eta_t/\eta_0` against the step and the
expected loss :math:`\mathbb{E} f(\theta_t)` computed exactly by
:func:`descent.theory.noisy_quadratic.expected_loss` (no sampling), each next to the constant rate
:math:`\eta_0` and that rate's noise floor. The problem is the chapter's: eigenvalues
:math:`\lambda_i` log-spaced from 0.01 to 1 (20 directions), gradient-noise variances
:math:`\sigma_i^2 = 0.01\,\lambda_i`, start :math:`x_{0,i} = 1`, :math:`T = 1000` steps. Only the
controls of the chosen schedule are shown.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import _validation as check
from .. import schedules
from ..figures import schedule_explorer as figures
from ..theory import noisy_quadratic as theory
from .base import Explorer, float_slider, int_slider, log_slider

__all__ = ["ScheduleExplorer", "EXPLORERS"]


class ScheduleExplorer(Explorer):
    r"""A schedule of :mod:`descent.schedules` on the noisy quadratic, next to the constant rate.

    Controls (always shown): ``schedule``; ``lr``, the peak rate :math:`\eta_0` (log scale, 0.01 to 10;
    the stability limit is :math:`(2 + 2\beta)/L = 2 + 2\beta`); ``warmup``, a linear warmup of
    :math:`W` steps from :math:`0.01\,\eta_0` in front of the schedule (``descent.schedules.warmup``; the
    schedule's own horizon is then :math:`T - W`), which for ``inverse_sqrt`` is its ``warmup_steps``
    (at least 1); ``momentum`` :math:`\beta` (heavy ball, torch's form).

    The schedule's own hyperparameters (shown only for the schedules that use them), with the
    horizon :math:`H` = :attr:`steps` :math:`- W`:

    - ``gamma``: the factor at each drop of ``step_decay`` (every ``period`` steps) and ``multistep``
      (milestones at 30 %, 60 % and 90 % of :math:`H`);
    - ``gamma_step``: ``exponential``'s factor per step;
    - ``decay_rate``: ``inverse_time``'s :math:`k` in :math:`\eta_0/(1 + kt)`;
    - ``power``: ``polynomial``'s power, over :math:`H` steps;
    - ``end_factor``: the final rate over :math:`\eta_0` of ``linear`` (over :math:`H` steps) and the
      ``eta_min`` over :math:`\eta_0` of ``cosine`` (``T_max`` = :math:`H`) and ``cosine_restarts``;
    - ``period``: ``step_decay``'s ``step_size``, ``cosine_restarts``' ``T_0``, ``cyclic``'s
      ``step_size_up``;
    - ``T_mult``: ``cosine_restarts``' cycle growth;
    - ``mode``: ``cyclic``'s mode (between :math:`\eta_0/10` and :math:`\eta_0`; ``exp_range`` with
      :math:`\gamma = 0.997` per step);
    - ``pct_start``, ``three_phase``: ``one_cycle``'s (with ``total_steps`` = :math:`H`).
    """

    width, height, ncols = 10.5, 3.9, 2
    #: The noisy quadratic's eigenvalues (its gradient-noise variances, start and horizon follow)
    eigenvalues = np.geomspace(0.01, 1.0, 20)
    noise = 0.01 * np.geomspace(0.01, 1.0, 20)
    start = 1.0
    steps = 1000
    warmup_start_factor = 0.01

    #: The hyperparameter controls each schedule uses
    USES = {
        "constant": (),
        "step_decay": ("gamma", "period"),
        "multistep": ("gamma",),
        "exponential": ("gamma_step",),
        "inverse_time": ("decay_rate",),
        "polynomial": ("power",),
        "linear": ("end_factor",),
        "cosine": ("end_factor",),
        "cosine_restarts": ("end_factor", "period", "T_mult"),
        "cyclic": ("period", "mode"),
        "one_cycle": ("pct_start", "three_phase"),
        "inverse_sqrt": (),
    }
    ALWAYS = ("schedule", "lr", "warmup", "momentum")

    def make_controls(self):
        return {
            "schedule": widgets.Dropdown(options=list(self.USES), value="cosine", description="schedule",
                                         style={"description_width": "initial"}),
            "lr": log_slider("peak rate η₀", 1.0, 0.01, 10.0),
            "warmup": int_slider("warmup steps W", 0, 0, 300, step=10),
            "momentum": float_slider("momentum β", 0.0, 0.0, 0.95, step=0.05),
            "gamma": float_slider("factor γ per drop", 0.1, 0.05, 0.95, step=0.05),
            "gamma_step": float_slider("factor γ per step", 0.995, 0.99, 0.9999, step=0.0001, readout_format=".4f"),
            "decay_rate": log_slider("k in 1/(1 + kt)", 0.01, 1e-4, 0.1),
            "power": float_slider("power p", 2.0, 0.5, 4.0, step=0.25),
            "end_factor": float_slider("final rate / η₀", 0.0, 0.0, 0.5, step=0.01),
            "period": int_slider("period (steps)", 250, 50, 500, step=50),
            "T_mult": int_slider("T_mult", 1, 1, 3),
            "mode": widgets.Dropdown(options=["triangular", "triangular2", "exp_range"], value="triangular",
                                     description="mode", style={"description_width": "initial"}),
            "pct_start": float_slider("pct_start", 0.3, 0.05, 0.5, step=0.05),
            "three_phase": widgets.Checkbox(value=False, description="three_phase", indent=False),
        }

    def setup(self):
        rate_ax, loss_ax = self.axes
        self.panels = figures.schedule_panels(rate_ax, loss_ax, self.steps)
        self._constant = {}

    def dynamic_artists(self):
        return self.panels.artists

    def schedule_for(self, schedule, lr, warmup, gamma, gamma_step, decay_rate, power, end_factor, period,
                     T_mult, mode, pct_start, three_phase, momentum=None):
        """The :class:`~descent.schedules.Schedule` the controls describe (``momentum`` is not part of it)."""
        s = schedules
        schedule = check.choice("schedule", schedule, tuple(self.USES))
        if schedule == "inverse_sqrt":
            return s.inverse_sqrt(lr, max(1, warmup))
        horizon = self.steps - warmup
        build = {
            "constant": lambda: s.constant(lr),
            "step_decay": lambda: s.step_decay(lr, period, gamma),
            "multistep": lambda: s.multistep(lr, [round(p * horizon) for p in (0.3, 0.6, 0.9)], gamma),
            "exponential": lambda: s.exponential(lr, gamma_step),
            "inverse_time": lambda: s.inverse_time(lr, decay_rate),
            "polynomial": lambda: s.polynomial(lr, horizon, power),
            "linear": lambda: s.linear(lr, 1.0, end_factor, horizon),
            "cosine": lambda: s.cosine(lr, horizon, end_factor * lr),
            "cosine_restarts": lambda: s.cosine_restarts(lr, period, T_mult, end_factor * lr),
            "cyclic": lambda: s.cyclic(lr / 10, lr, period, mode=mode, gamma=0.997),
            "one_cycle": lambda: s.one_cycle(lr, horizon, pct_start=pct_start, three_phase=bool(three_phase)),
        }
        inner = build[schedule]()
        return inner if warmup == 0 else s.warmup(inner, warmup, start_factor=self.warmup_start_factor)

    def bench_context(self, control: str) -> dict:
        """The setting in which ``control`` matters: for a schedule's own hyperparameter, the first
        schedule that uses it (``benchmarks/bench_explorers.py`` times each control there)."""
        for name, uses in self.USES.items():
            if control in uses:
                return {"schedule": name}
        return {}

    def expected_loss(self, schedule, momentum: float = 0.0) -> np.ndarray:
        """The expected loss of ``schedule`` on this explorer's noisy quadratic, t = 0, ..., steps."""
        return theory.expected_loss(schedule, self.eigenvalues, self.noise, self.steps, start=self.start,
                                    momentum=momentum)

    def update(self, schedule, lr, warmup, momentum, **hyperparameters):
        for name, control in self.controls.items():
            shown = name in self.ALWAYS or name in self.USES[schedule]
            control.layout.display = None if shown else "none"
        made = self.schedule_for(schedule, lr, warmup, momentum=momentum, **hyperparameters)
        rates = made(np.arange(self.steps))
        loss = self.expected_loss(rates, momentum)
        key = (lr, momentum)
        if key not in self._constant:
            self._constant = {key: self.expected_loss(schedules.constant(lr), momentum)}
        constant_loss = self._constant[key]
        floor = theory.noise_floor(lr, self.eigenvalues, self.noise, momentum=momentum)
        limit = theory.stability_limit(self.eigenvalues, momentum=momentum)
        self.schedule = made
        self.loss = loss
        self.constant_loss = constant_loss
        label = f"{schedule}" + (f" after {warmup} warmup steps" if warmup and schedule != "inverse_sqrt" else "")
        if not np.isfinite(loss[-1]):
            verdict = f"diverges: the rate stays above the stability limit (2 + 2β)/L = {limit:.3g} too long"
        elif schedule == "constant" and warmup == 0:
            verdict = f"final E f = {loss[-1]:.2e}, at its noise floor {floor:.2e}"
        elif np.isfinite(constant_loss[-1]):
            verdict = (f"final E f = {loss[-1]:.2e}, {constant_loss[-1] / loss[-1]:.3g}× below the constant "
                       f"rate's {constant_loss[-1]:.2e}")
        else:
            verdict = f"final E f = {loss[-1]:.2e}; the constant rate η₀ > {limit:.3g} diverges"
        self.panels.update(lr, rates, loss, constant_loss, floor,
                           f"{label}, η₀ = {lr:.3g}, β = {momentum:.2f}: {verdict}")


EXPLORERS = [ScheduleExplorer]
