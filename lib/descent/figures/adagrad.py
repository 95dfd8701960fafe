r"""Chapter 4's figures: AdaGrad's per-coordinate rates, on ravines, on sparse features and under noise.

Each function draws on a given Axes and returns what it drew, so a notebook makes a figure in one call
after ``fig, ax = descent.plots.figure(...)``:

- :func:`rotation_steps`: steps to a tolerance against the rotation angle of a ravine;
- :func:`feature_rates`: effective rate against feature frequency, on log–log axes, with the slope
  :math:`-\tfrac12` that :math:`\alpha/\sqrt{s_j} \propto 1/\sqrt{p_j}` predicts;
- :func:`error_tradeoff`: the error on rare features against the error on common ones, one point per
  learning rate, for several optimizers;
- :func:`effective_rates`: effective rates against the step, on log–log axes, with a reference curve;
- :func:`first_steps`: the size of a first step against the size of the gradient, for several forms
  of the update.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import numpy as np

from .. import plots
from .._validation import positive, reals

__all__ = ["rotation_steps", "feature_rates", "error_tradeoff", "effective_rates", "first_steps"]


def _vector(name: str, values, length: Optional[int] = None, low=None) -> np.ndarray:
    """``values`` as a non-empty 1-D float array, finite and > ``low`` (for a log axis, ``low=0``)."""
    array = np.atleast_1d(reals(name, values, low, low_open=True, max_ndim=1))
    if length is not None and array.size != length:
        raise ValueError(f"{name} must have one entry per angle/frequency ({length}); got {array.size}")
    return array


def rotation_steps(ax, angles, adagrad_steps, gd_steps: float, tolerance: float, label: str = "AdaGrad"):
    r"""Steps to reach a tolerance against the angle by which a ravine is rotated.

    AdaGrad (dots joined by a line) against gradient descent at its best rate (a horizontal dashed
    line: rotating the ravine does not change gradient descent at all).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    angles : array_like
        Rotation angles in degrees.
    adagrad_steps : array_like
        Steps AdaGrad needed at each angle.
    gd_steps : float
        Steps gradient descent needed (any angle).
    tolerance : float
        The tolerance :math:`\delta` the steps were counted to (for the axis label).
    label : str, default "AdaGrad"

    Returns
    -------
    (matplotlib.lines.Line2D, matplotlib.lines.Line2D)
        AdaGrad's line and gradient descent's.
    """
    angles = _vector("angles", angles)
    steps = _vector("adagrad_steps", adagrad_steps, len(angles))
    tolerance = positive("tolerance", tolerance)
    line, = ax.plot(angles, steps, "o-", color=plots.COLORS[1], label=label)
    reference = ax.axhline(gd_steps, color=plots.COLORS[0], ls="--", lw=1.4,
                           label=r"gradient descent at $\alpha^\star$")
    ax.set_xlabel(r"rotation of the ravine $\varphi$ (degrees)")
    exponent = np.log10(tolerance)
    shown = f"10^{{{exponent:.0f}}}" if np.isclose(exponent, round(exponent)) else f"{tolerance:g}"
    ax.set_ylabel(rf"steps to $\|\theta_t\| \leq {shown}\,\|\theta_0\|$")
    ax.set_xticks(angles if len(angles) <= 10 else np.linspace(angles.min(), angles.max(), 7))
    ax.set_ylim(0, 1.12 * max(float(np.nanmax(steps)), float(gd_steps)))
    ax.legend(loc="lower center")
    return line, reference


def feature_rates(ax, frequencies, rates, label: str = "AdaGrad, after training"):
    r"""Effective rate of each feature against its frequency, log–log, with a slope :math:`-\tfrac12` guide.

    The guide is the line :math:`c/\sqrt{p}` through the geometric mean of the points: AdaGrad's sum of
    squared gradients grows like :math:`p_j t`, so its rate :math:`\alpha/\sqrt{s_j}` goes like
    :math:`1/\sqrt{p_j}`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    frequencies : array_like
        Feature frequencies :math:`p_j` (> 0).
    rates : array_like
        Effective rates :math:`\alpha/(\sqrt{s_j} + \varepsilon)`, one per feature (> 0).
    label : str

    Returns
    -------
    (matplotlib.lines.Line2D, matplotlib.lines.Line2D)
        The measured points and the guide.
    """
    p = _vector("frequencies", frequencies, low=0.0)  # log axes
    r = _vector("rates", rates, len(p), low=0.0)
    points, = ax.plot(p, r, "o", color=plots.COLORS[1], ms=6, label=label, zorder=3)
    scale = np.exp(np.mean(np.log(r) + 0.5 * np.log(p)))
    grid = np.geomspace(p.min() / 1.5, p.max() * 1.5, 50)
    guide, = ax.plot(grid, scale / np.sqrt(grid), "--", color="#555555", lw=1.2,
                     label=r"slope $-\frac{1}{2}$: rate $\propto 1/\sqrt{p}$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"feature frequency $p_j$ (fraction of examples)")
    ax.set_ylabel(r"effective rate $\alpha / (\sqrt{s_j} + \varepsilon)$")
    ax.legend(loc="upper right")
    return points, guide


def error_tradeoff(ax, runs: Mapping[str, Mapping], tuned: Optional[Mapping[str, float]] = None,
                   annotate: bool = True):
    r"""The relative error on rare features against that on common ones, one point per learning rate.

    Each optimizer is a line through its learning rates (in increasing order); points further down
    and left are better on both groups.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    runs : dict
        ``label -> {"lr": [...], "rare": [...], "common": [...]}``: the learning rates and the relative
        errors of the rare and of the common weights at each.
    tuned : dict, optional
        ``label -> lr``: a rate to ring for that optimizer (for example the one with the lowest training
        loss); it must be one of the optimizer's rates.
    annotate : bool, default True
        Write the smallest and largest learning rates next to their points.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    if not runs:
        raise ValueError("runs must contain at least one optimizer")
    tuned = dict(tuned or {})
    unknown = sorted(set(tuned) - set(runs))
    if unknown:
        raise ValueError(f"tuned names optimizers that are not in runs: {unknown}")
    lines = []
    for i, (label, run) in enumerate(runs.items()):
        lrs = _vector(f"runs[{label!r}]['lr']", run["lr"])
        rare = _vector(f"runs[{label!r}]['rare']", run["rare"], len(lrs))
        common = _vector(f"runs[{label!r}]['common']", run["common"], len(lrs))
        color = plots.COLORS[i % len(plots.COLORS)]
        line, = ax.plot(common, rare, "o-", color=color, label=label, ms=5)
        if label in tuned:
            matches = np.flatnonzero(np.isclose(lrs, tuned[label], rtol=1e-12, atol=0))
            if not matches.size:
                raise ValueError(f"tuned[{label!r}] = {tuned[label]!r} is not one of its learning rates")
            j = int(matches[0])
            ax.plot([common[j]], [rare[j]], "o", ms=14, mfc="none", mec=color, mew=2.0, zorder=4)
        if annotate:
            for j in (0, len(lrs) - 1):
                ax.annotate(rf"$\alpha = {lrs[j]:.3g}$", (common[j], rare[j]), textcoords="offset points",
                            xytext=(6, 4), fontsize=8, color=color)
        lines.append(line)
    if tuned:
        ax.plot([], [], "o", ms=10, mfc="none", mec="#444444", mew=1.6, label="rate with the lowest training loss")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("relative error of the 3 most common weights")
    ax.set_ylabel("relative error of the 3 rarest weights")
    ax.legend(loc="lower left", fontsize=8)
    return lines


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def effective_rates(ax, rates: Mapping[str, np.ndarray], reference=None, reference_label: Optional[str] = None):
    r"""Effective rates against the step t = 1, 2, ..., on log–log axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    rates : dict
        ``label -> array`` of shape ``(T,)`` or ``(T, d)``: the effective rate after each step. A 2-D array
        draws one line per coordinate :math:`\theta_i`, in the entry's colour, solid for :math:`\theta_1`,
        dashed for :math:`\theta_2`, and so on.
    reference : array_like, optional
        A curve of length T drawn dashed in black (for example :math:`\alpha/(\sigma\sqrt t)`).
    reference_label : str, optional

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    if not rates:
        raise ValueError("rates must contain at least one curve")
    styles = ["-", "--", ":", "-."]
    lines = []
    for i, (label, values) in enumerate(rates.items()):
        values = np.asarray(values, dtype=float)
        if values.ndim not in (1, 2) or values.size == 0:
            raise ValueError(f"rates[{label!r}] must have shape (T,) or (T, d); got {values.shape}")
        columns = values[:, None] if values.ndim == 1 else values
        steps = np.arange(1, len(columns) + 1)
        color = plots.COLORS[i % len(plots.COLORS)]
        for j, column in enumerate(columns.T):
            name = label if values.ndim == 1 else f"{label}, θ{str(j + 1).translate(_SUBSCRIPTS)}"
            line, = ax.plot(steps, column, styles[j % len(styles)], color=color, label=name)
            lines.append(line)
    if reference is not None:
        values = _vector("reference", reference)
        line, = ax.plot(np.arange(1, len(values) + 1), values, "--", color="black", lw=1.2,
                        label=reference_label)
        lines.append(line)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"effective rate $\alpha / (\sqrt{s_t} + \varepsilon)$")
    ax.legend(loc="lower left", fontsize=8)
    return lines


def first_steps(ax, gradients, steps: Mapping[str, np.ndarray], lr: float = 1.0):
    r"""The size of the first step, in units of :math:`\alpha`, against the size of the first gradient.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    gradients : array_like
        Gradient sizes :math:`|g_0|` (> 0), drawn on a log axis.
    steps : dict
        ``label -> array``: the first step's size for each gradient.
    lr : float, default 1.0
        The learning rate :math:`\alpha` the steps are divided by.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    g = _vector("gradients", gradients, low=0.0)  # a log axis
    if not steps:
        raise ValueError("steps must contain at least one curve")
    lines = []
    styles = ["-", "--", "-.", ":"]
    for i, (label, values) in enumerate(steps.items()):
        values = _vector(f"steps[{label!r}]", values, len(g))
        line, = ax.plot(g, values / lr, styles[i % len(styles)], color=plots.COLORS[i % len(plots.COLORS)],
                        label=label, lw=2.0)
        lines.append(line)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"size of the first gradient $|g_0|$")
    ax.set_ylabel(r"first step $|\theta_1 - \theta_0|\, /\, \alpha$")
    ax.legend(loc="lower right", fontsize=8)
    return lines
