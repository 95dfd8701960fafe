r"""Chapter 1's explorers: what the learning rate does to gradient descent on a quadratic.

- :class:`LearningRate1D`: :math:`f(\theta) = \tfrac12 L\theta^2` with :math:`L = 1`. Drag α through
  :math:`1/L` (one-step convergence) and :math:`2/L` (the stability limit) and watch the iterates creep,
  oscillate, bounce and diverge.
- :class:`LearningRate2D`: a rotated 2-D quadratic with eigenvalues :math:`\mu = 1/\kappa` and :math:`L = 1`.
  The learning rate is limited by the steep direction (:math:`\alpha < 2/L`) while progress is limited by the
  flat one, and the gap grows with the condition number κ.

Each shows the path, the loss curve with the bound :math:`f(\theta_t) - f^\star \le \rho^{2t}(f(\theta_0) - f^\star)`,
and the rate :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|` with the current α marked; the status line is
:func:`descent.figures.learning_rate.describe`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.contour import ContourSet

from .. import plots
from ..figures.learning_rate import describe
from ..models import Quadratic, Quadratic1D
from ..optim import SGD
from ..runner import run
from ..theory import gradient_descent as theory
from .base import Explorer, int_slider, log_slider

__all__ = ["LearningRate1D", "LearningRate2D", "EXPLORERS"]


class _LearningRateExplorer(Explorer):
    """Shared layout: path | loss curve with the ρ^(2t) bound | rate ρ(α)."""

    width, height, ncols = 10.0, 3.3, 3

    def _build(self, objective, path_kind: str) -> None:
        path_ax, loss_ax, rate_ax = self.axes
        self.objective = objective
        steps = self.controls["steps"].value
        first = run(objective, SGD(lr=self.controls["lr"].value), steps)
        if path_kind == "curve":
            self.path = plots.curve_paths(path_ax, objective, first)[0]
            self.contour_set = None
        else:
            self.path = plots.contour_paths(path_ax, objective, first)[0]
            self.contour_set = next(c for c in path_ax.collections if isinstance(c, ContourSet))
        if path_ax.get_legend() is not None:
            path_ax.get_legend().remove()
        self.status = path_ax.set_title("\n", loc="left", fontsize=9)
        self.loss = plots.loss_curves(loss_ax, first, ylim=plots.LOSS_LIMITS)[0]
        self.bound, = loss_ax.plot([], [], "--", color="#555555", lw=1.1, label=r"bound $\rho^{2t}\,(f(\theta_0)-f^\star)$")
        loss_ax.legend(handles=[self.loss.line, self.bound], labels=["descent", self.bound.get_label()],
                       loc="lower left", fontsize=8)
        self.rate = plots.rate_curve(rate_ax, objective.eigenvalues, lrs=self._lr_grid())
        self.marker, = rate_ax.plot([], [], "o", color=plots.COLORS[0], ms=8, mec="black", zorder=6)
        self.marker_line = rate_ax.axvline(1.0, color=plots.COLORS[0], lw=1.0, alpha=0.6)
        loss_ax.set_xlim(0, self.controls["steps"].max)  # fixed, so more steps visibly extend the curve
        self._draw(objective, self.controls["lr"].value, steps)  # the status text sizes the layout

    def _lr_grid(self):
        control = self.controls["lr"]
        return np.geomspace(control.base ** control.min, control.base ** control.max, 300)

    def dynamic_artists(self) -> list:
        return [*self.path.artists, self.status, *self.loss.artists, self.bound, self.marker, self.marker_line]

    def _draw(self, objective, lr: float, steps: int) -> None:
        trajectory = run(objective, SGD(lr=lr), steps)
        self.path.update(trajectory)
        self.loss.update(trajectory)
        rate = theory.convergence_rate(lr, objective.eigenvalues)
        t = np.arange(steps + 1)
        gap0 = trajectory.losses[0] - objective.min_value
        with np.errstate(all="ignore"):
            bound = np.clip(gap0 * rate ** (2.0 * t), plots.LOSS_LIMITS[0], plots.LOSS_LIMITS[1])
        self.bound.set_data(t, bound)
        ymax = self.axes[2].get_ylim()[1]
        self.marker.set_data([lr], [min(rate, ymax)])
        self.marker_line.set_xdata([lr, lr])
        alpha_text = f"α = {lr:.3g} = {lr / theory.stability_limit(objective.eigenvalues):.2f} × 2/L"
        self.status.set_text(alpha_text + "\n" + describe(lr, objective.eigenvalues, trajectory))
        self.trajectory = trajectory


class LearningRate1D(_LearningRateExplorer):
    r"""Gradient descent on :math:`f(\theta) = \tfrac12\theta^2` (:math:`L = 1`) from :math:`\theta_0 = 1`.

    Controls: ``lr`` (α, log scale, 0.01 to 3) and ``steps`` (1 to 60).
    """

    def make_controls(self):
        return {
            "lr": log_slider("learning rate α", 0.3, 0.01, 3.0),
            "steps": int_slider("steps", 40, 1, 60),
        }

    def setup(self):
        self._build(Quadratic1D(curvature=1.0, start=1.0), "curve")

    def update(self, lr, steps):
        self._draw(self.objective, lr, steps)


class LearningRate2D(_LearningRateExplorer):
    r"""Gradient descent on a rotated 2-D quadratic with eigenvalues :math:`1/\kappa` and :math:`1`.

    Controls: ``lr`` (α, log scale, 0.01 to 3), ``kappa`` (condition number κ, log scale, 1 to 100) and
    ``steps`` (1 to 100).
    """

    angle = np.pi / 6

    def make_controls(self):
        return {
            "lr": log_slider("learning rate α", 0.5, 0.01, 3.0),
            "kappa": log_slider("condition number κ", 10.0, 1.0, 100.0, steps=120),
            "steps": int_slider("steps", 60, 1, 100),
        }

    def _objective(self, kappa: float) -> Quadratic:
        rotation = np.array([[np.cos(self.angle), -np.sin(self.angle)], [np.sin(self.angle), np.cos(self.angle)]])
        return Quadratic([1.0 / kappa, 1.0], angle=self.angle, start=rotation @ np.array([1.0, 1.0]))

    def dynamic_artists(self) -> list:
        # the contours and the rate curves change with κ: drawing them on every redraw keeps κ changes cheap
        return [self.contour_set, *self.rate.artists, *super().dynamic_artists()]

    def setup(self):
        self._kappa = self.controls["kappa"].value
        self._build(self._objective(self._kappa), "contour")

    def update(self, lr, kappa, steps):
        if kappa != self._kappa:
            self._kappa = kappa
            self.objective = self._objective(kappa)
            if self.contour_set is not None:
                self.contour_set.remove()
            self.contour_set = plots.contours(self.axes[0], self.objective, resolution=100)
            self.rate.update(self.objective.eigenvalues)
        self._draw(self.objective, lr, steps)


EXPLORERS = [LearningRate1D, LearningRate2D]
