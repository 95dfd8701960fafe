r"""Chapters 4 and 5's explorers: AdaGrad on a rotated ravine, and RMSProp against AdaGrad when the gradient shrinks.

- :class:`AdaGradRotation`: sliders for the rotation angle :math:`\varphi` of the ravine
  :math:`f(\theta) = \tfrac12\theta^\top R_\varphi \operatorname{diag}(1, \kappa) R_\varphi^\top\theta`, AdaGrad's
  learning rate :math:`\alpha` and the condition number :math:`\kappa`. It draws the paths of AdaGrad and of
  gradient descent at its best rate :math:`2/(\mu + L)`, their loss gaps, and AdaGrad's two effective rates
  :math:`\alpha/(\sqrt{s_{t,i}} + \varepsilon)`. Aligned with the axes (:math:`\varphi = 0`) the rates differ by
  about :math:`\kappa` and AdaGrad ignores the ill-conditioning; at :math:`45°` they are equal and it is
  gradient descent with a shrinking rate.
- :class:`ScaleDrop`: a gradient of size 1 for :attr:`ScaleDrop.drop_at` steps, then :math:`1/c` (the slope of a
  long descent that flattens), :attr:`ScaleDrop.steps` steps in all. Sliders for RMSProp's decay :math:`\gamma` and the drop factor :math:`c`. It
  draws the gradient's size, the effective rate :math:`|\theta_{t+1} - \theta_t| / |g_t|` of AdaGrad and of
  RMSProp, and the distance each has travelled. RMSProp's rate climbs back within about
  :math:`h \log_2(1 + c^2)` steps (:math:`h` the half-life of its average), AdaGrad's never does.

Both run the optimizers of :mod:`descent.optim` through :mod:`descent.runner` and draw with :mod:`descent.plots`;
the ravine is :func:`descent.models.rotated_ravine`, the gradient sequence
:func:`descent.models.drop_gradients`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.contour import ContourSet

from .. import plots
from ..models import drop_gradients, rotated_ravine
from ..optim import SGD, AdaGrad, RMSProp
from ..runner import feed, run
from ..theory import adaptive as theory
from ..theory import gradient_descent as gd_theory
from .base import Explorer, float_slider, log_slider

__all__ = ["AdaGradRotation", "ScaleDrop", "EXPLORERS"]

LOSS_PANEL_LIMITS = (1e-16, 1e4)  # the loss panel's fixed y range (narrower than plots.LOSS_LIMITS)
RATE_LIMITS = (1e-5, 1e3)  # the effective-rate panels' fixed y range
WINDOW = ((-1.3, 1.3), (-1.3, 1.3))  # the rotation explorer's plot window (holds every rotated start)
CONTOUR_RESOLUTION, CONTOUR_LEVELS = 80, 10  # enough for an ellipse, cheap to redraw when the angle moves


def _status_box(ax):
    return ax.text(0.03, 0.97, "", transform=ax.transAxes, va="top", ha="left", fontsize=8.5, zorder=8,
                   bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#bbbbbb", alpha=0.92))


class AdaGradRotation(Explorer):
    r"""AdaGrad and gradient descent on a ravine rotated by :math:`\varphi`.

    Controls: ``angle`` (:math:`\varphi`, 0 to 90 degrees), ``lr`` (AdaGrad's :math:`\alpha`, log scale, 0.05 to
    10) and ``kappa`` (:math:`\kappa`, log scale, 1 to 1000); :attr:`steps` (200) steps. Gradient descent runs at
    its best rate :math:`2/(\mu + L)`. The status box gives the steps each needs to bring
    :math:`\|\theta_t\|` below :math:`10^{-6}\|\theta_0\|` (``> 200`` when it does not within the run).
    """

    width, height, ncols = 13.0, 4.0, 3
    steps = 200
    tolerance = 1e-6

    def make_controls(self):
        return {
            "angle": float_slider("rotation φ (degrees)", 0.0, 0.0, 90.0, step=1.0, readout_format=".0f"),
            "lr": log_slider("AdaGrad's α", 0.63, 0.05, 10.0),
            "kappa": log_slider("condition number κ", 100.0, 1.0, 1000.0, steps=120),
        }

    def setup(self):
        path_ax, loss_ax, rate_ax = self.axes
        self._key = None
        self.objective = rotated_ravine(0.0, 100.0)
        adagrad, descent = self._runs(0.63)
        # lines without a dot per iterate (400 markers would dominate the redraw); AdaGrad drawn last, on top
        # of gradient descent's zigzag, which is drawn thin and light
        self.descent_path, self.adagrad_path = plots.contour_paths(
            path_ax, self.objective, [descent, adagrad], labels=[r"gradient descent, $\alpha^\star$", "AdaGrad"],
            window=WINDOW, resolution=CONTOUR_RESOLUTION, levels=CONTOUR_LEVELS,
            colors=[plots.COLORS[0], plots.COLORS[1]], dots=False)
        self.descent_path.line.set(linewidth=0.9, alpha=0.55)
        self.adagrad_path.line.set_linewidth(2.0)
        self.contour_set = next(c for c in path_ax.collections if isinstance(c, ContourSet))
        path_ax.legend(loc="lower right", fontsize=8)
        self.status = _status_box(path_ax)
        self.losses = plots.loss_curves(loss_ax, [adagrad, descent], labels=["AdaGrad", "gradient descent"],
                                        colors=[plots.COLORS[1], plots.COLORS[0]], ylim=LOSS_PANEL_LIMITS)
        path_ax.set_title(r"steps to $\|\theta_t\| \leq 10^{-6}\|\theta_0\|$:", loc="left", fontsize=9)
        loss_ax.set_xlim(0, self.steps)
        t = np.arange(1, self.steps + 1)
        self.rate_lines = [rate_ax.plot(t, np.ones(self.steps), style, color=plots.COLORS[1], label=label)[0]
                           for style, label in (("-", r"AdaGrad, $\theta_1$"), ("--", r"AdaGrad, $\theta_2$"))]
        self.gd_rate = rate_ax.axhline(1.0, color=plots.COLORS[0], lw=1.4, ls=":",
                                       label=r"gradient descent, $\alpha^\star$")
        rate_ax.set_xscale("log")
        rate_ax.set_yscale("log")
        rate_ax.set_xlim(1, self.steps)
        rate_ax.set_ylim(*RATE_LIMITS)
        rate_ax.set_xlabel("step $t$")
        rate_ax.set_ylabel(r"effective rate $\alpha/(\sqrt{s_{t,i}} + \varepsilon)$")
        rate_ax.legend(loc="lower left", fontsize=8)
        self._draw(0.0, 0.63, 100.0)

    def _runs(self, lr):
        record = lambda optimizer: optimizer.state["theta"]["sum"].copy()  # noqa: E731
        self.optimizer = AdaGrad(lr=lr)
        adagrad = run(self.objective, self.optimizer, self.steps, record=record)
        if getattr(self, "_descent_for", None) is not self.objective:  # α* depends on the ravine only
            self._descent_for = self.objective
            best = gd_theory.optimal_learning_rate(self.objective.eigenvalues)
            self._descent = run(self.objective, SGD(lr=best), self.steps)
        return adagrad, self._descent

    def dynamic_artists(self):
        artists = [self.contour_set, self.status, *self.rate_lines, self.gd_rate]
        for handle in [self.descent_path, self.adagrad_path, *self.losses]:
            artists += handle.artists
        return artists

    def _steps_to_tolerance(self, trajectory):
        distances = np.linalg.norm(trajectory.path, axis=1) / np.linalg.norm(trajectory.path[0])
        below = np.flatnonzero(distances <= self.tolerance)
        return int(below[0]) if below.size else None

    def _draw(self, angle, lr, kappa):
        key = (angle, kappa)
        if key != self._key:
            self._key = key
            self.objective = rotated_ravine(angle, kappa)
            self.contour_set.remove()
            self.contour_set = plots.contours(self.axes[0], self.objective, window=WINDOW,
                                              resolution=CONTOUR_RESOLUTION, levels=CONTOUR_LEVELS)
        adagrad, descent = self._runs(lr)
        self.adagrad, self.descent = adagrad, descent
        self.adagrad_path.update(adagrad)
        self.descent_path.update(descent)
        for handle, trajectory in zip(self.losses, (adagrad, descent)):
            handle.update(trajectory)
        rates = lr / (np.sqrt(adagrad.records) + self.optimizer.eps)
        for line, column in zip(self.rate_lines, rates.T):
            line.set_ydata(np.clip(column, *RATE_LIMITS))
        best = gd_theory.optimal_learning_rate(self.objective.eigenvalues)
        self.gd_rate.set_ydata([best, best])
        counts = [self._steps_to_tolerance(t) for t in (adagrad, descent)]
        reached = [f"{c}" if c is not None else f"> {self.steps}" for c in counts]
        # one short line: text is the costliest thing a redraw draws (the panel's title says what is counted)
        self.status.set_text(f"AdaGrad {reached[0]}, GD {reached[1]}")

    def update(self, angle, lr, kappa):
        self._draw(angle, lr, kappa)


class ScaleDrop(Explorer):
    r"""AdaGrad and RMSProp fed a gradient that drops from 1 to :math:`1/c` after :attr:`drop_at` steps.

    Controls: ``gamma`` (RMSProp's decay :math:`\gamma`, torch's ``alpha``, 0.5 to 0.999) and ``drop``
    (:math:`c`, log scale, 1 to 10⁴). Both optimizers use :math:`\alpha` = :attr:`lr`; :attr:`steps` steps.
    """

    width, height, ncols = 13.0, 3.8, 3
    steps = 700
    drop_at = 100
    lr = 0.01

    def make_controls(self):
        return {
            "gamma": float_slider("RMSProp's γ", 0.9, 0.5, 0.999, step=0.001),
            "drop": log_slider("gradient drop c", 100.0, 1.0, 1e4, steps=120),
        }

    def setup(self):
        grad_ax, rate_ax, distance_ax = self.axes
        t = np.arange(self.steps)
        self.gradient_line, = grad_ax.plot(t, np.ones(self.steps), color="#444444")
        grad_ax.set_yscale("log")
        grad_ax.set_ylim(1e-5, 3.0)
        grad_ax.set_xlim(0, self.steps)
        grad_ax.set_xlabel("step $t$")
        grad_ax.set_ylabel(r"gradient $g_t$")
        self.status = _status_box(grad_ax)
        self.status.set_position((0.97, 0.03))
        self.status.set_ha("right")
        self.status.set_va("bottom")
        colors = {"AdaGrad": plots.COLORS[1], "RMSProp": plots.COLORS[2]}
        self.rate_lines = {name: rate_ax.plot(t, np.ones(self.steps), color=color, label=name)[0]
                           for name, color in colors.items()}
        self.crossover = rate_ax.axvline(self.drop_at, color=plots.COLORS[2], ls=":", lw=1.3,
                                         label=r"drop $+\, h\log_2(1 + c^2)$")
        for ax in (rate_ax, distance_ax):
            ax.axvline(self.drop_at, color="#999999", lw=0.9)
        rate_ax.set_yscale("log")
        rate_ax.set_ylim(*RATE_LIMITS)
        rate_ax.set_xlim(0, self.steps)
        rate_ax.set_xlabel("step $t$")
        rate_ax.set_ylabel(r"effective rate $|\theta_{t+1} - \theta_t| / |g_t|$")
        rate_ax.legend(loc="upper left", fontsize=8)
        self.distance_lines = {name: distance_ax.plot(np.arange(self.steps + 1), np.zeros(self.steps + 1),
                                                      color=color, label=name)[0]
                               for name, color in colors.items()}
        distance_ax.set_xlim(0, self.steps)
        # fixed, so that a redraw never rescales: RMSProp travels at most 17.3 over the sliders' whole range
        distance_ax.set_ylim(0, 18.0)
        distance_ax.set_xlabel("step $t$")
        distance_ax.set_ylabel(r"distance travelled $\theta_0 - \theta_t$")
        distance_ax.legend(loc="upper left", fontsize=8)
        self._draw(0.9, 100.0)

    def dynamic_artists(self):
        return [self.gradient_line, self.status, self.crossover, *self.rate_lines.values(),
                *self.distance_lines.values()]

    def _draw(self, gamma, drop):
        gradients = drop_gradients(drop, self.steps, self.drop_at)
        if getattr(self, "_adagrad_drop", None) != drop:  # AdaGrad does not depend on γ: run it once per c
            self._adagrad_drop = drop
            self._adagrad = feed(AdaGrad(lr=self.lr), gradients)
        runs = {"AdaGrad": self._adagrad, "RMSProp": feed(RMSProp(lr=self.lr, alpha=gamma), gradients)}
        self.runs = runs
        self.gradient_line.set_ydata(gradients)
        for name, trajectory in runs.items():
            path = trajectory.path[:, 0]
            rates = -np.diff(path) / gradients
            self.rate_lines[name].set_ydata(np.clip(rates, *RATE_LIMITS))
            self.distance_lines[name].set_ydata(path[0] - path)
        crossover = theory.crossover_steps(gamma, drop) if drop > 1 else 0.0
        self.crossover.set_xdata([self.drop_at + crossover] * 2)
        self.status.set_text(f"h = {theory.half_life(gamma):.3g}, recovery ≈ {crossover:.0f} steps")

    def update(self, gamma, drop):
        self._draw(gamma, drop)


EXPLORERS = [AdaGradRotation, ScaleDrop]
