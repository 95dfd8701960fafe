"""descent.training.fit: against a hand-written loop, with schedules, reduce-on-plateau and early
stopping, divergence, reproducibility, and the errors bad input gets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from descent.data import load
from descent.models import MLP
from descent.optim import SGD, Adam, Momentum
from descent.schedules import ReduceLROnPlateau, cosine, step_decay
from descent.training import EarlyStopping, History, epoch_batches, fit


@pytest.fixture(scope="module")
def digits():
    return load("digits")


@pytest.fixture(scope="module")
def small():
    """A small problem the hand-written loop can follow: 150 training and 60 validation rows."""
    data = load("digits", seed=1)
    return (data.X_train[:150], data.y_train[:150]), (data.X_val[:60], data.y_val[:60])


def hand_written_loop(net, params, optimizer, train, val, epochs, batch_size, seed, lr_of_step=None):
    """The loop the docstring describes, written out plainly with the public API."""
    (X, y), (X_val, y_val) = train, val
    rng = np.random.default_rng(seed)
    train_losses, val_losses, step = [], [], 0
    for _ in range(epochs):
        total = 0.0
        for batch in epoch_batches(len(y), batch_size, rng):
            if lr_of_step is not None:
                optimizer.lr = lr_of_step(step)
            loss, grads = net.loss_and_grad(params, X[batch], y[batch])
            optimizer.step(params, grads)
            total += float(loss) * len(batch)
            step += 1
        train_losses.append(total / len(y))
        val_losses.append(net.evaluate(params, X_val, y_val)[0])
    return np.array(train_losses), np.array(val_losses)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("make_optimizer", [lambda: SGD(lr=0.1), lambda: Momentum(lr=0.05, momentum=0.9), lambda: Adam(lr=3e-3)])
def test_fit_equals_the_hand_written_loop(small, make_optimizer, dtype):
    net = MLP([64, 20, 10])
    ours, theirs = net.init(2, dtype=dtype), net.init(2, dtype=dtype)
    history = fit(net, ours, make_optimizer(), small, epochs=4, batch_size=32, seed=7)
    X, y = small[0]
    train = (X.astype(dtype), y)
    val = (small[1][0].astype(dtype), small[1][1])
    train_losses, val_losses = hand_written_loop(net, theirs, make_optimizer(), train, val, 4, 32, 7)
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=rtol, atol=rtol * np.max(np.abs(theirs[key])))
    np.testing.assert_allclose(history.train_loss, train_losses, rtol=rtol)
    np.testing.assert_allclose(history.val_loss, val_losses, rtol=rtol)
    assert history.steps.tolist() == [5, 10, 15, 20]  # ceil(150 / 32) = 5 steps an epoch
    assert len(history.step_loss) == len(history.step_lr) == 20
    assert history.val_loss[-1] < history.start_val_loss


def test_a_step_schedule_sets_the_rate_of_every_step(small):
    net = MLP([64, 10])
    schedule = cosine(lr0=0.5, T_max=20)
    history = fit(net, net.init(0), SGD(lr=99.0), small, epochs=4, batch_size=32, schedule=schedule)
    np.testing.assert_array_equal(history.step_lr, schedule(np.arange(20)))
    np.testing.assert_array_equal(history.lr, schedule(np.arange(0, 20, 5)))
    # and the parameters are those of the hand-written loop with the same rates
    theirs = net.init(0)
    hand_written_loop(net, theirs, SGD(lr=99.0), small[0], small[1], 4, 32, 0, lr_of_step=schedule)
    ours = net.init(0)
    fit(net, ours, SGD(lr=99.0), small, epochs=4, batch_size=32, schedule=schedule)
    for key in ours:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-12, atol=1e-14)


def test_an_epoch_schedule_changes_the_rate_once_an_epoch(small):
    net = MLP([64, 10])
    schedule = step_decay(lr0=0.4, step_size=2, gamma=0.5)
    history = fit(net, net.init(0), SGD(lr=1.0), small, epochs=5, batch_size=50,
                  schedule=schedule, schedule_unit="epoch")
    np.testing.assert_array_equal(history.lr, [0.4, 0.4, 0.2, 0.2, 0.1])
    np.testing.assert_array_equal(history.step_lr, np.repeat([0.4, 0.4, 0.2, 0.2, 0.1], 3))


def test_reduce_on_plateau_is_fed_the_validation_loss_and_sets_the_next_epochs_rate(digits):
    net = MLP([64, 32, 10])
    plateau = ReduceLROnPlateau(0.3, factor=0.5, patience=1, threshold=0.0)
    history = fit(net, net.init(0), SGD(lr=123.0), digits, epochs=25, batch_size=64, plateau=plateau, seed=3)
    # Replaying the rule on the recorded validation losses gives the recorded rates, epoch by epoch.
    replay = ReduceLROnPlateau(0.3, factor=0.5, patience=1, threshold=0.0)
    expected = [0.3] + [replay.step(v) for v in history.val_loss[:-1]]
    np.testing.assert_array_equal(history.lr, expected)
    assert plateau.last_epoch == history.n_epochs
    reductions = int(np.sum(np.diff(history.lr) < 0))
    assert reductions >= 2, history.lr  # the rule did fire, so the test is not vacuous
    # every step of an epoch used that epoch's rate
    np.testing.assert_array_equal(history.step_lr, np.repeat(history.lr, np.diff(history.steps, prepend=0)))


def test_plateau_can_watch_the_accuracy(small):
    net = MLP([64, 10])
    plateau = ReduceLROnPlateau(0.1, mode="max", patience=0)
    history = fit(net, net.init(0), SGD(lr=0.1), small, epochs=6, batch_size=30, plateau=plateau,
                  monitor="val_accuracy")
    replay = ReduceLROnPlateau(0.1, mode="max", patience=0)
    np.testing.assert_array_equal(history.lr, [0.1] + [replay.step(a) for a in history.val_accuracy[:-1]])


def test_early_stopping_stops_by_its_rules_and_restores_the_best_parameters(digits):
    net = MLP([64, 64, 10])
    params = net.init(0)
    snapshots = []
    stopper = EarlyStopping(patience=3)
    history = fit(net, params, Adam(lr=0.02), digits, epochs=60, batch_size=32, early_stopping=stopper,
                  callback=lambda epoch, p: snapshots.append({k: v.copy() for k, v in p.items()}))
    assert history.stopped_early and history.restored_best
    best = int(np.argmin(history.val_loss))
    assert history.best_epoch == stopper.best_epoch == best
    assert history.n_epochs == best + 3 + 1  # stopped on the 3rd epoch in a row without improvement
    assert np.all(history.val_loss[best + 1 :] >= history.val_loss[best])
    for key in params:  # the parameters are the best epoch's again
        np.testing.assert_array_equal(params[key], snapshots[best][key])
    assert net.evaluate(params, digits.X_val, digits.y_val)[0] == pytest.approx(history.val_loss[best], rel=1e-12)
    assert "stopped early after epoch" in history.message and f"best val_loss at epoch {best}" in history.message


def test_early_stopping_on_accuracy_and_without_restoring(small):
    net = MLP([64, 10])
    params = net.init(0)
    stopper = EarlyStopping(patience=2, mode="max")
    history = fit(net, params, SGD(lr=0.05), small, epochs=40, batch_size=30, early_stopping=stopper,
                  monitor="val_accuracy", restore_best=False)
    assert not history.restored_best
    assert history.best_epoch == stopper.best_epoch
    assert history.val_accuracy[history.best_epoch] == np.max(history.val_accuracy[: history.best_epoch + 1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_non_finite_loss_stops_the_run_and_says_where(small, dtype):
    """float32 overflows to NaN; float64 would climb to 1e76 first and is stopped by the bound."""
    net = MLP([64, 30, 30, 10])
    params = net.init(0, dtype=dtype)
    history = fit(net, params, SGD(lr=1e4), small, epochs=10, batch_size=30)
    assert history.diverged
    where = history.diverged_at
    assert where["set"] == "training"
    assert not math.isfinite(where["loss"]) or where["loss"] > 1e12 * history.start_val_loss
    assert where["step"] == where["epoch"] * 5 + where["batch"]  # 150 rows in batches of 30
    assert history.n_epochs == where["epoch"]  # the completed epochs are kept
    assert len(history.step_loss) == len(history.step_lr) == where["step"]  # every step before it
    assert np.all(np.isfinite(history.step_loss))
    assert f"epoch {where['epoch']}" in history.message and f"step {where['step']}" in history.message


def test_the_same_seed_gives_the_same_history_bit_for_bit(digits):
    net = MLP([64, 32, 10])
    runs = [fit(net, net.init(1, dtype=np.float32), Adam(lr=1e-3), digits, epochs=3, batch_size=32, seed=5)
            for _ in range(2)]
    assert runs[0].equal(runs[1])
    for name in ("train_loss", "val_loss", "val_accuracy", "lr", "steps", "step_loss", "step_lr"):
        assert np.array_equal(getattr(runs[0], name), getattr(runs[1], name)), name
    other = fit(net, net.init(1, dtype=np.float32), Adam(lr=1e-3), digits, epochs=3, batch_size=32, seed=6)
    assert not runs[0].equal(other)


def test_float32_training_stays_float32(small):
    net = MLP([64, 16, 10])
    params = net.init(0, dtype=np.float32)
    history = fit(net, params, Adam(lr=1e-2), small, epochs=2, batch_size=25)
    assert all(v.dtype == np.float32 for v in params.values())
    assert history.val_loss.dtype == np.float64  # records are plain floats


def test_the_history_is_easy_to_plot_and_to_tabulate(small):
    history = fit(MLP([64, 10]), MLP([64, 10]).init(0), SGD(lr=0.1), small, epochs=3, batch_size=50)
    table = history.as_dict()
    assert list(table) == ["epoch", "train_loss", "val_loss", "val_accuracy", "lr", "time", "steps"]
    assert table["epoch"].tolist() == [1, 2, 3]
    assert all(len(v) == 3 for v in table.values())
    assert np.all(np.diff(history.time) > 0) and history.time[0] > 0
    assert "ran 3 epochs" in repr(history)
    assert isinstance(history, History)


# -- bad input -----------------------------------------------------------------------------


def test_bad_input_raises_value_error_naming_it(small, digits):
    net = MLP([64, 10])
    params = net.init(0)
    (X, y), (X_val, y_val) = small
    cases = [
        (dict(data=small, batch_size=151), "batch_size must be at most the number of training examples, 150; got 151"),
        (dict(data=((X, y), (X_val[:0], y_val[:0])), batch_size=10), r"the validation set is empty \(X_val has no rows\)"),
        (dict(data=((X, np.where(np.arange(150) == 3, 10, y)), (X_val, y_val)), batch_size=10),
         r"training data \(X_train, y_train\): y must hold class labels in \[0, 10\); row 3 is 10"),
        (dict(data=((X[:, :60], y), (X_val, y_val)), batch_size=10), "X must have 64 features"),
        (dict(data=((X, y), (np.where(np.arange(64) == 5, np.nan, X_val), y_val)), batch_size=10),
         r"validation data \(X_val, y_val\): X must contain only finite numbers; row 0"),
        (dict(data=((X, y.astype(float) * np.nan), (X_val, y_val)), batch_size=10), "y must hold class labels"),
        (dict(data=small, batch_size=0), "batch_size must be an integer >= 1"),
        (dict(data=small, batch_size=10, epochs=0), "epochs must be an integer >= 1"),
        (dict(data=small, batch_size=10, schedule=cosine(0.1, 10), plateau=ReduceLROnPlateau(0.1)), "either schedule or plateau"),
        (dict(data=small, batch_size=10, early_stopping=EarlyStopping(mode="max")), "needs mode 'min'"),
        (dict(data=small, batch_size=10, plateau=ReduceLROnPlateau(0.1), monitor="val_accuracy"), "needs mode 'max'"),
        (dict(data=small, batch_size=10, monitor="train_loss"), "monitor must be one of"),
        (dict(data=small, batch_size=10, schedule_unit="batch"), "schedule_unit must be one of"),
        (dict(data="digits", batch_size=10), "data must be a descent.data.Dataset"),
    ]
    for kwargs, words in cases:
        kwargs.setdefault("epochs", 1)
        with pytest.raises(ValueError, match=words):
            fit(net, params, SGD(lr=0.1), **kwargs)
    used = EarlyStopping()
    used.step(1.0)
    with pytest.raises(ValueError, match="fresh EarlyStopping"):
        fit(net, params, SGD(lr=0.1), small, epochs=1, batch_size=10, early_stopping=used)
    with pytest.raises(ValueError, match=r"missing parameter\(s\) \['b1'\]"):
        fit(net, {"W1": params["W1"]}, SGD(lr=0.1), small, epochs=1, batch_size=10)
    with pytest.raises(ValueError, match=r"params\['W1'\] must have shape \(64, 10\)"):
        fit(net, {"W1": np.zeros((10, 64)), "b1": params["b1"]}, SGD(lr=0.1), small, epochs=1, batch_size=10)


def test_a_non_finite_validation_loss_stops_the_run_after_recording_its_epoch(small):
    class BadValidation(MLP):
        """Its validation loss becomes inf on the third evaluation (the start counts as the first)."""

        calls = 0

        def _evaluate(self, params, X, y):
            self.calls += 1
            loss, accuracy = super()._evaluate(params, X, y)
            return (math.inf if self.calls == 3 else loss), accuracy

    net = BadValidation([64, 10])
    history = fit(net, net.init(0), SGD(lr=0.1), small, epochs=5, batch_size=50)
    assert history.diverged and history.n_epochs == 2 and history.val_loss[-1] == math.inf
    assert history.diverged_at == {"epoch": 1, "step": 5, "batch": 2, "set": "validation", "loss": math.inf}
    assert "after epoch 1 (its last step was step 5" in history.message
