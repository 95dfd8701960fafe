"""Tests for descent.optim.epsilon_hat.AdamEpsilonHat: the paper's efficient Adam, as scikit-learn computes it."""

import numpy as np
import pytest
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer

from descent.optim import Adam
from descent.optim.epsilon_hat import AdamEpsilonHat


def random_grads(seed, steps, shapes, scale=1.0):
    rng = np.random.default_rng(seed)
    return [[rng.normal(scale=scale, size=shape) for shape in shapes] for _ in range(steps)]


@pytest.mark.parametrize("lr, betas, eps, scale", [(1e-3, (0.9, 0.999), 1e-8, 1.0), (0.05, (0.5, 0.99), 1e-3, 1e-4),
                                                   (0.01, (0.0, 0.9), 1e-7, 1e-6)])
def test_matches_scikit_learns_adam_step_for_step(lr, betas, eps, scale):
    """scikit-learn's MLP uses this form (learning_rate_init·√(1-β2ᵗ)/(1-β1ᵗ) · m/(√v + ε)): a second,
    independent implementation to compare with."""
    shapes = [(3, 2), (2,)]
    ours = {"W": np.zeros((3, 2)), "b": np.zeros(2)}
    theirs = [np.zeros((3, 2)), np.zeros(2)]
    optimizer = AdamEpsilonHat(lr=lr, betas=betas, eps=eps)
    reference = AdamOptimizer(theirs, learning_rate_init=lr, beta_1=betas[0], beta_2=betas[1], epsilon=eps)
    for grads in random_grads(0, 40, shapes, scale):
        optimizer.step(ours, {"W": grads[0], "b": grads[1]})
        reference.update_params(theirs, grads)
        np.testing.assert_allclose(ours["W"], theirs[0], rtol=1e-12, atol=1e-18)
        np.testing.assert_allclose(ours["b"], theirs[1], rtol=1e-12, atol=1e-18)


def test_equals_torch_form_without_epsilon_and_differs_with_it():
    grads = random_grads(1, 30, [(5,)], scale=1e-6)
    a, b, c = np.zeros(5), np.zeros(5), np.zeros(5)
    hat0, torch0, hat = AdamEpsilonHat(lr=0.01, eps=0.0), Adam(lr=0.01, eps=0.0), AdamEpsilonHat(lr=0.01, eps=1e-7)
    for (g,) in grads:
        hat0.step({"p": a}, {"p": g})
        torch0.step({"p": b}, {"p": g})
        hat.step({"p": c}, {"p": g})
    np.testing.assert_allclose(a, b, rtol=1e-14, atol=0)
    assert np.abs(c - b).max() > 0.05 * np.abs(b).max()       # gradients of 1e-6 against ε_t of 3e-6 and less


def test_float32_state_and_hyperparameter_checks():
    p = {"w": np.zeros(3, dtype=np.float32)}
    optimizer = AdamEpsilonHat(lr=0.1)
    optimizer.step(p, {"w": np.ones(3, dtype=np.float32)})
    assert p["w"].dtype == np.float32 and optimizer.state["w"]["exp_avg"].dtype == np.float32
    np.testing.assert_allclose(p["w"], -0.1, rtol=1e-4)
    with pytest.raises(ValueError, match="eps"):
        AdamEpsilonHat(eps=-1.0)
    with pytest.raises(ValueError, match="beta2"):
        AdamEpsilonHat(betas=(0.9, 1.0))
    with pytest.raises(AttributeError, match="hyperparameters are lr, betas, eps"):
        optimizer.weight_decay = 0.1


def test_state_dict_round_trip_continues_identically():
    grads = random_grads(2, 20, [(4,)])
    full, first = AdamEpsilonHat(lr=0.05), AdamEpsilonHat(lr=0.05)
    a, b = np.zeros(4), np.zeros(4)
    for (g,) in grads:
        full.step({"p": a}, {"p": g})
    for (g,) in grads[:10]:
        first.step({"p": b}, {"p": g})
    resumed = AdamEpsilonHat(lr=0.05)
    resumed.load_state_dict(first.state_dict())
    for (g,) in grads[10:]:
        resumed.step({"p": b}, {"p": g})
    np.testing.assert_array_equal(a, b)
