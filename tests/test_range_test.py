"""descent.training.lr_range_test: the sweep, the smoothing, the stop, the suggestion, and where it
lands on quadratics; on a network; the errors bad input gets."""

from __future__ import annotations

import numpy as np
import pytest

from descent.data import load
from descent.models import MLP, LeastSquares, Quadratic
from descent.optim import SGD, Adam
from descent.training import lr_range_test
from descent.training.range_test import SmoothedLoss, smoothed, sweep_rates


def least_squares(seed, n=600, d=6, noise=0.5):
    """A noisy quadratic: least squares on random data (features of different scales), and its L."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 10 ** rng.uniform(-1, 1, size=d)
    y = X @ rng.normal(size=d) + noise * rng.normal(size=n)
    model = LeastSquares(X, y, fit_intercept=False)
    L = float(np.linalg.eigvalsh(model.hessian(np.zeros(d))).max())
    return model, L


def test_the_sweep_is_exponential_from_lr_min_to_lr_max():
    rates = sweep_rates(1e-6, 10.0, 50)
    assert rates[0] == 1e-6 and rates[-1] == pytest.approx(10.0, rel=1e-12)
    ratios = rates[1:] / rates[:-1]
    np.testing.assert_allclose(ratios, (1e7) ** (1 / 49), rtol=1e-12)


def test_the_smoothing_is_bias_corrected():
    np.testing.assert_allclose(smoothed([2.0] * 10, 0.98), 2.0, rtol=1e-12)  # no pull towards 0
    losses = np.array([4.0, 2.0, 1.0])
    expected = [4.0, (0.8 * 0.2 * 4 + 0.2 * 2) / (1 - 0.8**2), (0.8**2 * 0.2 * 4 + 0.8 * 0.2 * 2 + 0.2 * 1) / (1 - 0.8**3)]
    np.testing.assert_allclose(smoothed(losses, 0.8), expected, rtol=1e-12)
    average = SmoothedLoss(0.0)  # beta = 0: no smoothing
    assert [average.update(x) for x in (3.0, 1.0)] == [3.0, 1.0]


@pytest.mark.parametrize("seed", range(6))
def test_on_a_noisy_quadratic_it_diverges_within_a_factor_of_two_of_two_over_L(seed):
    """Least squares with mini-batches: the loss is quadratic in theta with Hessian X^T X / n, and the
    mini-batch noise keeps every direction excited, as in real training. Measured ratios
    divergence_lr / (2/L) at these settings: 1.2 to 1.9 over 25 random problems."""
    model, L = least_squares(seed)
    result = lr_range_test(model, np.zeros(model.dim), SGD(lr=0.1), lr_min=1e-5 / L, lr_max=1e2 / L,
                           steps=300, beta=0.9, batch_size=32, seed=seed)
    assert result.diverged
    ratio = result.divergence_lr / (2 / L)
    assert 0.5 < ratio < 2.0, ratio
    assert result.suggestion < 2 / L  # the suggestion is a stable rate
    assert result.min_lr < result.divergence_lr


def test_on_a_noise_free_quadratic_it_never_stops_below_two_over_L():
    """Below 2/L gradient descent lowers a quadratic's loss at every step, so the smoothed loss only
    falls and the test cannot stop; above it, the steepest direction, which the steps near 1/L have
    all but zeroed, must regrow from almost nothing, so the stop comes late (a few times 2/L)."""
    for eigenvalues in ([1.0], [0.5, 3.0], [0.01, 0.3, 7.0]):
        q = Quadratic(eigenvalues)
        result = lr_range_test(q, q.start, SGD(lr=0.1), lr_min=1e-4 / q.L, lr_max=1e3 / q.L, steps=200)
        assert result.diverged
        assert 4 < result.divergence_lr / (2 / q.L) < 12  # late: measured 6.3 to 7.4 at these settings
        below = result.lrs < 2 / q.L
        assert np.all(np.diff(result.smoothed[below]) <= 0)
        assert result.suggestion < 2 / q.L


def test_it_leaves_the_callers_parameters_and_optimizer_alone():
    data = load("digits")
    net = MLP([64, 32, 10])
    params = net.init(0, dtype=np.float32)
    before = {k: v.copy() for k, v in params.items()}
    optimizer = Adam(lr=1e-3)
    result = lr_range_test(net, params, optimizer, data, batch_size=32, lr_min=1e-5, lr_max=100.0, steps=80)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])
    assert optimizer.lr == 1e-3 and optimizer.state == {}
    assert result.diverged and result.divergence_lr < 100.0
    assert result.lrs.shape == result.losses.shape == result.smoothed.shape
    assert result.smoothed[result.min_index] < result.initial_loss
    assert result.suggestion == pytest.approx(result.min_lr / 10)
    assert "diverged at lr=" in repr(result)


def test_the_steepest_rule():
    model, L = least_squares(3)
    result = lr_range_test(model, np.zeros(model.dim), SGD(lr=0.1), lr_min=1e-5 / L, lr_max=1e2 / L,
                           steps=200, batch_size=32, rule="steepest")
    assert result.rule == "steepest"
    below = result.lrs <= result.min_lr
    slopes = np.diff(result.smoothed[below]) / np.diff(np.log(result.lrs[below]))
    assert result.suggestion == result.lrs[1 + int(np.argmin(slopes))]
    assert result.suggestion < result.min_lr


def test_full_batch_on_a_model_with_examples():
    model, L = least_squares(1)
    result = lr_range_test(model, np.zeros(model.dim), SGD(lr=0.1), lr_min=1e-3 / L, lr_max=1e2 / L, steps=60)
    assert result.divergence_lr > 2 / L  # full batch: the noise-free case above


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"lr_min": 1.0, "lr_max": 0.1}, "lr_max must be > lr_min"),
        ({"lr_min": 0.0}, "lr_min must be > 0"),
        ({"steps": 1}, "steps must be an integer >= 2"),
        ({"beta": 1.0}, r"beta must be in \[0.0, 1.0\)"),
        ({"diverge_factor": 1.0}, "diverge_factor must be > 1"),
        ({"rule": "valley"}, "rule must be one of"),
        ({"batch_size": None}, "batch_size is required for a network"),
        ({"batch_size": 5000}, "batch_size must be at most the number of training examples"),
    ],
)
def test_bad_arguments(kwargs, words):
    data = load("digits")
    net = MLP([64, 10])
    arguments = {"batch_size": 32, **kwargs}
    with pytest.raises(ValueError, match=words):
        lr_range_test(net, net.init(0), SGD(lr=0.1), data, **arguments)


def test_bad_objective_arguments():
    q = Quadratic([1.0, 2.0])
    with pytest.raises(ValueError, match="1-D array"):
        lr_range_test(q, np.zeros((2, 2)), SGD(lr=0.1))
    with pytest.raises(ValueError, match="finite"):
        lr_range_test(q, [np.nan, 0.0], SGD(lr=0.1))
    with pytest.raises(ValueError, match="batch_size applies to models with examples"):
        lr_range_test(q, q.start, SGD(lr=0.1), batch_size=4)
    with pytest.raises(TypeError, match="objective of descent.models"):
        lr_range_test(object(), q.start, SGD(lr=0.1))


def test_suggest_applies_another_rule_to_the_same_sweep():
    model, L = least_squares(2)
    kwargs = dict(lr_min=1e-5 / L, lr_max=1e2 / L, steps=200, batch_size=32, seed=2)
    by_min = lr_range_test(model, np.zeros(model.dim), SGD(lr=0.1), **kwargs)
    by_slope = lr_range_test(model, np.zeros(model.dim), SGD(lr=0.1), rule="steepest", **kwargs)
    assert by_min.suggest("steepest") == by_slope.suggestion
    assert by_slope.suggest("min/10") == by_min.suggestion
    with pytest.raises(ValueError, match="rule must be one of"):
        by_min.suggest("valley")
