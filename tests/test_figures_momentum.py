"""Tests for descent.figures.momentum: chapter 3's static figures (the rate map, phase portraits, galleries)."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.figures import momentum as figures  # noqa: E402
from _drawing import line_data  # noqa: E402


def test_rate_map_gallery_runs_each_point():
    points = {"A": (0.0198, 0.0), "B": (0.0331, 0.669), "C": (0.045, 0.6)}
    fig, trajectories = figures.rate_map_gallery(points, managed=False)
    assert set(trajectories) == set(points)
    assert not trajectories["B"].diverged and trajectories["C"].diverged
    assert len(fig.axes) == 2 + 3  # map, colour bar, three paths


def test_phase_portraits_one_panel_per_beta():
    fig, axes = figures.phase_portraits([0.1, 0.5, 0.9], managed=False)
    assert len(axes) == 3


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: figures.rate_map_gallery({}, managed=False), "points"),
        (lambda: figures.phase_portraits([], managed=False), "betas"),
        (lambda: figures.phase_portraits([0.5], titles=["a", "b"], managed=False), "titles"),
        (lambda: figures.ravine(0.5), "kappa"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_draw_rate_map_rejects_bad_ranges():
    from descent.plots import figure

    fig, ax = figure(managed=False)
    with pytest.raises(ValueError, match="alpha_range"):
        figures.draw_rate_map(ax, [1.0, 10.0], alpha_range=(0.1, 0.01))
    with pytest.raises(ValueError, match="beta_range"):
        figures.draw_rate_map(ax, [1.0, 10.0], beta_range=(0.0, 1.0))


def test_speedup_plot_reference_slopes():
    from descent.plots import figure

    kappas = [10, 100, 1000]
    fig, ax = figure(managed=False)
    assert figures.speedup_plot(ax, kappas, {"a": [70, 700, 7000], "b": [20, 63, 200]}) == []
    fig, ax = figure(managed=False)
    half, one = figures.speedup_plot(ax, kappas, {"a": [70, 700, 7000], "b": [20, 63, 200]},
                                       reference_slopes=True)
    for line, slope in ((half, 0.5), (one, 1.0)):
        x, y = line_data(line)
        assert np.polyfit(np.log(x), np.log(y), 1)[0] == pytest.approx(slope, abs=1e-12)
    assert line_data(half)[1][0] == pytest.approx(10) and line_data(one)[1][0] == pytest.approx(35)
    assert len(ax.get_legend().get_texts()) == 4
    with pytest.raises(ValueError, match="one entry per kappa"):
        figures.speedup_plot(ax, kappas, {"a": [1, 2]})


def test_nesterov_comparison_panels_and_titles():
    from descent.models import Rosenbrock
    from descent.optim import Momentum, Nesterov
    from descent.runner import run

    ravine, rosenbrock = figures.ravine(), Rosenbrock()
    on_ravine = [run(ravine, M(lr=0.005, momentum=0.9), 40) for M in (Momentum, Nesterov)]
    on_rosen = [run(rosenbrock, M(lr=1e-3, momentum=0.9), 40) for M in (Momentum, Nesterov)]
    fig, axes = figures.nesterov_comparison(
        [(ravine, on_ravine, "ravine", ((-1.1, 0.2), (-0.6, 0.6))), (rosenbrock, on_rosen, "Rosenbrock", None)],
        labels=["heavy ball", "Nesterov"], loss_panel=(on_rosen, "loss"), managed=False)
    assert [ax.get_title() for ax in axes] == ["ravine", "Rosenbrock", "loss"]
    assert axes[0].get_xlim() == (-1.1, 0.2)
    assert axes[2].get_yscale() == "log"
    with pytest.raises(ValueError, match="panels"):
        figures.nesterov_comparison([], labels=["a"], managed=False)


def test_rate_map_gallery_labels_every_panel_and_keeps_the_map_clear():
    points = {k: (0.01, 0.1 * i) for i, k in enumerate("ABCDE")}
    fig, _ = figures.rate_map_gallery(points, managed=False)
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
