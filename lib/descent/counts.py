r"""Counts read off a run, with their distance from changing.

A chapter that says "the run passes 10 after exactly 117 steps" makes a claim that rounding
could move by one: the float that decides step 117 might sit a hair from the threshold, and a
different BLAS kernel (another processor) rounds it the other way. Each function here returns
the count together with its *margin*, the relative distance of the deciding numbers from
their threshold, so a chapter can assert both the count and that it is far from a tie:

>>> crossing = first_below([1.0, 0.5, 0.2, 0.05], 0.1)
>>> crossing.count, round(crossing.margin, 2)
(3, 0.5)

A margin of :math:`10^{-9}` or more is many orders of magnitude above the :math:`10^{-16}`
relative rounding of one operation (and the :math:`10^{-13}` or so a few hundred steps
accumulate), so a count with such a margin does not depend on the machine.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from . import _validation as check

__all__ = ["Count", "first_below", "first_above", "count_positive", "ceil_count"]


class Count(NamedTuple):
    """An integer read off floats, and how far those floats are from changing it.

    Attributes
    ----------
    count : int or None
        The count (``None`` when a crossing never happens).
    margin : float
        The smallest relative distance of a deciding value from its threshold; ``inf`` when
        nothing was close to deciding.
    """

    count: int | None
    margin: float


def _series(values, name: str = "values") -> np.ndarray:
    """A run's values as a non-empty 1-D float array; not-finite entries are allowed (a run may diverge)."""
    series = np.asarray(values, dtype=float)
    if series.ndim != 1 or series.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence; got shape {series.shape}")
    return series


def _relative(value: float, threshold: float) -> float:
    return abs(value - threshold) / threshold if math.isfinite(value) else math.inf


def first_below(values, threshold) -> Count:
    r"""The first index :math:`t` with :math:`v_t < \delta`, and its margin.

    The margin is :math:`\min(|v_{t-1} - \delta|, |v_t - \delta|)/\delta`: how far the last value
    above the threshold and the first value below it are from it, relative to it (only
    :math:`v_t` when :math:`t = 0`). With no value below the threshold, the count is ``None``
    and the margin is that of the smallest value.

    Parameters
    ----------
    values : array_like, 1-D
        A sequence such as distances or loss gaps, one per step.
    threshold : float
        :math:`\delta > 0`.
    """
    series, delta = _series(values), check.positive("threshold", threshold)
    below = np.flatnonzero(series < delta)
    if not len(below):
        return Count(None, _relative(float(np.nanmin(series)), delta))
    t = int(below[0])
    deciding = [series[t]] if t == 0 else [series[t - 1], series[t]]
    return Count(t, min(_relative(float(v), delta) for v in deciding))


def first_above(values, threshold) -> Count:
    r"""The first index :math:`t` with :math:`|v_t| \ge \delta`, and its margin (as :func:`first_below`)."""
    series, delta = np.abs(_series(values)), check.positive("threshold", threshold)
    above = np.flatnonzero(~(series < delta))
    if not len(above):
        return Count(None, _relative(float(np.nanmax(series)), delta))
    t = int(above[0])
    deciding = [series[t]] if t == 0 else [series[t - 1], series[t]]
    return Count(t, min(_relative(float(v), delta) for v in deciding))


def count_positive(differences, scale) -> Count:
    r"""How many of ``differences`` are > 0, and the smallest :math:`|d_i| / s` among them all.

    For example the number of steps at which the loss rose, ``count_positive(np.diff(losses),
    losses[:-1])``: a rise of :math:`10^{-17}` relative to the loss could as well be a fall on
    another machine, and the margin shows it.

    Parameters
    ----------
    differences : array_like, 1-D
    scale : float or array_like
        What each difference is measured against (a number, or one per difference), > 0.
    """
    d = _series(differences, "differences")
    s = np.broadcast_to(np.asarray(scale, dtype=float), d.shape)
    if not np.all(s > 0):
        raise ValueError("scale must be > 0 everywhere")
    finite = np.isfinite(d)
    margin = float(np.min(np.abs(d[finite]) / s[finite])) if finite.any() else math.inf
    return Count(int(np.sum(d > 0)), margin)


def ceil_count(x) -> Count:
    r""":math:`\lceil x \rceil` for a formula such as :math:`\ln\delta / \ln\rho`, and how far
    :math:`x` is from the integers on either side (an absolute distance, in steps)."""
    x = check.real("x", x)
    return Count(math.ceil(x), min(x - math.floor(x), math.ceil(x) - x) if x != round(x) else 0.0)
