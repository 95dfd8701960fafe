"""Tests for descent.models.online: Reddi et al.'s counterexample and the online loop with projection."""

import math

import numpy as np
import pytest

from descent.optim import SGD, Adam
from descent.models.online import ReddiProblem, run_online, theorem_rate


def test_gradients_losses_and_regret():
    problem = ReddiProblem(C=4.0)
    assert [problem.gradient(t) for t in range(1, 7)] == [4.0, -1.0, -1.0, 4.0, -1.0, -1.0]
    x = np.array([0.5, -0.5, 1.0])
    np.testing.assert_allclose(problem.losses(x), [2.0, 0.5, -1.0])
    # against x* = -1: f_t(x_t) - f_t(-1), summed
    np.testing.assert_allclose(problem.regret(x), np.cumsum([2.0 + 4.0, 0.5 - 1.0, -1.0 - 1.0]))
    # a learner sitting at +1 has average regret 2(C - 2)/3 over whole cycles
    assert problem.regret(np.ones(300))[-1] / 300 == pytest.approx(problem.worst_average_regret())
    assert problem.theorem_betas == (0.0, 1 / 17)


def test_projection_happens_after_every_step():
    problem = ReddiProblem()
    run = run_online(problem, SGD(lr=10.0), 6, start=0.0)   # steps of 10 × gradient, clipped to [-1, 1]
    np.testing.assert_allclose(run.path, [0.0, -1.0, 1.0, 1.0, -1.0, 1.0, 1.0])
    assert run.lrs.tolist() == [10.0] * 6
    assert run.final == 1.0


def test_theorem_settings_adam_fails_amsgrad_and_default_betas_converge():
    problem = ReddiProblem(C=3.0)
    settings = dict(steps=2000, schedule=theorem_rate(0.5))
    adam = run_online(problem, Adam(lr=0.5, betas=problem.theorem_betas), **settings)
    amsgrad = run_online(problem, Adam(lr=0.5, betas=problem.theorem_betas, amsgrad=True), **settings)
    default = run_online(problem, Adam(lr=0.5), **settings)
    assert adam.path[-600:].min() > 0.98
    assert abs(adam.average_regret[-1] - problem.worst_average_regret()) < 0.03
    assert amsgrad.path[-300:].max() < -0.98 and amsgrad.average_regret[-1] < 0.05
    assert default.path[-300:].max() < -0.999 and default.average_regret[-1] < 0.02
    np.testing.assert_allclose(adam.lrs[:4], 0.5 / np.sqrt([1, 2, 3, 4]))


def test_theorem_rate():
    rate = theorem_rate(0.3)
    assert rate(1) == 0.3 and rate(4) == pytest.approx(0.15)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: ReddiProblem(C=2.0), "C must be > 2"),
        (lambda: ReddiProblem(C=math.inf), "C must be finite"),
        (lambda: ReddiProblem().gradient(0), "t must be an integer >= 1"),
        (lambda: run_online(ReddiProblem(), SGD(lr=0.1), 0), "steps"),
        (lambda: run_online(ReddiProblem(), SGD(lr=0.1), 5, start=2.0), "start must be in"),
        (lambda: theorem_rate(0.0), "alpha"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_schedule_must_be_callable():
    with pytest.raises(TypeError, match="schedule"):
        run_online(ReddiProblem(), SGD(lr=0.1), 5, schedule=0.1)
