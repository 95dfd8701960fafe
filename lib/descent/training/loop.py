r"""The training loop for networks: epochs of mini-batches, validation, schedules, early stopping.

:func:`fit` trains a model such as :class:`descent.models.MLP` with any optimizer of
:mod:`descent.optim`. One **epoch** shuffles the training examples with a seeded generator
(the order of :func:`descent.training.epoch_batches`) and takes one optimizer step per
consecutive batch of ``batch_size`` examples (the last batch is smaller when ``batch_size``
does not divide :math:`n`); at step :math:`t`, on batch :math:`\mathcal B_t`,

.. math::

    \theta_{t+1} = \text{update}\bigl(\theta_t,\ \nabla f_{\mathcal B_t}(\theta_t),\ \eta_t\bigr),

with :math:`\eta_t` the optimizer's ``lr``, set by the caller's choice of:

- nothing: the optimizer's own rate throughout;
- a **schedule** from :mod:`descent.schedules`, ``schedule(t)`` with ``t`` counting steps
  (``schedule_unit="step"``) or completed epochs (``"epoch"``);
- a :class:`descent.schedules.ReduceLROnPlateau`, fed the monitored validation metric after
  every epoch; the rate it returns is used for the next epoch.

After every epoch the loop evaluates the validation loss and accuracy and, given an
:class:`~descent.training.EarlyStopping`, asks it whether to stop; when the run ends, the
parameters are set back to those of the best epoch (``restore_best=True``). The epochs after
which a plateau rule lowered the rate are recorded (:attr:`History.plateau_reductions`).

**The update-to-weight ratio** (``record_update_ratio=True``) is a diagnostic of the rate's
size: for every weight matrix :math:`W_k` and every step,

.. math::

    r_{k,t} = \frac{\lVert W_{k,t+1} - W_{k,t} \rVert}{\lVert W_{k,t} \rVert}
    \qquad (\text{Frobenius norms}),

the size of the step the optimizer actually took (whatever its rule: for SGD
:math:`\eta_t \lVert g \rVert`, for Adam its normalised step) relative to the weights it
changed. A rule of thumb from Karpathy's CS231n notes puts a healthy value near
:math:`10^{-3}`. Biases are left out, as in those notes: they start at zero, where the
ratio is undefined.

A batch loss that is not finite stops the run before its gradient is applied: the
:class:`History` says at which epoch and step, and keeps everything recorded until then. So
does a loss above :data:`descent.runner.DIVERGENCE_BOUND` (``1e12``) times the starting
validation loss (at least 1), the rule :mod:`descent.runner` uses: in float64 a diverging
network can climb to a loss of ``1e76`` before anything overflows.
The same seed and the same starting parameters give the same history, bit for bit, on the
same machine (apart from the wall times).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields

import numpy as np

from .. import _validation as check
from ..runner import DIVERGENCE_BOUND
from .early_stopping import EarlyStopping
from ._threads import blas_threads
from .progress import ProgressBar

__all__ = ["History", "fit", "MONITORS"]

#: Validation metrics that :func:`fit` can feed to early stopping and reduce-on-plateau,
#: with the mode each needs.
MONITORS = {"val_loss": "min", "val_accuracy": "max"}


@dataclass
class History:
    r"""What :func:`fit` records. Per-epoch arrays have one entry per completed epoch.

    Entry ``i`` of a per-epoch array belongs to epoch ``i`` (0-based), the same index that
    :attr:`EarlyStopping.best_epoch <descent.training.EarlyStopping>` uses.

    Attributes
    ----------
    train_loss : numpy.ndarray
        Mean of the epoch's mini-batch losses, each weighted by its batch size (what
        training loops usually print: measured while the parameters move, so it lags
        behind the loss at the epoch's end).
    val_loss, val_accuracy : numpy.ndarray
        On the validation set, at the end of each epoch.
    lr : numpy.ndarray
        The rate of the epoch's first step.
    time : numpy.ndarray
        Wall time in seconds from the start of the run to the end of each epoch
        (evaluation included).
    steps : numpy.ndarray of int
        Optimizer steps taken by the end of each epoch.
    step_loss, step_lr : numpy.ndarray
        The loss of every mini-batch (before its step) and the rate of every step taken.
    start_val_loss, start_val_accuracy : float
        On the validation set before the first step.
    best_epoch : int or None
        With early stopping, the epoch of the best monitored metric (0-based).
    stopped_early : bool
        Whether early stopping ended the run before ``epochs``.
    restored_best : bool
        Whether the parameters were set back to those of ``best_epoch``.
    diverged : bool
        Whether a non-finite (or blown-up) loss stopped the run.
    diverged_at : dict or None
        Where the loss stopped being finite: ``{"epoch": e, "step": t, "batch": b, "set": s,
        "loss": value}``, all 0-based. With ``s = "training"`` the loss of batch ``b`` of epoch
        ``e``, step ``t`` of the run, was not finite (that step was not taken, and that epoch is
        not in the per-epoch records); with ``s = "validation"`` the validation loss after epoch
        ``e`` (whose last step was ``t``) was not finite (that epoch is recorded).
    plateau_reductions : tuple of int
        With a plateau rule, the epochs (0-based) after whose validation the rule lowered the
        rate: the epoch after each of them runs at the lower rate.
    update_ratio : dict or None
        With ``record_update_ratio=True``, weight name (``"W1"``, ...) -> array with one
        entry per step taken, :math:`\lVert \Delta W \rVert / \lVert W \rVert` (the module
        docstring); None otherwise.
    message : str
        One line on how the run ended.
    """

    train_loss: np.ndarray
    val_loss: np.ndarray
    val_accuracy: np.ndarray
    lr: np.ndarray
    time: np.ndarray
    steps: np.ndarray
    step_loss: np.ndarray
    step_lr: np.ndarray
    start_val_loss: float
    start_val_accuracy: float
    best_epoch: int | None = None
    stopped_early: bool = False
    restored_best: bool = False
    diverged: bool = False
    diverged_at: dict | None = None
    plateau_reductions: tuple = ()
    update_ratio: dict | None = None
    message: str = ""
    monitor: str = field(default="val_loss", repr=False)

    @property
    def epochs(self) -> np.ndarray:
        """Epoch numbers 1, 2, ... (completed passes), for the x axis of a plot."""
        return np.arange(1, len(self.val_loss) + 1)

    @property
    def n_epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.val_loss)

    def as_dict(self) -> dict:
        """The per-epoch records as a dict of arrays (``pandas.DataFrame(history.as_dict())``)."""
        return {
            "epoch": self.epochs,
            "train_loss": self.train_loss,
            "val_loss": self.val_loss,
            "val_accuracy": self.val_accuracy,
            "lr": self.lr,
            "time": self.time,
            "steps": self.steps,
        }

    def equal(self, other, *, ignore=("time",)) -> bool:
        """Whether ``other`` recorded exactly the same numbers (bit for bit), except ``ignore``."""
        for item in fields(self):
            if item.name in ignore:
                continue
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if isinstance(mine, np.ndarray):
                if not np.array_equal(mine, theirs, equal_nan=True):
                    return False
            elif isinstance(mine, dict) and isinstance(theirs, dict) and mine.keys() == theirs.keys():
                if not all(np.array_equal(np.asarray(mine[k]), np.asarray(theirs[k]), equal_nan=True) for k in mine):
                    return False
            elif mine != theirs and not (_is_nan(mine) and _is_nan(theirs)):
                return False
        return True

    def __repr__(self):
        return f"History({self.n_epochs} epochs, {len(self.step_lr)} steps: {self.message})"


def _is_nan(value):
    return isinstance(value, float) and math.isnan(value)


def fit(
    model,
    params,
    optimizer,
    data,
    *,
    epochs,
    batch_size,
    schedule=None,
    schedule_unit="step",
    plateau=None,
    early_stopping=None,
    monitor="val_loss",
    restore_best=True,
    seed=0,
    progress=False,
    callback=None,
    threads=1,
    record_update_ratio=False,
) -> History:
    r"""Train ``params`` (in place) on ``data`` with ``optimizer``; return the :class:`History`.

    Parameters
    ----------
    model : descent.models.MLP
        Anything with ``loss_and_grad(params, X, y, out=...)``, ``evaluate(params, X, y)``,
        ``check_params(params)`` and ``check_data(X, y, dtype=...)``.
    params : dict
        Name -> float32 or float64 array, as ``model.init(seed)`` returns; updated in place
        (the computation runs in their dtype; the data are converted once).
    optimizer : descent.optim.Optimizer
        Any optimizer; its ``lr`` is set here when a schedule or a plateau rule is given.
    data : descent.data.Dataset or tuple
        The training and validation sets: a :class:`descent.data.Dataset`, or
        ``((X_train, y_train), (X_val, y_val))``. There is no test set here, by design.
    epochs : int
        Passes over the training set, ``>= 1`` (fewer if early stopping ends the run).
    batch_size : int
        Examples per step, between 1 and the number of training examples.
    schedule : callable, optional
        ``schedule(t) -> lr`` from :mod:`descent.schedules`, applied before every step
        (``schedule_unit="step"``, ``t`` = steps taken) or every epoch (``"epoch"``, ``t`` =
        epochs completed).
    schedule_unit : {"step", "epoch"}, default "step"
    plateau : descent.schedules.ReduceLROnPlateau, optional
        A fresh one (not yet stepped); its rate replaces the optimizer's from the first
        epoch, and it is fed the ``monitor`` metric after every epoch. Not together with
        ``schedule``.
    early_stopping : EarlyStopping, optional
        A fresh one, fed the ``monitor`` metric and the parameters after every epoch.
    monitor : {"val_loss", "val_accuracy"}, default "val_loss"
        The metric fed to ``plateau`` and ``early_stopping``; their ``mode`` must match
        (``"min"`` for the loss, ``"max"`` for the accuracy).
    restore_best : bool, default True
        With early stopping, set ``params`` back to the best epoch's when the run ends
        (stopped early or not).
    seed : int, default 0
        Seed of the shuffles (``np.random.default_rng(seed).permutation(n)`` once per epoch).
    progress : bool, default False
        Show a progress bar over the epochs (see :mod:`descent.training.progress`).
    callback : callable, optional
        ``callback(epoch, params)``, called at the end of every epoch after the records
        (epoch 0-based); for measurements the history does not hold (a weight norm, say).
    threads : int or None, default 1
        BLAS threads during the run; ``None`` leaves numpy's setting alone. One thread is
        the fastest for the course's small networks, whose matrices are too small to share
        out: on two busy cores, 10 epochs of a 64-256-128-10 net on the digits at batch 32
        took 0.12 s on one thread and 5.2 s on two.
    record_update_ratio : bool, default False
        Record :math:`\lVert \Delta W_k \rVert / \lVert W_k \rVert` for every weight matrix
        at every step (:attr:`History.update_ratio`; the module docstring). It costs one copy
        of the weights per step.

    Returns
    -------
    History

    Raises
    ------
    ValueError
        For bad data (wrong feature width, NaN, labels out of range, an empty validation
        set), a ``batch_size`` larger than the training set, bad parameters, or
        inconsistent options (a schedule with a plateau rule, a mode that does not
        match ``monitor``, a used plateau or early-stopping object).
    """
    dtype = model.check_params(params)
    X_train, y_train, X_val, y_val = _training_data(model, data, dtype)
    n = X_train.shape[0]
    epochs, batch_size = _epochs_and_batch_size(epochs, batch_size, n)
    seed = check.integer("seed", seed, 0)
    progress = check.flag("progress", progress)
    restore_best = check.flag("restore_best", restore_best)
    schedule_unit = check.choice("schedule_unit", schedule_unit, ("step", "epoch"))
    monitor = check.choice("monitor", monitor, tuple(MONITORS))
    record_update_ratio = check.flag("record_update_ratio", record_update_ratio)
    _check_rate_drivers(optimizer, schedule, plateau, early_stopping, monitor, callback)

    loss_and_grad = getattr(model, "_loss_and_grad", None) or (lambda p, X, y, out: model.loss_and_grad(p, X, y, out=out))
    evaluate = getattr(model, "_evaluate", None) or model.evaluate
    grads = {key: np.empty_like(value) for key, value in params.items()}
    rng = np.random.default_rng(seed)
    if plateau is not None:
        optimizer.lr = plateau.lr

    records = {name: [] for name in ("train_loss", "val_loss", "val_accuracy", "lr", "time", "steps")}
    step_loss, step_lr, reductions = [], [], []
    weights = [key for key in params if key.startswith("W")] if record_update_ratio else []
    before = {key: np.empty_like(params[key]) for key in weights}
    ratios = {key: [] for key in weights}
    start_val_loss, start_val_accuracy = evaluate(params, X_val, y_val)
    bound = DIVERGENCE_BOUND * max(1.0, start_val_loss)
    step, diverged_at, stopped_early = 0, None, False
    start = time.perf_counter()
    with np.errstate(all="ignore"), blas_threads(threads), ProgressBar(epochs, "epochs", enabled=progress) as bar:
        for epoch in range(epochs):
            if schedule is not None and schedule_unit == "epoch":
                optimizer.lr = float(schedule(epoch))
            order = rng.permutation(n)  # the order of epoch_batches(n, batch_size, rng)
            X_epoch, y_epoch = X_train[order], y_train[order]  # one gather; the batches are then slices
            epoch_lr, loss_sum = None, 0.0
            for batch, first in enumerate(range(0, n, batch_size)):
                if schedule is not None and schedule_unit == "step":
                    optimizer.lr = float(schedule(step))
                X_batch, y_batch = X_epoch[first : first + batch_size], y_epoch[first : first + batch_size]
                loss, _ = loss_and_grad(params, X_batch, y_batch, grads)
                loss = float(loss)
                if not loss <= bound:  # NaN, inf or blown up: stop before this gradient reaches the parameters
                    diverged_at = {"epoch": epoch, "step": step, "batch": batch, "set": "training", "loss": loss}
                    break
                epoch_lr = optimizer.lr if epoch_lr is None else epoch_lr
                step_loss.append(loss)
                step_lr.append(optimizer.lr)
                for key in weights:
                    np.copyto(before[key], params[key])
                optimizer.step(params, grads)
                for key in weights:
                    ratios[key].append(_update_ratio(before[key], params[key]))
                loss_sum += loss * len(y_batch)
                step += 1
            if diverged_at is not None:
                break
            val_loss, val_accuracy = evaluate(params, X_val, y_val)
            for name, value in (("train_loss", loss_sum / n), ("val_loss", val_loss), ("val_accuracy", val_accuracy),
                                ("lr", epoch_lr), ("time", time.perf_counter() - start), ("steps", step)):
                records[name].append(value)
            if callback is not None:
                callback(epoch, params)
            bar.update(val_loss=f"{val_loss:.4g}", val_accuracy=f"{val_accuracy:.3f}")
            if not val_loss <= bound:
                diverged_at = {"epoch": epoch, "step": step - 1, "batch": batch, "set": "validation", "loss": val_loss}
                break
            metric = val_loss if monitor == "val_loss" else val_accuracy
            if plateau is not None:
                rate = optimizer.lr
                optimizer.lr = plateau.step(metric)
                if optimizer.lr < rate:
                    reductions.append(epoch)
            if early_stopping is not None and early_stopping.step(metric, params) and epoch < epochs - 1:
                stopped_early = True
                break

    restored = False
    if early_stopping is not None and restore_best and early_stopping.best_params is not None:
        for key, best in early_stopping.best_params.items():
            np.copyto(params[key], best)
        restored = True
    history = History(
        train_loss=np.array(records["train_loss"], dtype=float),
        val_loss=np.array(records["val_loss"], dtype=float),
        val_accuracy=np.array(records["val_accuracy"], dtype=float),
        lr=np.array(records["lr"], dtype=float),
        time=np.array(records["time"], dtype=float),
        steps=np.array(records["steps"], dtype=np.int64),
        step_loss=np.array(step_loss, dtype=float),
        step_lr=np.array(step_lr, dtype=float),
        start_val_loss=start_val_loss,
        start_val_accuracy=start_val_accuracy,
        best_epoch=None if early_stopping is None else early_stopping.best_epoch,
        stopped_early=stopped_early,
        restored_best=restored,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        plateau_reductions=tuple(reductions),
        update_ratio={key: np.array(values, dtype=float) for key, values in ratios.items()} if record_update_ratio else None,
        monitor=monitor,
    )
    history.message = _ending(history, epochs)
    return history


def _update_ratio(before, after) -> float:
    """``||after - before|| / ||before||`` in float64 (inf for an all-zero ``before``)."""
    change = np.linalg.norm((after - before).ravel().astype(np.float64))
    size = np.linalg.norm(before.ravel().astype(np.float64))
    return float(change / size) if size > 0 else math.inf


def _epochs_and_batch_size(epochs, batch_size, n: int) -> tuple[int, int]:
    """``epochs`` (at least 1) and ``batch_size`` (1 to the ``n`` training examples), checked."""
    epochs = check.integer("epochs", epochs, 1)
    batch_size = check.integer("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"batch_size must be at most the number of training examples, {n}; got {batch_size}")
    return epochs, batch_size


def _training_data(model, data, dtype):
    """``X_train, y_train, X_val, y_val`` from a Dataset or a pair of pairs, checked and converted once."""
    if all(hasattr(data, name) for name in ("X_train", "y_train", "X_val", "y_val")):
        parts = (data.X_train, data.y_train, data.X_val, data.y_val)
    else:
        try:
            (X_train, y_train), (X_val, y_val) = data
        except (TypeError, ValueError):
            raise ValueError(
                "data must be a descent.data.Dataset or ((X_train, y_train), (X_val, y_val)), "
                f"got {type(data).__name__}"
            ) from None
        parts = (X_train, y_train, X_val, y_val)
    checked = []
    for part, suffix, (X, y) in (("training", "train", parts[:2]), ("validation", "val", parts[2:])):
        if np.ndim(X) >= 1 and np.shape(X)[0] == 0:
            raise ValueError(f"the {part} set is empty (X_{suffix} has no rows); it needs at least one example")
        try:
            checked.extend(model.check_data(X, y, dtype=dtype))
        except ValueError as error:
            raise ValueError(f"{part} data (X_{suffix}, y_{suffix}): {error}") from None
    X_train, y_train, X_val, y_val = checked
    return np.ascontiguousarray(X_train), y_train, np.ascontiguousarray(X_val), y_val


def _check_rate_drivers(optimizer, schedule, plateau, early_stopping, monitor, callback):
    if not hasattr(optimizer, "step") or not hasattr(optimizer, "lr"):
        raise TypeError(f"optimizer must be an optimizer from descent.optim, got {type(optimizer).__name__}")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function t -> lr (see descent.schedules), got {schedule!r}")
    if schedule is not None and plateau is not None:
        raise ValueError("pass either schedule or plateau, not both: each sets the optimizer's lr")
    mode = MONITORS[monitor]
    if plateau is not None:
        if not (hasattr(plateau, "step") and hasattr(plateau, "lr") and hasattr(plateau, "last_epoch")):
            raise TypeError(f"plateau must be a descent.schedules.ReduceLROnPlateau, got {type(plateau).__name__}")
        if plateau.last_epoch != 0:
            raise ValueError("plateau has already been stepped; pass a fresh ReduceLROnPlateau")
        plateau_mode = getattr(plateau, "_mode", mode)
        if plateau_mode != mode:
            raise ValueError(f"plateau has mode {plateau_mode!r}, but monitor={monitor!r} needs mode {mode!r}")
    if early_stopping is not None:
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError(f"early_stopping must be a descent.training.EarlyStopping, got {type(early_stopping).__name__}")
        if early_stopping.calls != 0:
            raise ValueError("early_stopping has already been stepped; pass a fresh EarlyStopping")
        if early_stopping.mode != mode:
            raise ValueError(
                f"early_stopping has mode {early_stopping.mode!r}, but monitor={monitor!r} needs mode {mode!r}"
            )
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be a function (epoch, params), got {callback!r}")


def _ending(history, epochs) -> str:
    if history.diverged:
        at = history.diverged_at
        loss = at["loss"]
        why = "not finite" if not math.isfinite(loss) else f"over {DIVERGENCE_BOUND:.0e} times the starting loss"
        if at["set"] == "training":
            where = (f"at epoch {at['epoch']}, step {at['step']} (batch {at['batch']} of the epoch; counts from 0): "
                     f"the training loss was {loss:.3g}, {why}")
        else:
            where = (f"after epoch {at['epoch']} (its last step was step {at['step']}; counts from 0): "
                     f"the validation loss was {loss:.3g}, {why}")
        return (f"diverged {where}. The history keeps the {history.n_epochs} epoch(s) and "
                f"{len(history.step_lr)} step(s) before it")
    text = f"stopped early after epoch {history.n_epochs - 1}" if history.stopped_early else f"ran {history.n_epochs} epochs"
    if history.best_epoch is not None:
        text += f"; best {history.monitor} at epoch {history.best_epoch}"
        if history.restored_best:
            text += " (parameters restored to it)"
    return text
