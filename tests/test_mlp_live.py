"""descent.models.MLP against torch run live (skipped when torch is not installed).

Fresh random networks, other sizes and seeds than the stored reference, and the real
``torch.nn.Sequential`` of ``nn.Linear`` layers with the same parameters copied in
(``Linear.weight`` is the transpose of ``W_k``), so the comparison does not depend on how
either side initialises. Then a few Adam steps on both, to check that the parameter dict and
the gradients feed descent.optim exactly as torch's feed torch.optim. Tolerances as in
test_mlp_reference.py.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from descent.models import MLP
from descent.optim import Adam

torch = pytest.importorskip("torch")
F = torch.nn.functional

CASES = [([13, 17, 4], "relu", 33), ([5, 3], "tanh", 1), ([9, 12, 8, 6], "tanh", 50), ([64, 32, 16, 10], "relu", 64)]
TOLERANCE = {"float64": (1e-12, 1e-12), "float32": (1e-5, 1e-5)}


def torch_model(net, params):
    layers = []
    for k in range(1, net.n_layers + 1):
        fan_in, fan_out = net.shapes[f"W{k}"]
        linear = torch.nn.Linear(fan_in, fan_out, dtype=torch.from_numpy(params["W1"]).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(params[f"W{k}"].T.copy()))
            linear.bias.copy_(torch.from_numpy(params[f"b{k}"]))
        layers += [linear, torch.nn.ReLU() if net.activation == "relu" else torch.nn.Tanh()]
    return torch.nn.Sequential(*layers[:-1])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("sizes, activation, batch", CASES, ids=[f"{'-'.join(map(str, c[0]))}-{c[1]}" for c in CASES])
def test_live_against_torch_nn(sizes, activation, batch, dtype):
    seed = zlib.crc32(f"{sizes}{activation}{batch}{dtype}".encode())
    rng = np.random.default_rng(seed)
    net = MLP(sizes, activation)
    params = net.init(seed % 1000, dtype=dtype, scheme="torch")
    model = torch_model(net, params)
    theirs = torch.optim.Adam(model.parameters(), lr=1e-2)
    ours = Adam(lr=1e-2)
    rtol, atol = TOLERANCE[dtype]
    for step in range(4):
        X = rng.normal(size=(batch, sizes[0])).astype(dtype)
        y = rng.integers(0, sizes[-1], size=batch)
        theirs.zero_grad()
        loss_t = F.cross_entropy(model(torch.from_numpy(X)), torch.from_numpy(y))
        loss_t.backward()
        loss, grads = net.loss_and_grad(params, X, y)
        np.testing.assert_allclose(loss, loss_t.item(), rtol=rtol)
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        for k, linear in enumerate(linears, start=1):
            for key, expected in ((f"W{k}", linear.weight.grad.numpy().T), (f"b{k}", linear.bias.grad.numpy())):
                np.testing.assert_allclose(grads[key], expected, rtol=rtol, atol=atol * np.max(np.abs(expected)),
                                           err_msg=f"step {step} {key}")
        theirs.step()
        ours.step(params, grads)
        for k, linear in enumerate(linears, start=1):  # after the step: the parameters agree too
            weight = linear.weight.detach().numpy().T
            np.testing.assert_allclose(params[f"W{k}"], weight, rtol=rtol, atol=atol * np.max(np.abs(weight)))
