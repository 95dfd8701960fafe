"""descent.training.fit_stacked: each run of the stack is the run fit makes alone (the fast path's
test), whatever stops it; the stacked MLP computation equals the one-network one; bad input."""

from __future__ import annotations

import numpy as np
import pytest

from descent import optim
from descent.data import load
from descent.models import MLP
from descent.schedules import cosine, multistep
from descent.training import EarlyStopping, fit, fit_stacked

#: Relative agreement required between a stacked run and the same run made alone. The two do the
#: same operations on the same numbers, so on one machine they agree bit for bit; the tolerance
#: leaves room for a BLAS kernel that rounds an axpy differently at the end of a long array than
#: in its middle, and is still a billion times smaller than any real difference.
RTOL = 1e-12


@pytest.fixture(scope="module")
def small():
    """200 training and 80 validation digits: enough for early stopping to fire."""
    data = load("digits", seed=3)
    return (data.X_train[:200], data.y_train[:200]), (data.X_val[:80], data.y_val[:80])


def assert_same_run(stacked, alone):
    """Two histories recorded the same run: counts and flags exactly, numbers to RTOL."""
    assert stacked.n_epochs == alone.n_epochs
    assert stacked.steps.tolist() == alone.steps.tolist()
    assert len(stacked.step_loss) == len(alone.step_loss)
    for name in ("best_epoch", "stopped_early", "restored_best", "diverged", "message"):
        assert getattr(stacked, name) == getattr(alone, name), name
    if alone.diverged:
        assert {k: v for k, v in stacked.diverged_at.items() if k != "loss"} == \
               {k: v for k, v in alone.diverged_at.items() if k != "loss"}
    np.testing.assert_array_equal(stacked.val_accuracy, alone.val_accuracy)
    for name in ("train_loss", "val_loss", "lr", "step_loss", "step_lr"):
        np.testing.assert_allclose(getattr(stacked, name), getattr(alone, name), rtol=RTOL, err_msg=name)
    np.testing.assert_allclose(stacked.start_val_loss, alone.start_val_loss, rtol=RTOL)


def assert_same_params(ours, theirs):
    for key in theirs:
        scale = np.max(np.abs(theirs[key][np.isfinite(theirs[key])]), initial=1.0)
        np.testing.assert_allclose(ours[key], theirs[key], rtol=RTOL, atol=RTOL * scale, err_msg=key)


CASES = [
    ("SGD", {"lr": 0.1}, None, None),
    ("Momentum", {"lr": 0.05}, "cosine", None),
    ("Nesterov", {"lr": 0.05}, None, 2),
    ("AdaGrad", {"lr": 0.03}, None, None),
    ("RMSProp", {"lr": 3e-3, "centered": True, "momentum": 0.5}, None, 2),
    ("Adadelta", {"lr": 1.0}, "multistep", None),
    ("Adam", {"lr": 3e-3, "amsgrad": True, "weight_decay": 1e-3}, None, 1),
    ("AdamW", {"lr": 3e-3}, "cosine", 2),
    ("AdaMax", {"lr": 1e-2}, None, None),
    ("NAdam", {"lr": 1e-2}, None, 1),
    ("RAdam", {"lr": 3e-2, "decoupled_weight_decay": True, "weight_decay": 1e-2}, "multistep", None),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name, hyperparameters, schedule, patience", CASES, ids=[case[0] for case in CASES])
def test_every_run_of_the_stack_is_the_run_fit_makes(small, name, hyperparameters, schedule, patience, dtype):
    net = MLP([64, 16, 10])
    seeds, epochs = [4, 0, 9], 6
    make = lambda: getattr(optim, name)(**hyperparameters)  # noqa: E731
    rule = {None: None, "cosine": cosine(hyperparameters["lr"], T_max=epochs),
            "multistep": multistep(hyperparameters["lr"], milestones=[2, 4])}[schedule]
    unit = "epoch" if schedule == "multistep" else "step"
    stopper = (lambda: EarlyStopping(patience=patience)) if patience else (lambda: None)
    ours = [net.init(seed + 1, dtype=dtype) for seed in seeds]
    histories = fit_stacked(net, ours, make(), small, seeds=seeds, epochs=epochs, batch_size=32, schedule=rule,
                            schedule_unit=unit, early_stopping=stopper())
    rtol = RTOL if dtype == np.float64 else None
    for seed, history, params in zip(seeds, histories, ours):
        theirs = net.init(seed + 1, dtype=dtype)
        alone = fit(net, theirs, make(), small, epochs=epochs, batch_size=32, schedule=rule, schedule_unit=unit,
                    early_stopping=stopper(), seed=seed)
        if rtol is not None:
            assert_same_run(history, alone)
            assert_same_params(params, theirs)
        else:  # float32: the same run, rounded alike on one machine; compared loosely across kernels
            assert history.n_epochs == alone.n_epochs and history.best_epoch == alone.best_epoch
            np.testing.assert_allclose(history.val_loss, alone.val_loss, rtol=1e-4)
        assert params[next(iter(params))].dtype == dtype


def test_early_stopping_fires_for_some_runs_and_not_others(small):
    """Runs of one stack stop at different epochs; each keeps its own best parameters."""
    net = MLP([64, 16, 10])
    seeds = [0, 1, 2, 3]
    ours = [net.init(s) for s in seeds]
    histories = fit_stacked(net, ours, optim.SGD(lr=0.4), small, seeds=seeds, epochs=30, batch_size=16,
                            early_stopping=EarlyStopping(patience=2))
    assert len({h.n_epochs for h in histories}) > 1  # they did stop at different epochs
    for seed, history, params in zip(seeds, histories, ours):
        theirs = net.init(seed)
        alone = fit(net, theirs, optim.SGD(lr=0.4), small, epochs=30, batch_size=16,
                    early_stopping=EarlyStopping(patience=2), seed=seed)
        assert_same_run(history, alone)
        assert_same_params(params, theirs)


def test_a_run_whose_loss_is_not_finite_stops_alone(small):
    """One run starts with a NaN weight: its first loss is NaN, it stops before any step (as fit
    stops it), and the NaN stays in its own networks: the other runs train on as if alone."""
    net = MLP([64, 16, 10])
    seeds = [0, 1, 2]

    def start(i):
        params = net.init(seeds[i])
        if i == 1:
            params["W2"][3, 4] = np.nan
        return params

    ours = [start(i) for i in range(3)]
    histories = fit_stacked(net, ours, optim.Adam(lr=1e-2), small, seeds=seeds, epochs=3, batch_size=32)
    assert [h.diverged for h in histories] == [False, True, False]
    assert histories[1].diverged_at["step"] == 0 and histories[1].n_epochs == 0
    for i, (history, params) in enumerate(zip(histories, ours)):
        theirs = start(i)
        alone = fit(net, theirs, optim.Adam(lr=1e-2), small, epochs=3, batch_size=32, seed=seeds[i])
        assert_same_run(history, alone)
        assert_same_params(params, theirs)


def test_the_stacked_network_computes_each_network_as_alone():
    net = MLP([7, 5, 4, 3], activation="tanh")
    rng = np.random.default_rng(0)
    stack = {key: np.stack([net.init(s)[key] for s in range(3)]) for key in net.shapes}
    X = rng.normal(size=(3, 6, 7))
    y = rng.integers(0, 3, size=(3, 6))
    losses, grads = net._loss_and_grad(stack, X, y)
    assert losses.shape == (3,)
    for i in range(3):
        loss, alone = net.loss_and_grad({k: v[i] for k, v in stack.items()}, X[i], y[i])
        assert losses[i] == pytest.approx(float(loss), rel=1e-14)
        for key in alone:
            np.testing.assert_allclose(grads[key][i], alone[key], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(
    "change, error, words",
    [
        (dict(params=[]), ValueError, "non-empty"),
        (dict(seeds=[0]), ValueError, "one seed per run"),
        (dict(seeds="01"), ValueError, "seeds"),
        (dict(seeds=[0, -1]), ValueError, "seeds\\[1\\]"),
        (dict(batch_size=10_000), ValueError, "batch_size"),
        (dict(epochs=0), ValueError, "epochs"),
        (dict(schedule_unit="batch"), ValueError, "schedule_unit"),
        (dict(early_stopping=EarlyStopping(mode="max")), ValueError, "mode"),
    ],
)
def test_bad_input_is_refused_naming_it(small, change, error, words):
    net = MLP([64, 8, 10])
    arguments = dict(params=[net.init(0), net.init(1)], seeds=[0, 1], epochs=1, batch_size=32)
    arguments.update(change)
    params = arguments.pop("params")
    with pytest.raises(error, match=words):
        fit_stacked(net, params, optim.SGD(lr=0.1), small, **arguments)


def test_mixed_dtypes_and_a_used_optimizer_are_refused(small):
    net = MLP([64, 8, 10])
    with pytest.raises(ValueError, match="same dtype"):
        fit_stacked(net, [net.init(0), net.init(1, dtype=np.float32)], optim.SGD(lr=0.1), small, seeds=[0, 1],
                    epochs=1, batch_size=32)
    used = optim.Adam(lr=1e-3)
    params = net.init(0)
    used.step(params, {k: np.zeros_like(v) for k, v in params.items()})
    with pytest.raises(ValueError, match="fresh"):
        fit_stacked(net, [net.init(0)], used, small, seeds=[0], epochs=1, batch_size=32)
