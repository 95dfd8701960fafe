"""Properties of descent.schedules that the course teaches, checked with hypothesis."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from _schedule_cases import EXAMPLES, FUNCTIONS
from descent import schedules
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

fast = settings(deadline=None, max_examples=40)

rates = st.floats(1e-6, 10.0)
fractions = st.floats(0.0, 1.0)
decay_factors = st.floats(1e-3, 1.0)


def values(s, n):
    return np.array([s(t) for t in range(n)])


# Cosine annealing -------------------------------------------------------------------
@fast
@given(lr0=rates, T_max=st.integers(1, 400), eta_frac=fractions)
def test_cosine_starts_at_lr0_reaches_eta_min_at_T_max_and_falls_in_between(lr0, T_max, eta_frac):
    eta_min = eta_frac * lr0
    s = cosine(lr0, T_max, eta_min)
    assert s(0) == lr0
    assert s(T_max) == pytest.approx(eta_min, rel=1e-12, abs=1e-15 * lr0)
    v = values(s, T_max + 1)
    assert np.all(np.diff(v) <= 1e-15 * lr0)
    assert np.all(v >= eta_min - 1e-15 * lr0)


@fast
@given(lr0=rates, T_max=st.integers(1, 50), eta_frac=fractions)
def test_cosine_climbs_back_to_lr0_after_two_T_max(lr0, T_max, eta_frac):
    s = cosine(lr0, T_max, eta_frac * lr0)
    assert s(2 * T_max) == pytest.approx(lr0, rel=1e-12)


@fast
@given(lr0=rates, T_0=st.integers(1, 20), T_mult=st.integers(1, 3), eta_min_frac=fractions)
def test_cosine_restarts_return_to_lr0_at_each_restart(lr0, T_0, T_mult, eta_min_frac):
    eta_min = eta_min_frac * lr0
    s = cosine_restarts(lr0, T_0, T_mult, eta_min)
    start, period = 0, T_0
    for _ in range(4):
        cycle = values_between(s, start, start + period)
        assert cycle[0] == pytest.approx(lr0, rel=1e-15)  # t = 0 and every restart
        assert np.all(np.diff(cycle) <= 1e-15 * lr0)  # annealing within a cycle
        assert np.all(cycle >= eta_min - 1e-15 * lr0)
        start, period = start + period, period * T_mult
    assert s(start) == pytest.approx(lr0, rel=1e-15)


def values_between(s, first, stop):
    return np.array([s(t) for t in range(first, stop)])


# One cycle --------------------------------------------------------------------------
@fast
@given(
    max_lr=rates,
    total_steps=st.integers(2, 300),
    pct_start=fractions,
    anneal=st.sampled_from(["cos", "linear"]),
    three_phase=st.booleans(),
)
def test_one_cycle_peaks_where_pct_start_says_and_never_exceeds_max_lr(
    max_lr, total_steps, pct_start, anneal, three_phase
):
    if three_phase:
        pct_start = pct_start / 2
    assume(float(pct_start * total_steps) - 1 != 0)
    s = one_cycle(max_lr, total_steps, pct_start=pct_start, anneal_strategy=anneal, three_phase=three_phase)
    if pct_start == 1.0 and not three_phase:
        v = values(s, total_steps)  # s(total_steps) is undefined here, as in torch
    else:
        v = values(s, total_steps + 1)
    assert v.max() <= max_lr
    assert v[0] == pytest.approx(max_lr / 25.0, rel=1e-12) or pct_start * total_steps < 1
    peak = float(pct_start * total_steps) - 1  # torch's end of the warm-up phase
    argmax = int(np.argmax(v[:total_steps]))
    if peak < 0:
        assert argmax == 0
    else:
        assert argmax in {math.floor(peak), min(math.ceil(peak), total_steps - 1)}
        if peak == int(peak):
            assert v[int(peak)] == max_lr


@fast
@given(max_lr=rates, total_steps=st.integers(2, 100))
def test_one_cycle_ends_near_its_final_rate(max_lr, total_steps):
    assume(total_steps != 4)  # 0.25 * 4 == 1: a zero-length warm-up, refused
    s = one_cycle(max_lr, total_steps, div_factor=10.0, final_div_factor=100.0, pct_start=0.25)
    assert s(total_steps - 1) == pytest.approx(max_lr / 10.0 / 100.0, rel=1e-9)


# Decays -----------------------------------------------------------------------------
@fast
@given(lr0=rates, step_size=st.integers(1, 10), gamma=decay_factors)
def test_step_decay_is_non_increasing_and_piecewise_constant(lr0, step_size, gamma):
    s = step_decay(lr0, step_size, gamma)
    v = values(s, 5 * step_size + 1)
    assert np.all(np.diff(v) <= 0)
    assert s(step_size) == pytest.approx(lr0 * gamma, rel=1e-15)
    assert s(step_size - 1) == lr0


@fast
@given(lr0=rates, gaps=st.lists(st.integers(1, 6), max_size=6), gamma=decay_factors)
def test_multistep_is_non_increasing_and_drops_at_each_milestone(lr0, gaps, gamma):
    milestones = [int(m) for m in np.cumsum(gaps)]  # strictly increasing, from 1
    s = multistep(lr0, milestones, gamma)
    v = values(s, (milestones[-1] if milestones else 0) + 3)
    assert np.all(np.diff(v) <= 0)
    for m in milestones:
        assert s(m) == pytest.approx(s(m - 1) * gamma, rel=1e-12)


@fast
@given(lr0=rates, gamma=decay_factors)
def test_exponential_is_non_increasing_for_gamma_at_most_one(lr0, gamma):
    v = values(exponential(lr0, gamma), 60)
    assert np.all(np.diff(v) <= 0)
    assert v[10] == pytest.approx(lr0 * gamma**10, rel=1e-13)


@fast
@given(lr0=rates, k=st.floats(0.0, 10.0), decay_steps=st.floats(0.5, 20.0))
def test_inverse_time_is_lr0_over_one_plus_kt(lr0, k, decay_steps):
    smooth = inverse_time(lr0, k, decay_steps)
    stairs = inverse_time(lr0, k, decay_steps, staircase=True)
    for t in range(0, 200, 7):
        assert smooth(t) == pytest.approx(lr0 / (1 + k * t / decay_steps), rel=1e-14)
        assert stairs(t) == pytest.approx(lr0 / (1 + k * math.floor(t / decay_steps)), rel=1e-14)
    assert inverse_time(lr0, k)(5) == pytest.approx(lr0 / (1 + 5 * k), rel=1e-14)


@fast
@given(lr0=rates, total_iters=st.integers(1, 200), power=st.floats(0.1, 5.0))
def test_polynomial_reaches_zero_at_total_iters_and_stays(lr0, total_iters, power):
    s = polynomial(lr0, total_iters, power)
    v = values(s, total_iters + 5)
    assert v[0] == lr0
    assert np.all(np.diff(v) <= 0)
    assert np.all(v[total_iters:] == v[total_iters])
    assert v[total_iters] <= 1e-12 * lr0
    t = total_iters // 2
    assert v[t] == pytest.approx(lr0 * (1 - t / total_iters) ** power, rel=1e-10)


@fast
@given(lr0=rates, start=st.floats(0.01, 1.0), end=fractions, total_iters=st.integers(1, 200))
def test_linear_goes_from_start_factor_to_end_factor_then_holds(lr0, start, end, total_iters):
    s = linear(lr0, start, end, total_iters)
    assert s(0) == pytest.approx(lr0 * start, rel=1e-15)
    assert s(total_iters) == pytest.approx(lr0 * end, rel=1e-10, abs=1e-12 * lr0)
    assert s(total_iters + 7) == s(total_iters)
    t = total_iters // 3
    assert s(t) == pytest.approx(lr0 * (start + (end - start) * t / total_iters), rel=1e-10, abs=1e-12 * lr0)


@fast
@given(lr0=rates)
def test_constant_is_constant(lr0):
    assert set(values(constant(lr0), 20)) == {lr0}


# Warmup -----------------------------------------------------------------------------
inner_schedules = st.one_of(
    st.builds(cosine, lr0=rates, T_max=st.integers(1, 50)),
    st.builds(step_decay, lr0=rates, step_size=st.integers(1, 10), gamma=decay_factors),
    st.builds(exponential, lr0=rates, gamma=decay_factors),
    st.builds(constant, lr0=rates),
    st.builds(cyclic, base_lr=st.just(0.01), max_lr=st.just(0.1), step_size_up=st.integers(1, 10)),
)


@fast
@given(inner=inner_schedules, warmup_steps=st.integers(1, 30), start_factor=st.floats(0.01, 1.0))
def test_warmup_starts_at_start_factor_and_joins_the_schedule_continuously(inner, warmup_steps, start_factor):
    s = warmup(inner, warmup_steps, start_factor)
    peak = inner(0)
    assert s(0) == pytest.approx(start_factor * peak, rel=1e-15)
    ramp = values(s, warmup_steps + 1)
    # a straight line whose next step lands exactly on the wrapped schedule's start
    slope = peak * (1 - start_factor) / warmup_steps
    np.testing.assert_allclose(np.diff(ramp), slope, rtol=1e-9, atol=1e-13 * peak)
    assert s(warmup_steps) == peak
    for t in range(warmup_steps, warmup_steps + 40, 3):
        assert s(t) == inner(t - warmup_steps)  # the wrapped clock starts after the warmup


# Inverse square root ----------------------------------------------------------------
@fast
@given(lr0=rates, warmup_steps=st.integers(1, 200))
def test_inverse_sqrt_peaks_at_warmup_steps_then_falls_as_one_over_sqrt_t(lr0, warmup_steps):
    s = inverse_sqrt(lr0, warmup_steps)
    v = values(s, 4 * warmup_steps + 1)
    assert v[0] == 0.0
    assert int(np.argmax(v)) == warmup_steps
    assert v[warmup_steps] == pytest.approx(lr0, rel=1e-15)
    np.testing.assert_allclose(np.diff(v[: warmup_steps + 1]), lr0 / warmup_steps, rtol=1e-9)
    t = np.arange(warmup_steps, 4 * warmup_steps + 1)
    np.testing.assert_allclose(v[t] * np.sqrt(t), lr0 * np.sqrt(warmup_steps), rtol=1e-13)
    assert v[4 * warmup_steps] == pytest.approx(lr0 / 2, rel=1e-14)


# Cyclic -----------------------------------------------------------------------------
@fast
@given(
    base_lr=rates,
    spread=st.floats(0.0, 100.0),
    up=st.integers(1, 20),
    down=st.one_of(st.none(), st.integers(1, 20)),
    mode=st.sampled_from(["triangular", "triangular2", "exp_range"]),
    gamma=st.floats(0.5, 1.0),
)
def test_cyclic_stays_within_base_lr_and_max_lr(base_lr, spread, up, down, mode, gamma):
    max_lr = base_lr * (1 + spread)
    s = cyclic(base_lr, max_lr, up, down, mode, gamma)
    cycle = up + (up if down is None else down)
    v = values(s, 4 * cycle + 1)
    assert np.all(v >= base_lr)
    # base_lr + (max_lr - base_lr) * 1 can round one unit in the last place above max_lr,
    # in torch as here (same expression); nothing larger than that is allowed
    assert np.all(v <= np.nextafter(max_lr, np.inf))
    assert v[0] == base_lr
    assert v[cycle] == pytest.approx(base_lr, rel=1e-12)
    if mode == "triangular":
        assert v[up] == pytest.approx(max_lr, rel=1e-12)
        assert v[cycle + up] == pytest.approx(max_lr, rel=1e-12)
    if mode == "triangular2":
        assert v[cycle + up] - base_lr == pytest.approx((max_lr - base_lr) / 2, rel=1e-9, abs=1e-15)


# Reduce on plateau ------------------------------------------------------------------
metric_values = st.floats(-1e6, 1e6) | st.just(float("nan")) | st.just(float("inf"))


@fast
@given(
    metrics=st.lists(metric_values, max_size=60),
    mode=st.sampled_from(["min", "max"]),
    threshold_mode=st.sampled_from(["rel", "abs"]),
    factor=st.floats(0.01, 0.99),
    patience=st.integers(0, 4),
    cooldown=st.integers(0, 3),
    min_frac=fractions,
)
def test_plateau_never_goes_below_min_lr_and_never_rises(
    metrics, mode, threshold_mode, factor, patience, cooldown, min_frac
):
    lr0 = 0.1
    p = ReduceLROnPlateau(lr0, mode=mode, factor=factor, patience=patience, threshold_mode=threshold_mode,
                          cooldown=cooldown, min_lr=min_frac * lr0)
    previous = lr0
    for metric in metrics:
        lr = p.step(metric)
        assert min_frac * lr0 <= lr <= previous
        assert 0 <= p.num_bad_epochs <= patience
        assert 0 <= p.cooldown_counter <= cooldown
        previous = lr


@fast
@given(metrics=st.lists(st.floats(0.0, 10.0), min_size=2, max_size=40), split=st.integers(0, 40))
def test_plateau_state_survives_a_save_and_load(tmp_path_factory, metrics, split):
    split = min(split, len(metrics))
    a = ReduceLROnPlateau(0.1, factor=0.5, patience=1, cooldown=1)
    for m in metrics[:split]:
        a.step(m)
    path = tmp_path_factory.mktemp("plateau") / "state.npz"
    np.savez(path, **a.state_dict())
    b = ReduceLROnPlateau(0.1, factor=0.5, patience=1, cooldown=1)
    with np.load(path) as stored:
        b.load_state_dict(dict(stored))
    for m in metrics[split:]:
        assert b.step(m) == a.step(m)
        assert b.state_dict() == a.state_dict()


# Every schedule ---------------------------------------------------------------------
def test_the_examples_cover_every_schedule():
    assert sorted(s.name for s in EXAMPLES) == sorted(FUNCTIONS)


@pytest.mark.parametrize("s", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_array_of_steps_gives_the_scalar_values(s):
    t = np.arange(31)
    v = s(t)
    assert isinstance(v, np.ndarray) and v.dtype == float and v.shape == (31,)
    assert np.array_equal(v, [s(int(i)) for i in t])
    assert np.array_equal(s(t.reshape(1, 31)), v.reshape(1, 31))
    assert np.array_equal(s(t.astype(float)), v)
    assert isinstance(s(3), float)
    assert s(np.int64(3)) == s(3) == s(3.0) == s(np.array(3))


@pytest.mark.parametrize("s", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_repr_is_the_call_that_makes_the_schedule(s):
    text = repr(s)
    assert text.startswith(s.name + "(")
    again = eval(text, vars(schedules))
    assert repr(again) == text
    assert np.array_equal(again(np.arange(31)), s(np.arange(31)))


def test_repr_reads_like_the_call():
    assert repr(cosine(lr0=0.1, T_max=100)) == "cosine(lr0=0.1, T_max=100, eta_min=0.0)"
    assert repr(ReduceLROnPlateau(0.1)).startswith("ReduceLROnPlateau(lr0=0.1, mode='min', factor=0.1")


@settings(max_examples=40, deadline=None)
@given(parts=st.lists(st.sampled_from([constant(0.2), exponential(0.1, 0.8), cosine(0.3, 7, 0.01), linear(0.1, 0.5, 1.0, 4)]),
                      min_size=2, max_size=4),
       gaps=st.lists(st.integers(1, 12), min_size=3, max_size=3))
def test_join_runs_each_schedule_on_its_own_clock_from_its_milestone(parts, gaps):
    milestones = np.cumsum(gaps[: len(parts) - 1]).tolist()
    s = join(parts, milestones)
    starts = [0, *milestones]
    for t in range(milestones[-1] + 15):
        i = sum(m <= t for m in milestones)
        assert s(t) == parts[i](t - starts[i])
    assert s(milestones[0]) == parts[1](0)  # a schedule takes over at its own step 0
