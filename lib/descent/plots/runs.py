r"""What every figure of several runs shares: one colour and one label per run, the "diverged" cross, the legend.

A figure function that draws several runs (trajectories of :func:`descent.runner.run` or results of
:func:`descent.training.train`) starts from :func:`~descent.plots.series`, which pairs each run with its label and its colour::

    runs = series(trajectories, labels, colors)
    for run, label, color in runs:
        ax.plot(..., color=color, label=diverged_label(label, run))
    add_legend(ax, runs)

A run that diverged is drawn up to the point where it left the plot and ends in :func:`~descent.plots.cross`,
the large "diverged" marker; its legend label says "diverged at step k" (:func:`~descent.plots.diverged_label`).
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Sequence

from .style import COLORS, DIVERGED_COLOR

__all__ = ["Series", "series", "diverged_label", "cross", "add_legend"]


class Series(NamedTuple):
    """One run of a figure, with what it is drawn with (made by :func:`series`).

    Attributes
    ----------
    run : Trajectory or TrainingResult
        The run.
    label : str or None
        Its legend label.
    color : str
        Its colour.
    """

    run: object
    label: Optional[str]
    color: str


def _as_list(runs) -> list:
    if hasattr(runs, "path"):
        return [runs]
    return list(runs)


def _labels(labels, count: int) -> list:
    if labels is None:
        return [None] * count
    if isinstance(labels, str):
        labels = [labels]
    labels = list(labels)
    if len(labels) != count:
        raise ValueError(f"labels must have one entry per trajectory ({count}); got {len(labels)}")
    return labels


def series(runs, labels=None, colors: Optional[Sequence] = None) -> list:
    """Pair each run with its label and its colour.

    Parameters
    ----------
    runs : run or sequence of runs
        A single run (anything with a ``path``) counts as a list of one.
    labels : str or sequence of str, optional
        One label per run (``None``: no labels).
    colors : sequence of colours, optional
        Used in turn, starting over when the runs outnumber them; :data:`~descent.plots.style.COLORS` by default.

    Returns
    -------
    list of Series

    Raises
    ------
    ValueError
        If ``labels`` does not have one entry per run.
    """
    runs = _as_list(runs)
    labels = _labels(labels, len(runs))
    colors = list(colors) if colors is not None else COLORS
    return [Series(run, label, colors[i % len(colors)]) for i, (run, label) in enumerate(zip(runs, labels))]


def diverged_label(label: Optional[str], run) -> Optional[str]:
    """``label``, followed by "(diverged at step k)" when ``run`` diverged (just that note without a label)."""
    if not run.diverged:
        return label
    note = f"diverged at step {run.diverged_at}"
    return note if label is None else f"{label} ({note})"


def cross(ax, x=(), y=(), size: float = 12, **kwargs):
    """The large "diverged" cross at ``(x, y)`` (empty by default, to be placed later with ``set_data``).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x, y : sequence of float, optional
    size : float, default 12
        Marker size.
    **kwargs
        Passed on to ``ax.plot`` (they override the defaults: black edge of width 0.8, ``zorder=6``).

    Returns
    -------
    matplotlib.lines.Line2D
    """
    style = {"color": DIVERGED_COLOR, "mec": "black", "mew": 0.8, "ms": size, "zorder": 6, **kwargs}
    line, = ax.plot(list(x), list(y), "X", **style)
    return line


def add_legend(ax, entries, *, diverged: bool = True, **kwargs):
    """Draw the legend of ``ax`` if any entry has a label, or (with ``diverged``) any entry's run diverged.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    entries : sequence of Series
        As :func:`series` made them.
    diverged : bool, default True
        The runs' curves carry :func:`diverged_label` labels, so a diverged run needs the legend too.
    **kwargs
        Passed on to ``ax.legend``; ``loc="best"`` by default.

    Returns
    -------
    matplotlib.legend.Legend or None
    """
    if any(entry.label is not None for entry in entries) or (diverged and any(e.run.diverged for e in entries)):
        return ax.legend(**{"loc": "best", **kwargs})
    return None
