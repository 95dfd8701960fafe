r"""Mini-batch training: full-batch, stochastic and mini-batch gradient descent.

One **epoch** shuffles the :math:`n` training examples with a seeded generator
and cuts the shuffled order into consecutive batches of :math:`B` examples (the
last one smaller when :math:`B` does not divide :math:`n`); with
``sampling="replacement"`` the epoch's :math:`n` indices are instead independent
uniform draws, cut into batches of the same sizes. Each batch
:math:`\mathcal{B}_t` gives one step of the optimizer on the mini-batch
gradient

.. math::

    g_t = \nabla f_{\mathcal{B}_t}(\theta_t)
        = \frac{1}{B} \sum_{i \in \mathcal{B}_t} \nabla \ell_i(\theta_t) .

``batch_size = n`` is full-batch gradient descent (one step per epoch),
``batch_size = 1`` is stochastic gradient descent (:math:`n` steps per epoch),
anything in between is mini-batch descent. A fair clock for comparing them is
the number of **examples processed** (per-example gradient evaluations): every
epoch costs :math:`n` of them whatever :math:`B` is.

:func:`train` runs any :mod:`descent.optim` optimizer, optionally driven by a
schedule from :mod:`descent.schedules`, and returns a :class:`TrainingResult`.
:func:`minibatch_gradient_variance` measures how noisy :math:`g_t` is for a
given :math:`B`, and :func:`predicted_gradient_variance` gives the exact value
that measurement estimates.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = [
    "TrainingResult",
    "epoch_batches",
    "replacement_batches",
    "SAMPLING",
    "train",
    "valid_prefix",
    "minibatch_gradient_variance",
    "predicted_gradient_variance",
    "example_gradient_variance",
    "noise_ball",
    "NoiseBall",
    "check_sgd_epoch",
]

from descent.runner import DIVERGENCE_BOUND


@dataclass
class TrainingResult:
    """What :func:`train` records.

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
        last_epochs = _positive_int("last_epochs", last_epochs)
        if self.diverged:
            return float("inf")
        window_start = self.examples[-1] - last_epochs * self.n
        keep = self.examples > window_start
        return float(np.mean(self.losses[keep]))


def _positive_int(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be >= 1, got {value}")
    return int(value)


def _batch_size(batch_size, n) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral):
        raise TypeError(f"batch_size must be an integer in 1..{n} (n = number of examples), got {batch_size!r}")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in 1..{n} (n = number of examples), got {batch_size}")
    return int(batch_size)


def _check_model(model):
    for attribute in ("grad", "value", "n", "dim"):
        if not hasattr(model, attribute):
            raise TypeError(
                f"model must be a model from descent.models (with value, grad, n and dim), got {type(model).__name__}"
            )


def epoch_batches(n: int, batch_size: int, rng: np.random.Generator) -> list:
    """The batches of one epoch: a shuffled order cut into consecutive chunks.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        ``B``, in ``1..n``. The last batch holds the ``n mod B`` left-over
        examples when ``B`` does not divide ``n``.
    rng : numpy.random.Generator
        Source of the shuffle; one call to ``rng.permutation(n)`` per epoch.

    Returns
    -------
    list of numpy.ndarray
        Index arrays; together they hold every example exactly once.
    """
    n = _positive_int("n", n)
    batch_size = _batch_size(batch_size, n)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def replacement_batches(n: int, batch_size: int, rng: np.random.Generator) -> list:
    """The batches of one epoch drawn **with** replacement: :math:`n` independent uniform indices.

    The draws are cut into the same batch sizes as :func:`epoch_batches` (so an epoch still
    takes :math:`\\lceil n/B \\rceil` steps and processes :math:`n` examples), but an example may
    appear several times, or not at all, and batches are independent of each other.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
        ``B``, in ``1..n``.
    rng : numpy.random.Generator
        Source of the draws; one call to ``rng.integers(0, n, size=n)`` per epoch.

    Returns
    -------
    list of numpy.ndarray
        Index arrays, ``n`` indices in all.
    """
    n = _positive_int("n", n)
    batch_size = _batch_size(batch_size, n)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    draws = rng.integers(0, n, size=n)
    return [draws[i : i + batch_size] for i in range(0, n, batch_size)]


#: How :func:`train` picks each epoch's batches: ``"reshuffle"`` (:func:`epoch_batches`, every
#: example once per epoch) or ``"replacement"`` (:func:`replacement_batches`, independent draws).
SAMPLING = {"reshuffle": epoch_batches, "replacement": replacement_batches}


def valid_prefix(points: np.ndarray, losses: np.ndarray, limit: float) -> int:
    """How many leading recorded points are valid: finite parameters and a finite loss of at most ``limit``.

    :func:`train` keeps these and stops the run at the first invalid one (``limit`` is
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
        random order (:func:`epoch_batches`), as training loops usually do.
        ``"replacement"``: every batch is an independent sample of uniform draws
        with replacement (:func:`replacement_batches`), the setting most
        convergence analyses assume; an "epoch" is then :math:`n` draws.

    Returns
    -------
    TrainingResult
        A diverged run (loss not finite, or more than
        ``descent.runner.DIVERGENCE_BOUND`` times its start, as in the runner) stops
        early with ``diverged=True``; no warnings are emitted.
    """
    _check_model(model)
    if not hasattr(optimizer, "step") or not hasattr(optimizer, "lr"):
        raise TypeError(f"optimizer must be an optimizer from descent.optim, got {type(optimizer).__name__}")
    epochs = _positive_int("epochs", epochs)
    n = model.n
    batch_size = _batch_size(batch_size, n)
    record_every = _positive_int("record_every", record_every)
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function t -> lr (see descent.schedules), got {schedule!r}")
    if schedule_unit not in ("step", "epoch"):
        raise ValueError(f"schedule_unit must be 'step' or 'epoch', got {schedule_unit!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    if not isinstance(sampling, str) or sampling not in SAMPLING:
        raise ValueError(f"sampling must be 'reshuffle' or 'replacement', got {sampling!r}")
    make_batches = SAMPLING[sampling]
    theta = np.array(model.start if start is None else start, dtype=float)
    if theta.shape != (model.dim,):
        raise ValueError(f"start must have shape ({model.dim},), got shape {theta.shape}")
    if not np.all(np.isfinite(theta)):
        raise ValueError("start must contain only finite numbers")

    rng = np.random.default_rng(seed)
    params = {"theta": theta}
    batch_grad = getattr(model, "_batch_grad", None) or model.grad  # unchecked fast path when available
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


def _min_value(model):
    try:
        value = model.min_value
    except (AttributeError, ValueError, NotImplementedError):
        return None
    return None if value is None else float(value)


# -- gradient noise ----------------------------------------------------------------------


def example_gradient_variance(model, theta) -> float:
    r"""Spread of the per-example gradients around the full gradient.

    .. math::

        \sigma^2(\theta) = \frac{1}{n} \sum_{i=1}^{n}
            \left\lVert \nabla \ell_i(\theta) - \nabla f(\theta) \right\rVert^2 .
    """
    _check_model(model)
    G = model.example_grads(theta)
    return float(np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1)))


def predicted_gradient_variance(model, theta, batch_size: int) -> float:
    r"""Exact variance of the mini-batch gradient for batches drawn without replacement.

    A batch of :math:`B` distinct examples drawn uniformly at random gives

    .. math::

        \mathbb{E} \left\lVert \nabla f_{\mathcal{B}}(\theta) - \nabla f(\theta) \right\rVert^2
            = \frac{\sigma^2(\theta)}{B} \cdot \frac{n - B}{n - 1},

    with :math:`\sigma^2` from :func:`example_gradient_variance`. The second
    factor is the finite-population correction: it is close to 1 for
    :math:`B \ll n` and reaches 0 at :math:`B = n`, where the "batch" is the
    whole data set and the gradient is exact.
    """
    _check_model(model)
    n = model.n
    batch_size = _batch_size(batch_size, n)
    if n == 1:
        return 0.0
    return example_gradient_variance(model, theta) / batch_size * (n - batch_size) / (n - 1)


def minibatch_gradient_variance(model, theta, batch_size: int, *, samples: int = 2000, seed: int = 0) -> float:
    r"""Measure :math:`\mathbb{E}\lVert \nabla f_{\mathcal{B}}(\theta) - \nabla f(\theta)\rVert^2` by sampling.

    Draws ``samples`` independent batches of ``batch_size`` distinct examples
    (sampling without replacement, as in one epoch of :func:`train`) and
    averages the squared distance of their gradients from the full gradient.

    Parameters
    ----------
    model : descent.models.LinearModel
        The model (its ``example_grads`` is used).
    theta : array_like, shape (d,)
        Where to measure.
    batch_size : int
        ``B`` in ``1..n``.
    samples : int, default 2000
        Number of batches drawn.
    seed : int, default 0
        Seed of the draws.

    Returns
    -------
    float
        The estimate; compare with :func:`predicted_gradient_variance`.
    """
    _check_model(model)
    n = model.n
    batch_size = _batch_size(batch_size, n)
    samples = _positive_int("samples", samples)
    G = model.example_grads(theta)  # (n, d)
    full = G.mean(axis=0)
    rng = np.random.default_rng(seed)
    total = 0.0
    chunk = max(1, 2_000_000 // n)  # keep the (chunk, n) selection matrix small
    for first in range(0, samples, chunk):
        m = min(chunk, samples - first)
        # Each row picks B distinct examples: the B smallest of n uniform keys.
        keys = rng.random((m, n))
        chosen = np.argpartition(keys, batch_size - 1, axis=1)[:, :batch_size]
        weights = np.zeros((m, n))
        np.put_along_axis(weights, chosen, 1.0 / batch_size, axis=1)
        deviations = weights @ G - full
        total += float(np.sum(deviations**2))
    return total / samples


@dataclass
class NoiseBall:
    r"""The stationary noise ball of constant-rate SGD on the quadratic model of the loss (see :func:`noise_ball`).

    Attributes
    ----------
    covariance : numpy.ndarray, shape (d, d)
        Stationary covariance :math:`\Sigma` of :math:`\theta - \theta^\star`.
    gap : float
        Expected loss gap :math:`\tfrac12 \operatorname{tr}(H\Sigma)`.
    leading_gap : float
        Its small-rate approximation :math:`\alpha\sigma^2/(4B)`.
    logit_spread : float
        Root-mean-square spread of the linear scores :math:`z_i = x_i^\top\theta` over the ball,
        :math:`\sqrt{\tfrac1n\sum_i x_i^\top \Sigma x_i}`: the quadratic model of a logistic
        loss is accurate while this is well below 1.
    """

    covariance: np.ndarray
    gap: float
    leading_gap: float
    logit_spread: float


def noise_ball(model, theta, lr: float, batch_size: int) -> NoiseBall:
    r"""The noise ball of SGD with a constant rate, for the quadratic model of the loss around ``theta``.

    Near a minimiser :math:`\theta^\star` replace the loss by its quadratic model with Hessian :math:`H`,
    and the mini-batch noise by independent draws (sampling **with** replacement) whose covariance is
    :math:`C/B`, :math:`C` the covariance of the per-example gradients at :math:`\theta^\star`
    (:math:`\operatorname{tr} C = \sigma^2`). The error :math:`\delta_t = \theta_t - \theta^\star` then obeys
    :math:`\delta_{t+1} = (I - \alpha H)\delta_t - \alpha\,\xi_t`, and its stationary covariance solves

    .. math::

        H\Sigma + \Sigma H - \alpha H \Sigma H = \frac{\alpha}{B}\, C ,

    which gives the expected loss gap :math:`\tfrac12\operatorname{tr}(H\Sigma)`; to first order in
    :math:`\alpha` this is :math:`\alpha\sigma^2/(4B)`.

    Parameters
    ----------
    model : descent.models.LinearModel
        The model (its ``hessian``, ``example_grads`` and ``X`` are used).
    theta : array_like, shape (d,)
        The minimiser :math:`\theta^\star`.
    lr : float
        The constant rate :math:`\alpha`, with :math:`0 < \alpha < 2/L` (``L`` the largest eigenvalue of
        :math:`H`) so that the quadratic model is stable.
    batch_size : int
        ``B`` in ``1..n``.

    Returns
    -------
    NoiseBall
    """
    _check_model(model)
    batch_size = _batch_size(batch_size, model.n)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0:
        raise ValueError(f"lr must be a positive number, got {lr!r}")
    hessian = model.hessian(theta)
    eigenvalues, vectors = np.linalg.eigh(hessian)
    if eigenvalues.min() <= 0 or lr * eigenvalues.max() >= 2:
        raise ValueError(
            f"lr must be below 2/L = {2 / eigenvalues.max():.4g} with a positive definite Hessian, got lr={lr}"
        )
    C = np.cov(model.example_grads(theta).T, bias=True)
    lam, other = eigenvalues[:, None], eigenvalues[None, :]
    rotated = vectors.T @ C @ vectors
    covariance = vectors @ (lr * rotated / batch_size / (lam + other - lr * lam * other)) @ vectors.T
    gap = 0.5 * float(np.sum(hessian * covariance))
    spread = float(np.sqrt(np.mean(np.einsum("ij,jk,ik->i", model.X, covariance, model.X))))
    return NoiseBall(covariance, gap, lr * float(np.trace(C)) / (4 * batch_size), spread)


# -- an exercise check -------------------------------------------------------------------


def check_sgd_epoch(sgd_epoch, *, batch_size: int = 8, lr: float = 0.1, seed: int = 3) -> bool:
    """Check a reader's implementation of one epoch of mini-batch SGD.

    ``sgd_epoch(model, theta, lr, batch_size, rng)`` must return the parameters
    after one epoch, shuffling with ``order = rng.permutation(model.n)`` and
    stepping on consecutive chunks of ``order``. It is compared with
    :func:`train` with :class:`descent.optim.SGD` on a small logistic
    regression; a friendly message explains the first difference found.

    Returns
    -------
    bool
        True when the two agree to 1e-10.
    """
    from descent.data import load
    from descent.models import LogisticRegression
    from descent.optim import SGD

    data = load("breast_cancer", features=["worst radius", "worst texture", "mean smoothness"])
    model = LogisticRegression(data.X_train[:50], data.y_train[:50], l2=0.01)
    start = np.linspace(-0.5, 0.5, model.dim)
    expected = train(model, SGD(lr=lr), epochs=1, batch_size=batch_size, seed=seed, start=start).theta
    try:
        got = sgd_epoch(model, start.copy(), lr, batch_size, np.random.default_rng(seed))
    except NotImplementedError:  # the exercise's stub, untouched
        print("✗ sgd_epoch is not implemented yet:\n  replace `raise NotImplementedError` with your code.")
        return False
    except Exception as error:  # the reader's code: report, don't crash the page
        print(f"✗ Your function raised {type(error).__name__}: {error}")
        return False
    got = np.asarray(got, dtype=float) if got is not None else None
    if got is None or got.shape != expected.shape:
        shape = None if got is None else got.shape
        print(f"✗ Your function should return the parameters, an array of shape {expected.shape}; got {shape}.")
        return False
    if np.allclose(got, expected, rtol=0, atol=1e-10):
        print(f"✓ Your epoch matches descent.training.train to 1e-10 ({-(-model.n // batch_size)} steps of B = {batch_size}).")
        return True
    hints = []
    unshuffled = np.array(start)
    for i in range(0, model.n, batch_size):
        batch = np.arange(i, min(i + batch_size, model.n))
        unshuffled = unshuffled - lr * model.grad(unshuffled, batch)
    if np.allclose(got, unshuffled, atol=1e-10):
        hints.append("it looks like the examples were visited in their stored order: shuffle with rng.permutation(model.n)")
    summed = np.array(start)
    for batch in epoch_batches(model.n, batch_size, np.random.default_rng(seed)):
        summed = summed - lr * len(batch) * model.grad(summed, batch)
    if np.allclose(got, summed, atol=1e-10):
        hints.append("the gradient should be the batch mean, not the sum: model.grad(theta, batch) already averages")
    if not hints:
        hints.append("check that every example is used once, the last (smaller) batch included, and that theta is updated after each batch")
    error = np.max(np.abs(got - expected))
    print(f"✗ Not yet: your parameters differ from descent's by up to {error:.3g}. Hint: " + "; ".join(hints) + ".")
    return False
