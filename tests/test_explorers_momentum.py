"""Tests for descent.explorers.momentum: the (α, β) rate-map explorer, the phase portrait and their static figures."""

import math
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import momentum as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.theory import momentum as theory  # noqa: E402


@pytest.fixture(scope="module")
def rate_map():
    explorer = explorers.MomentumRateMap()
    yield explorer
    explorer.close()


@pytest.fixture(scope="module")
def phase():
    explorer = explorers.PhasePortrait()
    yield explorer
    explorer.close()


def line_data(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float).copy(), np.asarray(y, dtype=float).copy()


def test_module_lists_its_explorers():
    assert explorer_classes(explorers) == [explorers.MomentumRateMap, explorers.PhasePortrait]


def test_rate_map_redraw_changes_path_loss_and_marker(rate_map):
    rate_map.set(lr=0.01, momentum=0.5)
    path_before = line_data(rate_map.path.line)
    loss_before = line_data(rate_map.loss.line)
    rate_map.set(lr=0.03, momentum=0.7)
    path_after = line_data(rate_map.path.line)
    assert path_before[0].shape != path_after[0].shape or not np.allclose(path_before[0], path_after[0], equal_nan=True)
    assert not np.allclose(loss_before[1], line_data(rate_map.loss.line)[1])
    x, y = line_data(rate_map.map.marker)
    assert x[0] == pytest.approx(math.log10(0.03)) and y[0] == pytest.approx(0.7)
    # the loss curve is the run's loss gap and the status names the rate from theory
    np.testing.assert_allclose(line_data(rate_map.loss.line)[1], np.maximum(rate_map.trajectory.gaps, 1e-16))
    rho = theory.rate(0.03, 0.7, [1.0, 100.0])
    assert f"{rho:.4g}" in rate_map.status.get_text()


def test_rate_map_divergence_is_flagged(rate_map):
    rate_map.set(lr=0.05, momentum=0.0)  # alpha L = 5 > 2
    assert rate_map.trajectory.diverged
    assert len(line_data(rate_map.path.flag)[0]) == 1
    assert len(line_data(rate_map.loss.flag)[0]) == 1
    assert "diverges" in rate_map.status.get_text()
    rate_map.set(lr=0.01, momentum=0.5)
    assert len(line_data(rate_map.path.flag)[0]) == 0


def test_rate_map_image_is_the_theory(rate_map):
    image = rate_map.map.image.get_array()
    assert image.shape == (220, 220)
    # grey (masked/nan) exactly where alpha L >= 2 + 2 beta
    (x0, x1, y0, y1) = rate_map.map.image.get_extent()
    alphas = 10 ** np.linspace(x0, x1, 220)
    betas = np.linspace(y0, y1, 220)
    diverges = alphas[None, :] * 100.0 >= 2 + 2 * betas[:, None]
    np.testing.assert_array_equal(np.isnan(np.ma.filled(image, np.nan)), diverges)


@pytest.mark.parametrize("name", ["rate_map", "phase"])
def test_every_extreme_renders_without_warnings(name, request):
    explorer = request.getfixturevalue(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in explorer.positions(count=4):
            png = explorer.render(**values)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_phase_portrait_regimes_and_divergence(phase):
    phase.set(alpha_lambda=0.1, momentum=0.1)
    assert "overdamped" in phase.phase.text.get_text()
    over = line_data(phase.phase.line)
    phase.set(momentum=0.9)
    assert "underdamped" in phase.phase.text.get_text()
    under = line_data(phase.phase.line)
    assert over[0].shape != under[0].shape or not np.allclose(over[0], under[0])
    # the underdamped spiral crosses x = 0; the overdamped creep does not
    assert np.nanmin(under[0]) < 0 < np.nanmin(over[0]) + 1e-12
    assert len(line_data(phase.phase.flag)[0]) == 0
    phase.set(alpha_lambda=4.0, momentum=0.5)  # 4 > 2 + 2 * 0.5
    assert "diverges" in phase.phase.text.get_text()
    assert len(line_data(phase.phase.flag)[0]) == 1
    assert len(line_data(phase.phase.decay_flag)[0]) == 1


def test_phase_portrait_decay_matches_rate(phase):
    phase.set(alpha_lambda=0.1, momentum=0.2)  # overdamped: |x_t| ~ rho^t
    t, distance = line_data(phase.phase.decay)
    rho = theory.direction_rate(0.1, 0.2, 1.0)
    assert (distance[-1] / distance[-21]) ** (1 / 20) == pytest.approx(rho, rel=1e-6)


def test_rate_map_gallery_runs_each_point():
    points = {"A": (0.0198, 0.0), "B": (0.0331, 0.669), "C": (0.045, 0.6)}
    fig, trajectories = explorers.rate_map_gallery(points, managed=False)
    assert set(trajectories) == set(points)
    assert not trajectories["B"].diverged and trajectories["C"].diverged
    assert len(fig.axes) == 2 + 3  # map, colour bar, three paths


def test_phase_portraits_one_panel_per_beta():
    fig, axes = explorers.phase_portraits([0.1, 0.5, 0.9], managed=False)
    assert len(axes) == 3


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: explorers.rate_map_gallery({}, managed=False), "points"),
        (lambda: explorers.phase_portraits([], managed=False), "betas"),
        (lambda: explorers.phase_portraits([0.5], titles=["a", "b"], managed=False), "titles"),
        (lambda: explorers.ravine(0.5), "kappa"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_draw_rate_map_rejects_bad_ranges():
    from descent.plots import figure

    fig, ax = figure(managed=False)
    with pytest.raises(ValueError, match="alpha_range"):
        explorers.draw_rate_map(ax, [1.0, 10.0], alpha_range=(0.1, 0.01))
    with pytest.raises(ValueError, match="beta_range"):
        explorers.draw_rate_map(ax, [1.0, 10.0], beta_range=(0.0, 1.0))


def test_phase_window_widens_for_a_converging_run_that_swings_far(phase):
    phase.set(alpha_lambda=0.1, momentum=0.9)
    assert phase.axes[0].get_xlim() == (-1.6, 1.6)
    phase.set(alpha_lambda=3.9, momentum=0.99)  # stable (3.9 < 3.98) but swings out to |x| ~ 7
    assert "underdamped" in phase.phase.text.get_text()
    half = phase.axes[0].get_xlim()[1]
    x, velocity = line_data(phase.phase.dots)
    assert half == 10.0 and len(x) == phase.steps + 1
    assert np.abs(x).max() <= half and np.abs(velocity).max() <= half
    assert len(line_data(phase.phase.flag)[0]) == 0
    phase.set(alpha_lambda=0.1, momentum=0.9)
    assert phase.axes[0].get_xlim() == (-1.6, 1.6)


def drawn_rate_map_data(explorer):
    """Everything a redraw of the rate-map explorer changes: path, loss curve, theory bound, marker."""
    return [line_data(explorer.path.line), line_data(explorer.loss.line), line_data(explorer.bound),
            line_data(explorer.map.marker)]


def drawn_phase_data(explorer):
    """Everything a redraw of the phase portrait changes: the orbit, its dots, |x_t| and the ρ^t envelope."""
    phase = explorer.phase
    return [line_data(phase.line), line_data(phase.dots), line_data(phase.decay), line_data(phase.envelope)]


def changed(before, after):
    return [
        b[0].shape != a[0].shape or not (np.allclose(b[0], a[0], equal_nan=True)
                                         and np.allclose(b[1], a[1], equal_nan=True))
        for b, a in zip(before, after)
    ]


@pytest.mark.parametrize("control, start, value", [("lr", 0.01, 0.02), ("momentum", 0.5, 0.8)])
def test_each_rate_map_control_alone_changes_every_drawn_line(rate_map, control, start, value):
    rate_map.set(lr=0.01, momentum=0.5)
    rate_map.set(**{control: start})
    before = drawn_rate_map_data(rate_map)
    rate_map.set(**{control: value})
    assert rate_map.controls[control].value == pytest.approx(value, rel=1e-3)
    other = "momentum" if control == "lr" else "lr"
    assert rate_map.controls[other].value == pytest.approx(0.5 if other == "momentum" else 0.01, rel=1e-3)
    assert changed(before, drawn_rate_map_data(rate_map)) == [True, True, True, True]
    x, y = line_data(rate_map.map.marker)
    expected = (math.log10(value), 0.5) if control == "lr" else (math.log10(0.01), value)
    assert (x[0], y[0]) == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize("control, start, value", [("momentum", 0.5, 0.9), ("alpha_lambda", 0.1, 0.02)])
def test_each_phase_control_alone_changes_every_drawn_line(phase, control, start, value):
    phase.set(momentum=0.5, alpha_lambda=0.1)
    phase.set(**{control: start})
    before = drawn_phase_data(phase)
    text_before = phase.phase.text.get_text()
    phase.set(**{control: value})
    other = "alpha_lambda" if control == "momentum" else "momentum"
    assert phase.controls[other].value == pytest.approx(0.1 if other == "alpha_lambda" else 0.5, rel=1e-3)
    assert changed(before, drawn_phase_data(phase)) == [True, True, True, True]
    assert phase.phase.text.get_text() != text_before
    # the drawn orbit is the simulated one for the current sliders
    alpha_lambda, beta = phase.controls["alpha_lambda"].value, phase.controls["momentum"].value
    positions, _ = theory.simulate(alpha_lambda, beta, 1.0, steps=phase.steps, x0=1.0)
    np.testing.assert_allclose(line_data(phase.phase.dots)[0], positions)


def test_phase_portrait_flips_sign_between_the_real_edge_and_the_limit(phase):
    beta = 0.5
    edge, limit = (1 + math.sqrt(beta)) ** 2, 2 + 2 * beta
    phase.set(momentum=beta, alpha_lambda=(edge + limit) / 2)
    assert "flipping" in phase.phase.text.get_text()
    x, _ = line_data(phase.phase.dots)
    assert np.all(x[1:] * x[:-1] < 0)  # the sign flips every step: no spiral
    assert len(line_data(phase.phase.flag)[0]) == 0


def test_speedup_plot_reference_slopes():
    from descent.plots import figure

    kappas = [10, 100, 1000]
    fig, ax = figure(managed=False)
    assert explorers.speedup_plot(ax, kappas, {"a": [70, 700, 7000], "b": [20, 63, 200]}) == []
    fig, ax = figure(managed=False)
    half, one = explorers.speedup_plot(ax, kappas, {"a": [70, 700, 7000], "b": [20, 63, 200]},
                                       reference_slopes=True)
    for line, slope in ((half, 0.5), (one, 1.0)):
        x, y = line_data(line)
        assert np.polyfit(np.log(x), np.log(y), 1)[0] == pytest.approx(slope, abs=1e-12)
    assert line_data(half)[1][0] == pytest.approx(10) and line_data(one)[1][0] == pytest.approx(35)
    assert len(ax.get_legend().get_texts()) == 4
    with pytest.raises(ValueError, match="one entry per kappa"):
        explorers.speedup_plot(ax, kappas, {"a": [1, 2]})


def test_nesterov_comparison_panels_and_titles():
    from descent.models import Rosenbrock
    from descent.optim import Momentum, Nesterov
    from descent.runner import run

    ravine, rosenbrock = explorers.ravine(), Rosenbrock()
    on_ravine = [run(ravine, M(lr=0.005, momentum=0.9), 40) for M in (Momentum, Nesterov)]
    on_rosen = [run(rosenbrock, M(lr=1e-3, momentum=0.9), 40) for M in (Momentum, Nesterov)]
    fig, axes = explorers.nesterov_comparison(
        [(ravine, on_ravine, "ravine", ((-1.1, 0.2), (-0.6, 0.6))), (rosenbrock, on_rosen, "Rosenbrock", None)],
        labels=["heavy ball", "Nesterov"], loss_panel=(on_rosen, "loss"), managed=False)
    assert [ax.get_title() for ax in axes] == ["ravine", "Rosenbrock", "loss"]
    assert axes[0].get_xlim() == (-1.1, 0.2)
    assert axes[2].get_yscale() == "log"
    with pytest.raises(ValueError, match="panels"):
        explorers.nesterov_comparison([], labels=["a"], managed=False)


def test_rate_map_gallery_labels_every_panel_and_keeps_the_map_clear():
    points = {k: (0.01, 0.1 * i) for i, k in enumerate("ABCDE")}
    fig, _ = explorers.rate_map_gallery(points, managed=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    map_ax = next(ax for ax in fig.axes if ax.get_legend() is not None)
    path_axes = [ax for ax in fig.axes if ax.get_title().startswith(tuple("ABCDEF"))]
    assert len(path_axes) == 5
    # every panel's θ₁ is labelled in its column's lowest panel, θ₂ at the start of each row
    assert {ax.get_xlabel() for ax in path_axes} == {"", r"$\theta_1$"}
    assert sum(ax.get_xlabel() == r"$\theta_1$" for ax in path_axes) == 3
    assert sum(ax.get_ylabel() == r"$\theta_2$" for ax in path_axes) == 2
    # the legend sits below the map, not on it
    renderer = canvas.get_renderer()
    legend_box = map_ax.get_legend().get_window_extent(renderer)
    assert legend_box.y1 < map_ax.get_window_extent(renderer).y0
