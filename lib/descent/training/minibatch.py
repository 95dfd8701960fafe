r"""Mini-batch training: full-batch, stochastic and mini-batch gradient descent.

Each batch :math:`\mathcal{B}_t` of an epoch (:mod:`descent.training.batching`) gives one
step of the optimizer on the mini-batch gradient

.. math::

    g_t = \nabla f_{\mathcal{B}_t}(\theta_t)
        = \frac{1}{B} \sum_{i \in \mathcal{B}_t} \nabla \ell_i(\theta_t) .

``batch_size = n`` is full-batch gradient descent (one step per epoch),
``batch_size = 1`` is stochastic gradient descent (:math:`n` steps per epoch),
anything in between is mini-batch descent. A fair clock for comparing them is
the number of **examples processed** (per-example gradient evaluations): every
epoch costs :math:`n` of them whatever :math:`B` is.

:func:`~descent.training.train` runs any :mod:`descent.optim` optimizer, optionally driven by a
schedule from :mod:`descent.schedules`, and returns a :class:`TrainingResult`.
:func:`descent.training.train_sgd` gives the same result for plain SGD on a linear
model, faster. How noisy :math:`g_t` is for a given :math:`B` is
:mod:`descent.theory.noise`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as check
from ..runner import DIVERGENCE_BOUND
from .batching import SAMPLING

__all__ = ["TrainingResult", "train", "valid_prefix"]


@dataclass
class TrainingResult:
    """What :func:`~descent.training.train` records.

    Points are recorded at the start, every ``record_every`` steps and at the
    end of every epoch; ``losses`` is always the **full** training loss (not the
    noisy mini-batch loss), so curves of different batch sizes compare fairly.

    Attributes
    ----------
    path : numpy.ndarray, shape (k, d)
        Parameters at the recorded points; ``path[0]`` is the start.
    losses : numpy.ndarray, shape (k,)
        Full training loss :math:`f(\\theta)` at the recorded points.
    steps : numpy.ndarray of int, shape (k,)
        Optimizer steps taken at each recorded point.
    examples : numpy.ndarray of int, shape (k,)
        Examples processed (per-example gradient evaluations) at each point.
    epoch_losses : numpy.ndarray, shape (epochs + 1,)
        Full training loss at the start and after each completed epoch.
    val_losses : numpy.ndarray or None
        Validation loss at the same moments, if a validation model was given.
    lrs : numpy.ndarray, shape (total steps,)
        The learning rate used at every step.
    batch_size : int
        ``B``.
    n : int
        Number of training examples.
    diverged : bool
        Whether the run stopped because the loss blew up.
    diverged_at : int or None
        The first recorded step at which the loss had blown up (the path
        stops just before it).
    min_value : float or None
        The model's smallest training loss :math:`f^\\star`, if it is known.
    """

    path: np.ndarray
    losses: np.ndarray
    steps: np.ndarray
    examples: np.ndarray
    epoch_losses: np.ndarray
    val_losses: np.ndarray | None
    lrs: np.ndarray
    batch_size: int
    n: int
    diverged: bool = False
    diverged_at: int | None = None
    min_value: float | None = None

    @property
    def gaps(self) -> np.ndarray:
        """``losses - min_value`` (the losses themselves when the optimum is unknown)."""
        return self.losses - (0.0 if self.min_value is None else self.min_value)

    @property
    def valid(self) -> np.ndarray:
        """The recorded parameters (all finite), as ``Trajectory.valid`` for :mod:`descent.plots`."""
        return self.path

    @property
    def theta(self) -> np.ndarray:
        """The last recorded parameters."""
        return self.path[-1]

    @property
    def epochs(self) -> np.ndarray:
        """Recorded points measured in epochs (``examples / n``)."""
        return self.examples / self.n

    @property
    def steps_per_epoch(self) -> int:
        """Number of optimizer steps in one epoch, :math:`\\lceil n / B \\rceil`."""
        return -(-self.n // self.batch_size)

    def final_loss(self, last_epochs: int = 1) -> float:
        """Mean full training loss over the recorded points of the last ``last_epochs`` epochs.

        This is how the text measures the **loss floor** of a run with a constant
        rate: the level the loss keeps fluctuating around once it stops improving.
        """
        last_epochs = check.integer("last_epochs", last_epochs, 1, floats=False)
        if self.diverged:
            return float("inf")
        window_start = self.examples[-1] - last_epochs * self.n
        keep = self.examples > window_start
        return float(np.mean(self.losses[keep]))


def valid_prefix(points: np.ndarray, losses: np.ndarray, limit: float) -> int:
    """How many leading recorded points are valid: finite parameters and a finite loss of at most ``limit``.

    :func:`~descent.training.train` keeps these and stops the run at the first invalid one (``limit`` is
    ``descent.runner.DIVERGENCE_BOUND`` times the starting loss, at least 1).
    """
    bad = ~(np.isfinite(losses) & (losses <= limit)) | ~np.all(np.isfinite(points), axis=1)
    return int(np.argmax(bad)) if bad.any() else len(points)


def train(
    model,
    optimizer,
    *,
    epochs: int,
    batch_size: int,
    schedule=None,
    schedule_unit: str = "step",
    seed: int = 0,
    start=None,
    record_every: int = 1,
    val_model=None,
    sampling: str = "reshuffle",
) -> TrainingResult:
    r"""Train ``model`` with mini-batches of size ``batch_size`` for ``epochs`` epochs.

    At step :math:`t` with batch :math:`\mathcal{B}_t` the optimizer receives
    :math:`g_t = \nabla f_{\mathcal{B}_t}(\theta_t)`; with :class:`descent.optim.SGD`
    this is

    .. math::

        \theta_{t+1} = \theta_t - \eta_t\, \nabla f_{\mathcal{B}_t}(\theta_t),

    where :math:`\eta_t` is the schedule's value (the optimizer's own ``lr``
    without a schedule).

    Parameters
    ----------
    model : descent.models.LinearModel
        Anything with ``value(theta, batch)``, ``grad(theta, batch)``, ``n`` and ``dim``.
    optimizer : descent.optim.Optimizer
        A fresh optimizer; it is used on the parameter dict ``{"theta": theta}``.
    epochs : int
        Number of passes over the data, ``>= 1``.
    batch_size : int
        ``B`` in ``1..n``: ``n`` is full-batch descent, ``1`` is SGD.
    schedule : callable, optional
        ``schedule(t) -> lr``, as returned by :mod:`descent.schedules`; sets
        ``optimizer.lr`` before every step (or every epoch, see ``schedule_unit``).
    schedule_unit : {"step", "epoch"}, default "step"
        Whether ``t`` counts optimizer steps or completed epochs.
    seed : int, default 0
        Seed of the shuffles: epoch ``k`` uses the ``k``-th ``rng.permutation(n)``
        of ``np.random.default_rng(seed)`` (the ``k``-th ``rng.integers(0, n, size=n)``
        with ``sampling="replacement"``).
    start : array_like, shape (d,), optional
        Initial parameters (default ``model.start``, all zeros).
    record_every : int, default 1
        Record the parameters and full loss every this many steps (ends of
        epochs are always recorded).
    val_model : descent.models.LinearModel, optional
        A model on validation data; its loss is recorded after every epoch.
    sampling : {"reshuffle", "replacement"}, default "reshuffle"
        ``"reshuffle"``: every epoch visits each example exactly once, in a new
        random order (:func:`~descent.training.epoch_batches`), as training loops usually do.
        ``"replacement"``: every batch is an independent sample of uniform draws
        with replacement (:func:`~descent.training.replacement_batches`), the setting most
        convergence analyses assume; an "epoch" is then :math:`n` draws.

    Returns
    -------
    TrainingResult
        A diverged run (loss not finite, or more than
        ``descent.runner.DIVERGENCE_BOUND`` times its start, as in the runner) stops
        early with ``diverged=True``; no warnings are emitted.
    """
    check.interface("model", model, ("value", "grad", "n", "dim"), "a model from descent.models")
    check.interface("optimizer", optimizer, ("step", "lr"), "an optimizer from descent.optim")
    epochs, batch_size, record_every, theta = _checked_arguments(model, epochs, batch_size, record_every, schedule,
                                                                 seed, start)
    check.choice("schedule_unit", schedule_unit, ("step", "epoch"))
    make_batches = SAMPLING[check.choice("sampling", sampling, tuple(SAMPLING))]
    n = model.n

    rng = np.random.default_rng(seed)
    params = {"theta": theta}
    batch_grad = getattr(model, "batch_grad", None) or model.grad  # without argument checks, when the model has it
    loss = model.value(theta)
    limit = DIVERGENCE_BOUND * max(1.0, abs(loss))
    path, losses, steps, examples = [theta.copy()], [loss], [0], [0]
    epoch_losses = [loss]
    val_losses = None if val_model is None else [val_model.value(theta)]
    lrs = []
    step, seen = 0, 0
    diverged_at = None

    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            if schedule is not None and schedule_unit == "epoch":
                optimizer.lr = float(schedule(epoch))
            batches = make_batches(n, batch_size, rng)
            points, point_steps, point_examples = [], [], []
            for number, batch in enumerate(batches, start=1):
                if schedule is not None and schedule_unit == "step":
                    optimizer.lr = float(schedule(step))
                lrs.append(optimizer.lr)
                optimizer.step(params, {"theta": batch_grad(theta, batch)})
                step += 1
                seen += len(batch)
                if number == len(batches) or step % record_every == 0:
                    points.append(theta.copy())
                    point_steps.append(step)
                    point_examples.append(seen)
            # The full loss at this epoch's recorded points, in one vectorised call.
            points = np.array(points)
            point_losses = np.asarray(model.value(points), dtype=float).reshape(-1)
            keep = valid_prefix(points, point_losses, limit)
            path.extend(points[:keep])
            losses.extend(point_losses[:keep])
            steps.extend(point_steps[:keep])
            examples.extend(point_examples[:keep])
            if keep < len(points):
                diverged_at = point_steps[keep]
                lrs = lrs[:diverged_at]
                break
            epoch_losses.append(losses[-1])
            if val_losses is not None:
                val_losses.append(val_model.value(theta))

    return TrainingResult(
        path=np.array(path),
        losses=np.array(losses),
        steps=np.array(steps),
        examples=np.array(examples),
        epoch_losses=np.array(epoch_losses),
        val_losses=None if val_losses is None else np.array(val_losses),
        lrs=np.array(lrs),
        batch_size=batch_size,
        n=n,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        min_value=_min_value(model),
    )


def _checked_arguments(model, epochs, batch_size, record_every, schedule, seed, start) -> tuple:
    """The arguments :func:`~descent.training.train` and :func:`~descent.training.train_sgd` share, checked:
    ``(epochs, batch_size, record_every, theta)`` with ``theta`` a fresh float copy of the start."""
    epochs = check.integer("epochs", epochs, 1, floats=False)
    batch_size = check.batch_size(batch_size, model.n)
    record_every = check.integer("record_every", record_every, 1, floats=False)
    if schedule is not None:
        check.function("schedule", schedule, "a function t -> lr (see descent.schedules)")
    check.integer("seed", seed, 0, floats=False)
    theta = np.array(model.start if start is None else start, dtype=float)
    if theta.shape != (model.dim,):
        raise ValueError(f"start must have shape ({model.dim},), got shape {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError("start must contain only finite numbers")
    return epochs, batch_size, record_every, theta


def _min_value(model):
    try:
        value = model.min_value
    except (AttributeError, ValueError, NotImplementedError):
        return None
    return None if value is None else float(value)
