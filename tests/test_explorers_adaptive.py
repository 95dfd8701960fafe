"""Tests for descent.explorers.adaptive: AdaGrad on a rotated ravine, and RMSProp against AdaGrad after a drop
of the gradient's scale."""

import math
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import adaptive as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.models import rotated_ravine  # noqa: E402
from descent.optim import AdaGrad  # noqa: E402
from descent.runner import run  # noqa: E402
from descent.theory import adaptive as theory  # noqa: E402
from _drawing import changed, explorer_fixture, line_data  # noqa: E402


rotation = explorer_fixture(explorers.AdaGradRotation)
drop = explorer_fixture(explorers.ScaleDrop)


def test_module_lists_its_explorers():
    assert explorer_classes(explorers) == [explorers.AdaGradRotation, explorers.ScaleDrop]


def drawn_rotation_data(explorer):
    """What a redraw of the rotation explorer changes: AdaGrad's path and loss, both effective rates."""
    return [line_data(explorer.adagrad_path.line), line_data(explorer.losses[0].line),
            line_data(explorer.rate_lines[0]), line_data(explorer.rate_lines[1])]


DEFAULTS = {"angle": 30.0, "lr": 0.63, "kappa": 100.0}


@pytest.mark.parametrize("control, value", [("angle", 0.0), ("lr", 2.0), ("kappa", 10.0)])
def test_each_rotation_control_alone_changes_every_drawn_line(rotation, control, value):
    rotation.set(**DEFAULTS)
    before = drawn_rotation_data(rotation)
    text = rotation.status.get_text()
    rotation.set(**{control: value})
    for other, default in DEFAULTS.items():
        if other != control:
            assert rotation.controls[other].value == pytest.approx(default, rel=1e-2)
    assert changed(before, drawn_rotation_data(rotation)) == [True, True, True, True]
    # the drawn rates are AdaGrad's, read off its state along a run with the current sliders
    values = rotation.values
    objective = rotated_ravine(values["angle"], values["kappa"])
    optimizer = AdaGrad(lr=values["lr"])
    trajectory = run(objective, optimizer, rotation.steps, record=lambda opt: opt.state["theta"]["sum"].copy())
    expected = np.clip(values["lr"] / (np.sqrt(trajectory.records[:, 0]) + optimizer.eps), *explorers.RATE_LIMITS)
    np.testing.assert_allclose(line_data(rotation.rate_lines[0])[1], expected, rtol=1e-12)
    if control != "lr":
        assert rotation.status.get_text() != text


def test_aligned_with_the_axes_kappa_leaves_adagrads_path_alone(rotation):
    rotation.set(angle=0.0, lr=0.63, kappa=100.0)
    adagrad_before, descent_before = line_data(rotation.adagrad_path.line), line_data(rotation.descent_path.line)
    rotation.set(kappa=10.0)
    # the chapter's point: the curvature cancels from AdaGrad's update, not from gradient descent's
    np.testing.assert_allclose(line_data(rotation.adagrad_path.line)[1], adagrad_before[1], atol=1e-8)
    assert changed([descent_before], [line_data(rotation.descent_path.line)]) == [True]


def test_rotation_explorer_shows_the_advantage_and_its_loss(rotation):
    rotation.set(angle=0.0, lr=0.63, kappa=100.0)
    assert "AdaGrad 16," in rotation.status.get_text()
    first, second = (line_data(line)[1][-1] for line in rotation.rate_lines)
    assert first / second > 30
    rotation.set(angle=45.0)
    assert "AdaGrad > 200" in rotation.status.get_text()
    first, second = (line_data(line)[1][-1] for line in rotation.rate_lines)
    assert first / second == pytest.approx(1.0, abs=0.05)
    # gradient descent's line is its best rate 2/(μ + L), whatever the angle
    assert line_data(rotation.gd_rate)[1][0] == pytest.approx(2 / 101)


def drawn_drop_data(explorer):
    """What a redraw of the scale-drop explorer changes: the gradient, both rates, both distances."""
    return [line_data(explorer.gradient_line), line_data(explorer.rate_lines["AdaGrad"]),
            line_data(explorer.rate_lines["RMSProp"]), line_data(explorer.distance_lines["AdaGrad"]),
            line_data(explorer.distance_lines["RMSProp"]), line_data(explorer.crossover)]


def test_each_drop_control_alone_changes_what_it_should(drop):
    drop.set(gamma=0.9, drop=100.0)
    before = drawn_drop_data(drop)
    drop.set(gamma=0.99)
    assert drop.controls["drop"].value == pytest.approx(100.0, rel=1e-2)
    # γ is RMSProp's alone: AdaGrad's lines and the gradient stay, RMSProp's and the prediction move
    assert changed(before, drawn_drop_data(drop)) == [False, False, True, False, True, True]
    drop.set(gamma=0.9, drop=100.0)
    before = drawn_drop_data(drop)
    drop.set(drop=10.0)
    assert drop.controls["gamma"].value == pytest.approx(0.9)
    # c changes the gradient, so every line moves; AdaGrad's effective rate moves only through its sum
    assert changed(before, drawn_drop_data(drop)) == [True, True, True, True, True, True]


def test_drop_explorer_predicts_rmsprops_recovery(drop):
    drop.set(gamma=0.9, drop=100.0)
    x, _ = line_data(drop.crossover)
    assert x[0] == pytest.approx(drop.drop_at + theory.crossover_steps(0.9, 100.0))
    _, rates = line_data(drop.rate_lines["RMSProp"])
    back = int(np.argmax(rates[drop.drop_at:] >= drop.lr * 100 / math.sqrt(2)))
    assert abs(back - theory.crossover_steps(0.9, 100.0)) <= 2
    _, adagrad = line_data(drop.rate_lines["AdaGrad"])
    assert np.all(np.diff(adagrad) <= 1e-15)                            # never increases
    assert f"h = {theory.half_life(0.9):.3g}" in drop.status.get_text()
    assert f"{theory.crossover_steps(0.9, 100.0):.0f} steps" in drop.status.get_text()


@pytest.mark.parametrize("name", ["rotation", "drop"])
def test_every_extreme_renders_without_warnings(name, request):
    explorer = request.getfixturevalue(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in explorer.positions(count=4):
            png = explorer.render(**values)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_extreme_settings_stay_in_the_panels(rotation, drop):
    rotation.set(angle=45.0, lr=10.0, kappa=1000.0)
    for line in rotation.rate_lines:
        y = line_data(line)[1]
        assert np.all((y >= explorers.RATE_LIMITS[0]) & (y <= explorers.RATE_LIMITS[1]))
    drop.set(gamma=0.999, drop=1e4)
    for line in drop.distance_lines.values():
        assert line_data(line)[1].max() <= drop.axes[2].get_ylim()[1]
