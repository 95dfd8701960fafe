r"""Share independent training runs between this process and one more: deterministic, with a fallback.

:func:`map_runs` returns ``[function(task) for task in tasks]``. With ``workers=2`` (the default
when this process may run on two cores or more) a helper process shares the work: this process
takes tasks from the front of the list, the helper from the back, until they meet. Each task is
computed exactly once, by one of the two, and each result depends on its task alone, never on
which process computed it or when, so the list returned is the serial one, bit for bit (both
processes run the same code with the same libraries on the same machine).

Why this shape:

- **one helper, not a pool**: the course runs on two cores, and this process would otherwise
  sit idle while it waits;
- **started with "spawn"**, a fresh interpreter that imports what it needs: the portable choice
  (forking a Jupyter kernel copies a process with running threads, which Python 3.12 and later
  warn about and which can deadlock). It starts once, on the first call, and is kept for the
  next calls until the interpreter exits, so its start (a fraction of a second, while this
  process is already computing) is paid once. As with any "spawn" start, a *script* that calls
  :func:`map_runs` must do so under ``if __name__ == "__main__":`` (a notebook need not);
- **falls back to serial**: if the helper cannot be started or dies (a container without the
  shared memory its queues need, a killed process), this process computes what is left itself.
  An error raised *by the function* is not a failure of the helper: it propagates as it would
  serially.

The function and the tasks must be picklable (a function defined at the top of a module of
:mod:`descent`; tasks of numbers, strings, arrays and dataclasses). ``setup(*setup_args)`` runs
in both processes before the call's tasks, to hand them a large shared input (a data set) once
rather than with every task.
"""

from __future__ import annotations

import atexit
import concurrent.futures as futures
import multiprocessing
import os
import signal
from concurrent.futures.process import BrokenProcessPool

from .. import _validation as check

__all__ = ["map_runs", "available_workers", "stop_helper"]

_HELPER = {"pool": None}


def available_workers() -> int:
    """Cores this process may run on, at most 2 (this process and one helper)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def _ignore_interrupts():
    """In the helper: leave Ctrl-C to this process (an interrupt of a Jupyter kernel reaches its whole
    process group); the helper stops when this process stops it or exits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _helper():
    """The helper process (an executor with one worker), started on first use; None if it cannot start."""
    if _HELPER["pool"] is None:
        try:
            _HELPER["pool"] = futures.ProcessPoolExecutor(max_workers=1,
                                                          mp_context=multiprocessing.get_context("spawn"),
                                                          initializer=_ignore_interrupts)
        except (OSError, ImportError, NotImplementedError):  # no semaphores or no subprocesses here
            return None
    return _HELPER["pool"]


def stop_helper():
    """Stop the helper process (it is started again by the next call that needs it)."""
    pool, _HELPER["pool"] = _HELPER["pool"], None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(stop_helper)


def map_runs(function, tasks, *, workers=None, setup=None, setup_args=()):
    """``[function(task) for task in tasks]``, computed here and, with ``workers=2``, in a helper process.

    Parameters
    ----------
    function : callable
        A picklable function of one task.
    tasks : sequence
        Picklable tasks. Put the longest first: the helper starts at the end of the list, so
        short tasks are left for whichever process finishes first.
    workers : {1, 2}, optional
        Processes to use; default :func:`available_workers`. 1 computes everything here.
    setup : callable, optional
        Called as ``setup(*setup_args)`` in this process and in the helper before the tasks.

    Returns
    -------
    list
        The results, in the order of ``tasks``.
    """
    tasks = list(tasks)
    workers = available_workers() if workers is None else check.integer("workers", workers, 1)
    if workers > 2:
        raise ValueError(f"workers must be 1 or 2 (this process and at most one helper), got {workers}")
    if setup is not None:
        setup(*setup_args)
    pool = _helper() if workers == 2 and len(tasks) > 1 else None
    if pool is None:
        return [function(task) for task in tasks]

    results, done = [None] * len(tasks), [False] * len(tasks)
    pending = {}
    try:
        if setup is not None:
            pool.submit(setup, *setup_args)  # one worker, first in: runs before the tasks
        for i in reversed(range(len(tasks))):  # the helper works from the back of the list
            pending[i] = pool.submit(function, tasks[i])
    except (BrokenProcessPool, RuntimeError):  # the helper died since the last call
        stop_helper()
        return [function(task) for task in tasks]
    try:
        for i in range(len(tasks)):
            if not pending[i].cancel():  # the helper has it, or had it: the two have met
                break
            results[i], done[i] = function(tasks[i]), True
        for i in range(len(tasks)):
            if done[i]:
                continue
            try:
                results[i] = pending[i].result()
            except (BrokenProcessPool, futures.CancelledError):  # the helper died: compute it here
                stop_helper()
                results[i] = function(tasks[i])
            done[i] = True
    finally:
        for future in pending.values():  # after an interruption, leave nothing queued for the next call
            future.cancel()
    return results
