r"""Functions built to make a method fail, from the papers that proved it.

:class:`PiecewiseQuadratic` is the one-dimensional function of Lessard, Recht and Packard (2016, section 4.6),
smooth (:math:`L = 25`) and strongly convex (:math:`\mu = 1`), made of three quadratic pieces:

.. math::

    f(\theta) = \begin{cases}
        \tfrac{25}{2}\theta^2 & \theta < 1 \\
        \tfrac12\theta^2 + 24\theta - 12 & 1 \le \theta < 2 \\
        \tfrac{25}{2}\theta^2 - 24\theta + 36 & \theta \ge 2
    \end{cases}
    \qquad
    f'(\theta) = \begin{cases} 25\theta \\ \theta + 24 \\ 25\theta - 24 \end{cases}

(:math:`f` and :math:`f'` are continuous; :math:`f''` is 25, 1, 25). Heavy-ball momentum with the parameters
that are optimal on quadratics with these :math:`\mu` and :math:`L`
(:math:`\alpha = 4/(\sqrt L + \sqrt\mu)^2 = 1/9`, :math:`\beta = 4/9`) does not converge on it from
:math:`\theta_0 \approx 3.3`: it settles into a cycle of period 3.
"""

from __future__ import annotations

import numpy as np

from .objectives import Objective, _scalar_start

__all__ = ["PiecewiseQuadratic"]


class PiecewiseQuadratic(Objective):
    r"""Lessard et al.'s strongly convex function on which the heavy ball cycles (see the module docstring).

    Parameters
    ----------
    start : float, default 3.3
        Default starting point (the paper's cycle is reached from about 3.07 to 3.46).

    Attributes
    ----------
    mu, L : float
        The strong-convexity and smoothness constants, 1 and 25.
    """

    mu = 1.0
    L = 25.0

    def __init__(self, start: float = 3.3):
        self.dim = 1
        self.name = "piecewise quadratic"
        self.start = _scalar_start(start)
        self.bounds = (-3.0, 4.0)
        self.minimizers = np.zeros((1, 1))
        self.min_value = 0.0

    def __repr__(self) -> str:
        return f"PiecewiseQuadratic(start={float(self.start[0])})"

    @staticmethod
    def _pieces(x):
        return [x < 1, (x >= 1) & (x < 2), x >= 2]

    def _value(self, theta):
        x = theta[..., 0]
        return np.select(self._pieces(x), [12.5 * x**2, 0.5 * x**2 + 24 * x - 12, 12.5 * x**2 - 24 * x + 36])

    def _grad(self, theta):
        x = theta[..., 0]
        return np.select(self._pieces(x), [25 * x, x + 24, 25 * x - 24])[..., None]

    def _hessian(self, theta):
        x = theta[..., 0]
        return np.select(self._pieces(x), [25.0, 1.0, 25.0])[..., None, None] * np.ones(x.shape)[..., None, None]
