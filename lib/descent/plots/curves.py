r"""Curves against the step: losses, learning rates, gradient norms, step lengths and positions.

:func:`loss_curves` draws :math:`f(\theta_t) - f^\star` on a log axis against the step (or, for training
results, the epoch or the examples processed); a run that diverged ends in a large cross at the step where it
left the range and says so in its legend label. It returns :class:`LossArtists`, whose ``update`` redraws in
place for explorers. :func:`lr_curve` draws a schedule, :func:`lr_sweep` the final loss against the learning
rate, :func:`gradient_norms`, :func:`step_lengths` and :func:`position_curves` other quantities of a run.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .. import _validation as check
from ..runner import DIVERGENCE_BOUND
from .runs import add_legend, cross, diverged_label, series
from .style import COLORS

__all__ = [
    "LOSS_LIMITS",
    "LOSS_CLOCKS",
    "LossArtists",
    "loss_curves",
    "lr_curve",
    "lr_sweep",
    "gradient_norms",
    "step_lengths",
    "position_curves",
]

#: A fixed y range for loss panels that must not rescale, as in the explorers, from machine precision to the
#: divergence bound of :mod:`descent.runner`. Losses below its floor are drawn at the floor on log axes.
LOSS_LIMITS = (1e-16, DIVERGENCE_BOUND)

_FLOOR = LOSS_LIMITS[0]

#: The x values :func:`loss_curves` can draw losses against, and their axis labels.
LOSS_CLOCKS = {
    "steps": "step $t$",
    "epochs": "epochs (examples processed / n)",
    "examples": "examples processed",
}


def _clock(trajectory, x: str, count: int) -> np.ndarray:
    """The x values of a trajectory's first ``count`` losses: its ``steps``/``epochs``/``examples``."""
    values = getattr(trajectory, x, None)
    if values is None:  # a Trajectory of descent.runner records one loss a step
        if x != "steps":
            raise ValueError(f"x={x!r} needs trajectories with an {x!r} attribute (training results); "
                             f"{type(trajectory).__name__} has none")
        return np.arange(count)
    return np.asarray(values)[:count]


class LossArtists:
    """The artists that draw one loss curve; ``update`` redraws them in place.

    Attributes
    ----------
    line, flag : matplotlib.lines.Line2D
        The curve and the "diverged" cross.
    """

    def __init__(self, ax, color, label=None, ylim=None, x: str = "steps", log_x: bool = False):
        self.ax = ax
        self.label = label
        self.ylim = ylim
        self.x = check.choice("x", x, tuple(LOSS_CLOCKS))
        self.log_x = log_x  # leave out the start (x = 0), which a log axis cannot show
        self.line, = ax.plot([], [], "-", color=color, label=label)
        self.flag = cross(ax)

    @property
    def artists(self) -> list:
        return [self.line, self.flag]

    def update(self, trajectory, label: Optional[str] = None) -> None:
        """Draw ``trajectory.gaps`` against the step (clipped to ``ylim`` if one was given)."""
        count = len(trajectory.losses)
        end = count if trajectory.diverged_at is None else min(count, trajectory.diverged_at + 1)
        with np.errstate(all="ignore"):
            gaps = np.asarray(trajectory.gaps[:end], dtype=float)
            top = np.inf if self.ylim is None else self.ylim[1]
            bottom = _FLOOR if self.ylim is None else max(_FLOOR, self.ylim[0])
            gaps = np.where(np.isnan(gaps), np.inf, gaps)
            if self.ylim is None:
                finite = gaps[np.isfinite(gaps)]
                top = float(finite.max()) if finite.size else 1.0
            shown = np.clip(gaps, bottom, top)
        steps = _clock(trajectory, self.x, end)
        if self.log_x:
            keep = steps > 0
            steps, shown = steps[keep], shown[keep]
        self.line.set_data(steps, shown)
        if trajectory.diverged and end:
            self.flag.set_data([steps[-1]], [shown[-1]])
        else:
            self.flag.set_data([], [])
        self.line.set_label(diverged_label(label if label is not None else self.label, trajectory))


def loss_curves(ax, trajectories, labels=None, colors: Optional[Sequence] = None, ylim=None,
                x: str = "steps", linewidth: Optional[float] = None, linestyles: Optional[Sequence] = None,
                xscale: str = "linear", floors: Optional[Sequence] = None) -> list:
    r"""Loss against step on a log axis: :math:`f(\theta_t) - f^\star` when :math:`f^\star` is known.

    Values below machine precision (``1e-16``) are drawn at ``1e-16``. A diverged run's curve ends in a large
    cross at the step where it diverged, and its legend label says so.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    trajectories : Trajectory or sequence of Trajectory
        Runs of ``descent.runner.run`` or training results of ``descent.training.train``.
    labels : sequence of str, optional
    colors : sequence of colours, optional
    ylim : (float, float), optional
        Fixed y limits (explorers use them so that redraws need no rescaling); values are clipped into them.
    x : {"steps", "epochs", "examples"}, default "steps"
        The clock on the x axis: optimizer steps, or (for training results, which record them) epochs
        (examples processed / n) or examples processed.
    linewidth : float, optional
        Width of the curves (default: the style's 1.6).
    linestyles : sequence of str, optional
        One matplotlib line style per curve (e.g. ``["--", "-", "-"]``), so that a curve another one
        covers stays visible.
    xscale : {"linear", "log"}, default "linear"
        Scale of the x axis; on a log axis the start (x = 0) is left out and the curves begin at their first
        recorded point after it.
    floors : sequence of (value, x_from, x_to), optional
        Horizontal dotted black segments at the gap ``value`` from ``x_from`` to ``x_to`` (in the units of
        ``x``): the measured loss floors of runs with a constant rate.

    Returns
    -------
    list of LossArtists
    """
    check.choice("x", x, tuple(LOSS_CLOCKS))
    check.choice("xscale", xscale, ("linear", "log"))
    runs = series(trajectories, labels, colors)
    trajectories = [run.run for run in runs]
    if linestyles is not None:
        linestyles = [linestyles] if isinstance(linestyles, str) else list(linestyles)
        if len(linestyles) != len(trajectories):
            raise ValueError(f"linestyles must have one entry per trajectory ({len(trajectories)}); "
                             f"got {len(linestyles)}")
    segments = []
    for floor in floors or []:
        try:
            value, start, end = (float(v) for v in floor)
        except (TypeError, ValueError):
            raise ValueError(f"floors must be (value, x_from, x_to) triples; got {floor!r}") from None
        if not (value > 0 and np.isfinite(value) and start < end):
            raise ValueError(f"a floor needs a positive finite value and x_from < x_to; got {floor!r}")
        segments.append((value, start, end))
    ax.set_yscale("log")
    known = all(t.min_value is not None for t in trajectories)
    ax.set_xlabel(LOSS_CLOCKS[x])
    ax.set_ylabel(r"loss gap $f(\theta_t) - f^\star$" if known else r"loss $f(\theta_t)$")
    handles = []
    for i, (trajectory, label, color) in enumerate(runs):
        artists = LossArtists(ax, color, label=label, ylim=ylim, x=x, log_x=xscale == "log")
        if linewidth is not None:
            artists.line.set_linewidth(linewidth)
        if linestyles is not None:
            artists.line.set_linestyle(linestyles[i])
        artists.update(trajectory)
        handles.append(artists)
    for value, start, end in segments:
        ax.hlines(value, start, end, colors="black", linestyles=":", lw=1.8, zorder=5)
    if trajectories:
        ends = [float(_clock(t, x, len(t.losses))[-1]) for t in trajectories if len(t.losses)]
        if xscale == "log":
            firsts = [float(_clock(t, x, len(t.losses))[1]) for t in trajectories if len(t.losses) > 1]
            ax.set_xscale("log")
            ax.set_xlim(min(firsts, default=1.0), max(ends, default=10.0))
        else:
            ax.set_xlim(0, max(ends, default=0) or 1)
    if ylim is not None:
        ax.set_ylim(*ylim)
    else:
        ax.relim()
        ax.autoscale_view(scalex=False)
    add_legend(ax, runs)
    return handles


def lr_curve(ax, schedule, steps: int, label: Optional[str] = None, color=None,
             steps_per_epoch: Optional[int] = None, yscale: str = "linear"):
    r"""The learning rate :math:`\eta_t` against the step t for t = 0, ..., steps - 1.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    schedule : callable or array_like
        ``schedule(t) -> lr`` (as in ``descent.schedules``), or the rates themselves (e.g. ``Trajectory.lrs``).
    steps : int
        Number of steps to draw.
    label : str, optional
    color : optional
    steps_per_epoch : int, optional
        If given, the x axis counts epochs (step / ``steps_per_epoch``) instead of steps.
    yscale : {"linear", "log"}, default "linear"

    Returns
    -------
    matplotlib.lines.Line2D
    """
    steps = check.integer("steps", steps, 1)
    if steps_per_epoch is not None:
        steps_per_epoch = check.integer("steps_per_epoch", steps_per_epoch, 1)
    check.choice("yscale", yscale, ("linear", "log"))
    if callable(schedule):
        etas = np.array([float(schedule(t)) for t in range(steps)])
    else:
        etas = np.asarray(schedule, dtype=float)[:steps]
    xs = np.arange(len(etas)) / (1 if steps_per_epoch is None else steps_per_epoch)
    line, = ax.plot(xs, etas, label=label, color=color)
    ax.set_yscale(yscale)
    ax.set_xlabel("step $t$" if steps_per_epoch is None else "epochs")
    ax.set_ylabel(r"learning rate $\eta_t$")
    if label is not None:
        ax.legend(loc="best")
    return line


def lr_sweep(ax, lrs, final_losses, min_value: float = 0.0, marks: Optional[dict] = None, label=None,
             color=None):
    r"""Final loss gap against the learning rate, both on log axes: the U-shaped sweep curve.

    Diverged runs (final loss ``inf``) are drawn as crosses along the top edge.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    lrs : array_like
        The learning rates α swept.
    final_losses : array_like
        Final losses, as returned by ``descent.runner.sweep``.
    min_value : float, default 0.0
        :math:`f^\star`, subtracted from the losses.
    marks : dict, optional
        Vertical reference lines, ``{label: alpha}`` (e.g. ``{"2/L": 2 / L}``).
    label : str, optional
    color : optional

    Returns
    -------
    matplotlib.lines.Line2D
        The curve.
    """
    lrs = np.asarray(lrs, dtype=float)
    with np.errstate(all="ignore"):
        gaps = np.asarray(final_losses, dtype=float) - min_value
    if lrs.shape != gaps.shape:
        raise ValueError(f"lrs and final_losses must have the same length; got {lrs.shape} and {gaps.shape}")
    finite = np.isfinite(gaps)
    shown = np.where(finite, np.maximum(gaps, _FLOOR), np.nan)
    line, = ax.plot(lrs, shown, "o-", ms=3.5, label=label, color=color)
    ax.set_xscale("log")
    ax.set_yscale("log")
    top = float(np.nanmax(shown)) * 10 if finite.any() else 1.0
    if (~finite).any():
        cross(ax, lrs[~finite], np.full((~finite).sum(), top), size=9, mew=0.6, label="diverged", zorder=5)
    for i, (name, alpha) in enumerate((marks or {}).items()):
        ax.axvline(alpha, color=COLORS[(i + 2) % len(COLORS)], ls="--", lw=1.2, label=f"{name} = {alpha:.3g}")
    ax.set_xlabel(r"learning rate $\alpha$")
    ax.set_ylabel(r"final loss gap $f(\theta_T) - f^\star$")
    ax.legend(loc="best")
    return line


def gradient_norms(ax, objective, trajectories, labels=None, colors: Optional[Sequence] = None) -> list:
    r"""The gradient norm :math:`\|\nabla f(\theta_t)\|` against the step, on a log axis.

    Long flat stretches at a tiny norm that later rise again are the signature of a saddle point or plateau;
    a norm falling steadily to zero is convergence. A diverged run ends in a cross, as in :func:`loss_curves`.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    runs = series(trajectories, labels, colors)
    lines = []
    for trajectory, label, color in runs:
        path = trajectory.valid
        with np.errstate(all="ignore"):
            norms = np.linalg.norm(np.asarray(objective.grad(path)).reshape(len(path), -1), axis=1)
        finite = np.isfinite(norms)
        steps = np.arange(len(path))
        line, = ax.plot(steps[finite], np.maximum(norms[finite], _FLOOR), color=color,
                        label=diverged_label(label, trajectory))
        if trajectory.diverged and finite.any():
            cross(ax, [steps[finite][-1]], [norms[finite][-1]])
        lines.append(line)
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"gradient norm $\|\nabla f(\theta_t)\|$")
    add_legend(ax, runs)
    return lines


def step_lengths(ax, trajectories, labels=None, mark=None) -> list:
    r"""Step length :math:`\|\theta_{t+1} - \theta_t\|` against the step t (log scale), one line per trajectory.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    trajectories : sequence of Trajectory
    labels : sequence of str, optional
    mark : int, optional
        A step to mark with a dotted vertical line (e.g. where a schedule changes the rate).

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    runs = series(trajectories, labels)
    lines = []
    styles = ["-", "--", ":", "-."]
    for i, (trajectory, label, color) in enumerate(runs):
        lengths = np.linalg.norm(np.diff(trajectory.valid, axis=0), axis=1)
        line, = ax.plot(np.arange(len(lengths)), np.maximum(lengths, _FLOOR), styles[i % len(styles)],
                        color=color, label=label)
        lines.append(line)
    if mark is not None:
        ax.axvline(mark, color="#777777", ls=":", lw=1.0)
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"step length $\|\theta_{t+1} - \theta_t\|$")
    add_legend(ax, runs, diverged=False)
    return lines


def position_curves(ax, trajectories, labels=None, levels=None, last_step=None) -> list:
    r"""A 1-D parameter :math:`\theta_t` against the step t, with horizontal reference lines (minima, a hump).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    trajectories : sequence of Trajectory
        Runs on a 1-D objective.
    labels : sequence of str, optional
    levels : dict, optional
        ``label -> theta`` for dotted reference lines.
    last_step : int, optional
        Show steps 0 to ``last_step`` only (the runs are drawn in full; the x axis is cut there).

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    runs = series(trajectories, labels)
    for name, value in (levels or {}).items():
        ax.axhline(value, color="#777777", ls=":", lw=1.0)
        ax.annotate(name, (1.0, value), xycoords=("axes fraction", "data"), xytext=(-4, 3),
                    textcoords="offset points", ha="right", va="bottom", fontsize=8, color="#555555")
    lines = []
    for trajectory, label, color in runs:
        path = trajectory.valid
        if path.shape[1] != 1:
            raise ValueError(f"position_curves needs runs on a 1-D objective; got paths of dimension {path.shape[1]}")
        line, = ax.plot(np.arange(len(path)), path[:, 0], color=color, label=label)
        lines.append(line)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"parameter $\theta_t$")
    if last_step is not None:
        ax.set_xlim(0, last_step)
    add_legend(ax, runs, diverged=False, fontsize=8)
    return lines
