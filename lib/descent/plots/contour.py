r"""Contour lines of a 2-D objective, log-spaced in the gap :math:`f - f^\star`."""

from __future__ import annotations

from typing import NamedTuple, Optional

import matplotlib as mpl
import numpy as np

from .. import _validation as check

__all__ = ["ContourGrid", "contour_grid", "contours"]


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
    resolution = check.integer("resolution", resolution, 2)
    window = check.window("window", objective.bounds if window is None else window)
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
    levels = check.integer("levels", levels, 2)
    if grid is None:
        grid = contour_grid(objective, window=window, resolution=resolution)
    elif not isinstance(grid, ContourGrid):
        raise TypeError(f"grid must be a ContourGrid (from descent.plots.contour_grid); got {type(grid).__name__}")
    contour_levels = _log_levels(grid.gaps, levels + 1)
    norm = mpl.colors.LogNorm(vmin=contour_levels[0] / 3, vmax=contour_levels[-1] * 30)
    return ax.contour(grid.xs, grid.ys, grid.gaps, levels=contour_levels, cmap="Greys_r", norm=norm,
                      linewidths=0.8, zorder=1)
