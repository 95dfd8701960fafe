"""descent.theory.gradient_descent: the closed-form rates agree with measured runs of descent.optim.SGD."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from descent.models import Quadratic, Quadratic1D
from descent.optim import SGD
from descent.runner import run
from descent.theory.gradient_descent import (
    condition_number,
    convergence_rate,
    measured_rate,
    optimal_convergence_rate,
    optimal_learning_rate,
    stability_limit,
    steps_to_tolerance,
)


def test_formulas_on_a_known_example():
    eigenvalues = [1.0, 9.0]
    assert condition_number(eigenvalues) == 9.0
    assert stability_limit(eigenvalues) == pytest.approx(2 / 9)
    assert optimal_learning_rate(eigenvalues) == pytest.approx(0.2)
    assert optimal_convergence_rate(eigenvalues) == pytest.approx(0.8)
    assert convergence_rate(0.2, eigenvalues) == pytest.approx(0.8)
    assert convergence_rate(0.1, eigenvalues) == pytest.approx(0.9)  # max(|1 - 0.1|, |1 - 0.9|)
    np.testing.assert_allclose(convergence_rate([0.1, 0.2], eigenvalues), [0.9, 0.8])


@settings(max_examples=40, deadline=None)
@given(kappa=st.floats(1.5, 200.0), angle=st.floats(0.0, 3.0))
def test_measured_rate_at_the_optimal_rate_equals_kappa_formula(kappa, angle):
    objective = Quadratic([1.0, kappa], angle=angle)
    alpha = optimal_learning_rate(objective.eigenvalues)
    trajectory = run(objective, SGD(lr=alpha), 30)
    expected = (kappa - 1) / (kappa + 1)
    assert measured_rate(trajectory.path, last=20) == pytest.approx(expected, abs=1e-6)
    assert optimal_convergence_rate(objective.eigenvalues) == pytest.approx(expected, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(alpha_fraction=st.floats(0.05, 0.95))
def test_measured_rate_tends_to_the_largest_factor(alpha_fraction):
    objective = Quadratic([0.5, 2.0, 4.0], angle=0.3)
    alpha = alpha_fraction * stability_limit(objective.eigenvalues)
    trajectory = run(objective, SGD(lr=alpha), 400)
    rate = convergence_rate(alpha, objective.eigenvalues)
    if not np.all(np.linalg.norm(trajectory.path[-11:], axis=1) > 1e-250):
        return  # converged to exactly zero, nothing left to measure
    assert measured_rate(trajectory.path, last=10) == pytest.approx(rate, rel=2e-3)
    assert measured_rate(trajectory.path, last=10) <= rate + 1e-12


@pytest.mark.parametrize("curvature", [0.5, 1.0, 4.0])
def test_stability_limit_separates_convergence_from_divergence(curvature):
    objective = Quadratic1D(curvature)
    limit = stability_limit([curvature])
    below = run(objective, SGD(lr=0.99 * limit), 2000)
    above = run(objective, SGD(lr=1.01 * limit), 2000)
    assert not below.diverged and below.final_loss < 1e-12
    assert above.diverged


@pytest.mark.parametrize("rate, tolerance, initial", [(0.5, 1e-3, 1.0), (0.9, 1e-6, 3.0), (0.1, 1e-9, 1.0)])
def test_steps_to_tolerance_matches_the_first_step_below_the_tolerance(rate, tolerance, initial):
    steps = steps_to_tolerance(rate, tolerance, initial)
    errors = initial * rate ** np.arange(steps + 2)
    assert errors[steps] <= tolerance * (1 + 1e-12) and errors[steps - 1] > tolerance


def test_steps_to_tolerance_edge_cases():
    assert steps_to_tolerance(0.5, 1.0, 0.5) == 0
    assert steps_to_tolerance(1.0, 1e-3) == math.inf
    assert steps_to_tolerance(1.5, 1e-3) == math.inf
    assert steps_to_tolerance(0.0, 1e-3) == 1


def test_steps_to_tolerance_predicts_a_real_run():
    objective = Quadratic1D(1.0)
    alpha = 0.3
    trajectory = run(objective, SGD(lr=alpha), 200)
    distance = np.abs(trajectory.path[:, 0])
    predicted = steps_to_tolerance(convergence_rate(alpha, [1.0]), 1e-8, initial_error=1.0)
    assert np.argmax(distance <= 1e-8) == predicted


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: convergence_rate(0.1, [1.0, -1.0]), ValueError, "eigenvalues must all be finite and > 0"),
        (lambda: convergence_rate(0.1, []), ValueError, "non-empty"),
        (lambda: convergence_rate(-0.1, [1.0]), ValueError, "alpha must be finite and >= 0"),
        (lambda: convergence_rate("fast", [1.0]), TypeError, "alpha must be a real number"),
        (lambda: stability_limit([0.0]), ValueError, "eigenvalues"),
        (lambda: optimal_learning_rate([[1.0, 2.0]]), ValueError, "1-D"),
        (lambda: steps_to_tolerance(-0.1, 1e-3), ValueError, "rate must be >= 0"),
        (lambda: steps_to_tolerance(0.5, 0.0), ValueError, "tolerance"),
        (lambda: steps_to_tolerance(0.5, None), TypeError, "tolerance must be a real number"),
        (lambda: measured_rate(np.zeros((1, 2))), ValueError, "n >= 2"),
        (lambda: measured_rate(np.ones((5, 2)), last=5), ValueError, "last must be"),
        (lambda: measured_rate(np.zeros((5, 2)), last=2), ValueError, "away from the minimizer"),
    ],
)
def test_bad_input_is_refused_clearly(call, error, match):
    with pytest.raises(error, match=match):
        call()
