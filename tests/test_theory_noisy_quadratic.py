"""Tests for descent.theory.noisy_quadratic: the exact expected-loss recursions of SGD and momentum.

Three independent checks of the recursion: without noise it is the square of a real run of
descent.optim.SGD / Momentum (deterministic, to rounding); with noise its fixed point is the closed
form, which also solves the 3x3 stationary system; and a seeded Monte Carlo average over many noisy
runs of the same optimizers agrees with it within its sampling error.
"""

import numpy as np
import pytest

from descent import schedules
from descent.models import Quadratic
from descent.optim import SGD, Momentum
from descent.runner import DIVERGENCE_BOUND, run
from descent.theory import noisy_quadratic as nq

EIGENVALUES = np.array([0.05, 0.3, 1.0, 1.7])
NOISE = np.array([0.02, 0.1, 0.3, 0.05])
START = np.array([1.0, -0.5, 2.0, 0.25])


def optimizer(momentum, lr):
    return SGD(lr=lr) if momentum == 0 else Momentum(lr=lr, momentum=momentum)


@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("schedule", [schedules.constant(0.7), schedules.cosine(1.1, 60),
                                      schedules.warmup(schedules.linear(0.9, 1.0, 0.0, 40), 10, 0.1),
                                      schedules.one_cycle(1.5, 80)])
def test_without_noise_it_is_the_square_of_a_real_run(momentum, schedule):
    steps = 70
    bowl = Quadratic(EIGENVALUES, start=START)
    trajectory = run(bowl, optimizer(momentum, 0.1), steps, schedule=schedule)
    moments = nq.expected_second_moments(schedule, EIGENVALUES, 0.0, steps, start=START, momentum=momentum)
    np.testing.assert_allclose(moments, trajectory.path**2, rtol=1e-10, atol=1e-14 * np.max(START**2))
    loss = nq.expected_loss(schedule, EIGENVALUES, 0.0, steps, start=START, momentum=momentum)
    np.testing.assert_allclose(loss, trajectory.losses, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("momentum", [0.0, 0.6])
def test_monte_carlo_average_of_noisy_runs_agrees(momentum):
    """Many independent runs of the real optimizer with Gaussian gradient noise, all in one array."""
    rng = np.random.default_rng(20240611)
    runs, steps = 40_000, 40
    schedule = schedules.warmup(schedules.cosine(0.8, steps - 5), 5, 0.2)
    theta = np.tile(START, (runs, 1))
    opt = optimizer(momentum, 0.1)
    squares = [theta**2]
    for t in range(steps):
        opt.lr = schedule(t)
        noise = rng.standard_normal(theta.shape) * np.sqrt(NOISE)
        opt.step({"theta": theta}, {"theta": EIGENVALUES * theta + noise})
        squares.append(theta**2)
    squares = np.array(squares)  # (steps + 1, runs, d)
    mean = squares.mean(axis=1)
    standard_error = squares.std(axis=1) / np.sqrt(runs)
    expected = nq.expected_second_moments(schedule, EIGENVALUES, NOISE, steps, start=START, momentum=momentum)
    z = np.abs(mean - expected) / np.maximum(standard_error, 1e-300)
    assert z[1:].max() < 5.5, z.max()  # 160 moments compared: a 5.5-sigma miss has probability ~1e-6


@pytest.mark.parametrize("momentum", [0.0, 0.3, 0.9])
@pytest.mark.parametrize("lr", [0.05, 0.7, 1.1])
def test_constant_rate_settles_at_the_closed_form_floor(momentum, lr):
    stationary = nq.stationary_second_moments(lr, EIGENVALUES, NOISE, momentum=momentum)
    long = nq.expected_second_moments(schedules.constant(lr), EIGENVALUES, NOISE, 6000, start=START,
                                      momentum=momentum)
    np.testing.assert_allclose(long[-1], stationary, rtol=1e-9)
    floor = nq.noise_floor(lr, EIGENVALUES, NOISE, momentum=momentum)
    assert floor == pytest.approx(0.5 * np.sum(EIGENVALUES * stationary), rel=1e-14)
    # the fixed point solves the stationary 3x3 system of (E x², E xv, E v²) too
    for lam, sigma2, value in zip(EIGENVALUES, NOISE, stationary):
        a, b = 1 - lr * lam, -lr * momentum
        M = np.array([[a * a, 2 * a * b, b * b],
                      [a * lam, a * momentum + b * lam, b * momentum],
                      [lam * lam, 2 * lam * momentum, momentum**2]])
        solved = np.linalg.solve(np.eye(3) - M, [lr * lr * sigma2, -lr * sigma2, sigma2])
        assert solved[0] == pytest.approx(value, rel=1e-9)


def test_floor_for_small_rates_is_the_effective_rate_times_the_noise():
    lr, beta = 1e-4, 0.9
    floor = nq.noise_floor(lr, EIGENVALUES, NOISE, momentum=beta)
    assert floor == pytest.approx(lr / (1 - beta) * NOISE.sum() / 4, rel=1e-3)


def test_stability_limit_and_beyond():
    assert nq.stability_limit(EIGENVALUES) == pytest.approx(2 / 1.7)
    assert nq.stability_limit(EIGENVALUES, momentum=0.9) == pytest.approx(3.8 / 1.7)
    for beta in (0.0, 0.5):
        limit = nq.stability_limit(EIGENVALUES, momentum=beta)
        assert np.isfinite(nq.noise_floor(0.99 * limit, EIGENVALUES, NOISE, momentum=beta))
        assert nq.noise_floor(1.01 * limit, EIGENVALUES, NOISE, momentum=beta) == np.inf
        below = nq.expected_loss(schedules.constant(0.99 * limit), EIGENVALUES, NOISE, 3000, momentum=beta)
        above = nq.expected_loss(schedules.constant(1.01 * limit), EIGENVALUES, NOISE, 3000, momentum=beta)
        assert np.all(np.isfinite(below)) and above[-1] == np.inf


def test_divergence_is_marked_like_the_runner_does():
    """A direction whose second moment passes the runner's bound stays diverged, even when a falling
    rate would shrink it again in exact arithmetic."""
    schedule = schedules.cosine(3.0, 400)  # above 2/L = 2 for the first 39% of the steps
    moments = nq.expected_second_moments(schedule, [1.0, 0.01], 0.0, 400)
    steep = moments[:, 0]
    first = int(np.argmax(~np.isfinite(steep)))
    assert first > 0 and np.all(np.isinf(steep[first:]))
    assert steep[first - 1] <= DIVERGENCE_BOUND
    assert np.all(np.isfinite(moments[:, 1]))  # the flat direction is fine
    assert nq.expected_loss(schedule, [1.0, 0.01], 0.0, 400)[-1] == np.inf
    bowl = Quadratic([1.0, 0.01])
    assert run(bowl, SGD(lr=0.1), 400, schedule=schedule).diverged


def test_rates_may_be_given_as_an_array():
    schedule = schedules.cosine(0.5, 30)
    rates = schedule(np.arange(40))
    np.testing.assert_array_equal(nq.expected_loss(rates, EIGENVALUES, NOISE, 30),
                                  nq.expected_loss(schedule, EIGENVALUES, NOISE, 30))
    np.testing.assert_array_equal(nq.expected_loss(lambda t: 0.5, EIGENVALUES, NOISE, 30),
                                  nq.expected_loss(schedules.constant(0.5), EIGENVALUES, NOISE, 30))


def test_zero_steps_and_scalar_arguments():
    assert nq.expected_loss(schedules.constant(0.1), 2.0, 0.3, 0, start=3.0).tolist() == [9.0]
    assert nq.expected_second_moments(schedules.constant(0.1), [1.0, 2.0], 0.1, 5).shape == (6, 2)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0, -1.0], 0.1, 10), ValueError, "eigenvalues"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [], 0.1, 10), ValueError, "eigenvalues"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0], -0.1, 10), ValueError, "noise"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0, 2.0], [0.1, 0.1, 0.1], 10), ValueError, "noise"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0], 0.1, -1), ValueError, "steps"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0], 0.1, 2.5), ValueError, "steps"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0], 0.1, 10, momentum=1.0), ValueError, "momentum"),
        (lambda: nq.expected_loss(schedules.constant(0.1), [1.0], 0.1, 10, start=np.nan), ValueError, "start"),
        (lambda: nq.expected_loss([0.1, 0.1], [1.0], 0.1, 10), ValueError, "at least steps"),
        (lambda: nq.expected_loss(lambda t: -0.1, [1.0], 0.1, 10), ValueError, "rates >= 0"),
        (lambda: nq.expected_loss("cosine", [1.0], 0.1, 10), TypeError, "schedule"),
        (lambda: nq.noise_floor(0.0, [1.0], 0.1), ValueError, "alpha"),
        (lambda: nq.stability_limit([1.0], momentum=-0.1), ValueError, "momentum"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
