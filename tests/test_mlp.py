"""descent.models.MLP: gradients against central differences (hypothesis), precision, initialisation,
the parameter dict, and the errors bad input gets.

The torch comparisons are in test_mlp_reference.py (stored data) and test_mlp_live.py (live).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from descent.models import MLP
from descent.optim import Adam

#: A gradient passes the central-difference check when its largest error is below this fraction
#: of its largest entry. Central differences with step 1e-6 in float64 are accurate to about
#: 1e-9 of that scale here (truncation h^2 |f'''| and rounding eps |f| / h), so 1e-5 leaves room
#: and still catches an error of 0.1% (1e-3) by a factor of 100; see test_a_tenth_of_a_percent_error_is_caught.
RELATIVE_TOLERANCE = 1e-5
STEP = 1e-6


def central_differences(net, params, X, y):
    """The gradient of net.loss by central differences, entry by entry (float64)."""
    numeric = {}
    for key, value in params.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            original = value[index]
            value[index] = original + STEP
            up = float(net.loss(params, X, y))
            value[index] = original - STEP
            down = float(net.loss(params, X, y))
            value[index] = original
            grad[index] = (up - down) / (2 * STEP)
        numeric[key] = grad
    return numeric


def gradient_error(analytic, numeric):
    """Largest |analytic - numeric| over all entries, relative to the largest |numeric| entry."""
    scale = max(float(np.max(np.abs(g))) for g in numeric.values())
    error = max(float(np.max(np.abs(analytic[k] - numeric[k]))) for k in numeric)
    return error / max(scale, 1e-12)


def preactivations(params, X, layers, activation):
    """The hidden pre-activations z_k, computed here independently of the module."""
    h, zs = X, []
    for k in range(1, layers):
        z = h @ params[f"W{k}"] + params[f"b{k}"]
        zs.append(z)
        h = np.maximum(z, 0) if activation == "relu" else np.tanh(z)
    return zs


networks = st.tuples(
    st.lists(st.integers(1, 6), min_size=2, max_size=5),  # sizes: depth 1 to 4
    st.sampled_from(["relu", "tanh"]),
    st.integers(1, 9),  # batch
    st.integers(0, 2**32 - 1),  # seed
)


def make_problem(sizes, activation, batch, seed, dtype=np.float64):
    net = MLP(sizes, activation)
    rng = np.random.default_rng(seed)
    params = {k: (v + 0.1 * rng.normal(size=v.shape)).astype(dtype) for k, v in net.init(seed).items()}
    X = rng.normal(size=(batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], size=batch)
    return net, params, X, y


@settings(max_examples=60, deadline=None)
@given(networks)
def test_backprop_matches_central_differences(network):
    sizes, activation, batch, seed = network
    net, params, X, y = make_problem(sizes, activation, batch, seed)
    if activation == "relu":  # central differences are wrong within STEP of a kink
        zs = preactivations(params, X, len(sizes) - 1, activation)
        assume(all(np.min(np.abs(z)) > 1e-4 for z in zs))
    loss, grads = net.loss_and_grad(params, X, y)
    numeric = central_differences(net, params, X, y)
    assert gradient_error(grads, numeric) < RELATIVE_TOLERANCE
    assert float(loss) == pytest.approx(float(net.loss(params, X, y)), rel=1e-15)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_a_tenth_of_a_percent_error_is_caught(activation):
    """The check above rejects a gradient that is off by 0.1%, in one entry or in all."""
    net, params, X, y = make_problem([4, 5, 3], activation, 6, seed=11)
    if activation == "relu":
        assert all(np.min(np.abs(z)) > 1e-4 for z in preactivations(params, X, 2, activation))
    _, grads = net.loss_and_grad(params, X, y)
    numeric = central_differences(net, params, X, y)
    assert gradient_error(grads, numeric) < RELATIVE_TOLERANCE  # the true gradient passes
    biggest = max(grads, key=lambda k: np.max(np.abs(grads[k])))
    one_entry = {k: v.copy() for k, v in grads.items()}
    flat = one_entry[biggest].reshape(-1)
    flat[np.argmax(np.abs(flat))] *= 1.001
    assert gradient_error(one_entry, numeric) > RELATIVE_TOLERANCE
    every_entry = {k: v * 1.001 for k, v in grads.items()}
    assert gradient_error(every_entry, numeric) > RELATIVE_TOLERANCE


def test_loss_is_the_mean_softmax_cross_entropy_written_out():
    net, params, X, y = make_problem([3, 4, 5], "tanh", 7, seed=3)
    logits = np.tanh(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[np.arange(7), y]))
    assert float(net.loss(params, X, y)) == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(net.logits(params, X), logits, rtol=1e-13, atol=1e-14)
    np.testing.assert_array_equal(net.predict(params, X), np.argmax(logits, axis=1))
    loss, accuracy = net.evaluate(params, X, y)
    assert loss == pytest.approx(expected, rel=1e-13)
    assert accuracy == np.mean(np.argmax(logits, axis=1) == y)


def test_huge_logits_do_not_overflow():
    net = MLP([2, 3])
    params = {"W1": np.array([[1e4, -1e4, 0.0], [0.0, 0.0, 0.0]]), "b1": np.zeros(3)}
    X, y = np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([0, 1])
    loss, grads = net.loss_and_grad(params, X, y)
    assert np.isfinite(loss) and float(loss) == pytest.approx(2e4 / 2, rel=1e-12)  # row 2: 1e4 - (-1e4)
    assert all(np.all(np.isfinite(g)) for g in grads.values())


def test_float32_stays_float32_and_agrees_with_float64():
    net, params64, X, y = make_problem([8, 16, 12, 5], "relu", 32, seed=5)
    params32 = {k: v.astype(np.float32) for k, v in params64.items()}
    loss32, grads32 = net.loss_and_grad(params32, X, y)  # X is float64: converted to float32
    loss64, grads64 = net.loss_and_grad(params64, X, y)
    assert loss32.dtype == np.float32 and loss64.dtype == np.float64
    assert net.logits(params32, X).dtype == np.float32
    for key in params64:
        assert grads32[key].dtype == np.float32
        scale = np.max(np.abs(grads64[key]))
        np.testing.assert_allclose(grads32[key], grads64[key], rtol=1e-4, atol=1e-5 * scale)
    assert float(loss32) == pytest.approx(float(loss64), rel=1e-5)


def test_gradients_go_into_out_and_buffers_are_not_shared_with_results():
    net, params, X, y = make_problem([5, 7, 3], "relu", 10, seed=8)
    _, first = net.loss_and_grad(params, X, y)
    kept = {k: v.copy() for k, v in first.items()}
    logits = net.logits(params, X)
    logits_copy = logits.copy()
    out = {k: np.full_like(v, np.nan) for k, v in params.items()}
    _, returned = net.loss_and_grad(params, X[:4], y[:4], out=out)  # another batch size
    assert returned is out
    _, again = net.loss_and_grad(params, X, y)  # the same batch once more, through the kept buffers
    for key in params:
        np.testing.assert_array_equal(first[key], kept[key])  # not overwritten by later calls
        np.testing.assert_array_equal(again[key], kept[key])
    np.testing.assert_array_equal(logits, logits_copy)
    _, small = MLP([5, 7, 3]).loss_and_grad(params, X[:4], y[:4])
    for key in params:
        np.testing.assert_array_equal(out[key], small[key])


def test_the_parameter_dict_is_what_the_optimizers_take():
    net = MLP([64, 32, 16, 10])
    params = net.init(seed=0)
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert {k: v.shape for k, v in params.items()} == net.shapes == {
        "W1": (64, 32), "b1": (32,), "W2": (32, 16), "b2": (16,), "W3": (16, 10), "b3": (10,)}
    assert all(v.dtype == np.float64 and v.flags.writeable and v.flags.c_contiguous for v in params.values())
    assert net.n_params == 64 * 32 + 32 + 32 * 16 + 16 + 16 * 10 + 10
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 64)), rng.integers(0, 10, size=20)
    before, _ = net.loss_and_grad(params, X, y)
    optimizer = Adam(lr=1e-2)
    for _ in range(20):
        _, grads = net.loss_and_grad(params, X, y)
        optimizer.step(params, grads)
    after, _ = net.loss_and_grad(params, X, y)
    assert after < 0.5 * before


def test_same_seed_same_parameters_and_float32_is_float64_rounded():
    net = MLP([10, 6, 4], "tanh")
    a, b, c = net.init(3), net.init(3), net.init(4)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a["W1"], c["W1"])
    single = net.init(3, dtype=np.float32)
    for key in a:
        assert single[key].dtype == np.float32
        np.testing.assert_array_equal(single[key], a[key].astype(np.float32))


def test_initialisation_schemes_have_their_documented_distributions():
    fan_in, fan_out = 400, 300
    he = MLP([fan_in, fan_out], "relu").init(0)
    n = fan_in * fan_out  # the sample variance of n draws is within a few sqrt(2/n) of the truth
    assert np.var(he["W1"]) == pytest.approx(2 / fan_in, rel=6 * np.sqrt(2 / n))
    assert np.all(he["b1"] == 0)
    glorot = MLP([fan_in, fan_out], "tanh").init(0)
    bound = np.sqrt(6 / (fan_in + fan_out))
    assert np.max(np.abs(glorot["W1"])) <= bound
    assert np.var(glorot["W1"]) == pytest.approx(bound**2 / 3, rel=6 * np.sqrt(2 / n))
    torch_like = MLP([fan_in, fan_out]).init(0, scheme="torch")
    bound = 1 / np.sqrt(fan_in)
    assert np.max(np.abs(torch_like["W1"])) <= bound and np.max(np.abs(torch_like["b1"])) <= bound
    assert np.var(torch_like["W1"]) == pytest.approx(1 / (3 * fan_in), rel=6 * np.sqrt(2 / n))
    assert np.any(torch_like["b1"] != 0)
    # "auto" is He for ReLU and Glorot for tanh
    np.testing.assert_array_equal(MLP([5, 3], "relu").init(1)["W1"], MLP([5, 3], "relu").init(1, scheme="he")["W1"])
    np.testing.assert_array_equal(MLP([5, 3], "tanh").init(1)["W1"], MLP([5, 3], "tanh").init(1, scheme="glorot")["W1"])


def test_he_initialisation_keeps_the_signal_size_through_depth():
    """What He's factor 2 is for: the mean square activation stays of order 1 through 8 ReLU layers."""
    sizes = [256] * 9 + [10]
    rng = np.random.default_rng(0)
    X = rng.normal(size=(512, 256))
    for scheme, low, high in (("he", 0.3, 3.0), ("torch", 0.0, 0.01)):
        params = MLP(sizes).init(0, scheme=scheme)
        h = X
        for k in range(1, 9):
            h = np.maximum(h @ params[f"W{k}"] + params[f"b{k}"], 0)
        assert low <= np.mean(h**2) <= high, (scheme, np.mean(h**2))


# -- bad input -------------------------------------------------------------------------


@pytest.fixture
def small():
    net = MLP([4, 5, 3])
    params = net.init(0)
    rng = np.random.default_rng(1)
    return net, params, rng.normal(size=(6, 4)), np.array([0, 1, 2, 0, 1, 2])


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda X, y: (X, np.array([0, 1, 3, 0, 1, 2])), r"y must hold class labels in \[0, 3\); row 2 is 3"),
        (lambda X, y: (X, np.array([0, -1, 2, 0, 1, 2])), r"y must hold class labels in \[0, 3\); row 1 is -1"),
        (lambda X, y: (X[:, :3], y), "X must have 4 features"),
        (lambda X, y: (X[0], y), "X must be a 2-D array"),
        (lambda X, y: (np.where(np.arange(4) == 2, np.nan, X), y), "X must contain only finite numbers; row 0"),
        (lambda X, y: (np.where(np.arange(6)[:, None] == 4, np.inf, X), y), "row 4 holds NaN or inf"),
        (lambda X, y: (X, np.array([0, 1, np.nan, 0, 1, 2])), r"y must hold class labels in \[0, 3\); row 2 is nan"),
        (lambda X, y: (X, np.array([0, 1, 1.5, 0, 1, 2])), "y must hold integer class labels"),
        (lambda X, y: (X, y[:5]), "y must be a 1-D array of 6 labels"),
        (lambda X, y: (X[:0], y[:0]), "X must have at least one row"),
    ],
)
def test_bad_data_raises_value_error_naming_it(small, change, words):
    net, params, X, y = small
    X, y = change(X, y)
    for call in (lambda: net.loss_and_grad(params, X, y), lambda: net.evaluate(params, X, y)):
        with pytest.raises(ValueError, match=words):
            call()


@pytest.mark.parametrize(
    "change, error, words",
    [
        (lambda p: {k: v for k, v in p.items() if k != "b2"}, ValueError, r"missing parameter\(s\) \['b2'\]"),
        (lambda p: {**p, "W9": np.zeros(3)}, ValueError, r"unexpected parameter\(s\) \['W9'\]"),
        (lambda p: {**p, "W1": np.zeros((5, 4))}, ValueError, r"params\['W1'\] must have shape \(4, 5\), got \(5, 4\)"),
        (lambda p: {**p, "b1": np.zeros(4)}, ValueError, r"params\['b1'\] must have shape \(5,\)"),
        (lambda p: {**p, "W2": p["W2"].astype(np.float32)}, ValueError, "mixes dtypes"),
        (lambda p: {**p, "W1": np.zeros((4, 5), dtype=int)}, TypeError, "float32 or float64"),
        (lambda p: [1, 2], TypeError, "params must be a dict"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(small, change, error, words):
    net, params, X, y = small
    with pytest.raises(error, match=words):
        net.loss_and_grad(change(params), X, y)
    with pytest.raises(error, match=words):
        net.logits(change(params), X)


def test_bad_out_and_constructor_arguments(small):
    net, params, X, y = small
    with pytest.raises(ValueError, match=r"out\['W1'\] must have shape"):
        net.loss_and_grad(params, X, y, out={**params, "W1": np.zeros((1, 1))})
    with pytest.raises(ValueError, match="dtype"):
        net.loss_and_grad(params, X, y, out={k: v.astype(np.float32) for k, v in params.items()})
    with pytest.raises(ValueError, match="at least an input and an output"):
        MLP([4])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be an integer >= 1"):
        MLP([4, 0, 3])
    with pytest.raises(ValueError, match="activation must be one of"):
        MLP([4, 3], activation="sigmoid")
    with pytest.raises(ValueError, match="scheme must be one of"):
        net.init(0, scheme="xavier")
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        net.init(0, dtype=np.float16)
    with pytest.raises(ValueError, match="seed must be an integer >= 0"):
        net.init(-1)


def test_non_finite_parameters_give_a_non_finite_loss_not_an_error(small):
    """A diverged run reaches the loop as a NaN loss, which the loop reports; nothing raises here."""
    net, params, X, y = small
    params["W1"][0, 0] = np.inf
    with np.errstate(all="ignore"):
        loss, _ = net.loss_and_grad(params, X, y)
    assert not np.isfinite(loss)
