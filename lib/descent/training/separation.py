r"""Is a difference between two settings more than the spread over seeds?

A comparison of optimizers gives one score per seed for every setting. This module holds the
rule the case study uses to call one setting better than another, and the yardstick that says
how often that rule fires by chance:

- :func:`separated`: every seed of one setting beats every seed of the other;
- :func:`count_separated`: how many ordered pairs of a table of settings are separated;
- :func:`chance_separations`: the same count when the setting does not matter, seed by seed
  shuffled among the settings (a permutation test that keeps the pairing of the runs by seed).
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check

__all__ = ["separated", "count_separated", "chance_separations"]


def separated(lower, higher, margin=0.0) -> bool:
    """Whether every value of ``lower`` is below every value of ``higher`` by more than ``margin``.

    The rule the case study uses to call one setting better than another: with per-seed scores,
    the worst seed of the better setting must beat the best seed of the other, so a difference
    smaller than the spread over seeds is never called a difference.

    ``separated(a, b)`` is ``max(a) + margin < min(b)``; NaN anywhere gives False.
    """
    lower, higher = np.asarray(lower, dtype=float).ravel(), np.asarray(higher, dtype=float).ravel()
    if not lower.size or not higher.size:
        raise ValueError("lower and higher must each hold at least one value")
    margin = check.non_negative("margin", margin)
    return bool(np.max(lower) + margin < np.min(higher))


def count_separated(values) -> int:
    """How many ordered pairs ``(a, b)`` of rows of ``values`` are :func:`separated` (``a`` below ``b``).

    ``values`` is an array ``(settings, seeds)``: one row of per-seed scores per setting.
    """
    values = _score_table(values)
    highest, lowest = values.max(axis=1), values.min(axis=1)
    return int(np.sum(highest[:, None] < lowest[None, :]))


def chance_separations(values, *, trials=2000, seed=0) -> np.ndarray:
    r"""How many pairs :func:`count_separated` finds when the settings do not matter.

    Under that hypothesis the scores of one seed are the same whatever the setting, up to which
    setting got which: so, seed by seed, the column of scores is shuffled among the settings
    (the pairing of the runs by seed is kept), and the separated pairs are counted; ``trials``
    times. Comparing the count of the real table with these counts says whether its separations
    are more than three seeds' luck: with three seeds, two equal settings come out separated
    one time in :math:`\binom{6}{3} = 20` by chance alone.

    Returns
    -------
    numpy.ndarray of int
        The count of each trial.
    """
    values = _score_table(values)
    trials = check.integer("trials", trials, 1)
    seed = check.integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    settings, seeds = values.shape
    order = np.argsort(rng.random((trials, settings, seeds)), axis=1)  # a permutation per trial and seed
    shuffled = np.take_along_axis(np.broadcast_to(values, (trials, settings, seeds)), order, axis=1)
    highest, lowest = shuffled.max(axis=2), shuffled.min(axis=2)
    return np.sum(highest[:, :, None] < lowest[:, None, :], axis=(1, 2))


def _score_table(values):
    values = np.asarray(values, dtype=float)
    if values.ndim != 2 or values.shape[0] < 2 or values.shape[1] < 1:
        raise ValueError(f"values must be an array (settings, seeds) with at least two settings, got shape "
                         f"{values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("values must be finite")
    return values
