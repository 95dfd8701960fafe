"""descent.training.fit's diagnostics: the epochs at which a plateau rule lowered the rate, and the
update-to-weight ratio of every step, each checked against a replay or a hand-written loop."""

from __future__ import annotations

import numpy as np
import pytest

from descent.data import load
from descent.models import MLP
from descent.optim import SGD, Adam, Momentum
from descent.schedules import ReduceLROnPlateau
from descent.training import epoch_batches, fit


@pytest.fixture(scope="module")
def small():
    data = load("digits", seed=1)
    return (data.X_train[:150], data.y_train[:150]), (data.X_val[:60], data.y_val[:60])


def replayed_reductions(metrics, **kwargs):
    """The epochs after which a fresh plateau rule, fed ``metrics``, lowers its rate."""
    rule = ReduceLROnPlateau(**kwargs)
    fired = []
    for epoch, metric in enumerate(metrics):
        before = rule.lr
        if rule.step(metric) < before:
            fired.append(epoch)
    return tuple(fired)


@pytest.mark.parametrize("kwargs", [
    dict(lr0=0.3, factor=0.5, patience=1, threshold=0.0),
    dict(lr0=0.3, factor=0.5, patience=0, cooldown=2),
    dict(lr0=0.3, factor=0.1, patience=1, min_lr=0.01),
])
def test_plateau_reductions_are_the_epochs_the_rule_fires_at(kwargs):
    digits = load("digits")
    net = MLP([64, 32, 10])
    history = fit(net, net.init(0), SGD(lr=1.0), digits, epochs=20, batch_size=64,
                  plateau=ReduceLROnPlateau(**kwargs), seed=3)
    expected = replayed_reductions(history.val_loss, **kwargs)
    assert history.plateau_reductions == expected
    assert len(expected) >= 2, history.lr  # the rule fired, so the test is not vacuous
    # the epoch after each reduction runs at a lower rate, and the rate changes nowhere else
    drops = tuple(int(e) for e in np.flatnonzero(np.diff(history.lr) < 0))
    assert drops == tuple(e for e in expected if e + 1 < history.n_epochs)
    assert np.all(np.diff(history.lr) <= 0)


def test_no_plateau_rule_no_reductions(small):
    net = MLP([64, 10])
    history = fit(net, net.init(0), SGD(lr=0.1), small, epochs=3, batch_size=30)
    assert history.plateau_reductions == ()
    assert history.update_ratio is None


def hand_written_ratios(net, params, optimizer, train, epochs, batch_size, seed):
    (X, y) = train
    rng = np.random.default_rng(seed)
    ratios = {key: [] for key in params if key.startswith("W")}
    for _ in range(epochs):
        for batch in epoch_batches(len(y), batch_size, rng):
            _, grads = net.loss_and_grad(params, X[batch], y[batch])
            before = {key: params[key].copy() for key in ratios}
            optimizer.step(params, grads)
            for key in ratios:
                ratios[key].append(np.linalg.norm(params[key] - before[key]) / np.linalg.norm(before[key]))
    return {key: np.array(values) for key, values in ratios.items()}


@pytest.mark.parametrize("make_optimizer", [lambda: SGD(lr=0.1), lambda: Momentum(lr=0.05, momentum=0.9),
                                            lambda: Adam(lr=3e-3)])
def test_update_ratio_is_the_step_over_the_weights(small, make_optimizer):
    net = MLP([64, 20, 10])
    history = fit(net, net.init(2), make_optimizer(), small, epochs=3, batch_size=32, seed=7,
                  record_update_ratio=True)
    expected = hand_written_ratios(net, net.init(2), make_optimizer(), small[0], 3, 32, 7)
    assert set(history.update_ratio) == {"W1", "W2"}  # weights only: the biases start at zero
    for key, values in expected.items():
        assert history.update_ratio[key].shape == (len(history.step_lr),) == values.shape
        np.testing.assert_allclose(history.update_ratio[key], values, rtol=1e-10)


def test_update_ratio_of_plain_sgd_is_the_rate_times_the_gradient_over_the_weights(small):
    net = MLP([64, 10])
    params = net.init(0)
    X, y = small[0]
    start = {key: value.copy() for key, value in params.items()}
    history = fit(net, params, SGD(lr=0.05), small, epochs=1, batch_size=150, record_update_ratio=True)
    _, grads = net.loss_and_grad(start, X[np.random.default_rng(0).permutation(150)], y[np.random.default_rng(0).permutation(150)])
    expected = 0.05 * np.linalg.norm(grads["W1"]) / np.linalg.norm(start["W1"])
    assert history.update_ratio["W1"][0] == pytest.approx(expected, rel=1e-10)


def test_update_ratio_grows_with_the_rate_and_float32_is_recorded_in_float64(small):
    net = MLP([64, 20, 10])
    slow = fit(net, net.init(0, dtype=np.float32), SGD(lr=0.01), small, epochs=1, batch_size=30, record_update_ratio=True)
    fast = fit(net, net.init(0, dtype=np.float32), SGD(lr=0.1), small, epochs=1, batch_size=30, record_update_ratio=True)
    # the first step is the same gradient scaled by the rate
    assert fast.update_ratio["W1"][0] == pytest.approx(10 * slow.update_ratio["W1"][0], rel=1e-4)
    assert fast.update_ratio["W1"].dtype == np.float64


def test_the_history_with_diagnostics_compares_bit_for_bit(small):
    net = MLP([64, 20, 10])
    runs = [fit(net, net.init(0), SGD(lr=0.1), small, epochs=2, batch_size=30, record_update_ratio=True,
                plateau=ReduceLROnPlateau(0.1, patience=0)) for _ in range(2)]
    assert runs[0].equal(runs[1])
    runs[1].update_ratio["W1"][0] += 1.0
    assert not runs[0].equal(runs[1])


def test_record_update_ratio_must_be_a_flag(small):
    net = MLP([64, 10])
    with pytest.raises((TypeError, ValueError), match="record_update_ratio"):
        fit(net, net.init(0), SGD(lr=0.1), small, epochs=1, batch_size=30, record_update_ratio="yes")
