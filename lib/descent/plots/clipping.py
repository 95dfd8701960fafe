r"""Clipping a path to the plot window, so that a run that leaves it is drawn up to the edge."""

from __future__ import annotations

import numpy as np

__all__ = ["clip_polyline"]


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
