r"""Share independent training runs between this process and one more: deterministic, with a fallback.

:func:`map_runs` returns ``[function(task) for task in tasks]``. With ``workers=2`` (the default
when this process may run on two cores or more and one of them is free, see
:func:`available_workers`) a helper process shares the work: this process takes tasks from the
front of the list, the helper from the back, one at a time, until they meet.
Each task is computed exactly once, by one of the two, and each result depends on its task alone,
never on which process computed it or when, so the list returned is the serial one, bit for bit
(both processes run the same code with the same libraries on the same machine).

Why this shape:

- **one helper, not a pool**: the course runs on two cores, and this process would otherwise
  sit idle while it waits;
- **started with "spawn"**, a fresh interpreter that imports what it needs: the portable choice
  (forking a Jupyter kernel copies a process with running threads, which Python 3.12 and later
  warn about and which can deadlock). It starts on the first call and is kept for the next ones,
  so its start (a fraction of a second, while this process is already computing) is paid once.
  As with any "spawn" start, a *script* that calls :func:`map_runs` must do so under
  ``if __name__ == "__main__":`` (a notebook need not);
- **a plain pipe** carries the tasks and the results, nothing else: no queue, no lock, no
  semaphore that a kernel stopped abruptly could leave behind. The helper is a daemon process and
  also stops by itself when the pipe closes, so it never outlives this process; it ignores
  Ctrl-C, which belongs to this process;
- **falls back to serial**: if the helper cannot be started or dies (a container that forbids
  new processes, a killed process), this process computes what is left itself. An error raised
  *by the function* is not a failure of the helper: it propagates as it would serially.

The function and the tasks must be picklable (a function defined at the top of a module of
``descent``; tasks of numbers, strings, arrays and dataclasses). ``setup(*setup_args)`` runs in
both processes before the call's tasks, to hand them a large shared input (a data set) once rather
than with every task.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
import signal

from .. import _validation as check

__all__ = ["map_runs", "available_workers", "stop_helper"]

_FAILURES = (EOFError, OSError, BrokenPipeError, ConnectionError)  # the pipe or the helper is gone


def available_workers() -> int:
    """2 when this process may run on two cores or more and one of them is free, else 1.

    A core counts as free when the load average of the last minute is at most ``cores - 0.5``
    (1.5 on two cores), as ``make --load-average`` decides whether to start another job. The
    load includes this process, busy while it calls: alone on two cores it reads about 1. On a
    busy machine a second process only competes with the others for the same cores: there the
    case study's chapter ran in 44 s alone and in 62 to 66 s with the helper (load 11 to 13 on
    two cores; ``benchmarks/README.md``). Which processes compute is invisible in the results.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    if cores < 2:
        return 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows, or no load average to read
        return 2
    return 2 if load <= cores - 0.5 else 1


def _serve(connection):
    """The helper's loop: receive ``(ident, function, arguments)``, send ``(ident, ok, value)`` back.

    ``ident`` None marks a setup call, answered with nothing. The loop ends when the pipe closes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            ident, function, arguments = connection.recv()
        except (EOFError, OSError):
            return
        try:
            value, ok = function(*arguments), True
        except Exception as error:  # the caller re-raises it, as a serial run would
            value, ok = error, False
        if ident is None:
            continue
        try:
            try:
                connection.send((ident, ok, value))
            except (EOFError, OSError):
                raise
            except Exception as error:  # an unpicklable result or exception
                connection.send((ident, False, RuntimeError(f"the helper could not send its result back: {error!r}")))
        except (EOFError, OSError):  # the caller has gone
            return


class _Helper:
    """One spawned process at the other end of a pipe, with at most one task in flight."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs,), daemon=True, name="descent-helper")
        self.process.start()
        theirs.close()
        self.in_flight = None  # ident of the task sent and not yet answered

    def send(self, ident, function, *arguments):
        self.connection.send((ident, function, arguments))
        if ident is not None:
            self.in_flight = ident

    def ready(self) -> bool:
        return self.connection.poll()

    def receive(self):
        ident, ok, value = self.connection.recv()
        self.in_flight = None
        return ident, ok, value

    def stop(self):
        self.connection.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)


_HELPER = {"helper": None}
_CALLS = itertools.count()


def _helper():
    """The helper, started on first use and kept; None where no process can be started."""
    helper = _HELPER["helper"]
    if helper is not None and (helper.in_flight is not None or not helper.process.is_alive()):
        stop_helper()  # dead, or left busy by an interrupted call: start afresh
        helper = None
    if helper is None:
        try:
            helper = _HELPER["helper"] = _Helper()
        except (OSError, ImportError, NotImplementedError, RuntimeError):
            return None
    return helper


def stop_helper():
    """Stop the helper process (the next call that needs one starts a new one)."""
    helper, _HELPER["helper"] = _HELPER["helper"], None
    if helper is not None:
        try:
            helper.stop()
        except _FAILURES:
            pass


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
    helper = _helper() if workers == 2 and len(tasks) > 1 else None
    results = [None] * len(tasks)
    call = next(_CALLS)
    front, back = 0, len(tasks)  # tasks[front:back] are not assigned yet

    def give():
        """Send the helper the last unassigned task (if the helper is gone, this process keeps it)."""
        nonlocal back, helper
        if helper is None or front >= back:
            return
        try:
            if setup is not None and back == len(tasks):
                helper.send(None, setup, *setup_args)
            helper.send((call, back - 1), function, tasks[back - 1])
            back -= 1
        except _FAILURES:
            stop_helper()
            helper = None

    def collect(wait):
        """Take the helper's answer if there is one (waiting for it if ``wait``); recompute it here if the
        helper died."""
        nonlocal helper
        index = helper.in_flight[1]
        try:
            if not wait and not helper.ready():
                return
            ident, ok, value = helper.receive()
            if ident != (call, index):
                raise OSError(f"the helper answered task {ident}, not {(call, index)}")
        except _FAILURES:
            stop_helper()
            helper = None
            results[index] = function(tasks[index])
            return
        if not ok:
            raise value
        results[index] = value
        give()

    give()
    while front < back:
        results[front] = function(tasks[front])
        front += 1
        if helper is not None and helper.in_flight is not None:
            collect(wait=False)
    while helper is not None and helper.in_flight is not None:
        collect(wait=True)
    return results
