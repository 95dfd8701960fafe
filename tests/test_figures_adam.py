"""Tests for descent.figures.adam and descent.figures.adam_family: each figure draws the data it is given and
the closed forms of descent.theory.adam, and refuses bad input."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent import plots  # noqa: E402
from descent.figures import adam as figures  # noqa: E402
from descent.figures import adam_family as family  # noqa: E402
from descent.models.online import ReddiProblem, run_online  # noqa: E402
from descent.optim import SGD  # noqa: E402
from descent.optim.swats import SWATS  # noqa: E402
from descent.theory import adam as theory  # noqa: E402


def test_bias_correction_draws_the_factor_and_the_measurements():
    measured = theory.uncorrected_step_factor(np.arange(1, 101))
    fig, (left, right) = figures.bias_correction(measured=measured, managed=False)
    factor_line, dots = right.get_lines()[:2]
    x, y = factor_line.get_data()
    np.testing.assert_allclose(y, theory.uncorrected_step_factor(np.asarray(x, dtype=int)))
    xd, yd = dots.get_data()
    np.testing.assert_allclose(yd, measured[np.asarray(xd, dtype=int) - 1])
    assert any("peak 6.57 at t = 12" in text.get_text() for text in right.texts)
    assert len(left.get_lines()) == 3


def test_first_step_sizes_checks_lengths():
    fig, ax = plots.figure(managed=False)
    sizes = np.geomspace(1e-10, 1e-6, 5)
    lines = figures.first_step_sizes(ax, sizes, sizes / (sizes + 1e-8))
    np.testing.assert_allclose(lines[2].get_ydata(), sizes / (sizes + 1e-8))
    with pytest.raises(ValueError, match="same length"):
        figures.first_step_sizes(ax, sizes, [1.0])


def test_epsilon_placement_draws_the_equivalent_constants():
    fig, (left, right) = figures.epsilon_placement({"torch": [1.0, 0.9], "hat": [0.8, 0.85]}, {"sk": 1e-8},
                                                   managed=False)
    x, y = left.get_lines()[1].get_data()
    np.testing.assert_allclose(y, theory.epsilon_hat_equivalent(1e-8, 0.999, np.asarray(x, dtype=int)))
    assert len(right.get_lines()) == 2
    with pytest.raises(ValueError, match="at least one"):
        figures.epsilon_placement({}, {"sk": 1e-8}, managed=False)


def test_band_figure_measures_each_rate():
    rng = np.random.default_rng(0)
    paths = {0.1: rng.normal(scale=0.003, size=(50, 2)), 0.01: rng.normal(scale=0.0003, size=(50, 2))}
    fig, (left, middle, right) = figures.band(paths, window=20, zoom=10, managed=False)
    dots = [line for line in right.get_lines() if line.get_marker() == "o" and len(line.get_xdata())]
    for line in dots:
        lr = line.get_xdata()[0]
        np.testing.assert_allclose(line.get_ydata(), np.sqrt(np.mean(paths[lr][-20:] ** 2, axis=0)) / lr)
    with pytest.raises(ValueError, match="more than window"):
        figures.band(paths, window=60, zoom=10, managed=False)


def test_counterexample_and_online_artists():
    problem = ReddiProblem()
    runs = {"SGD": run_online(problem, SGD(lr=0.1), 30)}
    fig, (left, right) = family.counterexample(runs, problem, managed=False)
    np.testing.assert_allclose(left.get_lines()[0].get_ydata(), runs["SGD"].path[:-1])
    np.testing.assert_allclose(right.get_lines()[0].get_ydata(), runs["SGD"].average_regret)
    with pytest.raises(ValueError, match="at least one"):
        family.counterexample({}, problem, managed=False)


def test_nadam_schedule_and_radam_warmup_draw_the_formulas():
    fig, ax = plots.figure(managed=False)
    lines = family.nadam_schedule(ax, steps=2000)
    x, y = lines[0].get_data()
    np.testing.assert_allclose(y, theory.nadam_momentum(np.asarray(x, dtype=int)))
    fig, (left, right) = family.radam_warmup(managed=False)
    rectifier = left.get_lines()[0]
    x, y = rectifier.get_data()
    assert np.all(y[x < 6] == 0) and y[5] == pytest.approx(theory.radam_rectifier(6))
    warmup = left.get_lines()[1].get_ydata()
    assert warmup[1999] == pytest.approx(1.0) and warmup[999] == pytest.approx(0.5)


def test_wilson_weights_and_swats_rule():
    fig, ax = plots.figure(managed=False)
    bars = family.wilson_weights(ax, {"a": [1.0, 0.0, 0.0, 5.0], "b": [0.25, 0.25, 0.25]}, {"a": 0.0, "b": 0.4})
    assert len(bars) == 2 and [b.get_height() for b in bars[1]] == [0.25, 0.25, 0.25]
    with pytest.raises(ValueError, match="same labels"):
        family.wilson_weights(ax, {"a": [1.0]}, {"b": 0.0})
    optimizer, w = SWATS(lr=1e-3), np.zeros(2)
    for _ in range(4):
        optimizer.step({"w": w}, {"w": np.array([1.0, -1.0])})
    fig, ax = plots.figure(managed=False)
    lines = family.swats_rule(ax, optimizer.gammas, optimizer.estimates, optimizer.tolerance,
                              switched_at=optimizer.switched_at)
    assert len(lines) == 3 and lines[2].get_xdata()[0] == 2
    with pytest.raises(ValueError, match="same length"):
        family.swats_rule(ax, [1.0], [1.0, 2.0], 1e-9)


class FakeHistory:
    """The per-epoch arrays of a training history, as the figures read them."""

    def __init__(self, val_loss, train_loss=None, val_accuracy=None):
        self.val_loss = np.asarray(val_loss, dtype=float)
        self.train_loss = self.val_loss / 2 if train_loss is None else np.asarray(train_loss, dtype=float)
        self.val_accuracy = 1 - self.val_loss / 10 if val_accuracy is None else np.asarray(val_accuracy, dtype=float)


def test_network_sweep_draws_each_rate_and_seed():
    histories = {(lr, seed): FakeHistory(np.geomspace(1.0, lr * (seed + 1), 5)) for lr in (1e-3, 1e-2) for seed in (0, 1)}
    fig, (left, right) = figures.network_sweep(histories, managed=False)
    assert len([line for line in left.get_lines() if len(line.get_xdata())]) == 4
    finals = sorted(float(line.get_ydata()[0]) for line in right.get_lines()
                    if line.get_marker() == "o" and len(line.get_xdata()))
    assert left.get_legend().get_title().get_text() == "solid: seed 0, dashed: seed 1"
    np.testing.assert_allclose(finals, sorted(h.val_loss[-1] for h in histories.values()))
    with pytest.raises(ValueError, match="at least one"):
        figures.network_sweep({}, managed=False)


def test_decay_rates_and_method_comparison():
    fig, ax = plots.figure(managed=False)
    artists = family.decay_rates(ax, theory.l2_decay_rate(1e-2, np.geomspace(1e-10, 1.0, 50)), 1e-2, bins=10)
    assert len(artists) == 11 and artists[-1].get_xdata()[0] == pytest.approx(-2.0)
    with pytest.raises(ValueError, match="l2_rates"):
        family.decay_rates(ax, [0.0], 1e-2)
    runs = {"a": [FakeHistory([1.0, 0.5]), FakeHistory([0.8, 0.3])], "b": [FakeHistory([2.0, 0.4])]}
    fig, (left, right) = family.method_comparison(runs, managed=False)
    means = [line.get_ydata() for line in left.get_lines() if line.get_label().startswith(("a", "b"))]
    np.testing.assert_allclose(means[0], [0.9, 0.4])
    dots = [line for line in right.get_lines() if line.get_marker() == "o"]
    np.testing.assert_allclose(dots[0].get_ydata(), [0.95, 0.97])
    with pytest.raises(ValueError, match="non-empty"):
        family.method_comparison({"a": []}, managed=False)


def test_log_axis_labels_powers_of_ten_in_plain_text():
    fig, ax = plots.figure(managed=False)
    ax.plot([1e-8, 1e4], [1, 2])
    figures.log_axis(ax, "x")
    assert ax.get_xscale() == "log"
    formatter = ax.xaxis.get_major_formatter()
    assert [formatter(v) for v in (1.0, 10.0, 1e3, 1e-8)] == ["1", "10", "10³", "10⁻⁸"]
    assert len(ax.xaxis.get_minor_locator()()) == 0
    with pytest.raises(ValueError, match="which"):
        figures.log_axis(ax, "z")
