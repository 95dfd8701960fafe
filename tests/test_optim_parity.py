"""descent.optim against torch.optim, step for step, from recorded reference runs.

The reference data in tests/data/optim/ was written by tools/make_optim_reference.py
(torch.optim, single-tensor path): for every case, the gradients fed at each
step, the learning rate used at each step (it changes every step) and the
parameters after each step.  These tests feed the same gradients and rates to
descent.optim and compare; they do not import torch.

Tolerance: relative 1e-10 in float64, entry by entry, with no absolute floor.
Relative 1e-5 in float32, entry by entry, plus an absolute allowance of 1e-5
times the parameter's largest magnitude over the whole run (every entry, every
step of torch's trajectory).  Why an allowance at all: torch rounds a few
operations differently from numpy (it fuses some multiply-adds that numpy does
in two steps, or the other way round, and orders some products and quotients
its own way).  Each such difference is one rounding of float32, about 6e-8 of
the numbers being combined; when an update nearly cancels an entry (a parameter
crossing zero), that absolute error stays the size of the numbers that
cancelled, which can be a relative error above 1e-5 in the small result
(nesterov_decay_maximize's 0-d ``scale`` after step 21 and
rmsprop_momentum_maximize's ``weight`` after step 10 reach 1.4e-5 and 1.3e-5,
using about 1 % of the allowance).  Why the
whole run's largest magnitude: it is the size of the numbers that cancelled,
whereas the entry itself at that step (or its tensor's largest entry, which for
a 0-d parameter is the same entry) is exactly what cancellation made small.
Per-parameter state compared at the resume point (moments, buffers) gets the
same rule with that state array's largest magnitude.
"""

from __future__ import annotations

import numpy as np
import pytest

from _optim_cases import DATA, META, RTOL, as_kwargs
import descent.optim as optim

REFERENCE = dict(np.load(DATA / "trajectories.npz", allow_pickle=False))

CASES = [(case, dtype) for case in META["cases"] for dtype in case["dtypes"]]
IDS = [f"{case['id']}-{dtype}" for case, dtype in CASES]
RESUMABLE = [(c, d) for c, d in CASES if c["resume_at"] is not None]


def make(case):
    return getattr(optim, case["optimizer"])(**as_kwargs(case["kwargs"]))


def reference(case, dtype):
    prefix = f"{case['id']}/{dtype}/"
    ref = {}
    for name, value in REFERENCE.items():
        if name.startswith(prefix):
            ref[name[len(prefix):]] = value
    keys = list(META["shapes"])
    params = {k: ref[f"params/{k}"] for k in keys}
    grads = {k: ref[f"grads/{k}"] for k in keys}
    mid_state = {n[len("mid_state/"):]: v for n, v in ref.items() if n.startswith("mid_state/")}
    return ref["lrs"], params, grads, mid_state


def largest_magnitude(values):
    """The largest finite ``|value|`` (0 if there is none)."""
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def assert_matches(actual, desired, dtype, what, scale):
    """Entry by entry; in float32 with the absolute allowance ``1e-5 * scale`` (see the module docstring)."""
    assert actual.dtype == desired.dtype, what
    atol = RTOL[dtype] * scale if dtype == "float32" else 0.0
    np.testing.assert_allclose(actual, desired, rtol=RTOL[dtype], atol=atol, err_msg=what)


def run(opt, params, lrs, grads, start, stop, path, dtype):
    scale = {k: largest_magnitude(p) for k, p in path.items()}  # over the whole run, every step
    for t in range(start, stop):
        opt.lr = float(lrs[t])
        opt.step(params, {k: g[t] for k, g in grads.items()})
        for k in params:
            assert_matches(params[k], path[k][t + 1], dtype, f"parameter {k!r} after step {t + 1}", scale[k])


def test_reference_data_covers_every_optimizer():
    names = {case["optimizer"] for case in META["cases"] if not case["nonfinite"]}
    assert names == set(optim.__all__) - {"Optimizer"}
    for name in names:
        cases = [c for c in META["cases"] if c["optimizer"] == name and not c["nonfinite"]]
        assert len(cases) >= 2, name
        assert all(c["dtypes"] == ["float32", "float64"] and c["steps"] >= 20 for c in cases), name
    assert META["torch_version"].startswith("2.13.0")


@pytest.mark.parametrize("case, dtype", CASES, ids=IDS)
def test_trajectory_matches_torch(case, dtype):
    lrs, path, grads, _ = reference(case, dtype)
    assert len(set(lrs.tolist())) == len(lrs)  # the rate really changes at every step
    params = {k: np.array(p[0]) for k, p in path.items()}
    run(make(case), params, lrs, grads, 0, case["steps"], path, dtype)
    if case["nonfinite"]:  # the nan/inf fed at step 2 propagated, as in torch
        assert not np.isfinite(params["weight"]).all()


@pytest.mark.parametrize("case, dtype", RESUMABLE, ids=[f"{c['id']}-{d}" for c, d in RESUMABLE])
def test_resume_from_saved_state_continues_like_torch(case, dtype, tmp_path):
    lrs, path, grads, torch_state = reference(case, dtype)
    middle = case["resume_at"]
    params = {k: np.array(p[0]) for k, p in path.items()}
    first = make(case)
    run(first, params, lrs, grads, 0, middle, path, dtype)

    # The state agrees with torch's at the same point, entry by entry (same names).
    state = first.state_dict()
    for name, value in torch_state.items():
        key, field = name.split("/")
        ours = np.asarray(state[f"state/{key}/{field}"])
        if field in ("step", "mu_product"):
            assert float(ours) == pytest.approx(float(value), rel=1e-12), name
        else:
            assert_matches(ours, value, dtype, f"state {name} after {middle} steps", largest_magnitude(value))

    np.savez(tmp_path / "state.npz", **state)
    fresh = getattr(optim, case["optimizer"])()  # default hyperparameters: the file must restore them
    with np.load(tmp_path / "state.npz", allow_pickle=False) as saved:
        fresh.load_state_dict(saved)
    assert fresh.hyperparameters == first.hyperparameters
    run(fresh, params, lrs, grads, middle, case["steps"], path, dtype)

    # Saving and loading lose nothing: bit for bit the run that was never interrupted.
    straight = {k: np.array(p[0]) for k, p in path.items()}
    uninterrupted = make(case)
    run(uninterrupted, straight, lrs, grads, 0, case["steps"], path, dtype)
    for k in params:
        np.testing.assert_array_equal(params[k], straight[k], err_msg=f"parameter {k!r} after the resume")
    resumed_state, straight_state = fresh.state_dict(), uninterrupted.state_dict()
    assert resumed_state.keys() == straight_state.keys()
    for name, value in straight_state.items():
        np.testing.assert_array_equal(np.asarray(resumed_state[name]), np.asarray(value), err_msg=name)


def test_state_dict_round_trip_is_plain_and_exact(tmp_path):
    opt = optim.NAdam(lr=0.01, weight_decay=0.1)
    params = {"layer/w": np.ones((2, 3)), "b": np.zeros(())}
    opt.step(params, {"layer/w": np.full((2, 3), 0.5), "b": np.array(-1.0)})
    state = opt.state_dict()
    for value in state.values():
        assert isinstance(value, (int, float, bool, str, np.ndarray)), type(value)
    np.savez(tmp_path / "s.npz", **state)
    restored = optim.NAdam()
    with np.load(tmp_path / "s.npz", allow_pickle=False) as saved:
        restored.load_state_dict(saved)
    again = restored.state_dict()
    assert again.keys() == state.keys()
    for name in state:
        np.testing.assert_array_equal(np.asarray(again[name]), np.asarray(state[name]), err_msg=name)
