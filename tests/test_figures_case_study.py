"""descent.figures.case_study: each figure draws the numbers it is given, the tables read the signatures."""

from __future__ import annotations

import inspect

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent import optim  # noqa: E402
from descent.data import load, load_test  # noqa: E402
from descent.figures import case_study as figures  # noqa: E402
from descent.training.comparison import (  # noqa: E402
    OPTIMIZERS, Protocol, evaluate_on_test, search_rates)


@pytest.fixture(scope="module")
def search():
    protocol = Protocol(sizes=(64, 8, 10), epochs=3, batch_size=128, patience=None, seeds=(0, 1))
    return search_rates(["SGD", "Adam", "RAdam"], protocol, load("digits"), coarse=(1e-2, 1e-1), extend=0,
                        workers=1)


def xy(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def test_every_optimizer_has_a_colour_and_its_torch_default_rate():
    assert set(figures.FAMILY_COLORS) == set(OPTIMIZERS)
    assert sorted(n for family in figures.FAMILIES.values() for n in family) == sorted(OPTIMIZERS)
    for name in OPTIMIZERS:
        assert figures.default_rate(name) == inspect.signature(getattr(optim, name)).parameters["lr"].default
    assert figures.default_rate("Adadelta") == 1.0 and figures.color("nothing") == "#777777"


def test_rate_search_draws_every_rate_tried_and_marks_the_winner(search):
    fig, panels = figures.rate_search(search, managed=False)
    assert list(panels) == ["SGD", "Adam", "RAdam"]
    for name, ax in panels.items():
        runs = search.runs[name]
        lines = ax.get_lines()
        seeds, mean, star, default = lines[0], lines[1], lines[2], lines[3]
        np.testing.assert_allclose(np.unique(xy(seeds)[0]), [run.setting.lr for run in runs])
        np.testing.assert_allclose(xy(mean)[1], [np.mean(run.best_val_loss) for run in runs])
        assert xy(star)[0][0] == search.rates[name]
        assert xy(default)[0][0] == figures.default_rate(name)
        assert ax.get_xscale() == ax.get_yscale() == "log"
        assert ax.get_title() == f"{name}: {search.rates[name]:.3g}"
    assert len(fig.axes) == 4 and not fig.axes[3].axison  # the fourth panel holds the legend
    with pytest.raises(ValueError, match="ncols"):
        figures.rate_search(search, ncols=0, managed=False)


def test_curves_are_the_mean_over_the_seeds(search):
    runs = list(search.best.values())
    fig, (loss_ax, error_ax) = figures.curves(runs, managed=False)
    for run, loss_line, error_line in zip(runs, loss_ax.get_lines(), error_ax.get_lines()):
        epochs = run.protocol.epochs
        expected = np.mean([h.val_loss for h in run.histories], axis=0)
        np.testing.assert_allclose(xy(loss_line)[1], expected)
        errors = np.mean([1 - h.val_accuracy for h in run.histories], axis=0)
        np.testing.assert_allclose(xy(error_line)[1], errors)
        np.testing.assert_array_equal(xy(loss_line)[0], np.arange(1, epochs + 1))
    assert error_ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="labels"):
        figures.curves(runs, labels=["a"], managed=False)
    with pytest.raises(ValueError, match="at least one"):
        figures.curves([], managed=False)


def test_a_run_that_stopped_early_keeps_its_last_value():
    from types import SimpleNamespace

    stopped = SimpleNamespace(val_loss=np.array([0.5, 0.3]))
    full = SimpleNamespace(val_loss=np.array([0.6, 0.4, 0.2, 0.1]))
    table = figures.per_epoch([SimpleNamespace(histories=[stopped, full])], "val_loss", 4)
    np.testing.assert_array_equal(table[0], [[0.5, 0.3, 0.3, 0.3], [0.6, 0.4, 0.2, 0.1]])


def test_results_put_one_dot_per_seed_and_the_mean(search):
    test = load_test("digits")
    values = {(name, group): evaluate_on_test(search.best[name], test)
              for name in search.best for group in ("constant", "cosine")}
    fig, (loss_ax, accuracy_ax) = figures.results(values, names=list(search.best), groups=["constant", "cosine"],
                                                  managed=False)
    # per row and group: a line of dots (the seeds) and the mean's tick
    dots = [line for line in accuracy_ax.get_lines() if line.get_marker() in ("o", "^")]
    assert len(dots) == 2 * len(search.best)
    first = values[(list(search.best)[0], "constant")][1]
    np.testing.assert_allclose(xy(dots[0])[0], first)
    with pytest.raises(ValueError, match="no entry"):
        figures.scores({}, names=["SGD"], groups=["constant"], xlabel="x", managed=False)


def test_results_table_gives_the_mean_and_the_range():
    table = figures.results_table(
        [dict(name="Adam", lr=0.01, scores=np.array([0.9, 0.95, 1.0]))],
        {"name": ("optimizer", "{}"), "lr": ("lr", "{:g}"), "scores": ("accuracy", "{:.1%}")}).data
    assert table.splitlines()[0] == "| optimizer | lr | accuracy |"
    assert table.splitlines()[2] == "| Adam | 0.01 | 95.0% (90.0%–100.0%) |"


def test_torch_table_reads_every_keyword_and_default_from_the_signatures():
    table = figures.torch_table().data
    lines = table.splitlines()[2:]
    assert len(lines) == len(OPTIMIZERS)
    for name, line in zip(OPTIMIZERS, lines):
        assert line.startswith(f"| `{name}` |")
        for key, parameter in inspect.signature(getattr(optim, name)).parameters.items():
            assert f"{key}=" in line
    assert "torch.optim.SGD(params, momentum=0.9, nesterov=True)" in table
    assert "`foreach`" in lines[0] and "`nesterov`" in lines[1] and "`nesterov`" not in lines[2]
    with pytest.raises(ValueError, match="names"):
        figures.torch_table(["Adagrad"])
