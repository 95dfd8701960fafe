"""The mini-batch explorer driven in-process: every slider changes the picture, extremes included."""

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import minibatch  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.explorers.minibatch import (  # noqa: E402
    MiniBatchExplorer,
    path_on_contours,
    paths_grid,
    radius_texture_model,
    run_sgd,
)
from descent import plots  # noqa: E402
from descent.training import train  # noqa: E402
from descent.optim import SGD  # noqa: E402
from descent.schedules import inverse_time  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    explorer = MiniBatchExplorer()
    yield explorer
    explorer.close()


def drawn(explorer):
    return (np.asarray(explorer.path.line.get_xydata()).copy(), np.asarray(explorer.curve.get_ydata()).copy(),
            explorer.legend.get_texts()[0].get_text())


def test_the_benchmark_finds_the_explorer():
    assert explorer_classes(minibatch) == [MiniBatchExplorer]


def test_each_control_changes_the_drawing(explorer):
    explorer.set(lr=0.5, batch_size=1, decay=False)
    path, curve, label = drawn(explorer)
    for change in ({"lr": 2.0}, {"batch_size": 16}, {"decay": True}):
        explorer.set(lr=0.5, batch_size=1, decay=False)
        explorer.set(**change)
        new_path, new_curve, new_label = drawn(explorer)
        assert new_label != label, change
        assert new_path.shape != path.shape or not np.allclose(new_path, path, equal_nan=True), change
    explorer.set(lr=0.5, batch_size=1, decay=False)


def test_the_drawing_is_the_run_it_describes(explorer):
    explorer.set(lr=0.3, batch_size=8, decay=False)
    result = run_sgd(radius_texture_model(), 0.3, 8, epochs=explorer.epochs)
    np.testing.assert_allclose(explorer.path.line.get_xydata(), result.path)  # the whole path is inside the window
    assert explorer.result.steps[-1] == 2 * 54
    assert "B = 8" in explorer.legend.get_texts()[0].get_text()
    level = float(explorer.level.get_ydata()[0])
    assert level == pytest.approx(result.final_loss(1) - radius_texture_model().min_value)


def test_every_position_including_extremes_draws_without_warnings(explorer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wild = explorer.render(lr=10.0, batch_size=1, decay=False)
        assert wild[:4] == b"\x89PNG"
        # Redraws blit the changing artists over a cached background: the image must still change.
        assert explorer.render(lr=0.1, batch_size=64, decay=False) != wild
        assert explorer.render(lr=10.0, batch_size=1, decay=False) == wild
        for values in explorer.positions(count=3):
            explorer.set(**values)
            xy = explorer.path.line.get_xydata()
            assert len(xy) >= 2
            (x0, x1), (y0, y1) = radius_texture_model().bounds
            finite = xy[np.isfinite(xy).all(axis=1)]
            assert np.all((finite[:, 0] >= x0 - 1e-9) & (finite[:, 0] <= x1 + 1e-9))
            assert np.all((finite[:, 1] >= y0 - 1e-9) & (finite[:, 1] <= y1 + 1e-9))
            y = explorer.curve.get_ydata()
            assert np.all(np.isfinite(y)) and np.all((y >= 1e-6) & (y <= 3.0))
    explorer.set(lr=0.5, batch_size=1, decay=False)


def test_a_large_rate_with_b_1_wanders_and_a_decay_settles(explorer):
    model = radius_texture_model()
    wild = explorer.set(lr=10.0, batch_size=1, decay=False).result
    calm = explorer.set(lr=10.0, batch_size=1, decay=True).result
    assert calm.final_loss(1) < wild.final_loss(1)
    assert wild.final_loss(1) - model.min_value > 0.1
    explorer.set(lr=0.5, batch_size=1, decay=False)


@pytest.mark.parametrize("lr", [0.01, 0.5, 10.0, 1e14])   # 1e14: the loss blows up and the run stops
@pytest.mark.parametrize("batch_size", [1, 7, 64, 427])
@pytest.mark.parametrize("decay", [False, True])
def test_run_sgd_is_train_with_sgd(lr, batch_size, decay):
    """The explorer's specialised SGD loop gives what descent.training.train gives."""
    model = radius_texture_model()
    steps_per_epoch = -(-model.n // batch_size)
    record_every = max(1, -(-2 * steps_per_epoch // 500))
    schedule = inverse_time(lr, decay_rate=1.0, decay_steps=steps_per_epoch) if decay else None
    expected = train(model, SGD(lr=lr), epochs=2, batch_size=batch_size, schedule=schedule, seed=0,
                     record_every=record_every)
    result = run_sgd(model, lr, batch_size, epochs=2, decay=decay)
    assert (result.diverged, result.diverged_at) == (expected.diverged, expected.diverged_at)
    assert result.diverged == (lr == 1e14)
    assert (result.batch_size, result.n, result.min_value) == (expected.batch_size, expected.n, expected.min_value)
    for field in ("steps", "examples"):
        np.testing.assert_array_equal(getattr(result, field), getattr(expected, field), err_msg=field)
    np.testing.assert_array_equal(result.lrs, expected.lrs)
    for field in ("path", "losses", "epoch_losses"):
        np.testing.assert_allclose(getattr(result, field), getattr(expected, field), rtol=1e-12, atol=1e-12,
                                   err_msg=field)


def test_run_sgd_decay_and_bad_arguments():
    model = radius_texture_model()
    result = run_sgd(model, 0.4, 61, epochs=3, decay=True)
    assert result.steps_per_epoch == 7
    np.testing.assert_allclose(result.lrs, 0.4 / (1 + np.arange(21) / 7))
    with pytest.raises(ValueError, match="lr"):
        run_sgd(model, 0.0, 1)
    with pytest.raises(TypeError, match="lr"):
        run_sgd(model, "fast", 1)
    with pytest.raises(ValueError, match="batch_size"):
        run_sgd(model, 0.1, 0)
    with pytest.raises(TypeError, match="batch_size"):
        run_sgd(model, 0.1, 2.5)


def test_static_figures():
    model = radius_texture_model()
    runs = [run_sgd(model, 0.3, 1, epochs=1), run_sgd(model, 0.3, 32, epochs=1)]
    fig, (left, right) = plots.figure(ncols=2, managed=False)
    handles = path_on_contours(left, model, runs, labels=["B = 1", "B = 32"])
    assert len(handles) == 2 and handles[0].line.get_linewidth() == pytest.approx(0.9)
    assert len(handles[0].dots.get_xdata()) == 0                   # thousands of iterates: no dots
    np.testing.assert_allclose(handles[1].line.get_xydata(), runs[1].path)
    again = path_on_contours(plots.figure(managed=False)[1], model, runs[0])
    assert minibatch._contour_grid(model) is minibatch._contour_grid(model)   # the grid is computed once
    assert len(again) == 1
    with pytest.raises(ValueError, match="labels"):
        path_on_contours(left, model, runs, labels=["one"])
    fig, axes = paths_grid([0.1, 1.0], [1, 64], epochs=1)
    assert axes.shape == (2, 2) and axes[1, 0].get_title() == "α = 0.1, B = 64"
