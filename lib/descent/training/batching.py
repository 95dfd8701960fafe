r"""Batches: how one epoch's examples are cut into mini-batches.

One **epoch** shuffles the :math:`n` training examples with a seeded generator
and cuts the shuffled order into consecutive batches of :math:`B` examples (the
last one smaller when :math:`B` does not divide :math:`n`): :func:`~descent.training.epoch_batches`.
With replacement, the epoch's :math:`n` indices are instead independent uniform
draws, cut into batches of the same sizes: :func:`~descent.training.replacement_batches`.
``SAMPLING`` names the two for :func:`descent.training.train`.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check

__all__ = ["epoch_batches", "replacement_batches", "SAMPLING"]


def epoch_batches(n: int, batch_size: int, rng: np.random.Generator) -> list:
    """The batches of one epoch: a shuffled order cut into consecutive chunks.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        ``B``, in ``1..n``. The last batch holds the ``n mod B`` left-over
        examples when ``B`` does not divide ``n``.
    rng : numpy.random.Generator
        Source of the shuffle; one call to ``rng.permutation(n)`` per epoch.

    Returns
    -------
    list of numpy.ndarray
        Index arrays; together they hold every example exactly once.
    """
    n = check.integer("n", n, 1, floats=False)
    batch_size = check.batch_size(batch_size, n)
    check.generator("rng", rng)
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def replacement_batches(n: int, batch_size: int, rng: np.random.Generator) -> list:
    """The batches of one epoch drawn **with** replacement: :math:`n` independent uniform indices.

    The draws are cut into the same batch sizes as :func:`epoch_batches` (so an epoch still
    takes :math:`\\lceil n/B \\rceil` steps and processes :math:`n` examples), but an example may
    appear several times, or not at all, and batches are independent of each other.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        ``B``, in ``1..n``.
    rng : numpy.random.Generator
        Source of the draws; one call to ``rng.integers(0, n, size=n)`` per epoch.

    Returns
    -------
    list of numpy.ndarray
        Index arrays, ``n`` indices in all.
    """
    n = check.integer("n", n, 1, floats=False)
    batch_size = check.batch_size(batch_size, n)
    check.generator("rng", rng)
    draws = rng.integers(0, n, size=n)
    return [draws[i : i + batch_size] for i in range(0, n, batch_size)]


#: How :func:`~descent.training.train` picks each epoch's batches: ``"reshuffle"`` (:func:`epoch_batches`, every
#: example once per epoch) or ``"replacement"`` (:func:`replacement_batches`, independent draws).
SAMPLING = {"reshuffle": epoch_batches, "replacement": replacement_batches}
