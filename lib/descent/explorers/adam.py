r"""The explorers of the Adam chapters: Adam's α, β₁ and β₂ on a rotated quadratic (chapter 6), and Adam
against AMSGrad on Reddi et al.'s counterexample (chapter 7).

:class:`AdamExplorer` runs :class:`descent.optim.Adam` on the rotated bowl of chapter 1 (eigenvalues
1 and 10, axes turned by 30°) and draws, side by side, the path over the contours, the step each
coordinate takes in units of α, and the loss curve. The step panel shows

- solid: the bias-corrected step :math:`\hat m_{t,i}/(\sqrt{\hat v_{t,i}} + \varepsilon)
  = -(\theta_{t,i} - \theta_{t-1,i})/\alpha`, read off the path. The first one is :math:`\pm 1` in each
  coordinate: the first step is :math:`\alpha\,\mathrm{sign}(g_1)`;
- dashed: how many times larger the step would be without bias correction while the gradient is
  steady, :math:`(1-\beta_1^t)/\sqrt{1-\beta_2^t}` (:func:`descent.theory.adam.uncorrected_step_factor`):
  3.16 at the first step with the default betas, up to 6.6 around step 12.

Its problem is :func:`adam_bowl`.

:class:`CounterexampleExplorer` plays Reddi et al.'s online problem (:mod:`descent.models.online`) with Adam
and with AMSGrad, at :math:`\alpha_t = 1/\sqrt t` with projection onto [-1, 1], and draws the iterates and the
average regret. Sliders choose :math:`\beta_1`, :math:`\beta_2` (including the theorem's
:math:`1/(1 + C^2)`) and C: with the theorem's settings Adam drifts to the worst point +1 and AMSGrad to the
best, -1; a larger :math:`\beta_2` or any momentum rescues Adam.

The figures that stand in for the explorers on the site are made with
:func:`descent.animation.explorer_animation`.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import plots
from ..figures.adam import log_axis
from ..figures.adam_family import draw_online_runs
from ..models import Quadratic
from ..models.online import ReddiProblem, run_online, theorem_rate
from ..optim import Adam
from ..runner import run
from ..theory import adam as theory
from .base import Explorer, float_slider, log_slider

__all__ = ["AdamExplorer", "CounterexampleExplorer", "EXPLORERS", "adam_bowl", "BETA2_CHOICES",
           "COUNTEREXAMPLE_BETA2"]

LOSS_LIMITS = (1e-16, 1e3)  # the loss panel's fixed y range
STEP_LIMITS = (-1.6, 7.5)  # the step panel's y range, in units of α (the uncorrected factor peaks at 6.6)
BETA2_CHOICES = (0.9, 0.99, 0.999, 0.9999)


def adam_bowl() -> Quadratic:
    r"""The explorer's problem, chapter 1's bowl: :math:`\tfrac12\theta^\top A\theta` with eigenvalues 1 and 10,
    its axes turned by 30°, from its default start :math:`(0.37, 1.37)`. Rotated, so that Adam's
    per-coordinate scaling does not line up with the valley: the first steps go diagonally,
    :math:`-\alpha\,(1, 1)`, and the path turns only when it reaches the valley floor."""
    return Quadratic([1.0, 10.0], angle=np.pi / 6)


def steps_in_units_of_lr(trajectory, lr: float) -> np.ndarray:
    r"""The bias-corrected steps :math:`-(\theta_t - \theta_{t-1})/\alpha`, shape (steps, d), read off a path."""
    return -np.diff(trajectory.valid, axis=0) / lr


class AdamExplorer(Explorer):
    r"""Adam on a rotated quadratic: path, the step in units of α (corrected and not), and the loss.

    Controls: ``lr`` (α, log scale, 0.001 to 1), ``beta1`` (:math:`\beta_1`, 0 to 0.99) and ``beta2``
    (:math:`\beta_2`, one of 0.9, 0.99, 0.999, 0.9999). :attr:`steps` (120) steps from chapter 1's start, (0.37, 1.37).
    """

    width, height, ncols = 13.0, 3.9, 3
    steps = 120

    def make_controls(self):
        return {
            "lr": log_slider("learning rate α", 0.1, 0.001, 1.0, steps=240),
            "beta1": float_slider("β₁", 0.9, 0.0, 0.99, step=0.01),
            "beta2": widgets.SelectionSlider(description="β₂", options=list(BETA2_CHOICES), value=0.999,
                                             continuous_update=True, style={"description_width": "initial"},
                                             layout=widgets.Layout(width="300px")),
        }

    def setup(self):
        path_ax, step_ax, loss_ax = self.axes
        self.objective = adam_bowl()
        first = run(self.objective, Adam(lr=0.1), self.steps)
        self.path = plots.contour_paths(path_ax, self.objective, first, resolution=100)[0]
        if path_ax.get_legend() is not None:
            path_ax.get_legend().remove()
        self.status = path_ax.set_title("\n", loc="left", fontsize=9)
        t = np.arange(1, self.steps + 1)
        step_ax.axhline(1.0, color="#999999", lw=0.8, ls=":")
        step_ax.axhline(-1.0, color="#999999", lw=0.8, ls=":")
        step_ax.axhline(0.0, color="#bbbbbb", lw=0.6)
        self.corrected = [step_ax.plot(t, np.zeros_like(t, dtype=float), "-", color=plots.COLORS[i], lw=1.4,
                                       label=rf"step $\theta_{i + 1}$ $\div\ \alpha$")[0]
                          for i in range(2)]
        self.uncorrected, = step_ax.plot(t, np.ones_like(t, dtype=float), "--", color="#555555", lw=1.2,
                                         label="uncorrected ÷ corrected,\nsteady gradient")
        log_axis(step_ax, "x")
        step_ax.set_xlim(1, self.steps)
        step_ax.set_ylim(*STEP_LIMITS)
        step_ax.set_xlabel("step $t$ (log scale)")
        step_ax.set_ylabel(r"step $\div\ \alpha$ (per coordinate)")
        step_ax.legend(loc="upper right", fontsize=7)
        self.loss = plots.loss_curves(loss_ax, first, ylim=LOSS_LIMITS, labels=["Adam"])[0]
        loss_ax.set_xlim(0, self.steps)

    def dynamic_artists(self):
        return [*self.path.artists, self.status, *self.corrected, self.uncorrected, *self.loss.artists]

    def update(self, lr, beta1, beta2):
        trajectory = run(self.objective, Adam(lr=lr, betas=(beta1, beta2)), self.steps)
        self.trajectory = trajectory
        self.path.update(trajectory)
        self.loss.update(trajectory)
        steps = steps_in_units_of_lr(trajectory, lr)
        t = np.arange(1, len(steps) + 1)
        factor = theory.uncorrected_step_factor(t, (beta1, beta2)) if len(t) else np.zeros(0)
        for i in range(2):
            self.corrected[i].set_data(t, np.clip(steps[:, i], *STEP_LIMITS))
        self.uncorrected.set_data(t, np.clip(factor, *STEP_LIMITS))
        first = theory.uncorrected_step_factor(1, (beta1, beta2))
        peak = float(np.max(theory.uncorrected_step_factor(np.arange(1, 10_001), (beta1, beta2))))
        verdict = (f"diverged at step {trajectory.diverged_at}" if trajectory.diverged
                   else f"after {self.steps} steps f − f* = {trajectory.gaps[-1]:.2g}")
        self.status.set_text(f"α = {lr:.3g}, β₁ = {beta1:.2f}, β₂ = {beta2:g}: {verdict}\n"
                             f"first step α·sign(g); uncorrected: ×{first:.2f} (up to ×{peak:.2f})")


#: The β₂ choices of :class:`CounterexampleExplorer`: the theorem's 1/(1 + C²), then fixed values.
COUNTEREXAMPLE_BETA2 = (("1/(1+C²)", "theorem"), ("0.3", 0.3), ("0.5", 0.5), ("0.7", 0.7), ("0.9", 0.9),
                        ("0.99", 0.99), ("0.999", 0.999))


class CounterexampleExplorer(Explorer):
    r"""Adam and AMSGrad on Reddi et al.'s online problem: the iterates :math:`x_t` and the average regret.

    Controls: ``beta1`` (0 to 0.9), ``beta2`` (the theorem's :math:`1/(1+C^2)` or 0.3 to 0.999) and ``C``
    (2.5 to 10). Each redraw plays :attr:`steps` (150) rounds from :math:`x_1 = 1` with
    :math:`\alpha_t = 1/\sqrt t`, projecting onto [-1, 1] after every step.
    """

    width, height, ncols = 11.0, 3.7, 2
    steps = 150
    alpha = 1.0

    def make_controls(self):
        style, layout = {"description_width": "initial"}, widgets.Layout(width="330px")
        return {
            "beta1": widgets.SelectionSlider(description="β₁", options=[0.0, 0.5, 0.9], value=0.0,
                                             continuous_update=True, style=style, layout=layout),
            "beta2": widgets.SelectionSlider(description="β₂", options=list(COUNTEREXAMPLE_BETA2), value="theorem",
                                             continuous_update=True, style=style, layout=layout),
            "C": float_slider("C", 3.0, 2.5, 10.0, step=0.5),
        }

    def _runs(self, beta1, beta2, C):
        problem = ReddiProblem(C)
        b2 = problem.theorem_betas[1] if beta2 == "theorem" else beta2
        runs = {name: run_online(problem, Adam(lr=self.alpha, betas=(beta1, b2), amsgrad=amsgrad), self.steps,
                                 schedule=theorem_rate(self.alpha))
                for name, amsgrad in (("Adam", False), ("AMSGrad", True))}
        return problem, b2, runs

    def setup(self):
        problem, _, runs = self._runs(0.0, "theorem", 3.0)
        self.online = draw_online_runs(self.axes[0], self.axes[1], runs, problem)
        self.status = self.axes[0].set_title("\n", loc="left", fontsize=9)

    def dynamic_artists(self):
        return [*self.online.artists, self.status]

    def update(self, beta1, beta2, C):
        problem, b2, runs = self._runs(beta1, beta2, C)
        self.runs = runs
        self.online.update(runs.values(), worst=problem.worst_average_regret())
        ends = ", ".join(f"{name} ends at {run.final:+.2f}" for name, run in runs.items())
        self.status.set_text(f"C = {C:g}, β₁ = {beta1:g}, β₂ = {b2:.3g}, α_t = {self.alpha:g}/√t\n{ends}")


EXPLORERS = [AdamExplorer, CounterexampleExplorer]
