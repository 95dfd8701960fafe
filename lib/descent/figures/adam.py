r"""Chapter 6's figures (Adam): bias correction, the first step against the gradient's size, where ε goes,
the band a constant rate ends in, and a learning-rate sweep on a network.

Each function draws one numbered figure of the chapter from data the notebook computed with
:mod:`descent.optim` (the measurements), next to the closed forms of :mod:`descent.theory.adam`
(the predictions), and returns ``fig, axes`` (or the artists it drew on a given ``ax``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter, NullLocator

from .. import plots
from .._validation import integer, positive
from ..theory import adam as theory

__all__ = ["bias_correction", "first_step_sizes", "epsilon_placement", "band", "network_sweep", "log_axis"]

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, _position=None) -> str:
    """``1``, ``10``, ``10³``, ``10⁻⁸``: a tick label in plain text (no mathtext to typeset)."""
    if not value > 0:
        return ""
    exponent = int(round(np.log10(value)))
    return {0: "1", 1: "10"}.get(exponent, "10" + str(exponent).translate(_SUPERSCRIPTS))


def log_axis(ax, which: str = "x") -> None:
    """Put one axis of ``ax`` on a log scale with plain-text labels at the powers of ten and no minor ticks.

    The same scale as ``set_xscale("log")``, drawn about twice as fast: matplotlib typesets every log tick label,
    minor ones included, as mathtext, which dominates the time to draw a figure with log axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    which : {"x", "y"}
    """
    if which not in ("x", "y"):
        raise ValueError(f"which must be 'x' or 'y', got {which!r}")
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis.set_major_formatter(FuncFormatter(_power_of_ten))
    axis.set_minor_locator(NullLocator())


def _series(name, values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {array.shape}")
    return array


def bias_correction(measured=None, betas=(0.9, 0.999), steps: int = 10_000, managed: bool = True):
    r"""Why Adam corrects its averages: the raw moments of a constant gradient, and the step they would give.

    Left: for a constant gradient g, the raw averages :math:`m_t/g = 1 - \beta_1^t` and
    :math:`\sqrt{v_t}/|g| = \sqrt{1 - \beta_2^t}` start near 0 and reach 1 only after about
    :math:`1/(1-\beta)` steps; the corrected :math:`\hat m_t/g = \sqrt{\hat v_t}/|g| = 1` from the start.
    Right: their ratio, the uncorrected step in units of α,
    :math:`(1-\beta_1^t)/\sqrt{1-\beta_2^t}` (:func:`descent.theory.adam.uncorrected_step_factor`), with
    its peak marked, and optionally the values measured from an optimizer's state.

    Parameters
    ----------
    measured : array_like, optional
        :math:`m_t/\sqrt{v_t}` measured at steps 1, 2, ... (drawn as dots).
    betas : (float, float), default (0.9, 0.999)
    steps : int, default 10000
        The last step drawn (log-scaled axes).
    managed : bool, default True
        As in :func:`descent.plots.figure`.

    Returns
    -------
    fig, axes
    """
    steps = integer("steps", steps, 2)
    beta1, beta2 = betas
    t = np.unique(np.geomspace(1, steps, 400).astype(int))
    fig, (left, right) = plots.figure(ncols=2, width=10.0, height=3.6, managed=managed)
    left.plot(t, theory.bias_correction(beta1, t), color=plots.COLORS[0],
              label=rf"$m_t/g = 1-\beta_1^t$ ($\beta_1 = {beta1:g}$)")
    left.plot(t, np.sqrt(theory.bias_correction(beta2, t)), color=plots.COLORS[1],
              label=rf"$\sqrt{{v_t}}/|g| = \sqrt{{1-\beta_2^t}}$ ($\beta_2 = {beta2:g}$)")
    left.axhline(1.0, color="black", ls="--", lw=1.2, label=r"corrected: $\hat m_t/g = \sqrt{\hat v_t}/|g| = 1$")
    log_axis(left, "x")
    left.set_ylim(0, 1.08)
    left.set_xlabel("step $t$ (log scale)")
    left.set_ylabel("average ÷ true value")
    left.set_title("raw averages of a constant gradient")
    left.legend(loc="lower right", fontsize=8)
    factor = theory.uncorrected_step_factor(t, betas)
    right.plot(t, factor, color=plots.COLORS[2], label=r"$(1-\beta_1^t)/\sqrt{1-\beta_2^t}$")
    if measured is not None:
        values = _series("measured", measured)
        shown = np.unique(np.geomspace(1, len(values), 30).astype(int))
        right.plot(shown, values[shown - 1], "o", color=plots.COLORS[2], mfc="white", ms=5,
                   label=r"measured $m_t/\sqrt{v_t}$ (descent.optim.Adam)")
    peak = int(np.argmax(theory.uncorrected_step_factor(np.arange(1, steps + 1), betas))) + 1
    peak_value = theory.uncorrected_step_factor(peak, betas)
    right.annotate(f"peak {peak_value:.2f} at t = {peak}", (peak, peak_value), xytext=(18, 6),
                   textcoords="offset points", fontsize=9, arrowprops=dict(arrowstyle="-", color="#777777"))
    right.axhline(1.0, color="black", ls="--", lw=1.2, label="with bias correction")
    log_axis(right, "x")
    right.set_ylim(0, max(1.2, 1.6 * peak_value))  # room for the legend above the peak and its label
    right.set_xlabel("step $t$ (log scale)")
    right.set_ylabel(r"uncorrected step $\div\ \alpha$")
    right.set_title("the step without bias correction")
    right.legend(loc="upper right", fontsize=8)
    return fig, (left, right)


def first_step_sizes(ax, gradient_sizes, measured, eps: float = 1e-8) -> list:
    r"""Adam's first step, in units of α, against the size of the gradient: ε marks where normalising stops.

    The first step is :math:`\alpha\, |g|/(|g| + \varepsilon)`: α for :math:`|g| \gg \varepsilon` (scale
    invariance), and :math:`(\alpha/\varepsilon)\,|g|`, plain gradient descent with rate
    :math:`\alpha/\varepsilon`, for :math:`|g| \ll \varepsilon`.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    gradient_sizes : array_like
        :math:`|g|` values (log-spaced).
    measured : array_like
        The measured first-step sizes divided by α, one per gradient size.
    eps : float, default 1e-8

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    sizes, values = _series("gradient_sizes", gradient_sizes), _series("measured", measured)
    if sizes.shape != values.shape:
        raise ValueError(f"gradient_sizes and measured must have the same length, got {sizes.shape} and {values.shape}")
    eps = positive("eps", eps)
    grid = np.geomspace(sizes.min(), sizes.max(), 300)
    lines = [
        ax.plot(grid, grid / (grid + eps), color=plots.COLORS[0], label=r"$|g|/(|g| + \varepsilon)$")[0],
        ax.plot(grid, grid / eps, ":", color=plots.COLORS[1], label=r"gradient descent with rate $\alpha/\varepsilon$")[0],
        ax.plot(sizes, values, "o", color=plots.COLORS[0], mfc="white", ms=5, label="measured (descent.optim.Adam)")[0],
    ]
    ax.axvline(eps, color="#777777", ls="--", lw=1.0)
    ax.annotate(rf"$|g| = \varepsilon = {eps:g}$", (eps, 1e-3), xytext=(5, 0), textcoords="offset points", fontsize=9)
    log_axis(ax, "x")
    log_axis(ax, "y")
    ax.set_ylim(min(1e-4, values.min() / 2), 3.0)
    ax.set_xlabel(r"gradient size $|g_1|$")
    ax.set_ylabel(r"first step $\div\ \alpha$")
    ax.legend(loc="lower right", fontsize=8)
    return lines


def epsilon_placement(step_sizes: dict, eps_hats: dict, torch_eps: float = 1e-8, beta2: float = 0.999,
                      managed: bool = True):
    r"""torch's :math:`\sqrt{\hat v_t} + \varepsilon` against the "ε-hat" form :math:`\sqrt{v_t} + \hat\varepsilon`.

    Left: the constant each form effectively adds to :math:`\sqrt{\hat v_t}`: torch's fixed
    :math:`\varepsilon`, and :math:`\hat\varepsilon/\sqrt{1-\beta_2^t}` for each :math:`\hat\varepsilon`
    (:func:`descent.theory.adam.epsilon_hat_equivalent`). Right: measured step sizes (in units of α) of
    runs with the forms, one line each.

    Parameters
    ----------
    step_sizes : dict
        ``label -> array`` of step sizes divided by α, for steps 1, 2, ...
    eps_hats : dict
        ``label -> eps_hat`` for the left panel.
    torch_eps : float, default 1e-8
    beta2 : float, default 0.999
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    if not step_sizes or not eps_hats:
        raise ValueError("step_sizes and eps_hats must each have at least one entry")
    torch_eps = positive("torch_eps", torch_eps)
    fig, (left, right) = plots.figure(ncols=2, width=10.0, height=3.5, managed=managed)
    longest = max(len(_series(f"step_sizes[{k!r}]", v)) for k, v in step_sizes.items())
    t = np.arange(1, max(longest, 10_000) + 1)
    left.axhline(torch_eps, color="black", lw=1.6, label=rf"torch: $\varepsilon = {torch_eps:g}$")
    for i, (label, eps_hat) in enumerate(eps_hats.items()):
        left.plot(t, theory.epsilon_hat_equivalent(eps_hat, beta2, t), color=plots.COLORS[i + 1],
                  label=rf"{label}: $\hat\varepsilon = {eps_hat:g}$")
    log_axis(left, "x")
    log_axis(left, "y")
    left.set_xlabel("step $t$ (log scale)")
    left.set_ylabel(r"constant added to $\sqrt{\hat v_t}$")
    left.legend(loc="upper right", fontsize=8)
    for i, (label, sizes) in enumerate(step_sizes.items()):
        values = _series(f"step_sizes[{label!r}]", sizes)
        right.plot(np.arange(1, len(values) + 1), values, color="black" if i == 0 else plots.COLORS[i],
                   ls="-" if i == 0 else "--", label=label)
    log_axis(right, "x")
    right.set_xlabel("step $t$ (log scale)")
    right.set_ylabel(r"step size $\div\ \alpha$")
    right.legend(loc="best", fontsize=8)
    return fig, (left, right)


def band(paths: dict, beta1: float = 0.9, window: int = 6000, zoom: int = 300, managed: bool = True):
    r"""Constant-rate Adam on a noise-free quadratic: it converges, is thrown out, and ends in a band ∝ α.

    Left: the largest coordinate distance :math:`\max_i |\theta_{t,i} - \theta^\star_i|` against the step
    (log scale), one line per learning rate: deep convergence, then the iterates are thrown out and stay in a
    band. Middle: the last ``zoom`` steps of the first coordinate divided by α, the three rates on top of each
    other. Right: the root-mean-square distance of each coordinate over the last ``window`` steps (shaded
    on the left), divided by α, against α, with the estimate :func:`descent.theory.adam.band_rms`
    :math:`= (1-\beta_1)/(2(1+\beta_1))`.

    Parameters
    ----------
    paths : dict
        ``lr -> array (steps + 1, d)`` of iterates (with :math:`\theta^\star = 0`), all of the same length.
    beta1 : float, default 0.9
    window : int, default 6000
        The last steps over which the band is measured.
    zoom : int, default 300
        The last steps shown in the middle panel.
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    if not paths:
        raise ValueError("paths must have at least one entry (lr -> iterates)")
    window, zoom = integer("window", window, 1), integer("zoom", zoom, 2)
    fig, (left, middle, right) = plots.figure(ncols=3, width=13.0, height=3.6, managed=managed)
    rates = sorted(paths)
    for i, lr in enumerate(rates):
        path = np.asarray(paths[lr], dtype=float)
        if path.ndim != 2 or len(path) <= max(window, zoom):
            raise ValueError(f"paths[{lr!r}] must be an array (steps + 1, d) with more than window = {window} "
                             f"and zoom = {zoom} rows")
        color = plots.COLORS[i % len(plots.COLORS)]
        distance = np.maximum(np.abs(path).max(axis=1), 1e-300)
        stride = max(1, len(distance) // 4000)
        left.plot(np.arange(len(distance))[::stride], distance[::stride], color=color, lw=0.8, label=f"α = {lr:g}")
        steps = np.arange(len(path) - zoom, len(path))
        middle.plot(steps, path[-zoom:, 0] / lr, color=color, lw=1.0, label=f"α = {lr:g}")
        rms = np.sqrt(np.mean(path[-window:] ** 2, axis=0)) / lr
        right.plot(np.full(len(rms), lr), rms, "o", color=color, ms=7, mfc="white", mew=1.8)
    steps = len(np.asarray(paths[rates[0]])) - 1
    left.axvspan(steps - window, steps, color="#eeeeee", zorder=0)
    log_axis(left, "y")
    left.set_ylim(1e-240, 10)
    left.set_xlabel("step $t$")
    left.set_ylabel(r"$\max_i |\theta_{t,i} - \theta^\star_i|$")
    left.legend(loc="lower left", fontsize=8)
    estimate = theory.band_rms(1.0, beta1)
    for sign in (1, -1):
        middle.axhline(sign * estimate, color="black", ls="--", lw=1.0)
    middle.set_xlabel("step $t$")
    middle.set_ylabel(r"$(\theta_{t,1} - \theta^\star_1) \div \alpha$")
    middle.set_title(f"the last {zoom} steps", fontsize=10)
    right.axhline(estimate, color="black", ls="--", lw=1.2,
                  label=rf"$(1-\beta_1)/(2(1+\beta_1)) = {estimate:.4f}$")
    log_axis(right, "x")
    right.set_xlim(min(rates) / 2, max(rates) * 2)
    right.set_xticks(rates)
    right.set_xticklabels([f"{lr:g}" for lr in rates])
    right.minorticks_off()
    right.set_ylim(0, 2.2 * estimate)
    right.set_xlabel(r"learning rate $\alpha$")
    right.set_ylabel(r"rms distance over the band $\div\ \alpha$")
    right.plot([], [], "o", color="#555555", mfc="white", mew=1.8, label="measured, each coordinate")
    right.legend(loc="lower center", fontsize=8)
    return fig, (left, middle, right)


def network_sweep(histories: dict, managed: bool = True):
    r"""Adam's learning rate on a network: validation-loss curves per rate, and the final losses against the rate.

    Left: the validation loss against the epoch, one colour per learning rate, one line style per seed. Right:
    the final validation (circles, just left of the rate) and training (squares, just right) losses against the
    learning rate (log scales), one of each per seed: the U-shaped sweep of chapter 1, on a network.

    Parameters
    ----------
    histories : dict
        ``(lr, seed) -> History`` (anything with per-epoch arrays ``train_loss`` and ``val_loss``).
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    if not histories:
        raise ValueError("histories must have at least one entry ((lr, seed) -> History)")
    rates = sorted({lr for lr, _ in histories})
    seeds = sorted({seed for _, seed in histories})
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.7, managed=managed)
    styles = ["-", "--", ":", "-."]
    for i, lr in enumerate(rates):
        color = plots.COLORS[i % len(plots.COLORS)]
        for j, seed in enumerate(seeds):
            run = histories.get((lr, seed))
            if run is None:
                continue
            val = _series(f"val_loss of {(lr, seed)!r}", run.val_loss)
            left.plot(np.arange(1, len(val) + 1), val, styles[j % len(styles)], color=color, lw=1.3,
                      label=f"α = {lr:g}" if j == 0 else None)
            right.plot([lr / 1.08], [val[-1]], "o", color=color, ms=7, mfc="white", mew=1.8)
            right.plot([lr * 1.08], [_series("train_loss", run.train_loss)[-1]], "s", color=color, ms=5)
    log_axis(left, "y")
    left.set_xlabel("epoch")
    left.set_ylabel("validation loss")
    names = ["solid", "dashed", "dotted", "dash-dot"]
    left.legend(loc="upper right", fontsize=8, title_fontsize=8,
                title=", ".join(f"{names[j % len(names)]}: seed {seed}" for j, seed in enumerate(seeds)))
    log_axis(right, "x")
    log_axis(right, "y")
    right.set_xticks(rates)
    right.set_xticklabels([f"{lr:g}" for lr in rates])
    right.minorticks_off()
    right.set_xlabel(r"learning rate $\alpha$")
    right.set_ylabel("loss after the last epoch")
    right.plot([], [], "o", color="#555555", mfc="white", mew=1.8, label="validation, each seed")
    right.plot([], [], "s", color="#555555", ms=5, label="training, each seed")
    right.legend(loc="upper center", fontsize=8)
    return fig, (left, right)
