"""Tests for descent.optim.swats.SWATS: Keskar and Socher's switching rule, against an independent
implementation of their Algorithm 1 written here on flat vectors."""

import math

import numpy as np
import pytest

from descent.models import Quadratic
from descent.optim.epsilon_hat import AdamEpsilonHat
from descent.optim.swats import SWATS
from descent.runner import run


def published_swats(grad, w0, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-9, tolerance=1e-9):
    """Algorithm 1 of Keskar and Socher (2017), line by line, for one flat parameter vector."""
    beta1, beta2 = betas
    w = np.array(w0, dtype=float)
    m, a, v = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    lam, phase, Lambda, switched_at = 0.0, "adam", None, None
    path, gammas, estimates = [w.copy()], [], []
    for k in range(1, steps + 1):
        g = grad(w)
        if phase == "sgd":
            v = beta1 * v + g
            w = w - (1 - beta1) * Lambda * v
            path.append(w.copy())
            continue
        m = beta1 * m + (1 - beta1) * g
        a = beta2 * a + (1 - beta2) * g**2
        p = -lr * math.sqrt(1 - beta2**k) / (1 - beta1**k) * m / (np.sqrt(a) + eps)
        w = w + p
        path.append(w.copy())
        if p @ g != 0:
            gamma = (p @ p) / (-(p @ g))
            lam = beta2 * lam + (1 - beta2) * gamma
            gammas.append(gamma)
            estimates.append(lam / (1 - beta2**k))
            if k > 1 and abs(lam / (1 - beta2**k) - gamma) < tolerance:
                phase, Lambda, switched_at = "sgd", lam / (1 - beta2**k), k
                v = np.zeros_like(w)
        else:
            gammas.append(math.nan)
            estimates.append(math.nan)
    return np.array(path), np.array(gammas), np.array(estimates), switched_at, Lambda


def swats_path(optimizer, grad, w0, steps):
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    for _ in range(steps):
        optimizer.step({"w": w}, {"w": grad(w)})
        path.append(w.copy())
    return np.array(path)


def test_adam_phase_and_estimates_match_the_published_algorithm():
    bowl = Quadratic([1.0, 10.0], angle=0.4)
    expected, gammas, estimates, switched_at, _ = published_swats(bowl.grad, bowl.start, 300, lr=0.01)
    optimizer = SWATS(lr=0.01)
    path = swats_path(optimizer, bowl.grad, bowl.start, 300)
    assert switched_at is None and optimizer.switched_at is None and optimizer.phase == "adam"
    np.testing.assert_allclose(path, expected, rtol=1e-12, atol=1e-15)
    # p is read off the parameters (one rounding of the addition): the estimates agree to about 1e-9 relative
    np.testing.assert_allclose(optimizer.gammas, gammas, rtol=1e-7)
    np.testing.assert_allclose(optimizer.estimates, estimates, rtol=1e-7)


def test_on_a_linear_loss_the_estimate_is_constant_and_the_rule_fires_at_the_second_step():
    g = np.array([1.0, -2.0, 3.0])       # f(w) = g·w: the Adam step is α sign(g), γ = α d / ‖g‖₁ every step
    grad = lambda w: g.copy()  # noqa: E731
    expected, gammas, _, switched_at, Lambda = published_swats(grad, np.zeros(3), 12, lr=1e-3)
    optimizer = SWATS(lr=1e-3)
    path = swats_path(optimizer, grad, np.zeros(3), 12)
    assert switched_at == optimizer.switched_at == 2
    assert optimizer.phase == "sgd" and optimizer.step_count == 12
    assert optimizer.sgd_lr == pytest.approx(Lambda, rel=1e-9)
    assert optimizer.sgd_lr == pytest.approx(1e-3 * 3 / 6, rel=1e-6)
    np.testing.assert_allclose(path, expected, rtol=1e-9, atol=1e-15)
    # after the switch: SGD with momentum β1 from a fresh buffer, step (1 - β1) Λ v_k
    v = np.zeros(3)
    for k in range(3, 13):
        v = 0.9 * v + g
        np.testing.assert_allclose(path[k - 1] - path[k], 0.1 * optimizer.sgd_lr * v, rtol=1e-9)
    assert "sgd since step 2" in repr(optimizer)


def test_the_published_tolerance_does_not_fire_on_a_noise_free_quadratic():
    optimizer = SWATS(lr=0.01)
    run(Quadratic([1.0, 10.0], angle=0.5), optimizer, 2000)
    gap = np.abs(np.array(optimizer.estimates) - np.array(optimizer.gammas))[1:]
    assert optimizer.switched_at is None and np.nanmin(gap) > 1e-7
    loose = SWATS(lr=0.01, tolerance=np.nanmin(gap) * 1.01)
    run(Quadratic([1.0, 10.0], angle=0.5), loose, 2000)
    assert loose.switched_at == int(np.nanargmin(gap)) + 2     # a looser tolerance fires where the gap is least


def test_a_schedule_scales_the_sgd_rate_after_the_switch():
    g = np.array([2.0, -1.0])
    optimizer, w = SWATS(lr=1e-3), np.zeros(2)
    for _ in range(3):
        optimizer.step({"w": w}, {"w": g.copy()})
    assert optimizer.phase == "sgd"
    optimizer.lr = 1e-4                                        # a tenfold decay
    before = w.copy()
    optimizer.step({"w": w}, {"w": g.copy()})
    v = 0.9 * g + g                                            # the buffer after two SGD steps
    np.testing.assert_allclose(before - w, 0.1 * optimizer.sgd_lr * 0.1 * v, rtol=1e-9)


def test_zero_gradient_records_nan_and_does_not_switch():
    optimizer, w = SWATS(), np.zeros(2)
    for _ in range(5):
        optimizer.step({"w": w}, {"w": np.zeros(2)})
    assert optimizer.phase == "adam" and all(math.isnan(x) for x in optimizer.gammas)


def test_negative_estimates_never_switch():
    # momentum carries the step uphill after the gradient flips: γ < 0; a huge tolerance still must not switch
    optimizer, w = SWATS(lr=0.1, tolerance=1e6), np.zeros(1)
    optimizer.step({"w": w}, {"w": np.array([1.0])})
    optimizer.step({"w": w}, {"w": np.array([-1e-3])})
    assert optimizer.gammas[1] < 0 and optimizer.estimates[1] < 0 and optimizer.phase == "adam"


@pytest.mark.parametrize("kwargs, match", [({"lr": -1.0}, "lr"), ({"betas": (0.9, 1.5)}, "beta2"),
                                           ({"eps": -1.0}, "eps"), ({"tolerance": -1.0}, "tolerance")])
def test_bad_hyperparameters_name_themselves(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SWATS(**kwargs)


def test_bad_params_are_refused_by_the_adam_phase():
    with pytest.raises(ValueError, match="gradient 'w' has shape"):
        SWATS().step({"w": np.zeros(2)}, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match="lr"):
        SWATS().lr = -1.0


def test_the_adam_phase_is_the_epsilon_hat_form():
    bowl = Quadratic([1.0, 4.0])
    a = swats_path(SWATS(lr=0.05, eps=1e-8), bowl.grad, bowl.start, 50)
    b = swats_path(AdamEpsilonHat(lr=0.05, eps=1e-8), bowl.grad, bowl.start, 50)
    np.testing.assert_array_equal(a, b)
