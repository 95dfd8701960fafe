"""Tests for descent.theory.noise: the gradient variance of mini-batches, exact and measured, the noise ball, and the
noise floor on a noisy quadratic against simulation (NoisyQuadratic driven by the real optimizers)."""

import itertools

import numpy as np
import pytest

from descent.data import load
from descent.models import LogisticRegression, NoisyQuadratic
from descent.optim import SGD, Momentum
from descent.runner import run
from descent.theory import noise
from descent.theory.noise import (
    example_gradient_variance,
    minibatch_gradient_variance,
    noise_ball,
    predicted_gradient_variance,
)


@pytest.fixture(scope="module")
def cancer():
    return load("breast_cancer")


@pytest.fixture(scope="module")
def model(cancer):
    return LogisticRegression(cancer.X_train[:60, :4], cancer.y_train[:60], l2=0.01)


def test_predicted_variance_is_exact_by_enumerating_every_batch(cancer):
    # With n = 9 examples every batch of size B can be listed: the mean squared deviation of the
    # batch gradients from the full gradient is exactly sigma^2 / B * (n - B) / (n - 1).
    small = LogisticRegression(cancer.X_train[:9, :3], cancer.y_train[:9], l2=0.1)
    theta = np.array([0.3, -0.2, 0.5, 0.1])
    full = small.grad(theta)
    for B in range(1, 10):
        deviations = [np.sum((small.grad(theta, np.array(b)) - full) ** 2)
                      for b in itertools.combinations(range(9), B)]
        assert predicted_gradient_variance(small, theta, B) == pytest.approx(np.mean(deviations), rel=1e-10, abs=1e-15)
    assert predicted_gradient_variance(small, theta, 9) == 0.0
    G = small.example_grads(theta)
    assert example_gradient_variance(small, theta) == pytest.approx(np.mean(np.sum((G - full) ** 2, axis=1)))


def test_measured_variance_matches_the_prediction(cancer):
    model = LogisticRegression.from_dataset(cancer, l2=0.01)
    theta = np.zeros(model.dim)
    for B in (1, 16, 200):
        measured = minibatch_gradient_variance(model, theta, B, samples=20000, seed=B)
        # 20000 draws: the relative standard error is about 1 %, so 5 % is a five-sigma band.
        assert measured == pytest.approx(predicted_gradient_variance(model, theta, B), rel=0.05)
    assert minibatch_gradient_variance(model, theta, model.n, samples=10) == pytest.approx(0.0, abs=1e-25)


def test_noise_ball_solves_its_stationary_equation_and_has_the_small_rate_limit(cancer):
    small = LogisticRegression(cancer.X_train[:80, :4], cancer.y_train[:80], l2=0.05)
    theta = small.optimum
    H = small.hessian(theta)
    C = np.cov(small.example_grads(theta).T, bias=True)
    for lr, B in ((0.5, 1), (3.0, 4)):
        ball = noise_ball(small, theta, lr, B)
        S = ball.covariance
        np.testing.assert_allclose(H @ S + S @ H - lr * H @ S @ H, lr * C / B, rtol=0, atol=1e-12)
        assert ball.gap == pytest.approx(0.5 * np.trace(H @ S), rel=1e-12)
        assert ball.leading_gap == pytest.approx(lr * example_gradient_variance(small, theta) / (4 * B), rel=1e-12)
        assert ball.logit_spread == pytest.approx(np.sqrt(np.mean([x @ S @ x for x in small.X])), rel=1e-12)
        assert ball.gap > ball.leading_gap  # the exact quadratic-model gap exceeds its first-order term
    tiny = noise_ball(small, theta, 1e-6, 1)
    assert tiny.gap == pytest.approx(tiny.leading_gap, rel=1e-5)
    L = np.linalg.eigvalsh(H).max()
    with pytest.raises(ValueError, match="alpha must be below 2/L"):
        noise_ball(small, theta, 2.01 / L, 1)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        noise_ball(small, theta, 0.0, 1)


def test_bad_variance_arguments(model):
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_gradient_variance(model, np.zeros(5), 0)
    with pytest.raises(ValueError, match="samples"):
        minibatch_gradient_variance(model, np.zeros(5), 2, samples=0)


# The noise floor on a noisy quadratic, against runs of the real optimizers


def measured_floor(objective, optimizer, steps=4000, burn_in=1000):
    trajectory = run(objective, optimizer, steps, start=np.zeros(objective.dim))
    return trajectory.losses[burn_in:].mean()


EIGENVALUES = np.tile([0.1, 0.2, 0.4], 100)


@pytest.mark.parametrize("lr, batch_size", [(0.05, 1), (0.5, 1), (0.5, 4)])
def test_sgd_floor_matches_simulation(lr, batch_size):
    objective = NoisyQuadratic(EIGENVALUES, 1 / np.sqrt(batch_size), seed=3)
    measured = measured_floor(objective, SGD(lr=lr))
    exact = noise.stationary_gap(lr, 0.0, 1.0, EIGENVALUES, batch_size=batch_size)
    # 300 directions, 3000 steps of at least 10 time constants each: a sampling error near 1 %
    assert measured == pytest.approx(exact, rel=0.05)


@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_momentum_floor_matches_simulation(beta):
    lr = 0.02
    objective = NoisyQuadratic(EIGENVALUES, 1.0, seed=4)
    measured = measured_floor(objective, Momentum(lr=lr, momentum=beta))
    assert measured == pytest.approx(noise.stationary_gap(lr, beta, 1.0, EIGENVALUES), rel=0.05)


def test_first_order_limits():
    # exact -> alpha sigma^2 / (4B) as alpha -> 0; momentum's -> SGD's at alpha / (1 - beta)
    s2 = np.linspace(0.5, 2.0, EIGENVALUES.size)
    for lr in (1e-4, 1e-5):
        first = noise.noise_floor(lr, s2.sum(), batch_size=3)
        assert noise.stationary_gap(lr, 0.0, s2, EIGENVALUES, batch_size=3) == pytest.approx(first, rel=10 * lr)
        with_momentum = noise.stationary_gap(lr, 0.9, s2, EIGENVALUES, batch_size=3)
        assert with_momentum == pytest.approx(noise.noise_floor(lr / 0.1, s2.sum(), 3), rel=100 * lr)
    # the exact gap is above the first-order one (the extra term alpha tr(H Sigma H) / 4 is positive)
    assert noise.stationary_gap(1.0, 0.0, 1.0, EIGENVALUES) > noise.noise_floor(1.0, EIGENVALUES.size)


def test_sgd_closed_form_one_direction():
    lr, lam, s2 = 0.3, 2.0, 0.7
    assert noise.stationary_gap(lr, 0.0, s2, [lam]) == pytest.approx(lr * s2 / (2 * (2 - lr * lam)), rel=1e-14)


def test_noisy_quadratic_is_seeded_and_unbiased():
    a, b = NoisyQuadratic([1.0, 2.0], 0.5, seed=7), NoisyQuadratic([1.0, 2.0], 0.5, seed=7)
    point = np.array([0.3, -0.2])
    assert np.array_equal(a.grad(point), b.grad(point))
    a.reseed()
    draws = np.array([a.grad(point) for _ in range(20000)])
    assert np.allclose(draws.mean(axis=0), a.exact_grad(point), atol=0.02)
    assert np.allclose(draws.var(axis=0), 0.25, rtol=0.05)
    assert a.value(point) == pytest.approx(0.5 * (0.09 + 2 * 0.04), rel=1e-14)
    assert a.sigma2 == pytest.approx(0.5)


@pytest.mark.parametrize("kwargs, match", [
    (dict(alpha=0.0, beta=0.0, noise_variances=1.0, eigenvalues=[1.0]), "alpha"),
    (dict(alpha=2.5, beta=0.0, noise_variances=1.0, eigenvalues=[1.0]), "stability limit"),
    (dict(alpha=0.1, beta=0.0, noise_variances=1.0, eigenvalues=[1.0, -1.0]), "eigenvalues"),
    (dict(alpha=0.1, beta=0.0, noise_variances=[1.0, 2.0, 3.0], eigenvalues=[1.0, 2.0]), "noise_variances"),
    (dict(alpha=0.1, beta=0.0, noise_variances=-1.0, eigenvalues=[1.0]), "noise_variances"),
    (dict(alpha=0.1, beta=1.0, noise_variances=1.0, eigenvalues=[1.0]), "beta"),
    (dict(alpha=0.1, beta=0.0, noise_variances=1.0, eigenvalues=[1.0], batch_size=0), "batch_size"),
])
def test_stationary_gap_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        noise.stationary_gap(**kwargs)


def test_noise_floor_and_model_errors():
    with pytest.raises(ValueError, match="sigma2"):
        noise.noise_floor(0.1, -1.0)
    with pytest.raises(ValueError, match="noise_std"):
        NoisyQuadratic([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="noise_std"):
        NoisyQuadratic([1.0], -0.1)
    with pytest.raises(ValueError, match="seed"):
        NoisyQuadratic([1.0], 0.1, seed=-1)


def test_noisy_gradients_wrapper_draws_the_stated_noise():
    from descent.models import NoisyGradients, Saddle

    saddle = Saddle(start=(1.5, 0.0))
    noisy = NoisyGradients(saddle, 0.01, seed=2)
    point = np.array([0.3, 0.2])
    assert noisy.dim == 2 and np.array_equal(noisy.start, saddle.start) and noisy.min_value == saddle.min_value
    assert noisy.value(point) == saddle.value(point)
    draws = np.array([noisy.grad(point) for _ in range(20000)])
    assert np.allclose(draws.mean(axis=0), saddle.grad(point), atol=5e-4)
    assert np.allclose(draws.std(axis=0), 0.01, rtol=0.05)
    assert np.array_equal(NoisyGradients(saddle, 0.01, seed=2).grad(point), NoisyGradients(saddle, 0.01, seed=2).grad(point))
    assert np.array_equal(NoisyGradients(saddle, 0.0).grad(point), saddle.grad(point))
    with pytest.raises(ValueError, match="sigma"):
        NoisyGradients(saddle, -1.0)
    with pytest.raises(TypeError, match="objective"):
        NoisyGradients(object(), 0.1)
