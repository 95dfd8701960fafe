r"""The panel of the range-test explorer (:class:`descent.explorers.tuning.RangeTestExplorer`) and of its static
counterpart: one learning-rate range test on a quadratic, its rates in units of the stability limit :math:`2/L`.

:func:`range_test_panel` sets an axis up once (log axes with a fixed window, the marks of :math:`1/L` and
:math:`2/L`); :meth:`RangeTestArtists.show` then draws a :class:`descent.training.RangeTest` in place, so that
an explorer's redraw only changes data. :func:`describe` is the one-line reading of a result.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FixedFormatter, FixedLocator, FormatStrFormatter, NullLocator

from .. import _validation as check
from .. import plots

__all__ = ["RangeTestArtists", "range_test_panel", "describe", "RATE_WINDOW"]

#: The x range of the panel, in units of :math:`2/L`.
RATE_WINDOW = (1e-5, 2e2)


def describe(result, limit) -> str:
    """One short line: where a range test stopped, had its smallest smoothed loss and put its suggestion, in
    units of ``limit`` (short, because text is the costliest thing an explorer redraws)."""
    limit = check.positive("limit", limit)
    stop = f"stop {result.divergence_lr / limit:.2f}" if result.diverged else "no stop"
    return f"{stop}, minimum {result.min_lr / limit:.2f}, suggestion {result.suggestion / limit:.2g}  (× 2/L)"


class RangeTestArtists:
    """The artists of :func:`range_test_panel`; :meth:`show` redraws them for one result.

    Attributes
    ----------
    raw, smoothed : matplotlib.lines.Line2D
        The loss after each step and its bias-corrected average.
    minimum, stop : matplotlib.lines.Line2D
        The smallest smoothed loss (a dot) and the point where the sweep stopped (a cross).
    suggestion : matplotlib.lines.Line2D
        A vertical line at the suggested rate.
    status : matplotlib.text.Text
        The title line (:func:`describe`).
    """

    def __init__(self, ax, loss_limits):
        low, high = loss_limits
        self.ax = ax
        self.loss_limits = (low, high)
        for x, text, side in ((0.5, "1/L", "right"), (1.0, "2/L", "left")):
            ax.axvline(x, color=plots.DIVERGED_COLOR if x == 1.0 else "#777777", ls=":", lw=1.4)
            ax.text(x * (1.1 if side == "left" else 0.9), high / 1.15, text, color="#555555", fontsize=8.5,
                    va="top", ha=side)
        self.raw, = ax.plot([], [], color=plots.COLORS[5], lw=0.8, alpha=0.85, label="loss after the step")
        self.smoothed, = ax.plot([], [], color=plots.COLORS[0], lw=1.8, label="smoothed")
        self.suggestion = ax.axvline(1.0, color=plots.COLORS[2], ls="--", lw=1.3, label="suggestion")
        self.minimum, = ax.plot([], [], "o", color=plots.COLORS[2], mec="black", mew=0.6, ms=7,
                                label="smallest smoothed loss")
        self.stop, = ax.plot([], [], "X", color=plots.DIVERGED_COLOR, mec="black", mew=0.6, ms=10, zorder=5,
                             label="stopped")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*RATE_WINDOW)
        # plain-text tick labels (mathtext ones cost more to draw than the curves)
        ax.xaxis.set_major_locator(FixedLocator([1e-4, 1e-2, 1.0, 1e2]))
        ax.xaxis.set_major_formatter(FixedFormatter(["10⁻⁴", "10⁻²", "1", "100"]))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_ylim(low, high)
        ticks = [v for v in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
                 if low <= v <= high]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_xlabel(r"learning rate $\eta$ / (2/L)  (log scale)")
        ax.set_ylabel("training loss")
        ax.legend(loc="lower left", fontsize=8)
        ax.set_title(" ", fontsize=9)  # room for the status line, which is left out of the layout
        self.status = ax.text(0.0, 1.02, "", transform=ax.transAxes, ha="left", va="bottom", fontsize=8.5)
        self.status.set_in_layout(False)

    @property
    def artists(self) -> list:
        """What :meth:`show` changes (for blitting)."""
        return [self.raw, self.smoothed, self.suggestion, self.minimum, self.stop, self.status]

    def show(self, result, limit, status=True) -> None:
        """Draw ``result`` (a :class:`~descent.training.RangeTest`) with its rates divided by ``limit`` (= 2/L).

        Losses are clipped to the panel's window, so a last step that blew up ends at its top edge.
        """
        limit = check.positive("limit", limit)
        low, high = self.loss_limits
        x = np.asarray(result.lrs) / limit
        with np.errstate(invalid="ignore"):
            self.raw.set_data(x, np.clip(np.where(np.isfinite(result.losses), result.losses, high), low, high))
            self.smoothed.set_data(x, np.clip(np.where(np.isfinite(result.smoothed), result.smoothed, high), low, high))
        self.minimum.set_data([result.min_lr / limit], [np.clip(result.smoothed[result.min_index], low, high)])
        self.suggestion.set_xdata([result.suggestion / limit] * 2)
        if result.diverged:
            last = result.smoothed[-1]
            self.stop.set_data([x[-1]], [np.clip(last if np.isfinite(last) else high, low, high)])
        else:
            self.stop.set_data([], [])
        self.status.set_text(describe(result, limit) if status else "")


def range_test_panel(ax, loss_limits=(0.15, 5.0)) -> RangeTestArtists:
    """Set ``ax`` up for range tests on a quadratic (rates in units of 2/L, log axes, a fixed window).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    loss_limits : (float, float)
        The y range (log scale), fixed so that redraws do not rescale.

    Returns
    -------
    RangeTestArtists
    """
    try:
        low, high = (check.positive("loss_limits", value) for value in loss_limits)
    except TypeError:
        raise ValueError(f"loss_limits must be two numbers (low, high), got {loss_limits!r}") from None
    if not low < high:
        raise ValueError(f"loss_limits must have low < high, got {loss_limits!r}")
    return RangeTestArtists(ax, (low, high))
