r"""Optimization paths drawn in parameter space: on the contours of a 2-D objective, or on a 1-D graph.

Each path is drawn with its iterates as dots, an open circle at the start and a square at the end. Paths that
leave the plot window are clipped to it; a run that diverged is drawn up to the point where it leaves the
window, ends in a large cross and says "diverged at step k" in its legend label. The drawing functions return
:class:`PathArtists`, whose ``update(trajectory)`` changes the drawn data in place; explorers use them to
redraw quickly.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import numpy as np

from .clipping import _inside, _window_of, clip_polyline
from .contour import ContourGrid, contour_grid, contours
from .runs import add_legend, cross, diverged_label, series

__all__ = ["PathArtists", "contour_paths", "curve_paths"]


class PathArtists:
    """The artists that draw one trajectory in parameter space; ``update`` redraws them in place.

    Attributes
    ----------
    line, dots, start, end, flag : matplotlib.lines.Line2D
        The clipped path, the iterates inside the window, the start marker, the end marker and the
        "diverged" cross (empty when the run converged).
    """

    def __init__(self, ax, color, label=None, to_plane: Optional[Callable] = None, dots: bool = True):
        self.ax = ax
        self.label = label
        self.to_plane = to_plane  # maps a path (n, d) to points (n, 2) in the axes' plane
        self.line, = ax.plot([], [], "-", color=color, lw=1.6, label=label, zorder=3)
        self.show_dots = dots
        self.dots, = ax.plot([], [], "o", color=color, ms=3.2 if dots else 0, zorder=4)
        self.start, = ax.plot([], [], "o", color=color, mfc="white", mew=1.8, ms=8, zorder=5)
        self.end, = ax.plot([], [], "s", color=color, mec="white", mew=0.8, ms=7, zorder=5)
        self.flag = cross(ax, size=13)
        self.window = _window_of(ax)

    @property
    def artists(self) -> list:
        return [self.line, self.dots, self.start, self.end, self.flag]

    def update(self, trajectory, label: Optional[str] = None) -> None:
        """Draw ``trajectory`` (clipped to the axes window fixed when the artists were made)."""
        with np.errstate(all="ignore"):
            points = trajectory.valid if self.to_plane is None else self.to_plane(trajectory.valid)
        points = np.asarray(points, dtype=float)
        clipped = clip_polyline(points, self.window)
        self.line.set_data(clipped[:, 0], clipped[:, 1])
        inside = _inside(points, self.window)
        if self.show_dots:
            shown = points[inside]
            self.dots.set_data(shown[:, 0], shown[:, 1])
        if len(points) and inside[0]:
            self.start.set_data([points[0, 0]], [points[0, 1]])
        else:
            self.start.set_data([], [])
        if trajectory.diverged:
            self.end.set_data([], [])
            finite = clipped[np.isfinite(clipped).all(axis=1)]
            where = finite[-1] if len(finite) else (points[0] if len(points) else None)
            if where is None:
                self.flag.set_data([], [])
            else:
                self.flag.set_data([where[0]], [where[1]])
        else:
            self.flag.set_data([], [])
            if len(points) and inside[-1]:
                self.end.set_data([points[-1, 0]], [points[-1, 1]])
            else:
                self.end.set_data([], [])
        self.line.set_label(diverged_label(label if label is not None else self.label, trajectory))


def contour_paths(ax, objective, trajectories, labels=None, levels: int = 14, show_minimizers: bool = True,
                  colors: Optional[Sequence] = None, resolution: int = 160, *, window=None,
                  grid: Optional[ContourGrid] = None, dots: bool = True,
                  linewidth: Optional[float] = None) -> list:
    r"""Contours of a 2-D objective with optimization paths on top.

    Contour levels are log-spaced in the gap :math:`f(\theta) - f^\star`, so the narrow bottom of a valley
    shows as clearly as its walls. Each path is drawn with its iterates as dots, an open circle at the start and
    a square at the end; known minimizers are black stars. A diverged path is clipped to the window and ends in
    a large cross, with "diverged at step k" in its legend label. A 1-D objective is passed to
    :func:`curve_paths`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    objective : descent.models.Objective
        Its ``bounds`` set the window.
    trajectories : Trajectory or sequence of Trajectory
    labels : sequence of str, optional
        Legend labels, one per trajectory.
    levels : int, default 14
        Number of contour levels.
    show_minimizers : bool, default True
    colors : sequence of colours, optional
        Defaults to :data:`~descent.plots.style.COLORS`.
    resolution : int, default 160
        Grid points per axis for the contours.
    window : ((xmin, xmax), (ymin, ymax)), optional
        The plot window (to zoom in or out); defaults to the objective's ``bounds``. Contours are computed over
        it and paths are clipped to it.
    grid : ContourGrid, optional
        Precomputed contour values (from :func:`contour_grid`), so that repeated figures of an expensive
        objective evaluate it once; its window is the plot window, and ``window`` and ``resolution`` are
        then not used.
    dots : bool, default True
        Mark every iterate with a dot; ``False`` draws the path as a line only (for runs with thousands of
        iterates).
    linewidth : float, optional
        Width of the path lines (default 1.6).

    Returns
    -------
    list of PathArtists
        One per trajectory, for fast redrawing.
    """
    if objective.dim == 1:
        return curve_paths(ax, objective, trajectories, labels=labels, colors=colors)
    if objective.dim != 2:
        raise ValueError(f"contour_paths needs a 2-D objective; got dim={objective.dim}")
    runs = series(trajectories, labels, colors)
    if grid is None:
        grid = contour_grid(objective, window=window, resolution=resolution)
    contours(ax, objective, levels=levels, grid=grid)
    (xmin, xmax), (ymin, ymax) = grid.window
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(r"parameter $\theta_1$")
    ax.set_ylabel(r"parameter $\theta_2$")
    ax.grid(False)
    if show_minimizers:
        minimizers = np.asarray(objective.minimizers).reshape(-1, 2)
        _stars(ax, minimizers[:, 0], minimizers[:, 1])
    handles = []
    for trajectory, label, color in runs:
        artists = PathArtists(ax, color, label=label, dots=dots)
        if linewidth is not None:
            artists.line.set_linewidth(linewidth)
        artists.update(trajectory)
        handles.append(artists)
    add_legend(ax, runs)
    return handles


def curve_paths(ax, objective, trajectories, labels=None, colors: Optional[Sequence] = None,
                resolution: int = 400) -> list:
    r"""A 1-D objective's graph :math:`f(\theta)` with iterates :math:`(\theta_t, f(\theta_t))` on it.

    Successive iterates are joined by straight lines, which makes oscillation (iterates hopping across the
    minimum) and divergence (hops that grow) easy to see. Diverged paths are clipped to the window and flagged
    as in :func:`contour_paths`.

    Returns
    -------
    list of PathArtists
    """
    if objective.dim != 1:
        raise ValueError(f"curve_paths needs a 1-D objective; got dim={objective.dim}")
    runs = series(trajectories, labels, colors)
    xmin, xmax = objective.bounds
    xs = np.linspace(xmin, xmax, resolution)
    fs = objective.value(xs[:, None])
    span = float(fs.max() - fs.min())
    ax.plot(xs, fs, color="#444444", lw=1.4, zorder=2)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(float(fs.min()) - 0.08 * span, float(fs.max()) + 0.08 * span)
    ax.set_xlabel(r"parameter $\theta$")
    ax.set_ylabel(r"loss $f(\theta)$")
    minimizers = np.asarray(objective.minimizers).reshape(-1)
    _stars(ax, minimizers, objective.value(minimizers[:, None]))

    def to_plane(path):
        return np.column_stack([path[:, 0], objective.value(path)])

    handles = []
    for trajectory, label, color in runs:
        artists = PathArtists(ax, color, label=label, to_plane=to_plane)
        artists.line.set_linewidth(1.1)
        artists.update(trajectory)
        handles.append(artists)
    add_legend(ax, runs)
    return handles


def _stars(ax, xs, ys) -> None:
    """The known minima as black stars, labelled "minimum" or "minima"."""
    ax.plot(xs, ys, "*", color="black", ms=13, mec="white", mew=0.8, zorder=7,
            label="minimum" if len(xs) == 1 else "minima")
