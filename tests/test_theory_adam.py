"""Tests for descent.theory.adam: each closed form against a run of the optimizer it describes."""

import math

import numpy as np
import pytest

from descent.optim import Adam, AdamW, NAdam, RAdam
from descent.optim.epsilon_hat import AdamEpsilonHat
from descent.theory import adam as theory


def constant_gradient_states(optimizer, steps, g=1.0):
    """Feed a constant gradient; return the state after each step (copies) and the steps taken."""
    theta, states, taken = np.zeros(1), [], []
    for _ in range(steps):
        before = theta.copy()
        optimizer.step({"theta": theta}, {"theta": np.array([g])})
        states.append({k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in optimizer.state["theta"].items()})
        taken.append(float((before - theta)[0]))
    return states, np.array(taken)


# --------------------------------------------------------------------------- bias correction


def test_bias_correction_is_what_a_leaky_average_of_a_constant_falls_short_by():
    states, _ = constant_gradient_states(Adam(betas=(0.9, 0.999)), 50, g=3.0)
    t = np.arange(1, 51)
    m = np.array([s["exp_avg"][0] for s in states])
    v = np.array([s["exp_avg_sq"][0] for s in states])
    np.testing.assert_allclose(m / 3.0, theory.bias_correction(0.9, t), rtol=1e-12)
    np.testing.assert_allclose(v / 9.0, theory.bias_correction(0.999, t), rtol=1e-12)
    assert theory.bias_correction(0.5, 1) == 0.5 and isinstance(theory.bias_correction(0.5, 1), float)


@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.9, 0.99), (0.99, 0.999), (0.0, 0.9)])
def test_uncorrected_step_factor_is_m_over_root_v_of_the_optimizer(betas):
    states, _ = constant_gradient_states(Adam(betas=betas), 300)
    ratio = np.array([s["exp_avg"][0] / math.sqrt(s["exp_avg_sq"][0]) for s in states])
    np.testing.assert_allclose(ratio, theory.uncorrected_step_factor(np.arange(1, 301), betas), rtol=1e-12)


def test_uncorrected_step_factor_default_values():
    t = np.arange(1, 20_001)
    factor = theory.uncorrected_step_factor(t)
    assert factor[0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-14)
    assert int(t[np.argmax(factor)]) == 12 and round(float(factor.max()), 2) == 6.57
    assert int(t[factor >= 1.01].max()) + 1 == 3925


def test_first_step_is_lr_times_sign_with_correction_and_the_factor_without():
    g = np.array([1e4, -3.0, 2e-3])
    theta = np.zeros(3)
    Adam(lr=0.02).step({"theta": theta}, {"theta": g})
    np.testing.assert_allclose(-theta, theory.first_step(0.02) * np.sign(g), rtol=1e-5)
    assert theory.first_step(0.02, corrected=False) == pytest.approx(0.02 * 0.1 / math.sqrt(0.001))
    assert theory.first_step(1.0, (0.9, 0.99), corrected=False) == pytest.approx(1.0)


# --------------------------------------------------------------------------- the band


def test_critical_denominator_is_heavy_balls_stability_limit():
    # frozen denominator D: Adam is heavy ball with lr α(1-β1)/D and momentum β1; stable iff lr·L < 2 + 2β1
    lr, beta1, L = 0.1, 0.9, 10.0
    D = theory.critical_denominator(lr, beta1, L)
    assert lr * (1 - beta1) / D * L == pytest.approx(2 + 2 * beta1)
    assert theory.band_rms(lr, beta1) == pytest.approx(D / L)
    assert theory.band_rms(1.0, 0.9) == pytest.approx(1 / 38)


def test_band_rms_estimates_a_run_on_a_noise_free_quadratic():
    # β2 = 0.99 reaches the band ten times sooner than 0.999; the estimate does not depend on β2
    for lr in (0.1, 0.02):
        theta, optimizer, path = np.ones(2), Adam(lr=lr, betas=(0.9, 0.99)), []
        curvatures = np.array([1.0, 10.0])
        for _ in range(5000):
            optimizer.step({"theta": theta}, {"theta": curvatures * theta})
            path.append(theta.copy())
        rms = np.sqrt(np.mean(np.square(path[-2500:]), axis=0))
        ratio = rms / theory.band_rms(lr)
        assert np.all((ratio > 1.0) & (ratio < 1.25)), (lr, ratio)


# --------------------------------------------------------------------------- ε


def test_epsilon_hat_form_is_torch_form_with_a_step_dependent_eps():
    rng = np.random.default_rng(3)
    grads = [rng.normal(scale=1e-6, size=4) for _ in range(60)]
    hat, torch_form = AdamEpsilonHat(lr=0.01, eps=1e-7), Adam(lr=0.01)
    a, b = np.zeros(4), np.zeros(4)
    for t, g in enumerate(grads, start=1):
        hat.step({"p": a}, {"p": g})
        torch_form.eps = theory.epsilon_hat_equivalent(1e-7, 0.999, t)
        torch_form.step({"p": b}, {"p": g})
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-18)
    assert theory.epsilon_hat_equivalent(1.0, 0.999, 1) == pytest.approx(math.sqrt(1000))
    assert theory.epsilon_hat_equivalent(2.0, 0.5, [1, 2]) == pytest.approx(2 / np.sqrt([0.5, 0.75]))


# --------------------------------------------------------------------------- weight decay


def test_decoupled_decay_factor_is_adamw_on_a_zero_gradient():
    theta, optimizer = np.full(3, 2.0), AdamW(lr=3e-3, weight_decay=0.05)
    for _ in range(400):
        optimizer.step({"theta": theta}, {"theta": np.zeros(3)})
    np.testing.assert_allclose(theta, 2.0 * theory.decoupled_decay_factor(3e-3, 0.05, 400), rtol=1e-12)
    assert theory.decoupled_decay_factor(0.1, 0.0, 10) == 1.0


def test_l2_decay_rate_predicts_the_shrink_of_adam_with_an_l2_term():
    # coordinate i sees noise of size s_i; with c small, θ_i shrinks by about α c/(s_i + ε) per step
    rng = np.random.default_rng(0)
    scales = np.array([0.01, 0.1, 1.0])
    lr, c, steps = 1e-3, 1e-3, 3000
    theta = np.ones(3)
    optimizer = Adam(lr=lr, weight_decay=c)
    for _ in range(steps):
        noise = scales * np.sign(rng.normal(size=3))   # |g| = s exactly: √v̂ = s
        optimizer.step({"theta": theta}, {"theta": noise})
    v_hat = optimizer.state["theta"]["exp_avg_sq"] / (1 - 0.999**steps)
    predicted = np.exp(-lr * theory.l2_decay_rate(c, v_hat) * steps)
    # the noise itself moves θ by a random walk of about α·sqrt(steps)·(1-β1)... compare the decay part only
    walk = np.ones(3)
    walk_optimizer = Adam(lr=lr)
    rng = np.random.default_rng(0)
    for _ in range(steps):
        walk_optimizer.step({"theta": walk}, {"theta": scales * np.sign(rng.normal(size=3))})
    measured = 1 + (theta - walk)        # the shrink due to the L2 term, to first order
    np.testing.assert_allclose(measured, predicted, rtol=0.05)
    assert measured[0] < measured[1] < measured[2]          # small gradients: strong decay


def test_l2_decay_rate_formula():
    assert theory.l2_decay_rate(0.1, [0.0, 1e-4], eps=0.0)[1] == pytest.approx(10.0)
    assert theory.l2_decay_rate(0.1, 1.0) == pytest.approx(0.1 / (1 + 1e-8))


# --------------------------------------------------------------------------- NAdam


def test_nadam_momentum_is_the_optimizers_mu():
    states, _ = constant_gradient_states(NAdam(), 80)
    products = np.array([1.0] + [s["mu_product"] for s in states])
    np.testing.assert_allclose(products[1:] / products[:-1], theory.nadam_momentum(np.arange(1, 81)), rtol=1e-6)
    optimizer, theta = NAdam(betas=(0.8, 0.999), momentum_decay=0.01), np.zeros(1)
    optimizer.step({"theta": theta}, {"theta": np.ones(1)})
    optimizer.state["theta"]["step"], optimizer.state["theta"]["mu_product"] = 999, 1.0
    optimizer.step({"theta": theta}, {"theta": np.ones(1)})
    assert optimizer.state["theta"]["mu_product"] == pytest.approx(theory.nadam_momentum(1000, 0.8, 0.01), rel=1e-7)


def test_nadam_momentum_values():
    assert round(theory.nadam_momentum(1), 3) == 0.450
    assert round(theory.nadam_momentum(1000), 3) == 0.518
    assert theory.nadam_momentum(10**7) == pytest.approx(0.9)


# --------------------------------------------------------------------------- RAdam


def test_radam_steps_follow_rho_and_the_rectifier():
    _, taken = constant_gradient_states(RAdam(lr=0.01), 40, g=50.0)
    first = theory.radam_first_adaptive_step()
    assert first == 6
    np.testing.assert_allclose(taken[: first - 1] / 0.01, 50.0, rtol=1e-12)  # momentum steps, not normalised
    t = np.arange(first, 41)
    np.testing.assert_allclose(taken[first - 1:] / 0.01, theory.radam_rectifier(t), rtol=1e-6)


def test_radam_rho_and_thresholds():
    assert theory.radam_rho_infinity(0.999) == pytest.approx(1999)
    assert theory.radam_rho(1) == pytest.approx(1.0)
    rho = theory.radam_rho(np.arange(1, 3000))
    assert np.all(np.diff(rho) > 0) and rho[-1] < 1999
    assert theory.radam_first_adaptive_step(0.999, 4.0) == 5
    assert theory.radam_first_adaptive_step(0.6) == math.inf
    assert np.isnan(theory.radam_rectifier(4)) and theory.radam_rectifier(5) > 0
    assert theory.radam_rectifier(10**6) == pytest.approx(1.0)


def test_rectifier_withholds_about_as_much_as_a_linear_warmup_of_two_over_one_minus_beta2():
    for beta2 in (0.99, 0.995, 0.999, 0.9995):
        direct = np.nan_to_num(theory.radam_rectifier(np.arange(1, int(60 / (1 - beta2))), beta2))
        assert theory.rectifier_shortfall(beta2) == pytest.approx(np.sum(1 - direct), rel=1e-9)
        ratio = theory.rectifier_shortfall(beta2) / theory.linear_warmup_shortfall(theory.warmup_steps(beta2))
        assert 1.03 < ratio < 1.075
    assert theory.linear_warmup_shortfall(2000) == pytest.approx(999.5)
    assert theory.warmup_steps(0.999) == pytest.approx(2000)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: theory.bias_correction(1.0, 1), "beta"),
        (lambda: theory.bias_correction(0.9, 0), "t must be an integer >= 1"),
        (lambda: theory.bias_correction(0.9, [1, 2.5]), "t must be an integer"),
        (lambda: theory.uncorrected_step_factor(1, (0.9,)), "betas"),
        (lambda: theory.uncorrected_step_factor(1, (0.9, -0.1)), "beta2"),
        (lambda: theory.first_step(-1.0), "alpha"),
        (lambda: theory.critical_denominator(0.1, 0.9, 0.0), "curvature"),
        (lambda: theory.band_rms(0.0), "alpha"),
        (lambda: theory.epsilon_hat_equivalent(-1e-8, 0.999, 1), "eps_hat"),
        (lambda: theory.l2_decay_rate(0.1, [-1.0]), "v_hat"),
        (lambda: theory.decoupled_decay_factor(1.0, 2.0), "alpha \\* weight_decay"),
        (lambda: theory.nadam_momentum(1, momentum_decay=-1), "momentum_decay"),
        (lambda: theory.radam_rectifier(10, 0.5), "beta2"),
        (lambda: theory.radam_first_adaptive_step(0.999, 3.0), "threshold"),
        (lambda: theory.rectifier_shortfall(0.5), "beta2"),
        (lambda: theory.linear_warmup_shortfall(0), "steps"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_wrong_kinds_raise_type_error():
    with pytest.raises(TypeError, match="t must be"):
        theory.bias_correction(0.9, "3")
    with pytest.raises(TypeError, match="beta"):
        theory.bias_correction("0.9", 3)
