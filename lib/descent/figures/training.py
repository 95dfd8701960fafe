r"""Figures of network training: a run's history, several runs compared, the range test.

Each function is one call from a notebook and draws in the shared style of
:mod:`descent.plots` (its :func:`~descent.plots.figure`, colours and divergence colour):

- :func:`history`: the losses, the validation accuracy and the learning rate of one
  :class:`descent.training.History`, epoch by epoch, with the best epoch of early stopping
  and the point of divergence marked (epochs and steps counted from 1 on the figures);
- :func:`compare`: one recorded quantity of several runs on one axis (optimizers, schedules,
  seeds);
- :func:`range_test`: a :class:`descent.training.RangeTest`, the raw and smoothed losses
  against the rate on a log axis, with the minimum, the suggestion and the divergence point.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import plots

__all__ = ["history", "compare", "range_test", "QUANTITIES"]

#: Quantities of a History that :func:`compare` draws, with their axis labels.
QUANTITIES = {
    "train_loss": "training loss (mean over the epoch)",
    "val_loss": "validation loss",
    "val_accuracy": "validation accuracy",
    "lr": r"learning rate $\eta$",
}


def _diverged_text(run):
    at = run.diverged_at
    return f"diverged in epoch {at['epoch'] + 1}, step {at['step'] + 1}"


def _mark_ending(ax, run, key):
    """The best epoch (dashed line) and a divergence (a cross at the last point, and a note)."""
    if run.best_epoch is not None:
        ax.axvline(run.best_epoch + 1, color="#555555", ls="--", lw=1.0,
                   label=f"best epoch ({run.best_epoch + 1})" if key == "val_loss" else None)
    if run.diverged:
        if run.n_epochs:
            values = getattr(run, key)
            ax.plot(run.epochs[-1], values[-1], "X", color=plots.DIVERGED_COLOR, mec="black", mew=0.6, ms=10,
                    zorder=5)
        if key == "val_loss":
            ax.text(0.97, 0.95, _diverged_text(run), transform=ax.transAxes, ha="right", va="top",
                    color=plots.DIVERGED_COLOR, fontsize=9)


def history(run, *, title=None, log_loss=True):
    """Three panels of one run: training and validation loss, validation accuracy, learning rate.

    Parameters
    ----------
    run : descent.training.History
    title : str, optional
        Shown above the first panel.
    log_loss : bool, default True
        Losses on a log axis.

    Returns
    -------
    matplotlib.figure.Figure
    """
    _check_history(run)
    fig, (loss_ax, accuracy_ax, lr_ax) = plots.figure(ncols=3, width=12.0, height=3.4)
    epochs = run.epochs
    loss_ax.plot(epochs, run.train_loss, color=plots.COLORS[0], label="training (epoch mean)")
    loss_ax.plot(epochs, run.val_loss, color=plots.COLORS[1], label="validation")
    if log_loss:
        loss_ax.set_yscale("log")
    loss_ax.set_ylabel("cross-entropy loss")
    _mark_ending(loss_ax, run, "val_loss")
    loss_ax.legend(loc="best")
    accuracy_ax.plot(epochs, run.val_accuracy, color=plots.COLORS[2])
    accuracy_ax.set_ylabel("validation accuracy")
    _mark_ending(accuracy_ax, run, "val_accuracy")
    lr_ax.step(epochs, run.lr, where="mid", color=plots.COLORS[3])  # one rate an epoch (its first step's)
    lr_ax.set_yscale("log")
    lr_ax.set_ylabel(r"learning rate $\eta$")
    for ax in (loss_ax, accuracy_ax, lr_ax):
        ax.set_xlabel("epoch")
        ax.set_xlim(0.5, max(run.n_epochs, 1) + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        loss_ax.set_title(title)
    return fig


def compare(runs, labels, key="val_loss", *, ax=None, log=None, colors=None):
    """One quantity of several runs against the epoch, on one axis.

    Parameters
    ----------
    runs : sequence of descent.training.History
    labels : sequence of str
        One per run.
    key : str, default "val_loss"
        One of :data:`QUANTITIES`.
    ax : matplotlib.axes.Axes, optional
        Draw there; otherwise a new figure.
    log : bool, optional
        Log y axis; default: for losses and rates.
    colors : sequence, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    runs, labels = list(runs), list(labels)
    if len(runs) != len(labels):
        raise ValueError(f"labels must have one entry per run ({len(runs)}); got {len(labels)}")
    if key not in QUANTITIES:
        raise ValueError(f"key must be one of {', '.join(QUANTITIES)}; got {key!r}")
    for run in runs:
        _check_history(run)
    fig, ax = (plots.figure() if ax is None else (ax.figure, ax))
    colors = list(colors) if colors is not None else plots.COLORS
    for i, (run, label) in enumerate(zip(runs, labels)):
        color = colors[i % len(colors)]
        values = getattr(run, key)
        if run.diverged:
            label = f"{label} ({_diverged_text(run)})"
        ax.plot(run.epochs, values, color=color, label=label)
        if run.diverged and run.n_epochs:
            ax.plot(run.epochs[-1], values[-1], "X", color=plots.DIVERGED_COLOR, mec="black", mew=0.6, ms=9)
        if run.best_epoch is not None and run.restored_best:
            ax.plot(run.best_epoch + 1, values[run.best_epoch], "o", color=color, mec="black", mew=0.6, ms=6)
    if log if log is not None else key != "val_accuracy":
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(QUANTITIES[key])
    ax.legend(loc="best")
    return fig


def range_test(result, *, ax=None, stability_limit=None):
    """The range test: raw and smoothed loss against the rate (log axis), with its marks.

    Parameters
    ----------
    result : descent.training.RangeTest
    ax : matplotlib.axes.Axes, optional
        Draw there; otherwise a new figure.
    stability_limit : float, optional
        A rate to mark for comparison, e.g. :math:`2/L` on a quadratic.

    Returns
    -------
    matplotlib.figure.Figure
    """
    for name in ("lrs", "losses", "smoothed", "suggestion", "rule"):
        if not hasattr(result, name):
            raise TypeError(f"result must be a descent.training.RangeTest, got {type(result).__name__}")
    fig, ax = (plots.figure(width=5.6) if ax is None else (ax.figure, ax))
    with np.errstate(all="ignore"):
        raw = np.where(np.isfinite(result.losses), result.losses, np.nan)
        smooth = np.where(np.isfinite(result.smoothed), result.smoothed, np.nan)
    ax.plot(result.lrs, raw, color=plots.COLORS[5], lw=0.9, alpha=0.8, label="loss after the step")
    ax.plot(result.lrs, smooth, color=plots.COLORS[0], label=rf"smoothed ($\beta$ = {result.beta:g})")
    ax.set_xscale("log")
    finite = smooth[np.isfinite(smooth)]
    if finite.size:  # the window follows the smoothed curve; a raw spike may leave through the top
        low, high = finite.min(), finite.max()
        if low > 0 and high / low > 30:
            ax.set_yscale("log")
            ax.set_ylim(low / 2, high * 2)
        else:
            ax.set_ylim(low - 0.1 * (high - low) - 1e-12, high + 0.25 * (high - low) + 1e-12)
    ax.plot(result.min_lr, result.smoothed[result.min_index], "o", color=plots.COLORS[2], mec="black", mew=0.6,
            label=f"smallest smoothed loss, $\\eta$ = {result.min_lr:.3g}")
    ax.axvline(result.suggestion, color=plots.COLORS[2], ls="--", lw=1.2,
               label=f"suggestion ({result.rule}) = {result.suggestion:.3g}")
    if result.diverged:
        top = smooth[-1] if np.isfinite(smooth[-1]) else (np.nanmax(smooth) if np.isfinite(smooth).any() else 1.0)
        ax.plot(result.divergence_lr, top, "X", color=plots.DIVERGED_COLOR, mec="black", mew=0.6, ms=10,
                label=f"stopped: diverged at $\\eta$ = {result.divergence_lr:.3g}", zorder=5)
    if stability_limit is not None:
        ax.axvline(stability_limit, color=plots.DIVERGED_COLOR, ls=":", lw=1.4,
                   label=f"stability limit = {stability_limit:.3g}")
    ax.set_xlabel(r"learning rate $\eta$ (log scale)")
    ax.set_ylabel("loss")
    ax.legend(loc="best", fontsize=8)
    return fig


def _check_history(run):
    for name in ("train_loss", "val_loss", "val_accuracy", "lr", "epochs"):
        if not hasattr(run, name):
            raise TypeError(f"expected a descent.training.History, got {type(run).__name__}")
