"""descent.models.MLP against torch autograd, from stored reference data (read without torch).

tests/data/mlp/ is written by tools/make_mlp_reference.py: 48 cases, depths 1 to 4, ReLU and
tanh, batches of 1, 7 and 64, float32 and float64, each with torch's mean cross-entropy and
its gradients. Tolerances: float64 relative 1e-12 (the two compute the same sums in another
order); float32 relative 1e-5 plus 1e-5 times the largest entry of that gradient, since an
entry near zero is the difference of rounded terms, each of the gradient's size.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from descent.models import MLP

DATA = Path(__file__).parent / "data" / "mlp"
META = json.loads((DATA / "cases.json").read_text())
TOLERANCE = {"float64": (1e-12, 1e-12), "float32": (1e-5, 1e-5)}  # (rtol, atol relative to the largest entry)


@pytest.fixture(scope="module")
def reference():
    with np.load(DATA / "reference.npz", allow_pickle=False) as arrays:
        return {key: arrays[key] for key in arrays.files}


def test_the_reference_covers_what_it_should():
    cases = META["cases"]
    assert {len(c["sizes"]) - 1 for c in cases} == {1, 2, 3, 4}
    assert {c["activation"] for c in cases} == {"relu", "tanh"}
    assert {c["batch"] for c in cases} == {1, 7, 64}
    assert {c["dtype"] for c in cases} == {"float32", "float64"}


@pytest.mark.parametrize("case", META["cases"], ids=[c["id"] for c in META["cases"]])
def test_loss_and_gradients_match_torch_autograd(case, reference):
    prefix = case["id"]
    net = MLP(case["sizes"], case["activation"])
    params = {key: reference[f"{prefix}/params/{key}"].copy() for key in net.shapes}
    X, y = reference[f"{prefix}/X"], reference[f"{prefix}/y"]
    rtol, atol = TOLERANCE[case["dtype"]]

    loss, grads = net.loss_and_grad(params, X, y)
    assert loss.dtype == np.dtype(case["dtype"])
    np.testing.assert_allclose(loss, reference[f"{prefix}/loss"], rtol=rtol, atol=0)
    for key in net.shapes:
        expected = reference[f"{prefix}/grads/{key}"]
        assert grads[key].dtype == expected.dtype
        np.testing.assert_allclose(grads[key], expected, rtol=rtol, atol=atol * np.max(np.abs(expected)), err_msg=key)
