"""descent.figures.training: what each figure draws from a History or a RangeTest."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from descent.data import load
from descent.models import MLP
from descent.optim import SGD
from descent.figures import training as figures
from descent.training import EarlyStopping, fit, lr_range_test


@pytest.fixture(autouse=True)
def clean_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


@pytest.fixture(scope="module")
def runs():
    data = load("digits")
    net = MLP([64, 16, 10])
    stopped = fit(net, net.init(0), SGD(lr=0.3), data, epochs=40, batch_size=64, early_stopping=EarlyStopping(patience=2))
    diverged = fit(net, net.init(0, dtype=np.float32), SGD(lr=1e4), data, epochs=5, batch_size=64)
    plain = fit(net, net.init(0), SGD(lr=0.05), data, epochs=4, batch_size=64)
    sweep = lr_range_test(net, net.init(0), SGD(lr=0.1), data, batch_size=64, steps=60, lr_min=1e-4, lr_max=100.0)
    return stopped, diverged, plain, sweep


def test_history_draws_losses_accuracy_and_rate_with_the_best_epoch(runs):
    stopped = runs[0]
    assert stopped.stopped_early
    fig = figures.history(stopped, title="SGD")
    loss_ax, accuracy_ax, lr_ax = fig.axes
    train, val = loss_ax.lines[:2]
    np.testing.assert_array_equal(train.get_xdata(), stopped.epochs)
    np.testing.assert_array_equal(train.get_ydata(), stopped.train_loss)
    np.testing.assert_array_equal(val.get_ydata(), stopped.val_loss)
    np.testing.assert_array_equal(accuracy_ax.lines[0].get_ydata(), stopped.val_accuracy)
    best = [line for line in loss_ax.lines if line.get_label().startswith("best epoch")]
    assert len(best) == 1 and best[0].get_xdata()[0] == stopped.best_epoch + 1
    assert lr_ax.get_yscale() == "log" and loss_ax.get_title() == "SGD"
    assert [ax.get_xlabel() for ax in fig.axes] == ["epoch"] * 3


def test_compare_marks_divergence_and_checks_its_arguments(runs):
    stopped, diverged, plain, _ = runs
    assert diverged.diverged
    fig = figures.compare([plain, diverged], ["stable", "too large"], key="train_loss")
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "stable"
    at = diverged.diverged_at
    assert f"too large (diverged in epoch {at['epoch'] + 1}, step {at['step'] + 1})" in labels
    if diverged.n_epochs:
        assert any(line.get_marker() == "X" for line in ax.get_lines())
    note = [t.get_text() for t in figures.history(diverged).axes[0].texts]
    assert note == [f"diverged in epoch {at['epoch'] + 1}, step {at['step'] + 1}"]
    assert ax.get_yscale() == "log"
    assert figures.compare([plain], ["a"], key="val_accuracy").axes[0].get_yscale() == "linear"
    with pytest.raises(ValueError, match="one entry per run"):
        figures.compare([plain, stopped], ["only one"])
    with pytest.raises(ValueError, match="key must be one of"):
        figures.compare([plain], ["a"], key="accuracy")
    with pytest.raises(TypeError, match="History"):
        figures.history(object())


def test_range_test_draws_both_curves_and_its_marks(runs):
    sweep = runs[3]
    fig = sweep.plot(stability_limit=1.0)
    ax = fig.axes[0]
    raw, smooth = ax.lines[:2]
    np.testing.assert_array_equal(raw.get_xdata(), sweep.lrs)
    np.testing.assert_array_equal(smooth.get_ydata(), sweep.smoothed)
    labels = [line.get_label() for line in ax.lines]
    assert any(label.startswith("suggestion (min/10)") for label in labels)
    assert any(label.startswith("stopped: diverged") for label in labels) == sweep.diverged
    assert any(label.startswith("stability limit") for label in labels)
    assert ax.get_xscale() == "log"
    low, high = ax.get_ylim()
    assert low <= np.min(sweep.smoothed) and np.max(sweep.smoothed) <= high
