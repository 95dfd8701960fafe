"""Time the case study's training: seeds as one stack against one run at a time, and two processes
against one, each ratio measured in the same run.

    .venv/bin/python benchmarks/bench_case_study.py              # about a minute
    .venv/bin/python benchmarks/bench_case_study.py --repeats 5

1. **A stack of seeds** (``descent.training.fit_stacked``, what ``run_setting`` uses) against the
   same runs made one by one with ``descent.training.fit``: the case study's protocol (a 64-32-10
   net, batches of 64, 20 epochs, early stopping with patience 5, float64), three seeds, for three
   optimizers (SGD, Adam, RAdam at their tuned rates). CPU time of this process, the median of
   ``--repeats`` alternating measurements; the ratio is plain / stacked.
2. **Two processes** (``run_settings``, which shares the settings with a helper process) against
   one (``workers=1``): the 22 settings of the cosine pass of the chapter. Wall time; the helper is
   started before the timing (the chapter pays its start once). On two idle cores the ratio
   approaches 2; on a busy machine less.
3. **The whole study** of the chapter (the rate search, the peaks of cosine, step decay and warmup
   for two optimizers), as the chapter runs it: with the helper only when
   ``available_workers()`` finds a core free (printed). Wall time, and the CPU time of this process.

Single-thread BLAS throughout (the training loop sets it). The machine's load average is printed
first: timings on a shared machine are only comparable within one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from descent.data import load
from descent.models import MLP
from descent.optim import SGD, Adam, RAdam
from descent.training import EarlyStopping, fit
from descent.training.comparison import (OPTIMIZERS, Protocol, Setting, run_setting, run_settings, search_peaks,
                                         search_rates)
from descent.training.parallel import available_workers, map_runs

PROTOCOL = Protocol(sizes=(64, 32, 10), epochs=20, batch_size=64, patience=5, seeds=(0, 1, 2))
TUNED = {"SGD": (SGD, 1.0), "Adam": (Adam, 0.01), "RAdam": (RAdam, 10**-1.5)}


def one_by_one(data, name):
    make, lr = TUNED[name]
    net = MLP(list(PROTOCOL.sizes))
    for seed in PROTOCOL.seeds:
        fit(net, net.init(seed), make(lr=lr), data, epochs=PROTOCOL.epochs, batch_size=PROTOCOL.batch_size,
            early_stopping=EarlyStopping(patience=PROTOCOL.patience), seed=seed)


def stacked(data, name):
    run_setting(Setting(name, TUNED[name][1]), PROTOCOL, data)


def cpu(call, *args):
    start = time.process_time()
    call(*args)
    return time.process_time() - start


def wall(call, *args, **kwargs):
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return time.perf_counter() - start, result


def square(x):
    return x * x


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; workers available: "
          f"{available_workers()}")
    data = load("digits")

    print("\n1. three seeds, 20 epochs: one by one (fit) against one stack (fit_stacked), CPU seconds")
    for name in TUNED:
        plain, stack = [], []
        for _ in range(args.repeats):
            plain.append(cpu(one_by_one, data, name))
            stack.append(cpu(stacked, data, name))
        print(f"   {name:6s} one by one {statistics.median(plain):.3f} s, stacked {statistics.median(stack):.3f} s, "
              f"ratio {statistics.median(plain) / statistics.median(stack):.2f}")

    search = search_rates(OPTIMIZERS, PROTOCOL, data)
    settings = [Setting(name, rate * factor, "cosine") for name, rate in search.rates.items() for factor in (1, 10**0.5)]
    map_runs(square, [1, 2, 3], workers=2)  # start the helper
    print(f"\n2. the cosine pass, {len(settings)} settings: one process against two, wall seconds")
    one, two = [], []
    for _ in range(args.repeats):
        one.append(wall(run_settings, settings, PROTOCOL, data, workers=1)[0])
        two.append(wall(run_settings, settings, PROTOCOL, data, workers=2)[0])
    print(f"   one {statistics.median(one):.2f} s, two {statistics.median(two):.2f} s, "
          f"ratio {statistics.median(one) / statistics.median(two):.2f}")

    print(f"\n3. the whole study of the chapter, as the chapter runs it (workers now: {available_workers()})")
    start_cpu, start = time.process_time(), time.perf_counter()
    search = search_rates(OPTIMIZERS, PROTOCOL, data)
    cosine = search_peaks(search, "cosine", PROTOCOL, data)
    run_settings([Setting(name, cosine.rates[name], schedule) for name in ("Momentum", "Adam")
                  for schedule in ("step", "warmup")], PROTOCOL, data)
    count = sum(len(runs) for runs in search.runs.values()) + 2 * len(OPTIMIZERS) + 4
    print(f"   {count} settings ({3 * count} runs): {time.perf_counter() - start:.2f} s wall, "
          f"{time.process_time() - start_cpu:.2f} s CPU in this process")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
