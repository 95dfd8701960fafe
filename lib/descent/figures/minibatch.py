r"""Chapter 2's figures: stochastic and mini-batch descent on a two-parameter model, and the gradient noise.

The model is a logistic regression on two features of the breast-cancer data (``mean radius`` and ``mean
texture``, standardised, no intercept), so its loss is a surface over the plane :math:`(\theta_1, \theta_2)`
and every path can be drawn on its contours. :func:`radius_texture_model` builds it and :func:`run_sgd` runs
plain SGD on it for a budget of epochs (with :func:`descent.training.train_sgd`), optionally with the
inverse-time decay :math:`\eta_t = \alpha / (1 + t/\tau)`, :math:`\tau` the number of steps in one epoch.

- :func:`path_on_contours`: training paths on the contours of the model's loss;
- :func:`paths_grid`: small multiples, one path per (rate, batch size), the static counterpart of
  :class:`descent.explorers.minibatch.MiniBatchExplorer`;
- :func:`variance_by_batch_size`: the measured gradient variance against the batch size, with the laws
  :math:`\sigma^2/B` and :math:`\sigma^2/B \cdot (n - B)/(n - 1)`.

Loss curves against epochs are :func:`descent.plots.loss_curves` with ``x="epochs"``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

import numpy as np

from .. import _validation as check
from .. import plots
from ..data import load
from ..models import LogisticRegression
from ..schedules import inverse_time
from ..training import train_sgd

__all__ = [
    "FEATURES",
    "WINDOW",
    "radius_texture_model",
    "run_sgd",
    "path_on_contours",
    "paths_grid",
    "variance_by_batch_size",
]

#: The two features of the two-parameter model.
FEATURES = ("mean radius", "mean texture")

#: The plot window ``((θ1 min, θ1 max), (θ2 min, θ2 max))`` around the start (0, 0) and the optimum.
WINDOW = ((-6.5, 0.5), (-3.0, 2.0))

#: Grid points per axis of the contour plots (the loss of 427 examples at each point).
_RESOLUTION = 100


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
    test), computed by its fast path :func:`descent.training.train_sgd`, which the
    explorer's redraws need.

    Returns
    -------
    descent.training.TrainingResult
    """
    lr = check.positive("lr", lr)
    batch_size = check.batch_size(batch_size, model.n)
    steps_per_epoch = -(-model.n // batch_size)
    record_every = max(1, -(-epochs * steps_per_epoch // max_points))
    schedule = inverse_time(lr, decay_rate=1.0, decay_steps=steps_per_epoch) if decay else None
    return train_sgd(model, lr, epochs=epochs, batch_size=batch_size, schedule=schedule, seed=seed,
                     record_every=record_every)


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


def paths_grid(lrs, batch_sizes, *, epochs: int = 3, decay: bool = False, panel_width: float = 2.6,
               panel_height: float = 2.2):
    """Small multiples: one SGD path per (rate, batch size) pair on the two-parameter model.

    Rows are batch sizes, columns rates; every panel processes the same number
    of examples (``epochs`` epochs). This is the static counterpart of
    :class:`~descent.explorers.minibatch.MiniBatchExplorer`.

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


def variance_by_batch_size(ax, batch_sizes, measured, sigma2: float, n: int, samples: Optional[int] = None):
    r"""Measured mini-batch gradient variance against the batch size, with the two laws, on log–log axes.

    Draws :math:`\sigma^2/B` (dashed grey), the exact law for batches without replacement
    :math:`\sigma^2/B \cdot (n - B)/(n - 1)` (solid) for :math:`B = 1, \dots, n - 1`, and the measurements
    (dots).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    batch_sizes : array_like of int
        The batch sizes measured, in ``1..n-1``.
    measured : array_like
        The measured variances, one per batch size (e.g. from ``descent.training.minibatch_gradient_variance``).
    sigma2 : float
        The per-example gradient variance :math:`\sigma^2` (> 0).
    n : int
        Number of examples (>= 2).
    samples : int, optional
        How many batches each measurement drew (for the legend).

    Returns
    -------
    list of matplotlib.lines.Line2D
        The plain law, the corrected law and the measurements.
    """
    sizes = np.asarray(batch_sizes, dtype=float)
    values = np.asarray(measured, dtype=float)
    if sizes.ndim != 1 or sizes.shape != values.shape or sizes.size == 0:
        raise ValueError(f"batch_sizes and measured must be 1-D of the same length; got {sizes.shape} and "
                         f"{values.shape}")
    n = check.integer("n", n, 2)
    check.reals("batch_sizes", sizes, 1, n - 1)
    sigma2 = check.positive("sigma2", sigma2)
    grid = np.arange(1, n)
    plain, = ax.plot(grid, sigma2 / grid, "--", color="#888888", label=r"$\sigma^2 / B$")
    corrected, = ax.plot(grid, sigma2 / grid * (n - grid) / (n - 1), color=plots.COLORS[0],
                         label=r"$\sigma^2 / B \cdot (n - B)/(n - 1)$")
    dots, = ax.plot(sizes, values, "o", color=plots.COLORS[1],
                    label="measured" if samples is None else f"measured ({samples} batches)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"$\mathbb{E}\,\Vert g_{\mathcal{B}} - \nabla f\Vert^2$")
    ax.legend(loc="best")
    return [plain, corrected, dots]
