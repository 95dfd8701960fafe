r"""Several runs of :func:`~descent.training.fit` at once: the same settings, other seeds.

A comparison of optimizers repeats every setting over a few seeds, and on a small network
most of a training step is numpy's cost per call, not arithmetic: 30 epochs of a 64-64-10 net
on the digits take some 900 steps of about 40 numpy calls each. :func:`fit_stacked` trains
:math:`S` runs that share everything but their starting parameters and their shuffles (one
optimizer class with the same hyperparameters, the same schedule, the same data) as **one
stack**, so each call does the work of all :math:`S` runs:

- the :math:`S` networks compute together, each on its own batch
  (:class:`descent.models.MLP` takes a stack of networks, see its module docstring);
- the optimizer updates all their parameters as **one flat array**: the parameters of the stack
  live in one buffer, of which ``W1``, ``b1``, ... of every run are views, and the same for the
  gradients, so one ``optimizer.step`` updates everything. This is exact because every optimizer
  of :mod:`descent.optim` is elementwise: an entry's update depends on that entry's gradient and
  state and on numbers shared by all entries (the rate, the step count), never on other entries.
  torch's ``foreach`` implementations group tensors for the same reason.

What each run records is what :func:`~descent.training.fit` records for it alone: the same
shuffles (``np.random.default_rng(seed)``, one permutation an epoch), the same rates, the same
early-stopping decisions, divergence stops and restored parameters; a test checks that the two
agree (the losses to ``1e-12`` relative, the accuracies, epochs and steps exactly). A run that
stops (early stopping, or a loss that is not finite) keeps its parameters of that moment and
records nothing more, while the others go on; the stack's arithmetic for it continues until
the last run stops, unseen. Only the wall times differ: ``History.time`` is the stack's.

Reduce-on-plateau is not offered here: it gives every run its own rate, and the stack has one.
"""

from __future__ import annotations

import copy
import time

import numpy as np

from .. import _validation as check
from .early_stopping import EarlyStopping
from .loop import MONITORS, History, _check_rate_drivers, _ending, _epochs_and_batch_size, _training_data
from ._threads import blas_threads
from ..runner import DIVERGENCE_BOUND

__all__ = ["fit_stacked"]


def fit_stacked(
    model,
    params,
    optimizer,
    data,
    *,
    seeds,
    epochs,
    batch_size,
    schedule=None,
    schedule_unit="step",
    early_stopping=None,
    monitor="val_loss",
    restore_best=True,
    threads=1,
) -> list:
    """Train every dict of ``params`` (in place) as :func:`~descent.training.fit` would, all at once.

    ``fit_stacked(model, [p0, p1], optimizer, data, seeds=[s0, s1], **options)`` returns what
    ``[fit(model, p0, copy(optimizer), data, seed=s0, **options), fit(model, p1, ...)]`` returns,
    and leaves ``p0``, ``p1`` as those calls would.

    Parameters
    ----------
    model : descent.models.MLP
        A model whose private ``_loss_and_grad`` takes a stack of networks.
    params : sequence of dict
        One parameter dict per run, as ``model.init(seed)`` returns, all of one dtype.
    optimizer : descent.optim.Optimizer
        A fresh optimizer (no step taken yet); its hyperparameters apply to every run. It is
        used on the stack's flat parameter array, so afterwards its state belongs to the stack.
    data : descent.data.Dataset or tuple
        As in :func:`~descent.training.fit`: training and validation sets only.
    seeds : sequence of int
        The shuffle seed of each run (``fit``'s ``seed``), one per entry of ``params``.
    epochs, batch_size, schedule, schedule_unit, monitor, restore_best, threads
        As in :func:`~descent.training.fit`.
    early_stopping : EarlyStopping, optional
        A fresh one, used as a template: each run gets its own copy.

    Returns
    -------
    list of History
        One per run, in the order of ``params``.

    Raises
    ------
    ValueError
        As :func:`~descent.training.fit`, and for an empty ``params``, a number of ``seeds``
        that differs from it, parameters of mixed dtypes, or an optimizer that has taken steps.
    """
    runs = list(params) if not isinstance(params, dict) else None
    if not runs:
        raise ValueError("params must be a non-empty list of parameter dicts, one per run")
    dtypes = {model.check_params(run) for run in runs}
    if len(dtypes) != 1:
        raise ValueError(f"params: every run must have the same dtype, got {sorted(str(d) for d in dtypes)}")
    (dtype,) = dtypes
    seeds = [check.integer(f"seeds[{i}]", seed, 0) for i, seed in enumerate(_sequence("seeds", seeds))]
    if len(seeds) != len(runs):
        raise ValueError(f"seeds must give one seed per run ({len(runs)}), got {len(seeds)}")
    X_train, y_train, X_val, y_val = _training_data(model, data, dtype)
    n = X_train.shape[0]
    epochs, batch_size = _epochs_and_batch_size(epochs, batch_size, n)
    restore_best = check.flag("restore_best", restore_best)
    schedule_unit = check.choice("schedule_unit", schedule_unit, ("step", "epoch"))
    monitor = check.choice("monitor", monitor, tuple(MONITORS))
    _check_rate_drivers(optimizer, schedule, None, early_stopping, monitor, None)
    if getattr(optimizer, "state", None):
        raise ValueError("optimizer has already taken steps; pass a fresh one (its state would be the stack's)")

    count = len(runs)
    stack, grads, flat_params, flat_grads = _stack_buffers(model.shapes, count, dtype)
    for i, run in enumerate(runs):
        for key in stack:
            stack[key][i] = run[key]
    stoppers = [copy.deepcopy(early_stopping) for _ in runs] if early_stopping is not None else None
    rngs = [np.random.default_rng(seed) for seed in seeds]
    records = [{name: [] for name in ("train_loss", "val_loss", "val_accuracy", "lr", "time", "steps")}
               for _ in runs]
    steps_taken = np.zeros(count, dtype=np.int64)  # steps recorded for each run
    step_losses, step_lrs = [], []
    starts = [model._evaluate(_run(stack, i), X_val, y_val) for i in range(count)]
    bounds = np.array([DIVERGENCE_BOUND * max(1.0, loss) for loss, _ in starts])
    active = np.ones(count, dtype=bool)
    finals = [None] * count  # a stopped run's parameters at the moment it stopped
    diverged_at = [None] * count
    stopped_early = [False] * count
    step = 0
    start = time.perf_counter()
    with np.errstate(all="ignore"), blas_threads(threads):
        for epoch in range(epochs):
            if schedule is not None and schedule_unit == "epoch":
                optimizer.lr = float(schedule(epoch))
            orders = np.stack([rng.permutation(n) for rng in rngs])  # each run's order of epoch_batches
            epoch_lr, loss_sums = None, np.zeros(count)
            for batch, first in enumerate(range(0, n, batch_size)):
                if schedule is not None and schedule_unit == "step":
                    optimizer.lr = float(schedule(step))
                rows = orders[:, first : first + batch_size]
                losses, _ = model._loss_and_grad(stack, X_train[rows], y_train[rows], grads)
                losses = np.asarray(losses, dtype=float)
                blown = active & ~(losses <= bounds)  # NaN, inf or blown up: this run stops before the step
                for i in np.flatnonzero(blown):
                    diverged_at[i] = {"epoch": epoch, "step": step, "batch": batch, "set": "training",
                                      "loss": float(losses[i])}
                    finals[i] = _copy(stack, i)
                    active[i] = False
                if not active.any():
                    break
                epoch_lr = optimizer.lr if epoch_lr is None else epoch_lr
                step_losses.append(losses)
                step_lrs.append(optimizer.lr)
                steps_taken[active] += 1
                optimizer.step({"stack": flat_params}, {"stack": flat_grads})
                loss_sums += losses * rows.shape[1]
                step += 1
            if not active.any():
                break
            elapsed = time.perf_counter() - start
            for i in np.flatnonzero(active):
                val_loss, val_accuracy = model._evaluate(_run(stack, i), X_val, y_val)
                for name, value in (("train_loss", loss_sums[i] / n), ("val_loss", val_loss),
                                    ("val_accuracy", val_accuracy), ("lr", epoch_lr), ("time", elapsed),
                                    ("steps", int(steps_taken[i]))):
                    records[i][name].append(value)
                if not val_loss <= bounds[i]:
                    diverged_at[i] = {"epoch": epoch, "step": step - 1, "batch": batch, "set": "validation",
                                      "loss": val_loss}
                    finals[i], active[i] = _copy(stack, i), False
                    continue
                metric = val_loss if monitor == "val_loss" else val_accuracy
                if stoppers is not None and stoppers[i].step(metric, _run(stack, i)) and epoch < epochs - 1:
                    stopped_early[i] = True
                    finals[i], active[i] = _copy(stack, i), False
            if not active.any():
                break

    step_losses = np.array(step_losses, dtype=float).reshape(-1, count)
    histories = []
    for i, run in enumerate(runs):
        final = finals[i] if finals[i] is not None else _run(stack, i)
        restored = False
        if stoppers is not None and restore_best and stoppers[i].best_params is not None:
            final, restored = stoppers[i].best_params, True
        for key in run:
            np.copyto(run[key], final[key])
        taken = int(steps_taken[i])
        history = History(
            train_loss=np.array(records[i]["train_loss"], dtype=float),
            val_loss=np.array(records[i]["val_loss"], dtype=float),
            val_accuracy=np.array(records[i]["val_accuracy"], dtype=float),
            lr=np.array(records[i]["lr"], dtype=float),
            time=np.array(records[i]["time"], dtype=float),
            steps=np.array(records[i]["steps"], dtype=np.int64),
            step_loss=step_losses[:taken, i].copy(),
            step_lr=np.array(step_lrs[:taken], dtype=float),
            start_val_loss=starts[i][0],
            start_val_accuracy=starts[i][1],
            best_epoch=None if stoppers is None else stoppers[i].best_epoch,
            stopped_early=stopped_early[i],
            restored_best=restored,
            diverged=diverged_at[i] is not None,
            diverged_at=diverged_at[i],
            monitor=monitor,
        )
        history.message = _ending(history, epochs)
        histories.append(history)
    return histories


def _sequence(name, values):
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a sequence of integers, got {values!r}")
    return list(values)


def _stack_buffers(shapes, count, dtype):
    """One flat array for the parameters of ``count`` runs and one for their gradients, and the
    views ``name -> (count, *shape)`` into each (in the order of ``shapes``)."""
    sizes = {key: count * int(np.prod(shape)) for key, shape in shapes.items()}
    flat_params = np.empty(sum(sizes.values()), dtype)
    flat_grads = np.empty_like(flat_params)
    stack, grads, offset = {}, {}, 0
    for key, shape in shapes.items():
        part = slice(offset, offset + sizes[key])
        stack[key] = flat_params[part].reshape(count, *shape)
        grads[key] = flat_grads[part].reshape(count, *shape)
        offset += sizes[key]
    return stack, grads, flat_params, flat_grads


def _run(stack, i):
    """Run ``i``'s parameters: views into the stack."""
    return {key: value[i] for key, value in stack.items()}


def _copy(stack, i):
    return {key: value[i].copy() for key, value in stack.items()}
