r"""Chapter 5's figures: the leaky average, and Adadelta's steps under a constant gradient.

- :func:`leaky_weights`: the weights :math:`(1-\gamma)\gamma^k` a leaky average gives to the value seen
  :math:`k` steps ago, for several :math:`\gamma`, with each one's half-life and window marked;
- :func:`step_growth`: step sizes against the step t on log–log axes, each with a dashed reference curve
  (Adadelta's :math:`\sqrt{\varepsilon(1-\gamma)t}`).

Step lengths against the step (RMSProp and AdaGrad when the gradient's scale drops, centered RMSProp under a
constant gradient) are drawn with the shared ``step_lengths`` of the momentum chapter.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import numpy as np

from .. import plots
from ..theory import adaptive as theory

__all__ = ["leaky_weights", "step_growth"]


def leaky_weights(ax, gammas: Sequence[float], steps: int = 40):
    r"""The weights of a leaky average against the age :math:`k` of a value, one curve per :math:`\gamma`.

    Each curve :math:`(1-\gamma)\gamma^k` has its half-life :math:`\ln 2/\ln(1/\gamma)` marked by a solid
    vertical line and its window :math:`1/(1-\gamma)` by a dashed one, in the curve's colour.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    gammas : sequence of float
        Decays in (0, 1).
    steps : int, default 40
        Ages :math:`k = 0, \dots, steps - 1`.

    Returns
    -------
    list of matplotlib.lines.Line2D
        The weight curves.
    """
    gammas = list(gammas)
    if not gammas:
        raise ValueError("gammas must contain at least one decay")
    lines = []
    ages = np.arange(steps)
    for i, gamma in enumerate(gammas):
        color = plots.COLORS[i % len(plots.COLORS)]
        weights = theory.leaky_average_weights(gamma, steps)
        line, = ax.plot(ages, weights, "o-", ms=3, color=color, label=rf"$\gamma = {gamma:g}$")
        half, window = theory.half_life(gamma), theory.average_window(gamma)
        if half < steps:
            ax.axvline(half, color=color, lw=1.2, ls="-", alpha=0.8)
            ax.annotate(f"half-life {half:.3g}", (half, weights[0] * 0.92 ** (i + 1)), xytext=(4, 0),
                        textcoords="offset points", fontsize=8, color=color)
        if window < steps:
            ax.axvline(window, color=color, lw=1.2, ls="--", alpha=0.8)
            ax.annotate(f"window {window:.3g}", (window, weights[0] * 0.6 * 0.92 ** (i + 1)), xytext=(4, 0),
                        textcoords="offset points", fontsize=8, color=color)
        lines.append(line)
    ax.set_xlim(-0.5, steps - 0.5)
    ax.set_ylim(0, None)
    ax.set_xlabel(r"age $k$ of the value (steps ago)")
    ax.set_ylabel(r"weight $(1-\gamma)\,\gamma^k$")
    ax.legend(loc="upper right")
    return lines


def step_growth(ax, steps: Mapping[str, np.ndarray], references: Optional[Mapping[str, np.ndarray]] = None):
    r"""Step sizes :math:`|\theta_{t+1} - \theta_t|` against t = 1, 2, ..., on log–log axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    steps : dict
        ``label -> array`` of step sizes, one per step.
    references : dict, optional
        ``label -> array`` of the same length as the matching entry of ``steps`` (same key order), drawn
        dashed in the same colour.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    if not steps:
        raise ValueError("steps must contain at least one curve")
    references = dict(references or {})
    if len(references) > len(steps):
        raise ValueError(f"references must have at most one curve per entry of steps ({len(steps)}); "
                         f"got {len(references)}")
    lines = []
    reference_items = list(references.items())
    for i, (label, values) in enumerate(steps.items()):
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"steps[{label!r}] must be a non-empty 1-D array; got shape {values.shape}")
        color = plots.COLORS[i % len(plots.COLORS)]
        t = np.arange(1, len(values) + 1)
        line, = ax.plot(t, values, color=color, label=label)
        lines.append(line)
        if i < len(reference_items):
            name, reference = reference_items[i]
            reference = np.asarray(reference, dtype=float)
            if reference.shape != values.shape:
                raise ValueError(f"references[{name!r}] must have the shape of steps[{label!r}], {values.shape}; "
                                 f"got {reference.shape}")
            line, = ax.plot(t, reference, "--", color=color, lw=1.2, label=name)
            lines.append(line)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"step size $|\theta_{t+1} - \theta_t|$")
    ax.legend(loc="upper left", fontsize=8)
    return lines
