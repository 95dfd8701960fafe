"""Tests for descent.explorers.schedules: the schedule explorer on the noisy quadratic."""

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent import schedules  # noqa: E402
from descent.explorers import schedules as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.figures.schedule_explorer import LOSS_LIMITS  # noqa: E402
from descent.theory import noisy_quadratic as nq  # noqa: E402
from _drawing import line_data  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    made = explorers.ScheduleExplorer()
    yield made
    made.close()


DEFAULTS = dict(schedule="cosine", lr=1.0, warmup=0, momentum=0.0, gamma=0.1, gamma_step=0.995, decay_rate=0.01,
                power=2.0, end_factor=0.0, period=250, T_mult=1, mode="triangular", pct_start=0.3,
                three_phase=False)


def reset(explorer, **values):
    explorer.set(**{**DEFAULTS, **values})


def test_module_lists_its_explorer():
    assert explorer_classes(explorers) == [explorers.ScheduleExplorer]


def test_the_problem_is_the_chapters(explorer):
    np.testing.assert_allclose(explorer.eigenvalues, np.geomspace(0.01, 1.0, 20))
    np.testing.assert_allclose(explorer.noise, 0.01 * explorer.eigenvalues)
    assert explorer.steps == 1000 and explorer.start == 1.0


@pytest.mark.parametrize("name, expected", [
    ("constant", schedules.constant(0.5)),
    ("step_decay", schedules.step_decay(0.5, 250, 0.1)),
    ("multistep", schedules.multistep(0.5, [300, 600, 900], 0.1)),
    ("exponential", schedules.exponential(0.5, 0.995)),
    ("inverse_time", schedules.inverse_time(0.5, 0.01)),
    ("polynomial", schedules.polynomial(0.5, 1000, 2.0)),
    ("linear", schedules.linear(0.5, 1.0, 0.0, 1000)),
    ("cosine", schedules.cosine(0.5, 1000)),
    ("cosine_restarts", schedules.cosine_restarts(0.5, 250, 1)),
    ("cyclic", schedules.cyclic(0.05, 0.5, 250, gamma=0.997)),
    ("one_cycle", schedules.one_cycle(0.5, 1000)),
    ("inverse_sqrt", schedules.inverse_sqrt(0.5, 1)),
])
def test_each_schedule_is_the_library_one_and_its_loss_is_the_theory(explorer, name, expected):
    reset(explorer, schedule=name, lr=0.5)
    t = np.arange(explorer.steps)
    np.testing.assert_allclose(explorer.schedule(t), expected(t), rtol=1e-12, atol=0)
    rates = line_data(explorer.panels.rate)[1] * 0.5
    np.testing.assert_allclose(rates, expected(t), rtol=1e-12, atol=1e-15)
    loss = nq.expected_loss(expected, explorer.eigenvalues, explorer.noise, explorer.steps)
    np.testing.assert_allclose(explorer.loss, loss, rtol=1e-12)
    np.testing.assert_allclose(line_data(explorer.panels.loss)[1], np.clip(loss, *LOSS_LIMITS), rtol=1e-12)
    constant = nq.expected_loss(schedules.constant(0.5), explorer.eigenvalues, explorer.noise, explorer.steps)
    np.testing.assert_allclose(line_data(explorer.panels.constant_loss)[1], np.clip(constant, *LOSS_LIMITS))
    floor = nq.noise_floor(0.5, explorer.eigenvalues, explorer.noise)
    assert line_data(explorer.panels.floor)[1] == pytest.approx([floor, floor])


def test_warmup_wraps_the_schedule_and_shortens_its_horizon(explorer):
    reset(explorer, schedule="cosine", warmup=100)
    expected = schedules.warmup(schedules.cosine(1.0, 900), 100, start_factor=0.01)
    t = np.arange(explorer.steps)
    np.testing.assert_allclose(explorer.schedule(t), expected(t), rtol=1e-12, atol=0)
    assert "after 100 warmup steps" in explorer.panels.status.get_text()
    reset(explorer, schedule="inverse_sqrt", warmup=100)  # its own warmup
    np.testing.assert_allclose(explorer.schedule(t), schedules.inverse_sqrt(1.0, 100)(t), rtol=1e-12)


def test_momentum_uses_the_momentum_recursion(explorer):
    reset(explorer, schedule="linear", momentum=0.9, lr=0.2)
    expected = nq.expected_loss(schedules.linear(0.2, 1.0, 0.0, 1000), explorer.eigenvalues, explorer.noise,
                                1000, momentum=0.9)
    np.testing.assert_allclose(explorer.loss, expected, rtol=1e-12)
    floor = nq.noise_floor(0.2, explorer.eigenvalues, explorer.noise, momentum=0.9)
    assert line_data(explorer.panels.floor)[1][0] == pytest.approx(floor)


def test_only_the_schedules_own_controls_are_shown(explorer):
    for name, uses in explorers.ScheduleExplorer.USES.items():
        reset(explorer, schedule=name)
        shown = {key for key, control in explorer.controls.items() if control.layout.display != "none"}
        assert shown == set(explorers.ScheduleExplorer.ALWAYS) | set(uses), name


def test_every_hyperparameter_control_changes_the_rate_of_a_schedule_that_uses_it(explorer):
    changes = {"gamma": 0.5, "gamma_step": 0.999, "decay_rate": 0.05, "power": 1.0, "end_factor": 0.2,
               "period": 100, "T_mult": 2, "mode": "triangular2", "pct_start": 0.1, "three_phase": True}
    users = {}
    for name, uses in explorers.ScheduleExplorer.USES.items():
        for control in uses:
            users.setdefault(control, name)
    assert set(users) == set(changes)
    for control, value in changes.items():
        reset(explorer, schedule=users[control])
        before = line_data(explorer.panels.rate)[1], line_data(explorer.panels.loss)[1]
        explorer.set(**{control: value})
        after = line_data(explorer.panels.rate)[1], line_data(explorer.panels.loss)[1]
        assert not np.allclose(before[0], after[0]), control
        assert not np.allclose(before[1], after[1]), control


@pytest.mark.parametrize("control, value", [("lr", 0.3), ("warmup", 100), ("momentum", 0.5)])
def test_each_common_control_alone_changes_rate_or_loss(explorer, control, value):
    reset(explorer)
    before = [line_data(explorer.panels.rate)[1], line_data(explorer.panels.loss)[1],
              line_data(explorer.panels.constant_loss)[1]]
    explorer.set(**{control: value})
    after = [line_data(explorer.panels.rate)[1], line_data(explorer.panels.loss)[1],
             line_data(explorer.panels.constant_loss)[1]]
    changed = [b.shape != a.shape or not np.allclose(b, a) for b, a in zip(before, after)]
    # the peak rate and the momentum change both losses (the rate is drawn relative to the peak);
    # a warmup changes the schedule's rate and loss but not the constant rate's
    assert changed == {"lr": [False, True, True], "warmup": [True, True, False],
                       "momentum": [False, True, True]}[control]


def test_divergence_is_shown_with_a_cross_and_said(explorer):
    reset(explorer, schedule="constant", lr=10.0)
    assert "diverges" in explorer.panels.status.get_text()
    x, y = line_data(explorer.panels.flag)
    assert len(x) == 2 and np.all(y == LOSS_LIMITS[1])
    reset(explorer, schedule="cosine", lr=3.0)  # the constant rate diverges, the cosine too (too long above 2)
    assert "diverges" in explorer.panels.status.get_text()
    reset(explorer, schedule="cosine", lr=1.0)
    assert len(line_data(explorer.panels.flag)[0]) == 0
    assert "below the constant rate" in explorer.panels.status.get_text()


def test_every_extreme_renders_without_warnings(explorer):
    """Each schedule with each of its controls at either end of its range, and with all of the common
    controls at their ends together (the largest rate with the longest warmup and the most momentum)."""
    from descent.explorers.base import _positions

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, uses in explorers.ScheduleExplorer.USES.items():
            settings = [{}]
            for control in (*explorers.ScheduleExplorer.ALWAYS[1:], *uses):
                ends = _positions(explorer.controls[control], 2)
                settings += [{control: ends[0]}, {control: ends[-1]}]
            for corner in ("min", "max"):
                settings.append({c: _positions(explorer.controls[c], 2)[0 if corner == "min" else -1]
                                 for c in explorers.ScheduleExplorer.ALWAYS[1:]})
            for values in settings:
                png = explorer.render(**{**DEFAULTS, **values, "schedule": name})
                assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_status_names_the_constant_rates_floor(explorer):
    reset(explorer, schedule="constant", lr=1.0)
    floor = nq.noise_floor(1.0, explorer.eigenvalues, explorer.noise)
    assert f"{floor:.2e}" in explorer.panels.status.get_text()


def test_schedule_for_rejects_an_unknown_schedule(explorer):
    with pytest.raises(ValueError, match="schedule"):
        explorer.schedule_for(**{**DEFAULTS, "schedule": "sawtooth"})


def test_bench_context_names_a_schedule_that_uses_each_control(explorer):
    for control in explorer.controls:
        context = explorer.bench_context(control)
        if control in explorers.ScheduleExplorer.ALWAYS:
            assert context == {}
        else:
            assert control in explorers.ScheduleExplorer.USES[context["schedule"]]
