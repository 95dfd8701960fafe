"""Time one redraw of every explorer in ``descent.explorers``: the goal is a median of at most 50 ms.

Usage::

    .venv/bin/python benchmarks/bench_explorers.py            # all explorers
    .venv/bin/python benchmarks/bench_explorers.py --repeat 3 --positions 15

Explorers are found automatically: every module in the ``descent.explorers`` package (except ``base``) is
imported and its ``EXPLORERS`` list is used (or, without one, every ``Explorer`` subclass it defines). Each
explorer is built with its default values, then each control in turn is moved through ``--positions`` values
across its whole range (the others stay at their defaults, or at the values the explorer's
``bench_context(control)`` names, for a control that only matters in some setting), as a reader dragging
that slider would.

One redraw is timed as the reader experiences it: ``Explorer.render(**values)`` = update the artists, draw the
canvas (blitting where the explorer supports it) and encode the PNG that the live widget shows. The time the
browser needs to display the PNG is not included.

The table gives, per explorer and control, the median and 90th percentile in milliseconds, and whether the
median meets the goal. The machine's load average is printed too: on a busy machine the numbers rise.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import statistics
import sys
import time
import warnings

import numpy as np

import descent.explorers
from descent.explorers.base import _positions, explorer_classes

GOAL_MS = 50.0


def discover():
    """(module name, explorer class) for every explorer in the package."""
    found = []
    for info in sorted(pkgutil.iter_modules(descent.explorers.__path__), key=lambda i: i.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"descent.explorers.{info.name}")
        for cls in explorer_classes(module):
            found.append((info.name, cls))
    return found


def time_control(explorer, name, positions, repeat):
    # An explorer may name the setting in which a control matters (a schedule's own hyperparameter is
    # timed with that schedule chosen): ``bench_context(name) -> {control: value}``.
    context = getattr(explorer, "bench_context", lambda control: {})(name)
    defaults = {**explorer.values, **context}
    values = _positions(explorer.controls[name], positions)
    explorer.render(**{**defaults, name: values[0]})  # warm up caches
    times = []
    for _ in range(repeat):
        for value in values:
            start = time.perf_counter()
            explorer.render(**{**defaults, name: value})
            times.append((time.perf_counter() - start) * 1000)
    explorer.set(**defaults)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=12, help="slider positions per control (default 12)")
    parser.add_argument("--repeat", type=int, default=2, help="sweeps per control (default 2)")
    parser.add_argument("--only", default=None, help="time only explorers whose name contains this")
    args = parser.parse_args(argv)
    explorers = [(m, c) for m, c in discover() if args.only is None or args.only in c.__name__]
    if not explorers:
        print("no explorers found")
        return 1
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; goal: median redraw <= {GOAL_MS:.0f} ms")
    print(f"{'explorer':42s} {'control':10s} {'median ms':>9s} {'p90 ms':>7s}  goal")
    all_ok = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning during a redraw is a failure too
        for module, cls in explorers:
            explorer = cls()
            overall = []
            for name in explorer.controls:
                times = time_control(explorer, name, args.positions, args.repeat)
                overall += times
                median, p90 = statistics.median(times), float(np.percentile(times, 90))
                print(f"{module + '.' + cls.__name__:42s} {name:10s} {median:9.1f} {p90:7.1f}  "
                      f"{'meets' if median <= GOAL_MS else 'MISSES'}")
            median = statistics.median(overall)
            all_ok &= median <= GOAL_MS
            print(f"{module + '.' + cls.__name__:42s} {'(all)':10s} {median:9.1f} "
                  f"{float(np.percentile(overall, 90)):7.1f}  {'meets' if median <= GOAL_MS else 'MISSES'}")
    return 0 if all_ok else 2


if __name__ == "__main__":
    sys.exit(main())
