r"""An objective whose gradients carry Gaussian noise: a stand-in for stochastic gradients.

:class:`descent.models.NoisyGradients` wraps any objective of :mod:`descent.models.objectives`. Its value, Hessian,
minimisers and plot window are the wrapped objective's; its gradient is the true gradient plus
independent Gaussian noise in every coordinate,

.. math::

    \tilde g(\theta) = \nabla f(\theta) + \sigma\,\xi, \qquad \xi \sim \mathcal N(0, I),

so each coordinate's gradient has variance :math:`\sigma^2` around its mean :math:`\nabla f(\theta)`
(a total variance of :math:`d\sigma^2`). Mini-batch gradients of a model near its minimum look like
this; here the noise is exactly known, which is what a closed form needs.

Every call to ``grad`` draws fresh noise from the wrapper's own generator, so a run is reproducible
from its seed: build a new wrapper (same seed) to repeat it.
"""

from __future__ import annotations

import numpy as np

from .._validation import integer, interface, non_negative

__all__ = ["NoisyGradients"]


class NoisyGradients:
    r"""``objective`` with Gaussian noise of standard deviation ``sigma`` added to every gradient.

    Parameters
    ----------
    objective : descent.models.Objective
        The noise-free objective (anything with ``value``, ``grad``, ``dim`` and ``start``).
    sigma : float
        Standard deviation :math:`\sigma \ge 0` of the noise in each coordinate.
    seed : int, default 0
        Seed of the noise (``numpy.random.default_rng``).

    Attributes
    ----------
    objective : descent.models.Objective
    sigma : float
    """

    def __init__(self, objective, sigma: float, seed: int = 0):
        interface("objective", objective, ("value", "grad", "dim", "start"), "an objective of descent.models")
        self.objective = objective
        self.sigma = non_negative("sigma", sigma)
        self.seed = integer("seed", seed, 0)
        self._rng = np.random.default_rng(self.seed)
        self.dim = objective.dim
        self.name = f"{getattr(objective, 'name', 'objective')} with gradient noise σ = {self.sigma:g}"
        self.start = np.array(objective.start, dtype=float)
        for attribute in ("bounds", "minimizers", "min_value"):
            if hasattr(objective, attribute):
                setattr(self, attribute, getattr(objective, attribute))

    def value(self, theta):
        r"""The noise-free loss :math:`f(\theta)`."""
        return self.objective.value(theta)

    def grad(self, theta):
        r"""A noisy gradient :math:`\nabla f(\theta) + \sigma\xi`, fresh noise at every call."""
        exact = np.asarray(self.objective.grad(theta), dtype=float)
        return exact + self.sigma * self._rng.standard_normal(exact.shape)

    def hessian(self, theta):
        r"""The Hessian of the noise-free loss."""
        return self.objective.hessian(theta)

    def __call__(self, theta):
        return self.value(theta)

    def __repr__(self) -> str:
        return f"NoisyGradients({self.objective!r}, sigma={self.sigma}, seed={self.seed})"
