"""Generate the reference learning rates that tests/test_schedules_parity.py checks.

Each case runs a real ``torch.optim.lr_scheduler`` scheduler on a dummy SGD optimizer
and records ``scheduler.get_last_lr()[0]`` after ``t`` calls of ``scheduler.step()``,
for ``t = 0`` (the initial rate) up to the case's horizon, chosen to pass every phase of
the schedule (restarts, cycles, the end of a decay, cooldowns, ...). Long runs are
thinned to a few hundred steps, always keeping the first and last ones. The output is
``tests/data/schedules/reference.json``, read by the tests without torch.

Run from the repository root with torch 2.13.0 (CPU) installed:

    python tools/make_schedule_reference.py
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import torch
from torch.optim import lr_scheduler as L

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "schedules" / "reference.json"
KEEP = 300  # at most this many steps stored per long case


def optimizer(lr):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


# Schedules whose torch scheduler takes the same keywords: lr0 becomes the optimizer's rate.
SAME_KEYWORDS = {
    "step_decay": L.StepLR,
    "multistep": L.MultiStepLR,
    "exponential": L.ExponentialLR,
    "polynomial": L.PolynomialLR,
    "linear": L.LinearLR,
    "cosine": L.CosineAnnealingLR,
    "cosine_restarts": L.CosineAnnealingWarmRestarts,
}


def torch_scheduler(function, kwargs, opt=None):
    """The torch scheduler equivalent to ``descent.schedules.<function>(**kwargs)``.

    ``opt``: the optimizer to schedule (for the parts of a join, which share one); a fresh SGD
    with the schedule's ``lr0`` by default.
    """
    k = dict(kwargs)
    if function in SAME_KEYWORDS:
        lr0 = k.pop("lr0")
        return SAME_KEYWORDS[function](opt or optimizer(lr0), **k)
    if function == "constant":
        return L.LambdaLR(opt or optimizer(k["lr0"]), lambda t: 1.0)
    if function == "inverse_time":
        rate, steps, stair = k["decay_rate"], k.get("decay_steps", 1), k.get("staircase", False)

        def factor(t):
            p = t / steps
            return 1 / (1 + rate * (math.floor(p) if stair else p))

        return L.LambdaLR(opt or optimizer(k["lr0"]), factor)
    if function == "inverse_sqrt":
        w = k["warmup_steps"]
        return L.LambdaLR(opt or optimizer(k["lr0"]), lambda t: min(t / w, (w / t) ** 0.5) if t else 0.0)
    if function == "join":
        # torch's schedulers of a SequentialLR share one optimizer, so every part has the same lr0
        parts = k["schedules"]
        shared = optimizer(parts[0]["kwargs"]["lr0"])
        schedulers = [torch_scheduler(part["function"], part["kwargs"], shared) for part in parts]
        return L.SequentialLR(shared, schedulers, milestones=k["milestones"])
    if function == "cyclic":
        return L.CyclicLR(optimizer(k["base_lr"]), cycle_momentum=False, **k)
    if function == "one_cycle":
        return L.OneCycleLR(optimizer(k["max_lr"]), cycle_momentum=False, **k)
    if function == "warmup":
        inner = torch_scheduler(k["schedule"]["function"], k["schedule"]["kwargs"])
        opt = inner.optimizer
        ramp = L.LinearLR(
            opt, start_factor=k.get("start_factor", 1.0 / 3), end_factor=1.0, total_iters=k["warmup_steps"]
        )
        return L.SequentialLR(opt, [ramp, inner], milestones=[k["warmup_steps"]])
    raise KeyError(function)


def thin(n_steps):
    """Steps 0..n_steps, or about KEEP of them spread evenly (first and last kept)."""
    if n_steps + 1 <= KEEP:
        return None
    stride = math.ceil((n_steps + 1) / KEEP)
    return sorted(set(range(0, n_steps + 1, stride)) | {n_steps})


def run(case_id, function, kwargs, n_steps, extra_steps=()):
    """Record the rates for t = 0..n_steps; also try one more step and note if torch raises."""
    scheduler = torch_scheduler(function, kwargs)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(n_steps):
        scheduler.optimizer.step()
        scheduler.step()
        rates.append(float(scheduler.get_last_lr()[0]))
    keep = thin(n_steps)
    case = {"id": case_id, "function": function, "kwargs": kwargs}
    if keep is None:
        case["lr"] = rates
    else:
        case["t"] = keep
        case["lr"] = [rates[t] for t in keep]
    try:
        scheduler.step()
    except Exception as error:  # torch refuses to go on (one_cycle past total_steps)
        case["torch_raises_at"] = n_steps + 1
        case["torch_error"] = type(error).__name__
    return case


def schedule_cases():
    cases = []

    def add(case_id, function, kwargs, n_steps):
        cases.append(run(case_id, function, kwargs, n_steps))

    add("constant", "constant", {"lr0": 0.1}, 10)

    add("step_decay_default_gamma", "step_decay", {"lr0": 0.1, "step_size": 3}, 20)
    add("step_decay_half", "step_decay", {"lr0": 0.5, "step_size": 7, "gamma": 0.5}, 40)
    add("step_decay_growth", "step_decay", {"lr0": 0.01, "step_size": 5, "gamma": 2.0}, 20)

    # Only strictly increasing milestones: descent refuses a repeated one (torch would apply gamma once per repeat).
    add("multistep_resnet_like", "multistep", {"lr0": 0.1, "milestones": [30, 60, 90]}, 100)
    add("multistep_first_step", "multistep", {"lr0": 0.2, "milestones": [1], "gamma": 0.3}, 5)
    add("multistep_empty", "multistep", {"lr0": 0.2, "milestones": [], "gamma": 0.3}, 5)

    add("exponential_decay", "exponential", {"lr0": 0.1, "gamma": 0.9}, 50)
    add("exponential_growth", "exponential", {"lr0": 1e-5, "gamma": 1.1}, 100)
    add("exponential_long", "exponential", {"lr0": 0.1, "gamma": 0.9995}, 20000)

    add("inverse_time", "inverse_time", {"lr0": 0.1, "decay_rate": 0.5}, 30)
    add("inverse_time_staircase", "inverse_time",
        {"lr0": 0.1, "decay_rate": 0.5, "decay_steps": 4, "staircase": True}, 30)
    add("inverse_time_fractional_steps", "inverse_time", {"lr0": 0.3, "decay_rate": 2.0, "decay_steps": 2.5}, 30)

    add("polynomial_default_beyond_total_iters", "polynomial", {"lr0": 0.1}, 10)
    add("polynomial_square", "polynomial", {"lr0": 0.1, "total_iters": 20, "power": 2.0}, 30)
    add("polynomial_sqrt", "polynomial", {"lr0": 0.1, "total_iters": 13, "power": 0.5}, 20)
    add("polynomial_long_high_power", "polynomial", {"lr0": 0.1, "total_iters": 10000, "power": 10.0}, 10010)

    add("linear_default_beyond_total_iters", "linear", {"lr0": 0.1}, 10)
    add("linear_decay_to_zero", "linear", {"lr0": 0.1, "start_factor": 1.0, "end_factor": 0.0, "total_iters": 20}, 30)
    add("linear_between_factors", "linear",
        {"lr0": 0.1, "start_factor": 0.5, "end_factor": 0.1, "total_iters": 7}, 15)
    add("linear_long_decay_to_zero", "linear",
        {"lr0": 0.1, "start_factor": 0.001, "end_factor": 0.0, "total_iters": 20000}, 20003)

    add("cosine_beyond_T_max", "cosine", {"lr0": 0.1, "T_max": 10}, 45)
    add("cosine_eta_min", "cosine", {"lr0": 0.1, "T_max": 7, "eta_min": 0.01}, 40)
    add("cosine_T_max_1", "cosine", {"lr0": 0.1, "T_max": 1}, 6)
    add("cosine_eta_min_half", "cosine", {"lr0": 1.0, "T_max": 3, "eta_min": 0.5}, 20)
    add("cosine_long_eta_min", "cosine", {"lr0": 0.1, "T_max": 20000, "eta_min": 0.05}, 60001)

    add("cosine_restarts_T_mult_1", "cosine_restarts", {"lr0": 0.1, "T_0": 5}, 23)
    add("cosine_restarts_T_mult_2", "cosine_restarts", {"lr0": 0.1, "T_0": 3, "T_mult": 2, "eta_min": 0.001}, 50)
    add("cosine_restarts_T_mult_3", "cosine_restarts", {"lr0": 0.1, "T_0": 2, "T_mult": 3}, 30)
    add("cosine_restarts_T_0_1", "cosine_restarts", {"lr0": 0.1, "T_0": 1}, 5)

    add("cyclic_triangular_asymmetric", "cyclic",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 4, "step_size_down": 2}, 30)
    add("cyclic_triangular2_asymmetric", "cyclic",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "step_size_down": 5, "mode": "triangular2"}, 40)
    add("cyclic_exp_range_asymmetric", "cyclic",
        {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5, "step_size_down": 3, "mode": "exp_range",
         "gamma": 0.97}, 40)
    add("cyclic_symmetric", "cyclic", {"base_lr": 0.001, "max_lr": 0.006, "step_size_up": 6}, 30)
    add("cyclic_default_step_size", "cyclic", {"base_lr": 0.001, "max_lr": 0.1}, 8001)

    add("one_cycle_cos", "one_cycle", {"max_lr": 1.0, "total_steps": 100}, 100)
    add("one_cycle_linear", "one_cycle",
        {"max_lr": 0.1, "total_steps": 50, "pct_start": 0.25, "anneal_strategy": "linear"}, 50)
    add("one_cycle_three_phase_cos", "one_cycle",
        {"max_lr": 0.5, "total_steps": 60, "pct_start": 0.3, "three_phase": True}, 60)
    add("one_cycle_three_phase_linear", "one_cycle",
        {"max_lr": 0.5, "total_steps": 40, "pct_start": 0.25, "anneal_strategy": "linear",
         "div_factor": 10.0, "final_div_factor": 100.0, "three_phase": True}, 40)
    add("one_cycle_fractional_peak", "one_cycle", {"max_lr": 1.0, "total_steps": 17, "pct_start": 0.3}, 17)
    add("one_cycle_pct_start_0", "one_cycle", {"max_lr": 1.0, "total_steps": 10, "pct_start": 0.0}, 10)
    add("one_cycle_pct_start_1", "one_cycle", {"max_lr": 1.0, "total_steps": 10, "pct_start": 1.0}, 9)

    add("warmup_cosine", "warmup",
        {"schedule": {"function": "cosine", "kwargs": {"lr0": 0.1, "T_max": 10}}, "warmup_steps": 5,
         "start_factor": 0.1}, 30)
    add("warmup_step_decay_default_factor", "warmup",
        {"schedule": {"function": "step_decay", "kwargs": {"lr0": 0.1, "step_size": 4, "gamma": 0.5}},
         "warmup_steps": 3}, 20)
    add("warmup_exponential_one_step", "warmup",
        {"schedule": {"function": "exponential", "kwargs": {"lr0": 0.1, "gamma": 0.9}}, "warmup_steps": 1,
         "start_factor": 0.5}, 10)
    add("warmup_linear_decay_factor_1", "warmup",
        {"schedule": {"function": "linear",
                      "kwargs": {"lr0": 0.1, "start_factor": 1.0, "end_factor": 0.0, "total_iters": 10}},
         "warmup_steps": 4, "start_factor": 1.0}, 20)

    def part(function, **kwargs):
        return {"function": function, "kwargs": kwargs}

    add("join_constant_cosine", "join",
        {"schedules": [part("constant", lr0=0.1), part("cosine", lr0=0.1, T_max=10, eta_min=0.01)],
         "milestones": [5]}, 40)
    add("join_three_decays", "join",
        {"schedules": [part("linear", lr0=0.1, start_factor=0.1, end_factor=1.0, total_iters=5),
                       part("step_decay", lr0=0.1, step_size=4, gamma=0.5),
                       part("exponential", lr0=0.1, gamma=0.9)],
         "milestones": [6, 15]}, 40)
    add("join_restart_at_step_1", "join",
        {"schedules": [part("multistep", lr0=0.2, milestones=[1], gamma=0.3),
                       part("polynomial", lr0=0.2, total_iters=8, power=2.0)],
         "milestones": [1]}, 15)

    add("inverse_sqrt", "inverse_sqrt", {"lr0": 0.1, "warmup_steps": 4}, 30)
    add("inverse_sqrt_no_warmup", "inverse_sqrt", {"lr0": 1.0, "warmup_steps": 1}, 10)
    add("inverse_sqrt_long", "inverse_sqrt", {"lr0": 0.01, "warmup_steps": 100}, 2000)
    return cases


def plateau_metrics():
    """Deterministic metric sequences that trigger several reductions."""
    # A loss that falls, then plateaus with a small wiggle, falls a bit, plateaus again.
    falling = [1.0 / (1 + 0.3 * i) for i in range(10)]
    flat = [falling[-1] * (1 + 0.02 * math.sin(i)) for i in range(12)]
    lower = [flat[-1] * 0.9**i for i in range(1, 5)]
    flat2 = [lower[-1] * (1.0005 + 0.0001 * (i % 3)) for i in range(14)]
    loss = falling + flat + lower + flat2
    accuracy = [1 - x / 2 for x in loss]  # rises while the loss falls
    return loss, accuracy


def plateau_case(case_id, kwargs, metrics):
    opt = optimizer(kwargs["lr0"])
    k = {key: value for key, value in kwargs.items() if key != "lr0"}
    scheduler = L.ReduceLROnPlateau(opt, **k)
    record = {"lr": [], "best": [], "num_bad_epochs": [], "cooldown_counter": []}
    for metric in metrics:
        opt.step()
        scheduler.step(metric)
        record["lr"].append(float(scheduler.get_last_lr()[0]))
        record["best"].append(float(scheduler.best))
        record["num_bad_epochs"].append(int(scheduler.num_bad_epochs))
        record["cooldown_counter"].append(int(scheduler.cooldown_counter))
    return {"id": case_id, "kwargs": kwargs, "metrics": list(metrics), **record}


def plateau_cases():
    loss, accuracy = plateau_metrics()
    return [
        plateau_case("min_rel_patience_2", {"lr0": 0.1, "factor": 0.5, "patience": 2}, loss),
        plateau_case("min_rel_defaults", {"lr0": 0.1}, loss + loss[-1:] * 30),
        plateau_case("min_abs_cooldown_min_lr", {"lr0": 0.1, "factor": 0.3, "patience": 1, "threshold": 0.01,
                                                 "threshold_mode": "abs", "cooldown": 2, "min_lr": 0.002}, loss),
        plateau_case("max_rel_cooldown", {"lr0": 0.05, "mode": "max", "factor": 0.5, "patience": 2,
                                          "threshold": 0.001, "cooldown": 1}, accuracy),
        plateau_case("max_abs", {"lr0": 0.05, "mode": "max", "factor": 0.2, "patience": 0, "threshold": 0.005,
                                 "threshold_mode": "abs"}, accuracy),
        plateau_case("eps_blocks_tiny_updates", {"lr0": 1e-6, "factor": 0.5, "patience": 1, "eps": 1e-6}, loss),
        plateau_case("eps_blocks_last_step_to_min_lr", {"lr0": 0.1, "factor": 0.5, "patience": 0, "min_lr": 0.0124,
                                                        "eps": 1e-3}, loss),
        plateau_case("min_rel_negative_metric", {"lr0": 0.1, "factor": 0.5, "patience": 1, "threshold": 0.01},
                     [x - 2.0 for x in loss]),  # negative and falling
        plateau_case("zero_threshold_ties_and_nan", {"lr0": 0.1, "factor": 0.5, "patience": 1, "threshold": 0.0},
                     [3.0, 2.0, 2.0, 2.0, float("nan"), 1.5, float("nan"), float("nan"), 1.5, 1.0, 1.0, 1.0]),
    ]


def to_json(data):
    """JSON with one case per line: small, and a regenerated file diffs case by case."""
    lines = ["{"]
    items = list(data.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list):
            rows = ",\n".join("  " + json.dumps(case) for case in value)
            lines.append(f"{json.dumps(key)}: [\n{rows}\n]{comma}")
        else:
            lines.append(f"{json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    warnings.filterwarnings("ignore", category=UserWarning)
    data = {
        "generator": "tools/make_schedule_reference.py",
        "torch_version": torch.__version__,
        "meaning": "lr[i] is scheduler.get_last_lr()[0] after t[i] calls of scheduler.step() "
        "(t defaults to 0, 1, 2, ...); plateau cases record the state after each step(metric)",
        "schedules": schedule_cases(),
        "plateau": plateau_cases(),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(to_json(data))
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KiB, {len(data['schedules'])} schedules, "
          f"{len(data['plateau'])} plateau runs)")


if __name__ == "__main__":
    main()
