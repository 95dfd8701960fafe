r"""The case study's explorer: scrub through the epochs of the finished runs.

:class:`EpochRace` takes the runs of a comparison (one :class:`~descent.training.comparison.Run`
per optimizer, for each schedule) and shows them at the epoch the slider picks:

- left, the validation loss of every optimizer against the epoch (the mean over the seeds),
  drawn in full but faint, and bold up to the chosen epoch, with a dot there;
- right, the validation accuracy at that epoch: one row per optimizer, the mean of the seeds
  (a dot) and their range (a bar).

Nothing is trained when a control moves: the runs were made before, so a redraw only moves
lines. A run that stopped early keeps the value of its last epoch (the parameters it delivers
are those of its best epoch; see :func:`descent.figures.case_study.curves`).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..figures import case_study as figures
from .base import Explorer, int_slider

__all__ = ["EpochRace", "EXPLORERS", "default_runs"]


def default_runs():
    """A small comparison for a stand-alone explorer: three optimizers on the digits, 8 epochs, two seeds,
    a constant rate and cosine decay (about a second of training)."""
    from ..data import load
    from ..training.comparison import Protocol, Setting, run_settings

    protocol = Protocol(epochs=8, batch_size=64, patience=None, seeds=(0, 1))
    rates = {"SGD": 0.3, "Momentum": 0.1, "Adam": 0.01}
    runs = {}
    for schedule in ("constant", "cosine"):
        runs[schedule] = run_settings([Setting(name, lr, schedule) for name, lr in rates.items()], protocol,
                                      load("digits"), workers=1)
    return runs


class EpochRace(Explorer):
    """Pick an epoch and a schedule; see every optimizer's validation loss up to it and its accuracy there.

    Parameters
    ----------
    runs : dict, optional
        Schedule name -> list of :class:`~descent.training.comparison.Run`, one per optimizer, the
        same optimizers in the same order for every schedule. Default: :func:`default_runs`.
    **values
        Initial control values (``epoch``, ``schedule``).
    """

    width, height, ncols = 10.0, 3.9, 2

    def __init__(self, runs=None, **values):
        runs = default_runs() if runs is None else runs
        if not isinstance(runs, dict) or not runs:
            raise ValueError("runs must be a non-empty dict: schedule name -> list of Run, one per optimizer")
        names = None
        for schedule, group in runs.items():
            group = list(group)
            if not group:
                raise ValueError(f"runs[{schedule!r}] holds no Run")
            order = [run.setting.optimizer for run in group]
            if names is not None and order != names:
                raise ValueError(f"runs[{schedule!r}] has the optimizers {order}, the others {names}: "
                                 "every schedule needs the same optimizers in the same order")
            names = order
        self.runs = {schedule: list(group) for schedule, group in runs.items()}
        self.names = names
        self.epochs = max(run.protocol.epochs for group in self.runs.values() for run in group)
        self._loss = {s: figures.per_epoch(g, "val_loss", self.epochs) for s, g in self.runs.items()}
        self._accuracy = {s: figures.per_epoch(g, "val_accuracy", self.epochs) for s, g in self.runs.items()}
        super().__init__(**values)

    def make_controls(self):
        return {
            "epoch": int_slider("epoch", self.epochs, 1, self.epochs),
            "schedule": widgets.ToggleButtons(options=list(self.runs), value=list(self.runs)[0],
                                              description="schedule", style={"button_width": "90px"}),
        }

    def setup(self):
        loss_ax, accuracy_ax = self.axes
        x = np.arange(1, self.epochs + 1)
        self._x = x
        self.faint, self.bold, self.heads = [], [], []
        for name in self.names:
            tint = figures.color(name)
            (faint,) = loss_ax.plot(x, np.full(len(x), np.nan), color=tint, lw=1.0, alpha=0.25)
            (bold,) = loss_ax.plot([], [], color=tint, lw=1.8, label=name)
            (head,) = loss_ax.plot([], [], "o", color=tint, ms=4)
            self.faint.append(faint)
            self.bold.append(bold)
            self.heads.append(head)
        every = np.concatenate([values.mean(axis=1).ravel() for values in self._loss.values()])
        every = every[np.isfinite(every) & (every > 0)]
        low, high = (every.min(), every.max()) if every.size else (0.01, 3.0)
        figures.loss_axis(loss_ax, low / 1.2, high * 1.2)
        loss_ax.set_xlim(0.5, self.epochs + 0.5)
        loss_ax.set_xlabel("epoch")
        loss_ax.set_ylabel("validation loss (mean of the seeds)")
        loss_ax.legend(ncols=2, fontsize=7, loc="upper right")
        self.marker = loss_ax.axvline(self.epochs, color="#555555", ls=":", lw=1.0)

        rows = np.arange(len(self.names))[::-1]
        self._rows = rows
        self.ranges, self.dots = [], []
        for row, name in zip(rows, self.names):
            tint = figures.color(name)
            (span,) = accuracy_ax.plot([], [], color=tint, lw=3.0, alpha=0.45, solid_capstyle="butt")
            (dot,) = accuracy_ax.plot([], [], "o", color=tint, mec="black", mew=0.6, ms=6)
            self.ranges.append(span)
            self.dots.append(dot)
        accuracies = np.concatenate([values.ravel() for values in self._accuracy.values()])
        accuracies = accuracies[np.isfinite(accuracies)]
        left = float(np.min(accuracies)) if accuracies.size else 0.0
        accuracy_ax.set_xlim(max(0.0, left - 0.01), 1.0)
        accuracy_ax.set_ylim(-0.7, len(self.names) - 0.3)
        accuracy_ax.set_yticks(rows)
        accuracy_ax.set_yticklabels(self.names)
        accuracy_ax.grid(axis="y", visible=False)
        accuracy_ax.set_xlabel("validation accuracy at that epoch")
        self.status = accuracy_ax.text(0.02, 1.02, "", transform=accuracy_ax.transAxes, fontsize=9, va="bottom")

    def dynamic_artists(self):
        return [*self.faint, *self.bold, *self.heads, self.marker, *self.ranges, *self.dots, self.status]

    def update(self, epoch, schedule):
        loss = self._loss[schedule].mean(axis=1)  # (optimizers, epochs)
        accuracy = self._accuracy[schedule]  # (optimizers, seeds, epochs)
        e = int(epoch)
        for i in range(len(self.names)):
            self.faint[i].set_ydata(loss[i])
            self.bold[i].set_data(self._x[:e], loss[i, :e])
            self.heads[i].set_data([e], [loss[i, e - 1]])
            seeds = accuracy[i, :, e - 1]
            row = self._rows[i]
            self.ranges[i].set_data([np.nanmin(seeds), np.nanmax(seeds)], [row, row])
            self.dots[i].set_data([np.nanmean(seeds)], [row])
        self.marker.set_xdata([e, e])
        means = np.nanmean(accuracy[:, :, e - 1], axis=1)
        leader = int(np.nanargmax(means))
        self.status.set_text(f"epoch {e}, {schedule}: highest mean accuracy {means[leader]:.1%} "
                             f"({self.names[leader]})")


EXPLORERS = [EpochRace]
