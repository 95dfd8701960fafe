"""Tests for descent.explorers.momentum: the (α, β) rate-map explorer and the phase portrait."""

import math
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import momentum as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.theory import momentum as theory  # noqa: E402
from _drawing import changed, explorer_fixture, line_data  # noqa: E402


rate_map = explorer_fixture(explorers.MomentumRateMap)
phase = explorer_fixture(explorers.PhasePortrait)


def test_module_lists_its_explorers():
    assert explorer_classes(explorers) == [explorers.MomentumRateMap, explorers.PhasePortrait]


def test_rate_map_redraw_changes_path_loss_and_marker(rate_map):
    rate_map.set(lr=0.01, momentum=0.5)
    path_before = line_data(rate_map.path.line)
    loss_before = line_data(rate_map.loss.line)
    rate_map.set(lr=0.03, momentum=0.7)
    path_after = line_data(rate_map.path.line)
    assert path_before[0].shape != path_after[0].shape or not np.allclose(path_before[0], path_after[0], equal_nan=True)
    assert not np.allclose(loss_before[1], line_data(rate_map.loss.line)[1])
    x, y = line_data(rate_map.map.marker)
    assert x[0] == pytest.approx(math.log10(0.03)) and y[0] == pytest.approx(0.7)
    # the loss curve is the run's loss gap and the status names the rate from theory
    np.testing.assert_allclose(line_data(rate_map.loss.line)[1], np.maximum(rate_map.trajectory.gaps, 1e-16))
    rho = theory.convergence_rate(0.03, 0.7, [1.0, 100.0])
    assert f"{rho:.4g}" in rate_map.status.get_text()


def test_rate_map_divergence_is_flagged(rate_map):
    rate_map.set(lr=0.05, momentum=0.0)  # alpha L = 5 > 2
    assert rate_map.trajectory.diverged
    assert len(line_data(rate_map.path.flag)[0]) == 1
    assert len(line_data(rate_map.loss.flag)[0]) == 1
    assert "diverges" in rate_map.status.get_text()
    rate_map.set(lr=0.01, momentum=0.5)
    assert len(line_data(rate_map.path.flag)[0]) == 0


def test_rate_map_image_is_the_theory(rate_map):
    image = rate_map.map.image.get_array()
    assert image.shape == (220, 220)
    # grey (masked/nan) exactly where alpha L >= 2 + 2 beta
    (x0, x1, y0, y1) = rate_map.map.image.get_extent()
    alphas = 10 ** np.linspace(x0, x1, 220)
    betas = np.linspace(y0, y1, 220)
    diverges = alphas[None, :] * 100.0 >= 2 + 2 * betas[:, None]
    np.testing.assert_array_equal(np.isnan(np.ma.filled(image, np.nan)), diverges)


@pytest.mark.parametrize("name", ["rate_map", "phase"])
def test_every_extreme_renders_without_warnings(name, request):
    explorer = request.getfixturevalue(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in explorer.positions(count=4):
            png = explorer.render(**values)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_phase_portrait_regimes_and_divergence(phase):
    phase.set(alpha_lambda=0.1, momentum=0.1)
    assert "overdamped" in phase.phase.text.get_text()
    over = line_data(phase.phase.line)
    phase.set(momentum=0.9)
    assert "underdamped" in phase.phase.text.get_text()
    under = line_data(phase.phase.line)
    assert over[0].shape != under[0].shape or not np.allclose(over[0], under[0])
    # the underdamped spiral crosses x = 0; the overdamped creep does not
    assert np.nanmin(under[0]) < 0 < np.nanmin(over[0]) + 1e-12
    assert len(line_data(phase.phase.flag)[0]) == 0
    phase.set(alpha_lambda=4.0, momentum=0.5)  # 4 > 2 + 2 * 0.5
    assert "diverges" in phase.phase.text.get_text()
    assert len(line_data(phase.phase.flag)[0]) == 1
    assert len(line_data(phase.phase.decay_flag)[0]) == 1


def test_phase_portrait_decay_matches_rate(phase):
    phase.set(alpha_lambda=0.1, momentum=0.2)  # overdamped: |x_t| ~ rho^t
    t, distance = line_data(phase.phase.decay)
    rho = theory.direction_rate(0.1, 0.2, 1.0)
    assert (distance[-1] / distance[-21]) ** (1 / 20) == pytest.approx(rho, rel=1e-6)


def test_phase_window_widens_for_a_converging_run_that_swings_far(phase):
    phase.set(alpha_lambda=0.1, momentum=0.9)
    assert phase.axes[0].get_xlim() == (-1.6, 1.6)
    phase.set(alpha_lambda=3.9, momentum=0.99)  # stable (3.9 < 3.98) but swings out to |x| ~ 7
    assert "underdamped" in phase.phase.text.get_text()
    half = phase.axes[0].get_xlim()[1]
    x, velocity = line_data(phase.phase.dots)
    assert half == 10.0 and len(x) == phase.steps + 1
    assert np.abs(x).max() <= half and np.abs(velocity).max() <= half
    assert len(line_data(phase.phase.flag)[0]) == 0
    phase.set(alpha_lambda=0.1, momentum=0.9)
    assert phase.axes[0].get_xlim() == (-1.6, 1.6)


def drawn_rate_map_data(explorer):
    """Everything a redraw of the rate-map explorer changes: path, loss curve, theory bound, marker."""
    return [line_data(explorer.path.line), line_data(explorer.loss.line), line_data(explorer.bound),
            line_data(explorer.map.marker)]


def drawn_phase_data(explorer):
    """Everything a redraw of the phase portrait changes: the orbit, its dots, |x_t| and the ρ^t envelope."""
    phase = explorer.phase
    return [line_data(phase.line), line_data(phase.dots), line_data(phase.decay), line_data(phase.envelope)]


@pytest.mark.parametrize("control, start, value", [("lr", 0.01, 0.02), ("momentum", 0.5, 0.8)])
def test_each_rate_map_control_alone_changes_every_drawn_line(rate_map, control, start, value):
    rate_map.set(lr=0.01, momentum=0.5)
    rate_map.set(**{control: start})
    before = drawn_rate_map_data(rate_map)
    rate_map.set(**{control: value})
    assert rate_map.controls[control].value == pytest.approx(value, rel=1e-3)
    other = "momentum" if control == "lr" else "lr"
    assert rate_map.controls[other].value == pytest.approx(0.5 if other == "momentum" else 0.01, rel=1e-3)
    assert changed(before, drawn_rate_map_data(rate_map)) == [True, True, True, True]
    x, y = line_data(rate_map.map.marker)
    expected = (math.log10(value), 0.5) if control == "lr" else (math.log10(0.01), value)
    assert (x[0], y[0]) == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize("control, start, value", [("momentum", 0.5, 0.9), ("alpha_lambda", 0.1, 0.02)])
def test_each_phase_control_alone_changes_every_drawn_line(phase, control, start, value):
    phase.set(momentum=0.5, alpha_lambda=0.1)
    phase.set(**{control: start})
    before = drawn_phase_data(phase)
    text_before = phase.phase.text.get_text()
    phase.set(**{control: value})
    other = "alpha_lambda" if control == "momentum" else "momentum"
    assert phase.controls[other].value == pytest.approx(0.1 if other == "alpha_lambda" else 0.5, rel=1e-3)
    assert changed(before, drawn_phase_data(phase)) == [True, True, True, True]
    assert phase.phase.text.get_text() != text_before
    # the drawn orbit is the simulated one for the current sliders
    alpha_lambda, beta = phase.controls["alpha_lambda"].value, phase.controls["momentum"].value
    positions, _ = theory.simulate(alpha_lambda, beta, 1.0, steps=phase.steps, x0=1.0)
    np.testing.assert_allclose(line_data(phase.phase.dots)[0], positions)


def test_phase_portrait_flips_sign_between_the_real_edge_and_the_limit(phase):
    beta = 0.5
    edge, limit = (1 + math.sqrt(beta)) ** 2, 2 + 2 * beta
    phase.set(momentum=beta, alpha_lambda=(edge + limit) / 2)
    assert "flipping" in phase.phase.text.get_text()
    x, _ = line_data(phase.phase.dots)
    assert np.all(x[1:] * x[:-1] < 0)  # the sign flips every step: no spiral
    assert len(line_data(phase.phase.flag)[0]) == 0
