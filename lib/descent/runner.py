r"""Run an optimizer on an objective and record what happened.

:func:`run` drives any ``descent.optim`` optimizer (and optionally a learning-rate schedule) on an objective from
``descent.models`` for a fixed number of steps and returns a :class:`Trajectory`. A run that blows up is a
*result*, not an error: the run stops at the first step whose loss is not finite or exceeds a large bound,
``Trajectory.diverged`` is ``True`` and ``Trajectory.diverged_at`` says when. No overflow warning reaches the reader.

Shapes are always those of the full run, so trajectories of the same length can be stacked and plotted alike:
rows after ``diverged_at`` are padded with ``nan`` (which matplotlib does not draw).

:func:`sweep` runs the same problem for many learning rates and returns the final losses (``inf`` for runs
that diverged): the data behind a learning-rate sweep plot.

:func:`feed` gives an optimizer a prescribed sequence of gradients instead of an objective's: the online
problem whose loss at step t is linear, :math:`f_t(\theta) = g_t^\top\theta`. It shows how an optimizer
reacts to gradients that change in a controlled way (a scale that drops part-way, a constant gradient).

Both :func:`run` and :func:`feed` take ``record``, a function of the optimizer called after every step, to
keep what the path alone does not show (for example ``lambda opt: opt.state["theta"]["sum"].copy()``,
AdaGrad's sum of squared gradients); the values end up in ``Trajectory.records``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from . import _validation as check

__all__ = ["Trajectory", "run", "sweep", "feed", "DIVERGENCE_BOUND"]

#: A run counts as diverged once ``|f(θ_t) - f*|`` exceeds this many times ``max(1, |f(θ_0) - f*|)``.
DIVERGENCE_BOUND = 1e12


@dataclass(frozen=True)
class Trajectory:
    r"""The record of one optimization run of ``steps`` steps.

    Attributes
    ----------
    path : numpy.ndarray, shape (steps + 1, d)
        The iterates :math:`\theta_0, \dots, \theta_{steps}`. If the run diverged at step k, ``path[k]`` is the
        first diverged iterate (huge or not finite) and every row after it is ``nan``.
    losses : numpy.ndarray, shape (steps + 1,)
        :math:`f(\theta_t)`; after divergence at step k, ``losses[k]`` is the huge value (``inf`` if it
        overflowed) and later entries are ``nan``.
    lrs : numpy.ndarray, shape (steps,)
        The learning rate used by step t (``nan`` for steps not taken).
    diverged : bool
        Whether the run was stopped because the loss blew up.
    diverged_at : int or None
        The first t whose loss was not finite or exceeded the divergence bound; ``None`` if the run finished.
    min_value : float or None
        :math:`f^\star` of the objective if known, so that plots can show the gap :math:`f(\theta_t) - f^\star`.
    records : numpy.ndarray or None
        With ``run(..., record=f)``: row t is ``f(optimizer)`` after step t (shape ``(steps, ...)``), rows of
        steps not taken are ``nan``; ``None`` without ``record``.
    """

    path: np.ndarray
    losses: np.ndarray
    lrs: np.ndarray
    diverged: bool
    diverged_at: Optional[int]
    min_value: Optional[float] = None
    records: Optional[np.ndarray] = None

    @property
    def step_count(self) -> int:
        """Number of steps the run was asked for (``TrainingResult.steps``, an array, is the step of each
        recorded point)."""
        return len(self.lrs)

    @property
    def final(self) -> np.ndarray:
        """The last iterate, ``θ_steps`` (all ``nan`` if the run diverged)."""
        return self.path[-1]

    @property
    def final_loss(self) -> float:
        """The loss after the last step, ``inf`` if the run diverged."""
        return float("inf") if self.diverged else float(self.losses[-1])

    @property
    def gaps(self) -> np.ndarray:
        r"""The suboptimality :math:`f(\theta_t) - f^\star` (the losses themselves if :math:`f^\star` is unknown)."""
        return self.losses - (self.min_value or 0.0)

    @property
    def valid(self) -> np.ndarray:
        """The iterates actually computed: ``path[:diverged_at + 1]``, or the whole path."""
        end = len(self.path) if self.diverged_at is None else self.diverged_at + 1
        return self.path[:end]


def _start_point(objective, start) -> np.ndarray:
    point = check.array("start", objective.start if start is None else start)
    if objective.dim == 1 and point.ndim == 0:
        point = point.reshape(1)
    if point.shape != (objective.dim,):
        raise ValueError(f"start must have shape ({objective.dim},) for this objective; got shape {point.shape}")
    return point  # a copy: the caller's start is never modified


def run(
    objective,
    optimizer,
    steps: int,
    start=None,
    schedule: Optional[Callable[[int], float]] = None,
    record: Optional[Callable[[object], object]] = None,
) -> Trajectory:
    r"""Run ``optimizer`` on ``objective`` for ``steps`` steps from ``start``.

    At every step t the runner evaluates :math:`g_t = \nabla f(\theta_t)` and calls
    ``optimizer.step({"theta": theta}, {"theta": g_t})``, which updates ``theta`` in place. With a
    ``schedule``, ``optimizer.lr`` is set to ``schedule(t)`` before step t.

    Parameters
    ----------
    objective : descent.models.Objective
        Anything with ``value``, ``grad``, ``dim`` and ``start`` (``min_value`` is used if present).
    optimizer : object
        A ``descent.optim`` optimizer (any object with ``step(params, grads)`` and an ``lr`` attribute).
        It is used as is, so pass a fresh one for every run.
    steps : int
        Number of steps, >= 0.
    start : array_like, optional
        Starting point, shape ``(d,)``; ``objective.start`` by default. It is copied, never modified.
    schedule : callable, optional
        ``schedule(t) -> lr`` for t = 0, 1, ... (as in ``descent.schedules``).
    record : callable, optional
        ``record(optimizer)`` is called after every step; its values (numbers or arrays of one shape) are
        returned as ``Trajectory.records``, one row per step.

    Returns
    -------
    Trajectory
        With ``diverged=True`` (and the path padded with ``nan``) if the loss became non-finite or exceeded
        :data:`DIVERGENCE_BOUND` times its starting size.
    """
    steps = check.integer("steps", steps, 0)
    theta = _start_point(objective, start)
    check.interface("optimizer", optimizer, ("step",), "an optimizer of descent.optim")
    if schedule is not None:
        check.function("schedule", schedule, "a function of the step t")
    _check_record(record)
    min_value = getattr(objective, "min_value", None)
    offset = 0.0 if min_value is None else float(min_value)

    path = np.full((steps + 1, objective.dim), np.nan)
    losses = np.full(steps + 1, np.nan)
    lrs = np.full(steps, np.nan)
    params = {"theta": theta}
    diverged_at = None
    records = []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        loss = float(objective.value(theta))
        bound = DIVERGENCE_BOUND * max(1.0, abs(loss - offset))
        for t in range(steps + 1):
            path[t] = theta
            loss = float(objective.value(theta))
            if not np.isfinite(loss) or abs(loss - offset) > bound or not np.all(np.isfinite(theta)):
                losses[t] = loss if not np.isnan(loss) else np.inf
                diverged_at = t
                break
            losses[t] = loss
            if t == steps:
                break
            gradient = np.asarray(objective.grad(theta), dtype=float)
            if not np.all(np.isfinite(gradient)):
                losses[t] = np.inf
                diverged_at = t
                break
            if schedule is not None:
                optimizer.lr = float(schedule(t))
            lrs[t] = optimizer.lr
            optimizer.step(params, {"theta": gradient})
            theta = params["theta"]
            if record is not None:
                records.append(np.array(record(optimizer), dtype=float))
    return Trajectory(
        path=path,
        losses=losses,
        lrs=lrs,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        min_value=min_value,
        records=_stack_records(records, steps) if record is not None else None,
    )


def _check_record(record) -> None:
    if record is not None:
        check.function("record", record, "a function of the optimizer")


def _stack_records(records: list, steps: int) -> np.ndarray:
    """One row per step, ``nan`` for the steps not taken (after a divergence)."""
    if not records:
        return np.full((steps,), np.nan)
    shapes = {r.shape for r in records}
    if len(shapes) != 1:
        raise ValueError(f"record must return values of one shape at every step; got shapes {sorted(shapes)}")
    stacked = np.full((steps, *records[0].shape), np.nan)
    stacked[: len(records)] = records
    return stacked


def feed(optimizer, gradients, start=None, record: Optional[Callable[[object], object]] = None) -> Trajectory:
    r"""Give ``optimizer`` the gradients ``gradients[0], gradients[1], ...`` and record where it goes.

    This is the online problem whose loss at step t is linear, :math:`f_t(\theta) = g_t^\top\theta`, with
    gradient :math:`g_t` wherever :math:`\theta` is: it isolates how an optimizer turns a sequence of gradients
    into steps. ``Trajectory.losses`` holds :math:`f_t(\theta_t) = g_t^\top\theta_t` (the last entry, with no
    gradient after it, is ``nan``).

    Parameters
    ----------
    optimizer : object
        A fresh ``descent.optim`` optimizer.
    gradients : array_like, shape (steps,) or (steps, d)
        One gradient per step (a 1-D array is a one-parameter problem), finite.
    start : array_like, shape (d,), optional
        :math:`\theta_0`; zeros by default.
    record : callable, optional
        ``record(optimizer)`` after every step, as in :func:`run`.

    Returns
    -------
    Trajectory
        ``path`` has shape ``(steps + 1, d)``; ``lrs`` the rate of every step.
    """
    grads = check.array("gradients", gradients)
    if grads.ndim == 1:
        grads = grads[:, None]
    if grads.ndim != 2 or grads.shape[0] < 1:
        raise ValueError(f"gradients must have shape (steps,) or (steps, d) with steps >= 1; got {np.shape(gradients)}")
    steps, dim = grads.shape
    theta = np.zeros(dim) if start is None else check.array("start", start).reshape(-1)
    if theta.shape != (dim,):
        raise ValueError(f"start must have shape ({dim},) for these gradients; got {np.shape(start)}")
    check.interface("optimizer", optimizer, ("step",), "an optimizer of descent.optim")
    _check_record(record)
    path = np.empty((steps + 1, dim))
    path[0] = theta
    lrs = np.empty(steps)
    records = []
    params = {"theta": theta}
    for t in range(steps):
        lrs[t] = optimizer.lr
        optimizer.step(params, {"theta": grads[t].copy()})
        path[t + 1] = params["theta"]
        if record is not None:
            records.append(np.array(record(optimizer), dtype=float))
    losses = np.full(steps + 1, np.nan)
    losses[:-1] = np.einsum("ij,ij->i", grads, path[:-1])
    return Trajectory(path=path, losses=losses, lrs=lrs, diverged=False, diverged_at=None, min_value=None,
                      records=_stack_records(records, steps) if record is not None else None)


def sweep(
    objective,
    make_optimizer: Callable[[float], object],
    lrs,
    steps: int,
    start=None,
) -> np.ndarray:
    r"""Final loss :math:`f(\theta_{steps})` for each learning rate in ``lrs`` (``inf`` where the run diverged).

    Parameters
    ----------
    objective : descent.models.Objective
    make_optimizer : callable
        ``make_optimizer(lr)`` returns a fresh optimizer with that learning rate,
        e.g. ``lambda lr: descent.optim.SGD(lr=lr)``.
    lrs : array_like
        Learning rates, all > 0 (use ``numpy.geomspace`` for a log-spaced sweep).
    steps : int
        Steps per run.
    start : array_like, optional
        Starting point; ``objective.start`` by default.

    Returns
    -------
    numpy.ndarray
        One final loss per learning rate. Subtract ``objective.min_value`` for the gap to the minimum.
    """
    steps = check.integer("steps", steps, 0)
    check.function("make_optimizer", make_optimizer, "a function lr -> optimizer, e.g. lambda lr: SGD(lr=lr)")
    lrs = np.atleast_1d(check.reals("lrs", lrs, 0, low_open=True, max_ndim=1))
    return np.array([run(objective, make_optimizer(float(lr)), steps, start=start).final_loss for lr in lrs])
