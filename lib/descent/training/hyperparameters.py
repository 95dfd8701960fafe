r"""Hyperparameter search: settings on a grid or drawn at random, on a log scale where the scale is unknown.

A **search space** maps each hyperparameter's name to a range, ``(low, high, "log")`` or
``(low, high, "linear")``. A learning rate belongs on a log scale: its useful values span
orders of magnitude, and what matters is the ratio between two rates, not their difference.
Drawing :math:`\eta = 10^u` with :math:`u` uniform on :math:`[\log_{10}\eta_{\min},
\log_{10}\eta_{\max}]` gives every decade the same share of the trials; drawing :math:`\eta`
itself uniformly would put 90 % of them in the top decade.

- :func:`grid_points`: ``per_axis`` values per hyperparameter, every combination
  (``per_axis ** dims`` settings);
- :func:`random_points`: ``trials`` settings, each coordinate drawn independently (Bergstra and
  Bengio, 2012: with the same budget, random search tries ``trials`` different values of every
  hyperparameter where a grid tries ``per_axis``, which pays when only a few of them matter);
- :func:`narrow`: a smaller space around a good setting, for the next, finer stage of a
  coarse-to-fine search (CS231n's advice: a coarse stage of short runs over wide ranges, then
  longer runs in the region the coarse stage points to);
- :func:`search`: evaluate an objective (lower is better) at each setting, keep the scores.

The objective is the caller's: usually a short training run that returns the validation loss.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .. import _validation as check

__all__ = ["SCALES", "grid_points", "random_points", "narrow", "search", "Search"]

#: How a range is sampled.
SCALES = ("log", "linear")


def _space(space):
    if not isinstance(space, dict) or not space:
        raise ValueError(f"space must be a non-empty dict name -> (low, high, scale), got {space!r}")
    checked = {}
    for name, spec in space.items():
        try:
            low, high, scale = spec
        except (TypeError, ValueError):
            raise ValueError(f"space[{name!r}] must be (low, high, scale) with scale 'log' or 'linear', got {spec!r}") from None
        scale = check.choice(f"space[{name!r}] scale", scale, SCALES)
        low, high = check.real(f"space[{name!r}] low", low), check.real(f"space[{name!r}] high", high)
        if not low < high:
            raise ValueError(f"space[{name!r}] needs low < high, got low={low!r}, high={high!r}")
        if scale == "log" and low <= 0:
            raise ValueError(f"space[{name!r}] is on a log scale and needs low > 0, got {low!r}")
        checked[name] = (low, high, scale)
    return checked


def grid_points(space, per_axis):
    """Every combination of ``per_axis`` evenly spaced values per hyperparameter (log-spaced on a log scale).

    Returns
    -------
    list of dict
        ``per_axis ** len(space)`` settings, the last hyperparameter varying fastest.
    """
    space = _space(space)
    per_axis = check.integer("per_axis", per_axis, 1)
    axes = []
    for low, high, scale in space.values():
        if per_axis == 1:
            axes.append([math.sqrt(low * high) if scale == "log" else 0.5 * (low + high)])
        else:
            axes.append(list(np.geomspace(low, high, per_axis) if scale == "log" else np.linspace(low, high, per_axis)))
    return [dict(zip(space, map(float, values))) for values in itertools.product(*axes)]


def random_points(space, trials, seed=0):
    """``trials`` settings drawn independently: on a log scale :math:`10^u`, :math:`u` uniform between the
    logarithms of the ends; on a linear scale uniform between them.

    Parameters
    ----------
    space : dict
        Name -> ``(low, high, scale)``.
    trials : int
        Number of settings, ``>= 1``.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same seed gives the same settings.
    """
    space = _space(space)
    trials = check.integer("trials", trials, 1)
    rng = np.random.default_rng(check.integer("seed", seed, 0))
    columns = {}
    for name, (low, high, scale) in space.items():
        if scale == "log":
            columns[name] = 10 ** rng.uniform(math.log10(low), math.log10(high), size=trials)
        else:
            columns[name] = rng.uniform(low, high, size=trials)
    return [{name: float(columns[name][i]) for name in space} for i in range(trials)]


def narrow(space, point, factor=3.0):
    """A smaller space centred on ``point``, inside ``space``: for the next stage of a coarse-to-fine search.

    On a log scale the new range is ``[x / factor, x * factor]``; on a linear scale it is the old width
    divided by ``factor``, centred on ``x``. Either is clipped to the old range.

    Parameters
    ----------
    space : dict
        The current space.
    point : dict
        A setting inside it (usually the best so far), with a value for every hyperparameter.
    factor : float, default 3
        How much narrower, ``> 1``.
    """
    space = _space(space)
    factor = check.real("factor", factor, "> 1")
    if not factor > 1:
        raise ValueError(f"factor must be > 1, got {factor!r}")
    narrowed = {}
    for name, (low, high, scale) in space.items():
        if name not in point:
            raise ValueError(f"point has no value for {name!r}; it needs one for every hyperparameter of space")
        x = check.in_range(f"point[{name!r}]", point[name], low, high)
        if scale == "log":
            new_low, new_high = x / factor, x * factor
        else:
            half = 0.5 * (high - low) / factor
            new_low, new_high = x - half, x + half
        narrowed[name] = (max(low, new_low), min(high, new_high), scale)
    return narrowed


@dataclass
class Search:
    """The result of :func:`search`.

    Attributes
    ----------
    points : list of dict
        The settings, in the order evaluated.
    scores : numpy.ndarray
        The objective at each (lower is better; ``inf`` where it was not finite).
    """

    points: list
    scores: np.ndarray

    @property
    def best_index(self) -> int:
        """Index of the lowest score (the first one on a tie)."""
        return int(np.argmin(self.scores))

    @property
    def best(self) -> dict:
        """The setting with the lowest score."""
        return dict(self.points[self.best_index])

    @property
    def best_score(self) -> float:
        """The lowest score."""
        return float(self.scores[self.best_index])

    def values(self, name) -> np.ndarray:
        """The values one hyperparameter took, in the order evaluated."""
        return np.array([point[name] for point in self.points])

    def __repr__(self):
        return f"Search({len(self.points)} settings, best score {self.best_score:.4g} at {self.best})"


def search(objective, points):
    """Evaluate ``objective(**point)`` at every setting; a score that is not finite counts as ``inf``.

    Parameters
    ----------
    objective : callable
        ``objective(**point) -> float``, lower is better (a validation loss, say).
    points : list of dict
        From :func:`grid_points`, :func:`random_points`, or written by hand.

    Returns
    -------
    Search
    """
    if not callable(objective):
        raise TypeError(f"objective must be a function of the hyperparameters, got {objective!r}")
    points = [dict(point) for point in points]
    if not points:
        raise ValueError("points must hold at least one setting")
    scores = []
    for point in points:
        score = float(objective(**point))
        scores.append(score if math.isfinite(score) else math.inf)
    return Search(points=points, scores=np.array(scores))
