"""Generate the torch autograd reference losses and gradients that tests/test_mlp_reference.py reads.

The tests never import torch: they read what this script wrote. Re-run it (a second or two)
when a case is added or torch is upgraded::

    PYTHONPATH=lib /work/venv-torch/bin/python tools/make_mlp_reference.py   # or .venv-torch (README)
    .venv/bin/pytest tests/test_mlp_reference.py

It writes, in tests/data/mlp/:

``cases.json``
    the torch version and every case: its id, layer sizes, activation, batch size, dtype.
``reference.npz``
    per case (``<id>/...``): the parameters ``params/W1``, ``params/b1``, ..., the batch ``X``
    and ``y``, torch's ``loss`` and its gradients ``grads/W1``, ....

The parameters are drawn here with numpy (not with ``descent.models.MLP.init``), so the data
do not depend on the code they check. Each layer is computed as ``torch.nn.Linear`` computes
it, ``F.linear(h, W.T, b)`` (``W`` stored ``(fan_in, fan_out)`` as in descent, the transpose of
``Linear.weight``), then ``F.relu`` or ``torch.tanh``, and the loss is
``F.cross_entropy(logits, y)`` (mean over the batch). Everything is seeded: the same torch
writes identical files.
"""

from __future__ import annotations

import itertools
import json
import pathlib
import zlib

import numpy as np
import torch
import torch.nn.functional as F

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "mlp"

#: Depths 1 (softmax regression) to 4 affine layers; small widths keep the files small.
SIZES = {
    "depth1": [6, 4],
    "depth2": [7, 9, 5],
    "depth3": [5, 8, 6, 3],
    "depth4": [8, 6, 7, 5, 4],
}
ACTIVATIONS = ("relu", "tanh")
BATCHES = (1, 7, 64)
DTYPES = ("float32", "float64")


def make_case(sizes, activation, batch, dtype, seed):
    rng = np.random.default_rng(seed)
    params = {}
    for k in range(1, len(sizes)):
        fan_in, fan_out = sizes[k - 1], sizes[k]
        params[f"W{k}"] = rng.normal(0.0, 1.5 / np.sqrt(fan_in), size=(fan_in, fan_out)).astype(dtype)
        params[f"b{k}"] = rng.normal(0.0, 0.3, size=fan_out).astype(dtype)
    X = rng.normal(size=(batch, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], size=batch).astype(np.int64)

    tensors = {key: torch.tensor(value, requires_grad=True) for key, value in params.items()}
    h = torch.tensor(X)
    for k in range(1, len(sizes)):
        h = F.linear(h, tensors[f"W{k}"].T, tensors[f"b{k}"])
        if k < len(sizes) - 1:
            h = F.relu(h) if activation == "relu" else torch.tanh(h)
    loss = F.cross_entropy(h, torch.tensor(y))
    loss.backward()
    grads = {key: tensor.grad.numpy().copy() for key, tensor in tensors.items()}
    for key, grad in grads.items():
        assert grad.dtype == np.dtype(dtype), (key, grad.dtype)
    return params, X, y, loss.detach().numpy().copy(), grads


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    cases, arrays = [], {}
    for (name, sizes), activation, batch, dtype in itertools.product(SIZES.items(), ACTIVATIONS, BATCHES, DTYPES):
        case_id = f"{name}_{activation}_b{batch}_{dtype}"
        params, X, y, loss, grads = make_case(sizes, activation, batch, dtype, zlib.crc32(case_id.encode()))
        cases.append({"id": case_id, "sizes": sizes, "activation": activation, "batch": batch, "dtype": dtype})
        for key, value in params.items():
            arrays[f"{case_id}/params/{key}"] = value
        arrays[f"{case_id}/X"] = X
        arrays[f"{case_id}/y"] = y
        arrays[f"{case_id}/loss"] = loss
        for key, value in grads.items():
            arrays[f"{case_id}/grads/{key}"] = value
    meta = {"torch_version": torch.__version__, "cases": cases}
    (OUT / "cases.json").write_text(json.dumps(meta, indent=1) + "\n")
    np.savez_compressed(OUT / "reference.npz", **arrays)
    size = sum((OUT / f).stat().st_size for f in ("cases.json", "reference.npz"))
    print(f"wrote {len(cases)} cases to {OUT} ({size / 1024:.0f} KiB), torch {torch.__version__}")


if __name__ == "__main__":
    main()
