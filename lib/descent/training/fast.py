r"""The fast path of :func:`~descent.training.train` for plain SGD on a linear model.

:func:`~descent.training.train_sgd` returns what ``train(model, SGD(lr=lr), ...)`` returns: the same shuffles, steps,
recorded points, rates and divergence test, with the per-step work cut to the minimum. Chapter 2's explorer
needs it: it reruns 854 steps of one example each whenever a slider moves. A test checks that the two agree
(the steps, examples, rates and divergence exactly; parameters and losses to ``1e-12``).

The update is the one :class:`descent.optim.SGD` makes,

.. math::

    \theta_{t+1} = \theta_t - \eta_t\, \nabla f_{\mathcal{B}_t}(\theta_t),
    \qquad
    \nabla f_{\mathcal{B}}(\theta) = \frac{1}{B} \sum_{i \in \mathcal{B}} \ell'(x_i^\top\theta)\, x_i + c\, m \odot \theta,

and what makes it faster is only how it is computed:

- the rates :math:`\eta_t` of a schedule are computed for all steps at once;
- with one example a step (:math:`B = 1`) the parameters are plain Python floats: numpy's cost per call
  (about a microsecond) is many times the arithmetic of a two-parameter step. The derivative
  :math:`\ell'` is the model's own :meth:`~descent.models.LinearModel.score_derivative`;
- with larger batches the gradient is the model's :meth:`~descent.models.LinearModel.batch_grad`, without the
  optimizer's checks and bookkeeping;
- the full loss is evaluated once, at all recorded points together, after the run.

Any other model goes through :func:`~descent.training.train` itself.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
from ..models import LinearModel
from ..optim import SGD
from ..runner import DIVERGENCE_BOUND
from ..schedules import Schedule
from .minibatch import TrainingResult, _checked_arguments, train, valid_prefix

__all__ = ["train_sgd"]


def train_sgd(model, lr: float, *, epochs: int, batch_size: int, schedule=None, seed: int = 0, start=None,
              record_every: int = 1) -> TrainingResult:
    r"""``train(model, SGD(lr=lr), epochs=..., batch_size=..., ...)``, computed faster for a linear model.

    Parameters
    ----------
    model : descent.models.LinearModel
        Other models are passed on to :func:`~descent.training.train`.
    lr : float
        The rate :math:`\alpha \ge 0` (without a schedule).
    epochs, batch_size, schedule, seed, start, record_every
        As in :func:`~descent.training.train` (the schedule counts steps).

    Returns
    -------
    TrainingResult
        Equal to :func:`~descent.training.train`'s: the same steps, examples, rates and divergence; the
        parameters and losses agree to rounding.
    """
    if not isinstance(model, LinearModel):
        return train(model, SGD(lr=lr), epochs=epochs, batch_size=batch_size, schedule=schedule, seed=seed,
                     start=start, record_every=record_every)
    lr = check.non_negative("lr", lr)
    epochs, B, record_every, theta = _checked_arguments(model, epochs, batch_size, record_every, schedule, seed,
                                                        start)
    n = model.n
    steps_per_epoch = -(-n // B)
    total = epochs * steps_per_epoch
    etas = _rates(lr, schedule, total)
    thetas = np.empty((total + 1, model.dim))
    thetas[0] = theta
    penalty = model.l2 * model.penalty_mask if model.l2 else None
    rng = np.random.default_rng(seed)
    step = 0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n)  # the same draw as descent.training.epoch_batches
            if B == 1:
                thetas[step + 1:step + n + 1] = _one_example_steps(model, order, etas[step:step + n], theta, penalty)
                step += n
                theta = thetas[step]
                continue
            for first in range(0, n, B):
                theta = theta - etas[step] * model.batch_grad(theta, order[first:first + B])
                step += 1
                thetas[step] = theta
    return _result(model, thetas, etas, n, B, epochs, record_every)


def _rates(lr: float, schedule, total: int) -> np.ndarray:
    """The rate of every step: ``lr``, or the schedule's (a :class:`~descent.schedules.Schedule` at once)."""
    if schedule is None:
        return np.full(total, lr)
    steps = np.arange(total)
    if isinstance(schedule, Schedule):
        return np.asarray(schedule(steps), dtype=float)
    return np.array([float(schedule(t)) for t in steps.tolist()])


def _one_example_steps(model, order, etas, theta, penalty) -> list:
    r"""SGD steps of one example each, in plain floats: example ``order[i]`` with rate ``etas[i]``.

    :math:`\theta \leftarrow \theta - \eta_i\,(\ell'(x_i^\top\theta)\, x_i + c\, m \odot \theta)`, the
    penalty term only when there is one. Returns the parameters after each step.
    """
    derivative = model.score_derivative
    rows, targets = model.X[order].tolist(), model.y[order].tolist()
    penalty = None if penalty is None else penalty.tolist()
    theta = [float(value) for value in theta]
    out = []
    for x, target, eta in zip(rows, targets, etas.tolist()):
        z = 0.0
        for a, b in zip(x, theta):
            z += a * b  # the score x^T theta
        d = derivative(z, target)
        if penalty is None:
            theta = [t - eta * (d * a) for t, a in zip(theta, x)]
        else:
            theta = [t - eta * (d * a + p * t) for t, a, p in zip(theta, x, penalty)]
        out.append(theta)
    return out


def _result(model, thetas, etas, n, B, epochs, record_every) -> TrainingResult:
    """The recorded points (every ``record_every`` steps and at the end of every epoch), as ``train`` records them."""
    steps_per_epoch = -(-n // B)
    total = epochs * steps_per_epoch
    steps = np.arange(1, total + 1)
    sizes = np.tile(np.diff(np.append(np.arange(0, n, B), n)), epochs)
    seen = np.cumsum(sizes)
    epoch_end = steps % steps_per_epoch == 0
    recorded = epoch_end | (steps % record_every == 0)
    points, point_steps, point_examples = thetas[1:][recorded], steps[recorded], seen[recorded]
    with np.errstate(all="ignore"):
        loss0 = model.value(thetas[0])
        point_losses = np.asarray(model.value(points), dtype=float).reshape(-1)
    limit = DIVERGENCE_BOUND * max(1.0, abs(loss0))
    keep = valid_prefix(points, point_losses, limit)
    diverged_at = int(point_steps[keep]) if keep < len(points) else None
    ends = np.flatnonzero(epoch_end[recorded][:keep])
    if diverged_at is not None:  # an epoch counts only if all its recorded points are valid
        ends = ends[point_steps[ends] <= (diverged_at - 1) // steps_per_epoch * steps_per_epoch]
    return TrainingResult(
        path=np.concatenate([thetas[:1], points[:keep]]),
        losses=np.concatenate([[loss0], point_losses[:keep]]),
        steps=np.concatenate([[0], point_steps[:keep]]),
        examples=np.concatenate([[0], point_examples[:keep]]),
        epoch_losses=np.concatenate([[loss0], point_losses[ends]]),
        val_losses=None,
        lrs=etas if diverged_at is None else etas[:diverged_at],
        batch_size=B,
        n=n,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        min_value=model.min_value,
    )
