"""Tests for descent.counts: counts read off floats, with their margin from a tie."""

import math

import numpy as np
import pytest

from descent.counts import Count, ceil_count, count_positive, first_above, first_below


def test_first_below_counts_the_step_and_measures_both_deciding_values():
    assert first_below([1.0, 0.5, 0.2, 0.05], 0.1) == Count(3, pytest.approx(0.5))
    # The value just above the threshold decides as much as the one just below it.
    crossing = first_below([1.0, 0.1000001, 0.05], 0.1)
    assert crossing.count == 2 and crossing.margin == pytest.approx(1e-6, rel=1e-6)
    assert first_below([0.01, 1.0], 0.1) == Count(0, pytest.approx(0.9))


def test_first_below_without_a_crossing_reports_how_close_the_run_came():
    crossing = first_below([1.0, 0.5, 0.11], 0.1)
    assert crossing.count is None and crossing.margin == pytest.approx(0.1)


def test_a_geometric_run_has_the_margin_of_its_rate():
    values = 0.9 ** np.arange(200)
    crossing = first_below(values, 1e-6)
    assert crossing.count == math.ceil(math.log(1e-6) / math.log(0.9))
    assert crossing.margin > 1e-3


def test_first_above_uses_magnitudes():
    assert first_above([1.0, -3.0, 12.0, -20.0], 10.0) == Count(2, pytest.approx(0.2))
    assert first_above([1.0, 2.0], 10.0).count is None


def test_count_positive_reports_the_smallest_relative_difference():
    losses = np.array([1.0, 2.0, 1.5, 1.5 + 1e-12, 0.5])
    rises = count_positive(np.diff(losses), losses[:-1])
    assert rises.count == 2 and rises.margin == pytest.approx(1e-12 / 1.5, rel=1e-3)


def test_ceil_count_measures_the_distance_from_the_integers():
    assert ceil_count(116.3) == Count(117, pytest.approx(0.3))
    assert ceil_count(116.9) == Count(117, pytest.approx(0.1))
    assert ceil_count(5.0) == Count(5, 0.0)


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: first_below([], 1.0), ValueError),
        (lambda: first_below([[1.0]], 1.0), ValueError),
        (lambda: first_below([1.0], 0.0), ValueError),
        (lambda: first_below([1.0], float("nan")), ValueError),
        (lambda: first_below([1.0], True), TypeError),
        (lambda: count_positive([1.0], 0.0), ValueError),
        (lambda: ceil_count(float("inf")), ValueError),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(call, error):
    with pytest.raises(error):
        call()
