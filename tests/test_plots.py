"""descent.plots: the shared style, clipping, and what each figure function draws."""

import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from descent import plots
from descent.models import DoubleWell, Quadratic, Quadratic1D, Rosenbrock
from descent.optim import SGD
from descent.runner import run, sweep
from descent.theory.gradient_descent import convergence_rate
from _drawing import line_data


@pytest.fixture(autouse=True)
def clean_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _figure(ncols=1):
    return plots.figure(ncols=ncols, managed=False)


def test_style_gives_white_backgrounds_and_the_colour_blind_safe_cycle():
    mpl.rcParams["figure.facecolor"] = "none"
    plots.use_style()
    assert to_rgb(mpl.rcParams["figure.facecolor"]) == (1.0, 1.0, 1.0)
    assert to_rgb(mpl.rcParams["savefig.facecolor"]) == (1.0, 1.0, 1.0)
    cycle = [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]
    assert cycle == plots.COLORS
    assert len({to_rgb(c) for c in plots.COLORS}) == 8
    assert mpl.rcParams["font.size"] >= 10


@pytest.mark.parametrize("managed", [True, False])
def test_figure_returns_white_figures_with_the_requested_axes(managed):
    fig, axes = plots.figure(2, 3, managed=managed)
    assert axes.shape == (2, 3)
    assert to_rgb(fig.get_facecolor()) == (1.0, 1.0, 1.0)
    assert (fig in map(plt.figure, plt.get_fignums())) == managed
    fig, ax = plots.figure(managed=managed)
    assert hasattr(ax, "plot")
    fig, axes = plots.figure(ncols=2, managed=managed)
    assert axes.shape == (2,)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-1, ValueError), (1.5, ValueError), (True, TypeError)])
def test_figure_refuses_bad_grids(bad, error):
    with pytest.raises(error, match="nrows must be an integer >= 1"):
        plots.figure(nrows=bad)


WINDOW = ((-1.0, 1.0), (-1.0, 1.0))


def test_clip_polyline_keeps_inside_lines_unchanged():
    points = np.array([[0.0, 0.0], [0.5, 0.2], [-0.3, 0.9]])
    np.testing.assert_array_equal(plots.clip_polyline(points, WINDOW), points)


def test_clip_polyline_cuts_a_segment_at_the_window_edge():
    clipped = plots.clip_polyline(np.array([[0.0, 0.0], [3.0, 0.0]]), WINDOW)
    np.testing.assert_allclose(clipped, [[0.0, 0.0], [1.0, 0.0]])


def test_clip_polyline_breaks_the_line_where_it_leaves_and_comes_back():
    clipped = plots.clip_polyline(np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 0.5]]), WINDOW)
    assert np.isnan(clipped[2]).all()
    np.testing.assert_allclose(clipped[[0, 1, 3, 4]], [[0, 0], [1, 0], [1, 0.25], [0, 0.5]])


def test_clip_polyline_drops_outside_segments_and_stops_at_non_finite_points():
    assert plots.clip_polyline(np.array([[2.0, 2.0], [3.0, 5.0]]), WINDOW).shape == (0, 2)
    clipped = plots.clip_polyline(np.array([[0.0, 0.0], [0.5, 0.5], [np.inf, 1.0], [0.1, 0.1]]), WINDOW)
    np.testing.assert_allclose(clipped, [[0.0, 0.0], [0.5, 0.5]])
    huge = plots.clip_polyline(np.array([[0.0, 0.0], [1e300, -1e300]]), WINDOW)
    np.testing.assert_allclose(huge, [[0.0, 0.0], [1.0, -1.0]])


def _within(artist, window, pad=1e-9):
    x, y = (np.asarray(v, dtype=float) for v in artist.get_data())
    ok = np.isfinite(x)
    (x0, x1), (y0, y1) = window
    return np.all((x[ok] >= x0 - pad) & (x[ok] <= x1 + pad) & (y[ok] >= y0 - pad) & (y[ok] <= y1 + pad))


def test_contour_paths_draws_paths_markers_minimum_and_flags_divergence():
    objective = Quadratic([1.0, 10.0], angle=0.5)
    good = run(objective, SGD(lr=0.1), 40)
    bad = run(objective, SGD(lr=0.25), 60)
    assert bad.diverged and not good.diverged
    fig, ax = _figure()
    handles = plots.contour_paths(ax, objective, [good, bad], labels=["α = 0.1", "α = 0.25"])
    assert len(handles) == 2
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_xlim() == objective.bounds[0] and ax.get_ylim() == objective.bounds[1]
    assert any(isinstance(c, mpl.contour.ContourSet) for c in ax.collections)
    for handle in handles:
        assert _within(handle.line, objective.bounds)
        assert _within(handle.dots, objective.bounds)
    # the converged path: ends in a square, no cross
    assert len(handles[0].end.get_xdata()) == 1 and len(handles[0].flag.get_xdata()) == 0
    np.testing.assert_allclose(handles[0].line.get_xydata()[: len(good.path)], good.path)
    # the diverged one: a cross on the window's edge, no end marker, and the label says when
    assert len(handles[1].flag.get_xdata()) == 1 and len(handles[1].end.get_xdata()) == 0
    fx, fy = handles[1].flag.get_xdata()[0], handles[1].flag.get_ydata()[0]
    (x0, x1), (y0, y1) = objective.bounds
    assert min(abs(fx - x0), abs(fx - x1), abs(fy - y0), abs(fy - y1)) < 1e-9
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert f"α = 0.25 (diverged at step {bad.diverged_at})" in labels
    assert "minimum" in labels
    fig.canvas.draw()


def test_contour_paths_level_spacing_is_logarithmic():
    fig, ax = _figure()
    plots.contour_paths(ax, Rosenbrock(), run(Rosenbrock(), SGD(lr=1e-3), 50))
    contour = next(c for c in ax.collections if isinstance(c, mpl.contour.ContourSet))
    ratios = np.diff(np.log(contour.levels))
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)


def test_path_artists_update_in_place():
    objective = Quadratic([1.0, 4.0])
    fig, ax = _figure()
    handle = plots.contour_paths(ax, objective, run(objective, SGD(lr=0.05), 20))[0]
    before = handle.line.get_xydata().copy()
    handle.update(run(objective, SGD(lr=0.3), 20))
    assert handle.line.get_xydata().shape != before.shape or not np.allclose(handle.line.get_xydata(), before)


def test_one_dimensional_objectives_get_the_curve_with_iterates_on_it():
    objective = DoubleWell()
    trajectory = run(objective, SGD(lr=0.05), 30)
    fig, ax = _figure()
    handle = plots.contour_paths(ax, objective, trajectory)[0]  # dispatches to curve_paths
    np.testing.assert_allclose(handle.dots.get_xdata(), trajectory.path[:, 0])
    np.testing.assert_allclose(handle.dots.get_ydata(), trajectory.losses)
    assert "theta" in ax.get_xlabel() and "f(" in ax.get_ylabel()
    with pytest.raises(ValueError, match="curve_paths needs a 1-D objective"):
        plots.curve_paths(ax, Rosenbrock(), trajectory)


def test_loss_curves_use_a_log_axis_with_labelled_quantities_and_flag_divergence():
    objective = Quadratic1D(1.0)
    good, bad = run(objective, SGD(lr=0.5), 30), run(objective, SGD(lr=2.5), 200)
    fig, ax = _figure()
    handles = plots.loss_curves(ax, [good, bad], labels=["α = 0.5", "α = 2.5"])
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step $t$"
    assert "f^\\star" in ax.get_ylabel()
    np.testing.assert_allclose(handles[0].line.get_ydata(), np.maximum(good.gaps, 1e-16))
    assert len(handles[1].line.get_xdata()) == bad.diverged_at + 1
    assert handles[1].flag.get_xdata()[0] == bad.diverged_at
    assert any("diverged at step" in t.get_text() for t in ax.get_legend().get_texts())
    fig.canvas.draw()


def test_loss_curves_clip_into_fixed_limits():
    fig, ax = _figure()
    handle = plots.loss_curves(ax, run(Quadratic1D(), SGD(lr=3.0), 100), ylim=(1e-10, 1e5))[0]
    assert ax.get_ylim() == (1e-10, 1e5)
    assert np.max(handle.line.get_ydata()) <= 1e5 and handle.flag.get_ydata()[0] == 1e5


def test_loss_curves_without_a_known_minimum_label_the_raw_loss():
    trajectory = run(Quadratic1D(), SGD(lr=0.1), 5)
    raw = type(trajectory)(trajectory.path, trajectory.losses, trajectory.lrs, False, None, None)
    fig, ax = _figure()
    plots.loss_curves(ax, raw)
    assert ax.get_ylabel() == r"loss $f(\theta_t)$"


def test_lr_curve_from_a_schedule_or_from_rates():
    fig, ax = _figure()
    line = plots.lr_curve(ax, lambda t: 0.1 * 0.5 ** t, 5)
    np.testing.assert_allclose(line.get_ydata(), 0.1 * 0.5 ** np.arange(5))
    assert ax.get_xlabel() == "step $t$" and "eta" in ax.get_ylabel()
    line = plots.lr_curve(ax, run(Quadratic1D(), SGD(lr=0.2), 7).lrs, 7)
    np.testing.assert_allclose(line.get_ydata(), 0.2)
    with pytest.raises(ValueError, match="steps must be an integer >= 1"):
        plots.lr_curve(ax, lambda t: 0.1, 0)


def test_lr_sweep_shows_diverged_runs_as_crosses():
    objective = Quadratic([1.0, 4.0])
    lrs = np.geomspace(0.01, 1.0, 9)
    finals = sweep(objective, lambda lr: SGD(lr=lr), lrs, 100)
    fig, ax = _figure()
    line = plots.lr_sweep(ax, lrs, finals, marks={"2/L": 0.5})
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert np.isnan(line.get_ydata()[np.isinf(finals)]).all()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "diverged" in labels and "2/L = 0.5" in labels
    with pytest.raises(ValueError, match="same length"):
        plots.lr_sweep(ax, lrs, finals[:-1])


def test_rate_curve_draws_the_theoretical_rate_and_updates():
    fig, ax = _figure()
    handle = plots.rate_curve(ax, [0.1, 1.0])
    np.testing.assert_allclose(handle.rate.get_ydata(), convergence_rate(handle.lrs, [0.1, 1.0]))
    assert handle.limit.get_xdata()[0] == pytest.approx(2.0)
    assert handle.best.get_xdata()[0] == pytest.approx(2 / 1.1)
    handle.update([0.5, 1.0])
    np.testing.assert_allclose(handle.rate.get_ydata(), convergence_rate(handle.lrs, [0.5, 1.0]))
    assert handle.best.get_xdata()[0] == pytest.approx(2 / 1.5)


def test_labels_must_match_trajectories():
    fig, ax = _figure()
    trajectory = run(Quadratic([1.0, 2.0]), SGD(lr=0.1), 3)
    with pytest.raises(ValueError, match="one entry per trajectory"):
        plots.contour_paths(ax, Quadratic([1.0, 2.0]), [trajectory], labels=["a", "b"])


def test_gradient_norms_show_the_norm_of_the_gradient_along_the_path():
    from descent.models import Saddle

    objective = Saddle(start=(1.5, 1e-6))
    trajectory = run(objective, SGD(lr=0.1), 150)
    fig, ax = _figure()
    line = plots.gradient_norms(ax, objective, trajectory, labels=["α = 0.1"])[0]
    np.testing.assert_allclose(line.get_ydata(), np.maximum(np.linalg.norm(objective.grad(trajectory.path), axis=1), 1e-16))
    assert ax.get_yscale() == "log" and "nabla" in ax.get_ylabel()
    diverged = run(Quadratic1D(), SGD(lr=3.0), 100)
    plots.gradient_norms(ax, Quadratic1D(), diverged)
    assert any("diverged at step" in t.get_text() for t in ax.get_legend().get_texts())


# ----------------------------------------------------------------------------- options for long and costly runs


class _CountingQuadratic(Quadratic):
    """A quadratic that counts how often its values on a contour grid are computed."""

    grid_evaluations = 0

    def value(self, theta):
        theta = np.asarray(theta)
        if theta.ndim >= 3:
            type(self).grid_evaluations += 1
        return super().value(theta)


def test_contour_paths_without_dots_draws_lines_only():
    objective = Quadratic([1.0, 10.0], angle=0.5)
    trajectory = run(objective, SGD(lr=0.1), 40)
    fig, ax = _figure()
    handle = plots.contour_paths(ax, objective, trajectory, dots=False, linewidth=0.7)[0]
    assert len(handle.dots.get_xdata()) == 0
    assert handle.line.get_linewidth() == 0.7
    np.testing.assert_allclose(handle.line.get_xydata(), trajectory.path)
    handle.update(run(objective, SGD(lr=0.05), 60))
    assert len(handle.dots.get_xdata()) == 0 and len(handle.line.get_xdata()) == 61
    dotted = plots.contour_paths(_figure()[1], objective, trajectory)[0]
    assert len(dotted.dots.get_xdata()) == len(trajectory.path)


def test_a_contour_grid_is_computed_once_and_reused():
    objective = _CountingQuadratic([1.0, 10.0])
    trajectory = run(objective, SGD(lr=0.1), 10)
    grid = plots.contour_grid(objective, resolution=50)
    assert _CountingQuadratic.grid_evaluations == 1
    assert grid.gaps.shape == (50, 50) and grid.window == objective.bounds
    np.testing.assert_allclose(grid.gaps[25, 25], objective.value(np.array([grid.xs[25], grid.ys[25]])))
    for _ in range(3):
        fig, ax = _figure()
        plots.contour_paths(ax, objective, trajectory, grid=grid)
        assert ax.get_xlim() == objective.bounds[0]
    assert _CountingQuadratic.grid_evaluations == 1
    plots.contour_paths(_figure()[1], objective, trajectory)  # without a grid: computed again
    assert _CountingQuadratic.grid_evaluations == 2
    with pytest.raises(TypeError, match="grid must be a ContourGrid"):
        plots.contours(ax, objective, grid=grid.gaps)
    with pytest.raises(ValueError, match="resolution must be an integer >= 2"):
        plots.contour_grid(objective, resolution=1)


def test_contour_paths_window_zooms_and_clips_to_it():
    objective = Quadratic([1.0, 100.0], start=[-1.0, 0.5])
    trajectory = run(objective, SGD(lr=0.018), 100)
    window = ((-1.1, 0.2), (-0.3, 0.3))
    fig, ax = _figure()
    handle = plots.contour_paths(ax, objective, trajectory, window=window)[0]
    assert ax.get_xlim() == window[0] and ax.get_ylim() == window[1]
    assert _within(handle.line, window) and _within(handle.dots, window)
    assert len(handle.start.get_xdata()) == 0          # the start (y = 0.5) is outside the zoomed window
    contour = next(c for c in ax.collections if isinstance(c, mpl.contour.ContourSet))
    fig2, ax2 = _figure()
    plots.contour_paths(ax2, objective, trajectory)
    full = next(c for c in ax2.collections if isinstance(c, mpl.contour.ContourSet))
    assert max(contour.levels) < max(full.levels)       # the levels follow the window shown
    for bad in [((0, 1),), ((1, 0), (0, 1)), ((0, np.inf), (0, 1)), "wide"]:
        with pytest.raises(ValueError, match="window must be"):
            plots.contour_paths(ax, objective, trajectory, window=bad)


def test_loss_curves_against_epochs_or_examples():
    from descent.data import load
    from descent.training import train
    from descent.models import LogisticRegression

    model = LogisticRegression.from_dataset(load("breast_cancer", features=["mean radius", "mean texture"]),
                                            fit_intercept=False)
    results = [train(model, SGD(lr=0.1), epochs=2, batch_size=B, record_every=5) for B in (1, 32)]
    for x, label in [("epochs", "epochs (examples processed / n)"), ("examples", "examples processed"),
                     ("steps", "step $t$")]:
        fig, ax = _figure()
        handles = plots.loss_curves(ax, results, labels=["B = 1", "B = 32"], x=x, linewidth=1.2)
        assert ax.get_xlabel() == label
        for handle, result in zip(handles, results):
            np.testing.assert_array_equal(handle.line.get_xdata(), getattr(result, x))
            np.testing.assert_allclose(handle.line.get_ydata(), np.maximum(result.gaps, 1e-16))
            assert handle.line.get_linewidth() == 1.2
        assert ax.get_xlim()[1] == max(getattr(r, x)[-1] for r in results)
    assert ax.get_xlim()[1] == results[0].steps[-1] == 2 * model.n   # B = 1: one step per example
    trajectory = run(Quadratic1D(), SGD(lr=0.1), 5)
    with pytest.raises(ValueError, match="x='epochs' needs trajectories with an 'epochs' attribute"):
        plots.loss_curves(ax, trajectory, x="epochs")
    with pytest.raises(ValueError, match="x must be one of 'steps', 'epochs', 'examples'"):
        plots.loss_curves(ax, trajectory, x="time")


def test_loss_curves_line_styles_log_x_axis_and_floor_segments():
    runs = [run(Quadratic1D(1.0), SGD(lr=lr), 40) for lr in (0.1, 0.3)]
    fig, ax = _figure()
    handles = plots.loss_curves(ax, runs, labels=["a", "b"], linestyles=["--", "-"], xscale="log",
                                floors=[(1e-3, 10, 40), (1e-5, 20, 30)])
    assert [h.line.get_linestyle() for h in handles] == ["--", "-"]
    assert ax.get_xscale() == "log" and ax.get_xlim() == (1.0, 40.0)
    np.testing.assert_array_equal(handles[0].line.get_xdata(), np.arange(1, 41))   # the start, x = 0, left out
    np.testing.assert_allclose(handles[0].line.get_ydata(), np.maximum(runs[0].gaps[1:], 1e-16))
    drawn = sorted(tuple(np.round(seg, 12).ravel()) for c in ax.collections for seg in c.get_segments())
    assert drawn == [(10.0, 1e-3, 40.0, 1e-3), (20.0, 1e-5, 30.0, 1e-5)]
    assert all(to_rgb(c.get_color()[0]) == (0.0, 0.0, 0.0) for c in ax.collections)
    fig.canvas.draw()
    with pytest.raises(ValueError, match="linestyles must have one entry per trajectory"):
        plots.loss_curves(ax, runs, linestyles=["--"])
    with pytest.raises(ValueError, match="xscale must be one of 'linear', 'log'"):
        plots.loss_curves(ax, runs, xscale="symlog")
    with pytest.raises(ValueError, match="floors must be"):
        plots.loss_curves(ax, runs, floors=[(1e-3, 10)])
    with pytest.raises(ValueError, match="a floor needs a positive finite value"):
        plots.loss_curves(ax, runs, floors=[(0.0, 10, 40)])
    with pytest.raises(ValueError, match="a floor needs"):
        plots.loss_curves(ax, runs, floors=[(1e-3, 40, 10)])


def test_lr_curve_against_epochs_on_a_log_axis():
    fig, ax = _figure()
    line = plots.lr_curve(ax, lambda t: 0.3 / (1 + t / 10), 50, steps_per_epoch=10, yscale="log")
    np.testing.assert_allclose(line.get_xdata(), np.arange(50) / 10)
    np.testing.assert_allclose(line.get_ydata(), 0.3 / (1 + np.arange(50) / 10))
    assert ax.get_xlabel() == "epochs" and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="steps_per_epoch must be an integer >= 1"):
        plots.lr_curve(ax, lambda t: 0.1, 5, steps_per_epoch=0)
    with pytest.raises(ValueError, match="yscale must be"):
        plots.lr_curve(ax, lambda t: 0.1, 5, yscale="ln")


def test_step_lengths_and_position_curves_draw_the_runs():
    from descent.models import DoubleWell, Quadratic
    from descent.optim import Momentum
    from descent.runner import run

    ravine = Quadratic([1.0, 100.0], start=[-1.0, 0.5])  # chapter 3's ravine
    trajectory = run(ravine, Momentum(lr=0.01, momentum=0.9), 20)
    fig, (left, right) = plots.figure(ncols=2, managed=False)
    (line,) = plots.step_lengths(left, [trajectory], labels=["momentum"])
    np.testing.assert_allclose(line.get_ydata(), np.linalg.norm(np.diff(trajectory.path, axis=0), axis=1))
    well = DoubleWell()
    runs = [run(well, Momentum(lr=0.1, momentum=0.8), 50)]
    (curve,) = plots.position_curves(right, runs, labels=["β = 0.8"], levels={"hump": well.hump})
    np.testing.assert_allclose(curve.get_ydata(), runs[0].path[:, 0])
    with pytest.raises(ValueError, match="labels"):
        plots.step_lengths(left, [trajectory], labels=["a", "b"])
    with pytest.raises(ValueError, match="1-D"):
        plots.position_curves(right, [trajectory])


def test_step_lengths_mark_and_position_curves_last_step():
    from descent.models import DoubleWell, Quadratic
    from descent.optim import Momentum
    from descent.runner import run

    fig, (left, right) = plots.figure(ncols=2, managed=False)
    trajectory = run(Quadratic([1.0, 100.0], start=[-1.0, 0.5]), Momentum(lr=0.01, momentum=0.9), 30)
    plots.step_lengths(left, [trajectory])
    assert not any(np.allclose(line_data(line)[0], 15) for line in left.get_lines())
    plots.step_lengths(right, [trajectory], mark=15)
    assert sum(np.allclose(line_data(line)[0], 15) for line in right.get_lines()) == 1
    fig, ax = plots.figure(managed=False)
    well = DoubleWell()
    plots.position_curves(ax, [run(well, Momentum(lr=0.1, momentum=0.8), 300)], last_step=120)
    assert ax.get_xlim() == (0, 120)
