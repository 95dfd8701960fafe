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

:class:`descent.models.NoisyQuadratic` is the quadratic bowl :math:`f(\theta) = \tfrac12\sum_i \lambda_i\theta_i^2`
whose gradient is :math:`\Lambda\theta + \xi`, :math:`\xi_i \sim \mathcal N(0, s_i^2)` independent, with noise that may
differ per coordinate: the setting in which the noise-floor formulas of :mod:`descent.theory.noise` are exact.
``value`` is the exact loss (no noise), so a run records the true loss gap.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
from .._validation import integer, interface, non_negative
from .objectives import Quadratic

__all__ = ["NoisyGradients", "NoisyQuadratic"]


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


class NoisyQuadratic(Quadratic):
    r"""A diagonal quadratic bowl with Gaussian gradient noise (see the module docstring).

    Parameters
    ----------
    eigenvalues : sequence of float
        The curvatures :math:`\lambda_i > 0`; their number is the dimension d.
    noise_std : float or sequence of float
        The standard deviation :math:`s_i \ge 0` of the noise added to each coordinate of the gradient
        (one number for all coordinates, or one per coordinate).
    seed : int, default 0
        Seed of the noise generator; :meth:`reseed` starts the same noise sequence again.
    start : array_like, optional
        Default starting point (all ones by default).

    Attributes
    ----------
    noise_variances : numpy.ndarray, shape (d,)
        :math:`s_i^2`.
    sigma2 : float
        The total noise variance :math:`\sigma^2 = \sum_i s_i^2 = \mathbb E\lVert\xi\rVert^2`.
    """

    def __init__(self, eigenvalues, noise_std, seed: int = 0, start=None):
        super().__init__(eigenvalues, start=start)
        std = np.array(noise_std, dtype=float) if not isinstance(noise_std, bool) else None
        if std is None or std.ndim > 1 or (std.ndim == 1 and std.shape != (self.dim,)):
            raise ValueError(f"noise_std must be one number or {self.dim} numbers >= 0; got {noise_std!r}")
        if not np.all(np.isfinite(std)) or np.any(std < 0):
            raise ValueError(f"noise_std must be finite and >= 0; got {noise_std!r}")
        self.noise_std = np.broadcast_to(std, (self.dim,)).copy()
        self.noise_variances = self.noise_std**2
        self.sigma2 = float(self.noise_variances.sum())
        self.seed = check.integer("seed", seed, 0)
        self.name = "noisy quadratic"
        self.reseed()

    def __repr__(self) -> str:
        return f"NoisyQuadratic(dim={self.dim}, sigma2={self.sigma2:g}, seed={self.seed})"

    def reseed(self, seed: int | None = None) -> None:
        """Restart the noise sequence (from ``seed``, or from the seed given to the constructor)."""
        if seed is not None:
            self.seed = check.integer("seed", seed, 0)
        self._rng = np.random.default_rng(self.seed)

    def exact_grad(self, theta) -> np.ndarray:
        r"""The gradient without noise, :math:`\Lambda\theta`."""
        return self.eigenvalues * self._points(theta)

    # The Hessian is diagonal: elementwise products instead of the d x d matrix products of Quadratic.
    def _value(self, theta):
        return 0.5 * np.sum(self.eigenvalues * theta**2, axis=-1)

    def _grad(self, theta):
        return self.eigenvalues * theta + self.noise_std * self._rng.standard_normal(theta.shape)
