"""The mini-batch explorer driven in-process: every slider changes the picture, extremes included."""

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import minibatch  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.explorers.minibatch import MiniBatchExplorer  # noqa: E402
from descent.figures.minibatch import radius_texture_model, run_sgd  # noqa: E402
from _drawing import explorer_fixture  # noqa: E402


explorer = explorer_fixture(MiniBatchExplorer)


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
