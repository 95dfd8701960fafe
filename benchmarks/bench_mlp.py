"""Time one training step of descent's MLP against torch eager, and 30 epochs on the digits.

    PYTHONPATH=lib /work/venv-torch/bin/python benchmarks/bench_mlp.py     # about 1 minute
    .venv-torch/bin/python benchmarks/bench_mlp.py --repeats 300 --only 64-64-10

The step timed is what a training loop does for one mini-batch, in float32:

- descent: ``MLP.loss_and_grad(params, X, y, out=grads)`` (the public, checked call: forward,
  softmax cross-entropy, backward) then ``Adam.step(params, grads)``;
- torch eager: ``opt.zero_grad(); F.cross_entropy(model(X), y).backward(); opt.step()`` with
  ``model`` an ``nn.Sequential`` of ``nn.Linear`` and ``nn.ReLU`` holding the same parameters and
  ``torch.optim.Adam`` with its defaults (on CPU tensors that is its single-tensor code).

One thread on both sides: ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS`` and ``OPENBLAS_NUM_THREADS``
are 1 before numpy, SciPy (whose BLAS ``Adam`` uses for its final update) and torch are
imported, ``threadpoolctl.threadpool_limits(1)`` holds every BLAS and OpenMP pool found at 1
(the header lists them), and ``torch.set_num_threads(1)``.

Both sides see the same sequence of 16 batches of random features and random labels (the
loss stays of order 1, as in real training: a single batch repeated would be memorised, its
gradients would shrink towards subnormal numbers and time something that training does not).
Single steps of the two alternate, ``--repeats`` of each per size in all, taken in
``--rounds`` passes over the sizes, after warm-up steps; each time is a median, so that steps
interrupted by other processes do not count. The ratio is descent / torch; the goal is <= 1.0.

The last part times ``descent.training.fit`` for 30 epochs of a 64-64-10 ReLU net with Adam on
the digits at batch 32 (float32, with the validation loss and accuracy every epoch); the goal
is under 0.5 s. The machine's load average is printed first: the machine may be shared.
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
import scipy.linalg.blas  # noqa: E402, F401  (loaded now, so that its threads are limited and reported)
import threadpoolctl  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from descent.models import MLP  # noqa: E402
from descent.optim import Adam  # noqa: E402

torch.set_num_threads(1)
threadpoolctl.threadpool_limits(1)

#: (label, layer sizes, batch size)
SIZES = [
    ("64-64-10", [64, 64, 10], 32),
    ("64-128-10", [64, 128, 10], 128),
    ("64-256-128-10", [64, 256, 128, 10], 256),
]
BATCHES = 16


def step_time(step):
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def make_steps(sizes, batch_size, seed=0):
    """One step of descent and one of torch on the same parameters and the same batches."""
    rng = np.random.default_rng(seed)
    X = [rng.normal(size=(batch_size, sizes[0])).astype(np.float32) for _ in range(BATCHES)]
    y = [rng.integers(0, sizes[-1], size=batch_size) for _ in range(BATCHES)]

    net = MLP(sizes)
    params = net.init(seed, dtype=np.float32)
    grads = {key: np.empty_like(value) for key, value in params.items()}
    ours = Adam(lr=1e-3)

    layers = []
    for k in range(1, len(sizes)):
        linear = torch.nn.Linear(sizes[k - 1], sizes[k])
        with torch.no_grad():  # the same parameters: W_k is the transpose of Linear.weight
            linear.weight.copy_(torch.from_numpy(params[f"W{k}"].T.copy()))
            linear.bias.copy_(torch.from_numpy(params[f"b{k}"]))
        layers += [linear, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    theirs = torch.optim.Adam(model.parameters(), lr=1e-3)
    X_t = [torch.from_numpy(x) for x in X]
    y_t = [torch.from_numpy(labels) for labels in y]

    count = {"ours": 0, "torch": 0}

    def ours_step():
        i = count["ours"] % BATCHES
        count["ours"] += 1
        net.loss_and_grad(params, X[i], y[i], out=grads)
        ours.step(params, grads)

    def torch_step():
        i = count["torch"] % BATCHES
        count["torch"] += 1
        theirs.zero_grad()
        F.cross_entropy(model(X_t[i]), y_t[i]).backward()
        theirs.step()

    return ours_step, torch_step


def digits_epochs(epochs=30, seed=0):
    """Wall time of ``fit`` for ``epochs`` epochs of 64-64-10 with Adam on the digits at B = 32."""
    from descent.data import load
    from descent.training import fit

    data = load("digits", seed=seed)
    net = MLP([64, 64, 10])
    params = net.init(seed, dtype=np.float32)
    start = time.perf_counter()
    history = fit(net, params, Adam(lr=1e-3), data, epochs=epochs, batch_size=32, seed=seed)
    return time.perf_counter() - start, history


def blas_threads() -> str:
    pools = threadpoolctl.threadpool_info()
    return ", ".join(f"{os.path.basename(p['filepath'])} {p['num_threads']}" for p in pools)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=600, help="timed steps of each side per size (default 600)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the sizes (default 3)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    parser.add_argument("--only", nargs="*", help="size labels to run (default: all)")
    parser.add_argument("--fit-runs", type=int, default=5, help="runs of the 30-epoch digits fit (default 5)")
    args = parser.parse_args()

    print(
        f"# {datetime.date.today()}  {platform.processor() or platform.machine()}  numpy {np.__version__}  "
        f"torch {torch.__version__}  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"# BLAS and OpenMP threads: {blas_threads()}; torch threads {torch.get_num_threads()}")
    print(
        f"# float32, forward + backward + Adam step; median of {args.repeats} alternating single steps "
        f"per size, taken in {args.rounds} rounds\n"
    )
    selected = [s for s in SIZES if not args.only or s[0] in args.only]
    steps = {label: make_steps(sizes, batch) for label, sizes, batch in selected}
    samples = {label: ([], []) for label, _, _ in selected}
    for ours_step, torch_step in steps.values():
        for _ in range(args.warmup):
            ours_step()
            torch_step()
    per_round = -(-args.repeats // args.rounds)
    for _ in range(args.rounds):
        for label, (ours_step, torch_step) in steps.items():
            for _ in range(per_round):
                samples[label][0].append(step_time(ours_step))
                samples[label][1].append(step_time(torch_step))

    print("| net | batch | descent (µs) | torch (µs) | ratio | ratio of fastest steps |")
    print("|---|---:|---:|---:|---:|---:|")
    worst = 0.0
    for label, sizes, batch in selected:
        t_ours, t_torch = samples[label]
        ours, theirs = statistics.median(t_ours), statistics.median(t_torch)
        ratio, best = ours / theirs, min(t_ours) / min(t_torch)
        worst = max(worst, ratio)
        print(f"| {label} | {batch} | {ours * 1e6:.0f} | {theirs * 1e6:.0f} | {ratio:.2f} | {best:.2f} |")
    print(f"\nworst ratio {worst:.2f} (goal <= 1.0)")

    if args.fit_runs > 0:
        digits_epochs(epochs=1)  # warm-up: imports, the data set's first load
        times = []
        for _ in range(args.fit_runs):
            seconds, history = digits_epochs()
            times.append(seconds)
        print(
            f"\n30 epochs of 64-64-10 (Adam, B = 32) on the digits ({history.steps[-1]} steps): "
            f"median {statistics.median(times):.3f} s, fastest {min(times):.3f} s over {args.fit_runs} runs "
            f"(goal < 0.5 s); final validation accuracy {history.val_accuracy[-1]:.3f}"
        )
    print(f"# load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
