"""descent.training.train_sgd, the fast path of plain SGD, gives what descent.training.train gives."""

import numpy as np
import pytest

from descent import schedules
from descent.data import load
from descent.models import LeastSquares, LogisticRegression
from descent.optim import SGD
from descent.training import train, train_sgd


@pytest.fixture(scope="module")
def cancer():
    return load("breast_cancer")


def models(cancer):
    """A logistic regression with and without penalty and intercept, and a least-squares model."""
    return {
        "logistic, 2 features": LogisticRegression(cancer.X_train[:, :2], cancer.y_train, fit_intercept=False),
        "logistic, penalty and intercept": LogisticRegression(cancer.X_train[:80, :5], cancer.y_train[:80], l2=0.1),
        "least squares": LeastSquares(cancer.X_train[:50, :3], cancer.X_train[:50, 3], l2=0.01),
    }


def assert_same_result(result, expected):
    assert (result.diverged, result.diverged_at) == (expected.diverged, expected.diverged_at)
    assert (result.batch_size, result.n, result.min_value) == (expected.batch_size, expected.n, expected.min_value)
    for field in ("steps", "examples", "lrs"):
        np.testing.assert_array_equal(getattr(result, field), getattr(expected, field), err_msg=field)
    for field in ("path", "losses", "epoch_losses"):
        np.testing.assert_allclose(getattr(result, field), getattr(expected, field), rtol=1e-12, atol=1e-12,
                                   err_msg=field)


@pytest.mark.parametrize("name", ["logistic, 2 features", "logistic, penalty and intercept", "least squares"])
@pytest.mark.parametrize("batch_size", [1, 7, 32])
@pytest.mark.parametrize("decay", [False, True])
def test_train_sgd_is_train_with_sgd(cancer, name, batch_size, decay):
    model = models(cancer)[name]
    schedule = schedules.inverse_time(0.2, decay_rate=1.0, decay_steps=10) if decay else None
    arguments = dict(epochs=3, batch_size=batch_size, schedule=schedule, seed=4, record_every=3)
    assert_same_result(train_sgd(model, 0.2, **arguments), train(model, SGD(lr=0.2), **arguments))


@pytest.mark.parametrize("batch_size", [1, 5])
def test_a_diverging_run_stops_where_train_stops(cancer, batch_size):
    model = models(cancer)["least squares"]
    with np.errstate(all="raise"):  # no floating-point warning may escape
        result = train_sgd(model, 40.0, epochs=20, batch_size=batch_size)
    expected = train(model, SGD(lr=40.0), epochs=20, batch_size=batch_size)
    assert result.diverged
    assert_same_result(result, expected)


def test_a_start_a_plain_function_as_schedule_and_full_batches(cancer):
    model = models(cancer)["logistic, penalty and intercept"]
    start = np.linspace(-0.3, 0.3, model.dim)

    def halving(t):
        return 0.4 * 0.5 ** (t // 30)

    arguments = dict(epochs=4, batch_size=model.n, schedule=halving, start=start)
    assert_same_result(train_sgd(model, 0.4, **arguments), train(model, SGD(lr=0.4), **arguments))
    arguments = dict(epochs=2, batch_size=1, schedule=halving, start=start, seed=9)
    assert_same_result(train_sgd(model, 0.4, **arguments), train(model, SGD(lr=0.4), **arguments))


def test_other_models_go_through_train():
    class Bowl:  # a model of data without the linear models' internals
        n, dim, start = 10, 2, np.array([1.0, -1.0])
        min_value = 0.0

        def value(self, theta, batch=None):
            return 0.5 * np.sum(np.asarray(theta) ** 2, axis=-1)

        def grad(self, theta, batch=None):
            return np.asarray(theta, dtype=float)

    result = train_sgd(Bowl(), 0.1, epochs=2, batch_size=3)
    assert_same_result(result, train(Bowl(), SGD(lr=0.1), epochs=2, batch_size=3))
    np.testing.assert_allclose(result.theta, 0.9 ** 8 * Bowl.start)  # 4 steps an epoch, each times (1 - 0.1)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"lr": -0.1}, ValueError, "lr must be >= 0"),
        ({"lr": "fast"}, TypeError, "lr"),
        ({"batch_size": 0}, ValueError, r"batch_size must be in 1\.\.60"),
        ({"batch_size": 2.0}, TypeError, "batch_size"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"record_every": 0}, ValueError, "record_every"),
        ({"schedule": 0.1}, TypeError, "schedule"),
        ({"seed": "zero"}, TypeError, "seed"),
        ({"start": np.zeros(3)}, ValueError, r"start must have shape \(5,\)"),
    ],
)
def test_bad_arguments_are_named(cancer, kwargs, error, words):
    model = LogisticRegression(cancer.X_train[:60, :4], cancer.y_train[:60], l2=0.01)
    arguments = {"lr": 0.1, "epochs": 1, "batch_size": 4, **kwargs}
    with pytest.raises(error, match=words):
        train_sgd(model, **arguments)
