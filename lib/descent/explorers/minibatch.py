r"""Chapter 2's explorer: stochastic and mini-batch descent on a two-parameter model.

:class:`MiniBatchExplorer` runs plain SGD on the two-parameter logistic regression of
:func:`descent.figures.minibatch.radius_texture_model` for a fixed budget of epochs (the same number of
examples processed whatever the batch size) and draws the path on the contours next to the loss gap
:math:`f(\theta) - f^\star` per epoch. Sliders set the rate :math:`\alpha` (log scale) and the batch size
:math:`B`; a checkbox switches on the inverse-time decay :math:`\eta_t = \alpha / (1 + t / \tau)` with
:math:`\tau` the number of steps in one epoch. It draws through :mod:`descent.figures.minibatch`, whose
:func:`~descent.figures.minibatch.paths_grid` is its static counterpart on the site.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from .. import plots
from ..figures.minibatch import path_on_contours, radius_texture_model, run_sgd
from .base import Explorer, log_slider

__all__ = ["MiniBatchExplorer", "EXPLORERS"]

#: Gap values below this are drawn at it on the log axis of the loss panel.
_GAP_FLOOR = 1e-7


def _shown_gaps(result, ylim) -> np.ndarray:
    return np.clip(result.gaps, max(_GAP_FLOOR, ylim[0]), ylim[1])


class MiniBatchExplorer(Explorer):
    r"""Sliders for the rate α and the batch size B (and a 1/t decay) of SGD on a two-parameter model.

    Left: the path on the loss contours. Right: the loss gap per epoch, with
    the level it settles at (the mean over the last epoch) as a dotted line.
    Every setting processes the same number of examples (2 epochs), so a larger
    B means fewer, less noisy steps.

    Controls: ``lr`` (log slider, 0.01 to 10), ``batch_size`` (1, 2, 4, …, 256
    and n = 427), ``decay`` (checkbox).
    """

    width = 10.0
    height = 3.9
    ncols = 2
    epochs = 2
    ylim = (1e-6, 3.0)

    def make_controls(self):
        self.model = radius_texture_model()
        sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, self.model.n]
        return {
            "lr": log_slider("learning rate α", 0.5, 0.01, 10.0),
            "batch_size": widgets.SelectionSlider(
                options=sizes, value=1, description="batch size B", continuous_update=True,
                style={"description_width": "initial"}, layout=widgets.Layout(width="380px"),
            ),
            "decay": widgets.Checkbox(value=False, description="decay: η(t) = α / (1 + t/τ)", indent=False),
        }

    def setup(self):
        path_ax, loss_ax = self.axes
        first = run_sgd(self.model, self.controls["lr"].value, self.controls["batch_size"].value,
                        epochs=self.epochs, decay=self.controls["decay"].value)
        self.path = path_on_contours(path_ax, self.model, first, colors=[plots.COLORS[0]])[0]
        loss_ax.set_yscale("log")
        loss_ax.set_xlim(0, self.epochs)
        loss_ax.set_ylim(*self.ylim)
        loss_ax.set_xlabel("epochs (examples processed / n)")
        loss_ax.set_ylabel(r"loss gap $f(\theta) - f^\star$")
        self.curve, = loss_ax.plot([], [], color=plots.COLORS[0], lw=1.1)
        self.level, = loss_ax.plot([], [], ":", color=plots.COLORS[1], lw=2.2)
        self.legend = loss_ax.legend([self.curve, self.level], ["", ""], loc="upper right")
        # Few ticks and no minor log ticks: text is most of the cost of a redraw.
        loss_ax.yaxis.set_major_locator(FixedLocator([1e-6, 1e-4, 1e-2, 1.0]))
        loss_ax.yaxis.set_minor_locator(NullLocator())
        path_ax.xaxis.set_major_locator(MaxNLocator(5))
        path_ax.yaxis.set_major_locator(MaxNLocator(5))
        path_ax.set_title(f"SGD path over {self.epochs} epochs", fontsize=10)

    def dynamic_artists(self):
        """The path, the loss curve, its level and the legend: all else is drawn once and blitted."""
        return [*self.path.artists, self.curve, self.level, self.legend]

    def update(self, lr, batch_size, decay):
        result = run_sgd(self.model, lr, batch_size, epochs=self.epochs, decay=decay)
        self.result = result
        self.path.update(result)
        self.curve.set_data(result.epochs, _shown_gaps(result, self.ylim))
        level = float(np.clip(result.final_loss(1) - self.model.min_value, *self.ylim))
        self.level.set_data([self.epochs - 1, self.epochs], [level, level])
        rate = f"η from {lr:.3g} to {result.lrs[-1]:.3g}" if decay else f"α = {lr:.3g}"
        run_label, level_label = self.legend.get_texts()
        run_label.set_text(f"B = {batch_size}, {rate}: {result.steps[-1]} steps")
        level_label.set_text(f"mean over the last epoch: {level:.2g}")


#: The explorers this module offers (found by ``benchmarks/bench_explorers.py``).
EXPLORERS = [MiniBatchExplorer]
