"""descent.schedules against torch.optim.lr_scheduler, live, on random configurations.

Skipped when torch is not installed (it is not a requirement of the book). The torch
side is built by the same mapping the reference generator uses, so what it claims is
"the torch equivalent" is what is tested.
"""

import importlib.util
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from _schedule_cases import FUNCTIONS, RTOL, build  # noqa: E402
from descent import schedules  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_schedule_reference", ROOT / "tools" / "make_schedule_reference.py")
reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)

CONFIGS_PER_SCHEDULE = 15


def log_uniform(rng, low, high):
    return float(10 ** rng.uniform(math.log10(low), math.log10(high)))


def maybe_zero(rng, value):
    return 0.0 if rng.random() < 0.3 else value


def random_config(function, rng):
    """(kwargs, number of steps that passes every phase) for a random configuration."""
    lr0 = log_uniform(rng, 1e-4, 1.0)
    if function == "constant":
        return {"lr0": lr0}, 20
    if function == "step_decay":
        k = {"lr0": lr0, "step_size": int(rng.integers(1, 20)), "gamma": float(rng.uniform(0.05, 1.5))}
        return k, 5 * k["step_size"] + 3
    if function == "multistep":
        milestones = sorted({int(m) for m in rng.integers(1, 60, size=int(rng.integers(0, 6)))})  # no repeats
        return {"lr0": lr0, "milestones": milestones, "gamma": float(rng.uniform(0.05, 1.0))}, 70
    if function == "exponential":
        return {"lr0": lr0, "gamma": float(rng.uniform(0.9, 1.05))}, 300
    if function == "inverse_time":
        steps = int(rng.integers(1, 10)) if rng.random() < 0.5 else float(rng.uniform(0.5, 10))
        k = {"lr0": lr0, "decay_rate": float(rng.uniform(0, 3)), "decay_steps": steps,
             "staircase": bool(rng.random() < 0.5)}
        return k, 100
    if function == "polynomial":
        k = {"lr0": lr0, "total_iters": int(rng.integers(1, 100)), "power": float(rng.uniform(0.2, 4))}
        return k, k["total_iters"] + 20
    if function == "linear":
        k = {"lr0": lr0, "start_factor": float(rng.uniform(0.01, 1)), "end_factor": maybe_zero(rng, float(rng.uniform(0, 1))),
             "total_iters": int(rng.integers(1, 100))}
        return k, k["total_iters"] + 20
    if function == "cosine":
        k = {"lr0": lr0, "T_max": int(rng.integers(1, 60)), "eta_min": maybe_zero(rng, float(rng.uniform(0, lr0)))}
        return k, 3 * k["T_max"] + 5
    if function == "cosine_restarts":
        k = {"lr0": lr0, "T_0": int(rng.integers(1, 15)), "T_mult": int(rng.integers(1, 4)),
             "eta_min": maybe_zero(rng, float(rng.uniform(0, lr0)))}
        return k, k["T_0"] * (1 + k["T_mult"] + k["T_mult"] ** 2) + 3
    if function == "cyclic":
        down = None if rng.random() < 0.3 else int(rng.integers(1, 15))
        k = {"base_lr": lr0, "max_lr": lr0 * float(1 + rng.uniform(0, 20)), "step_size_up": int(rng.integers(1, 15)),
             "step_size_down": down, "mode": str(rng.choice(["triangular", "triangular2", "exp_range"])),
             "gamma": float(rng.uniform(0.9, 1.0))}
        return k, 4 * (k["step_size_up"] + (down or k["step_size_up"]))
    if function == "one_cycle":
        three_phase = bool(rng.random() < 0.5)
        total = int(rng.integers(2, 150))
        pct = float(rng.uniform(0, 0.5 if three_phase else 1.0))
        if float(pct * total) - 1 == 0:
            pct = 0.5 * pct
        k = {"max_lr": lr0, "total_steps": total, "pct_start": pct,
             "anneal_strategy": str(rng.choice(["cos", "linear"])), "div_factor": float(rng.uniform(1, 50)),
             "final_div_factor": log_uniform(rng, 1, 1e4), "three_phase": three_phase}
        return k, total
    if function == "warmup":
        inner_function = str(rng.choice(["cosine", "step_decay", "exponential", "polynomial", "linear", "cyclic",
                                         "one_cycle"]))
        inner, inner_steps = random_config(inner_function, rng)
        # torch's ramp heads for the optimizer's base rate, ours for s(0); they are the
        # same only when the wrapped schedule starts at its base rate (see warmup's Notes)
        if inner_function == "linear":
            inner["start_factor"] = 1.0
        while inner_function == "one_cycle" and inner["pct_start"] * inner["total_steps"] < 1:
            inner, inner_steps = random_config(inner_function, rng)
        k = {"schedule": {"function": inner_function, "kwargs": inner}, "warmup_steps": int(rng.integers(1, 20)),
             "start_factor": float(rng.uniform(0.01, 1))}
        return k, k["warmup_steps"] + inner_steps
    if function == "inverse_sqrt":
        k = {"lr0": lr0, "warmup_steps": int(rng.integers(1, 50))}
        return k, 4 * k["warmup_steps"] + 10
    if function == "join":
        # torch's parts share the optimizer's base rate: every part gets the same lr0
        parts, lengths = [], []
        for _ in range(int(rng.integers(2, 5))):
            part_function = str(rng.choice(JOINABLE))
            kwargs, steps = random_config(part_function, rng)
            if "eta_min" in kwargs:  # eta_min is at most lr0
                kwargs["eta_min"] *= lr0 / kwargs["lr0"]
            kwargs["lr0"] = lr0
            parts.append({"function": part_function, "kwargs": kwargs})
            lengths.append(int(rng.integers(1, steps + 1)))
        milestones = np.cumsum(lengths[:-1]).tolist()
        return {"schedules": parts, "milestones": milestones}, milestones[-1] + lengths[-1] + 10
    raise KeyError(function)


#: The schedules a join is made of in the live test: those whose torch scheduler takes the
#: optimizer's base rate as its lr0 (cyclic and one_cycle set their own).
JOINABLE = ["constant", "step_decay", "multistep", "exponential", "inverse_time", "polynomial", "linear",
            "cosine", "cosine_restarts", "inverse_sqrt"]


def torch_rates(function, kwargs, n_steps):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = reference.torch_scheduler(function, kwargs)
        rates = [scheduler.get_last_lr()[0]]
        for _ in range(n_steps):  # no optimizer.step(): it would only silence a warning, slowly
            scheduler.step()
            rates.append(float(scheduler.get_last_lr()[0]))
    return np.array(rates)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_random_configurations_match_torch(function):
    rng = np.random.default_rng(FUNCTIONS.index(function))
    for _ in range(CONFIGS_PER_SCHEDULE):
        kwargs, n_steps = random_config(function, rng)
        s = build(function, kwargs)
        expected = torch_rates(function, kwargs, n_steps)
        got = s(np.arange(n_steps + 1))
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0, err_msg=repr(s))


def random_metrics(rng, n):
    """A noisy falling curve with plateaus, sometimes a spike or a NaN."""
    level, out = 1.0, []
    for _ in range(n):
        if rng.random() < 0.3:
            level *= float(rng.uniform(0.8, 1.0))
        value = level * (1 + 0.01 * float(rng.standard_normal()))
        out.append(float("nan") if rng.random() < 0.03 else value)
    return out


@pytest.mark.parametrize("seed", range(12))
def test_random_plateau_runs_match_torch(seed):
    rng = np.random.default_rng(1000 + seed)
    lr0 = log_uniform(rng, 1e-4, 1.0)
    mode = str(rng.choice(["min", "max"]))
    kwargs = {"lr0": lr0, "mode": mode, "factor": float(rng.uniform(0.05, 0.95)), "patience": int(rng.integers(0, 5)),
              "threshold": float(rng.choice([0.0, 1e-4, 1e-2])), "threshold_mode": str(rng.choice(["rel", "abs"])),
              "cooldown": int(rng.integers(0, 4)), "min_lr": maybe_zero(rng, lr0 * float(rng.uniform(0, 0.1))),
              "eps": float(rng.choice([0.0, 1e-8, lr0 * 1e-3]))}
    metrics = random_metrics(rng, 120)
    if mode == "max":
        metrics = [-m for m in metrics]
    expected = reference.plateau_case(f"seed {seed}", kwargs, metrics)
    p = schedules.ReduceLROnPlateau(**kwargs)
    for i, metric in enumerate(metrics):
        assert p.step(metric) == pytest.approx(expected["lr"][i], rel=RTOL, abs=0), (kwargs, i)
        assert p.num_bad_epochs == expected["num_bad_epochs"][i]
        assert p.cooldown_counter == expected["cooldown_counter"][i]
        best = expected["best"][i]
        assert p.best == best or p.best == pytest.approx(best, rel=RTOL, abs=0)
