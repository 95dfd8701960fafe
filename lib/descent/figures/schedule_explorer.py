r"""The two panels the schedules chapter's explorer (:class:`descent.explorers.schedules.ScheduleExplorer`)
draws into: the rate relative to its peak, and the expected loss on the noisy quadratic, each next to the
constant rate. :func:`schedule_panels` sets them up once; :meth:`ScheduleArtists.update` redraws the data in
place, so that a redraw only changes artists (and blits). :func:`schedule_multiples` is the explorer's static
counterpart: the same picture for every schedule, one small panel each.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
from .. import plots

__all__ = ["ScheduleArtists", "schedule_panels", "schedule_multiples", "LOSS_LIMITS"]

#: The loss panel's fixed range in :func:`schedule_panels` (explorers redraw without rescaling).
LOSS_LIMITS = (1e-5, 1e2)


class ScheduleArtists:
    """The curves of :func:`schedule_panels`; ``update`` redraws them in place.

    Attributes
    ----------
    rate, constant_rate : matplotlib.lines.Line2D
        :math:`\\eta_t/\\eta_0` of the schedule, and of the constant rate (1).
    loss, constant_loss, floor, flag : matplotlib.lines.Line2D
        The expected losses, the constant rate's noise floor, and a cross where a loss leaves the panel.
    status : matplotlib.text.Text
    """

    def __init__(self, rate_ax, loss_ax, steps: int):
        self.steps = steps
        self.constant_rate, = rate_ax.plot([0, steps], [1, 1], "--", color="#777777", lw=1.3, label="constant")
        self.rate, = rate_ax.plot([], [], "-", color=plots.COLORS[0], label="schedule")
        self.constant_loss, = loss_ax.plot([], [], "--", color="#777777", lw=1.3, label="constant rate $\\eta_0$")
        self.floor, = loss_ax.plot([], [], ":", color="black", lw=1.5, label="its noise floor")
        self.loss, = loss_ax.plot([], [], "-", color=plots.COLORS[0], label="schedule")
        self.flag, = loss_ax.plot([], [], "X", color=plots.DIVERGED_COLOR, mec="black", mew=0.8, ms=12, zorder=6)
        rate_ax.set_title(" ", fontsize=9.5)  # room for the status line, which is left out of the layout
        self.status = rate_ax.text(0.0, 1.015, "", transform=rate_ax.transAxes, ha="left", va="bottom",
                                   fontsize=9.5)
        self.status.set_in_layout(False)

    @property
    def artists(self) -> list:
        return [self.rate, self.constant_loss, self.floor, self.loss, self.flag, self.status]

    def update(self, peak: float, rates, loss, constant_loss, floor: float, status: str) -> None:
        """Draw ``rates`` (divided by ``peak``) and the losses (clipped to :data:`LOSS_LIMITS`; a loss that
        leaves the panel ends in a cross)."""
        low, top = LOSS_LIMITS
        rates = np.asarray(rates, dtype=float)
        self.rate.set_data(np.arange(rates.size), rates / peak)
        t = np.arange(self.steps + 1)
        crossed = []
        for line, values in ((self.loss, loss), (self.constant_loss, constant_loss)):
            values = np.asarray(values, dtype=float)
            over = ~(values <= top)
            end = int(np.argmax(over)) if over.any() else values.size
            shown = np.clip(values[: end + 1], low, top)
            line.set_data(t[: shown.size], shown)
            if over.any():
                crossed.append(end)
        self.flag.set_data(crossed, [top] * len(crossed))
        if np.isfinite(floor) and floor <= top:
            self.floor.set_data([0, self.steps], [max(floor, low)] * 2)
        else:
            self.floor.set_data([], [])
        self.status.set_text(status)


def schedule_panels(rate_ax, loss_ax, steps: int) -> ScheduleArtists:
    r"""Set up the two panels of the schedule explorer: :math:`\eta_t/\eta_0` against the step, and the
    expected loss on the noisy quadratic (log scale, fixed range :data:`LOSS_LIMITS`), each with the
    constant rate :math:`\eta_0` for comparison.

    Parameters
    ----------
    rate_ax, loss_ax : matplotlib.axes.Axes
    steps : int
        The horizon :math:`T`.

    Returns
    -------
    ScheduleArtists
        Empty until its ``update`` is called.
    """
    steps = check.integer("steps", steps, 1)
    artists = ScheduleArtists(rate_ax, loss_ax, steps)
    rate_ax.set_xlim(0, steps)
    rate_ax.set_ylim(0, 1.08)
    rate_ax.set_xlabel("step $t$")
    rate_ax.set_ylabel(r"rate relative to the peak, $\eta_t/\eta_0$")
    rate_ax.legend(loc="lower left", fontsize=8)
    loss_ax.set_yscale("log")
    loss_ax.set_xlim(0, steps)
    loss_ax.set_ylim(*LOSS_LIMITS)
    loss_ax.set_xlabel("step $t$")
    loss_ax.set_ylabel(r"expected loss $\mathbb{E}\,f(\theta_t)$")
    loss_ax.legend(loc="lower left", fontsize=8)
    return artists


def schedule_multiples(frames: dict, constant_loss, floor: float, ncols: int = 4, managed: bool = True):
    r"""The explorer's picture for several schedules at once, without a kernel: one small panel per schedule.

    Each panel draws the expected loss of the schedule (solid), of the constant rate :math:`\eta_0` (dashed)
    and that rate's noise floor (dotted) on a log scale, and the schedule's :math:`\eta_t/\eta_0` (thin, on
    the right-hand axis, from 0 to 1). The panel's title names the schedule and how far below the constant
    rate it ends.

    Parameters
    ----------
    frames : dict
        ``schedule name -> (rates relative to the peak, expected loss)``, the rates for
        :math:`t = 0, \dots, T-1` and the losses for :math:`t = 0, \dots, T`.
    constant_loss : array_like
        The constant rate's expected loss, :math:`t = 0, \dots, T`.
    floor : float
        Its noise floor.
    ncols : int, default 4
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    from .. import animation

    if not isinstance(frames, dict) or not frames:
        raise ValueError("frames must be a non-empty dict: schedule name -> (rates, losses)")
    constant_loss = np.asarray(constant_loss, dtype=float)
    low, top = LOSS_LIMITS

    def draw(ax, name):
        rates, loss = (np.asarray(v, dtype=float) for v in frames[name])
        if loss.shape != constant_loss.shape:
            raise ValueError(f"frames[{name!r}] has {loss.size} losses; the constant rate has {constant_loss.size}")
        t = np.arange(loss.size)
        ax.plot(t, np.clip(constant_loss, low, top), "--", color="#777777", lw=1.1)
        ax.axhline(min(max(floor, low), top), color="black", ls=":", lw=1.1)
        ax.plot(t, np.where(loss <= top, np.clip(loss, low, top), np.nan), "-", color=plots.COLORS[0], lw=1.5)
        ax.set_yscale("log")
        ax.set_ylim(low, top)
        ax.set_xlim(0, loss.size - 1)
        ax.set_xlabel("step $t$")
        ax.set_ylabel(r"$\mathbb{E}\,f(\theta_t)$")
        rate_ax = ax.twinx()
        rate_ax.plot(np.arange(rates.size), rates, "-", color=plots.COLORS[1], lw=0.9, alpha=0.8)
        rate_ax.set_ylim(0, 1.05)
        rate_ax.set_yticks([0, 1])
        rate_ax.tick_params(labelsize=8, colors=plots.COLORS[1])
        rate_ax.grid(False)
        end = loss[-1]
        if not np.isfinite(end):
            verdict = "diverges"
        elif np.array_equal(loss, constant_loss):
            verdict = "the constant rate itself"
        else:
            verdict = f"{constant_loss[-1] / end:.3g}× below"
        ax.set_title(f"{name}: {verdict}", fontsize=9.5)

    fig, axes = animation.small_multiples(draw, list(frames), ncols=ncols, panel_width=2.6, panel_height=2.2,
                                          sharex=True, sharey=True, managed=managed)
    return fig, axes
