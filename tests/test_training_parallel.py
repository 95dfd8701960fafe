"""descent.training.parallel.map_runs: the serial results, in order, from one process or two; errors
propagate; the setup reaches both processes; a helper that dies is replaced by this process.

The functions the helper runs are defined at the top of this module, so that a spawned interpreter
can import them (multiprocessing's "spawn" hands the parent's sys.path to the child).
"""

from __future__ import annotations

import multiprocessing
import os

import numpy as np
import pytest

from descent.training import parallel
from descent.training.parallel import available_workers, map_runs, stop_helper

SHARED = {}


def square_and_where(task):
    return task * task, multiprocessing.current_process().name


def remember(value):
    SHARED["value"] = value


def add_shared(task):
    return task + SHARED["value"]


def fail_on_three(task):
    if task == 3:
        raise KeyError(f"task {task} failed")
    return task


def die_in_the_helper(task):
    """Kills the helper process the first time it computes a task; this process computes normally."""
    if multiprocessing.current_process().name != "MainProcess":
        os._exit(3)
    return -task


def slow_sum(task):
    rng = np.random.default_rng(task)
    return float(sum(np.linalg.norm(rng.normal(size=(60, 60))) for _ in range(40)))


@pytest.fixture(autouse=True)
def fresh_helper():
    stop_helper()
    yield
    stop_helper()


def test_one_process_is_the_list_comprehension():
    assert map_runs(square_and_where, range(5), workers=1) == [(t * t, "MainProcess") for t in range(5)]
    assert map_runs(square_and_where, [], workers=2) == []


def test_two_processes_give_the_same_list_in_order_and_share_the_work():
    tasks = list(range(12))
    results = map_runs(slow_sum, tasks, workers=2)
    assert results == [slow_sum(t) for t in tasks]
    where = map_runs(square_and_where, list(range(40)), workers=2)
    assert [value for value, _ in where] == [t * t for t in range(40)]
    # the helper took tasks from the back of the list: whatever it did is a tail of the list
    helper = [i for i, (_, name) in enumerate(where) if name != "MainProcess"]
    assert helper == list(range(40 - len(helper), 40))


def test_the_setup_reaches_both_processes():
    assert map_runs(add_shared, list(range(30)), workers=2, setup=remember, setup_args=(100,)) == \
        [t + 100 for t in range(30)]
    # and a later call with another setup is not served a stale value by the kept helper
    assert map_runs(add_shared, list(range(30)), workers=2, setup=remember, setup_args=(-1,)) == \
        [t - 1 for t in range(30)]


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_of_the_function_propagates(workers):
    with pytest.raises(KeyError, match="task 3 failed"):
        map_runs(fail_on_three, [1, 2, 3, 4, 5, 6, 7, 8], workers=workers)
    # and the helper is still usable afterwards
    assert map_runs(square_and_where, [1, 2, 3], workers=workers)[2][0] == 9


def test_a_helper_that_dies_is_replaced_by_this_process():
    tasks = list(range(30))
    assert map_runs(die_in_the_helper, tasks, workers=2) == [-t for t in tasks]
    # the next call starts a new helper, which works
    where = map_runs(square_and_where, list(range(40)), workers=2)
    assert [value for value, _ in where] == [t * t for t in range(40)]


def test_a_machine_without_a_helper_computes_serially(monkeypatch):
    monkeypatch.setattr(parallel, "_helper", lambda: None)
    assert map_runs(square_and_where, [1, 2, 3], workers=2) == [(1, "MainProcess"), (4, "MainProcess"),
                                                                 (9, "MainProcess")]


@pytest.mark.parametrize("cores, load, expected", [
    (1, 0.0, 1),    # one core: never a helper
    (2, 1.0, 2),    # two cores, this process alone on them: a helper
    (2, 1.5, 2),
    (2, 1.6, 1),    # the second core busy too: alone
    (2, 11.0, 1),   # a busy machine
    (4, 3.5, 2),
    (4, 3.6, 1),
])
def test_a_helper_only_where_a_core_is_free(monkeypatch, cores, load, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert available_workers() == expected


def test_no_load_average_to_read_means_two_cores_are_used(monkeypatch):
    def unreadable():
        raise OSError("no load average")

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", unreadable)
    assert available_workers() == 2


def test_workers_are_checked():
    assert available_workers() in (1, 2)
    with pytest.raises(ValueError, match="workers"):
        map_runs(square_and_where, [1], workers=3)
    with pytest.raises(ValueError, match="workers"):
        map_runs(square_and_where, [1], workers=0)
