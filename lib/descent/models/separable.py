r"""Wilson et al.'s linearly separable example, on which adaptive methods generalise badly.

Wilson, Roelofs, Stern, Srebro and Recht (2017, section 3.3) build a binary classification problem with
more features than examples. For :math:`i = 1, \dots, n` draw the label :math:`y_i = 1` with probability
:math:`p > 1/2` and :math:`-1` otherwise, and give example i the features

.. math::

    x_{ij} = \begin{cases}
        y_i & j = 1 \\
        1 & j = 2, 3 \\
        1 & j = 4 + 5(i-1), \dots, 4 + 5(i-1) + 2(1 - y_i) \\
        0 & \text{otherwise.}
    \end{cases}

The first feature is the label itself and classifies perfectly; features 2 and 3 are always 1; the rest
are unique to one example (one for a positive example, five for a negative one). The loss is least
squares, :math:`f(w) = \frac1n\sum_i \tfrac12 (x_i^\top w - y_i)^2`, with no intercept, started at
:math:`w = 0`.

- Gradient descent stays in the span of the :math:`x_i` and converges to the minimum-norm
  interpolating solution, which gives a new example the sign of its first feature: it classifies
  every test point correctly.
- AdaGrad, RMSProp and Adam converge to a solution proportional to :math:`\mathrm{sign}(X^\top y)`
  (their Lemma 3.1, since :math:`X\,\mathrm{sign}(X^\top y) = 4y` here). That puts the same weight
  on the constant features 2 and 3 as on the label feature, so a new example, whose unique features
  are new coordinates with weight 0, scores :math:`\tau(y + 2) > 0`: everything is predicted positive,
  and the test error is the fraction of negative test examples, about :math:`1 - p`.

:func:`wilson_data` draws the data; :class:`InterpolatingLeastSquares` is the training loss, whose
``optimum`` is the minimum-norm solution.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import in_range, integer
from .linear import LeastSquares

__all__ = ["WilsonData", "wilson_data", "InterpolatingLeastSquares"]


@dataclass(frozen=True)
class WilsonData:
    r"""Training and test sets of Wilson et al.'s example.

    Attributes
    ----------
    X_train : numpy.ndarray, shape (n, 3 + 5n)
    y_train : numpy.ndarray, shape (n,)
        Labels in {-1, 1}.
    X_test : numpy.ndarray, shape (m, 3 + 5n)
        Test examples have unique features too, but in coordinates that no training example uses; no
        method ever moves a weight there from 0, so they are left out and only the first three
        features are nonzero.
    y_test : numpy.ndarray, shape (m,)
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    def test_error(self, w) -> float:
        r"""The fraction of test examples whose predicted sign, :math:`\mathrm{sign}(x^\top w)`, is wrong
        (a score of exactly 0 counts as wrong)."""
        scores = self.X_test @ np.asarray(w, dtype=float)
        return float(np.mean(np.sign(scores) != self.y_test))

    def train_error(self, w) -> float:
        """The same on the training set."""
        scores = self.X_train @ np.asarray(w, dtype=float)
        return float(np.mean(np.sign(scores) != self.y_train))


def _features(y: np.ndarray, dim: int, unique: bool) -> np.ndarray:
    X = np.zeros((len(y), dim))
    X[:, 0] = y
    X[:, 1:3] = 1.0
    if unique:
        for i, label in enumerate(y):
            first = 3 + 5 * i  # feature 4 + 5(i - 1), counted from 1
            X[i, first:first + 1 + 2 * int(1 - label)] = 1.0
    return X


def wilson_data(n_train: int = 40, n_test: int = 1000, p: float = 0.6, seed: int = 0) -> WilsonData:
    r"""Draw Wilson et al.'s training and test sets (labels :math:`\pm 1`, :math:`P(y = 1) = p`).

    Parameters
    ----------
    n_train : int, default 40
        n >= 1 training examples; there are :math:`3 + 5n` features.
    n_test : int, default 1000
        Test examples, >= 1.
    p : float, default 0.6
        Probability of the label 1, in (0.5, 1).
    seed : int, default 0
        Seed of the generator that draws the labels (training labels first).

    Returns
    -------
    WilsonData
    """
    n_train, n_test = integer("n_train", n_train, 1), integer("n_test", n_test, 1)
    p = in_range("p", p, 0.5, 1, low_open=True, high_open=True)
    seed = integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    y_train = np.where(rng.random(n_train) < p, 1.0, -1.0)
    y_test = np.where(rng.random(n_test) < p, 1.0, -1.0)
    dim = 3 + 5 * n_train
    return WilsonData(_features(y_train, dim, unique=True), y_train, _features(y_test, dim, unique=False), y_test)


class InterpolatingLeastSquares(LeastSquares):
    r"""Least squares with more features than examples, so that some :math:`\theta` fits every example.

    With :math:`X` of full row rank, every :math:`\theta` with :math:`X\theta = y` is a minimiser and the
    minimum is 0. ``optimum`` is the one of smallest norm, :math:`X^\top (X X^\top)^{-1} y`: the limit
    of gradient descent started at 0 (its iterates stay in the row space of :math:`X`). No intercept
    (``fit_intercept=False``) unless asked for.

    Parameters
    ----------
    X, y, l2, fit_intercept, name
        As in :class:`descent.models.LeastSquares`; ``fit_intercept`` defaults to False.
    """

    default_name = "interpolating least squares"

    def __init__(self, X, y, *, l2: float = 0.0, fit_intercept: bool = False, name: str | None = None):
        super().__init__(X, y, l2=l2, fit_intercept=fit_intercept, name=name)

    def _solve(self) -> np.ndarray:
        if self.l2:
            return super()._solve()
        if np.linalg.matrix_rank(self.X) < self.n:
            raise ValueError("X must have full row rank (no example a combination of the others) to interpolate")
        return self.X.T @ np.linalg.solve(self.X @ self.X.T, self.y)
