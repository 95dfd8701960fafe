"""Tests for descent.explorers.tuning: the range-test explorer draws the library's range test, every control
changes what it should, and every extreme renders without warnings."""

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import tuning as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.figures.range_test_panel import describe  # noqa: E402
from descent.optim import SGD  # noqa: E402
from descent.training import lr_range_test  # noqa: E402
from _drawing import line_data  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    made = explorers.RangeTestExplorer()
    yield made
    made.close()


def test_module_lists_its_explorer():
    assert explorer_classes(explorers) == [explorers.RangeTestExplorer]


def test_the_defaults_are_the_chapters_sweep(explorer):
    assert explorer.values == {"batch_size": 32, "beta": 0.9, "steps": 300, "seed": 0}
    assert explorers.SWEEP == {"lr_min": 1e-5, "lr_max": 100.0}
    eigenvalues = np.linalg.eigvalsh(explorer.model.hessian(np.zeros(explorer.model.dim)))
    assert explorer.limit == pytest.approx(2 / eigenvalues.max())


def test_the_drawing_is_the_library_range_test(explorer):
    explorer.set(batch_size=32, beta=0.9, steps=300, seed=3)
    expected = lr_range_test(explorer.model, np.zeros(explorer.model.dim), SGD(lr=0.1), batch_size=32, beta=0.9,
                             steps=300, seed=3, **explorers.SWEEP)
    x, y = line_data(explorer.panel.smoothed)
    np.testing.assert_allclose(x, expected.lrs / explorer.limit)
    low, high = explorer.panel.loss_limits
    np.testing.assert_allclose(y, np.clip(expected.smoothed, low, high))
    assert explorer.panel.status.get_text() == describe(expected, explorer.limit)
    sx, _ = line_data(explorer.panel.stop)
    assert expected.diverged and sx[0] == pytest.approx(expected.divergence_lr / explorer.limit)
    assert explorer.panel.suggestion.get_xdata()[0] == pytest.approx(expected.suggestion / explorer.limit)


@pytest.mark.parametrize("name, value", [("batch_size", 8), ("beta", 0.98), ("steps", 120), ("seed", 5)])
def test_each_control_changes_the_sweep(explorer, name, value):
    explorer.set(batch_size=32, beta=0.9, steps=300, seed=0)
    before = line_data(explorer.panel.smoothed)
    explorer.set(**{name: value})
    after = line_data(explorer.panel.smoothed)
    assert before[0].shape != after[0].shape or not np.allclose(before[1], after[1])
    explorer.set(batch_size=32, beta=0.9, steps=300, seed=0)


def test_the_full_batch_stops_several_times_later_than_batches_of_32(explorer):
    explorer.set(batch_size=32, beta=0.9, steps=300, seed=0)
    noisy = explorer.result.divergence_lr / explorer.limit
    explorer.set(batch_size=explorer.model.n)
    full = explorer.result.divergence_lr / explorer.limit
    assert 1.0 < noisy < 2.0 and full > 3 * noisy
    assert "stop" in explorer.panel.status.get_text()
    explorer.set(batch_size=32)


def test_every_extreme_renders_without_warnings(explorer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in explorer.positions(count=3):
            png = explorer.render(**values)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_control_is_refused(explorer):
    with pytest.raises(ValueError, match="no control"):
        explorer.set(lr=0.1)
