"""Tests for descent.theory.momentum: the heavy-ball analysis on quadratics."""

import math

import numpy as np
import pytest

from descent.theory import gradient_descent as gd
from descent.theory import momentum as hb
from descent.theory import nesterov


def brute_force_eigenvalues(alpha, beta, lam):
    matrix = np.array([[1 - alpha * lam, -alpha * beta], [lam, beta]])
    return np.linalg.eigvals(matrix)


def test_iteration_matrix_advances_the_recursion():
    alpha, beta, lam = 0.3, 0.7, 2.0
    x, v = 1.5, -0.4
    v_next = beta * v + lam * x
    x_next = x - alpha * v_next
    np.testing.assert_allclose(hb.iteration_matrix(alpha, beta, lam) @ [x, v], [x_next, v_next], rtol=1e-14)


def test_iteration_matrix_broadcasts():
    matrices = hb.iteration_matrix(np.array([0.1, 0.2, 0.3]), 0.5, 1.0)
    assert matrices.shape == (3, 2, 2)
    np.testing.assert_allclose(matrices[:, 0, 0], [0.9, 0.8, 0.7])


@pytest.mark.parametrize("alpha", [0.01, 0.3, 1.0, 2.5, 3.9])
@pytest.mark.parametrize("beta", [0.0, 0.2, 0.81, 0.99])
def test_eigenvalues_match_numpy(alpha, beta):
    ours = np.sort_complex(np.atleast_1d(hb.eigenvalues(alpha, beta, 1.0)))
    reference = np.sort_complex(brute_force_eigenvalues(alpha, beta, 1.0))
    np.testing.assert_allclose(ours, reference, atol=1e-7)
    assert hb.direction_rate(alpha, beta, 1.0) == pytest.approx(np.abs(reference).max(), abs=1e-7)


def test_eigenvalues_are_ordered_by_modulus():
    roots = hb.eigenvalues(np.linspace(0.01, 3.9, 50), 0.3, 1.0)
    assert np.all(np.abs(roots[:, 0]) >= np.abs(roots[:, 1]))


def test_rate_is_sqrt_beta_when_complex():
    beta = 0.64
    # complex between (1 - 0.8)^2 = 0.04 and (1 + 0.8)^2 = 3.24
    for alpha_lambda in [0.05, 0.5, 1.0, 2.0, 3.2]:
        assert hb.damping(alpha_lambda, beta, 1.0) == "underdamped"
        assert hb.direction_rate(alpha_lambda, beta, 1.0) == pytest.approx(0.8, abs=1e-12)


def test_stability_boundary_is_two_plus_two_beta():
    alphas = np.linspace(0.01, 4.0, 400)
    for beta in [0.0, 0.3, 0.9]:
        rates = hb.convergence_rate(alphas, beta, [1.0])
        inside = alphas < 2 + 2 * beta
        assert np.all(rates[inside] < 1)
        assert np.all(rates[~inside] >= 1 - 1e-12)  # the boundary itself has rate exactly 1
        assert hb.stability_limit(beta, 1.0) == pytest.approx(2 + 2 * beta)
        np.testing.assert_array_equal(hb.is_stable(alphas, beta, [0.5, 1.0]), inside)


def test_stability_limit_uses_eigenvalue():
    assert hb.stability_limit(0.5, 4.0) == pytest.approx(0.75)
    assert hb.stability_limit(0.5, [1.0, 4.0]) == pytest.approx(0.75)   # the whole quadratic: its largest eigenvalue
    np.testing.assert_allclose(hb.stability_limit([0.0, 0.5], [1.0, 4.0]), [0.5, 0.75])


def test_critical_damping_gives_a_double_root():
    for alpha_lambda in [0.01, 0.2, 0.7, 1.5, 3.0]:
        beta = hb.critical_beta(alpha_lambda, 1.0)
        assert beta == pytest.approx((1 - math.sqrt(alpha_lambda)) ** 2)
        roots = brute_force_eigenvalues(alpha_lambda, beta, 1.0)
        assert abs(roots[0] - roots[1]) < 1e-6
        assert hb.damping(alpha_lambda, beta, 1.0) == "critically damped"


def test_damping_regimes():
    # alpha * lambda = 0.1: critical at beta = (1 - sqrt(0.1))^2 ~ 0.4675
    assert hb.damping(0.1, 0.2, 1.0) == "overdamped"
    assert hb.damping(0.1, 0.9, 1.0) == "underdamped"
    assert hb.damping(1.8, 0.0, 1.0) == "flipping"
    assert hb.damping(3.0, 0.4, 1.0) == "divergent"


def test_rate_takes_the_worst_direction():
    alpha, beta, lams = 0.05, 0.5, [1.0, 10.0, 30.0]
    worst = max(np.abs(brute_force_eigenvalues(alpha, beta, lam)).max() for lam in lams)
    assert hb.convergence_rate(alpha, beta, lams) == pytest.approx(worst, abs=1e-9)


def test_rate_map_shape_and_entries():
    alphas = np.geomspace(1e-3, 0.1, 7)
    betas = np.linspace(0, 0.95, 5)
    grid = hb.rate_map(alphas, betas, [1.0, 50.0])
    assert grid.shape == (5, 7)
    assert grid[3, 2] == pytest.approx(hb.convergence_rate(alphas[2], betas[3], [1.0, 50.0]))


@pytest.mark.parametrize("mu, L", [(1.0, 10.0), (0.5, 50.0), (2.0, 2000.0)])
def test_optimal_parameters_achieve_and_beat_the_grid(mu, L):
    kappa = L / mu
    alpha, beta = hb.optimal_parameters([mu, L])
    assert alpha == pytest.approx((2 / (math.sqrt(mu) + math.sqrt(L))) ** 2)
    assert beta == pytest.approx(((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2)
    best = hb.optimal_convergence_rate([mu, L])
    assert best == pytest.approx((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1), rel=1e-12)
    lams = np.linspace(mu, L, 41)
    assert hb.convergence_rate(alpha, beta, lams) == pytest.approx(best, abs=1e-7)
    # no point of a fine grid does better
    alphas = np.linspace(0.2, 1.8, 161) * alpha
    betas = np.linspace(0, 0.999, 300)
    assert hb.rate_map(alphas, betas, [mu, L]).min() >= best - 1e-7
    assert best < gd.optimal_convergence_rate([mu, L])


def test_simulate_matches_matrix_powers():
    alpha, beta, lam = 0.2, 0.8, 1.5
    positions, buffers = hb.simulate(alpha, beta, lam, steps=30, x0=2.0, v0=0.5)
    state = np.linalg.matrix_power(hb.iteration_matrix(alpha, beta, lam), 30) @ [2.0, 0.5]
    np.testing.assert_allclose([positions[-1], buffers[-1]], state, rtol=1e-10)


def test_simulated_rate_matches_formula_real_roots():
    alpha, beta, lam = 0.05, 0.3, 1.0  # overdamped
    positions, _ = hb.simulate(alpha, beta, lam, steps=2000)
    assert hb.measured_rate(np.abs(positions), last=500) == pytest.approx(hb.direction_rate(alpha, beta, lam), abs=1e-9)


def test_simulated_rate_matches_sqrt_beta_over_whole_periods():
    beta = 0.81
    # one turn every 8 steps: cos(pi/4) = (1 + beta - alpha*lambda) / (2 sqrt(beta))
    alpha_lambda = 1 + beta - 2 * math.sqrt(beta) * math.cos(math.pi / 4)
    positions, _ = hb.simulate(alpha_lambda, beta, 1.0, steps=400)
    assert hb.measured_rate(np.abs(positions), last=320) == pytest.approx(0.9, abs=1e-9)


def test_simulate_divergence_stops_with_nan():
    positions, buffers = hb.simulate(3.0, 0.1, 1.0, steps=2000)
    assert np.isnan(positions[-1]) and np.isfinite(positions[:50]).all()


def test_steps_to_tolerance():
    assert hb.steps_to_tolerance(0.5, 1e-3) == 10  # 0.5^10 < 1e-3 < 0.5^9
    assert hb.steps_to_tolerance(1.0, 1e-3) == math.inf
    assert hb.first_step_below([1.0, 0.5, 0.25, 0.1], 0.2) == 3
    assert hb.first_step_below([1.0, 0.5], 0.2) is None
    # a tolerance the error starts below takes no steps (a ratio above 1 was refused before the shared form)
    assert hb.steps_to_tolerance(0.5, 2.0) == 0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: hb.convergence_rate(0.0, 0.5, [1.0]), "alpha"),
        (lambda: hb.convergence_rate(0.1, 1.0, [1.0]), "beta"),
        (lambda: hb.convergence_rate(0.1, -0.1, [1.0]), "beta"),
        (lambda: hb.convergence_rate(0.1, 0.5, [1.0, -2.0]), "eigenvalues"),
        (lambda: hb.convergence_rate(np.nan, 0.5, [1.0]), "alpha"),
        (lambda: hb.rate_map([0.1], [0.5], []), "eigenvalues"),
        (lambda: hb.optimal_parameters([-1.0, 2.0]), "eigenvalues"),
        (lambda: hb.optimal_convergence_rate([0.0, 1.0]), "eigenvalues"),
        (lambda: hb.critical_beta(5.0, 1.0), "alpha"),
        (lambda: hb.measured_rate([1.0, 0.5], last=5), "window"),
        (lambda: hb.measured_rate([1.0, 0.0, 0.0], last=2), "distances"),
        (lambda: hb.steps_to_tolerance(0.5, 0.0), "tolerance"),
        (lambda: hb.simulate(0.1, 0.5, 1.0, steps=-1), "steps"),
        (lambda: hb.damping([0.1, 0.2], 0.5, 1.0), "alpha"),
        (lambda: hb.simulate(0.1, 0.5, [1.0, 2.0], steps=3), "eigenvalue"),
        (lambda: hb.optimal_parameters([[1.0, 2.0]]), "eigenvalues"),
    ],
)
def test_bad_input_names_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="alpha"):
        hb.convergence_rate("fast", 0.5, [1.0])


@pytest.mark.parametrize("alpha", [0.01, 0.5, 1.0, 1.3])
@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_nesterov_matrix_and_eigenvalues(alpha, beta):
    lam = 1.0
    x, v = 0.7, -0.2
    v_next = beta * v + lam * x
    x_next = x - alpha * (lam * x + beta * v_next)
    matrix = nesterov.iteration_matrix(alpha, beta, lam)
    np.testing.assert_allclose(matrix @ [x, v], [x_next, v_next], rtol=1e-13)
    ours = np.sort_complex(nesterov.eigenvalues(alpha, beta, lam))
    np.testing.assert_allclose(ours, np.sort_complex(np.linalg.eigvals(matrix)), atol=1e-7)
    assert nesterov.convergence_rate(alpha, beta, [lam]) == pytest.approx(np.abs(ours).max(), abs=1e-7)
    assert nesterov.direction_rate(alpha, beta, lam) == pytest.approx(np.abs(ours).max(), abs=1e-7)


def test_nesterov_stability_limit():
    for beta in [0.0, 0.5, 0.9]:
        limit = nesterov.stability_limit(beta, 1.0)
        assert limit == pytest.approx((2 + 2 * beta) / (1 + 2 * beta))
        assert nesterov.convergence_rate(limit * 0.999, beta, [1.0]) < 1 < nesterov.convergence_rate(limit * 1.001, beta, [1.0])
        assert limit <= hb.stability_limit(beta, 1.0)


def test_simulate_matches_descent_optim_momentum():
    from descent.optim import Momentum

    alpha, beta, lam = 0.3, 0.8, 2.0
    positions, buffers = hb.simulate(alpha, beta, lam, steps=40, x0=1.0)
    optimizer = Momentum(lr=alpha, momentum=beta)
    theta = np.array([1.0])
    for t in range(40):
        optimizer.step({"theta": theta}, {"theta": lam * theta})
        assert theta[0] == pytest.approx(positions[t + 1], rel=1e-12, abs=1e-15)
