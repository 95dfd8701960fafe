"""descent.optim.counting.CountingSGD: the update rule written out step by step, its per-feature clock on
sparse features, state_dict round trip, and clear errors."""

import numpy as np
import pytest

from descent.models import sparse_regression
from descent.optim import AdaGrad
from descent.optim.counting import CountingSGD
from descent.training import train


def counting_loop(gradients, theta0, lr):
    """The rule of the docstring, one step at a time: c += [g != 0]; theta -= lr g / sqrt(1 + c)."""
    theta, count, path = np.array(theta0, dtype=float), np.zeros(len(theta0)), []
    for g in gradients:
        count = count + (g != 0)
        theta = theta - lr * g / np.sqrt(1 + count)
        path.append(theta.copy())
    return np.array(path)


def test_steps_equal_the_rule_written_out():
    rng = np.random.default_rng(0)
    gradients = rng.normal(size=(50, 4)) * (rng.random((50, 4)) < [0.9, 0.5, 0.1, 0.02])
    optimizer, theta, path = CountingSGD(lr=0.3), np.ones(4), []
    for g in gradients:
        optimizer.step({"theta": theta}, {"theta": g})
        path.append(theta.copy())
    assert np.allclose(path, counting_loop(gradients, np.ones(4), 0.3), rtol=1e-14, atol=0)
    assert np.array_equal(optimizer.state["theta"]["count"], (gradients != 0).sum(axis=0))


def test_a_coordinate_whose_gradients_are_all_one_steps_by_lr_over_sqrt_of_one_plus_t():
    optimizer, theta = CountingSGD(lr=1.0), np.zeros(1)
    steps = []
    for t in range(1, 101):
        before = theta.copy()
        optimizer.step({"theta": theta}, {"theta": np.ones(1)})
        steps.append(before[0] - theta[0])
    assert np.allclose(steps, 1 / np.sqrt(1 + np.arange(1, 101)), rtol=1e-14)


def test_rare_features_keep_larger_rates_on_a_sparse_problem():
    problem = sparse_regression(np.geomspace(0.5, 0.001, 10), n=10_000, seed=0)
    optimizer = CountingSGD(lr=1.0)
    train(problem.model, optimizer, epochs=1, batch_size=10, seed=1, record_every=1000)
    count = optimizer.state["theta"]["count"]
    assert np.all(np.diff(count) <= 0) and count[0] > 10 * count[-1]   # commonest seen most often
    assert count[0] <= 1000 and count[-1] >= 1                          # at most one per batch (1000 batches)
    # unlike AdaGrad, the count ignores the size of the gradients: scaling them changes the steps linearly
    a, b = np.ones(3), np.ones(3)
    small, large = CountingSGD(lr=0.1), CountingSGD(lr=0.1)
    small.step({"theta": a}, {"theta": np.full(3, 1e-3)})
    large.step({"theta": b}, {"theta": np.full(3, 1.0)})
    assert np.allclose((1 - b) / (1 - a), 1000, rtol=1e-12)
    c = np.ones(3)
    AdaGrad(lr=0.1).step({"theta": c}, {"theta": np.full(3, 1e-3)})
    assert np.allclose(1 - c, 0.1, rtol=1e-6)


def test_state_dict_round_trip_continues_identically():
    rng = np.random.default_rng(1)
    gradients = rng.normal(size=(20, 3)) * (rng.random((20, 3)) < 0.5)
    first, theta = CountingSGD(lr=0.2), np.zeros(3)
    for g in gradients[:10]:
        first.step({"theta": theta}, {"theta": g})
    second, copy = CountingSGD(lr=0.2), theta.copy()
    second.load_state_dict(first.state_dict())
    for g in gradients[10:]:
        first.step({"theta": theta}, {"theta": g})
        second.step({"theta": copy}, {"theta": g})
    assert np.array_equal(theta, copy)


def test_bad_learning_rate_is_refused_by_name():
    with pytest.raises(ValueError, match="lr"):
        CountingSGD(lr=-1.0)
    with pytest.raises(TypeError):
        CountingSGD(lr=0.1).step({"theta": np.zeros(2, dtype=int)}, {"theta": np.zeros(2, dtype=int)})
