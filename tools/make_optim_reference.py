"""Generate the torch.optim reference trajectories that tests/test_optim_parity.py reads.

The tests never import torch: they read what this script wrote.  Re-run it (it
takes a few seconds) whenever a case is added or torch is upgraded::

    PYTHONPATH=lib python tools/make_optim_reference.py   # needs torch (CPU), e.g. torch==2.13.0
    .venv/bin/pytest tests/test_optim_parity.py

It writes, in tests/data/optim/:

``cases.json``
    the torch version, the shapes, and every case: its id, the ``descent.optim``
    class and keyword arguments, the torch class and keyword arguments, the
    number of steps, the step at which the resume test saves state, and the
    dtypes.
``trajectories.npz``
    per case and dtype (``<id>/<dtype>/...``): ``lrs`` (the learning rate used at
    each step; it changes every step), ``grads/<key>`` (the gradient fed at each
    step), ``params/<key>`` (the initial value then the value after each step),
    and ``mid_state/<key>/<name>`` (torch's per-parameter state after
    ``resume_at`` steps, e.g. ``exp_avg``).

Each run uses torch's single-tensor code path (``foreach=False``), which is the
one the numpy code follows.  Everything is seeded, so re-running with the same
torch gives identical files.  Also checked here: torch's own
``state_dict``/``load_state_dict`` resume continues its run exactly.
"""

from __future__ import annotations

import copy
import json
import pathlib
import zlib

import numpy as np
import torch

from descent.training.torch_names import TORCH_EQUIVALENTS

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "optim"
SHAPES = {"weight": (3, 4), "bias": (3,), "scale": ()}  # includes a 0-d parameter
STEPS = 24
RESUME_AT = 11
NONFINITE_STEPS = 6
DTYPES = ("float32", "float64")

# descent class -> (torch class, the switch that makes torch's class that method): from the one table of
# torch names in descent (each case gives its own momentum, so only SGD's nesterov switch is taken from there).
TORCH = {name: (torch_name, {key: value for key, value in fixed.items() if key == "nesterov"})
         for name, (torch_name, fixed) in TORCH_EQUIVALENTS.items()}

# (case id, descent class, keyword arguments shared by descent and torch)
CASES = [
    ("sgd_plain", "SGD", {"lr": 0.1}),
    ("sgd_weight_decay", "SGD", {"lr": 0.05, "weight_decay": 0.1}),
    ("sgd_maximize", "SGD", {"lr": 0.1, "maximize": True}),
    ("momentum_plain", "Momentum", {"lr": 0.05, "momentum": 0.9}),
    ("momentum_dampening_decay", "Momentum", {"lr": 0.1, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.05}),
    ("nesterov_plain", "Nesterov", {"lr": 0.05, "momentum": 0.9}),
    ("nesterov_decay_maximize", "Nesterov", {"lr": 0.1, "momentum": 0.7, "weight_decay": 0.05, "maximize": True}),
    ("adagrad_plain", "AdaGrad", {"lr": 0.1}),
    (
        "adagrad_decay_accumulator",
        "AdaGrad",
        {"lr": 0.2, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-6},
    ),
    ("rmsprop_plain", "RMSProp", {"lr": 0.01}),
    (
        "rmsprop_centered_momentum",
        "RMSProp",
        {"lr": 0.01, "alpha": 0.9, "momentum": 0.8, "centered": True, "weight_decay": 0.1},
    ),
    ("rmsprop_centered", "RMSProp", {"lr": 0.02, "centered": True, "eps": 1e-4}),
    ("rmsprop_momentum_maximize", "RMSProp", {"lr": 0.01, "momentum": 0.5, "maximize": True}),
    ("adadelta_plain", "Adadelta", {}),
    ("adadelta_decay", "Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1}),
    ("adam_plain", "Adam", {"lr": 0.01}),
    ("adam_amsgrad_decay", "Adam", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True}),
    ("adam_amsgrad_low_betas", "Adam", {"lr": 0.01, "betas": (0.3, 0.5), "amsgrad": True}),
    ("adam_maximize_eps", "Adam", {"lr": 0.02, "eps": 1e-3, "maximize": True}),
    ("adam_decoupled", "Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("adamw_plain", "AdamW", {"lr": 0.01}),
    ("adamw_amsgrad_decay", "AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True, "betas": (0.9, 0.95)}),
    ("adamax_plain", "AdaMax", {"lr": 0.01}),
    ("adamax_decay_eps", "AdaMax", {"lr": 0.02, "betas": (0.8, 0.9), "weight_decay": 0.1, "eps": 1e-3}),
    ("nadam_plain", "NAdam", {"lr": 0.01}),
    ("nadam_decay", "NAdam", {"lr": 0.01, "weight_decay": 0.1, "momentum_decay": 0.01}),
    ("nadam_decoupled", "NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "betas": (0.3, 0.9)}),
    ("radam_plain", "RAdam", {"lr": 0.01}),
    ("radam_decay", "RAdam", {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 0.1}),
    ("radam_decoupled", "RAdam", {"lr": 0.01, "betas": (0.9, 0.9), "weight_decay": 0.1, "decoupled_weight_decay": True}),
]
# One case per optimizer whose gradients contain nan and +-inf at step 2 (float64 only).
NONFINITE_KWARGS = {"Momentum": {"lr": 0.1, "momentum": 0.9}, "Nesterov": {"lr": 0.1, "momentum": 0.9}, "Adadelta": {}}
NONFINITE = [(f"nonfinite_{name.lower()}", name, NONFINITE_KWARGS.get(name, {"lr": 0.1})) for name in TORCH]


def seed_of(text: str) -> int:
    """A stable seed from a case id (Python's hash() is salted per process)."""
    return zlib.crc32(text.encode())


def problem(case_id: str, dtype: str, steps: int, nonfinite: bool):
    """Initial parameters, per-step gradients and per-step learning-rate factors."""
    rng = np.random.default_rng(seed_of(f"{case_id}/{dtype}"))
    params = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    # Gradients of different scales per tensor, so adaptive methods have something to adapt to.
    scales = {"weight": 1.0, "bias": 0.1, "scale": 3.0}
    grads = [{k: (scales[k] * rng.normal(size=s)).astype(dtype) for k, s in SHAPES.items()} for _ in range(steps)]
    if nonfinite:
        grads[2]["weight"][0, 0] = np.nan
        grads[2]["weight"][1, 2] = np.inf
        grads[2]["bias"][1] = -np.inf
    factors = rng.uniform(0.5, 1.5, size=steps)  # the learning rate changes at every step
    return params, grads, factors


def run_torch(name, kwargs, params, grads, lrs, resume_at=None):
    """Run torch.optim; return the trajectory per key and torch's state after resume_at steps."""
    torch_name, extra = TORCH[name]
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    opt = getattr(torch.optim, torch_name)(list(tensors.values()), **kwargs, **extra, foreach=False)
    path = {k: [v.copy()] for k, v in params.items()}
    mid_state = {}
    for t, (grad, lr) in enumerate(zip(grads, lrs)):
        if t == resume_at:
            mid_state = {
                k: {n: np.asarray(s.detach().numpy() if torch.is_tensor(s) else s).copy() for n, s in opt.state[p].items()}
                for k, p in tensors.items()
            }
            # torch's own resume must continue identically: rebuild the optimizer from its state_dict.
            saved = copy.deepcopy(opt.state_dict())
            opt = getattr(torch.optim, torch_name)(list(tensors.values()), **kwargs, **extra, foreach=False)
            opt.load_state_dict(saved)
        for group in opt.param_groups:
            group["lr"] = float(lr)
        for k, p in tensors.items():
            p.grad = torch.tensor(grad[k])
        opt.step()
        for k, p in tensors.items():
            path[k].append(p.detach().numpy().copy())
    return {k: np.stack(v) for k, v in path.items()}, mid_state


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    arrays, cases = {}, []
    for case_id, name, kwargs in CASES + NONFINITE:
        nonfinite = case_id.startswith("nonfinite_")
        steps = NONFINITE_STEPS if nonfinite else STEPS
        dtypes = ("float64",) if nonfinite else DTYPES
        resume_at = None if nonfinite else RESUME_AT
        base_lr = kwargs.get("lr", 1.0)
        for dtype in dtypes:
            params, grads, factors = problem(case_id, dtype, steps, nonfinite)
            lrs = base_lr * factors
            path, mid_state = run_torch(name, kwargs, params, grads, lrs, resume_at)
            if resume_at is not None:  # torch's resumed run must match its uninterrupted run
                straight, _ = run_torch(name, kwargs, params, grads, lrs)
                for k in path:
                    if name == "NAdam":
                        # torch's load_state_dict casts NAdam's float32 mu_product to the parameter
                        # dtype, so a resumed float64 run differs in the last bits (~1e-13).
                        np.testing.assert_allclose(path[k], straight[k], rtol=1e-11, atol=1e-12)
                    else:
                        np.testing.assert_array_equal(path[k], straight[k])
                path = straight  # the reference is the uninterrupted run
            prefix = f"{case_id}/{dtype}"
            arrays[f"{prefix}/lrs"] = lrs
            for k in SHAPES:
                arrays[f"{prefix}/params/{k}"] = path[k]
                arrays[f"{prefix}/grads/{k}"] = np.stack([g[k] for g in grads])
                for n, value in mid_state.get(k, {}).items():
                    arrays[f"{prefix}/mid_state/{k}/{n}"] = value
        torch_name, extra = TORCH[name]
        cases.append(
            {
                "id": case_id,
                "optimizer": name,
                "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
                "torch_class": f"torch.optim.{torch_name}",
                "torch_kwargs": {**{k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()}, **extra},
                "steps": steps,
                "resume_at": resume_at,
                "dtypes": list(dtypes),
                "nonfinite": nonfinite,
            }
        )
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "trajectories.npz", **arrays)
    meta = {
        "generated_by": "tools/make_optim_reference.py",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "shapes": {k: list(s) for k, s in SHAPES.items()},
        "cases": cases,
    }
    (OUT / "cases.json").write_text(json.dumps(meta, indent=1) + "\n")
    size = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(cases)} cases ({len(arrays)} arrays, {size / 1e3:.0f} kB) to {OUT}")


if __name__ == "__main__":
    main()
