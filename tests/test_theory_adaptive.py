"""descent.theory.adaptive: every closed form against the optimizer it describes, run through descent.runner.feed,
and bad input refused with the argument's name."""

import math

import numpy as np
import pytest

from descent.optim import AdaGrad, Adadelta, RMSProp
from descent.runner import feed
from descent.theory import adaptive as theory


def steps_of(optimizer, gradients):
    """|θ_{t+1} − θ_t| for a one-parameter run fed ``gradients``."""
    return np.abs(np.diff(feed(optimizer, gradients).path[:, 0]))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 0.9, 0.99])
def test_leaky_average_weights_are_rmsprops_impulse_response(gamma):
    impulse = np.zeros(30)
    impulse[0] = 1.0
    memory = feed(RMSProp(lr=0.0, alpha=gamma), impulse,
                  record=lambda optimizer: optimizer.state["theta"]["square_avg"][0])
    np.testing.assert_allclose(memory.records, theory.leaky_average_weights(gamma, 30), rtol=1e-12, atol=1e-300)
    assert theory.leaky_average_weights(gamma, 30).sum() == pytest.approx(1 - gamma**30, rel=1e-12)


def test_window_and_half_life():
    assert theory.average_window(0.9) == pytest.approx(10.0)
    assert theory.average_window(0.99) == pytest.approx(100.0)
    assert theory.half_life(0.9) == pytest.approx(6.578813478960581, rel=1e-12)
    for gamma in (0.5, 0.9, 0.99, 0.999):
        h = theory.half_life(gamma)
        assert gamma**h == pytest.approx(0.5, rel=1e-12)
        # the newest h values carry half of the total weight
        assert 1 - gamma**h == pytest.approx(0.5, rel=1e-12)
    assert theory.half_life(0.5) == pytest.approx(1.0)


@pytest.mark.parametrize("gamma, drop", [(0.9, 100.0), (0.8, 10.0), (0.99, 100.0)])
def test_crossover_steps_predict_when_rmsprops_step_is_back_within_root_two(gamma, drop):
    before = 300 if gamma < 0.99 else 1500
    steps = before + int(1.5 * theory.crossover_steps(gamma, drop)) + 10
    gradients = np.ones(steps)
    gradients[before:] = 1.0 / drop
    lr = 0.01
    sizes = steps_of(RMSProp(lr=lr, alpha=gamma, eps=0.0), gradients)
    rates = sizes[before:] / gradients[before:]  # effective rate α/√s after the drop; its new level is α·c
    back = int(np.argmax(rates >= lr * drop / math.sqrt(2)))
    # the two parts of the average weigh the same at k*, where the rate is α·c/√2 up to the (1 − γ^k) factor
    assert abs(back - theory.crossover_steps(gamma, drop)) <= 1.0 + 0.01 * theory.crossover_steps(gamma, drop)


def test_adagrad_never_recovers_after_a_drop():
    gradients = np.ones(1000)
    gradients[300:] = 0.01
    sizes = steps_of(AdaGrad(lr=0.01), gradients)
    assert sizes[-1] / sizes[299] == pytest.approx(0.01 * math.sqrt(300 / (300 + 700 * 1e-4)), rel=1e-6)


@pytest.mark.parametrize("gamma", [0.9, 0.99])
@pytest.mark.parametrize("gradient", [1e-3, 1.0, 1e3])
def test_rmsprop_first_step_is_lr_over_root_one_minus_gamma_for_any_gradient(gamma, gradient):
    (first,) = steps_of(RMSProp(lr=0.01, alpha=gamma, eps=0.0), [gradient])
    assert first == pytest.approx(theory.rmsprop_first_step(0.01, gamma), rel=1e-12)


def test_adagrad_rate_under_noise_is_measured_on_pure_noise():
    rng = np.random.default_rng(3)
    sigma, lr, steps = 2.0, 0.5, 20_000
    memory = feed(AdaGrad(lr=lr), sigma * rng.standard_normal(steps),
                  record=lambda optimizer: optimizer.state["theta"]["sum"][0])
    measured = lr / np.sqrt(memory.records)
    t = np.arange(1, steps + 1)
    predicted = theory.adagrad_rate_under_noise(lr, sigma, t)
    # s_t / (σ²t) has a relative spread of √(2/t): 1% at t = 2·10⁴, so the rate is within 1.5% at 3 spreads
    assert measured[-1] / predicted[-1] == pytest.approx(1.0, abs=0.015)
    assert np.polyfit(np.log(t[999:]), np.log(measured[999:]), 1)[0] == pytest.approx(-0.5, abs=0.02)
    assert theory.adagrad_rate_under_noise(lr, sigma, 100) == pytest.approx(lr / (sigma * 10))
    assert isinstance(theory.adagrad_rate_under_noise(lr, sigma, 100), float)


def test_rare_feature_rate_ratio_matches_bernoulli_gradients():
    rng = np.random.default_rng(0)
    steps, p = 50_000, np.array([0.5, 0.005])
    gradients = (rng.random((steps, 2)) < p) * rng.standard_normal((steps, 2))
    optimizer = AdaGrad(lr=1.0)
    feed(optimizer, gradients)
    rates = 1.0 / np.sqrt(optimizer.state["theta"]["sum"])
    assert rates[1] / rates[0] == pytest.approx(theory.rare_feature_rate_ratio(0.5, 0.005), rel=0.1)
    assert theory.rare_feature_rate_ratio(0.5, 0.005) == pytest.approx(10.0)


@pytest.mark.parametrize("gamma, eps", [(0.9, 1e-6), (0.95, 1e-7), (0.5, 1e-8)])
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_adadelta_first_step(gamma, eps, scale):
    (first,) = steps_of(Adadelta(lr=1.0, rho=gamma, eps=eps), [scale])
    # exact: √ε g / √((1−γ)g² + ε); the limit differs by ε / (2(1−γ)g²) relative
    assert first == pytest.approx(theory.adadelta_first_step(1.0, gamma, eps), rel=eps / (1 - gamma) / scale**2)
    (with_lr,) = steps_of(Adadelta(lr=1e-3, rho=gamma, eps=eps), [scale])
    assert with_lr == pytest.approx(theory.adadelta_first_step(1e-3, gamma, eps), rel=eps / (1 - gamma))


def test_adadelta_step_growth_is_the_asymptote_of_a_constant_gradient():
    sizes = steps_of(Adadelta(rho=0.9, eps=1e-6), np.ones(10_000))
    t = np.arange(1, 10_001)
    predicted = theory.adadelta_step_growth(1.0, 0.9, 1e-6, t)
    assert sizes[-1] / predicted[-1] == pytest.approx(1.0, abs=0.01)
    assert np.all(sizes[99:] > predicted[99:])  # the start adds a constant, so the steps run above it
    assert theory.adadelta_step_growth(2.0, 0.9, 1e-6, 100) == pytest.approx(2 * math.sqrt(1e-6 * 0.1 * 100))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: theory.leaky_average_weights(1.0, 5), "gamma"),
        (lambda: theory.leaky_average_weights(0.9, 0), "steps"),
        (lambda: theory.average_window(-0.1), "gamma"),
        (lambda: theory.half_life(0.0), "gamma"),
        (lambda: theory.half_life(1.0), "gamma"),
        (lambda: theory.crossover_steps(0.9, 0.0), "scale_ratio"),
        (lambda: theory.rmsprop_first_step(-1.0, 0.9), "alpha"),
        (lambda: theory.adagrad_rate_under_noise(0.1, 0.0, 10), "sigma"),
        (lambda: theory.adagrad_rate_under_noise(0.1, 1.0, 0), "step"),
        (lambda: theory.adagrad_rate_under_noise(0.1, 1.0, np.array([1, 0])), "step"),
        (lambda: theory.rare_feature_rate_ratio(0.5, 0.0), "p_rare"),
        (lambda: theory.rare_feature_rate_ratio(1.5, 0.1), "p_common"),
        (lambda: theory.adadelta_first_step(1.0, 0.9, 0.0), "eps"),
        (lambda: theory.adadelta_step_growth(1.0, 0.9, 1e-6, 0), "step"),
        (lambda: theory.adadelta_step_growth(1.0, 0.9, 1e-6, np.array([1.5])), "step"),
    ],
)
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_numbers_are_type_errors():
    with pytest.raises(TypeError, match="gamma"):
        theory.half_life("0.9")
    with pytest.raises(TypeError, match="alpha"):
        theory.rmsprop_first_step(True, 0.9)
