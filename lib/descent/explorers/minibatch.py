r"""Stochastic and mini-batch descent on a two-parameter model: the explorer and the chapter's figures.

The model is a logistic regression on two features of the breast-cancer data
(``mean radius`` and ``mean texture``, standardised, no intercept), so its loss
is a surface over the plane :math:`(\theta_1, \theta_2)` and every path can be
drawn on its contours. :func:`radius_texture_model` builds it.

:class:`MiniBatchExplorer` runs plain SGD on it for a fixed budget of epochs
(the same number of examples processed whatever the batch size) and draws the
path on the contours next to the loss gap :math:`f(\theta) - f^\star` per
epoch. Sliders set the rate :math:`\alpha` (log scale) and the batch size
:math:`B`; a checkbox switches on the inverse-time decay
:math:`\eta_t = \alpha / (1 + t / \tau)` with :math:`\tau` the number of steps in one
epoch.

The functions :func:`path_on_contours` and :func:`paths_grid` draw the same
pictures for the static pages (loss curves against epochs are
:func:`descent.plots.loss_curves` with ``x="epochs"``).
"""

from __future__ import annotations

import math
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FixedLocator, MaxNLocator, NullLocator

from .. import plots
from ..data import load
from ..training import TrainingResult, train, valid_prefix
from ..models import LinearModel, LogisticRegression
from ..runner import DIVERGENCE_BOUND
from ..optim import SGD
from ..schedules import inverse_time
from .base import Explorer, log_slider

__all__ = [
    "FEATURES",
    "WINDOW",
    "radius_texture_model",
    "run_sgd",
    "path_on_contours",
    "paths_grid",
    "MiniBatchExplorer",
    "EXPLORERS",
]

#: The two features of the two-parameter model.
FEATURES = ("mean radius", "mean texture")

#: The plot window ``((θ1 min, θ1 max), (θ2 min, θ2 max))`` around the start (0, 0) and the optimum.
WINDOW = ((-6.5, 0.5), (-3.0, 2.0))

#: Grid points per axis of the contour plots (the loss of 427 examples at each point).
_RESOLUTION = 100

#: Gap values below this are drawn at it on the log axis of the loss panel.
_GAP_FLOOR = 1e-7


@lru_cache(maxsize=1)
def _cached_model() -> LogisticRegression:
    data = load("breast_cancer", features=list(FEATURES))
    model = LogisticRegression.from_dataset(data, fit_intercept=False, name="logistic regression, 2 features")
    model.bounds = WINDOW
    model.optimum  # solve once, now
    return model


def radius_texture_model() -> LogisticRegression:
    r"""The two-parameter model: logistic regression on ``mean radius`` and ``mean texture``.

    Built on the training part of :func:`descent.data.load` ``("breast_cancer")``
    (427 examples, seed 0), without intercept or penalty; its optimum is
    computed exactly by Newton's method. ``bounds`` is :data:`WINDOW`.
    The model is built once and shared; do not modify it.
    """
    return _cached_model()


_grids = {}  # id(model) -> (model, contour grid): the loss of all n examples at every grid point, done once


def _contour_grid(model) -> plots.ContourGrid:
    """The contour grid of ``model`` over its ``bounds``, computed on the first call and then reused."""
    cached_model, grid = _grids.get(id(model), (None, None))
    if cached_model is not model or grid.window != plots.contour_grid(model, resolution=2).window:
        grid = plots.contour_grid(model, resolution=_RESOLUTION)
        _grids[id(model)] = (model, grid)
    return grid


def _check_rate(lr) -> float:
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)):
        raise TypeError(f"lr must be a positive number, got {lr!r}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0, got {lr}")
    return float(lr)


def run_sgd(model, lr: float, batch_size: int, *, epochs: int = 3, decay: bool = False, seed: int = 0,
            max_points: int = 500):
    r"""Plain SGD with rate ``lr`` and batches of ``batch_size`` for ``epochs`` epochs.

    With ``decay=True`` the rate follows
    :func:`descent.schedules.inverse_time` ``(lr, decay_rate=1, decay_steps=T)``
    with :math:`\tau = \lceil n / B \rceil` steps per epoch: it is halved after one
    epoch, divided by three after two, and so on.

    At most about ``max_points`` points of the path are recorded (every step
    when the run is short enough), which keeps redraws fast.

    The result is that of :func:`descent.training.train` with
    :class:`descent.optim.SGD` (same shuffles, steps, records and divergence
    test); for the linear models of :mod:`descent.models` it is computed by a
    loop specialised to plain SGD, several times faster, which the explorer's
    redraws need.

    Returns
    -------
    descent.training.TrainingResult
    """
    lr = _check_rate(lr)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
        raise TypeError(f"batch_size must be an integer in 1..{model.n}, got {batch_size!r}")
    if not 1 <= batch_size <= model.n:
        raise ValueError(f"batch_size must be in 1..{model.n} (n = number of examples), got {batch_size}")
    batch_size = int(batch_size)
    steps_per_epoch = -(-model.n // batch_size)
    record_every = max(1, -(-epochs * steps_per_epoch // max_points))
    if isinstance(model, LinearModel):
        return _plain_sgd(model, lr, batch_size, epochs, decay, seed, record_every)
    schedule = inverse_time(lr, decay_rate=1.0, decay_steps=steps_per_epoch) if decay else None
    return train(model, SGD(lr=lr), epochs=epochs, batch_size=batch_size, schedule=schedule, seed=seed,
                 record_every=record_every)


def _plain_sgd(model, lr, batch_size, epochs, decay, seed, record_every) -> TrainingResult:
    """``train(model, SGD(lr), ...)`` for a linear model, with the per-step work cut to the minimum.

    The shuffles are drawn per epoch exactly as :func:`descent.training.epoch_batches` draws them; the
    examples are permuted once per epoch, so each step takes a slice instead of gathering its batch; the
    rates of the inverse-time decay are computed for all steps at once; the loss is evaluated once, at all
    recorded points together, after the run.
    """
    n, B = model.n, batch_size
    steps_per_epoch = -(-n // B)
    total = epochs * steps_per_epoch
    t = np.arange(total)
    # the same operations as descent.schedules.inverse_time(lr, 1.0, T)(t): lr0 / (1 + k * (t / T))
    etas = lr / (1 + 1.0 * (t / steps_per_epoch)) if decay else np.full(total, lr)
    theta = np.array(model.start, dtype=float)
    thetas = np.empty((total + 1, model.dim))
    thetas[0] = theta
    penalty = model.l2 * model._penalty_mask if model.l2 else None
    rng = np.random.default_rng(seed)
    step = 0
    scalar = B == 1 and model.dim == 2 and isinstance(model, LogisticRegression) and penalty is None
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n)
            X, y = model.X[order], model.y[order]
            if scalar:  # one example a step, two parameters: plain floats beat array calls
                thetas[step + 1:step + n + 1] = _logistic_sgd_steps(X, y, etas[step:step + n], theta)
                step += n
                theta = thetas[step]
                continue
            for start in range(0, n, B):
                Xb, yb = X[start:start + B], y[start:start + B]
                grad = model._dloss(Xb @ theta, yb) @ Xb
                grad /= Xb.shape[0]
                if penalty is not None:
                    grad += penalty * theta
                theta = theta - etas[step] * grad
                step += 1
                thetas[step] = theta
    # the recorded points: every record_every steps and at the end of every epoch
    steps = np.arange(1, total + 1)
    sizes = np.tile(np.diff(np.append(np.arange(0, n, B), n)), epochs)
    seen = np.cumsum(sizes)
    epoch_end = steps % steps_per_epoch == 0
    recorded = epoch_end | (steps % record_every == 0)
    points, point_steps, point_examples = thetas[1:][recorded], steps[recorded], seen[recorded]
    with np.errstate(all="ignore"):
        loss0 = model.value(thetas[0])
        point_losses = np.asarray(model.value(points), dtype=float).reshape(-1)
    limit = DIVERGENCE_BOUND * max(1.0, abs(loss0))
    keep = valid_prefix(points, point_losses, limit)
    diverged_at = int(point_steps[keep]) if keep < len(points) else None
    ends = np.flatnonzero(epoch_end[recorded][:keep])
    if diverged_at is not None:  # an epoch counts only if all its recorded points are valid
        ends = ends[point_steps[ends] <= (diverged_at - 1) // steps_per_epoch * steps_per_epoch]
    return TrainingResult(
        path=np.concatenate([thetas[:1], points[:keep]]),
        losses=np.concatenate([[loss0], point_losses[:keep]]),
        steps=np.concatenate([[0], point_steps[:keep]]),
        examples=np.concatenate([[0], point_examples[:keep]]),
        epoch_losses=np.concatenate([[loss0], point_losses[ends]]),
        val_losses=None,
        lrs=etas if diverged_at is None else etas[:diverged_at],
        batch_size=B,
        n=n,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        min_value=model.min_value,
    )


def _logistic_sgd_steps(X, y, etas, theta) -> list:
    r"""Steps of SGD with one example each on a two-parameter logistic regression, in plain floats.

    Step i uses example ``(X[i], y[i])`` and rate ``etas[i]``:
    :math:`\theta \leftarrow \theta - \eta_i (s(x_i^\top\theta) - y_i)\, x_i`, with
    the logistic function :math:`s(z) = (1 + \tanh(z/2)) / 2` as in :class:`descent.models.LogisticRegression`.
    Returns the parameters after each step.
    """
    t1, t2 = float(theta[0]), float(theta[1])
    out = []
    for (x1, x2), label, eta in zip(X.tolist(), y.tolist(), etas.tolist()):
        d = 0.5 * (1.0 + math.tanh(0.5 * (x1 * t1 + x2 * t2))) - label
        t1, t2 = t1 - eta * (d * x1), t2 - eta * (d * x2)
        out.append((t1, t2))
    return out


def path_on_contours(ax, model, results, labels=None, colors=None, linewidth: float = 0.9) -> list:
    """Training paths of a two-parameter model on the contours of its loss, as lines without dots.

    This is :func:`descent.plots.contour_paths` with ``dots=False`` (an SGD run has
    thousands of iterates) and the model's contour grid computed once and reused.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    model : descent.models.LinearModel
        A model with 2 parameters (its ``bounds`` set the window).
    results : TrainingResult or sequence of TrainingResult
    labels : sequence of str, optional
    colors : sequence of colours, optional
    linewidth : float, default 0.9

    Returns
    -------
    list of descent.plots.PathArtists
        One per result; ``update(result)`` redraws in place.
    """
    if model.dim != 2:
        raise ValueError(f"path_on_contours needs a model with 2 parameters, got dim={model.dim}")
    return plots.contour_paths(ax, model, results, labels=labels, colors=colors, grid=_contour_grid(model),
                               dots=False, linewidth=linewidth)


def _shown_gaps(result, ylim) -> np.ndarray:
    return np.clip(result.gaps, max(_GAP_FLOOR, ylim[0]), ylim[1])


def paths_grid(lrs, batch_sizes, *, epochs: int = 3, decay: bool = False, panel_width: float = 2.6,
               panel_height: float = 2.2):
    """Small multiples: one SGD path per (rate, batch size) pair on the two-parameter model.

    Rows are batch sizes, columns rates; every panel processes the same number
    of examples (``epochs`` epochs). This is the static counterpart of
    :class:`MiniBatchExplorer`.

    Returns
    -------
    fig, axes
        ``axes`` has shape ``(len(batch_sizes), len(lrs))``.
    """
    lrs, batch_sizes = list(lrs), list(batch_sizes)
    if not lrs or not batch_sizes:
        raise ValueError("lrs and batch_sizes must each hold at least one value")
    model = radius_texture_model()
    fig, axes = plots.figure(len(batch_sizes), len(lrs), width=panel_width * len(lrs),
                             height=panel_height * len(batch_sizes))
    axes = np.asarray(axes).reshape(len(batch_sizes), len(lrs))
    for row, batch_size in enumerate(batch_sizes):
        for col, lr in enumerate(lrs):
            ax = axes[row, col]
            result = run_sgd(model, lr, batch_size, epochs=epochs, decay=decay)
            path_on_contours(ax, model, result, linewidth=0.7)
            ax.set_title(f"α = {lr:g}, B = {batch_size}", fontsize=10)
            if col > 0:
                ax.set_ylabel("")
                ax.tick_params(labelleft=False)
            if row < len(batch_sizes) - 1:
                ax.set_xlabel("")
                ax.tick_params(labelbottom=False)
            ax.get_legend() and ax.get_legend().remove()
    return fig, axes


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
