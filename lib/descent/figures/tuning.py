r"""Figures of the tuning chapter: reduce-on-plateau, the range test, early stopping, the recipe, the search.

Each function is one call from the notebook and draws in the shared style of :mod:`descent.plots`:

- :func:`plateau_trace`: a metric fed to reduce-on-plateau, its best value, the bad-epoch counter and the
  rate, from :func:`descent.schedules.plateau.plateau_trace`;
- :func:`plateau_table`: the same trace as a text table;
- :func:`range_test_quadratic`: range tests on a quadratic with and without gradient noise, and the
  steepest direction's coordinate during the noise-free sweep;
- :func:`range_test_spread`: range tests of a network over seeds and sweep lengths, and their suggestions;
- :func:`plateau_run`: a network trained with reduce-on-plateau, its reductions marked;
- :func:`early_stopping`: training and validation losses of overfitting runs, and where early stopping
  stops and which epoch it restores;
- :func:`filters`: gradient descent's and ridge's spectral filters, and the validation loss along both paths;
- :func:`seed_groups`: a recorded quantity of several settings over seeds (curves and final values);
- :func:`search_comparison`, :func:`sensitivity`, :func:`coarse_to_fine`: hyperparameter searches;
- :func:`update_ratios`: the update-to-weight ratio of runs, step by step.

The panels of the range-test explorer are in :mod:`descent.figures.range_test_panel`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from .. import _validation as check
from .. import plots
from .range_test_panel import describe, range_test_panel

__all__ = ["plateau_trace", "plateau_table", "range_test_quadratic", "range_test_spread", "plateau_run",
           "early_stopping", "filters", "seed_groups", "search_comparison", "sensitivity", "coarse_to_fine",
           "update_ratios", "range_test_grid"]

GREY = "#666666"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _plain_log_label(value, _position=None) -> str:
    """A log-axis tick label in plain text: 10⁻⁴ for powers of ten from 10⁻² down and from 10³ up, the number
    itself otherwise (0.1, 1, 20). matplotlib's default typesets each label as mathtext, which costs more to
    draw than the rest of a figure."""
    if value <= 0:
        return ""
    exponent = np.log10(value)
    if abs(exponent - round(exponent)) < 1e-9 and not -2 < round(exponent) < 3:
        return "10" + str(int(round(exponent))).translate(_SUPERSCRIPT)
    return f"{value:g}"


def _plain_log(ax, which="both"):
    """Log scales on ``which`` axis ("x", "y" or "both") with plain-text labels: decades when the axis spans
    more than two, 1-2-5 steps (labelled as plain numbers) otherwise; no minor ticks."""
    for name in ("x", "y") if which == "both" else (which,):
        axis = ax.xaxis if name == "x" else ax.yaxis
        (ax.set_xscale if name == "x" else ax.set_yscale)("log")
        low, high = sorted(ax.get_xlim() if name == "x" else ax.get_ylim())
        wide = low <= 0 or np.log10(high / low) > 2
        axis.set_major_locator(LogLocator(base=10, subs=(1.0,) if wide else (1.0, 2.0, 5.0), numticks=10))
        axis.set_major_formatter(FuncFormatter(_plain_log_label if wide else (lambda value, _=None: f"{value:g}")))
        axis.set_minor_locator(NullLocator())


def _epochs(values):
    return np.arange(1, len(values) + 1)


def plateau_trace(trace, lr0, *, title=None):
    """The metric, its best value and the rate, epoch by epoch, from :func:`descent.schedules.plateau.plateau_trace`.

    Left: the metric (filled dots where it improved on the best, open dots for bad epochs), the best so
    far, and the count of bad epochs written above each point. Right: the rate each epoch ran at (``lr0``
    for the first), with a dotted line after each epoch whose metric lowered it. Epochs count from 1.
    """
    for key in ("metric", "improved", "best", "num_bad_epochs", "lr", "reduced"):
        if key not in trace:
            raise ValueError(f"trace must come from descent.schedules.plateau.plateau_trace; it has no {key!r}")
    lr0 = check.positive("lr0", lr0)
    fig, (left, right) = plots.figure(ncols=2, width=10.0, height=3.4)
    epochs = _epochs(trace["metric"])
    improved = np.asarray(trace["improved"], dtype=bool)
    left.step(epochs, trace["best"], where="post", color=GREY, lw=1.2, label="best so far")
    left.plot(epochs, trace["metric"], "-", color=plots.COLORS[0], lw=1.0, alpha=0.6)
    left.plot(epochs[improved], trace["metric"][improved], "o", color=plots.COLORS[0], ms=7, label="improved")
    left.plot(epochs[~improved], trace["metric"][~improved], "o", mfc="white", color=plots.COLORS[0], ms=7,
              label="not improved: a bad epoch")
    for e, m, bad in zip(epochs, trace["metric"], trace["num_bad_epochs"]):
        left.annotate(str(int(bad)), (e, m), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8,
                      color=GREY)
    left.set_xlabel("epoch")
    left.set_ylabel("metric (bad epochs counted above)")
    left.legend(loc="upper right", fontsize=8)
    used = np.concatenate([[lr0], trace["lr"]])  # epoch k runs at the rate set after epoch k - 1
    right.step(np.arange(1, len(used) + 1), used, where="mid", color=plots.COLORS[3])
    for e in epochs[np.asarray(trace["reduced"], dtype=bool)]:
        right.axvline(e + 0.5, color=plots.COLORS[1], ls=":", lw=1.2)
    right.set_xlim(0.5, len(epochs) + 1.5)
    right.set_xlabel("epoch")
    right.set_ylabel("learning rate η of the epoch")
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        left.set_title(title, fontsize=10)
    return fig


def plateau_table(trace) -> str:
    """The trace of :func:`descent.schedules.plateau.plateau_trace` as a text table, one row per epoch (from 1)."""
    lines = [f"{'epoch':>5}  {'metric':>8}  {'improved':>8}  {'best':>8}  {'bad epochs':>10}  {'cooldown':>8}"
             f"  {'rate after':>10}"]
    for e in range(len(trace["metric"])):
        mark = "  ← lower" if trace["reduced"][e] else ""
        lines.append(f"{e + 1:>5}  {trace['metric'][e]:>8.4g}  {'yes' if trace['improved'][e] else 'no':>8}  "
                     f"{trace['best'][e]:>8.4g}  {int(trace['num_bad_epochs'][e]):>10}  "
                     f"{int(trace['cooldown_counter'][e]):>8}  {trace['lr'][e]:>10.4g}{mark}")
    return "\n".join(lines)


def range_test_quadratic(noisy, full, limit, steep=None):
    """Range tests on a quadratic, rates in units of ``limit`` = 2/L.

    Parameters
    ----------
    noisy : sequence of descent.training.RangeTest
        Sweeps with mini-batch noise (one per seed); the first is drawn with its raw losses.
    full : descent.training.RangeTest
        The sweep with full batches (no noise).
    limit : float
        2/L.
    steep : (rates, measured, closed_form), optional
        The steepest direction's coordinate, relative to its start, during the noise-free sweep: measured
        along the real iterates and from the closed form; drawn in a second panel.
    """
    limit = check.positive("limit", limit)
    ncols = 1 if steep is None else 2
    fig, axes = plots.figure(ncols=ncols, width=5.6 * ncols, height=3.8)
    ax = axes if ncols == 1 else axes[0]
    for i, result in enumerate(noisy):
        x = result.lrs / limit
        ax.plot(x, result.smoothed, color=plots.COLORS[0], lw=1.2, alpha=0.9 if i == 0 else 0.45,
                label="mini-batches of 32 (one line a seed)" if i == 0 else None)
        if result.diverged:
            ax.plot(x[-1], result.smoothed[-1], "X", color=plots.COLORS[0], mec="black", mew=0.5, ms=8)
        ax.plot(result.min_lr / limit, result.smoothed[result.min_index], "o", color=plots.COLORS[0], mec="black",
                mew=0.5, ms=5)
    x = full.lrs / limit
    ax.plot(x, full.smoothed, color=plots.COLORS[1], lw=1.8, label="full batch (no noise)")
    if full.diverged:
        ax.plot(x[-1], full.smoothed[-1], "X", color=plots.COLORS[1], mec="black", mew=0.5, ms=10, label="stopped")
    ax.plot(full.min_lr / limit, full.smoothed[full.min_index], "o", color=plots.COLORS[1], mec="black", mew=0.5,
            ms=6, label="smallest smoothed loss")
    ax.axvline(1.0, color=plots.DIVERGED_COLOR, ls=":", lw=1.4)
    ax.axvline(0.5, color=GREY, ls=":", lw=1.0)
    top = ax.get_ylim()[1]
    ax.text(1.08, top, "2/L", va="top", ha="left", fontsize=8.5, color=GREY)
    ax.text(0.46, top, "1/L", va="top", ha="right", fontsize=8.5, color=GREY)
    _plain_log(ax, "x")
    ax.set_xlabel("learning rate η / (2/L)")
    ax.set_ylabel(f"smoothed training loss (β = {full.beta:g})")
    ax.legend(loc="upper left", fontsize=8)
    if steep is not None:
        rates, measured, closed = steep
        right = axes[1]
        right.plot(np.asarray(rates) / limit, np.maximum(closed, 1e-30), "--", color=GREY, lw=1.4,
                   label="closed form ∏ |1 − η L|")
        right.plot(np.asarray(rates) / limit, measured, color=plots.COLORS[1], lw=1.6, label="the real iterates")
        right.axvline(1.0, color=plots.DIVERGED_COLOR, ls=":", lw=1.4)
        right.axvline(0.5, color=GREY, ls=":", lw=1.0)
        right.axhline(1.1e-16, color=GREY, lw=0.8)
        right.text(2e-5, 2e-16, "rounding error of float64", fontsize=8, color=GREY, va="bottom")
        right.set_ylim(1e-22, 10)
        _plain_log(right)
        right.set_xlabel("learning rate η / (2/L)")
        right.set_ylabel("steepest coordinate / its start")
        right.legend(loc="lower left", fontsize=8)
    return fig


def range_test_spread(results, steps, seeds, *, steepest=None):
    """Range tests of a network: the sweeps of every seed at one length, and every suggestion.

    Parameters
    ----------
    results : dict
        ``(steps, seed) -> RangeTest`` (rule ``"min/10"``).
    steps : sequence of int
        The sweep lengths, in order; the left panel draws the middle one.
    seeds : sequence of int
    steepest : dict, optional
        ``(steps, seed) -> rate`` chosen by the ``"steepest"`` rule, drawn as crosses on the right.
    """
    steps, seeds = list(steps), list(seeds)
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.7)
    shown = steps[len(steps) // 2]
    for i, seed in enumerate(seeds):
        result = results[shown, seed]
        color = plots.COLORS[i % len(plots.COLORS)]
        left.plot(result.lrs, result.smoothed, color=color, lw=1.2, label=f"seed {seed}")
        left.axvline(result.suggestion, color=color, ls="--", lw=0.9)
        left.plot(result.min_lr, result.smoothed[result.min_index], "o", color=color, mec="black", mew=0.5, ms=5)
    _plain_log(left, "x")
    left.set_ylim(0, 3.0)
    left.set_xlabel("learning rate η (log scale)")
    left.set_ylabel("smoothed training loss")
    left.set_title(f"{shown} steps: minimum (dot) and suggestion = minimum/10 (dashed)", fontsize=9.5)
    left.legend(loc="lower left", fontsize=8)
    for j, n in enumerate(steps):
        values = np.array([results[n, seed].suggestion for seed in seeds])
        offsets = np.linspace(-0.15, 0.15, len(seeds))
        right.plot(j + offsets, values, "o", color=plots.COLORS[0], mec="black", mew=0.5,
                   label="minimum/10" if j == 0 else None)
        right.plot([j - 0.25, j + 0.25], [np.exp(np.mean(np.log(values)))] * 2, color=plots.COLORS[0], lw=1.5)
        if steepest is not None:
            crosses = np.array([steepest[n, seed] for seed in seeds])
            right.plot(j + offsets, crosses, "x", color=plots.COLORS[1], ms=7, mew=1.5,
                       label="steepest descent" if j == 0 else None)
    right.set_xticks(range(len(steps)), [f"{n} steps" for n in steps])
    _plain_log(right, "y")
    right.set_ylabel("suggested rate (one mark a seed)")
    right.legend(loc="upper right", fontsize=8)
    return fig


def plateau_run(run, *, title=None):
    """A run of :func:`descent.training.fit` with a plateau rule: losses with the reductions marked, and the rate."""
    fig, (left, right) = plots.figure(ncols=2, width=10.0, height=3.4)
    epochs = run.epochs
    left.plot(epochs, run.train_loss, color=plots.COLORS[0], label="training (epoch mean)")
    left.plot(epochs, run.val_loss, color=plots.COLORS[1], label="validation")
    left.plot(epochs, np.minimum.accumulate(run.val_loss), color=GREY, lw=1.0, ls="--", label="best validation so far")
    for k, e in enumerate(run.plateau_reductions):
        for ax in (left, right):
            ax.axvline(e + 1, color=plots.COLORS[3], ls=":", lw=1.2,
                       label="rate lowered after this epoch" if (k == 0 and ax is left) else None)
    _plain_log(left, "y")
    left.set_ylabel("cross-entropy loss")
    left.legend(loc="upper right", fontsize=8)
    right.step(epochs, run.lr, where="mid", color=plots.COLORS[3])
    _plain_log(right, "y")
    right.set_ylabel("learning rate η of the epoch")
    for ax in (left, right):
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        left.set_title(title, fontsize=10)
    return fig


def early_stopping(runs, stopped):
    """Overfitting runs and early stopping.

    Parameters
    ----------
    runs : sequence of descent.training.History
        Runs without early stopping (one a seed): the left panel draws their training (dashed) and validation
        (solid) losses, with a dot at each validation minimum.
    stopped : descent.training.History
        The first run's setting again, with early stopping: the right panel draws the first run's validation
        loss (linear scale) with where this one stopped and the epoch it restored.
    """
    runs = list(runs)
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.6)
    for i, run in enumerate(runs):
        color = plots.COLORS[i % len(plots.COLORS)]
        best = int(np.argmin(run.val_loss))
        left.plot(run.epochs, run.train_loss, "--", color=color, lw=1.1)
        left.plot(run.epochs, run.val_loss, "-", color=color, lw=1.5, label=f"seed {i}")
        left.plot(best + 1, run.val_loss[best], "o", color=color, mec="black", mew=0.5, ms=6)
    left.plot([], [], "--", color=GREY, label="training (dashed)")
    _plain_log(left, "y")
    left.set_xlabel("epoch")
    left.set_ylabel("cross-entropy loss")
    left.legend(loc="lower left", fontsize=8, ncol=2)
    first = runs[0]
    right.plot(first.epochs, first.val_loss, color=plots.COLORS[0], lw=1.5, label="validation loss, seed 0")
    best = stopped.best_epoch
    end = stopped.n_epochs
    right.axvspan(best + 1, end, color=plots.COLORS[4], alpha=0.18, lw=0, label="patience: epochs without improvement")
    right.axvline(end, color=plots.COLORS[1], ls="--", lw=1.2, label=f"stopped after epoch {end}")
    right.plot(best + 1, stopped.val_loss[best], "o", color=plots.COLORS[2], mec="black", mew=0.6, ms=8,
               label=f"restored: epoch {best + 1}")
    right.set_xlabel("epoch")
    right.set_ylabel("validation loss (linear scale)")
    right.legend(loc="upper right", fontsize=8)
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def filters(alpha, eigenvalues, steps_shown, *, path_steps, gd_val, ridge_steps, ridge_val, least_squares_val):
    r"""Early stopping against ridge, direction by direction (left) and on held-out data (right).

    Left: :math:`1 - (1-\alpha\lambda)^\tau` (solid) and :math:`\lambda/(\lambda + 1/(\tau\alpha))` (dashed)
    against :math:`\lambda`, for each :math:`\tau` in ``steps_shown``; the data's eigenvalues as ticks.
    Right: the validation loss of gradient descent after :math:`\tau` steps (``path_steps``, ``gd_val``) and
    of ridge with :math:`c = 1/(\tau\alpha)` (``ridge_steps``, ``ridge_val``), and of plain least squares.
    """
    from ..theory import early_stopping as theory

    eigenvalues = np.asarray(eigenvalues, dtype=float)
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.7)
    grid = np.geomspace(eigenvalues.min() / 10, eigenvalues.max(), 300)
    for i, tau in enumerate(steps_shown):
        color = plots.COLORS[i % len(plots.COLORS)]
        left.plot(grid, theory.gradient_descent_filter(alpha, tau, grid), color=color, lw=1.6,
                  label=f"τ = {tau}: gradient descent")
        left.plot(grid, theory.ridge_filter(theory.matching_strength(alpha, tau), grid), "--", color=color, lw=1.4,
                  label="ridge, c = 1/(τα)")
    for value in eigenvalues:
        left.axvline(value, ymin=0, ymax=0.04, color="black", lw=1.2)
    _plain_log(left, "x")
    left.set_ylim(-0.02, 1.02)
    left.set_xlabel("eigenvalue λ of the Hessian (ticks: the data's)")
    left.set_ylabel("share of the least-squares coefficient kept")
    left.legend(loc="upper left", fontsize=7.5)
    right.plot(path_steps, gd_val, color=plots.COLORS[0], lw=1.6, label="gradient descent after τ steps")
    right.plot(ridge_steps, ridge_val, "o", color=plots.COLORS[1], ms=4, label="ridge with c = 1/(τα)")
    right.axhline(least_squares_val, color=GREY, ls="--", lw=1.2, label="least squares (no regularisation)")
    _plain_log(right, "x")
    right.set_xlabel("steps τ (log scale)")
    right.set_ylabel("validation loss")
    right.legend(loc="upper right", fontsize=8)
    return fig


def seed_groups(groups, key="val_loss", *, ylabel=None, log=True):
    """Several settings over seeds: one quantity of each run against the epoch (left) and its final values (right).

    Parameters
    ----------
    groups : dict
        Label -> list of :class:`descent.training.History` (one a seed).
    key : str, default "val_loss"
        A per-epoch record of the History.
    """
    if not groups:
        raise ValueError("groups must hold at least one setting")
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.6)
    for i, (label, runs) in enumerate(groups.items()):
        color = plots.COLORS[i % len(plots.COLORS)]
        finals = []
        for j, run in enumerate(runs):
            values = getattr(run, key)
            left.plot(run.epochs, values, color=color, lw=1.2, alpha=0.85, label=label if j == 0 else None)
            finals.append(values[-1])
        offsets = np.linspace(-0.12, 0.12, len(finals))
        right.plot(i + offsets, finals, "o", color=color, mec="black", mew=0.5, ms=7)
    right.set_xticks(range(len(groups)), list(groups), fontsize=8.5)
    for ax in (left, right):
        if log:
            _plain_log(ax, "y")
    left.set_xlabel("epoch")
    left.set_ylabel(ylabel or key.replace("_", " "))
    left.xaxis.set_major_locator(MaxNLocator(integer=True))
    left.legend(loc="upper right", fontsize=8)
    right.set_ylabel("after the last epoch (one dot a seed)")
    return fig


def search_comparison(grid, randoms, x="lr", y="beta1", *, xlabel="learning rate α",
                      ylabel="β₁"):
    """Grid search against random searches with the same budget.

    Left: the settings tried (grid: squares; the first random search: dots), coloured by their score. Right:
    the best score of the grid and of each random search.
    """
    randoms = list(randoms)
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.8)
    scores = np.concatenate([grid.scores] + [r.scores for r in randoms])
    finite = scores[np.isfinite(scores)]
    norm = LogNorm(vmin=finite.min(), vmax=finite.max())
    drawn = left.scatter(grid.values(x), grid.values(y), c=np.minimum(grid.scores, finite.max()), cmap="viridis_r",
                         norm=norm, marker="s", s=70, edgecolors="black", linewidths=0.6, label="grid")
    first = randoms[0]
    left.scatter(first.values(x), first.values(y), c=np.minimum(first.scores, finite.max()), cmap="viridis_r",
                 norm=norm, marker="o", s=55, edgecolors="black", linewidths=0.6, label="random (search 1)")
    _plain_log(left, "x")
    left.set_xlabel(xlabel)
    left.set_ylabel(ylabel)
    left.legend(loc="upper left", fontsize=8, framealpha=0.95)
    bar = fig.colorbar(drawn, ax=left, label="validation loss")
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _=None: f"{value:g}"))
    bar.ax.yaxis.set_minor_locator(NullLocator())
    right.plot([0], [grid.best_score], "s", color=plots.COLORS[1], mec="black", mew=0.6, ms=9)
    right.plot(1 + np.arange(len(randoms)), [r.best_score for r in randoms], "o", color=plots.COLORS[0],
               mec="black", mew=0.6, ms=8)
    right.set_xticks(range(len(randoms) + 1), ["grid"] + [f"random {i + 1}" for i in range(len(randoms))],
                     fontsize=8.5)
    right.set_ylabel("best validation loss found")
    right.set_xlim(-0.5, len(randoms) + 0.5)
    return fig


def sensitivity(results, *, labels=None, log_axes=("lr", "eps")):
    """One panel per hyperparameter: the score against the value tried, the others at their defaults.

    Parameters
    ----------
    results : dict
        Name -> (values, scores).
    labels : dict, optional
        Name -> axis label.
    log_axes : sequence of str
        Names drawn on a log x axis.
    """
    names = list(results)
    fig, axes = plots.figure(ncols=len(names), width=2.9 * len(names), height=3.0)
    axes = np.atleast_1d(axes)
    everything = np.concatenate([np.asarray(s, dtype=float) for _, s in results.values()])
    top = everything[np.isfinite(everything)].max() * 1.3
    low = everything[np.isfinite(everything)].min() / 1.3
    for ax, name in zip(axes, names):
        values, scores = results[name]
        ax.plot(values, scores, "o-", color=plots.COLORS[0], mec="black", mew=0.5)
        ax.set_yscale("log")
        ax.set_ylim(low, top)
        _plain_log(ax, "y")
        if name in log_axes:
            _plain_log(ax, "x")
        ax.set_xlabel((labels or {}).get(name, name))
        spread = np.max(scores) / np.min(scores)
        ax.set_title(f"worst / best = {spread:.2g}", fontsize=9)
    axes[0].set_ylabel("validation loss")
    return fig


def coarse_to_fine(coarse, fine, fine_range, x="lr"):
    """A coarse-to-fine search over one rate: the coarse stage's scores, the narrowed range, the fine stage's."""
    fig, ax = plots.figure(width=6.4, height=3.6)
    low, high = fine_range
    ax.axvspan(low, high, color=plots.COLORS[2], alpha=0.15, lw=0, label="the fine stage's range")
    ax.plot(coarse.values(x), np.minimum(coarse.scores, 1e3), "o", color=plots.COLORS[0], mec="black", mew=0.5, ms=7,
            label="coarse stage (short runs)")
    ax.plot(fine.values(x), fine.scores, "s", color=plots.COLORS[1], mec="black", mew=0.5, ms=6,
            label="fine stage (longer runs)")
    _plain_log(ax)
    ax.set_xlabel("learning rate α (log scale)")
    ax.set_ylabel("validation loss")
    ax.legend(loc="lower left", fontsize=8)
    return fig


def update_ratios(runs, labels, key="W1", *, rule_of_thumb=1e-3):
    """The update-to-weight ratio of one weight matrix, step by step, for several runs (log scale)."""
    runs, labels = list(runs), list(labels)
    if len(runs) != len(labels):
        raise ValueError(f"labels must have one entry per run ({len(runs)}); got {len(labels)}")
    fig, ax = plots.figure(width=6.8, height=3.6)
    for i, (run, label) in enumerate(zip(runs, labels)):
        if run.update_ratio is None or key not in run.update_ratio:
            raise ValueError(f"run {i} has no update ratio for {key!r}; train it with record_update_ratio=True")
        steps = np.arange(1, len(run.update_ratio[key]) + 1)
        ax.plot(steps, run.update_ratio[key], color=plots.COLORS[i % len(plots.COLORS)], lw=0.9, alpha=0.9,
                label=label)
    ax.axhline(rule_of_thumb, color="black", ls="--", lw=1.2, label=f"rule of thumb, {rule_of_thumb:g}")
    _plain_log(ax, "y")
    ax.set_xlabel("step")
    ax.set_ylabel(f"‖ΔW‖ / ‖W‖ of {key}")
    ax.legend(loc="upper right", fontsize=8)
    return fig


def range_test_grid(cases, limit, *, loss_limits=(0.15, 5.0), ncols=3):
    """Small multiples of range tests on a quadratic, each panel drawn as the range-test explorer draws it.

    Parameters
    ----------
    cases : dict
        Title -> :class:`descent.training.RangeTest`.
    limit : float
        2/L.
    """
    if not cases:
        raise ValueError("cases must hold at least one range test")
    ncols = min(check.integer("ncols", ncols, 1), len(cases))
    nrows = -(-len(cases) // ncols)
    fig, axes = plots.figure(nrows=nrows, ncols=ncols, width=3.9 * ncols, height=3.0 * nrows)
    axes = np.atleast_1d(axes).reshape(-1)
    for ax, (title, result) in zip(axes, cases.items()):
        panel = range_test_panel(ax, loss_limits)
        panel.show(result, limit, status=False)
        ax.set_title(f"{title}\n{describe(result, limit)}", fontsize=8, loc="left")
        ax.get_legend().remove()
        ax.set_xlabel("η / (2/L)")
    for ax in axes[len(cases):]:
        ax.set_visible(False)
    return fig
