"""descent.figures.tuning and descent.figures.range_test_panel: each figure draws what it is given (checked on the
artists), and bad input gets a clear error."""

import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.figures import range_test_panel as panels  # noqa: E402
from descent.figures import tuning as figures  # noqa: E402
from descent.models import LeastSquares  # noqa: E402
from descent.optim import SGD  # noqa: E402
from descent.schedules.plateau import plateau_trace  # noqa: E402
from descent.training import History, RangeTest, grid_points, lr_range_test, random_points, search  # noqa: E402


def history(val, train=None, lr=None, reductions=(), ratio=None):
    val = np.asarray(val, dtype=float)
    n = len(val)
    return History(train_loss=np.asarray(train if train is not None else val / 2, dtype=float), val_loss=val,
                   val_accuracy=np.linspace(0.5, 0.9, n), lr=np.asarray(lr if lr is not None else [0.1] * n, dtype=float),
                   time=np.arange(n, dtype=float), steps=np.arange(1, n + 1), step_loss=np.ones(n), step_lr=np.ones(n),
                   start_val_loss=1.0, start_val_accuracy=0.1, plateau_reductions=tuple(reductions),
                   update_ratio=ratio)


@pytest.fixture(scope="module")
def quadratic():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3)) * [0.3, 1.0, 2.0]
    model = LeastSquares(X, X @ [1.0, -1.0, 0.5] + 0.2 * rng.normal(size=120), fit_intercept=False)
    limit = 2 / np.linalg.eigvalsh(model.hessian(np.zeros(3))).max()
    return model, limit


def sweep(model, batch_size, seed=0):
    return lr_range_test(model, np.zeros(3), SGD(lr=0.1), lr_min=1e-5, lr_max=100.0, steps=200, beta=0.9,
                         batch_size=batch_size, seed=seed)


def test_plateau_trace_draws_the_metric_the_counts_and_the_rate_of_each_epoch():
    trace = plateau_trace([1.0, 0.9, 0.95, 0.95, 0.95, 0.8], 0.5, factor=0.5, patience=1)
    fig = figures.plateau_trace(trace, 0.5)
    left, right = fig.axes
    counts = [text.get_text() for text in left.texts]
    assert counts == [str(int(c)) for c in trace["num_bad_epochs"]]
    rate_line = right.get_lines()[0]
    np.testing.assert_allclose(rate_line.get_ydata(), [0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25])
    assert [line.get_xdata()[0] for line in right.get_lines()[1:]] == [4.5]  # after epoch 4: e3, e4 bad
    with pytest.raises(ValueError, match="plateau_trace"):
        figures.plateau_trace({"metric": [1.0]}, 0.5)


def test_plateau_table_has_a_row_per_epoch_and_marks_the_reductions():
    trace = plateau_trace([1.0, 1.0, 1.0], 1.0, patience=1, factor=0.5)
    table = figures.plateau_table(trace).splitlines()
    assert len(table) == 4 and table[0].split()[:2] == ["epoch", "metric"]
    assert "← lower" in table[3] and "← lower" not in table[2]  # patience 1: two bad epochs, 2 and 3


def test_range_test_quadratic_draws_every_sweep_in_units_of_the_limit(quadratic):
    model, limit = quadratic
    noisy = [sweep(model, 16, seed) for seed in range(2)]
    full = sweep(model, None)
    rates = full.lrs
    fig = figures.range_test_quadratic(noisy, full, limit, steep=(rates, np.ones_like(rates), np.ones_like(rates)))
    left, right = fig.axes
    curves = [line for line in left.get_lines() if len(line.get_xdata()) > 5]
    np.testing.assert_allclose(curves[0].get_xdata(), noisy[0].lrs / limit)
    np.testing.assert_allclose(curves[-1].get_ydata(), full.smoothed)
    assert right.get_yscale() == "log"
    with pytest.raises(ValueError, match="limit"):
        figures.range_test_quadratic(noisy, full, -1.0)


def test_range_test_panel_clips_to_its_window_and_describes_the_result(quadratic):
    model, limit = quadratic
    from descent.plots import figure

    fig, ax = figure(managed=False)
    panel = panels.range_test_panel(ax, (0.01, 10.0))
    result = sweep(model, 16)
    panel.show(result, limit)
    x, y = panel.raw.get_data()
    np.testing.assert_allclose(x, result.lrs / limit)
    assert np.all((0.01 <= np.asarray(y)) & (np.asarray(y) <= 10.0))
    assert panel.status.get_text() == panels.describe(result, limit)
    assert panels.describe(result, limit).startswith(f"stop {result.divergence_lr / limit:.2f}")
    for bad in ((1.0, 0.1), (0.0, 1.0), ("a", 1.0)):
        with pytest.raises((ValueError, TypeError), match="loss_limits"):
            panels.range_test_panel(ax, bad)


def test_a_range_test_that_never_stops_is_described_so():
    result = RangeTest(lrs=np.array([0.1, 0.2]), losses=np.array([1.0, 0.9]), smoothed=np.array([1.0, 0.95]),
                       initial_loss=1.0, diverged=False, rule="min/10", suggestion=0.02, beta=0.9, diverge_factor=4.0)
    assert panels.describe(result, 1.0).startswith("no stop")


def test_range_test_spread_marks_every_seed_and_length(quadratic):
    model, limit = quadratic
    results = {(n, seed): lr_range_test(model, np.zeros(3), SGD(lr=0.1), lr_min=1e-5, lr_max=100.0, steps=n,
                                        batch_size=16, seed=seed) for n in (50, 100) for seed in range(3)}
    steepest = {key: value.suggest("steepest") for key, value in results.items()}
    fig = figures.range_test_spread(results, (50, 100), range(3), steepest=steepest)
    right = fig.axes[1]
    dots = [line for line in right.get_lines() if line.get_marker() == "o"]
    assert sorted(np.concatenate([line.get_ydata() for line in dots]).tolist()) == sorted(
        r.suggestion for r in results.values())


def test_plateau_run_marks_each_reduction_after_its_epoch():
    run = history([1.0, 0.9, 0.9, 0.9, 0.85], lr=[0.1, 0.1, 0.1, 0.05, 0.05], reductions=(2,))
    fig = figures.plateau_run(run)
    left = fig.axes[0]
    marks = [line for line in left.get_lines() if line.get_linestyle() == ":"]
    assert [line.get_xdata()[0] for line in marks] == [3]


def test_early_stopping_shades_the_patience_and_marks_the_restored_epoch():
    runs = [history([1.0, 0.6, 0.5, 0.55, 0.6, 0.62, 0.7]), history([1.0, 0.7, 0.6, 0.62, 0.7, 0.8, 0.9])]
    stopped = history([1.0, 0.6, 0.5, 0.55, 0.6, 0.62])
    stopped.best_epoch = 2
    fig = figures.early_stopping(runs, stopped)
    right = fig.axes[1]
    dot = [line for line in right.get_lines() if line.get_marker() == "o"][0]
    assert dot.get_xdata()[0] == 3 and dot.get_ydata()[0] == 0.5
    assert any("stopped after epoch 6" in text.get_text() for text in right.get_legend().get_texts())


def test_filters_draw_both_filters_and_both_validation_paths():
    fig = figures.filters(0.01, [0.1, 1.0, 10.0], [10, 100], path_steps=np.arange(1, 11), gd_val=np.linspace(1, 0.5, 10),
                          ridge_steps=[1, 5, 10], ridge_val=[1.0, 0.7, 0.5], least_squares_val=0.6)
    left, right = fig.axes
    assert len([line for line in left.get_lines() if len(line.get_xdata()) == 300]) == 4
    assert any(line.get_ydata()[0] == 0.6 for line in right.get_lines() if len(line.get_ydata()) == 2)


def test_seed_groups_one_colour_per_setting_and_a_dot_per_seed():
    groups = {"a": [history([1.0, 0.5]), history([1.0, 0.4])], "b": [history([1.0, 0.9])]}
    fig = figures.seed_groups(groups)
    right = fig.axes[1]
    finals = np.concatenate([line.get_ydata() for line in right.get_lines()])
    assert sorted(finals.tolist()) == [0.4, 0.5, 0.9]
    with pytest.raises(ValueError, match="at least one"):
        figures.seed_groups({})


def test_search_figures():
    space = {"lr": (1e-3, 1.0, "log"), "beta1": (0.5, 0.9, "linear")}

    def objective(lr, beta1=0.9):
        return (math.log10(lr) + 1.5) ** 2 + 0.1 + beta1 / 10

    grid = search(objective, grid_points(space, 2))
    randoms = [search(objective, random_points(space, 4, seed=s)) for s in range(2)]
    fig = figures.search_comparison(grid, randoms)
    right = fig.axes[1]
    assert right.get_lines()[0].get_ydata()[0] == grid.best_score
    fig = figures.sensitivity({"lr": ([1e-3, 1e-2], [1.0, 0.5]), "beta1": ([0.5, 0.9], [0.5, 0.6])})
    assert fig.axes[0].get_xscale() == "log" and fig.axes[1].get_xscale() == "linear"
    assert fig.axes[0].get_title() == "worst / best = 2"
    coarse = search(lambda lr: objective(lr), [{"lr": 1e-3}, {"lr": 0.03}])
    fine = search(lambda lr: objective(lr), [{"lr": 0.02}, {"lr": 0.04}])
    fig = figures.coarse_to_fine(coarse, fine, (0.01, 0.09))
    assert fig.axes[0].get_xscale() == "log"


def test_update_ratios_needs_recorded_ratios():
    with_ratio = history([1.0, 0.5], ratio={"W1": np.array([1e-2, 1e-3, 1e-4])})
    fig = figures.update_ratios([with_ratio], ["run"])
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [1e-2, 1e-3, 1e-4])
    with pytest.raises(ValueError, match="record_update_ratio"):
        figures.update_ratios([history([1.0, 0.5])], ["no ratio"])
    with pytest.raises(ValueError, match="one entry per run"):
        figures.update_ratios([with_ratio], ["a", "b"])


def test_range_test_grid_one_panel_per_case(quadratic):
    model, limit = quadratic
    cases = {"batches": sweep(model, 16), "full": sweep(model, None)}
    fig = figures.range_test_grid(cases, limit, ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2
    assert visible[0].get_title(loc="left").startswith("batches\nstop")
    with pytest.raises(ValueError, match="at least one"):
        figures.range_test_grid({}, limit)


def test_log_axes_are_labelled_in_plain_text():
    """Mathtext tick labels cost more to draw than the rest of a figure: the tuning figures use plain text."""
    with_ratio = history([1.0, 0.5], ratio={"W1": np.geomspace(1e-1, 1e-4, 50)})
    fig = figures.update_ratios([with_ratio], ["run"])
    fig.canvas.draw()
    labels = [tick.get_text() for tick in fig.axes[0].get_yticklabels() if tick.get_text()]
    assert labels and not any("$" in label for label in labels)
    assert "10⁻³" in labels and "0.1" in labels
    narrow = figures.plateau_run(history([0.3, 0.2, 0.1], lr=[0.04, 0.02, 0.01], reductions=(0, 1)))
    narrow.canvas.draw()
    rate_labels = [tick.get_text() for tick in narrow.axes[1].get_yticklabels() if tick.get_text()]
    assert "0.02" in rate_labels and not any("$" in label for label in rate_labels)
