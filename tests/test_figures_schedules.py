"""Tests for descent.figures.schedules: the gallery and the comparison figures of the schedules chapter."""

import inspect
import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent import schedules  # noqa: E402
from descent.figures import schedules as figures  # noqa: E402
from descent.plots import figure  # noqa: E402

from _schedule_cases import FUNCTIONS  # noqa: E402


def line_data(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_added_hyperparameters_are_the_signature_after_the_base_rate(name):
    function = getattr(schedules, name)
    parameters = list(inspect.signature(function).parameters)
    assert parameters[0] in ("lr0", "base_lr", "max_lr", "schedule", "schedules")
    assert figures.added_hyperparameters(function) == tuple(parameters[1:])


def test_added_hyperparameters_examples_and_bad_input():
    assert figures.added_hyperparameters(schedules.constant) == ()
    assert figures.added_hyperparameters(schedules.cosine) == ("T_max", "eta_min")
    with pytest.raises(TypeError, match="schedule function"):
        figures.added_hyperparameters(schedules.cosine(0.1, 10))
    with pytest.raises(TypeError, match="schedule function"):
        figures.added_hyperparameters("cosine")
    with pytest.raises(ValueError, match="no base rate"):
        figures.added_hyperparameters(lambda: None)


def test_gallery_covers_every_schedule_function_once():
    entries = figures.gallery_entries()
    assert sorted(e.function for e in entries) == sorted(FUNCTIONS)
    for entry in entries:
        assert entry.schedule.name == entry.function


@pytest.mark.parametrize("entry", figures.gallery_entries(), ids=lambda e: e.function)
def test_gallery_torch_names_are_those_the_docstrings_give(entry):
    doc = getattr(schedules, entry.function).__doc__
    for name in re.findall(r"[A-Z][A-Za-z]+LR|LambdaLR|SequentialLR", entry.torch):
        assert name in doc, (entry.function, name)


def test_gallery_blog_forms():
    by_name = {e.function: e.schedule for e in figures.gallery_entries()}
    t = np.arange(101)
    np.testing.assert_allclose(by_name["multistep"]([0, 29, 30, 59, 60, 89, 90]),
                               [0.1, 0.1, 0.01, 0.01, 0.001, 0.001, 0.0001], rtol=1e-12)
    np.testing.assert_allclose(by_name["step_decay"]([19, 20, 40]), [0.1, 0.01, 0.001], rtol=1e-12)
    np.testing.assert_allclose(by_name["exponential"](t), 0.1 * 0.95**t, rtol=1e-12)
    np.testing.assert_allclose(by_name["inverse_time"](t), 0.1 / (1 + 0.1 * t), rtol=1e-12)
    np.testing.assert_allclose(by_name["cosine"](t), 0.05 * (1 + np.cos(np.pi * t / 100)), rtol=1e-12, atol=1e-17)
    assert by_name["linear"](100) == pytest.approx(0.0, abs=1e-15)
    assert by_name["inverse_sqrt"](10) == pytest.approx(0.1) and by_name["inverse_sqrt"](40) == pytest.approx(0.05)


def test_gallery_panels_draw_each_schedule_and_name_its_hyperparameters():
    entries = figures.gallery_entries()
    fig, axes = figures.gallery(entries, managed=False)
    assert len(axes) == len(entries)
    t = np.arange(101)
    for ax, entry in zip(axes, entries):
        x, y = line_data(ax.get_lines()[0])
        np.testing.assert_allclose(y, entry.schedule(t))
        added = figures.added_hyperparameters(getattr(schedules, entry.function))
        label = ax.get_xlabel().replace("\n", " ")
        assert (f"adds {len(added)}:" in label) if added else ("adds no hyperparameter" in label)
        assert f"torch: {entry.torch}" in ax.get_xlabel() and ax.get_title().startswith(entry.function)
    with pytest.raises(ValueError, match="entries"):
        figures.gallery([], managed=False)
    with pytest.raises(ValueError, match="steps"):
        figures.gallery(steps=1, managed=False)


def test_gallery_entries_scale_with_the_epochs():
    entries = {e.function: e.schedule for e in figures.gallery_entries(epochs=200, lr0=1.0)}
    assert entries["cosine"].params["T_max"] == 200 and entries["multistep"].params["milestones"] == [60, 120, 180]
    with pytest.raises(ValueError, match="epochs"):
        figures.gallery_entries(epochs=10)


def test_rates_and_losses_draws_both_panels_and_the_floor():
    steps = 50
    made = {"constant": schedules.constant(0.5), "cosine": schedules.cosine(0.5, steps)}
    losses = {"constant": np.linspace(1, 0.1, steps + 1), "cosine": np.r_[np.linspace(1, 0.01, steps), np.inf]}
    fig, (rate_ax, loss_ax) = figures.rates_and_losses(made, losses, floor=0.1, managed=False)
    np.testing.assert_allclose(line_data(rate_ax.get_lines()[1])[1], made["cosine"](np.arange(steps)))
    y = line_data(loss_ax.get_lines()[1])[1]
    assert np.isnan(y[-1]) and y[0] == 1.0  # an infinite loss is not drawn
    assert line_data(loss_ax.get_lines()[2])[1].tolist() == [0.1, 0.1]
    assert loss_ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="same labels"):
        figures.rates_and_losses(made, {"cosine": losses["cosine"], "constant": losses["constant"]}, managed=False)
    with pytest.raises(ValueError, match="same length"):
        figures.rates_and_losses(made, {"constant": losses["constant"], "cosine": np.ones(10)}, managed=False)
    with pytest.raises(ValueError, match="non-empty"):
        figures.rates_and_losses({}, {}, managed=False)


def test_peak_rate_sweep_marks_each_best():
    peaks = np.geomspace(0.1, 2, 5)
    finals = {"a": np.array([5.0, 2.0, 1.0, 3.0, np.inf]), "b": np.array([4.0, 3.0, 2.0, 1.0, 0.5])}
    fig, ax = figures.peak_rate_sweep(peaks, finals, limit=2.0, managed=False)
    lines = ax.get_lines()
    assert line_data(lines[1])[0][0] == pytest.approx(peaks[2])
    assert line_data(lines[3])[0][0] == pytest.approx(peaks[4])
    assert np.isnan(line_data(lines[0])[1][-1])
    with pytest.raises(ValueError, match="one value per peak"):
        figures.peak_rate_sweep(peaks, {"a": [1.0, 2.0]}, managed=False)
    with pytest.raises(ValueError, match="peaks"):
        figures.peak_rate_sweep([0.1], {"a": [1.0]}, managed=False)


def test_curve_panels_draw_arrays_and_pairs_and_marks():
    panels = [("one", {"a": [1.0, 2.0, 3.0], "b": ([0, 2], [1.0, 1.0])}), ("two", {"c": [0.5, 0.25]})]
    fig, axes = figures.curve_panels(panels, styles={"b": "--"}, marks={"two": 1}, yscale="log", managed=False)
    assert [ax.get_title() for ax in axes] == ["one", "two"]
    a, b = axes[0].get_lines()[:2]
    assert line_data(a)[0].tolist() == [0, 1, 2] and line_data(b)[0].tolist() == [0, 2]
    assert b.get_linestyle() == "--"
    assert any(line_data(line)[0].tolist() == [1, 1] for line in axes[1].get_lines())
    with pytest.raises(ValueError, match="at least one"):
        figures.curve_panels([], managed=False)
    with pytest.raises(ValueError, match="each panel"):
        figures.curve_panels([("empty", {})], managed=False)
    with pytest.raises(ValueError, match="yscale"):
        figures.curve_panels(panels, yscale="symlog", managed=False)


def test_schedule_panels_clip_and_flag_a_loss_that_leaves():
    from descent.figures import schedule_explorer

    fig, (left, right) = figure(ncols=2, managed=False)
    artists = schedule_explorer.schedule_panels(left, right, steps=4)
    low, top = schedule_explorer.LOSS_LIMITS
    artists.update(0.5, [0.5, 0.25, 0.1, 0.0], [1.0, 10.0, 1e3, np.inf, np.inf], [1.0, 1e-9, 1e-9, 1e-9, 1e-9],
                   floor=1e-9, status="test")
    assert line_data(artists.rate)[1].tolist() == [1.0, 0.5, 0.2, 0.0]
    x, y = line_data(artists.loss)
    assert x.tolist() == [0, 1, 2] and y[-1] == top
    assert line_data(artists.flag)[0].tolist() == [2] and line_data(artists.floor)[1].tolist() == [low, low]
    assert line_data(artists.constant_loss)[1].min() == low
    assert artists.status.get_text() == "test"
    with pytest.raises(ValueError, match="steps"):
        schedule_explorer.schedule_panels(left, right, steps=0)


def test_short_rate_curves_are_drawn_as_steps_and_the_palette_has_no_yellow():
    fig, axes = figures.curve_panels([("p", {"short": np.ones(figures.STEP_DRAWN),
                                             "long": np.ones(figures.STEP_DRAWN + 1)})], managed=False)
    short, long = axes[0].get_lines()[:2]
    assert short.get_drawstyle() == "steps-post" and long.get_drawstyle() == "default"
    assert figures.PALETTE[0] == "#000000" and "#F0E442" not in figures.PALETTE
    assert len(set(figures.PALETTE)) == len(figures.PALETTE) == 7
    assert short.get_color() == figures.PALETTE[0] and long.get_color() == figures.PALETTE[1]


def test_seed_spread_draws_one_dot_per_seed_and_the_geometric_mean():
    groups = {"a": {"constant": [1.0, 4.0], "cosine": [0.1, 0.1]}, "b": {"constant": [2.0, np.inf], "cosine": [1.0, 1.0]}}
    fig, ax = figures.seed_spread(groups, managed=False)
    lines = ax.get_lines()
    dots = [line for line in lines if line.get_marker() == "o"]
    assert sum(len(line.get_xdata()) for line in dots) == 7       # the infinite value is not drawn
    means = [line for line in lines if line.get_marker() in ("None", "", None) and len(line.get_xdata()) == 2]
    assert any(np.allclose(line.get_ydata(), [2.0, 2.0]) for line in means)   # geometric mean of 1 and 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="settings"):
        figures.seed_spread({"a": {"x": [1.0]}, "b": {"y": [1.0]}}, managed=False)
    with pytest.raises(ValueError, match="non-empty"):
        figures.seed_spread({}, managed=False)
    with pytest.raises(ValueError, match="yscale"):
        figures.seed_spread(groups, yscale="symlog", managed=False)


def test_schedule_multiples_draw_each_schedule_like_the_explorer():
    from descent.figures import schedule_explorer

    constant = np.linspace(2.0, 0.02, 11)
    frames = {"constant": (np.ones(10), constant.copy()),
              "cosine": (np.linspace(1, 0, 10), np.linspace(2.0, 0.002, 11)),
              "too high": (np.ones(10), np.r_[np.linspace(2.0, 50.0, 6), [np.inf] * 5])}
    fig, axes = schedule_explorer.schedule_multiples(frames, constant, floor=0.02, managed=False)
    titles = [ax.get_title() for ax in axes]
    assert titles == ["constant: the constant rate itself", "cosine: 10× below", "too high: diverges"]
    loss_line = axes[1].get_lines()[2]
    np.testing.assert_allclose(loss_line.get_ydata(), np.linspace(2.0, 0.002, 11))
    assert axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="frames"):
        schedule_explorer.schedule_multiples({}, constant, 0.02, managed=False)
    with pytest.raises(ValueError, match="losses"):
        schedule_explorer.schedule_multiples({"x": (np.ones(3), np.ones(4))}, constant, 0.02, managed=False)
