r"""A synthetic regression problem with sparse features whose frequencies span orders of magnitude.

This is the setting AdaGrad was made for (Duchi, Hazan and Singer, 2011): words in text, users and
items in recommendation, categorical columns one-hot encoded. Most features are absent from most
examples, and a few are present in almost all of them.

Feature :math:`j` is present (:math:`x_{ij} = 1`) in example :math:`i` with probability :math:`p_j`,
independently, and absent (:math:`x_{ij} = 0`) otherwise. The target is linear with Gaussian noise,

.. math::

    y_i = x_i^\top w + \sigma_y\, \xi_i, \qquad \xi_i \sim \mathcal N(0, 1),

with true weights :math:`w_j = \pm 1` (random signs) unless given. The loss is least squares without
an intercept, :class:`descent.models.LeastSquares`; the gradient of example :math:`i` in coordinate
:math:`j` is :math:`x_{ij}\,(x_i^\top\theta - y_i)`, zero whenever feature :math:`j` is absent. So a
rare feature's coordinate receives a non-zero gradient only in the few examples (or mini-batches)
that contain it.

Example
-------
>>> import numpy as np
>>> from descent.models import sparse_regression
>>> problem = sparse_regression(np.geomspace(0.5, 0.001, 10), n=10_000, seed=0)
>>> problem.X.shape, problem.model.dim
((10000, 10), 10)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import array, integer, non_negative, reals
from .linear import LeastSquares

__all__ = ["SparseRegression", "sparse_regression"]


@dataclass(frozen=True)
class SparseRegression:
    r"""A sparse regression problem made by :func:`sparse_regression`.

    Attributes
    ----------
    X : numpy.ndarray, shape (n, d)
        Features, 0 or 1.
    y : numpy.ndarray, shape (n,)
        Targets.
    frequencies : numpy.ndarray, shape (d,)
        The probabilities :math:`p_j` the features were drawn with.
    weights : numpy.ndarray, shape (d,)
        The true weights :math:`w`.
    noise : float
        :math:`\sigma_y`, the standard deviation of the target noise.
    model : descent.models.LeastSquares
        The least-squares loss on ``(X, y)``, without an intercept; its ``optimum`` is the
        least-squares fit (not :math:`w`, because of the noise).
    """

    X: np.ndarray
    y: np.ndarray
    frequencies: np.ndarray
    weights: np.ndarray
    noise: float
    model: LeastSquares

    @property
    def counts(self) -> np.ndarray:
        """How many examples contain each feature."""
        return self.X.sum(axis=0).astype(int)

    @property
    def observed_frequencies(self) -> np.ndarray:
        """The fraction of examples that contain each feature (``counts / n``)."""
        return self.X.mean(axis=0)


def sparse_regression(frequencies, n: int = 10_000, noise: float = 1.0, seed: int = 0,
                      weights=None) -> SparseRegression:
    r"""Draw a sparse regression problem: binary features present with the given frequencies.

    Parameters
    ----------
    frequencies : array_like, shape (d,)
        :math:`p_j` in (0, 1], for example ``np.geomspace(0.5, 0.001, 10)``.
    n : int, default 10000
        Number of examples, >= 1.
    noise : float, default 1.0
        Standard deviation :math:`\sigma_y \ge 0` of the noise added to the targets.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same seed gives the same problem.
    weights : array_like, shape (d,), optional
        The true weights; random signs :math:`\pm 1` by default.

    Returns
    -------
    SparseRegression

    Raises
    ------
    ValueError
        For frequencies outside (0, 1], or when some feature occurs in no example (its weight
        would be undetermined: raise ``n`` or the frequency).
    """
    p = np.atleast_1d(reals("frequencies", frequencies, 0.0, 1.0, low_open=True, max_ndim=1))
    n = integer("n", n, 1)
    noise = non_negative("noise", noise)
    seed = integer("seed", seed, 0)
    rng = np.random.default_rng(seed)
    X = (rng.random((n, p.size)) < p).astype(float)
    if weights is None:
        w = rng.choice([-1.0, 1.0], size=p.size)
    else:
        w = array("weights", weights, shape=p.shape)
    missing = np.flatnonzero(X.sum(axis=0) == 0)
    if missing.size:
        raise ValueError(f"features {missing.tolist()} occur in none of the n={n} examples; raise n or their "
                         "frequencies")
    y = X @ w + noise * rng.standard_normal(n)
    model = LeastSquares(X, y, fit_intercept=False, name="sparse least squares")
    return SparseRegression(X=X, y=y, frequencies=p.copy(), weights=w.copy(), noise=noise, model=model)
