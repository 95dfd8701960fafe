"""The schedules torch computes by a recurrence agree with their closed forms to rounding.

cosine, linear and polynomial replay torch's recurrence (``update`` in their source, to match torch to
the last bit) and state the closed form beside it (``formula``, what their docstrings show). Each
step of the recurrence rounds once or twice, so after t steps the two may differ by a few t times the
float64 precision, relative to the schedule's scale lr0: the bound asserted here is 2 t eps lr0
(cosine annealing after its first period: see its notes and the tests below).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from descent import schedules

EPS = np.finfo(float).eps
lrs = st.floats(1e-6, 10.0)


def assert_to_rounding(s, steps, lr0, factor=2):
    t = np.arange(steps + 1)
    bound = factor * np.maximum(t, 1) * EPS * lr0
    difference = np.abs(s(t) - s.formula(t))
    assert np.all(difference <= bound), (s, int(np.argmax(difference / bound)), float(np.max(difference / bound)))


@settings(max_examples=60, deadline=None)
@given(lr0=lrs, T_max=st.integers(1, 400), eta_fraction=st.floats(0.0, 1.0))
def test_cosine_over_its_first_period(lr0, T_max, eta_fraction):
    assert_to_rounding(schedules.cosine(lr0, T_max, eta_fraction * lr0), T_max, lr0)


@settings(max_examples=30, deadline=None)
@given(lr0=lrs, T_max=st.integers(1, 200))
def test_cosine_to_zero_drifts_a_little_after_its_first_period(lr0, T_max):
    # the recurrence's rounding grows faster once the rate climbs back: about 20 t eps lr0 at most
    # (measured for T_max up to 400, 1000, 5000 and 20000, over three periods); 40 is the bound asserted
    assert_to_rounding(schedules.cosine(lr0, T_max), 3 * T_max, lr0, factor=40)


def test_cosine_with_eta_min_drifts_after_its_first_period_as_its_notes_say():
    s = schedules.cosine(0.1, 20000, eta_min=0.05)
    assert_to_rounding(s, 20000, 0.1)
    t = np.arange(0, 3 * 20000 + 1)
    drift = np.abs(s(t) - s.formula(t)) / 0.1
    # "about 3e-9 relative near t = 2 T_max": far above rounding, far below anything visible
    assert 1e-9 < drift.max() < 1e-8
    assert abs(int(np.argmax(drift)) - 2 * 20000) < 20000 / 2


@settings(max_examples=60, deadline=None)
@given(lr0=lrs, total_iters=st.integers(1, 2000), power=st.floats(0.1, 10.0))
def test_polynomial(lr0, total_iters, power):
    assert_to_rounding(schedules.polynomial(lr0, total_iters, power), total_iters + 10, lr0)


@settings(max_examples=60, deadline=None)
@given(lr0=lrs, start=st.floats(0.001, 1.0), end=st.floats(0.0, 1.0), total_iters=st.integers(1, 2000))
def test_linear(lr0, start, end, total_iters):
    assert_to_rounding(schedules.linear(lr0, start, end, total_iters), total_iters + 10, lr0)


def test_joined_and_warmed_up_schedules_use_their_parts_closed_forms():
    cosine = schedules.cosine(0.1, 50, 0.01)
    joined = schedules.join([schedules.linear(0.1, 0.2, 1.0, 10), cosine], [10])
    assert_to_rounding(joined, 60, 0.1)
    assert joined.formula(30) == cosine.formula(20)
    warm = schedules.warmup(cosine, 5)
    assert_to_rounding(warm, 55, 0.1)
    assert warm.formula(25) == cosine.formula(20)


@pytest.mark.parametrize("s", [schedules.step_decay(0.1, 3), schedules.exponential(0.1, 0.9),
                               schedules.cyclic(0.01, 0.1, 4), schedules.inverse_sqrt(0.1, 5)],
                         ids=repr)
def test_a_schedule_computed_from_its_formula_is_its_own_closed_form(s):
    t = np.arange(40)
    np.testing.assert_array_equal(s.formula(t), s(t))  # the very same computation
