"""descent.training.EarlyStopping against its rules, on sequences drawn by hypothesis.

The rules, from the contract: a call improves when its metric is finite and below
best - min_delta (above best + min_delta in "max" mode); the first finite metric always
improves; a non-finite metric never does; training stops on the patience-th consecutive
call without improvement; best, best_epoch (the 0-based index of the improving call) and
best_params (a copy of the arrays passed with that call, or None) are kept.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from descent.training import EarlyStopping

metrics = st.lists(
    st.one_of(
        st.floats(-5, 5, allow_nan=False),
        st.sampled_from([0.0, 1.0, 0.5, 0.25]),  # repeats and exact ties with min_delta
        st.sampled_from([math.nan, math.inf, -math.inf]),
    ),
    max_size=40,
)


def expected_run(values, patience, min_delta, mode):
    """The rules read off the contract, one call at a time: (stop flags, best, best_epoch)."""
    best, best_epoch, bad, flags = None, None, 0, []
    for index, value in enumerate(values):
        better = math.isfinite(value) and (
            best is None or (value < best - min_delta if mode == "min" else value > best + min_delta)
        )
        if better:
            best, best_epoch, bad = value, index, 0
        else:
            bad += 1
        flags.append(bad >= patience)
    return flags, best, best_epoch


@settings(max_examples=300, deadline=None)
@given(metrics, st.integers(1, 6), st.sampled_from([0.0, 0.25, 0.1]), st.sampled_from(["min", "max"]))
def test_every_call_follows_the_rules(values, patience, min_delta, mode):
    stopper = EarlyStopping(patience=patience, min_delta=min_delta, mode=mode)
    flags = [stopper.step(value, {"w": np.array([value, index])}) for index, value in enumerate(values)]
    expected_flags, best, best_epoch = expected_run(values, patience, min_delta, mode)
    assert flags == expected_flags
    assert stopper.best == best and stopper.best_epoch == best_epoch
    assert stopper.calls == len(values)
    if best_epoch is None:
        assert stopper.best_params is None
    else:
        np.testing.assert_array_equal(stopper.best_params["w"], [values[best_epoch], best_epoch])


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 8), st.integers(0, 10), st.integers(0, 12))
def test_it_stops_on_the_patience_th_call_without_improvement(patience, improving, flat):
    """``improving`` falling values, then ``flat`` repeats: the first True is call improving - 1 + patience."""
    values = [10.0 - k for k in range(improving)] + [10.0 - improving + 1] * flat
    stopper = EarlyStopping(patience=patience)
    flags = [stopper.step(v) for v in values]
    # every repeat fails to improve on the last falling value; without falling values the first
    # repeat is the first finite metric, which improves
    bad_calls = flat if improving else max(flat - 1, 0)
    assert (True in flags) == (bad_calls >= patience)
    if True in flags:
        assert flags.index(True) == len(values) - bad_calls + patience - 1


def test_the_contract_in_examples():
    stopper = EarlyStopping(patience=2)
    assert [stopper.step(m) for m in [1.0, 0.8, 0.9, 0.85]] == [False, False, False, True]
    assert (stopper.best, stopper.best_epoch, stopper.best_params) == (0.8, 1, None)
    # the first finite metric always improves, even a huge one; NaN and inf never do
    stopper = EarlyStopping(patience=3)
    assert [stopper.step(m) for m in [math.nan, math.inf, 1e300]] == [False, False, False]
    assert (stopper.best, stopper.best_epoch, stopper.num_bad_epochs) == (1e300, 2, 0)
    # min_delta: exactly best - min_delta is not an improvement, anything below is
    stopper = EarlyStopping(patience=5, min_delta=0.25)
    stopper.step(1.0)
    stopper.step(0.75)
    assert (stopper.best, stopper.num_bad_epochs) == (1.0, 1)
    stopper.step(0.5)
    assert (stopper.best, stopper.best_epoch) == (0.5, 2)
    # mode "max"
    stopper = EarlyStopping(patience=1, mode="max")
    assert [stopper.step(a) for a in [0.5, 0.9, 0.9]] == [False, False, True]
    assert stopper.best_epoch == 1
    # numpy scalars are metrics too
    assert EarlyStopping().step(np.float32(0.5)) is False


def test_best_params_is_a_copy():
    params = {"W": np.array([1.0, 2.0]), "b": np.array(3.0)}
    stopper = EarlyStopping(patience=2)
    stopper.step(1.0, params)
    params["W"] += 10  # an optimizer updates in place
    stopper.step(2.0, params)  # not better: the copy stays the first one
    np.testing.assert_array_equal(stopper.best_params["W"], [1.0, 2.0])
    assert stopper.best_params["W"] is not params["W"]


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"patience": 0}, ValueError, "patience must be an integer >= 1"),
        ({"patience": -2}, ValueError, "patience must be an integer >= 1"),
        ({"patience": 2.5}, ValueError, "patience must be an integer >= 1"),
        ({"min_delta": -0.1}, ValueError, "min_delta must be >= 0"),
        ({"min_delta": math.nan}, ValueError, "min_delta must be finite"),
        ({"mode": "avg"}, ValueError, "mode must be one of 'min', 'max'"),
        ({"patience": "3"}, TypeError, "patience must be an integer"),
    ],
)
def test_invalid_arguments(kwargs, error, words):
    with pytest.raises(error, match=words):
        EarlyStopping(**kwargs)


def test_invalid_metric_and_params():
    stopper = EarlyStopping()
    for metric in ("0.5", [0.5], np.array([0.5, 0.6]), True):
        with pytest.raises(TypeError, match="metric must be a real number"):
            stopper.step(metric)
    with pytest.raises(TypeError, match="params must be a dict"):
        stopper.step(0.5, [np.zeros(2)])
    assert stopper.calls == 0  # refused calls are not counted
