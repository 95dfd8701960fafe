r"""The learning-rate range test (Smith, 2017): sweep the rate upwards until the loss blows up.

Starting from the current parameters, take ``steps`` optimizer steps with a rate that grows
exponentially from ``lr_min`` to ``lr_max``,

.. math::

    \eta_t = \eta_{\min} \left( \frac{\eta_{\max}}{\eta_{\min}} \right)^{t / (N - 1)},
    \qquad t = 0, \dots, N - 1,

and after step :math:`t` measure the loss :math:`\ell_t` (on the next mini-batch, or the
whole objective). The raw losses are noisy, so they are smoothed by an exponential moving
average with bias correction, as Adam corrects its moments,

.. math::

    a_t = \beta\, a_{t-1} + (1 - \beta)\, \ell_t, \quad a_{-1} = 0, \qquad
    \bar\ell_t = \frac{a_t}{1 - \beta^{t+1}}

(without the correction the first smoothed values would be pulled towards 0). The sweep
stops early, **diverged**, as soon as :math:`\bar\ell_t` exceeds ``diverge_factor`` times
its smallest value so far, or a loss is not finite; the rate of that step is
:attr:`RangeTest.divergence_lr`.

The suggested rate follows a stated rule (``rule``):

- ``"min/10"`` (default): one tenth of the rate at which the smoothed loss was smallest. At
  the minimum the rate is already close to unstable; a tenth of it is a safe place to start
  (the rule of thumb of Smith's paper and of fastai's ``lr_min``);
- ``"steepest"``: the rate at which the smoothed loss fell fastest per unit of
  :math:`\log \eta` (the most negative finite difference of :math:`\bar\ell` against
  :math:`\log\eta`, before the minimum).

**Where it stops on a quadratic.** Gradient descent on a quadratic with largest curvature
:math:`L` is stable for :math:`\eta < 2/L`. With mini-batch noise (least squares on data,
whose loss is a quadratic in :math:`\theta`) the noise keeps every direction excited, the
loss rises as soon as the rate passes the limit, and the sweep stops just above it: 1.2 to 1.9
times :math:`2/L` over 25 random problems with 300 steps over seven decades and
:math:`\beta = 0.9` (tested within a factor of 2). The stop always comes a few steps after the
rise begins, and each step multiplies the rate by :math:`(\eta_{\max}/\eta_{\min})^{1/(N-1)}`, so
a coarser sweep or heavier smoothing lands further out: 2.1 to 4.5 times :math:`2/L` on the
same problems with 100 steps over eight decades and :math:`\beta = 0.98` (the defaults'
density). Without noise (a plain :class:`~descent.models.Quadratic`, or full batches) it cannot
stop below :math:`2/L`, where every step lowers the loss, but it stops late, 6 to 9 times
:math:`2/L` (30 random quadratics): near :math:`\eta = 1/L` the steps all but zero the
steepest direction, which must then regrow from almost nothing before the loss rises.

The caller's parameters and optimizer are not changed: the sweep runs on copies.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from .. import _validation as check
from ._threads import blas_threads
from .progress import ProgressBar

__all__ = ["RangeTest", "lr_range_test", "RULES", "sweep_rates", "SmoothedLoss", "smoothed"]

#: Rules for the suggested rate (see the module docstring).
RULES = ("min/10", "steepest")


@dataclass
class RangeTest:
    """The result of :func:`lr_range_test`.

    Attributes
    ----------
    lrs : numpy.ndarray
        The rate of every step taken (the first ``len(lrs)`` rates of the sweep).
    losses : numpy.ndarray
        The loss measured after each of those steps.
    smoothed : numpy.ndarray
        The bias-corrected exponential average of ``losses``.
    initial_loss : float
        The loss before the first step.
    diverged : bool
        Whether the sweep stopped because the loss blew up (before ``lr_max``).
    rule : str
        The rule that chose ``suggestion``.
    suggestion : float
        The suggested rate.
    beta, diverge_factor : float
        The smoothing and the stopping rule used.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    initial_loss: float
    diverged: bool
    rule: str
    suggestion: float
    beta: float
    diverge_factor: float

    @property
    def divergence_lr(self):
        """The rate of the step at which the sweep stopped, diverged (None if it did not)."""
        return float(self.lrs[-1]) if self.diverged else None

    @property
    def min_index(self) -> int:
        """Index of the smallest smoothed loss."""
        finite = np.where(np.isfinite(self.smoothed), self.smoothed, np.inf)
        return int(np.argmin(finite))

    @property
    def min_lr(self) -> float:
        """The rate at which the smoothed loss was smallest."""
        return float(self.lrs[self.min_index])

    def suggest(self, rule) -> float:
        """The rate another ``rule`` (one of :data:`~descent.training.range_test.RULES`) picks from this
        same sweep: a rule only reads the smoothed curve, so no second sweep is needed."""
        return _suggest(self.lrs, self.smoothed, check.choice("rule", rule, RULES))

    def plot(self, ax=None, **kwargs):
        """Draw it with :func:`descent.figures.training.range_test` (returns the figure)."""
        from ..figures.training import range_test

        return range_test(self, ax=ax, **kwargs)

    def __repr__(self):
        stop = f"diverged at lr={self.divergence_lr:.3g}" if self.diverged else "reached lr_max"
        return (f"RangeTest({len(self.lrs)} steps, {stop}, smallest smoothed loss at lr={self.min_lr:.3g}, "
                f"suggestion ({self.rule}) lr={self.suggestion:.3g})")


def sweep_rates(lr_min, lr_max, steps):
    r"""The rates :math:`\eta_t = \eta_{\min} (\eta_{\max}/\eta_{\min})^{t/(N-1)}`, ``t = 0..steps-1``."""
    lr_min = check.positive("lr_min", lr_min)
    lr_max = check.positive("lr_max", lr_max)
    if not lr_max > lr_min:
        raise ValueError(f"lr_max must be > lr_min, got lr_min={lr_min!r}, lr_max={lr_max!r}")
    steps = check.integer("steps", steps, 2)
    return lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))


class SmoothedLoss:
    r"""The bias-corrected exponential moving average of a stream of losses.

    ``update(loss)`` applies :math:`a_t = \beta a_{t-1} + (1-\beta)\ell_t` and returns
    :math:`\bar\ell_t = a_t / (1 - \beta^{t+1})`.
    """

    def __init__(self, beta):
        self.beta = check.in_range("beta", beta, 0.0, 1.0, high_open=True)
        self.average = 0.0
        self.count = 0

    def update(self, loss) -> float:
        self.average = self.beta * self.average + (1 - self.beta) * loss
        self.count += 1
        return self.average / (1 - self.beta**self.count)


def smoothed(losses, beta):
    r"""The bias-corrected exponential moving average :math:`\bar\ell_t` of ``losses``, as an array."""
    average = SmoothedLoss(beta)
    return np.array([average.update(float(loss)) for loss in losses])


def lr_range_test(
    model,
    params,
    optimizer,
    data=None,
    *,
    lr_min=1e-7,
    lr_max=10.0,
    steps=100,
    batch_size=None,
    beta=0.98,
    diverge_factor=4.0,
    rule="min/10",
    seed=0,
    progress=False,
    threads=1,
) -> RangeTest:
    """Run the learning-rate range test; return a :class:`RangeTest`.

    Parameters
    ----------
    model
        Either a network with ``loss_and_grad(params, X, y)`` (such as
        :class:`descent.models.MLP`), trained on ``data``; or, with ``data=None``, an
        objective of :mod:`descent.models` (``value(theta)``, ``grad(theta)``: a
        :class:`~descent.models.Quadratic`, a :class:`~descent.models.LeastSquares`, ...).
    params : dict or array_like
        The starting point: the network's parameter dict, or the objective's
        :math:`\\theta` (an array). Copied; the caller's arrays are not changed.
    optimizer : descent.optim.Optimizer
        Copied (``copy.deepcopy``) before the sweep, so its state is not changed either.
    data : descent.data.Dataset or tuple, optional
        For a network: the training set is used (``data.X_train, data.y_train``, or a pair
        ``(X, y)``); never the validation or test set.
    lr_min, lr_max : float
        The sweep's first and last rates, ``0 < lr_min < lr_max``.
    steps : int, default 100
        Number of rates in the sweep, ``>= 2``.
    batch_size : int, optional
        Examples per step for a network (required), or for a model of :mod:`descent.models`
        with mini-batches (``LeastSquares``); ``None`` there means the full objective.
    beta : float, default 0.98
        Smoothing of the loss, in [0, 1).
    diverge_factor : float, default 4.0
        Stop when the smoothed loss exceeds this many times its minimum so far, ``> 1``.
    rule : {"min/10", "steepest"}, default "min/10"
        How the suggestion is chosen (module docstring).
    seed : int, default 0
        Seed of the mini-batch shuffles (one permutation per pass over the data).
    progress : bool, default False
        Show a progress bar over the steps.
    threads : int or None, default 1
        BLAS threads during the sweep (``None``: numpy's setting), as in
        :func:`descent.training.fit`.
    """
    rates = sweep_rates(lr_min, lr_max, steps)
    smoother = SmoothedLoss(beta)
    diverge_factor = check.real("diverge_factor", diverge_factor, "> 1")
    if not diverge_factor > 1:
        raise ValueError(f"diverge_factor must be > 1, got {diverge_factor!r}")
    rule = check.choice("rule", rule, RULES)
    seed = check.integer("seed", seed, 0)
    progress = check.flag("progress", progress)
    if not hasattr(optimizer, "step") or not hasattr(optimizer, "lr"):
        raise TypeError(f"optimizer must be an optimizer from descent.optim, got {type(optimizer).__name__}")
    params, loss_and_grad = _problem(model, params, data, batch_size, np.random.default_rng(seed))
    optimizer = copy.deepcopy(optimizer)

    lrs, losses, curve = [], [], []
    lowest, diverged = math.inf, False
    with np.errstate(all="ignore"), blas_threads(threads), ProgressBar(steps, "lr range test", enabled=progress) as bar:
        initial_loss, grads = loss_and_grad(params)
        for rate in rates:
            optimizer.lr = float(rate)
            optimizer.step(params, grads)
            loss, grads = loss_and_grad(params)  # the loss after a step at this rate
            smooth = smoother.update(loss)
            lrs.append(float(rate))
            losses.append(loss)
            curve.append(smooth)
            bar.update(lr=f"{rate:.3g}", loss=f"{smooth:.4g}")
            if not math.isfinite(smooth) or smooth > diverge_factor * lowest:
                diverged = True
                break
            lowest = min(lowest, smooth)

    lrs, losses, curve = np.array(lrs), np.array(losses), np.array(curve)
    return RangeTest(lrs=lrs, losses=losses, smoothed=curve, initial_loss=float(initial_loss), diverged=diverged,
                     rule=rule, suggestion=_suggest(lrs, curve, rule), beta=smoother.beta, diverge_factor=diverge_factor)


def _suggest(lrs, curve, rule):
    finite = np.where(np.isfinite(curve), curve, np.inf)
    lowest = int(np.argmin(finite))
    if rule == "min/10":
        return float(lrs[lowest] / 10)
    if lowest == 0:
        return float(lrs[0])
    slopes = np.diff(finite[: lowest + 1]) / np.diff(np.log(lrs[: lowest + 1]))
    return float(lrs[int(np.argmin(slopes)) + 1])


def _problem(model, params, data, batch_size, rng):
    """Copied parameters and ``loss_and_grad(params) -> (float loss, grads)`` that walks through the batches."""
    if data is not None:
        return _network_problem(model, params, data, batch_size, rng)
    if not (hasattr(model, "value") and hasattr(model, "grad")):
        raise TypeError(
            "without data, model must be an objective of descent.models (value(theta), grad(theta)); "
            f"got {type(model).__name__}"
        )
    theta = np.array(params, dtype=float)
    if theta.ndim != 1:
        raise ValueError(f"params must be the objective's starting point theta, a 1-D array; got shape {theta.shape}")
    if not np.isfinite(theta).all():
        raise ValueError("params (theta) must contain only finite numbers")
    batches = None
    if batch_size is not None:
        n = getattr(model, "n", None)
        if n is None:
            raise ValueError(f"batch_size applies to models with examples (n); {type(model).__name__} has none")
        batch_size = check.integer("batch_size", batch_size, 1)
        if batch_size > n:
            raise ValueError(f"batch_size must be at most the number of examples, {n}; got {batch_size}")
        batches = _batch_indices(n, batch_size, rng)

    fused = getattr(model, "value_and_grad", None)  # one pass for the loss and the gradient (linear models)

    def loss_and_grad(p):
        batch = None if batches is None else next(batches)
        if fused is not None:
            loss, grad = fused(p["theta"], batch)
            return float(loss), {"theta": np.asarray(grad, dtype=float)}
        if batch is None:
            return float(model.value(p["theta"])), {"theta": np.asarray(model.grad(p["theta"]), dtype=float)}
        return float(model.value(p["theta"], batch)), {"theta": np.asarray(model.grad(p["theta"], batch), dtype=float)}

    return {"theta": theta}, loss_and_grad


def _network_problem(model, params, data, batch_size, rng):
    if not hasattr(model, "loss_and_grad"):
        raise TypeError(f"with data, model must have loss_and_grad(params, X, y); got {type(model).__name__}")
    dtype = model.check_params(params) if hasattr(model, "check_params") else None
    if all(hasattr(data, name) for name in ("X_train", "y_train")):
        X, y = data.X_train, data.y_train
    else:
        try:
            X, y = data
        except (TypeError, ValueError):
            raise ValueError(f"data must be a descent.data.Dataset or a pair (X, y), got {type(data).__name__}") from None
    if np.ndim(X) >= 1 and np.shape(X)[0] == 0:
        raise ValueError("the training set is empty (X_train has no rows)")
    if hasattr(model, "check_data"):
        X, y = model.check_data(X, y, dtype=dtype)
    if batch_size is None:
        raise ValueError("batch_size is required for a network (examples per step)")
    batch_size = check.integer("batch_size", batch_size, 1)
    if batch_size > len(y):
        raise ValueError(f"batch_size must be at most the number of training examples, {len(y)}; got {batch_size}")
    batches = _batch_indices(len(y), batch_size, rng)
    inner = getattr(model, "_loss_and_grad", None)
    params = {key: np.array(value, copy=True) for key, value in params.items()}

    def loss_and_grad(p):
        batch = next(batches)
        if inner is not None:
            loss, grads = inner(p, X[batch], y[batch])
        else:
            loss, grads = model.loss_and_grad(p, X[batch], y[batch])
        return float(loss), grads

    return params, loss_and_grad


def _batch_indices(n, batch_size, rng):
    """Batches of epoch after epoch, in the order of :func:`descent.training.epoch_batches`."""
    while True:
        order = rng.permutation(n)
        for first in range(0, n, batch_size):
            yield order[first : first + batch_size]
