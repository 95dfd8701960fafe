"""Tests for descent.theory.noise: the gradient variance of mini-batches, exact and measured, and the noise ball."""

import itertools

import numpy as np
import pytest

from descent.data import load
from descent.models import LogisticRegression
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
    with pytest.raises(ValueError, match="lr must be below 2/L"):
        noise_ball(small, theta, 2.01 / L, 1)
    with pytest.raises(ValueError, match="lr must be > 0"):
        noise_ball(small, theta, 0.0, 1)


def test_bad_variance_arguments(model):
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_gradient_variance(model, np.zeros(5), 0)
    with pytest.raises(ValueError, match="samples"):
        minibatch_gradient_variance(model, np.zeros(5), 2, samples=0)
