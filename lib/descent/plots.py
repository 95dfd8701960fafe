r"""Figures for the course: one shared style, contours with paths, loss curves, rate curves.

Every figure in the book is one call from a notebook, for example::

    fig, (left, right) = figure(ncols=2)
    contour_paths(left, objective, [trajectory])
    loss_curves(right, [trajectory])

The style (:data:`STYLE`, applied by :func:`use_style`) gives every figure a solid white background, so figures
stay readable when the book is read in its dark theme, readable font sizes, and the Okabe–Ito colour cycle
(:data:`COLORS`), which stays distinguishable under the common forms of colour blindness.

Paths that leave the plot window are clipped to it; a run that diverged is drawn up to the point where it
leaves the window, ends in a large cross and says "diverged at step k" in its legend label.

The drawing functions return small handle objects (:class:`PathArtists`, :class:`LossArtists`) whose
``update(trajectory)`` changes the drawn data in place; explorers use them to redraw quickly.
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Optional, Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from ._validation import window as check_window

__all__ = [
    "COLORS",
    "DIVERGED_COLOR",
    "STYLE",
    "use_style",
    "figure",
    "ContourGrid",
    "contour_grid",
    "contours",
    "contour_paths",
    "curve_paths",
    "loss_curves",
    "lr_curve",
    "lr_sweep",
    "clip_polyline",
    "PathArtists",
    "LossArtists",
    "LOSS_CLOCKS",
    "rate_curve",
    "RateArtists",
    "gradient_norms",
    "variance_by_batch_size",
]

#: Okabe & Ito's colour-blind-safe palette (blue, vermillion, bluish green, reddish purple, orange, sky blue,
#: yellow, black), in the order used for successive curves.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

#: Colour of the "diverged" cross and of stability limits.
DIVERGED_COLOR = "#D55E00"

#: The one shared style (matplotlib rcParams).
STYLE = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "font.size": 10,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 1.6,
    "lines.markersize": 4,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "mathtext.fontset": "dejavusans",
}

_FLOOR = 1e-16  # losses below this (machine precision) are drawn at it on log axes


def use_style() -> None:
    """Apply the shared style (:data:`STYLE`) to matplotlib globally."""
    mpl.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, width: Optional[float] = None, height: float = 3.4,
           managed: bool = True, **subplot_kw):
    """A new figure in the shared style, with ``nrows`` x ``ncols`` axes.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes.
    width, height : float
        Size in inches; ``width`` defaults to 4.2 inches per column.
    managed : bool, default True
        ``True`` creates the figure through ``matplotlib.pyplot`` (a notebook shows it at the end of the cell);
        ``False`` creates a detached figure that is only shown when asked (explorers and animations use it).
    **subplot_kw
        Passed on to ``add_subplot`` (e.g. ``projection``).

    Returns
    -------
    fig, axes
        ``axes`` is a single Axes when ``nrows == ncols == 1``, otherwise an array of Axes.
    """
    for name, value in (("nrows", nrows), ("ncols", ncols)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1; got {value!r}")
    use_style()
    size = (4.2 * ncols if width is None else width, height)
    if managed:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(nrows, ncols, figsize=size, subplot_kw=subplot_kw or None, squeeze=False)
    else:
        fig = Figure(figsize=size)
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None, squeeze=False)
    fig.patch.set_facecolor("white")
    return fig, (axes[0, 0] if nrows == ncols == 1 else axes.reshape(-1) if 1 in (nrows, ncols) else axes)


def _as_list(trajectories) -> list:
    if hasattr(trajectories, "path"):
        return [trajectories]
    return list(trajectories)


def _labels(labels, count: int) -> list:
    if labels is None:
        return [None] * count
    if isinstance(labels, str):
        labels = [labels]
    labels = list(labels)
    if len(labels) != count:
        raise ValueError(f"labels must have one entry per trajectory ({count}); got {len(labels)}")
    return labels


def clip_polyline(points: np.ndarray, window) -> np.ndarray:
    """Clip the polyline through ``points`` (shape (n, 2)) to a rectangular window.

    Segments outside the window are dropped, segments crossing its edge are cut at the edge, and breaks are
    marked by ``nan`` rows (matplotlib leaves a gap there). Non-finite points end the line.

    Parameters
    ----------
    points : numpy.ndarray, shape (n, 2)
    window : ((xmin, xmax), (ymin, ymax))

    Returns
    -------
    numpy.ndarray, shape (m, 2)
        The clipped polyline (possibly empty).
    """
    (xmin, xmax), (ymin, ymax) = window
    points = np.asarray(points, dtype=float)
    finite = np.all(np.isfinite(points), axis=1)
    if not finite.all():
        points = points[: int(np.argmin(finite))]
    if len(points) == 0:
        return np.empty((0, 2))
    if len(points) == 1:
        inside = xmin <= points[0, 0] <= xmax and ymin <= points[0, 1] <= ymax
        return points.copy() if inside else np.empty((0, 2))
    with np.errstate(all="ignore"):
        start, delta = points[:-1], np.diff(points, axis=0)
        p = np.stack([-delta[:, 0], delta[:, 0], -delta[:, 1], delta[:, 1]], axis=1)
        q = np.stack([start[:, 0] - xmin, xmax - start[:, 0], start[:, 1] - ymin, ymax - start[:, 1]], axis=1)
        ratio = q / p
        t_enter = np.max(np.where(p < 0, ratio, 0.0), axis=1)
        t_leave = np.min(np.where(p > 0, ratio, 1.0), axis=1)
        parallel_outside = np.any((p == 0) & (q < 0), axis=1)
        keep = (t_enter <= t_leave) & ~parallel_outside & np.all(np.isfinite(delta), axis=1)
        enter = np.where(t_enter[:, None] == 0.0, start, start + t_enter[:, None] * delta)
        leave = np.where(t_leave[:, None] == 1.0, points[1:], start + t_leave[:, None] * delta)
    out = []
    previous_open = False  # the previous kept segment ended inside the window at its own end point
    for i in np.flatnonzero(keep):
        continues = previous_open and out and i - 1 == previous_index and t_enter[i] == 0.0
        if not continues:
            if out:
                out.append((np.nan, np.nan))
            out.append(tuple(enter[i]))
        out.append(tuple(leave[i]))
        previous_open = t_leave[i] == 1.0
        previous_index = i
    return np.array(out, dtype=float).reshape(-1, 2)


def _window_of(ax):
    return (tuple(ax.get_xlim()), tuple(ax.get_ylim()))


def _inside(points: np.ndarray, window) -> np.ndarray:
    (xmin, xmax), (ymin, ymax) = window
    with np.errstate(invalid="ignore"):
        return (
            np.isfinite(points).all(axis=1)
            & (points[:, 0] >= xmin) & (points[:, 0] <= xmax)
            & (points[:, 1] >= ymin) & (points[:, 1] <= ymax)
        )


def _diverged_label(label, trajectory) -> Optional[str]:
    if not trajectory.diverged:
        return label
    note = f"diverged at step {trajectory.diverged_at}"
    return note if label is None else f"{label} ({note})"


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
        self.flag, = ax.plot([], [], "X", color=DIVERGED_COLOR, mec="black", mew=0.8, ms=13, zorder=6)
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
        self.line.set_label(_diverged_label(label if label is not None else self.label, trajectory))


def _log_levels(gaps: np.ndarray, count: int) -> np.ndarray:
    positive = gaps[np.isfinite(gaps) & (gaps > 0)]
    if positive.size == 0:
        return np.array([1.0])
    high = float(np.max(positive))
    low = max(float(np.quantile(positive, 0.002)), high * 1e-8)
    return np.geomspace(low, high, count)[:-1] if high > low else np.array([high])


class ContourGrid(NamedTuple):
    r"""An objective's values on a grid, ready for :func:`contours` (made by :func:`contour_grid`).

    Attributes
    ----------
    xs, ys : numpy.ndarray
        The grid's coordinates along :math:`\theta_1` and :math:`\theta_2`.
    gaps : numpy.ndarray, shape (len(ys), len(xs))
        :math:`f - f^\star` at the grid points (:math:`f^\star` is the smallest grid value when the objective
        has no ``min_value``).
    window : ((xmin, xmax), (ymin, ymax))
        The rectangle the grid covers.
    """

    xs: np.ndarray
    ys: np.ndarray
    gaps: np.ndarray
    window: tuple


def contour_grid(objective, window=None, resolution: int = 160) -> ContourGrid:
    r"""Evaluate a 2-D objective on a ``resolution`` x ``resolution`` grid over ``window``.

    The contour functions call it for you; call it yourself when the same contours are drawn many times on an
    objective that is expensive to evaluate (a loss over hundreds of examples), and pass the result as
    ``grid=`` to :func:`contours` or :func:`contour_paths`.

    Parameters
    ----------
    objective : descent.models.Objective
        A 2-D objective.
    window : ((xmin, xmax), (ymin, ymax)), optional
        Defaults to the objective's ``bounds``.
    resolution : int, default 160
        Grid points per axis.

    Returns
    -------
    ContourGrid
    """
    if objective.dim != 2:
        raise ValueError(f"contours need a 2-D objective; got dim={objective.dim}")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2; got {resolution!r}")
    window = check_window("window", objective.bounds if window is None else window)
    (xmin, xmax), (ymin, ymax) = window
    xs, ys = np.linspace(xmin, xmax, resolution), np.linspace(ymin, ymax, resolution)
    points = np.stack(np.meshgrid(xs, ys), axis=-1)
    min_value = getattr(objective, "min_value", None)
    with np.errstate(all="ignore"):
        values = objective.value(points)
        gaps = values - (min_value if min_value is not None else np.nanmin(values))
    return ContourGrid(xs, ys, gaps, window)


def contours(ax, objective, levels: int = 14, resolution: int = 160, window=None,
             grid: Optional[ContourGrid] = None):
    r"""Contour lines of a 2-D objective over its ``bounds``, log-spaced in the gap :math:`f - f^\star`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    objective : descent.models.Objective
        A 2-D objective.
    levels : int, default 14
        Number of contour levels.
    resolution : int, default 160
        Grid points per axis.
    window : ((xmin, xmax), (ymin, ymax)), optional
        The region to draw; defaults to the objective's ``bounds``.
    grid : ContourGrid, optional
        Precomputed values (from :func:`contour_grid`); then ``resolution`` and ``window`` are not used.

    Returns
    -------
    matplotlib.contour.QuadContourSet
        Remove it with ``.remove()`` to draw the contours of another objective on the same axes.
    """
    if objective.dim != 2:
        raise ValueError(f"contours needs a 2-D objective; got dim={objective.dim}")
    if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)) or levels < 2:
        raise ValueError(f"levels must be an integer >= 2; got {levels!r}")
    if grid is None:
        grid = contour_grid(objective, window=window, resolution=resolution)
    elif not isinstance(grid, ContourGrid):
        raise TypeError(f"grid must be a ContourGrid (from descent.plots.contour_grid); got {type(grid).__name__}")
    contour_levels = _log_levels(grid.gaps, levels + 1)
    norm = mpl.colors.LogNorm(vmin=contour_levels[0] / 3, vmax=contour_levels[-1] * 30)
    return ax.contour(grid.xs, grid.ys, grid.gaps, levels=contour_levels, cmap="Greys_r", norm=norm,
                      linewidths=0.8, zorder=1)


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
        Defaults to :data:`COLORS`.
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
    trajectories = _as_list(trajectories)
    labels = _labels(labels, len(trajectories))
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
        ax.plot(minimizers[:, 0], minimizers[:, 1], "*", color="black", ms=13, mec="white", mew=0.8,
                zorder=7, label="minimum" if len(minimizers) == 1 else "minima")
    colors = list(colors) if colors is not None else COLORS
    handles = []
    for i, (trajectory, label) in enumerate(zip(trajectories, labels)):
        artists = PathArtists(ax, colors[i % len(colors)], label=label, dots=dots)
        if linewidth is not None:
            artists.line.set_linewidth(linewidth)
        artists.update(trajectory)
        handles.append(artists)
    if any(label is not None for label in labels) or any(t.diverged for t in trajectories):
        ax.legend(loc="best")
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
    trajectories = _as_list(trajectories)
    labels = _labels(labels, len(trajectories))
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
    ax.plot(minimizers, objective.value(minimizers[:, None]), "*", color="black", ms=13, mec="white",
            mew=0.8, zorder=7, label="minimum" if len(minimizers) == 1 else "minima")

    def to_plane(path):
        return np.column_stack([path[:, 0], objective.value(path)])

    colors = list(colors) if colors is not None else COLORS
    handles = []
    for i, (trajectory, label) in enumerate(zip(trajectories, labels)):
        artists = PathArtists(ax, colors[i % len(colors)], label=label, to_plane=to_plane)
        artists.line.set_linewidth(1.1)
        artists.update(trajectory)
        handles.append(artists)
    if any(label is not None for label in labels) or any(t.diverged for t in trajectories):
        ax.legend(loc="best")
    return handles


#: The x values :func:`loss_curves` can draw losses against, and their axis labels.
LOSS_CLOCKS = {
    "steps": "step $t$",
    "epochs": "epochs (examples processed / n)",
    "examples": "examples processed",
}


def _check_clock(x: str) -> str:
    if x not in LOSS_CLOCKS:
        raise ValueError(f"x must be one of {', '.join(map(repr, LOSS_CLOCKS))}; got {x!r}")
    return x


def _clock(trajectory, x: str, count: int) -> np.ndarray:
    """The x values of a trajectory's first ``count`` losses: its ``steps``/``epochs``/``examples``."""
    values = getattr(trajectory, x, None)
    if values is None or np.ndim(values) != 1:  # a Trajectory's ``steps`` is its step count: one loss a step
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
        self.x = _check_clock(x)
        self.log_x = log_x  # leave out the start (x = 0), which a log axis cannot show
        self.line, = ax.plot([], [], "-", color=color, label=label)
        self.flag, = ax.plot([], [], "X", color=DIVERGED_COLOR, mec="black", mew=0.8, ms=12, zorder=6)

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
        self.line.set_label(_diverged_label(label if label is not None else self.label, trajectory))


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
    _check_clock(x)
    if xscale not in ("linear", "log"):
        raise ValueError(f"xscale must be 'linear' or 'log'; got {xscale!r}")
    trajectories = _as_list(trajectories)
    labels = _labels(labels, len(trajectories))
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
    colors = list(colors) if colors is not None else COLORS
    ax.set_yscale("log")
    known = all(t.min_value is not None for t in trajectories)
    ax.set_xlabel(LOSS_CLOCKS[x])
    ax.set_ylabel(r"loss gap $f(\theta_t) - f^\star$" if known else r"loss $f(\theta_t)$")
    handles = []
    for i, (trajectory, label) in enumerate(zip(trajectories, labels)):
        artists = LossArtists(ax, colors[i % len(colors)], label=label, ylim=ylim, x=x, log_x=xscale == "log")
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
    if any(label is not None for label in labels) or any(t.diverged for t in trajectories):
        ax.legend(loc="best")
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
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be an integer >= 1; got {steps!r}")
    if steps_per_epoch is not None and (isinstance(steps_per_epoch, bool)
                                        or not isinstance(steps_per_epoch, (int, np.integer))
                                        or steps_per_epoch < 1):
        raise ValueError(f"steps_per_epoch must be an integer >= 1; got {steps_per_epoch!r}")
    if yscale not in ("linear", "log"):
        raise ValueError(f"yscale must be 'linear' or 'log'; got {yscale!r}")
    if callable(schedule):
        rates = np.array([float(schedule(t)) for t in range(steps)])
    else:
        rates = np.asarray(schedule, dtype=float)[:steps]
    xs = np.arange(len(rates)) / (1 if steps_per_epoch is None else steps_per_epoch)
    line, = ax.plot(xs, rates, label=label, color=color)
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
    rates = np.asarray(lrs, dtype=float)
    with np.errstate(all="ignore"):
        gaps = np.asarray(final_losses, dtype=float) - min_value
    if rates.shape != gaps.shape:
        raise ValueError(f"lrs and final_losses must have the same length; got {rates.shape} and {gaps.shape}")
    finite = np.isfinite(gaps)
    shown = np.where(finite, np.maximum(gaps, _FLOOR), np.nan)
    line, = ax.plot(rates, shown, "o-", ms=3.5, label=label, color=color)
    ax.set_xscale("log")
    ax.set_yscale("log")
    top = float(np.nanmax(shown)) * 10 if finite.any() else 1.0
    if (~finite).any():
        ax.plot(rates[~finite], np.full((~finite).sum(), top), "X", color=DIVERGED_COLOR, mec="black",
                mew=0.6, ms=9, label="diverged", zorder=5)
    for i, (name, alpha) in enumerate((marks or {}).items()):
        ax.axvline(alpha, color=COLORS[(i + 2) % len(COLORS)], ls="--", lw=1.2, label=f"{name} = {alpha:.3g}")
    ax.set_xlabel(r"learning rate $\alpha$")
    ax.set_ylabel(r"final loss gap $f(\theta_T) - f^\star$")
    ax.legend(loc="best")
    return line


class RateArtists:
    r"""The artists of a :func:`rate_curve`; ``update(eigenvalues)`` redraws them for other eigenvalues.

    Attributes
    ----------
    components : list of matplotlib.lines.Line2D
        :math:`|1 - \alpha\lambda_i|`, one per eigenvalue.
    rate : matplotlib.lines.Line2D
        :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|`.
    limit, best : matplotlib.lines.Line2D
        Vertical lines at the stability limit :math:`2/L` and at :math:`\alpha^\star = 2/(\mu + L)`.
    """

    def __init__(self, ax, lrs, components, rate, limit, best):
        self.ax, self.lrs = ax, lrs
        self.components, self.rate, self.limit, self.best = components, rate, limit, best

    @property
    def artists(self) -> list:
        return [*self.components, self.rate, self.limit, self.best]

    def update(self, eigenvalues) -> None:
        from .theory import gradient_descent as theory

        values = np.sort(np.asarray(eigenvalues, dtype=float))
        for line, value in zip(self.components, values[[0, -1]]):
            line.set_ydata(np.abs(1 - self.lrs * value))
        self.rate.set_ydata(theory.convergence_rate(self.lrs, values))
        limit, best = theory.stability_limit(values), theory.optimal_learning_rate(values)
        self.limit.set_xdata([limit, limit])
        self.best.set_xdata([best, best])



def rate_curve(ax, eigenvalues, lrs=None, ymax: float = 2.0, legend: bool = True) -> RateArtists:
    r"""The convergence rate :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|` of gradient descent on a quadratic.

    Draws :math:`|1 - \alpha\mu|` and :math:`|1 - \alpha L|` (thin), their maximum :math:`\rho` (thick), the
    line :math:`\rho = 1` above which descent diverges, the stability limit :math:`2/L` and the best rate
    :math:`\alpha^\star = 2/(\mu + L)`, against :math:`\alpha` on a log axis.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    eigenvalues : array_like
        Hessian eigenvalues, all > 0.
    lrs : array_like, optional
        The α grid; by default 300 log-spaced values from :math:`10^{-2}/L` to :math:`4/L`.
    ymax : float, default 2.0
        Upper y limit.
    legend : bool, default True

    Returns
    -------
    RateArtists
    """
    from .theory import gradient_descent as theory

    values = np.sort(np.asarray(eigenvalues, dtype=float))
    theory.convergence_rate(1.0, values)  # validates the eigenvalues
    if lrs is None:
        lrs = np.geomspace(1e-2 / values[-1], 4 / values[-1], 300)
    lrs = np.asarray(lrs, dtype=float)
    ax.set_xscale("log")
    ax.axhspan(1, max(ymax, 1) + 1, color=DIVERGED_COLOR, alpha=0.08, lw=0, zorder=0)
    ax.axhline(1, color=DIVERGED_COLOR, lw=1, zorder=1)
    components = []
    names = [r"$|1-\alpha\mu|$", r"$|1-\alpha L|$"] if len(values) > 1 else []
    for value, name, color in zip(values[[0, -1]] if len(values) > 1 else [], names, [COLORS[5], COLORS[4]]):
        line, = ax.plot(lrs, np.abs(1 - lrs * value), lw=1.0, ls="-", color=color, label=name)
        components.append(line)
    rate, = ax.plot(lrs, theory.convergence_rate(lrs, values), color="black", lw=2.0,
                    label=r"rate $\rho(\alpha)$")
    limit = ax.axvline(theory.stability_limit(values), color=DIVERGED_COLOR, ls="--", lw=1.3,
                       label="stability limit 2/L")
    best = ax.axvline(theory.optimal_learning_rate(values), color=COLORS[2], ls=":", lw=1.6,
                      label=r"best $\alpha^\star = 2/(\mu+L)$")
    handles = RateArtists(ax, lrs, components, rate, limit, best)
    handles.update(values)
    ax.set_xlim(lrs[0], lrs[-1])
    ax.set_ylim(0, ymax)
    ax.set_xlabel(r"learning rate $\alpha$")
    ax.set_ylabel(r"per-step rate $\rho$")
    ax.text(0.02, 0.97, r"$\rho > 1$: diverges", transform=ax.transAxes, va="top", fontsize=9,
            color=DIVERGED_COLOR)
    if legend:
        ax.legend(loc="lower left", fontsize=8)
    return handles


def gradient_norms(ax, objective, trajectories, labels=None, colors: Optional[Sequence] = None) -> list:
    r"""The gradient norm :math:`\|\nabla f(\theta_t)\|` against the step, on a log axis.

    Long flat stretches at a tiny norm that later rise again are the signature of a saddle point or plateau;
    a norm falling steadily to zero is convergence. A diverged run ends in a cross, as in :func:`loss_curves`.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    trajectories = _as_list(trajectories)
    labels = _labels(labels, len(trajectories))
    colors = list(colors) if colors is not None else COLORS
    lines = []
    for i, (trajectory, label) in enumerate(zip(trajectories, labels)):
        path = trajectory.valid
        with np.errstate(all="ignore"):
            norms = np.linalg.norm(np.asarray(objective.grad(path)).reshape(len(path), -1), axis=1)
        finite = np.isfinite(norms)
        steps = np.arange(len(path))
        line, = ax.plot(steps[finite], np.maximum(norms[finite], _FLOOR), color=colors[i % len(colors)],
                        label=_diverged_label(label, trajectory))
        if trajectory.diverged and finite.any():
            ax.plot([steps[finite][-1]], [norms[finite][-1]], "X", color=DIVERGED_COLOR, mec="black", mew=0.8,
                    ms=12, zorder=6)
        lines.append(line)
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"gradient norm $\|\nabla f(\theta_t)\|$")
    if any(label is not None for label in labels) or any(t.diverged for t in trajectories):
        ax.legend(loc="best")
    return lines


def variance_by_batch_size(ax, batch_sizes, measured, sigma2: float, n: int, samples: Optional[int] = None):
    r"""Measured mini-batch gradient variance against the batch size, with the two laws, on log–log axes.

    Draws :math:`\sigma^2/B` (dashed grey), the exact law for batches without replacement
    :math:`\sigma^2/B \cdot (n - B)/(n - 1)` (solid) for :math:`B = 1, \dots, n - 1`, and the measurements
    (dots).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    batch_sizes : array_like of int
        The batch sizes measured, in ``1..n-1``.
    measured : array_like
        The measured variances, one per batch size (e.g. from ``descent.training.minibatch_gradient_variance``).
    sigma2 : float
        The per-example gradient variance :math:`\sigma^2` (> 0).
    n : int
        Number of examples (>= 2).
    samples : int, optional
        How many batches each measurement drew (for the legend).

    Returns
    -------
    list of matplotlib.lines.Line2D
        The plain law, the corrected law and the measurements.
    """
    sizes = np.asarray(batch_sizes, dtype=float)
    values = np.asarray(measured, dtype=float)
    if sizes.ndim != 1 or sizes.shape != values.shape or sizes.size == 0:
        raise ValueError(f"batch_sizes and measured must be 1-D of the same length; got {sizes.shape} and "
                         f"{values.shape}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    if not (np.all(sizes >= 1) and np.all(sizes < n)):
        raise ValueError(f"batch_sizes must lie in 1..{n - 1}; got {sizes.tolist()}")
    if not (np.isfinite(sigma2) and sigma2 > 0):
        raise ValueError(f"sigma2 must be a positive number; got {sigma2!r}")
    grid = np.arange(1, n)
    plain, = ax.plot(grid, sigma2 / grid, "--", color="#888888", label=r"$\sigma^2 / B$")
    corrected, = ax.plot(grid, sigma2 / grid * (n - grid) / (n - 1), color=COLORS[0],
                         label=r"$\sigma^2 / B \cdot (n - B)/(n - 1)$")
    dots, = ax.plot(sizes, values, "o", color=COLORS[1],
                    label="measured" if samples is None else f"measured ({samples} batches)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"$\mathbb{E}\,\Vert g_{\mathcal{B}} - \nabla f\Vert^2$")
    ax.legend(loc="best")
    return [plain, corrected, dots]
