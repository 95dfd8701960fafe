r"""Figures of the case study: the rate search, the tuned runs' curves, the results with their spread.

Each function is one call from the chapter and takes what :mod:`descent.training.comparison`
returns (a :class:`~descent.training.comparison.Search`, :class:`~descent.training.comparison.Run`
objects, per-seed scores):

- :func:`rate_search`: one panel per optimizer, the best validation loss against the learning
  rate (every seed, and their mean), the winner and torch's default rate marked;
- :func:`curves`: validation loss and error rate against the epoch for several runs (the mean over
  seeds, and the range);
- :func:`scores`: per-seed scores of several settings side by side (dots for the seeds, a bar
  for the mean), so that the spread is seen next to the differences;
- :func:`results`: the same for the test loss and accuracy, side by side;
- :func:`results_table`: the results as a Markdown table (mean and range over the seeds);
- :func:`torch_table`: each optimizer's torch class, its keywords and defaults (read from the
  signatures) and the keywords only torch has.

Colours group the optimizers by family (:data:`FAMILY_COLORS`): gradient descent with or without
momentum, the per-coordinate methods of chapters 4 and 5, and Adam's family.
"""

from __future__ import annotations

import inspect

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from .. import _validation as check
from .. import optim, plots

__all__ = ["FAMILIES", "FAMILY_COLORS", "color", "default_rate", "loss_axis", "rate_axis", "per_epoch", "rate_search",
           "curves",
           "scores", "results", "results_table", "torch_table"]

#: The optimizers of each family, in the course's order.
FAMILIES = {
    "gradient descent and momentum": ("SGD", "Momentum", "Nesterov"),
    "per-coordinate rates": ("AdaGrad", "RMSProp", "Adadelta"),
    "Adam's family": ("Adam", "AdamW", "AdaMax", "NAdam", "RAdam"),
}
#: Shades of one colour per family (colour-blind safe hues of the course's palette).
FAMILY_COLORS = {
    "SGD": "#56B4E9", "Momentum": "#0072B2", "Nesterov": "#003C5F",
    "AdaGrad": "#7FD8BE", "RMSProp": "#009E73", "Adadelta": "#005A41",
    "Adam": "#D55E00", "AdamW": "#E69F00", "AdaMax": "#A6761D", "NAdam": "#CC79A7", "RAdam": "#8C2D04",
}
_STYLES = {"SGD": "-", "Momentum": "--", "Nesterov": ":", "AdaGrad": "-", "RMSProp": "--", "Adadelta": ":",
           "Adam": "-", "AdamW": "--", "AdaMax": ":", "NAdam": "-.", "RAdam": (0, (5, 1, 1, 1, 1, 1))}


def color(name) -> str:
    """The colour of optimizer ``name`` (grey for a name outside :data:`FAMILY_COLORS`)."""
    return FAMILY_COLORS.get(name, "#777777")


def default_rate(name) -> float:
    """torch's (and descent's) default learning rate of optimizer ``name``, read from its signature."""
    return float(inspect.signature(getattr(optim, name)).parameters["lr"].default)


def loss_axis(ax, low, high, axis="y"):
    """A log axis from ``low`` to ``high`` with plain labels on the 1-2-5 series (0.05, 0.1, 0.2, ...)."""
    (ax.set_yscale if axis == "y" else ax.set_xscale)("log")
    (ax.set_ylim if axis == "y" else ax.set_xlim)(low, high)
    decades = np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    ticks = [m * 10.0**d for d in decades for m in (1, 2, 5) if low <= m * 10.0**d <= high]
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(FixedLocator(ticks))
    target.set_major_formatter(FixedFormatter([f"{t:g}" for t in ticks]))
    target.set_minor_locator(NullLocator())


def rate_axis(ax, low, high):
    """A log x axis from ``low`` to ``high`` labelled at the powers of ten in plain numbers (0.001, 0.01, ...)."""
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ticks = [10.0**k for k in range(int(np.ceil(np.log10(low))), int(np.floor(np.log10(high))) + 1)]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FixedFormatter([f"{t:g}" for t in ticks]))
    ax.xaxis.set_minor_locator(NullLocator())


def rate_search(search, *, ncols=4, managed=True):
    """One panel per optimizer: the best validation loss of every rate tried, per seed and on average.

    All panels share their axes (log scales, plain tick labels): the rate from half the smallest
    to twice the largest rate tried, the loss from the lowest to the highest (at most 3).

    Parameters
    ----------
    search : descent.training.comparison.Search
    ncols : int, default 4
    managed : bool, default True
        As in :func:`descent.plots.figure`.

    Returns
    -------
    fig, axes
        ``axes`` maps each optimizer to its panel.
    """
    names = list(search.runs)
    if not names:
        raise ValueError("search holds no optimizer")
    ncols = check.integer("ncols", ncols, 1)
    nrows = -(-len(names) // ncols)
    fig, grid = plots.figure(nrows, ncols, width=2.55 * ncols, height=1.85 * nrows + 0.5, managed=managed)
    grid = np.atleast_1d(grid).reshape(-1)
    rates = np.array([run.setting.lr for runs in search.runs.values() for run in runs])
    losses = np.concatenate([run.best_val_loss for runs in search.runs.values() for run in runs])
    finite = losses[np.isfinite(losses)]
    top = min(float(np.max(finite)), 3.0) * 1.3 if finite.size else 3.0
    bottom = float(np.min(finite)) / 1.3 if finite.size else 0.01
    panels = {}
    for index, (ax, name) in enumerate(zip(grid, names)):
        runs = search.runs[name]
        lrs = np.array([run.setting.lr for run in runs])
        per_seed = np.clip(np.array([run.best_val_loss for run in runs]), bottom, top)  # (rates, seeds)
        ax.plot(np.repeat(lrs, per_seed.shape[1]), per_seed.ravel(), "o", ms=2.6, color="#999999", zorder=2)
        ax.plot(lrs, np.clip(np.array([np.mean(run.best_val_loss) for run in runs]), bottom, top), "-",
                color=color(name), lw=1.6, zorder=3)
        best = search.best[name].setting.lr
        ax.plot(best, np.clip(np.mean(search.best[name].best_val_loss), bottom, top), "*", ms=11,
                color=color(name), mec="black", mew=0.6, zorder=4)
        ax.axvline(default_rate(name), color="#444444", ls=":", lw=1.1, zorder=1)
        ax.set_title(f"{name}: {best:.3g}", fontsize=10)
        rate_axis(ax, rates.min() / 2, rates.max() * 2)
        loss_axis(ax, bottom, top)
        if index % ncols == 0:
            ax.set_ylabel("best val. loss")
        else:
            ax.tick_params(axis="y", labelleft=False)
        if index >= len(names) - ncols:
            ax.set_xlabel(r"learning rate $\eta$")
        else:
            ax.tick_params(axis="x", labelbottom=False)
        panels[name] = ax
    for ax in grid[len(names):]:
        ax.set_axis_off()
    if len(grid) > len(names):
        handles = [Line2D([], [], ls="", marker="o", ms=3, color="#999999", label="one seed"),
                   Line2D([], [], color="#333333", lw=1.6, label="mean of the seeds"),
                   Line2D([], [], ls="", marker="*", ms=11, color="#333333", mec="black", label="the rate chosen"),
                   Line2D([], [], color="#444444", ls=":", lw=1.1, label="torch's default rate")]
        grid[len(names)].legend(handles=handles, loc="center", frameon=False, fontsize=9)
    return fig, panels


def per_epoch(runs, key, epochs):
    """``(runs, seeds, epochs)`` array of ``key``, each seed's last value carried past its stop."""
    out = np.full((len(runs), len(runs[0].histories), epochs), np.nan)
    for i, run in enumerate(runs):
        for j, history in enumerate(run.histories):
            values = getattr(history, key)
            if len(values):
                out[i, j, :len(values)] = values
                out[i, j, len(values):] = values[-1]
    return out


def curves(runs, *, labels=None, managed=True):
    """Validation loss (left) and error rate, 1 - accuracy (right), against the epoch: the mean over seeds.

    Both on log scales, so that the first epochs and the last ones are seen alike. A seed that
    stopped early keeps its last value (the parameters are restored to the best epoch, which is
    what the run delivers); the shaded band around a loss curve is the range over the seeds.

    Parameters
    ----------
    runs : sequence of descent.training.comparison.Run
    labels : sequence of str, optional
        Default: each run's optimizer.
    """
    runs = list(runs)
    if not runs:
        raise ValueError("runs must hold at least one Run")
    labels = [run.setting.optimizer for run in runs] if labels is None else list(labels)
    if len(labels) != len(runs):
        raise ValueError(f"labels must have one entry per run ({len(runs)}), got {len(labels)}")
    epochs = max(run.protocol.epochs for run in runs)
    x = np.arange(1, epochs + 1)
    losses, errors = per_epoch(runs, "val_loss", epochs), 1 - per_epoch(runs, "val_accuracy", epochs)
    fig, (loss_ax, error_ax) = plots.figure(ncols=2, width=10.5, height=3.9, managed=managed)
    for run, label, loss, error in zip(runs, labels, losses, errors):
        name = run.setting.optimizer
        style = dict(color=color(name), ls=_STYLES.get(name, "-"), lw=1.5)
        loss_ax.plot(x, np.nanmean(loss, axis=0), label=label, **style)
        error_ax.plot(x, np.nanmean(error, axis=0), **style)
        loss_ax.fill_between(x, np.nanmin(loss, axis=0), np.nanmax(loss, axis=0), color=color(name), alpha=0.08,
                             lw=0)
    for ax, values in ((loss_ax, losses), (error_ax, errors)):
        means = np.nanmean(values, axis=1)
        means = means[np.isfinite(means) & (means > 0)]
        loss_axis(ax, max(means.min() / 1.2, 1e-3), means.max() * 1.2)
        ax.set_xlabel("epoch")
        ax.set_xlim(1, epochs)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_ax.set_ylabel("validation loss (mean of the seeds)")
    error_ax.set_ylabel("validation error rate, 1 − accuracy")
    loss_ax.legend(ncols=2, fontsize=8, loc="upper right")
    return fig, (loss_ax, error_ax)


def scores(values, *, names, groups, xlabel, managed=True, ax=None):
    """Per-seed scores of several settings: one row per name, one marker per group, a dot per seed.

    Parameters
    ----------
    values : dict
        ``(name, group) -> array`` of per-seed scores.
    names : sequence of str
        Rows, top to bottom.
    groups : sequence of str
        Drawn side by side in each row (e.g. ``["constant", "cosine"]``).
    xlabel : str
    """
    names, groups = list(names), list(groups)
    missing = [(n, g) for n in names for g in groups if (n, g) not in values]
    if missing:
        raise ValueError(f"values has no entry for {missing[:3]}")
    fig, ax = plots.figure(width=5.4, height=0.34 * len(names) + 1.1, managed=managed) if ax is None \
        else (ax.figure, ax)
    markers = ["o", "^", "s", "D"]
    offsets = np.linspace(-0.18, 0.18, len(groups)) if len(groups) > 1 else [0.0]
    for row, name in enumerate(names):
        y = len(names) - 1 - row
        for k, (group, offset) in enumerate(zip(groups, offsets)):
            seeds = np.asarray(values[(name, group)], dtype=float)
            face = color(name) if k == 0 else "white"
            ax.plot(seeds, np.full(seeds.shape, y + offset), markers[k % 4], ms=4.5, color=color(name), mfc=face,
                    mew=1.0, alpha=0.9)
            ax.plot([seeds.mean()] * 2, [y + offset - 0.14, y + offset + 0.14], color="black", lw=1.6)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names[::-1])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], ls="", marker=markers[k % 4], color="#444444", mfc="#444444" if k == 0 else "white",
                      label=group) for k, group in enumerate(groups)]
    handles.append(Line2D([], [], color="black", lw=1.6, label="mean of the seeds"))
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(handles), frameon=False,
              fontsize=8)
    return fig, ax


def results(values, *, names, groups, managed=True):
    """Per-seed test loss (left) and accuracy (right) of several settings, with :func:`scores`.

    Parameters
    ----------
    values : dict
        ``(name, group) -> (losses, accuracies)``, two arrays of per-seed scores (what
        :func:`descent.training.comparison.evaluate_on_test` returns).
    names, groups
        As in :func:`scores`.
    """
    names, groups = list(names), list(groups)
    fig, (loss_ax, accuracy_ax) = plots.figure(ncols=2, width=10.5, height=0.3 * len(names) + 1.3,
                                               managed=managed)
    scores({key: pair[0] for key, pair in values.items()}, names=names, groups=groups,
           xlabel="test loss (lower is better)", ax=loss_ax)
    scores({key: pair[1] for key, pair in values.items()}, names=names, groups=groups,
           xlabel="test accuracy (higher is better)", ax=accuracy_ax)
    accuracy_ax.get_legend().remove()
    accuracy_ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:.0%}" if abs(x * 100 - round(x * 100)) < 1e-9
                                                        else f"{x:.1%}"))
    return fig, (loss_ax, accuracy_ax)


def results_table(rows, columns):
    """The results as a Markdown table (shown as a table by Jupyter and by the book).

    Parameters
    ----------
    rows : sequence of dict
        One dict per row, ``column -> value``; a value is a string, a number, or an array of
        per-seed numbers, shown as ``mean (min–max)``.
    columns : dict
        ``column -> (heading, format)`` with a format such as ``"{:.3f}"`` or ``"{:.1%}"``.

    Returns
    -------
    IPython.display.Markdown
    """
    from IPython.display import Markdown

    head = "| " + " | ".join(heading for heading, _ in columns.values()) + " |"
    rule = "|" + "|".join(":---" if i == 0 else "---:" for i in range(len(columns))) + "|"
    lines = [head, rule]
    for row in rows:
        cells = []
        for key, (_, form) in columns.items():
            value = row[key]
            if isinstance(value, str):
                cells.append(value)
            elif np.ndim(value) == 0:
                cells.append(form.format(float(value)))
            else:
                value = np.asarray(value, dtype=float)
                cells.append(f"{form.format(value.mean())} ({form.format(value.min())}–{form.format(value.max())})")
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))


def _default(value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_default(v) for v in value) + ")"
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


def torch_table(names=None):
    """A Markdown table: for each optimizer, the descent class, the torch call that is the same
    method, every keyword with its default (read from descent's signature; torch's are the same, as
    ``tests/test_optim_signatures.py`` checks) and the keywords only torch has.

    Parameters
    ----------
    names : sequence of str, optional
        Optimizers of :data:`descent.training.comparison.OPTIMIZERS` (default: all).

    Returns
    -------
    IPython.display.Markdown
    """
    from IPython.display import Markdown

    from ..training.comparison import OPTIMIZERS
    from ..training.torch_names import TORCH_EQUIVALENTS, TORCH_ONLY

    names = list(OPTIMIZERS if names is None else names)
    lines = ["| descent | torch | keywords and defaults (both) | only in torch |", "|:---|:---|:---|:---|"]
    for name in names:
        if name not in TORCH_EQUIVALENTS:
            raise ValueError(f"names: {name!r} is not one of {list(OPTIMIZERS)}")
        torch_class, fixed = TORCH_EQUIVALENTS[name]
        parameters = inspect.signature(getattr(optim, name)).parameters
        keywords = ", ".join(f"{key}={_default(p.default)}" for key, p in parameters.items())
        call = f"torch.optim.{torch_class}(params" + "".join(f", {k}={_default(v)}" for k, v in fixed.items()) + ")"
        only = [key for key in TORCH_ONLY[torch_class] if key not in parameters and key not in fixed]
        note = ""
        if "momentum" in fixed and parameters.get("momentum") is not None:
            note = " (torch's `SGD` defaults to momentum=0)"
        lines.append(f"| `{name}` | `{call}` | `{keywords}`{note} | {', '.join(f'`{k}`' for k in only)} |")
    return Markdown("\n".join(lines))
