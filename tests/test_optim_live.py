"""descent.optim against torch.optim run live on fresh random problems (skipped without torch).

Uses the same cases as the recorded reference (tests/data/optim/cases.json) but other
shapes, other seeds and gradients that depend on the current parameters (a
random quadratic plus noise), so the recorded data cannot hide a coincidence.

Tolerance as in test_optim_parity.py (whose docstring says why): relative 1e-10 in
float64; relative 1e-5 in float32 plus 1e-5 times the parameter's largest magnitude
over the whole run, so both runs are recorded first and compared afterwards.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from _optim_cases import META, RTOL, as_kwargs
import descent.optim as optim

torch = pytest.importorskip("torch")

CASES = [c for c in META["cases"] if not c["nonfinite"]]
SHAPES = {"kernel": (2, 3, 4), "vector": (7,), "matrix": (5, 2)}
# float64 entry by entry; float32 with an allowance relative to the whole run's largest magnitude
ATOL_SCALE = {"float64": 0.0, "float32": 1e-5}
STEPS = 20


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_live_against_torch(case, dtype):
    rng = np.random.default_rng(zlib.crc32(f"live/{case['id']}/{dtype}".encode()))
    curvature = {k: rng.uniform(0.1, 3.0, s).astype(dtype) for k, s in SHAPES.items()}
    params = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}

    ours = getattr(optim, case["optimizer"])(**as_kwargs(case["kwargs"]))
    torch_class = getattr(torch.optim, case["torch_class"].rsplit(".", 1)[1])
    theirs = torch_class(list(tensors.values()), **as_kwargs(case["torch_kwargs"]), foreach=False)

    base_lr = ours.lr
    ours_path, torch_path = {k: [] for k in SHAPES}, {k: [params[k].copy()] for k in SHAPES}
    for t in range(STEPS):
        # gradient of 1/2 sum(curvature * theta^2) at torch's current point, plus noise
        grads = {
            k: (curvature[k] * tensors[k].detach().numpy() + 0.1 * rng.normal(size=SHAPES[k])).astype(dtype)
            for k in SHAPES
        }
        lr = base_lr * rng.uniform(0.5, 1.5)
        ours.lr = lr
        for group in theirs.param_groups:
            group["lr"] = lr
        for k, p in tensors.items():
            p.grad = torch.tensor(grads[k])
        theirs.step()
        ours.step(params, grads)
        for k, p in tensors.items():
            ours_path[k].append(params[k].copy())
            torch_path[k].append(p.detach().numpy().copy())
    for k in SHAPES:
        atol = ATOL_SCALE[dtype] * np.abs(np.array(torch_path[k])).max()  # over the whole run, every step
        for t in range(STEPS):
            np.testing.assert_allclose(
                ours_path[k][t], torch_path[k][t + 1], rtol=RTOL[dtype], atol=atol,
                err_msg=f"{case['id']} {dtype}: {k!r} after step {t + 1}",
            )


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_live_zero_rate_with_non_finite_gradient_against_torch(case, dtype):
    # lr = 0 makes the last update y += 0 * x, which BLAS would skip; torch gives 0 * inf = nan.
    rng = np.random.default_rng(zlib.crc32(f"live-zero/{case['id']}/{dtype}".encode()))
    params = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    tensors = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    ours = getattr(optim, case["optimizer"])(**{**as_kwargs(case["kwargs"]), "lr": 0.0})
    torch_class = getattr(torch.optim, case["torch_class"].rsplit(".", 1)[1])
    theirs = torch_class(list(tensors.values()), **{**as_kwargs(case["torch_kwargs"]), "lr": 0.0}, foreach=False)
    for t in range(4):
        grads = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
        if t == 1:
            grads["kernel"][0, 0, :2] = [np.inf, np.nan]
        for k, p in tensors.items():
            p.grad = torch.tensor(grads[k])
        theirs.step()
        ours.step(params, grads)
        for k, p in tensors.items():
            np.testing.assert_array_equal(
                np.isnan(params[k]), np.isnan(p.detach().numpy()), err_msg=f"{case['id']} {dtype}: nan in {k!r}"
            )
            np.testing.assert_allclose(
                params[k], p.detach().numpy(), rtol=RTOL[dtype], equal_nan=True,
                err_msg=f"{case['id']} {dtype}: {k!r} after step {t + 1}",
            )
    assert np.isnan(params["kernel"]).any()
