"""descent.models.sparse, .noisy and .ravine: the problems of the adaptive-methods chapters."""

import numpy as np
import pytest

from descent.models import (LeastSquares, NoisyGradients, Quadratic, Rosenbrock, rotated_ravine,
                            sparse_regression)
from descent.optim import SGD
from descent.runner import run


# ----------------------------------------------------------------------------- sparse_regression


def test_sparse_regression_draws_binary_features_at_the_given_frequencies():
    p = np.geomspace(0.5, 0.001, 10)
    problem = sparse_regression(p, n=20_000, noise=1.0, seed=4)
    assert problem.X.shape == (20_000, 10) and set(np.unique(problem.X)) == {0.0, 1.0}
    # each count is binomial(n, p): within 5 standard deviations of n p
    expected = 20_000 * p
    assert np.all(np.abs(problem.counts - expected) < 5 * np.sqrt(expected * (1 - p)) + 1)
    np.testing.assert_allclose(problem.observed_frequencies, problem.counts / 20_000)
    assert set(problem.weights) <= {-1.0, 1.0}
    np.testing.assert_array_equal(problem.frequencies, p)
    assert isinstance(problem.model, LeastSquares) and not problem.model.fit_intercept
    # the targets are X w plus noise of standard deviation 1
    residual = problem.y - problem.X @ problem.weights
    assert np.std(residual) == pytest.approx(1.0, rel=0.03)


def test_sparse_regression_is_deterministic_and_the_optimum_is_the_least_squares_fit():
    a = sparse_regression([0.5, 0.1, 0.02], n=2000, seed=7)
    b = sparse_regression([0.5, 0.1, 0.02], n=2000, seed=7)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    c = sparse_regression([0.5, 0.1, 0.02], n=2000, seed=8)
    assert not np.array_equal(a.y, c.y)
    expected, *_ = np.linalg.lstsq(a.X, a.y, rcond=None)
    np.testing.assert_allclose(a.model.optimum, expected, rtol=1e-10)


def test_a_rare_features_gradient_is_zero_in_examples_without_it():
    problem = sparse_regression([0.5, 0.01], n=1000, seed=0)
    theta = np.array([0.3, -0.2])
    absent = np.flatnonzero(problem.X[:, 1] == 0)[:50]
    per_example = problem.model.example_grads(theta, absent)
    assert np.all(per_example[:, 1] == 0)


def test_given_weights_and_noise_free_targets():
    problem = sparse_regression([0.5, 0.2], n=500, noise=0.0, seed=1, weights=[2.0, -3.0])
    np.testing.assert_allclose(problem.y, problem.X @ [2.0, -3.0])
    np.testing.assert_allclose(problem.model.optimum, [2.0, -3.0], rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(frequencies=[0.5, 0.0]), ValueError, "frequencies"),
        (dict(frequencies=[1.5]), ValueError, "frequencies"),
        (dict(frequencies=[[0.5]]), ValueError, "frequencies"),
        (dict(frequencies=[0.5], n=0), ValueError, "n must be"),
        (dict(frequencies=[0.5], noise=-1.0), ValueError, "noise"),
        (dict(frequencies=[0.5], seed=-1), ValueError, "seed"),
        (dict(frequencies=[0.5], weights=[1.0, 2.0]), ValueError, "weights"),
        (dict(frequencies=[0.5, 1e-6], n=100), ValueError, "occur in none"),
        (dict(frequencies=[0.5], n=2.5), ValueError, "n must be"),
    ],
)
def test_sparse_regression_refuses_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        sparse_regression(**kwargs)


# ----------------------------------------------------------------------------- NoisyGradients


def test_noisy_gradients_have_the_true_mean_and_the_given_spread():
    bowl = Quadratic([1.0, 10.0])
    noisy = NoisyGradients(bowl, sigma=0.5, seed=0)
    theta = np.array([0.3, -0.7])
    samples = np.array([noisy.grad(theta) for _ in range(20_000)])
    exact = bowl.grad(theta)
    # the mean is within 5 standard errors of the true gradient, the spread within 3%
    assert np.all(np.abs(samples.mean(axis=0) - exact) < 5 * 0.5 / np.sqrt(20_000))
    np.testing.assert_allclose(samples.std(axis=0), 0.5, rtol=0.03)
    assert noisy.value(theta) == bowl.value(theta)
    np.testing.assert_array_equal(noisy.hessian(theta), bowl.hessian(theta))
    assert noisy.dim == 2 and noisy.min_value == 0.0
    np.testing.assert_array_equal(noisy.minimizers, bowl.minimizers)
    np.testing.assert_array_equal(noisy.start, bowl.start)
    assert "σ = 0.5" in noisy.name and "NoisyGradients" in repr(noisy)


def test_noisy_gradients_are_reproducible_from_the_seed_and_work_with_the_runner():
    first = run(NoisyGradients(Rosenbrock(), 1.0, seed=3), SGD(lr=1e-4), 50)
    again = run(NoisyGradients(Rosenbrock(), 1.0, seed=3), SGD(lr=1e-4), 50)
    other = run(NoisyGradients(Rosenbrock(), 1.0, seed=4), SGD(lr=1e-4), 50)
    np.testing.assert_array_equal(first.path, again.path)
    assert not np.array_equal(first.path, other.path)
    zero_noise = run(NoisyGradients(Rosenbrock(), 0.0), SGD(lr=1e-4), 50)
    np.testing.assert_array_equal(zero_noise.path, run(Rosenbrock(), SGD(lr=1e-4), 50).path)


def test_noisy_gradients_refuse_bad_input():
    with pytest.raises(ValueError, match="sigma"):
        NoisyGradients(Quadratic([1.0]), sigma=-1.0)
    with pytest.raises(TypeError, match="sigma"):
        NoisyGradients(Quadratic([1.0]), sigma="1")
    with pytest.raises(ValueError, match="seed"):
        NoisyGradients(Quadratic([1.0]), sigma=1.0, seed=-2)
    with pytest.raises(TypeError, match="objective"):
        NoisyGradients(object(), sigma=1.0)


# ----------------------------------------------------------------------------- rotated_ravine


def test_rotated_ravine_is_the_same_problem_turned():
    aligned = rotated_ravine(0, kappa=100)
    np.testing.assert_allclose(aligned.A, np.diag([1.0, 100.0]))
    np.testing.assert_allclose(aligned.start, [-1.0, 0.5])
    for angle in (15, 45, 90, 130):
        turned = rotated_ravine(angle, kappa=100)
        np.testing.assert_allclose(np.linalg.eigvalsh(turned.A), [1.0, 100.0], rtol=1e-12)
        assert np.linalg.norm(turned.start) == pytest.approx(np.linalg.norm(aligned.start))
        assert turned.value(turned.start) == pytest.approx(aligned.value(aligned.start), rel=1e-12)
        # gradient descent takes the same steps at every angle: the same distances to the minimum
        np.testing.assert_allclose(np.linalg.norm(run(turned, SGD(lr=0.019), 60).path, axis=1),
                                   np.linalg.norm(run(aligned, SGD(lr=0.019), 60).path, axis=1),
                                   rtol=1e-9, atol=1e-14)


def test_rotated_ravine_refuses_bad_input():
    with pytest.raises(ValueError, match="kappa"):
        rotated_ravine(0, kappa=0.5)
    with pytest.raises(ValueError, match="angle_degrees"):
        rotated_ravine(float("nan"))
    with pytest.raises(TypeError, match="angle_degrees"):
        rotated_ravine("45")


# ----------------------------------------------------------------------------- drop_gradients
from descent.models import drop_gradients  # noqa: E402


def test_drop_gradients_is_one_then_one_over_c():
    gradients = drop_gradients(100.0, steps=10, drop_at=3)
    np.testing.assert_array_equal(gradients[:3], 1.0)
    np.testing.assert_allclose(gradients[3:], 0.01, rtol=1e-15)
    assert drop_gradients(1).shape == (700,) and np.all(drop_gradients(1) == 1.0)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: drop_gradients(0.5), ValueError, "drop must be >= 1"),
        (lambda: drop_gradients(np.inf), ValueError, "drop must be finite"),
        (lambda: drop_gradients(10.0, steps=1), ValueError, "steps must be an integer >= 2"),
        (lambda: drop_gradients(10.0, steps=2.0), TypeError, "steps must be an integer"),
        (lambda: drop_gradients(10.0, steps=10, drop_at=10), ValueError, r"drop_at must be in 1..9"),
        (lambda: drop_gradients(10.0, drop_at=True), TypeError, "drop_at"),
    ],
)
def test_drop_gradients_refuses_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
