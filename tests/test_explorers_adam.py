"""Tests for descent.explorers.adam: Adam's (α, β₁, β₂) explorer and the counterexample explorer."""

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import adam as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from descent.models.online import ReddiProblem, run_online, theorem_rate  # noqa: E402
from descent.optim import Adam  # noqa: E402
from descent.runner import run  # noqa: E402
from descent.theory import adam as theory  # noqa: E402
from _drawing import changed, explorer_fixture, line_data  # noqa: E402


adam_explorer = explorer_fixture(explorers.AdamExplorer)
counterexample = explorer_fixture(explorers.CounterexampleExplorer)


def test_module_lists_its_explorers():
    assert explorer_classes(explorers) == [explorers.AdamExplorer, explorers.CounterexampleExplorer]


@pytest.mark.parametrize("name", ["adam_explorer", "counterexample"])
def test_every_extreme_renders_without_warnings(name, request):
    explorer = request.getfixturevalue(name)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in explorer.positions(4):
            png = explorer.render(**values)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_adam_explorer_draws_the_run_for_the_sliders(adam_explorer):
    adam_explorer.set(lr=0.05, beta1=0.5, beta2=0.99)
    lr, beta1, beta2 = (adam_explorer.controls[k].value for k in ("lr", "beta1", "beta2"))
    expected = run(explorers.adam_bowl(), Adam(lr=lr, betas=(beta1, beta2)), adam_explorer.steps)
    np.testing.assert_allclose(adam_explorer.trajectory.path, expected.path)
    # the solid lines are the steps in units of α, read off the path; the first is ±1
    steps = -np.diff(expected.path, axis=0) / lr
    for i, line in enumerate(adam_explorer.corrected):
        np.testing.assert_allclose(line_data(line)[1], np.clip(steps[:, i], *explorers.STEP_LIMITS))
        assert abs(line_data(line)[1][0]) == pytest.approx(1.0, abs=1e-6)
    # the dashed line is the uncorrected factor of the current betas
    t, factor = line_data(adam_explorer.uncorrected)
    np.testing.assert_allclose(factor, np.clip(theory.uncorrected_step_factor(t.astype(int), (beta1, beta2)),
                                               *explorers.STEP_LIMITS))
    np.testing.assert_allclose(line_data(adam_explorer.loss.line)[1],
                               np.clip(expected.gaps, *explorers.LOSS_LIMITS))
    assert f"×{theory.uncorrected_step_factor(1, (beta1, beta2)):.2f}" in adam_explorer.status.get_text()


def drawn_adam_data(explorer):
    return [line_data(explorer.path.line), *(line_data(line) for line in explorer.corrected),
            line_data(explorer.loss.line)]


@pytest.mark.parametrize("control, start, value", [("lr", 0.1, 0.02), ("beta1", 0.9, 0.3), ("beta2", 0.999, 0.9)])
def test_each_adam_control_alone_changes_every_drawn_line(adam_explorer, control, start, value):
    defaults = {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}
    adam_explorer.set(**{**defaults, control: start})
    before, factor_before = drawn_adam_data(adam_explorer), line_data(adam_explorer.uncorrected)
    adam_explorer.set(**{control: value})
    assert adam_explorer.controls[control].value == pytest.approx(value, rel=1e-2)
    for other, default in defaults.items():
        if other != control:
            assert adam_explorer.controls[other].value == pytest.approx(default, rel=1e-3)
    assert changed(before, drawn_adam_data(adam_explorer)) == [True] * 4
    # the uncorrected factor depends on the betas only
    assert changed([factor_before], [line_data(adam_explorer.uncorrected)]) == [control != "lr"]


def test_adam_explorer_clamps_and_never_throws(adam_explorer):
    adam_explorer.set(lr=10.0, beta1=2.0)          # clamped to the slider ranges
    assert adam_explorer.controls["lr"].value == pytest.approx(1.0)
    assert adam_explorer.controls["beta1"].value == pytest.approx(0.99)
    assert np.all(np.isfinite(adam_explorer.trajectory.path))
    with pytest.raises(ValueError, match="no control"):
        adam_explorer.set(momentum=0.5)
    adam_explorer.set(lr=0.1, beta1=0.9, beta2=0.999)


def test_counterexample_explorer_plays_the_problem(counterexample):
    counterexample.set(beta1=0.0, beta2="theorem", C=3.0)
    problem = ReddiProblem(3.0)
    alpha = counterexample.alpha
    expected = run_online(problem, Adam(lr=alpha, betas=problem.theorem_betas), counterexample.steps,
                          schedule=theorem_rate(alpha))
    np.testing.assert_allclose(counterexample.runs["Adam"].path, expected.path)
    adam_line, amsgrad_line = counterexample.online.positions
    np.testing.assert_allclose(line_data(adam_line)[1], expected.path[:-1])
    np.testing.assert_allclose(line_data(counterexample.online.regrets[0])[1], expected.average_regret)
    assert counterexample.runs["Adam"].final > 0.99 and counterexample.runs["AMSGrad"].final < -0.9
    assert "α_t = 1/√t" in counterexample.status.get_text()
    assert "β₂ = 0.1" in counterexample.status.get_text()
    assert line_data(counterexample.online.worst)[1][0] == pytest.approx(2 / 3)


@pytest.mark.parametrize("control, value", [("beta1", 0.9), ("beta2", 0.999), ("C", 6.0)])
def test_each_counterexample_control_alone_changes_the_adam_lines(counterexample, control, value):
    counterexample.set(beta1=0.0, beta2="theorem", C=3.0)
    before = [line_data(counterexample.online.positions[0]), line_data(counterexample.online.regrets[0])]
    counterexample.set(**{control: value})
    after = [line_data(counterexample.online.positions[0]), line_data(counterexample.online.regrets[0])]
    assert changed(before, after) == [True, True]
    if control == "C":
        assert line_data(counterexample.online.worst)[1][0] == pytest.approx(2 * (6 - 2) / 3)
    counterexample.set(beta1=0.0, beta2="theorem", C=3.0)
