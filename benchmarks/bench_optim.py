"""Time one optimizer step of descent.optim against torch.optim on 1,000,000 parameters.

    .venv/bin/python benchmarks/bench_optim.py            # full run, about 40 s
    .venv/bin/python benchmarks/bench_optim.py --repeats 21 --only Adam AdamW --dtypes float32

One thread for both (OMP/MKL/OpenBLAS threads = 1, ``torch.set_num_threads(1)``;
the header reports the threads of every BLAS and OpenMP pool loaded, including the
one SciPy bundles, which ``descent.optim`` uses for its one-pass ``y += a * x``),
same hyperparameters, same float32 or float64 parameter and gradient, state
already initialised by a few warm-up steps.  torch runs its single-tensor code
(``foreach=False``), which is also what torch picks by default for CPU tensors
(the script checks that).  Single steps of the two alternate, ``--repeats``
of each, taken in ``--rounds`` passes over all rows; the times shown are
medians, so that steps interrupted by other processes do not count.  The ratio
is descent time / torch time (of the medians); the goal is <= 1.5.  The last
column, the ratio of the fastest steps, is the least sensitive to a busy machine.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy.linalg.blas  # noqa: E402, F401  (loaded now, so that its threads are reported)
import torch  # noqa: E402

import descent.optim as optim  # noqa: E402

torch.set_num_threads(1)

N = 1_000_000

# (label, descent class, descent keywords, torch class, torch keywords)
CONFIGS = [
    ("SGD", optim.SGD, {"lr": 1e-3}, torch.optim.SGD, {"lr": 1e-3}),
    ("SGD weight_decay", optim.SGD, {"lr": 1e-3, "weight_decay": 1e-4}, torch.optim.SGD, {"lr": 1e-3, "weight_decay": 1e-4}),
    ("Momentum", optim.Momentum, {"lr": 1e-3, "momentum": 0.9}, torch.optim.SGD, {"lr": 1e-3, "momentum": 0.9}),
    ("Nesterov", optim.Nesterov, {"lr": 1e-3, "momentum": 0.9}, torch.optim.SGD, {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    ("AdaGrad", optim.AdaGrad, {}, torch.optim.Adagrad, {}),
    ("RMSProp", optim.RMSProp, {}, torch.optim.RMSprop, {}),
    ("RMSProp centered+momentum", optim.RMSProp, {"centered": True, "momentum": 0.9}, torch.optim.RMSprop, {"centered": True, "momentum": 0.9}),
    ("Adadelta", optim.Adadelta, {}, torch.optim.Adadelta, {}),
    ("Adam", optim.Adam, {}, torch.optim.Adam, {}),
    ("Adam amsgrad", optim.Adam, {"amsgrad": True}, torch.optim.Adam, {"amsgrad": True}),
    ("AdamW", optim.AdamW, {}, torch.optim.AdamW, {}),
    ("AdaMax", optim.AdaMax, {}, torch.optim.Adamax, {}),
    ("NAdam", optim.NAdam, {}, torch.optim.NAdam, {}),
    ("RAdam", optim.RAdam, {}, torch.optim.RAdam, {}),
]


def step_time(step):
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def bench(config, dtype, repeats, warmup=8):
    label, ours_cls, ours_kwargs, torch_cls, torch_kwargs = config
    rng = np.random.default_rng(0)
    theta = rng.normal(size=N).astype(dtype)
    grad = rng.normal(size=N).astype(dtype)

    params, grads = {"theta": theta.copy()}, {"theta": grad}
    ours = ours_cls(**ours_kwargs)
    ours_step = lambda: ours.step(params, grads)  # noqa: E731

    p = torch.tensor(theta.copy(), requires_grad=True)
    p.grad = torch.tensor(grad)
    theirs = torch_cls([p], **torch_kwargs, foreach=False)
    torch_step = theirs.step

    for _ in range(warmup):  # state initialised, RAdam past its rho_t <= 5 phase
        ours_step()
        torch_step()
    # Alternate single steps of the two, so that load from other processes hits both alike;
    # the median ignores the steps that were interrupted.
    t_ours, t_torch = [], []
    for _ in range(repeats):
        t_ours.append(step_time(ours_step))
        t_torch.append(step_time(torch_step))
    return t_ours, t_torch


def torch_cpu_default_is_single_tensor() -> bool:
    from torch.optim.optimizer import _default_to_fused_or_foreach

    p = torch.zeros(3)
    fused, foreach = _default_to_fused_or_foreach([p], differentiable=False, use_fused=False)
    return not fused and not foreach


def blas_threads() -> str:
    try:
        import threadpoolctl
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    pools = threadpoolctl.threadpool_info()
    return ", ".join(f"{os.path.basename(p['filepath'])} {p['num_threads']}" for p in pools)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=102, help="timed steps of each, in all (default 102)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over all rows (default 3)")
    parser.add_argument("--only", nargs="*", help="labels to run (default: all)")
    parser.add_argument("--dtypes", nargs="*", default=["float32", "float64"])
    args = parser.parse_args()

    print(
        f"# {datetime.date.today()}  {platform.processor() or platform.machine()}  numpy {np.__version__}  "
        f"torch {torch.__version__}  threads: numpy 1, torch {torch.get_num_threads()}"
    )
    print(f"# BLAS threads: {blas_threads()}")
    print(f"# torch's CPU default is the single-tensor path too: {torch_cpu_default_is_single_tensor()}")
    print(
        f"# one step on {N:,} parameters, median of {args.repeats} alternating single steps "
        f"taken in {args.rounds} rounds\n"
    )
    print("| optimizer | dtype | descent (ms) | torch (ms) | ratio | ratio of fastest steps |")
    print("|---|---|---:|---:|---:|---:|")
    selected = [c for c in CONFIGS if not args.only or c[0] in args.only]
    # Several rounds over all rows, samples pooled per row: a burst of load from
    # other processes then spreads over the rows instead of spoiling one of them.
    samples = {(c[0], d): ([], []) for c in selected for d in args.dtypes}
    per_round = -(-args.repeats // args.rounds)
    for _ in range(args.rounds):
        for config in selected:
            for dtype in args.dtypes:
                t_ours, t_torch = bench(config, dtype, per_round)
                samples[config[0], dtype][0].extend(t_ours)
                samples[config[0], dtype][1].extend(t_torch)
    worst = 0.0
    for (label, dtype), (t_ours, t_torch) in samples.items():
        ours, theirs = statistics.median(t_ours), statistics.median(t_torch)
        ratio, best = ours / theirs, min(t_ours) / min(t_torch)
        worst = max(worst, ratio)
        print(f"| {label} | {dtype} | {ours * 1e3:.2f} | {theirs * 1e3:.2f} | {ratio:.2f} | {best:.2f} |")
    print(f"\nworst ratio {worst:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
