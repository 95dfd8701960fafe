r"""Chapter 7's figures (Adam's family): Reddi et al.'s counterexample, NAdam's momentum schedule, RAdam's
rectifier against a linear warmup, Wilson et al.'s weights, the SWATS switching rule, the per-weight decay of
Adam with an L2 term against AdamW's, and training methods compared over seeds.

Each function draws one figure from results the notebook computed with :mod:`descent.optim` and
:mod:`descent.models` (the measurements), next to the closed forms of :mod:`descent.theory.adam`, and returns
``fig, axes`` (or the artists drawn on a given ``ax``).
"""

from __future__ import annotations

import textwrap

import numpy as np

from .. import plots
from .._validation import integer
from ..theory import adam as theory
from .adam import log_axis

__all__ = ["counterexample", "draw_online_runs", "OnlineArtists", "nadam_schedule", "radam_warmup", "wilson_weights",
           "swats_rule", "decay_rates", "method_comparison"]


class OnlineArtists:
    """The lines of :func:`draw_online_runs`; ``update(runs)`` redraws them in place (for the explorer)."""

    def __init__(self, position_ax, regret_ax, labels, worst):
        self.labels = list(labels)
        styles = ["-", "--", "-.", ":"]
        self.positions = [position_ax.plot([], [], styles[i % 4], color=plots.COLORS[i % len(plots.COLORS)],
                                           label=label)[0] for i, label in enumerate(self.labels)]
        self.regrets = [regret_ax.plot([], [], styles[i % 4], color=plots.COLORS[i % len(plots.COLORS)],
                                       label=label)[0] for i, label in enumerate(self.labels)]
        self.worst = regret_ax.axhline(worst, color="#777777", ls=":", lw=1.2, label=r"$x_t = +1$: $2(C-2)/3$")

    @property
    def artists(self) -> list:
        return [*self.positions, *self.regrets, self.worst]

    def update(self, runs, worst=None) -> None:
        runs = list(runs)
        if len(runs) != len(self.labels):
            raise ValueError(f"runs must have one entry per label ({len(self.labels)}); got {len(runs)}")
        for line, regret_line, run in zip(self.positions, self.regrets, runs):
            t = np.arange(1, len(run.path))
            line.set_data(t, run.path[:-1])
            regret_line.set_data(t, run.average_regret)
        if worst is not None:
            self.worst.set_ydata([worst, worst])


def draw_online_runs(position_ax, regret_ax, runs: dict, problem) -> OnlineArtists:
    r"""Draw online runs on :class:`descent.models.online.ReddiProblem`: :math:`x_t` and :math:`R_t/t` against t.

    Parameters
    ----------
    position_ax, regret_ax : matplotlib.axes.Axes
    runs : dict
        ``label -> OnlineRun``.
    problem : descent.models.online.ReddiProblem

    Returns
    -------
    OnlineArtists
    """
    if not runs:
        raise ValueError("runs must have at least one entry (label -> OnlineRun)")
    artists = OnlineArtists(position_ax, regret_ax, list(runs), problem.worst_average_regret())
    artists.update(runs.values())
    steps = max(len(run.regret) for run in runs.values())
    for ax in (position_ax, regret_ax):
        log_axis(ax, "x")
        ax.set_xlim(1, steps)
        ax.set_xlabel("step $t$ (log scale)")
    position_ax.axhline(problem.optimum, color="black", lw=0.8)
    position_ax.annotate(r"best point $x^\star = -1$", (0.98, problem.optimum), xytext=(0, -11),
                         textcoords="offset points", fontsize=8, xycoords=("axes fraction", "data"), ha="right")
    position_ax.set_ylim(-1.28, 1.1)
    position_ax.set_ylabel("iterate $x_t$")
    regret_ax.set_ylim(-0.05, 1.15 * max(problem.worst_average_regret(), 0.1))
    regret_ax.set_ylabel(r"average regret $R_t/t$")
    regret_ax.legend(loc="lower left", fontsize=8)
    position_ax.legend(loc="center right", fontsize=8)
    return artists


def counterexample(runs: dict, problem, managed: bool = True):
    """Reddi et al.'s counterexample: the iterates and the average regret of several runs, side by side.

    Parameters
    ----------
    runs : dict
        ``label -> OnlineRun`` (from :func:`descent.models.online.run_online`).
    problem : descent.models.online.ReddiProblem
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.6, managed=managed)
    draw_online_runs(left, right, runs, problem)
    return fig, (left, right)


def nadam_schedule(ax, steps: int = 20_000, beta1: float = 0.9, momentum_decay: float = 4e-3,
                   measured=None, marks=(1, 1000)) -> list:
    r"""NAdam's momentum :math:`\mu_t` against the step (log scale), with :math:`\beta_1` and marked steps.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    steps : int, default 20000
    beta1, momentum_decay : float
        As in :func:`descent.theory.adam.nadam_momentum`.
    measured : array_like, optional
        :math:`\mu_t` read off an optimizer at steps 1, 2, ... (drawn as dots).
    marks : sequence of int, default (1, 1000)
        Steps whose :math:`\mu_t` is annotated.

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    steps = integer("steps", steps, 2)
    t = np.unique(np.geomspace(1, steps, 400).astype(int))
    lines = [ax.plot(t, theory.nadam_momentum(t, beta1, momentum_decay), color=plots.COLORS[0],
                     label=r"$\mu_t = \beta_1(1 - \frac{1}{2}\, 0.96^{\,t\psi})$")[0]]
    if measured is not None:
        values = np.asarray(measured, dtype=float)
        shown = np.unique(np.geomspace(1, len(values), 25).astype(int))
        lines.append(ax.plot(shown, values[shown - 1], "o", color=plots.COLORS[0], mfc="white", ms=5,
                             label=r"measured (descent.optim.NAdam)")[0])
    ax.axhline(beta1, color="black", ls="--", lw=1.2, label=rf"$\beta_1 = {beta1:g}$")
    for step in marks:
        value = theory.nadam_momentum(step, beta1, momentum_decay)
        ax.plot([step], [value], "s", color=plots.COLORS[1], ms=6, zorder=5)
        ax.annotate(rf"$\mu_{{{step}}} = {value:.3f}$", (step, value), xytext=(6, -12), textcoords="offset points",
                    fontsize=9)
    log_axis(ax, "x")
    ax.set_xlim(1, steps)
    ax.set_ylim(0.4, 0.95)
    ax.set_xlabel("step $t$ (log scale)")
    ax.set_ylabel(r"NAdam's momentum $\mu_t$")
    ax.legend(loc="upper left", fontsize=8)
    return lines


def radam_warmup(beta2: float = 0.999, threshold: float = 5.0, beta2_values=(0.99, 0.995, 0.999, 0.9995),
                 managed: bool = True):
    r"""RAdam's rectifier :math:`r_t` against a linear warmup over :math:`2/(1-\beta_2)` steps.

    Left: :math:`r_t` for ``beta2`` (zero until :math:`\rho_t` passes ``threshold``), the linear warmup
    :math:`\min(1, t/\tau)` with :math:`\tau = 2/(1-\beta_2)`, and the first adaptive steps of torch (threshold 5)
    and of the paper (4). Right: what each withholds in total, :math:`\sum_t (1 - r_t)` and
    :math:`(\tau-1)/2`, for several :math:`\beta_2`, against :math:`1/(1-\beta_2)`.

    Parameters
    ----------
    beta2 : float, default 0.999
    threshold : float, default 5.0
    beta2_values : sequence of float
        The :math:`\beta_2` compared on the right.
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.6, managed=managed)
    tau = theory.warmup_steps(beta2)
    t = np.arange(1, int(4 * tau) + 1)
    first = theory.radam_first_adaptive_step(beta2, threshold)
    rectifier = np.nan_to_num(np.asarray(theory.radam_rectifier(t, beta2)), nan=0.0)
    rectifier[t < first] = 0.0
    left.plot(t, rectifier, color=plots.COLORS[0], label=rf"rectifier $r_t$ ($\beta_2 = {beta2:g}$)")
    left.plot(t, np.minimum(1.0, t / tau), "--", color=plots.COLORS[1],
              label=rf"linear warmup, $\tau = 2/(1-\beta_2) = {tau:.0f}$")
    left.set_xlim(0, t[-1])
    left.set_ylim(0, 1.05)
    left.set_xlabel("step $t$")
    left.set_ylabel("multiplier of the adaptive step")
    inset = left.inset_axes([0.5, 0.12, 0.45, 0.4])
    small = np.arange(1, 13)
    small_r = np.nan_to_num(np.asarray(theory.radam_rectifier(small, beta2)), nan=0.0)
    inset.plot(small, np.where(small >= first, small_r, 0.0), "o-", color=plots.COLORS[0], ms=3)
    paper_first = theory.radam_first_adaptive_step(beta2, 4.0)
    inset.axvline(first - 0.5, color="black", lw=1.0, ls=":")
    inset.axvline(paper_first - 0.5, color="#777777", lw=1.0, ls=":")
    inset.annotate(f"torch: t ≥ {first}", (first - 0.5, 0.85), xycoords=("data", "axes fraction"), fontsize=7,
                   xytext=(3, 0), textcoords="offset points")
    inset.annotate(f"paper: t ≥ {paper_first}", (paper_first - 0.5, 0.65), xycoords=("data", "axes fraction"),
                   fontsize=7, xytext=(-3, 0), textcoords="offset points", ha="right")
    inset.set_xlim(0.5, 12.5)
    inset.set_title("first steps", fontsize=8)
    inset.tick_params(labelsize=7)
    left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=8, frameon=False)
    values = np.asarray(beta2_values, dtype=float)
    scale = 1.0 / (1.0 - values)
    shortfall = [theory.rectifier_shortfall(b) for b in values]
    linear = [theory.linear_warmup_shortfall(theory.warmup_steps(b)) for b in values]
    right.plot(scale, shortfall, "o-", color=plots.COLORS[0], label=r"rectifier: $\sum_t (1 - r_t)$")
    right.plot(scale, linear, "s--", color=plots.COLORS[1], label=r"linear warmup over $2/(1-\beta_2)$")
    log_axis(right, "x")
    log_axis(right, "y")
    right.set_xlabel(r"$1/(1-\beta_2)$")
    right.set_ylabel("step withheld in total (in steps)")
    for b, x, y in zip(values, scale, shortfall):
        right.annotate(rf"$\beta_2 = {b:g}$", (x, y), xytext=(6, -14), textcoords="offset points", fontsize=8)
    right.set_xlim(scale.min() / 1.5, scale.max() * 2.5)
    right.legend(loc="upper left", fontsize=8)
    return fig, (left, right)


def wilson_weights(ax, weights: dict, test_errors: dict, features=3) -> list:
    r"""The first weights of the solutions found on Wilson et al.'s example, as grouped bars, with test errors.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    weights : dict
        ``label -> w`` (the solution each method found).
    test_errors : dict
        ``label -> test error`` (shown in the legend).
    features : int, default 3
        How many leading weights to show (1: the label feature; 2 and 3: the constant features).

    Returns
    -------
    list of matplotlib.container.BarContainer
    """
    if set(weights) != set(test_errors):
        raise ValueError("weights and test_errors must have the same labels")
    features = integer("features", features, 1)
    width = 0.8 / len(weights)
    bars = []
    for i, (label, w) in enumerate(weights.items()):
        positions = np.arange(features) + (i - (len(weights) - 1) / 2) * width
        bars.append(ax.bar(positions, np.asarray(w, dtype=float)[:features], width,
                           color=plots.COLORS[i % len(plots.COLORS)],
                           label=f"{label}: test error {test_errors[label]:.1%}"))
    names = ["$w_1$ (the label)", "$w_2$ (always 1)", "$w_3$ (always 1)"] + [f"$w_{{{k}}}$" for k in range(4, 99)]
    ax.set_xticks(np.arange(features))
    ax.set_xticklabels(names[:features])
    ax.axhline(0, color="black", lw=0.8)
    ax.set_ylabel("weight")
    ax.legend(loc="upper right", fontsize=8)
    return bars


def swats_rule(ax, gammas, estimates, tolerance: float, switched_at=None, first: int = 2) -> list:
    r"""The SWATS rule at work: :math:`|\lambda_k/(1-\beta_2^k) - \gamma_k|` against the step, with the tolerance.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    gammas, estimates : array_like
        :math:`\gamma_k` and :math:`\lambda_k/(1-\beta_2^k)` per Adam step (``SWATS.gammas``, ``SWATS.estimates``).
    tolerance : float
        The switching tolerance.
    switched_at : int, optional
        The step at which the rule fired (marked).
    first : int, default 2
        The first step drawn (the rule is not checked at k = 1).

    Returns
    -------
    list of matplotlib.lines.Line2D
    """
    gammas, estimates = np.asarray(gammas, dtype=float), np.asarray(estimates, dtype=float)
    if gammas.shape != estimates.shape or gammas.ndim != 1:
        raise ValueError("gammas and estimates must be 1-D sequences of the same length")
    k = np.arange(1, len(gammas) + 1)
    difference = np.abs(estimates - gammas)
    keep = k >= first
    lines = [ax.plot(k[keep], np.maximum(difference[keep], 1e-18), color=plots.COLORS[0], lw=0.9,
                     label=r"$|\lambda_k/(1-\beta_2^k) - \gamma_k|$")[0],
             ax.axhline(tolerance, color=plots.DIVERGED_COLOR, ls="--", lw=1.2, label=f"tolerance {tolerance:g}")]
    if switched_at is not None:
        lines.append(ax.axvline(switched_at, color="black", ls=":", lw=1.2, label=f"switch at k = {switched_at}"))
    log_axis(ax, "y")
    ax.set_xlabel("step $k$")
    ax.set_ylabel("gap between the estimates")
    ax.legend(loc="center right", fontsize=8)
    return lines


def decay_rates(ax, l2_rates, decoupled_rate: float, bins: int = 40) -> list:
    r"""How strongly each weight is decayed: Adam with an L2 term against AdamW, per unit of learning rate.

    A histogram of :math:`\log_{10}` of the per-weight rates :math:`c/(\sqrt{\hat v_i} + \varepsilon)` of Adam with
    an L2 term (:func:`descent.theory.adam.l2_decay_rate`, from an optimizer's state), and a vertical line at
    AdamW's rate, the same :math:`c` for every weight.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    l2_rates : array_like
        One rate per weight (any shape; flattened).
    decoupled_rate : float
        AdamW's rate.
    bins : int, default 40

    Returns
    -------
    list
        The histogram's patches and the line.
    """
    rates = np.asarray(l2_rates, dtype=float).reshape(-1)
    if rates.size == 0 or not np.all(np.isfinite(rates)) or np.any(rates <= 0):
        raise ValueError("l2_rates must be a non-empty array of finite rates > 0")
    if not (np.isfinite(decoupled_rate) and decoupled_rate > 0):
        raise ValueError(f"decoupled_rate must be finite and > 0, got {decoupled_rate!r}")
    bins = integer("bins", bins, 2)
    _, _, patches = ax.hist(np.log10(rates), bins=bins, color=plots.COLORS[0], alpha=0.85,
                            label=r"Adam + L2: $c/(\sqrt{\hat v_i} + \varepsilon)$, each weight")
    line = ax.axvline(np.log10(decoupled_rate), color=plots.COLORS[1], lw=2.0, label=f"AdamW: $c$ = {decoupled_rate:g}")
    ax.set_xlabel(r"$\log_{10}$ of the decay per step, per unit of learning rate")
    ax.set_ylabel("number of weights")
    ax.legend(loc="upper left", fontsize=8)
    return [*patches, line]


def method_comparison(runs: dict, early_epoch: int = 1, managed: bool = True):
    r"""Several training methods over several seeds: validation loss against the epoch, and the final accuracies.

    Left: the validation loss against the epoch (log scale), the mean over the seeds as a line and the range
    as a band, one colour per method; the epoch ``early_epoch`` is marked. Right: the final validation
    accuracy of every seed, one column of dots per method, with the mean as a bar.

    Parameters
    ----------
    runs : dict
        ``label -> sequence of History`` (one per seed; per-epoch arrays ``val_loss`` and ``val_accuracy``).
    early_epoch : int, default 1
        An epoch to mark on the left (1 = after the first epoch).
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    if not runs or any(len(histories) == 0 for histories in runs.values()):
        raise ValueError("runs must map each label to a non-empty sequence of histories")
    early_epoch = integer("early_epoch", early_epoch, 1)
    fig, (left, right) = plots.figure(ncols=2, width=10.5, height=3.7, managed=managed)
    for i, (label, histories) in enumerate(runs.items()):
        color = plots.COLORS[i % len(plots.COLORS)]
        losses = np.array([np.asarray(h.val_loss, dtype=float) for h in histories])
        epochs = np.arange(1, losses.shape[1] + 1)
        left.fill_between(epochs, losses.min(axis=0), losses.max(axis=0), color=color, alpha=0.2, lw=0)
        left.plot(epochs, losses.mean(axis=0), color=color, label=f"{label} ({len(histories)} seeds)")
        accuracy = np.array([float(np.asarray(h.val_accuracy)[-1]) for h in histories])
        right.bar([i], [accuracy.mean()], width=0.6, color=color, alpha=0.35)
        right.plot(np.full(len(accuracy), i), accuracy, "o", color=color, mfc="white", mew=1.8, ms=7)
    left.axvline(early_epoch, color="#777777", ls=":", lw=1.0)
    log_axis(left, "y")
    left.set_xlabel("epoch")
    left.set_ylabel("validation loss (mean and range)")
    left.legend(loc="upper right", fontsize=8)
    right.set_xticks(range(len(runs)))
    right.set_xticklabels([textwrap.fill(label, 22) for label in runs], fontsize=8)
    values = np.concatenate([[float(np.asarray(h.val_accuracy)[-1]) for h in hs] for hs in runs.values()])
    right.set_ylim(max(0.0, values.min() - 0.02), min(1.0, values.max() + 0.01))
    right.set_ylabel("final validation accuracy")
    return fig, (left, right)
