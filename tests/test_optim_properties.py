"""Relations the course teaches about the optimizers, checked on random inputs with hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import descent.optim as optim

FAST = settings(max_examples=30, deadline=None)

rates = st.floats(1e-3, 1.0)
coefficients = st.floats(0.05, 0.95)
seeds = st.integers(0, 2**32 - 1)


def random_grads(seed, steps, size, low=-1.0, high=1.0):
    rng = np.random.default_rng(seed)
    return [rng.uniform(low, high, size) for _ in range(steps)]


def run(opt, theta0, grads, lrs=None):
    """Apply opt to the given gradient sequence; return the parameter after each step."""
    params = {"theta": np.array(theta0, dtype=float)}
    path = []
    for t, g in enumerate(grads):
        if lrs is not None:
            opt.lr = lrs[t]
        opt.step(params, {"theta": g})
        path.append(params["theta"].copy())
    return np.array(path)


@FAST
@given(lr=rates, weight_decay=st.floats(0, 0.5), seed=seeds)
def test_momentum_zero_is_sgd(lr, weight_decay, seed):
    grads = random_grads(seed, 15, 4)
    theta0 = np.linspace(-1, 1, 4)
    np.testing.assert_array_equal(
        run(optim.Momentum(lr=lr, momentum=0.0, weight_decay=weight_decay), theta0, grads),
        run(optim.SGD(lr=lr, weight_decay=weight_decay), theta0, grads),
    )


def textbook_form(theta0, grads, lrs, beta):
    """The other momentum form: v <- beta v - lr g, theta <- theta + v (the rate enters the velocity)."""
    theta, v, path = np.array(theta0, dtype=float), np.zeros_like(theta0, dtype=float), []
    for g, lr in zip(grads, lrs):
        v = beta * v - lr * g
        theta = theta + v
        path.append(theta.copy())
    return np.array(path)


@FAST
@given(lr=rates, beta=coefficients, seed=seeds, switch=st.integers(2, 10), factor=st.sampled_from([0.1, 0.3, 3.0, 10.0]))
def test_the_two_momentum_forms_agree_for_a_constant_rate_and_differ_after_it_changes(lr, beta, seed, switch, factor):
    grads = random_grads(seed, 12, 3, low=0.1, high=1.0)  # positive: no accidental cancellation
    theta0 = np.zeros(3)
    constant = [lr] * 12
    ours = run(optim.Momentum(lr=lr, momentum=beta), theta0, grads, constant)
    np.testing.assert_allclose(ours, textbook_form(theta0, grads, constant, beta), rtol=1e-10, atol=1e-12)

    changed = [lr] * switch + [lr * factor] * (12 - switch)
    ours = run(optim.Momentum(lr=lr, momentum=beta), theta0, grads, changed)
    theirs = textbook_form(theta0, grads, changed, beta)
    np.testing.assert_allclose(ours[:switch], theirs[:switch], rtol=1e-10, atol=1e-12)
    # At the switch, torch's form rescales the whole velocity (old gradients too) by the new rate:
    # the gap is (new - old rate) * beta * v, where v (the sum of old gradients) is >= 0.1 here.
    gap = np.abs(ours[switch] - theirs[switch])
    assert np.all(gap > 0.5 * abs(factor - 1) * lr * beta * 0.1)


@FAST
@given(
    lr=st.floats(1e-4, 1.0),
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.0, 0.9999),
    seed=seeds,
    amsgrad=st.booleans(),
)
def test_adams_first_step_has_magnitude_lr_in_every_coordinate(lr, beta1, beta2, seed, amsgrad):
    rng = np.random.default_rng(seed)
    g = rng.choice([-1, 1], 20) * 10.0 ** rng.uniform(-2, 3, 20)  # |g| from 0.01 to 1000, >> eps
    step = run(optim.Adam(lr=lr, betas=(beta1, beta2), amsgrad=amsgrad), np.zeros(20), [g])[0]
    np.testing.assert_allclose(np.abs(step), lr, rtol=1e-5)  # |g| / (|g| + eps) = 1 - O(1e-6)
    assert np.all(np.abs(step) <= lr)
    np.testing.assert_array_equal(np.sign(step), -np.sign(g))


@FAST
@given(
    lr=rates,
    lr_decay=st.floats(0, 1),
    initial=st.floats(0, 1),
    seed=seeds,
    zeros=st.floats(0, 0.5),
)
def test_adagrads_effective_rate_never_increases(lr, lr_decay, initial, seed, zeros):
    rng = np.random.default_rng(seed)
    opt = optim.AdaGrad(lr=lr, lr_decay=lr_decay, initial_accumulator_value=initial)
    params = {"theta": rng.normal(size=6)}
    previous = np.full(6, np.inf)
    for _ in range(15):
        g = rng.normal(size=6) * (rng.uniform(size=6) > zeros)  # some coordinates see no gradient
        before = params["theta"].copy()
        opt.step(params, {"theta": g})
        state = opt.state_dict()
        t = state["state/theta/step"]
        rate = lr / (1 + (t - 1) * lr_decay) / (np.sqrt(state["state/theta/sum"]) + opt.eps)
        # the rate read from the state is the one the update used ...
        np.testing.assert_allclose(params["theta"] - before, -rate * g, rtol=1e-9, atol=1e-15)
        # ... and it never increases, in any coordinate
        assert np.all(rate <= previous)
        previous = rate


@FAST
@given(lr=st.floats(0.01, 0.5), beta=coefficients, seed=seeds)
def test_nesterov_equals_the_look_ahead_form_on_a_quadratic(lr, beta, seed):
    """Look-ahead: v <- beta v - lr grad(theta + beta v), theta <- theta + v.  torch's form tracks
    the look-ahead point x = theta + beta v, so descent's iterate must equal it."""
    rng = np.random.default_rng(seed)
    eigenvalues = rng.uniform(0.1, 2.0, 3)
    grad = lambda x: eigenvalues * x  # f = 1/2 sum(eigenvalues * x^2)

    theta, v = rng.normal(size=3), np.zeros(3)
    params = {"theta": theta.copy()}
    opt = optim.Nesterov(lr=lr, momentum=beta)
    for _ in range(25):
        opt.step(params, {"theta": grad(params["theta"])})
        v = beta * v - lr * grad(theta + beta * v)
        theta = theta + v
        np.testing.assert_allclose(params["theta"], theta + beta * v, rtol=1e-9, atol=1e-12)


@FAST
@given(lr=st.floats(1e-3, 0.1), weight_decay=st.floats(0.01, 1.0), seed=seeds)
def test_adamw_weight_decay_is_not_adam_with_l2(lr, weight_decay, seed):
    rng = np.random.default_rng(seed)
    theta0 = rng.choice([-1, 1], 5) * rng.uniform(0.5, 2.0, 5)

    # With no loss gradient, AdamW only shrinks theta by (1 - lr wd), the same factor everywhere;
    # Adam's L2 gradient wd*theta is normalised like any gradient: a step of ~lr per coordinate.
    zero = [np.zeros(5)]
    adamw = run(optim.AdamW(lr=lr, weight_decay=weight_decay), theta0, zero)[0]
    np.testing.assert_allclose(adamw, theta0 * (1 - lr * weight_decay), rtol=1e-14)
    adam_l2 = run(optim.Adam(lr=lr, weight_decay=weight_decay), theta0, zero)[0]
    np.testing.assert_allclose(np.abs(adam_l2 - theta0), lr, rtol=1e-5)

    # With gradients too, the trajectories differ.
    grads = random_grads(seed, 10, 5)
    a = run(optim.AdamW(lr=lr, weight_decay=weight_decay), theta0, grads)
    b = run(optim.Adam(lr=lr, weight_decay=weight_decay), theta0, grads)
    assert np.max(np.abs(a - b)) > 1e-3 * lr
    # AdamW is Adam with torch's decoupled_weight_decay=True, exactly.
    c = run(optim.Adam(lr=lr, weight_decay=weight_decay, decoupled_weight_decay=True), theta0, grads)
    np.testing.assert_array_equal(a, c)


@FAST
@given(seed=seeds, cls=st.sampled_from([getattr(optim, n) for n in optim.__all__ if n != "Optimizer"]))
def test_a_zero_learning_rate_leaves_parameters_unchanged(seed, cls):
    """Every update, decoupled weight decay included, is proportional to lr."""
    grads = random_grads(seed, 5, 4)
    theta0 = np.linspace(-1, 1, 4)
    np.testing.assert_array_equal(run(cls(lr=0.0), theta0, grads), np.tile(theta0, (5, 1)))
