r"""Chapter 3's figures: heavy-ball momentum on a quadratic, from the closed form and from runs.

- :func:`draw_rate_map`: the convergence rate ρ(α, β) of momentum over the (α, β) plane of a quadratic,
  computed from the eigenvalues of the 2×2 iteration matrix (:mod:`descent.theory.momentum`); its
  :class:`RateMapArtists` marker moves to the current (α, β) in the explorer.
- :func:`draw_phase_portrait`: one eigen-direction, position :math:`x_t` against velocity
  :math:`(x_t - x_{t-1})/\sqrt{\alpha\lambda}`, and :math:`|x_t|` against the predicted :math:`\rho^t`;
  :class:`PhaseArtists` redraws it for other settings.
- :func:`rate_map_gallery` (the map with labelled (α, β) points and their paths) and :func:`phase_portraits`
  (one panel per β): the static counterparts of the explorers of :mod:`descent.explorers.momentum`.
- :func:`speedup_plot` and :func:`nesterov_comparison`: the chapter's other figures (its step lengths and
  positions are :func:`descent.plots.step_lengths` and :func:`descent.plots.position_curves`).

:func:`ravine` makes the chapter's ill-conditioned quadratic and :func:`describe` says in one line what
momentum does at (α, β).

At about 520 lines the module is over the library's 500-line guideline, knowingly: it is one chapter's
figures, and most of its length is the counterparts of the chapter's two explorers (the rate map and the
phase portrait, each with the artists the explorer redraws), which belong with the explorer they stand in
for. A further figure for this chapter is the time to split it, by those two concepts.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np

from .. import _validation as check
from .. import plots
from ..models import Quadratic
from ..optim import Momentum
from ..runner import run
from ..theory import momentum as theory

__all__ = [
    "ALPHA_RANGE",
    "BETA_RANGE",
    "ravine",
    "describe",
    "draw_rate_map",
    "RateMapArtists",
    "draw_phase_portrait",
    "PhaseArtists",
    "PHASE_HALF_WIDTHS",
    "rate_map_gallery",
    "phase_portraits",
    "speedup_plot",
    "nesterov_comparison",
]

#: The learning-rate range of the rate map and of the explorer's slider, for the default ravine (L = 100).
ALPHA_RANGE = (1e-4, 0.05)
#: The momentum range of the rate map and of the explorer's slider.
BETA_RANGE = (0.0, 0.99)


def ravine(kappa: float = 100.0) -> Quadratic:
    r"""The chapter's ravine: :math:`f(\theta) = \tfrac12(\theta_1^2 + \kappa\,\theta_2^2)`, started at (-1, 0.5).

    Parameters
    ----------
    kappa : float, default 100
        Condition number (the steep direction's eigenvalue; the flat one is 1).

    Returns
    -------
    descent.models.Quadratic
    """
    return Quadratic([1.0, check.at_least("kappa", kappa, 1)], start=[-1.0, 0.5])


def describe(alpha: float, beta: float, eigenvalues, trajectory=None) -> str:
    r"""One line saying what momentum does at (α, β) on a quadratic: the rate and each extreme direction's regime.

    Parameters
    ----------
    alpha, beta : float
        Learning rate and momentum.
    eigenvalues : sequence of float
        The Hessian's eigenvalues.
    trajectory : descent.runner.Trajectory, optional
        If it diverged, the step is named.

    Returns
    -------
    str
    """
    values = np.sort(np.atleast_1d(np.asarray(eigenvalues, dtype=float)))
    rho = theory.convergence_rate(alpha, beta, values)
    L = values[-1]
    if rho >= 1 - 1e-12:
        where = f" at step {trajectory.diverged_at}" if trajectory is not None and trajectory.diverged else ""
        return f"ρ = {rho:.3g}: diverges{where} (αL = {alpha * L:.3g} ≥ 2 + 2β = {2 + 2 * beta:.3g})"
    steps = theory.steps_to_tolerance(rho, 0.1)
    regimes = [theory.damping(alpha, beta, lam) for lam in (values[0], L)]
    return f"ρ = {rho:.4g} (error ÷10 every {steps} steps); flat: {regimes[0]}, steep: {regimes[1]}"


# ----------------------------------------------------------------------------- the rate map


def _steps_per_decade(rates):
    """Steps for the error to shrink 10×, ``nan`` where the iteration does not converge."""
    with np.errstate(all="ignore"):
        return np.where(rates < 1, np.log(10) / -np.log(rates), np.nan)


def _log_alpha_ticks(ax, low: float, high: float) -> None:
    ticks = [k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
             if math.log10(low) - 1e-9 <= k <= math.log10(high) + 1e-9]
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"$10^{{{k}}}$" for k in ticks])


class RateMapArtists:
    """The marker on a rate map; ``update(alpha, beta)`` puts it at a new point.

    The map's x axis is :math:`\\log_{10}\\alpha` (ticks labelled with α), so that the map is a cheap ``imshow``.

    Attributes
    ----------
    marker : matplotlib.lines.Line2D
    image : matplotlib.image.AxesImage
    """

    def __init__(self, ax, image, marker):
        self.ax = ax
        self.image = image
        self.marker = marker

    def update(self, alpha: float, beta: float) -> None:
        """Move the marker to (α, β)."""
        self.marker.set_data([math.log10(alpha)], [beta])


def draw_rate_map(ax, eigenvalues, alpha_range=ALPHA_RANGE, beta_range=BETA_RANGE, resolution: int = 220,
                  colorbar: bool = True, show_optimum: bool = True, show_damping: bool = True) -> RateMapArtists:
    r"""The convergence-rate map of momentum over the (α, β) plane of a quadratic.

    Colour is the number of steps that cut the error tenfold, :math:`\ln 10 / (-\ln\rho)`, on a log scale
    (dark = fast); the grey region does not converge (:math:`\alpha L \ge 2 + 2\beta`). Dashed lines are the
    critical-damping curves :math:`\beta = (1 - \sqrt{\alpha\lambda})^2` of the flattest direction (the
    upper curve) and the steepest (the U); above the first and inside the second both are underdamped and
    :math:`\rho = \sqrt\beta`. The star is the optimum :math:`(\alpha^\star, \beta^\star)`, where the upper
    curve meets the U's right branch.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    eigenvalues : sequence of float
        The Hessian's eigenvalues.
    alpha_range : (float, float)
        α range (log scale); the x axis shows :math:`\log_{10}\alpha`.
    beta_range : (float, float)
        β range, within [0, 1).
    resolution : int, default 220
        Grid points per axis.
    colorbar : bool, default True
    show_optimum, show_damping : bool, default True

    Returns
    -------
    RateMapArtists
    """
    values = np.sort(np.atleast_1d(np.asarray(eigenvalues, dtype=float)))
    (a_low, a_high), (b_low, b_high) = alpha_range, beta_range
    if not 0 < a_low < a_high:
        raise ValueError(f"alpha_range must be (low, high) with 0 < low < high; got {alpha_range!r}")
    if not 0 <= b_low < b_high < 1:
        raise ValueError(f"beta_range must be (low, high) with 0 <= low < high < 1; got {beta_range!r}")
    log_alphas = np.linspace(math.log10(a_low), math.log10(a_high), resolution)
    betas = np.linspace(b_low, b_high, resolution)
    steps = _steps_per_decade(theory.rate_map(10.0**log_alphas, betas, values))
    cmap = mpl.colormaps["viridis"].with_extremes(bad="#d9d9d9")
    finite = steps[np.isfinite(steps)]
    norm = mpl.colors.LogNorm(vmin=max(1.0, float(finite.min())), vmax=max(float(finite.max()), 10.0))
    image = ax.imshow(steps, origin="lower", aspect="auto", cmap=cmap, norm=norm, interpolation="nearest",
                      extent=(log_alphas[0], log_alphas[-1], betas[0], betas[-1]), zorder=0)
    ax.grid(False)
    ax.set_xlim(log_alphas[0], log_alphas[-1])
    ax.set_ylim(betas[0], betas[-1])
    _log_alpha_ticks(ax, a_low, a_high)
    ax.set_xlabel(r"learning rate $\alpha$ (log scale)")
    ax.set_ylabel(r"momentum $\beta$")
    L = values[-1]
    boundary_betas = np.linspace(b_low, b_high, 50)
    ax.plot(np.log10((2 + 2 * boundary_betas) / L), boundary_betas, color=plots.DIVERGED_COLOR, lw=1.4,
            label=r"$\alpha L = 2 + 2\beta$")
    if show_damping:
        for lam, name in ((values[0], r"\mu"), (L, "L")):
            alphas = 10.0 ** log_alphas
            inside = alphas * lam < 4
            critical = (1 - np.sqrt(alphas[inside] * lam)) ** 2
            ax.plot(log_alphas[inside], critical, "--", color="white", lw=1.0, alpha=0.9)
        ax.plot([], [], "--", color="#888888", lw=1.0, label="critical damping ($\\mu$, $L$)")
    if show_optimum and len(values) > 1 and values[-1] > values[0]:
        alpha_star, beta_star = theory.optimal_parameters(values)
        if a_low <= alpha_star <= a_high and b_low <= beta_star <= b_high:
            ax.plot([math.log10(alpha_star)], [beta_star], "*", color="white", mec="black", ms=14, zorder=5,
                    label=r"optimum $(\alpha^\star, \beta^\star)$")
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, pad=0.02)
        bar.set_label("steps to cut the error 10×")
    ax.text(0.985, 0.3, "diverges", transform=ax.transAxes, ha="right", va="bottom", rotation=90, fontsize=9,
            color="#444444")
    marker, = ax.plot([], [], "o", color=plots.COLORS[1], mec="black", mew=1.2, ms=10, zorder=6, clip_on=False)
    return RateMapArtists(ax, image, marker)



# ----------------------------------------------------------------------------- the phase portrait

#: The half widths the phase plane's window may take (``|x|`` and the velocity up to it), the smallest that holds the run.
PHASE_HALF_WIDTHS = (1.6, 4.0, 10.0, 25.0)


class PhaseArtists:
    """The artists of one phase portrait and its decay panel; ``update`` redraws them in place."""

    def __init__(self, ax, decay_ax=None, color=plots.COLORS[0]):
        self.ax = ax
        self.decay_ax = decay_ax
        self.half_width = None
        self.window_changed = False
        self.line, = ax.plot([], [], "-", color=color, lw=1.2, zorder=3)
        self.dots, = ax.plot([], [], "o", color=color, ms=3.0, zorder=4)
        self.start, = ax.plot([], [], "o", color=color, mfc="white", mew=1.8, ms=8, zorder=5)
        self.flag = plots.cross(ax, size=13)
        self.text = ax.text(0.03, 0.97, "", transform=ax.transAxes, va="top", ha="left", fontsize=9,
                            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#bbbbbb", alpha=0.9), zorder=7)
        if decay_ax is not None:
            self.decay, = decay_ax.plot([], [], "o-", color=color, ms=2.5, lw=1.0, label=r"$|x_t|$")
            self.envelope, = decay_ax.plot([], [], "--", color="#555555", lw=1.1, label=r"$\rho^t$ (theory)")
            self.decay_flag = plots.cross(decay_ax)

    @property
    def artists(self) -> list:
        extra = [self.decay, self.envelope, self.decay_flag] if self.decay_ax is not None else []
        return [self.line, self.dots, self.start, self.flag, self.text, *extra]

    def update(self, alpha_lambda: float, beta: float, steps: int) -> None:
        """Run ``steps`` steps along a direction with :math:`\\alpha\\lambda` = ``alpha_lambda`` from x = 1 and draw them."""
        positions, _ = theory.simulate(alpha_lambda, beta, 1.0, steps=steps, x0=1.0)
        finite = np.isfinite(positions)
        count = int(finite.sum()) if finite.all() else int(np.argmin(finite))
        x = positions[:count]
        velocity = np.diff(x, prepend=x[0]) / math.sqrt(alpha_lambda)
        rho = theory.direction_rate(alpha_lambda, beta, 1.0)
        regime = theory.damping(alpha_lambda, beta, 1.0)
        # a converging run may swing far out before it settles: widen the window to hold it (a few fixed sizes)
        extent = 0.0 if regime == "divergent" else float(np.max(np.abs([x, velocity])))
        half = next((h for h in PHASE_HALF_WIDTHS if extent <= h), PHASE_HALF_WIDTHS[-1])
        self.window_changed = half != self.half_width
        if self.window_changed:
            self.half_width = half
            self.ax.set_xlim(-half, half)
            self.ax.set_ylim(-half, half)
        window = ((-half, half), (-half, half))
        inside = (np.abs(x) <= half) & (np.abs(velocity) <= half)
        points = np.column_stack([x, velocity])
        if regime == "divergent":
            # draw up to the first point outside the window (the segment leaving it is cut at the edge)
            first_out = len(x) if inside.all() else int(np.argmin(inside))
            clipped = plots.clip_polyline(points[: first_out + 1], window)
            end = clipped[np.isfinite(clipped).all(axis=1)][-1] if len(clipped) else points[0]
            self.flag.set_data([end[0]], [end[1]])
            inside[first_out:] = False
        else:
            clipped = plots.clip_polyline(points, window)
            self.flag.set_data([], [])
        self.line.set_data(clipped[:, 0], clipped[:, 1])
        self.dots.set_data(x[inside], velocity[inside])
        self.start.set_data([x[0]], [velocity[0]])
        if regime == "divergent":
            critical = f"diverges: αλ ≥ 2 + 2β = {2 + 2 * beta:.3g}"
        elif alpha_lambda < 4:
            critical = f"critical β = {theory.critical_beta(alpha_lambda, 1.0):.3f}"
        else:
            critical = "no critical β < 1"
        self.text.set_text(f"αλ = {alpha_lambda:.3g}, β = {beta:.3f}: {regime}\n"
                           f"ρ = {rho:.3g}; {critical}")
        if self.decay_ax is not None:
            low, top = plots.LOSS_LIMITS
            big = np.abs(x) > top
            last = int(np.argmax(big)) if big.any() else count - 1  # stop where |x| leaves the panel
            t = np.arange(last + 1)
            self.decay.set_data(t, np.clip(np.abs(x[: last + 1]), low, top))
            envelope_t = np.arange(steps + 1, dtype=float)
            with np.errstate(all="ignore"):
                self.envelope.set_data(envelope_t, np.clip(rho**envelope_t, low, top))
            if big.any() or count < len(positions):
                self.decay_flag.set_data([last], [min(abs(x[last]), top)])
            else:
                self.decay_flag.set_data([], [])


def draw_phase_portrait(ax, alpha_lambda: float, beta: float, steps: int = 60, decay_ax=None,
                        color=plots.COLORS[0]) -> PhaseArtists:
    r"""Phase portrait of the heavy ball along one eigen-direction, from :math:`x_0 = 1` at rest.

    The horizontal axis is the position :math:`x_t` (the coordinate along the eigenvector), the vertical axis the
    velocity :math:`(x_t - x_{t-1})/\sqrt{\alpha\lambda}` (scaled so that an undamped oscillation is a circle).
    The window is a square of half width 1.6, widened (to 4, 10 or 25) when a converging run swings further out;
    a diverging run is drawn until it leaves the window, where a cross marks it.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    alpha_lambda : float
        :math:`\alpha\lambda > 0`.
    beta : float
        Momentum in [0, 1).
    steps : int, default 60
    decay_ax : matplotlib.axes.Axes, optional
        If given, also draws :math:`|x_t|` against t (log scale) with the predicted :math:`\rho^t`.
    color : optional

    Returns
    -------
    PhaseArtists
    """
    ax.axhline(0, color="#999999", lw=0.8, zorder=1)
    ax.axvline(0, color="#999999", lw=0.8, zorder=1)
    ax.plot([0], [0], "*", color="black", ms=12, mec="white", mew=0.8, zorder=6)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(r"position $x_t$")
    ax.set_ylabel(r"velocity $(x_t - x_{t-1})/\sqrt{\alpha\lambda}$")
    if decay_ax is not None:
        decay_ax.set_yscale("log")
        decay_ax.set_xlim(0, steps)
        decay_ax.set_ylim(*plots.LOSS_LIMITS)
        decay_ax.set_xlabel("step $t$")
        decay_ax.set_ylabel(r"distance $|x_t|$")
    artists = PhaseArtists(ax, decay_ax, color=color)
    artists.update(alpha_lambda, beta, steps)
    if decay_ax is not None:
        decay_ax.legend(loc="lower left", fontsize=8)
    return artists



# ----------------------------------------------------------------------------- static counterparts


def rate_map_gallery(points: dict, objective=None, steps: int = 150, window=((-1.5, 1.5), (-2.0, 2.0)),
                     managed: bool = True):
    r"""The rate map with labelled (α, β) points, next to small multiples of their paths.

    Parameters
    ----------
    points : dict
        ``label -> (alpha, beta)``, 1 to 6 entries.
    objective : descent.models.Quadratic, optional
        Defaults to :func:`ravine` with κ = 100.
    steps : int, default 150
    window : ((float, float), (float, float))
        The path panels' plot window (taller than the ravine's own bounds: at the optimum the steep coordinate
        swings out before it settles).
    managed : bool, default True
        As in :func:`descent.plots.figure`.

    Returns
    -------
    fig : matplotlib.figure.Figure
    trajectories : dict
        ``label -> Trajectory`` of each point's run.
    """
    if not 1 <= len(points) <= 6:
        raise ValueError(f"points must have 1 to 6 entries; got {len(points)}")
    objective = ravine(100.0) if objective is None else objective
    plots.use_style()
    ncols = 3 if len(points) > 2 else len(points)
    nrows = -(-len(points) // ncols)
    size = (5.2 + 2.5 * ncols, max(3.9, 2.7 * nrows))
    if managed:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=size)
    else:
        fig = mpl.figure.Figure(figsize=size)
    map_fig, paths_fig = fig.subfigures(1, 2, width_ratios=[5.2, 2.5 * ncols], wspace=0.0)
    map_ax = map_fig.add_subplot()
    draw_rate_map(map_ax, objective.eigenvalues)
    path_axes = np.atleast_2d(paths_fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False))
    contours = plots.contour_grid(objective, window=window, resolution=80)  # the same for every panel
    trajectories = {}
    for i, (label, (alpha, beta)) in enumerate(points.items()):
        map_ax.plot([math.log10(alpha)], [beta], "o", color=plots.COLORS[1], mec="black", ms=8, zorder=6)
        map_ax.annotate(label, (math.log10(alpha), beta), xytext=(6, 5), textcoords="offset points",
                        fontsize=11, fontweight="bold", color="black",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8), zorder=7)
        row, col = divmod(i, ncols)
        ax = path_axes[row, col]
        trajectory = run(objective, Momentum(lr=alpha, momentum=beta), steps)
        trajectories[label] = trajectory
        plots.contour_paths(ax, objective, trajectory, levels=8, window=window, grid=contours)
        ax.set_aspect("auto")
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        rho = theory.convergence_rate(alpha, beta, objective.eigenvalues)
        verdict = (f"diverged at step {trajectory.diverged_at}" if trajectory.diverged
                   else f"ρ = {rho:.3f}")
        ax.set_title(f"{label}: α = {alpha:.3g}, β = {beta:.2f}\n{verdict}", fontsize=9)
        # axis labels once per row and column: θ₁ (along the valley) below, θ₂ (across) on the left
        ax.set_xlabel(r"$\theta_1$" if row == nrows - 1 or i + ncols >= len(points) else "")
        ax.set_ylabel(r"$\theta_2$" if col == 0 else "")
        ax.tick_params(labelsize=7)
        if i + ncols >= len(points):
            ax.xaxis.set_tick_params(labelbottom=True)
    for ax in path_axes.flat[len(points):]:
        ax.set_visible(False)
    # the legend goes under the map, where it hides no part of it
    map_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=7, frameon=False)
    return fig, trajectories


def phase_portraits(betas, alpha_lambda: float = 0.1, steps: int = 60, titles=None, managed: bool = True):
    r"""One phase portrait per momentum value, side by side (the phase explorer's static counterpart).

    Parameters
    ----------
    betas : sequence of float
        Momentum values, one panel each (1 to 5).
    alpha_lambda : float, default 0.1
    steps : int, default 60
    titles : sequence of str, optional
    managed : bool, default True

    Returns
    -------
    fig, axes
    """
    betas = list(betas)
    if not 1 <= len(betas) <= 5:
        raise ValueError(f"betas must have 1 to 5 entries; got {len(betas)}")
    if titles is not None and len(titles) != len(betas):
        raise ValueError(f"titles must have one entry per beta ({len(betas)}); got {len(titles)}")
    fig, axes = plots.figure(1, len(betas), width=3.6 * len(betas), height=3.8, managed=managed)
    axes = np.atleast_1d(axes)
    for i, (ax, beta) in enumerate(zip(axes, betas)):
        draw_phase_portrait(ax, alpha_lambda, beta, steps=steps, color=plots.COLORS[i % len(plots.COLORS)])
        if titles is not None:
            ax.set_title(titles[i])
        if i:
            ax.set_ylabel("")
    return fig, axes


def speedup_plot(ax, kappas, steps: dict, reference_slopes: bool = False) -> list:
    r"""Steps to a tolerance against the condition number κ, log–log, one line per method.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    kappas : sequence of float
    steps : dict
        ``label -> sequence of steps`` (one per κ).
    reference_slopes : bool, default False
        Also draw grey reference lines of slope ½ (:math:`\propto\sqrt\kappa`) and slope 1
        (:math:`\propto\kappa`), starting at half the smallest κ's count of the faster and of the slower
        method respectively, so that they run parallel to, and just below, the lines they describe.

    Returns
    -------
    list of matplotlib.lines.Line2D
        The reference lines (empty unless ``reference_slopes``).
    """
    kappas = np.asarray(kappas, dtype=float)
    for i, (label, counts) in enumerate(steps.items()):
        counts = np.asarray(counts, dtype=float)
        if counts.shape != kappas.shape:
            raise ValueError(f"steps[{label!r}] must have one entry per kappa ({len(kappas)}); got {len(counts)}")
        ax.plot(kappas, counts, "o-", color=plots.COLORS[i % len(plots.COLORS)], label=label)
    references = []
    if reference_slopes:
        firsts = [float(np.asarray(counts, dtype=float)[0]) for counts in steps.values()]
        # slope 1 through the slower method's first point, slope ½ through the faster one's
        slow, fast = max(firsts), min(firsts)
        half, = ax.plot(kappas, 0.5 * fast * np.sqrt(kappas / kappas[0]), ":", color="#777777",
                        label=r"slope ½: $\propto\sqrt{\kappa}$")
        one, = ax.plot(kappas, 0.5 * slow * kappas / kappas[0], "--", color="#777777",
                       label=r"slope 1: $\propto\kappa$")
        references = [half, one]
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"condition number $\kappa = L/\mu$")
    ax.set_ylabel("steps to reach the tolerance")
    ax.legend(loc="upper left")
    return references


def nesterov_comparison(panels, labels, loss_panel=None, managed: bool = True):
    r"""Heavy ball against Nesterov: one contour panel per objective, then the loss curves of one of them.

    Parameters
    ----------
    panels : sequence of (objective, trajectories, title, window)
        One contour panel each; ``window`` may be None (the objective's bounds).
    labels : sequence of str
        One label per trajectory of a panel (e.g. ``["heavy ball", "Nesterov"]``).
    loss_panel : (trajectories, title), optional
        Loss curves drawn in a last panel.
    managed : bool, default True
        As in :func:`descent.plots.figure`.

    Returns
    -------
    fig, axes
    """
    panels = list(panels)
    if not panels:
        raise ValueError("panels must have at least one (objective, trajectories, title, window) entry")
    ncols = len(panels) + (loss_panel is not None)
    fig, axes = plots.figure(ncols=ncols, width=4.5 * ncols, height=3.8, managed=managed)
    axes = np.atleast_1d(axes)
    for ax, (objective, trajectories, title, window) in zip(axes, panels):
        plots.contour_paths(ax, objective, trajectories, labels=labels, window=window)
        ax.set_title(title)
    if loss_panel is not None:
        trajectories, title = loss_panel
        plots.loss_curves(axes[-1], trajectories, labels=labels)
        axes[-1].set_title(title)
    return fig, axes
