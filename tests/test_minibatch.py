"""Tests for descent.training: the training loop against hand-written loops, and the batches of an epoch."""

import itertools
import warnings

import numpy as np
import pytest

from descent import schedules
from descent.data import load
from descent.training import epoch_batches, replacement_batches, train
from descent.models import LeastSquares, LogisticRegression
from descent.optim import SGD, Adam, Momentum
from descent.runner import run


@pytest.fixture(scope="module")
def cancer():
    return load("breast_cancer")


@pytest.fixture(scope="module")
def model(cancer):
    return LogisticRegression(cancer.X_train[:60, :4], cancer.y_train[:60], l2=0.01)


def hand_written(model, lr, batch_size, epochs, seed, start=None):
    """Mini-batch SGD written out directly: the loop the course teaches."""
    theta = np.zeros(model.dim) if start is None else np.array(start, dtype=float)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(model.n)
        for i in range(0, model.n, batch_size):
            theta = theta - lr * model.grad(theta, order[i : i + batch_size])
    return theta


@pytest.mark.parametrize("batch_size", [1, 7, 60])
def test_train_with_sgd_equals_the_hand_written_loop(model, batch_size):
    result = train(model, SGD(lr=0.3), epochs=3, batch_size=batch_size, seed=11)
    np.testing.assert_allclose(result.theta, hand_written(model, 0.3, batch_size, 3, 11), rtol=0, atol=1e-13)
    steps_per_epoch = -(-model.n // batch_size)
    assert result.steps_per_epoch == steps_per_epoch
    assert result.steps[-1] == 3 * steps_per_epoch and len(result.lrs) == 3 * steps_per_epoch
    assert result.examples[-1] == 3 * model.n
    np.testing.assert_allclose(result.epochs[-1], 3.0)


def test_full_batch_is_gradient_descent_as_the_runner_runs_it(model):
    epochs = 25
    result = train(model, SGD(lr=0.5), epochs=epochs, batch_size=model.n)
    trajectory = run(model, SGD(lr=0.5), steps=epochs)
    np.testing.assert_allclose(result.path, trajectory.path, rtol=0, atol=1e-13)
    np.testing.assert_allclose(result.losses, trajectory.losses, rtol=1e-13)
    np.testing.assert_allclose(result.epoch_losses, result.losses)


def test_stateful_optimizers_keep_their_state_across_batches(model):
    result = train(model, Momentum(lr=0.1, momentum=0.9), epochs=2, batch_size=5, seed=2)
    theta, velocity = np.zeros(model.dim), np.zeros(model.dim)
    rng = np.random.default_rng(2)
    for t, batch in enumerate(itertools.chain(*(epoch_batches(model.n, 5, rng) for _ in range(2)))):
        g = model.grad(theta, batch)
        velocity = g if t == 0 else 0.9 * velocity + g  # torch's heavy ball: the first buffer is g itself
        theta = theta - 0.1 * velocity
    np.testing.assert_allclose(result.theta, theta, rtol=0, atol=1e-13)
    assert np.all(np.isfinite(train(model, Adam(lr=0.01), epochs=2, batch_size=8).losses))


def test_same_seed_same_run_other_seed_other_run(model):
    a = train(model, SGD(lr=0.2), epochs=2, batch_size=4, seed=0)
    b = train(model, SGD(lr=0.2), epochs=2, batch_size=4, seed=0)
    c = train(model, SGD(lr=0.2), epochs=2, batch_size=4, seed=1)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.allclose(a.theta, c.theta)


def test_epoch_batches_partition_the_examples():
    batches = epoch_batches(10, 4, np.random.default_rng(0))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))
    np.testing.assert_array_equal(np.concatenate(batches), np.random.default_rng(0).permutation(10))


def test_schedules_drive_the_rate_per_step_or_per_epoch(model):
    schedule = schedules.inverse_time(0.5, decay_rate=0.1)
    per_step = train(model, SGD(lr=99.0), epochs=2, batch_size=6, schedule=schedule)
    np.testing.assert_allclose(per_step.lrs, [schedule(t) for t in range(20)])
    per_epoch = train(model, SGD(lr=99.0), epochs=3, batch_size=6, schedule=schedule, schedule_unit="epoch")
    np.testing.assert_allclose(per_epoch.lrs, np.repeat([schedule(e) for e in range(3)], 10))
    without = train(model, SGD(lr=0.05), epochs=1, batch_size=6)
    np.testing.assert_allclose(without.lrs, 0.05)


def test_records_full_losses_at_recorded_points_and_every_epoch_end(model, cancer):
    val = LogisticRegression(cancer.X_val[:, :4], cancer.y_val, l2=0.01)
    result = train(model, SGD(lr=0.2), epochs=3, batch_size=1, record_every=7, val_model=val)
    # Every 7th step and the end of every epoch (steps 60, 120, 180) are recorded.
    expected_steps = sorted({0, *range(7, 181, 7), 60, 120, 180})
    assert result.steps.tolist() == expected_steps
    np.testing.assert_array_equal(result.examples, result.steps)  # B = 1: one example per step
    for theta, loss in zip(result.path, result.losses):
        assert loss == pytest.approx(model.value(theta), rel=1e-12)
    at_epoch_ends = [result.losses[result.steps.tolist().index(s)] for s in (0, 60, 120, 180)]
    np.testing.assert_allclose(result.epoch_losses, at_epoch_ends)
    np.testing.assert_allclose(result.val_losses[-1], val.value(result.theta))
    assert result.min_value == pytest.approx(model.min_value)
    np.testing.assert_allclose(result.gaps, result.losses - model.min_value)
    # The floor over the last epoch: the mean of the points recorded after step 120.
    assert result.final_loss(1) == pytest.approx(np.mean(result.losses[result.steps > 120]))
    assert result.final_loss(3) == pytest.approx(np.mean(result.losses[1:]))


def test_a_diverging_run_stops_quietly_with_finite_records(cancer):
    data = load("diabetes")
    model = LeastSquares.from_dataset(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(model, SGD(lr=5.0), epochs=20, batch_size=1)
    assert result.diverged and result.diverged_at is not None
    assert result.steps[-1] < result.diverged_at <= 20 * model.n
    assert np.all(np.isfinite(result.path)) and np.all(np.isfinite(result.losses))
    assert result.final_loss() == float("inf")
    fine = train(model, SGD(lr=0.01), epochs=2, batch_size=1)
    assert not fine.diverged and fine.diverged_at is None


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"batch_size": 0}, ValueError, r"batch_size must be in 1\.\.60"),
        ({"batch_size": 61}, ValueError, "batch_size"),
        ({"batch_size": 2.0}, TypeError, "batch_size"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"record_every": 0}, ValueError, "record_every"),
        ({"schedule": 0.1}, TypeError, "schedule"),
        ({"schedule_unit": "batch"}, ValueError, "schedule_unit"),
        ({"seed": "zero"}, TypeError, "seed"),
        ({"start": np.zeros(3)}, ValueError, r"start must have shape \(5,\)"),
        ({"start": np.full(5, np.nan)}, ValueError, "finite"),
    ],
)
def test_bad_training_arguments_are_named(model, kwargs, error, words):
    arguments = {"epochs": 1, "batch_size": 4, **kwargs}
    with pytest.raises(error, match=words):
        train(model, SGD(lr=0.1), **arguments)


def test_bad_model_and_optimizer_arguments(model):
    with pytest.raises(TypeError, match="optimizer"):
        train(model, "sgd", epochs=1, batch_size=1)
    with pytest.raises(TypeError, match="model"):
        train(object(), SGD(lr=0.1), epochs=1, batch_size=1)
    with pytest.raises(TypeError, match="Generator"):
        epoch_batches(10, 2, rng=0)


def test_valid_prefix_stops_at_the_first_blown_up_or_non_finite_point():
    from descent.training import valid_prefix

    points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    assert valid_prefix(points, np.array([1.0, 2.0, 3.0, 4.0]), limit=10.0) == 4
    assert valid_prefix(points, np.array([1.0, 20.0, 3.0, 4.0]), limit=10.0) == 1      # above the limit
    assert valid_prefix(points, np.array([1.0, 2.0, np.nan, 4.0]), limit=10.0) == 2    # a nan loss
    points[3, 1] = np.inf
    assert valid_prefix(points, np.array([1.0, 2.0, 3.0, 4.0]), limit=10.0) == 3       # an infinite parameter


def replay(model, lr, batch_size, epochs, seed, make_batches):
    """Plain SGD stepped through the batches ``make_batches(n, B, rng)`` gives, epoch after epoch."""
    params = {"theta": np.zeros(model.dim)}
    optimizer, rng = SGD(lr=lr), np.random.default_rng(seed)
    for _ in range(epochs):
        for batch in make_batches(model.n, batch_size, rng):
            optimizer.step(params, {"theta": model.grad(params["theta"], batch)})
    return params["theta"]


@pytest.mark.parametrize("batch_size", [1, 7])
def test_reshuffling_stays_the_default_and_bit_identical(model, batch_size):
    default = train(model, SGD(lr=0.3), epochs=3, batch_size=batch_size, seed=5)
    explicit = train(model, SGD(lr=0.3), epochs=3, batch_size=batch_size, seed=5, sampling="reshuffle")
    np.testing.assert_array_equal(default.path, explicit.path)
    np.testing.assert_array_equal(default.theta, replay(model, 0.3, batch_size, 3, 5, epoch_batches))


@pytest.mark.parametrize("batch_size", [1, 7])
def test_sampling_with_replacement_steps_on_independent_uniform_draws(model, batch_size):
    result = train(model, SGD(lr=0.3), epochs=3, batch_size=batch_size, seed=5, sampling="replacement")
    np.testing.assert_array_equal(result.theta, replay(model, 0.3, batch_size, 3, 5, replacement_batches))
    # the same clock as reshuffling: ceil(n / B) steps and n examples per epoch
    assert result.steps[-1] == 3 * -(-model.n // batch_size) and result.examples[-1] == 3 * model.n
    assert not np.allclose(result.theta, train(model, SGD(lr=0.3), epochs=3, batch_size=batch_size, seed=5).theta)


def test_replacement_batches_repeat_and_miss_examples():
    batches = replacement_batches(1000, 64, np.random.default_rng(0))
    assert [len(b) for b in batches] == [64] * 15 + [40]
    drawn = np.concatenate(batches)
    np.testing.assert_array_equal(drawn, np.random.default_rng(0).integers(0, 1000, size=1000))
    # about 1/e of the examples are missed by n draws with replacement
    assert abs(1000 - len(np.unique(drawn)) - 1000 / np.e) < 40
    with pytest.raises(ValueError, match="sampling must be one of 'reshuffle', 'replacement'"):
        train(LeastSquares(np.eye(3), np.ones(3)), SGD(lr=0.1), epochs=1, batch_size=1, sampling="random")


