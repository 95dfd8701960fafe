r"""The learning-rate schedules chapter's figures: the gallery, and schedules compared on the noisy quadratic.

- :func:`gallery`: one panel per schedule of :mod:`descent.schedules` (:func:`gallery_entries`), each
  with its formula, its torch class and the hyperparameters it adds (read from the function's
  signature by :func:`added_hyperparameters`).
- :func:`rates_and_losses`: schedules side by side, their rates on the left and the expected loss they
  give on the right (computed by :mod:`descent.theory.noisy_quadratic`), with a constant rate's noise
  floor.
- :func:`peak_rate_sweep`: the final expected loss of each schedule against its peak rate.
- :func:`curve_panels`: small panels of labelled curves, for the pitfalls and the cyclical schedules.
- :func:`seed_spread`: one value per seed for several settings (runs on a network), grouped.

Every function draws what it is given; the numbers are computed in the chapter, where they are
asserted. The explorer's two panels are in :mod:`descent.figures.schedule_explorer`.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Callable, NamedTuple, Optional, Sequence

import numpy as np

from .. import _validation as check
from .. import animation, plots, schedules

__all__ = [
    "added_hyperparameters",
    "GalleryEntry",
    "gallery_entries",
    "gallery",
    "rates_and_losses",
    "peak_rate_sweep",
    "curve_panels",
    "seed_spread",
    "PALETTE",
    "STEP_DRAWN",
]

#: The colours of successive curves, black first (the reference curve, such as the constant rate), then
#: the shared palette without its yellow, which is too pale for thin lines on white.
PALETTE = ["#000000"] + [c for c in plots.COLORS if c not in ("#F0E442", "#000000")]

#: Curves of :func:`curve_panels` with at most this many points are drawn as steps.
STEP_DRAWN = 100


def added_hyperparameters(function: Callable) -> tuple:
    """The hyperparameters a schedule function adds to the learning rate, read from its signature.

    The first parameter of every schedule function in :mod:`descent.schedules` is its base rate
    (``lr0``, ``base_lr`` or ``max_lr``) or, for ``warmup`` and ``join``, the schedule(s) it wraps; every other
    parameter is a hyperparameter the schedule adds. So ``cosine(lr0, T_max, eta_min=0.0)`` adds
    ``("T_max", "eta_min")``.

    Parameters
    ----------
    function : callable
        A schedule function such as ``descent.schedules.cosine`` (not a schedule made by it).

    Returns
    -------
    tuple of str
        The names, in the order of the signature.
    """
    if isinstance(function, schedules.Schedule) or not callable(function):
        raise TypeError(f"function must be a schedule function such as descent.schedules.cosine; got {function!r}")
    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        raise TypeError(f"function must have a signature to read; got {function!r}") from None
    if not parameters:
        raise ValueError(f"{function.__name__} takes no arguments: it has no base rate")
    return tuple(parameters[1:])


class GalleryEntry(NamedTuple):
    """One schedule of the gallery.

    Attributes
    ----------
    function : str
        The name of the :mod:`descent.schedules` function.
    schedule : Schedule
        The example drawn.
    title : str
        What the panel is called (the blog posts' name of the form).
    formula : str
        The rate as matplotlib mathtext.
    torch : str
        The torch class (or construction) that gives the same rates.
    """

    function: str
    schedule: object
    title: str
    formula: str
    torch: str


def gallery_entries(epochs: int = 100, lr0: float = 0.1) -> list:
    r"""One example of every schedule function of :mod:`descent.schedules`, on ``epochs`` epochs.

    The examples are the forms the blog posts and papers use, with the rate stepped once per epoch:
    a constant rate, :math:`\times 0.1` every 20 epochs, ResNet's :math:`\div 10` at 30, 60 and 90
    (He et al., 2016), :math:`0.95^t`, :math:`1/(1 + kt)` with :math:`k = 0.1`, polynomial (power 2)
    and linear decay to zero, cosine over all epochs, SGDR restarts (:math:`T_0 = 10`,
    :math:`T_{\text{mult}} = 2`), a triangular2 cycle of 20 epochs, torch's one-cycle, a constant rate
    joined to a linear cooldown over the last 20 epochs, five epochs of warmup before a cosine, and the
    inverse square root after 10 warmup epochs. With the defaults (100 epochs) the horizons are as
    written; other values scale them.

    Parameters
    ----------
    epochs : int, default 100
        The length of the run, ``>= 20``.
    lr0 : float, default 0.1
        The base (peak) rate.

    Returns
    -------
    list of GalleryEntry
    """
    epochs = check.integer("epochs", epochs, 20)
    lr0 = check.positive("lr0", lr0)
    s = schedules
    T = epochs

    def frac(p):
        return max(1, round(p * T))

    return [
        GalleryEntry("constant", s.constant(lr0), "the same rate throughout", r"$\eta_t = \eta_0$", "none (or LambdaLR)"),
        GalleryEntry("step_decay", s.step_decay(lr0, frac(0.2), 0.1), r"$\times 0.1$ every 20 epochs",
                     r"$\eta_0\,\gamma^{\lfloor t/s \rfloor}$", "StepLR"),
        GalleryEntry("multistep", s.multistep(lr0, [frac(0.3), frac(0.6), frac(0.9)]),
                     r"ResNet: $\div 10$ at 30, 60, 90", r"$\eta_0\,\gamma^{\#\{i:\,m_i \leq t\}}$", "MultiStepLR"),
        GalleryEntry("exponential", s.exponential(lr0, 0.95), r"$0.95^t$, per epoch", r"$\eta_0\,\gamma^t$",
                     "ExponentialLR"),
        GalleryEntry("inverse_time", s.inverse_time(lr0, 10 / T), r"$1/(1 + kt)$ with $k = 0.1$",
                     r"$\eta_0 / (1 + k t/\tau)$", "LambdaLR"),
        GalleryEntry("polynomial", s.polynomial(lr0, T, 2.0), "power 2, to zero",
                     r"$\eta_0\,(1 - t/T)^p$", "PolynomialLR"),
        GalleryEntry("linear", s.linear(lr0, 1.0, 0.0, T), "to zero over all epochs",
                     r"$\eta_0\,(s + (e - s)\,t/T)$", "LinearLR"),
        GalleryEntry("cosine", s.cosine(lr0, T), "to zero over all epochs",
                     r"$\eta_{\min} + \frac{\eta_0 - \eta_{\min}}{2}(1 + \cos\frac{\pi t}{T})$", "CosineAnnealingLR"),
        GalleryEntry("cosine_restarts", s.cosine_restarts(lr0, frac(0.1), 2), "SGDR: warm restarts",
                     r"cosine of $t - t_i$ over $T_i = T_0 T_{\mathrm{mult}}^i$", "CosineAnnealingWarmRestarts"),
        GalleryEntry("cyclic", s.cyclic(lr0 / 10, lr0, frac(0.1), mode="triangular2"), "triangular2, cycles of 20 epochs",
                     r"$\eta_b + (\eta_{\max} - \eta_b)\,h(t)\,a_c$", "CyclicLR"),
        GalleryEntry("one_cycle", s.one_cycle(lr0, T + 1), "torch's defaults",
                     r"$\frac{\eta_{\max}}{25} \nearrow \eta_{\max} \searrow \frac{\eta_{\max}}{25 \cdot 10^4}$",
                     "OneCycleLR"),
        GalleryEntry("join", s.join([s.constant(lr0), s.linear(lr0, 1.0, 0.0, frac(0.2))], [frac(0.8)]),
                     "constant, then a 20-epoch cooldown", r"$s_i(t - m_i)$ for $m_i \leq t < m_{i+1}$",
                     "SequentialLR"),
        GalleryEntry("warmup", s.warmup(s.cosine(lr0, T - frac(0.05)), frac(0.05)), "5 epochs, then a cosine",
                     r"$\eta_0\,(f + (1 - f)\,t/W)$, then $s(t - W)$", "SequentialLR + LinearLR"),
        GalleryEntry("inverse_sqrt", s.inverse_sqrt(lr0, frac(0.1)), r"$1/\sqrt{t}$ after 10 warmup epochs",
                     r"$\eta_0 \min(t/W, \sqrt{W/t})$", "LambdaLR"),
    ]


def gallery(entries: Optional[Sequence[GalleryEntry]] = None, steps: int = 101, ncols: int = 3,
            managed: bool = True):
    r"""Small multiples: each schedule's rate :math:`\eta_t` against the epoch, with its formula, its torch
    class and the hyperparameters it adds.

    Parameters
    ----------
    entries : sequence of GalleryEntry, optional
        :func:`gallery_entries` by default.
    steps : int, default 101
        Rates drawn for t = 0, ..., steps - 1.
    ncols : int, default 3
    managed : bool, default True
        As in :func:`descent.plots.figure`.

    Returns
    -------
    fig, axes
    """
    entries = list(gallery_entries() if entries is None else entries)
    if not entries:
        raise ValueError("entries must hold at least one GalleryEntry")
    steps = check.integer("steps", steps, 2)
    t = np.arange(steps)
    top = max(float(np.max(e.schedule(t))) for e in entries)

    def draw(ax, entry):
        ax.plot(t, entry.schedule(t), color=plots.COLORS[0], drawstyle="steps-post")
        ax.set_ylim(0, 1.45 * top)
        ax.set_xlim(0, steps - 1)
        ax.set_yticks(np.linspace(0, top, 3))  # few ticks: the gallery has many panels to lay out
        ax.set_xticks(np.linspace(0, steps - 1, 3))
        added = added_hyperparameters(getattr(schedules, entry.function))
        count = "adds no hyperparameter" if not added else f"adds {len(added)}: " + ", ".join(added)
        formula = ax.text(0.97, 0.95, entry.formula, transform=ax.transAxes, ha="right", va="top", fontsize=10.5,
                          bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="#cccccc", alpha=0.9))
        formula.set_in_layout(False)
        ax.set_xlabel("epoch $t$\n" + f"torch: {entry.torch}\n" + textwrap.fill(count, 40), fontsize=9.5,
                      linespacing=1.4)
        ax.set_ylabel(r"rate $\eta_t$")
        ax.set_title(f"{entry.function}\n{entry.title}", fontsize=10, linespacing=1.3)

    fig, axes = animation.small_multiples(draw, entries, ncols=ncols, panel_width=3.3, panel_height=3.1,
                                          sharex=False, sharey=True, managed=managed)
    return fig, axes


def _check_curves(name: str, curves: dict) -> dict:
    if not isinstance(curves, dict) or not curves:
        raise ValueError(f"{name} must be a non-empty dict label -> values")
    return curves


def rates_and_losses(rates: dict, losses: dict, floor: Optional[float] = None,
                     floor_label: str = "noise floor of the constant rate", styles: Optional[dict] = None,
                     managed: bool = True):
    r"""Rates (left) and expected losses (right, log scale) of several schedules against the step.

    Parameters
    ----------
    rates : dict
        ``label -> schedule`` (a callable ``t -> rate``) or an array of the rates
        :math:`\eta_0, \dots, \eta_{T-1}`.
    losses : dict
        ``label -> expected loss`` for :math:`t = 0, \dots, T` (same labels, same order), e.g. from
        :func:`descent.theory.noisy_quadratic.expected_loss`. Values that are ``inf`` (diverged) are
        not drawn.
    floor : float, optional
        A horizontal dotted line at this loss (the noise floor of the constant rate).
    floor_label : str
    styles : dict, optional
        ``label -> matplotlib line style`` for curves that would hide each other.
    managed : bool, default True

    Returns
    -------
    fig, (rate_ax, loss_ax)
    """
    _check_curves("rates", rates)
    _check_curves("losses", losses)
    if list(rates) != list(losses):
        raise ValueError(f"rates and losses must have the same labels in the same order; got "
                         f"{list(rates)} and {list(losses)}")
    styles = styles or {}
    fig, (rate_ax, loss_ax) = plots.figure(ncols=2, width=9.6, height=4.0, managed=managed)
    steps = None
    for i, label in enumerate(losses):
        loss = np.asarray(losses[label], dtype=float)
        if loss.ndim != 1 or loss.size < 2:
            raise ValueError(f"losses[{label!r}] must be a 1-D array of at least 2 values")
        steps = loss.size - 1 if steps is None else steps
        if loss.size - 1 != steps:
            raise ValueError(f"every loss curve must have the same length; {label!r} has {loss.size}")
        source = rates[label]
        drawn = np.asarray(source(np.arange(steps)) if callable(source) else source, dtype=float)[:steps]
        color = PALETTE[i % len(PALETTE)]
        style = styles.get(label, "-")
        rate_ax.plot(np.arange(drawn.size), drawn, style, color=color, label=label)
        shown = np.where(np.isfinite(loss), loss, np.nan)
        loss_ax.plot(np.arange(loss.size), shown, style, color=color, label=label)
    if floor is not None:
        loss_ax.axhline(floor, color="black", ls=":", lw=1.6, label=floor_label)
    rate_ax.set_xlabel("step $t$")
    rate_ax.set_ylabel(r"learning rate $\eta_t$")
    rate_ax.set_xlim(0, steps)
    rate_ax.set_ylim(bottom=0)
    loss_ax.set_yscale("log")
    loss_ax.set_xlabel("step $t$")
    loss_ax.set_ylabel(r"expected loss $\mathbb{E}\,f(\theta_t)$")
    loss_ax.set_xlim(0, steps)
    loss_ax.legend(loc="upper right", fontsize=8.5, ncol=2)
    return fig, (rate_ax, loss_ax)


def peak_rate_sweep(peaks, finals: dict, limit: Optional[float] = None, managed: bool = True):
    r"""Final expected loss against the peak rate :math:`\eta_0`, one curve per schedule, each best marked.

    Parameters
    ----------
    peaks : array_like
        The peak rates swept (log-spaced).
    finals : dict
        ``label -> final expected losses``, one per peak rate (``inf`` where the run diverged).
    limit : float, optional
        A vertical dashed line at the stability limit :math:`2/L`.
    managed : bool, default True

    Returns
    -------
    fig, ax
    """
    peaks = np.asarray(peaks, dtype=float)
    _check_curves("finals", finals)
    if peaks.ndim != 1 or peaks.size < 2 or np.any(peaks <= 0):
        raise ValueError("peaks must be a 1-D array of at least 2 rates > 0")
    fig, ax = plots.figure(width=7.0, height=4.0, managed=managed)
    for i, (label, values) in enumerate(finals.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != peaks.shape:
            raise ValueError(f"finals[{label!r}] must have one value per peak rate ({peaks.size})")
        color = PALETTE[i % len(PALETTE)]
        shown = np.where(np.isfinite(values), values, np.nan)
        ax.plot(peaks, shown, "-", color=color, label=label)
        if np.isfinite(values).any():
            best = int(np.nanargmin(shown))
            ax.plot([peaks[best]], [values[best]], "o", color=color, mec="black", ms=7, zorder=5)
    if limit is not None:
        ax.axvline(limit, color=plots.DIVERGED_COLOR, ls="--", lw=1.2, label=f"stability limit 2/L = {limit:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"peak learning rate $\eta_0$")
    ax.set_ylabel(r"final expected loss $\mathbb{E}\,f(\theta_T)$")
    ax.legend(loc="best", fontsize=8.5, ncol=2)
    return fig, ax


def curve_panels(panels: Sequence, xlabel: str = "step $t$", ylabel: str = r"learning rate $\eta_t$",
                 yscale: str = "linear", ncols: Optional[int] = None, panel_width: float = 4.4,
                 panel_height: float = 3.2, styles: Optional[dict] = None, marks: Optional[dict] = None,
                 managed: bool = True):
    r"""Small panels of labelled curves: ``panels`` is a list of ``(title, {label: y})``.

    Each ``y`` is an array drawn against ``0, 1, 2, ...``, or a pair ``(x, y)``. A curve of at most
    :data:`STEP_DRAWN` points is drawn as steps (a rate holds for its whole step, so a drop at step 10
    is a vertical edge, not a ramp from 9 to 10). Used for the pitfalls (what torch gives against what
    was meant), the cyclical schedules and warmup.

    Parameters
    ----------
    panels : sequence of (str, dict)
    xlabel, ylabel : str
    yscale : {"linear", "log"}
    ncols : int, optional
        Panels per row (up to 2 by default).
    panel_width, panel_height : float
    styles : dict, optional
        ``label -> line style`` (e.g. ``"--"`` for the curve that was meant).
    marks : dict, optional
        ``panel title -> x`` of a vertical dotted line in that panel.
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    panels = list(panels)
    if not panels:
        raise ValueError("panels must hold at least one (title, {label: values}) pair")
    yscale = check.choice("yscale", yscale, ("linear", "log"))
    for entry in panels:
        if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], dict) and entry[1]):
            raise ValueError(f"each panel must be (title, {{label: values}}) with at least one curve; got {entry!r}")
    styles, marks = styles or {}, marks or {}
    titles = [title for title, _ in panels]

    def draw(ax, entry):
        title, curves = entry
        for i, (label, values) in enumerate(curves.items()):
            if isinstance(values, tuple) and len(values) == 2:
                x, y = (np.asarray(v, dtype=float) for v in values)
            else:
                y = np.asarray(values, dtype=float)
                x = np.arange(y.size)
            ax.plot(x, np.where(np.isfinite(y), y, np.nan), styles.get(label, "-"),
                    color=PALETTE[i % len(PALETTE)], label=label,
                    drawstyle="steps-post" if y.size <= STEP_DRAWN else "default")
        if title in marks:
            ax.axvline(marks[title], color="#555555", ls=":", lw=1.2)
        ax.set_yscale(yscale)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(loc="best", fontsize=8.5)

    fig, axes = animation.small_multiples(draw, panels, ncols=ncols or min(len(panels), 2), titles=titles,
                                          panel_width=panel_width, panel_height=panel_height, sharex=False,
                                          sharey=False, managed=managed)
    for ax in axes:
        ax.title.set_fontsize(10.5)
    return fig, axes


def seed_spread(groups: dict, ylabel: str = "final training loss", yscale: str = "log", managed: bool = True):
    r"""One dot per seed for every setting, the settings grouped: the spread over seeds at a glance.

    Parameters
    ----------
    groups : dict
        ``group label -> {setting label -> values}`` (one value per seed), e.g.
        ``{"Adam, η₀ = 0.01": {"constant": [...], "cosine": [...]}}``. Every group has the same
        settings, in the same order; each setting keeps its colour across groups. A short line marks
        each setting's geometric mean (its mean on a linear axis).
    ylabel : str
    yscale : {"log", "linear"}
    managed : bool, default True

    Returns
    -------
    fig, ax
    """
    if not isinstance(groups, dict) or not groups:
        raise ValueError("groups must be a non-empty dict: group label -> {setting label -> values}")
    settings = list(next(iter(groups.values())))
    for name, entry in groups.items():
        if not isinstance(entry, dict) or list(entry) != settings:
            raise ValueError(f"every group must have the settings {settings} in that order; {name!r} has "
                             f"{list(entry) if isinstance(entry, dict) else entry!r}")
    yscale = check.choice("yscale", yscale, ("linear", "log"))
    fig, ax = plots.figure(width=max(5.0, 1.9 * len(groups) + 1.5), height=3.8, managed=managed)
    width = 0.7 / max(1, len(settings))
    for g, (name, entry) in enumerate(groups.items()):
        for k, setting in enumerate(settings):
            values = np.asarray(entry[setting], dtype=float)
            if values.ndim != 1 or values.size == 0:
                raise ValueError(f"groups[{name!r}][{setting!r}] must be a non-empty 1-D sequence")
            x = g + (k - (len(settings) - 1) / 2) * width
            color = PALETTE[k % len(PALETTE)]
            finite = np.isfinite(values)
            ax.plot(np.full(finite.sum(), x), values[finite], "o", color=color, ms=6, alpha=0.85,
                    label=setting if g == 0 else None)
            if finite.any():
                centre = (np.exp(np.mean(np.log(values[finite]))) if yscale == "log"
                          else float(np.mean(values[finite])))
                ax.plot([x - 0.4 * width, x + 0.4 * width], [centre, centre], "-", color=color, lw=2.2)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(list(groups), fontsize=9)
    ax.set_xlim(-0.6, len(groups) - 0.4)
    ax.set_yscale(yscale)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="best", fontsize=9)
    return fig, ax
