"""descent.runner: trajectories equal the closed form on quadratics, divergence is a result (no warnings),
schedules drive the rate, sweeps return final losses, bad input is refused clearly."""

import warnings

import numpy as np
import pytest

from descent.models import DoubleWell, Quadratic, Quadratic1D, Rosenbrock
from descent.optim import SGD, Adam, Momentum
from descent.runner import DIVERGENCE_BOUND, Trajectory, run, sweep


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_gradient_descent_on_a_quadratic_equals_the_closed_form():
    objective = Quadratic([1.0, 10.0], angle=0.4)
    alpha, steps = 0.15, 25
    trajectory = run(objective, SGD(lr=alpha), steps)
    step_matrix = np.eye(2) - alpha * objective.A
    expected = [objective.start]
    for _ in range(steps):
        expected.append(step_matrix @ expected[-1])
    np.testing.assert_allclose(trajectory.path, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(trajectory.losses, objective.value(np.array(expected)), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(trajectory.lrs, alpha)
    assert not trajectory.diverged and trajectory.diverged_at is None
    assert trajectory.step_count == steps
    assert trajectory.final_loss == pytest.approx(trajectory.losses[-1])
    np.testing.assert_array_equal(trajectory.final, trajectory.path[-1])
    assert trajectory.min_value == 0.0


def test_shapes_and_the_start_point_are_respected_and_not_modified():
    objective = Rosenbrock()
    start = np.array([0.5, 0.5])
    trajectory = run(objective, Momentum(lr=1e-3, momentum=0.9), 40, start=start)
    assert trajectory.path.shape == (41, 2)
    assert trajectory.losses.shape == (41,)
    assert trajectory.lrs.shape == (40,)
    np.testing.assert_array_equal(trajectory.path[0], [0.5, 0.5])
    np.testing.assert_array_equal(start, [0.5, 0.5])
    np.testing.assert_array_equal(objective.start, [-1.2, 1.0])
    assert trajectory.losses[-1] < trajectory.losses[0]


def test_zero_steps_records_only_the_start():
    trajectory = run(Quadratic1D(), SGD(lr=0.1), 0)
    assert trajectory.path.shape == (1, 1) and trajectory.lrs.shape == (0,)
    assert trajectory.losses[0] == pytest.approx(0.5)


def test_a_one_dimensional_start_may_be_a_number():
    trajectory = run(Quadratic1D(2.0), SGD(lr=0.25), 3, start=4.0)
    np.testing.assert_allclose(trajectory.path[:, 0], [4.0, 2.0, 1.0, 0.5])


def test_the_schedule_sets_the_rate_before_each_step():
    objective = Quadratic1D(1.0)
    trajectory = run(objective, SGD(lr=123.0), 4, schedule=lambda t: 0.5 / (t + 1))
    np.testing.assert_allclose(trajectory.lrs, [0.5, 0.25, 0.5 / 3, 0.125])
    expected = [1.0]
    for alpha in trajectory.lrs:
        expected.append(expected[-1] * (1 - alpha))
    np.testing.assert_allclose(trajectory.path[:, 0], expected)


def test_divergence_is_a_result_with_a_padded_path_and_no_warning():
    objective = Quadratic1D(1.0)
    steps = 200
    trajectory = run(objective, SGD(lr=3.0), steps)  # |1 - alpha L| = 2: the error doubles every step
    assert trajectory.diverged
    k = trajectory.diverged_at
    # the loss 0.5 * 4^t first exceeds the bound 1e12 * max(1, 0.5) at the smallest t with 4^t > 2e12
    assert k == int(np.floor(np.log(2 * DIVERGENCE_BOUND) / np.log(4))) + 1
    assert trajectory.path.shape == (steps + 1, 1) and trajectory.losses.shape == (steps + 1,)
    assert np.all(np.isfinite(trajectory.path[: k + 1]))
    assert np.all(np.isnan(trajectory.path[k + 1:])) and np.all(np.isnan(trajectory.losses[k + 1:]))
    assert np.all(np.isnan(trajectory.lrs[k:])) and np.all(trajectory.lrs[:k] == 3.0)
    assert trajectory.losses[k] > DIVERGENCE_BOUND * 0.5
    assert trajectory.final_loss == np.inf
    assert np.all(np.isnan(trajectory.final))
    assert len(trajectory.valid) == k + 1


def test_overflow_is_caught_without_warnings():
    """A rate so large that the loss overflows to inf in one step still gives a clean result."""
    objective = Rosenbrock()
    trajectory = run(objective, SGD(lr=1e150), 50)
    assert trajectory.diverged
    assert trajectory.diverged_at <= 3
    assert trajectory.losses[trajectory.diverged_at] > DIVERGENCE_BOUND or np.isinf(trajectory.losses[trajectory.diverged_at])


def test_adaptive_optimizers_run_too():
    trajectory = run(DoubleWell(), Adam(lr=0.05), 300)
    assert not trajectory.diverged
    assert trajectory.losses[-1] < trajectory.losses[0]


def test_gaps_subtract_the_known_minimum():
    objective = DoubleWell()
    trajectory = run(objective, SGD(lr=0.01), 5)
    np.testing.assert_allclose(trajectory.gaps, trajectory.losses - objective.min_value)


def test_trajectory_is_immutable():
    trajectory = run(Quadratic1D(), SGD(lr=0.1), 2)
    assert isinstance(trajectory, Trajectory)
    with pytest.raises(AttributeError):
        trajectory.diverged = True


def test_sweep_returns_final_losses_with_inf_for_divergence():
    objective = Quadratic([1.0, 4.0])
    lrs = np.array([0.01, 0.1, 0.4, 0.49, 0.55, 1.0])
    finals = sweep(objective, lambda lr: SGD(lr=lr), lrs, 200)
    assert finals.shape == lrs.shape
    for lr, final in zip(lrs, finals):
        expected = run(objective, SGD(lr=lr), 200).final_loss
        assert final == expected or (np.isinf(final) and np.isinf(expected))
    assert np.all(np.isfinite(finals[:4])) and np.all(np.isinf(finals[4:]))  # 2/L = 0.5


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: run(Quadratic1D(), SGD(lr=0.1), -1), ValueError, "steps must be an integer >= 0"),
        (lambda: run(Quadratic1D(), SGD(lr=0.1), 2.5), ValueError, "steps must be an integer"),
        (lambda: run(Quadratic1D(), SGD(lr=0.1), True), TypeError, "steps must be an integer"),
        (lambda: run(Quadratic([1.0, 2.0]), SGD(lr=0.1), 3, start=[1.0]), ValueError, r"start must have shape \(2,\)"),
        (lambda: run(Quadratic([1.0, 2.0]), SGD(lr=0.1), 3, start=[np.nan, 1.0]), ValueError, "start must be finite"),
        (lambda: run(Quadratic([1.0, 2.0]), SGD(lr=0.1), 3, start="here"), TypeError, "start must be"),
        (lambda: run(Quadratic1D(), object(), 3), TypeError, r"optimizer must be an optimizer of descent.optim \(with step\)"),
        (lambda: run(Quadratic1D(), SGD(lr=0.1), 3, schedule=0.1), TypeError, "schedule must be a function"),
        (lambda: sweep(Quadratic1D(), lambda lr: SGD(lr=lr), [0.1, -0.1], 3), ValueError, "lrs must all be finite and > 0"),
        (lambda: sweep(Quadratic1D(), lambda lr: SGD(lr=lr), [], 3), ValueError, "lrs must be"),
        (lambda: sweep(Quadratic1D(), SGD(lr=0.1), [0.1], 3), TypeError, "make_optimizer"),
    ],
)
def test_bad_input_is_refused_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_descent_schedule_drives_the_rate():
    from descent import schedules

    schedule = schedules.exponential(lr0=0.5, gamma=0.9)
    trajectory = run(Quadratic1D(), SGD(lr=0.5), 10, schedule=schedule)
    np.testing.assert_allclose(trajectory.lrs, [schedule(t) for t in range(10)])
    np.testing.assert_allclose(trajectory.lrs, 0.5 * 0.9 ** np.arange(10), rtol=1e-12)


# ----------------------------------------------------------------------------- record and feed
from descent.optim import AdaGrad, RMSProp  # noqa: E402
from descent.runner import feed  # noqa: E402


def test_record_keeps_one_row_per_step():
    optimizer = AdaGrad(lr=0.3)
    trajectory = run(Quadratic([1.0, 10.0]), optimizer, 20,
                     record=lambda opt: opt.state["theta"]["sum"].copy())
    assert trajectory.records.shape == (20, 2)
    grads = Quadratic([1.0, 10.0]).grad(trajectory.path[:-1])
    np.testing.assert_allclose(trajectory.records, np.cumsum(grads**2, axis=0), rtol=1e-12)
    assert run(Quadratic([1.0]), SGD(lr=0.1), 5).records is None
    scalars = run(Quadratic([1.0]), SGD(lr=0.1), 5, record=lambda opt: opt.lr)
    np.testing.assert_array_equal(scalars.records, np.full(5, 0.1))


def test_records_after_a_divergence_are_nan():
    trajectory = run(Quadratic1D(curvature=1.0, start=1.0), SGD(lr=3.0), 200, record=lambda opt: opt.lr)
    assert trajectory.diverged
    taken = trajectory.diverged_at
    assert np.all(np.isfinite(trajectory.records[:taken])) and np.all(np.isnan(trajectory.records[taken:]))


def test_feed_applies_the_given_gradients():
    gradients = np.array([[1.0, -2.0], [0.5, 0.5], [0.0, 1.0]])
    trajectory = feed(SGD(lr=0.1), gradients, start=[1.0, 1.0])
    expected = np.array([1.0, 1.0]) - 0.1 * np.vstack([np.zeros(2), np.cumsum(gradients, axis=0)])
    np.testing.assert_allclose(trajectory.path, expected, rtol=1e-15)
    np.testing.assert_allclose(trajectory.losses[:-1], np.einsum("ij,ij->i", gradients, expected[:-1]))
    assert np.isnan(trajectory.losses[-1]) and not trajectory.diverged
    np.testing.assert_array_equal(trajectory.lrs, [0.1, 0.1, 0.1])
    one = feed(RMSProp(lr=0.01), [1.0, 1.0], record=lambda opt: opt.state["theta"]["square_avg"][0])
    assert one.path.shape == (3, 1) and one.path[0, 0] == 0.0
    np.testing.assert_allclose(one.records, [0.01, 0.01 * 0.99 + 0.01])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: feed(SGD(lr=0.1), []), ValueError, "gradients"),
        (lambda: feed(SGD(lr=0.1), [1.0, np.nan]), ValueError, "finite"),
        (lambda: feed(SGD(lr=0.1), [[1.0, 2.0]], start=[1.0]), ValueError, "start"),
        (lambda: feed(object(), [1.0]), TypeError, "optimizer"),
        (lambda: feed(SGD(lr=0.1), [1.0], record=3), TypeError, "record"),
        (lambda: run(Quadratic([1.0]), SGD(lr=0.1), 3, record="sum"), TypeError, "record"),
        (lambda: run(Quadratic([1.0]), SGD(lr=0.1), 3,
                     record=lambda opt: np.zeros(int(opt.state["theta"]["step"]))), ValueError, "one shape"),
    ],
)
def test_feed_and_record_refuse_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
