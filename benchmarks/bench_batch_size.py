"""Time one SGD step on the breast-cancer logistic regression against the batch size B.

    .venv/bin/python benchmarks/bench_batch_size.py            # about 10 s
    .venv/bin/python benchmarks/bench_batch_size.py --repeats 2001

Chapter 2 compares full-batch, mini-batch and stochastic gradient descent per epoch and per
step; which clock matters depends on how the cost of a step grows with B. This measures it for
the chapter's own step (``model.grad(theta, batch)`` and ``descent.optim.SGD.step``) on its
data (n = 427 examples, 31 parameters), one thread, batches drawn as the training loop draws
them. Steps of all batch sizes alternate, ``--repeats`` of each in ``--rounds`` passes, and the
times are medians, so that steps interrupted by other processes do not count. It prints each
B's median time per step and two ratios against B = 1 measured in the same run: time per step
(how much more a step of B examples costs than a step of one) and time per example (how much
cheaper an example is inside a batch of B). No torch is needed.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from descent import data, models, optim  # noqa: E402

BATCH_SIZES = (1, 8, 32, 128, 427)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=601, help="steps per batch size (default 601)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over all batch sizes (default 3)")
    args = parser.parse_args()

    cancer = data.load("breast_cancer")
    model = models.LogisticRegression.from_dataset(cancer, l2=0.01)
    rng = np.random.default_rng(0)
    theta = {"theta": np.zeros(model.dim)}
    optimizer = optim.SGD(lr=0.01)
    times = {B: [] for B in BATCH_SIZES}
    per_round = max(1, args.repeats // args.rounds)
    for _ in range(args.rounds):
        for _ in range(per_round):
            for B in BATCH_SIZES:
                batch = rng.permutation(model.n)[:B]
                start = time.perf_counter()
                optimizer.step(theta, {"theta": model.grad(theta["theta"], batch)})
                times[B].append(time.perf_counter() - start)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"# {platform.processor() or platform.machine()}, numpy {np.__version__}, one thread, "
          f"load average {load:.2f}, {per_round * args.rounds} steps per batch size")
    print(f"{'B':>5} {'median step (us)':>17} {'step / step at B=1':>19} {'per example / B=1':>18}")
    base = statistics.median(times[1])
    for B in BATCH_SIZES:
        median = statistics.median(times[B])
        print(f"{B:>5} {1e6 * median:>17.1f} {median / base:>19.2f} {median / base / B:>18.3f}")


if __name__ == "__main__":
    main()
