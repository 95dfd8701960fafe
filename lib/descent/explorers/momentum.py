r"""Chapter 3's explorers: heavy-ball momentum on a quadratic.

- :class:`MomentumRateMap`: sliders for the learning rate α and the momentum β. It draws the path on an
  ill-conditioned quadratic (eigenvalues 1 and 100), its loss curve, and a marker on the map of the
  convergence rate ρ(α, β) computed from the eigenvalues of the 2×2 iteration matrix
  (:mod:`descent.theory.momentum`). The map is drawn once; a redraw moves the marker and the two curves.
- :class:`PhasePortrait`: one eigen-direction, position :math:`x_t` against velocity
  :math:`(x_t - x_{t-1})/\sqrt{\alpha\lambda}`, with sliders for β and :math:`\alpha\lambda`. Under-, critically
  and over-damped β give a spiral, a straight dash to 0 and a slow creep. Past
  :math:`\alpha\lambda = (1 + \sqrt\beta)^2` the eigenvalues are real and negative and the sign flips every
  step (no spiral); past :math:`\alpha\lambda = 2 + 2\beta` the flips grow.

They draw through :mod:`descent.figures.momentum`, which also has their static counterparts for the site
(:func:`~descent.figures.momentum.rate_map_gallery` and :func:`~descent.figures.momentum.phase_portraits`).
"""

from __future__ import annotations

import numpy as np

from .. import plots
from ..figures.momentum import ALPHA_RANGE, BETA_RANGE, describe, draw_phase_portrait, draw_rate_map, ravine
from ..optim import Momentum
from ..runner import run
from ..theory import momentum as theory
from .base import Explorer, float_slider, log_slider

__all__ = ["MomentumRateMap", "PhasePortrait", "EXPLORERS"]


class MomentumRateMap(Explorer):
    r"""Momentum on the ravine :math:`\tfrac12(\theta_1^2 + 100\,\theta_2^2)`: path, loss curve and rate map.

    Controls: ``lr`` (α, log scale, 1e-4 to 0.05), ``momentum`` (β, 0 to 0.99) and ``steps`` is fixed at
    :attr:`steps` (150). The marker on the map is at the current (α, β).
    """

    width, height, ncols = 13.0, 3.9, 3
    steps = 150

    def make_controls(self):
        return {
            "lr": log_slider("learning rate α", 0.01, *ALPHA_RANGE),
            "momentum": float_slider("momentum β", 0.5, *BETA_RANGE, step=0.01),
        }

    def setup(self):
        path_ax, loss_ax, map_ax = self.axes
        self.objective = ravine(100.0)
        first = run(self.objective, Momentum(lr=0.01, momentum=0.5), self.steps)
        self.path = plots.contour_paths(path_ax, self.objective, first)[0]
        if path_ax.get_legend() is not None:
            path_ax.get_legend().remove()
        self.status = path_ax.set_title("\n", loc="left", fontsize=9)
        self.loss = plots.loss_curves(loss_ax, first, ylim=plots.LOSS_LIMITS)[0]
        self.bound, = loss_ax.plot([], [], "--", color="#555555", lw=1.1)
        loss_ax.legend(handles=[self.loss.line, self.bound], labels=["momentum", r"$\propto \rho^{2t}$ (theory)"],
                       loc="lower left", fontsize=8)
        self.map = draw_rate_map(map_ax, self.objective.eigenvalues)
        map_ax.legend(loc="upper left", fontsize=7, framealpha=0.8)

    def dynamic_artists(self):
        return [*self.path.artists, self.status, *self.loss.artists, self.bound, self.map.marker]

    def update(self, lr, momentum):
        trajectory = run(self.objective, Momentum(lr=lr, momentum=momentum), self.steps)
        self.trajectory = trajectory
        self.path.update(trajectory)
        self.loss.update(trajectory)
        rho = theory.convergence_rate(lr, momentum, self.objective.eigenvalues)
        t = np.arange(self.steps + 1)
        gap0 = trajectory.losses[0] - self.objective.min_value
        with np.errstate(all="ignore"):
            self.bound.set_data(t, np.clip(gap0 * rho ** (2.0 * t), *plots.LOSS_LIMITS))
        self.map.update(lr, momentum)
        self.status.set_text(f"α = {lr:.3g}, β = {momentum:.2f}\n"
                             + describe(lr, momentum, self.objective.eigenvalues, trajectory))


class PhasePortrait(Explorer):
    r"""Position against velocity along one eigen-direction, and the distance :math:`|x_t|` with :math:`\rho^t`.

    Controls: ``momentum`` (β, 0 to 0.99), ``alpha_lambda`` (:math:`\alpha\lambda`, log scale, 0.01 to 4) and
    ``steps`` fixed at :attr:`steps` (80).
    """

    width, height, ncols = 10.0, 4.2, 2
    steps = 80

    def make_controls(self):
        return {
            "momentum": float_slider("momentum β", 0.9, *BETA_RANGE, step=0.005),
            "alpha_lambda": log_slider("αλ", 0.1, 0.01, 4.0),
        }

    def setup(self):
        phase_ax, decay_ax = self.axes
        self.phase = draw_phase_portrait(phase_ax, 0.1, 0.9, steps=self.steps, decay_ax=decay_ax)

    def dynamic_artists(self):
        return self.phase.artists

    def update(self, momentum, alpha_lambda):
        self.phase.update(alpha_lambda, momentum, self.steps)
        if self.phase.window_changed:
            self.invalidate()


EXPLORERS = [MomentumRateMap, PhasePortrait]
