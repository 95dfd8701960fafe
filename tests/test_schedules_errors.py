"""Bad input to descent.schedules: a clear error naming the parameter and its valid range."""

import math
import re

import numpy as np
import pytest

from _schedule_cases import EXAMPLES
from descent.schedules import (
    ReduceLROnPlateau,
    constant,
    cosine,
    cosine_restarts,
    cyclic,
    exponential,
    inverse_sqrt,
    inverse_time,
    join,
    linear,
    multistep,
    one_cycle,
    polynomial,
    step_decay,
    warmup,
)

LR0_FUNCTIONS = {
    "constant": lambda lr0: constant(lr0),
    "step_decay": lambda lr0: step_decay(lr0, 10),
    "multistep": lambda lr0: multistep(lr0, [10]),
    "exponential": lambda lr0: exponential(lr0, 0.9),
    "inverse_time": lambda lr0: inverse_time(lr0, 0.5),
    "polynomial": lambda lr0: polynomial(lr0),
    "linear": lambda lr0: linear(lr0),
    "cosine": lambda lr0: cosine(lr0, 10),
    "cosine_restarts": lambda lr0: cosine_restarts(lr0, 10),
    "inverse_sqrt": lambda lr0: inverse_sqrt(lr0, 10),
    "ReduceLROnPlateau": lambda lr0: ReduceLROnPlateau(lr0),
}


@pytest.mark.parametrize("make", LR0_FUNCTIONS.values(), ids=LR0_FUNCTIONS.keys())
@pytest.mark.parametrize("lr0", [0.0, -0.1, math.nan, math.inf])
def test_non_positive_or_non_finite_lr0_is_refused(make, lr0):
    with pytest.raises(ValueError, match=r"lr0 must be (> 0|a finite number)"):
        make(lr0)


@pytest.mark.parametrize("make", LR0_FUNCTIONS.values(), ids=LR0_FUNCTIONS.keys())
@pytest.mark.parametrize("lr0", ["0.1", None, True, [0.1]])
def test_lr0_of_the_wrong_type_is_a_type_error(make, lr0):
    with pytest.raises(TypeError, match="lr0 must be a real number"):
        make(lr0)


V = ValueError
BAD = [
    # decay factors
    ("step_decay gamma 0", lambda: step_decay(0.1, 10, gamma=0.0), V, r"gamma must be > 0"),
    ("step_decay gamma < 0", lambda: step_decay(0.1, 10, gamma=-0.5), V, r"gamma must be > 0"),
    ("multistep gamma < 0", lambda: multistep(0.1, [5], gamma=-1.0), V, r"gamma must be > 0"),
    ("exponential gamma 0", lambda: exponential(0.1, 0.0), V, r"gamma must be > 0"),
    ("cyclic gamma 0", lambda: cyclic(0.01, 0.1, 5, mode="exp_range", gamma=0.0), V, r"gamma must be in \(0\.0, 1\.0\]"),
    ("cyclic gamma > 1", lambda: cyclic(0.01, 0.1, 5, mode="exp_range", gamma=1.01), V, r"gamma must be in \(0\.0, 1\.0\]"),
    # periods
    ("step_size 0", lambda: step_decay(0.1, 0), V, r"step_size must be an integer >= 1"),
    ("step_size float", lambda: step_decay(0.1, 2.5), V, r"step_size must be an integer >= 1"),
    ("step_size bool", lambda: step_decay(0.1, True), TypeError, r"step_size must be an integer"),
    ("T_max 0", lambda: cosine(0.1, 0), V, r"T_max must be an integer >= 1"),
    ("T_max negative", lambda: cosine(0.1, -5), V, r"T_max must be an integer >= 1"),
    ("T_0 0", lambda: cosine_restarts(0.1, 0), V, r"T_0 must be an integer >= 1"),
    ("polynomial total_iters 0", lambda: polynomial(0.1, total_iters=0), V, r"total_iters must be an integer >= 1"),
    ("linear total_iters 0", lambda: linear(0.1, total_iters=0), V, r"total_iters must be an integer >= 1"),
    ("total_steps 0", lambda: one_cycle(0.1, 0), V, r"total_steps must be an integer >= 1"),
    ("total_steps float", lambda: one_cycle(0.1, 10.5), V, r"total_steps must be an integer >= 1"),
    ("inverse_sqrt warmup_steps 0", lambda: inverse_sqrt(0.1, 0), V, r"warmup_steps must be an integer >= 1"),
    ("warmup warmup_steps 0", lambda: warmup(constant(0.1), 0), V, r"warmup_steps must be an integer >= 1"),
    ("step_size_up 0", lambda: cyclic(0.01, 0.1, 0), V, r"step_size_up must be an integer >= 1"),
    ("step_size_down 0", lambda: cyclic(0.01, 0.1, 5, 0), V, r"step_size_down must be an integer >= 1"),
    ("decay_steps 0", lambda: inverse_time(0.1, 0.5, decay_steps=0), V, r"decay_steps must be > 0"),
    ("milestone 0", lambda: multistep(0.1, [0, 5]), V, r"milestones\[0\] must be an integer >= 1"),
    # milestones
    ("milestones decreasing", lambda: multistep(0.1, [10, 5]), V, r"milestones must be strictly increasing"),
    ("milestone repeated", lambda: multistep(0.1, [30, 30]), V, r"milestones must be strictly increasing \(no repeats\); got \[30, 30\]"),
    ("milestones not a list", lambda: multistep(0.1, 5), TypeError, r"milestones must be a sequence"),
    ("milestones a string", lambda: multistep(0.1, "30"), TypeError, r"milestones must be a sequence"),
    ("milestone fractional", lambda: multistep(0.1, [2.5]), V, r"milestones\[0\] must be an integer >= 1"),
    # T_mult
    ("T_mult 0", lambda: cosine_restarts(0.1, 5, T_mult=0), V, r"T_mult must be an integer >= 1"),
    ("T_mult 1.5", lambda: cosine_restarts(0.1, 5, T_mult=1.5), V, r"T_mult must be an integer >= 1"),
    # factors and bounds
    ("eta_min < 0", lambda: cosine(0.1, 10, eta_min=-0.01), V, r"eta_min must be in \[0\.0, 0\.1\]"),
    ("eta_min > lr0", lambda: cosine(0.1, 10, eta_min=0.2), V, r"eta_min must be in \[0\.0, 0\.1\]"),
    ("restarts eta_min > lr0", lambda: cosine_restarts(0.1, 10, eta_min=0.2), V, r"eta_min must be in \[0\.0, 0\.1\]"),
    ("start_factor 0", lambda: linear(0.1, start_factor=0.0), V, r"start_factor must be in \(0\.0, 1\.0\]"),
    ("start_factor > 1", lambda: linear(0.1, start_factor=1.5), V, r"start_factor must be in \(0\.0, 1\.0\]"),
    ("end_factor < 0", lambda: linear(0.1, end_factor=-0.1), V, r"end_factor must be in \[0\.0, 1\.0\]"),
    ("end_factor > 1", lambda: linear(0.1, end_factor=1.1), V, r"end_factor must be in \[0\.0, 1\.0\]"),
    ("warmup start_factor 0", lambda: warmup(constant(0.1), 5, start_factor=0.0), V, r"start_factor must be in \(0\.0, 1\.0\]"),
    ("warmup start_factor > 1", lambda: warmup(constant(0.1), 5, start_factor=2.0), V, r"start_factor must be in \(0\.0, 1\.0\]"),
    ("power 0", lambda: polynomial(0.1, 5, power=0.0), V, r"power must be > 0"),
    ("decay_rate < 0", lambda: inverse_time(0.1, -0.5), V, r"decay_rate must be >= 0"),
    ("staircase not bool", lambda: inverse_time(0.1, 0.5, staircase="yes"), TypeError, r"staircase must be True or False"),
    ("base_lr 0", lambda: cyclic(0.0, 0.1, 5), V, r"base_lr must be > 0"),
    ("max_lr < base_lr", lambda: cyclic(0.1, 0.01, 5), V, r"max_lr must be >= base_lr"),
    ("one_cycle max_lr 0", lambda: one_cycle(0.0, 100), V, r"max_lr must be > 0"),
    ("div_factor < 1", lambda: one_cycle(0.1, 100, div_factor=0.5), V, r"div_factor must be in \[1\.0, inf\]"),
    ("final_div_factor < 1", lambda: one_cycle(0.1, 100, final_div_factor=0.0), V, r"final_div_factor must be in \[1\.0, inf\]"),
    # unknown modes
    ("cyclic mode", lambda: cyclic(0.01, 0.1, 5, mode="triangle"), V, r"mode must be one of 'triangular', 'triangular2', 'exp_range'"),
    ("anneal_strategy", lambda: one_cycle(0.1, 100, anneal_strategy="cosine"), V, r"anneal_strategy must be one of 'cos', 'linear'"),
    ("plateau mode", lambda: ReduceLROnPlateau(0.1, mode="minimum"), V, r"mode must be one of 'min', 'max'"),
    ("plateau threshold_mode", lambda: ReduceLROnPlateau(0.1, threshold_mode="relative"), V, r"threshold_mode must be one of 'rel', 'abs'"),
    # pct_start
    ("pct_start < 0", lambda: one_cycle(0.1, 100, pct_start=-0.1), V, r"pct_start must be in \[0\.0, 1\.0\]"),
    ("pct_start > 1", lambda: one_cycle(0.1, 100, pct_start=1.1), V, r"pct_start must be in \[0\.0, 1\.0\]"),
    ("pct_start > 0.5 three_phase", lambda: one_cycle(0.1, 100, pct_start=0.6, three_phase=True), V, r"pct_start must be in \[0, 0\.5\] when three_phase=True"),
    ("pct_start zero-length warmup", lambda: one_cycle(0.1, 10, pct_start=0.1), V, r"pct_start \* total_steps must not equal 1"),
    ("three_phase not bool", lambda: one_cycle(0.1, 10, three_phase=1), TypeError, r"three_phase must be True or False"),
    # ReduceLROnPlateau
    ("plateau factor 1", lambda: ReduceLROnPlateau(0.1, factor=1.0), V, r"factor must be in \(0\.0, 1\.0\)"),
    ("plateau factor > 1", lambda: ReduceLROnPlateau(0.1, factor=2.0), V, r"factor must be in \(0\.0, 1\.0\)"),
    ("plateau factor 0", lambda: ReduceLROnPlateau(0.1, factor=0.0), V, r"factor must be in \(0\.0, 1\.0\)"),
    ("plateau patience < 0", lambda: ReduceLROnPlateau(0.1, patience=-1), V, r"patience must be an integer >= 0"),
    ("plateau patience fractional", lambda: ReduceLROnPlateau(0.1, patience=1.5), V, r"patience must be an integer >= 0"),
    ("plateau cooldown < 0", lambda: ReduceLROnPlateau(0.1, cooldown=-1), V, r"cooldown must be an integer >= 0"),
    ("plateau threshold < 0", lambda: ReduceLROnPlateau(0.1, threshold=-1e-4), V, r"threshold must be >= 0"),
    ("plateau min_lr < 0", lambda: ReduceLROnPlateau(0.1, min_lr=-1.0), V, r"min_lr must be in \[0\.0, 0\.1\]"),
    ("plateau min_lr > lr0", lambda: ReduceLROnPlateau(0.1, min_lr=0.5), V, r"min_lr must be in \[0\.0, 0\.1\]"),
    ("plateau eps < 0", lambda: ReduceLROnPlateau(0.1, eps=-1e-8), V, r"eps must be >= 0"),
    # join's schedules and milestones
    ("join of one schedule", lambda: join([constant(0.1)], []), V, r"at least two schedules"),
    ("join of a number", lambda: join([constant(0.1), 0.2], [3]), TypeError, r"schedules\[1\] must be a schedule"),
    ("join of no sequence", lambda: join(constant(0.1), [3]), TypeError, r"schedules must be a sequence"),
    ("join milestones count", lambda: join([constant(0.1), constant(0.2)], [3, 5]), V, r"one entry fewer than schedules"),
    ("join milestone 0", lambda: join([constant(0.1), constant(0.2)], [0]), V, r"milestones\[0\] must be an integer >= 1"),
    ("join milestones repeated", lambda: join([constant(0.1)] * 3, [4, 4]), V, r"milestones must be strictly increasing"),
    # warmup's wrapped schedule
    ("warmup of a number", lambda: warmup(0.1, 5), TypeError, r"schedule must be a schedule"),
    ("warmup towards zero", lambda: warmup(inverse_sqrt(0.1, 10), 5), V, r"schedule\(0\), which must be > 0"),
]


@pytest.mark.parametrize("make, error, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_hyperparameter_is_refused_with_its_name_and_range(make, error, message):
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize("s", EXAMPLES, ids=[s.name for s in EXAMPLES])
@pytest.mark.parametrize(
    "t, error, message",
    [
        (-1, ValueError, r"t must be a non-negative integer step count \(t >= 0\); got -1"),
        (2.5, ValueError, r"t must be a non-negative integer step count; got 2\.5"),
        (math.nan, ValueError, r"t must be a non-negative integer step count; got nan"),
        ("3", TypeError, r"t must be a non-negative integer step count; got '3'"),
        (True, TypeError, r"t must be a non-negative integer step count"),
        (None, TypeError, r"t must be a non-negative integer step count"),
        (np.array([0, 1, -2]), ValueError, r"t must hold non-negative step counts \(t >= 0\)"),
        (np.array([0.0, 0.5]), ValueError, r"t must hold non-negative integer step counts"),
        (["0", "1"], TypeError, r"t must hold integer step counts"),
    ],
)
def test_bad_step_is_refused(s, t, error, message):
    with pytest.raises(error, match=message):
        s(t)


def test_one_cycle_refuses_to_go_beyond_total_steps_as_torch_does():
    s = one_cycle(0.1, 100)
    s(100)  # torch allows exactly total_steps scheduler steps
    with pytest.raises(ValueError, match=r"one_cycle is defined for t <= total_steps \(100\); got t=101"):
        s(101)
    with pytest.raises(ValueError, match=r"torch raises too"):
        s(np.arange(102))


def test_one_cycle_with_no_annealing_phase_refuses_the_last_step():
    s = one_cycle(1.0, 10, pct_start=1.0)
    assert s(9) == 1.0
    with pytest.raises(ValueError, match=r"final phase of zero steps"):
        s(10)


def test_warmup_refuses_a_plateau_scheduler():
    with pytest.raises(TypeError, match="schedule must be a schedule"):
        warmup(ReduceLROnPlateau(0.1), 5)


@pytest.mark.parametrize("metric", ["0.5", None, [1.0, 2.0], np.array([1.0, 2.0]), True])
def test_plateau_metric_must_be_a_number(metric):
    p = ReduceLROnPlateau(0.1)
    with pytest.raises(TypeError, match="metric must be a real number"):
        p.step(metric)
    assert p.last_epoch == 0  # a refused metric changes nothing


def test_plateau_accepts_numpy_scalars():
    p = ReduceLROnPlateau(0.1)
    p.step(np.float32(1.5))
    p.step(np.array(1.0))
    assert p.best == 1.0


def test_plateau_counters_are_read_only():
    p = ReduceLROnPlateau(0.1)
    for name in ["lr", "best", "num_bad_epochs", "cooldown_counter", "last_epoch", "in_cooldown"]:
        with pytest.raises(AttributeError):
            setattr(p, name, 0)


def good_state():
    return {"lr": 0.01, "best": 0.5, "num_bad_epochs": 2, "cooldown_counter": 0, "last_epoch": 7}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"remove": "best"}, r"missing keys \['best'\]"),
        ({"add": "momentum"}, r"unexpected keys \['momentum'\]"),
        ({"lr": 0.5}, r"state\['lr'\] must be in \[0\.0, 0\.1\]"),
        ({"lr": -0.01}, r"state\['lr'\] must be in"),
        ({"num_bad_epochs": -1}, r"state\['num_bad_epochs'\] must be an integer >= 0"),
        ({"cooldown_counter": 1.5}, r"state\['cooldown_counter'\] must be an integer >= 0"),
        ({"best": math.nan}, r"state\['best'\] must be a number"),
        ({"last_epoch": np.array([1, 2])}, r"state\['last_epoch'\] must be a single number"),
    ],
)
def test_plateau_refuses_a_bad_state(change, message):
    state = good_state()
    if "remove" in change:
        del state[change["remove"]]
    elif "add" in change:
        state[change["add"]] = 0.9
    else:
        state.update(change)
    p = ReduceLROnPlateau(0.1)
    with pytest.raises(ValueError, match=message):
        p.load_state_dict(state)
    assert p.state_dict() == ReduceLROnPlateau(0.1).state_dict()  # nothing half-loaded


def test_plateau_refuses_a_state_that_is_not_a_mapping():
    with pytest.raises(TypeError, match="state must be a mapping"):
        ReduceLROnPlateau(0.1).load_state_dict([0.1, 0.5])


def test_every_error_message_names_a_range_or_a_type():
    """No bare messages: each ValueError above says what would have been valid."""
    for name, make, error, _ in BAD:
        with pytest.raises(error) as info:
            make()
        text = str(info.value)
        assert re.search(r"must|should", text), name
        assert "got" in text or "which must" in text, name
