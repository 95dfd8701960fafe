r"""Gradient noise of mini-batch SGD: its variance on a model of data, the noise ball it causes, the noise floor.

A mini-batch gradient :math:`g = \nabla f_{\mathcal{B}}(\theta)` is an unbiased estimate of the full gradient
:math:`\nabla f(\theta)`. How far it strays is set by the spread of the per-example gradients,

.. math::

    \sigma^2(\theta) = \frac{1}{n} \sum_{i=1}^{n}
        \left\lVert \nabla \ell_i(\theta) - \nabla f(\theta) \right\rVert^2

(:func:`example_gradient_variance`), divided by the batch size (:func:`predicted_gradient_variance`, exact
for batches drawn without replacement, and :func:`minibatch_gradient_variance`, which measures it by
sampling). With a constant rate, this noise keeps SGD in a **noise ball** around the minimiser, whose size
the quadratic model of the loss gives in closed form (:func:`noise_ball`).

The same noise on a quadratic whose gradients carry independent noise (:class:`descent.models.NoisyQuadratic`)
gives the **noise floor** in closed form. With :math:`f(\theta) = \tfrac12\theta^\top H\theta` and
:math:`g_t = H\theta_t + \xi_t`, the :math:`\xi_t` independent with mean 0 and covariance :math:`C/B`
(:math:`\sigma^2 = \operatorname{tr} C`), SGD's error obeys
:math:`\theta_{t+1} = (I - \alpha H)\theta_t - \alpha\xi_t`, and its covariance converges (for
:math:`\alpha L < 2`) to the solution of

.. math::

    \Sigma = (I - \alpha H)\,\Sigma\,(I - \alpha H) + \frac{\alpha^2}{B} C
    \quad\Longleftrightarrow\quad
    H\Sigma + \Sigma H - \alpha H\Sigma H = \frac{\alpha}{B} C .

Its trace, :math:`2\operatorname{tr}(H\Sigma) - \alpha\operatorname{tr}(H\Sigma H) = \alpha\sigma^2/B`, gives the
stationary loss gap

.. math::

    \mathbb E f = \tfrac12\operatorname{tr}(H\Sigma)
    = \frac{\alpha\sigma^2}{4B} + \frac{\alpha}{4}\operatorname{tr}(H\Sigma H)
    = \frac{\alpha\sigma^2}{4B}\,\bigl(1 + O(\alpha L)\bigr).

:func:`noise_floor` is the first term; :func:`stationary_gap` is the exact value when :math:`H` and
:math:`C` are diagonal in the same basis, for SGD and for heavy-ball momentum :math:`\beta`, whose first-order
floor is that of SGD at the rate :math:`\alpha/(1-\beta)`. These two follow the names of
:mod:`descent.theory`: the rate ``alpha`` first, the momentum ``beta`` next, the eigenvalues last.

The functions of the noise ball take a model of :mod:`descent.models` with ``example_grads`` (the linear
models); the functions of the noise floor take numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import _validation as check

__all__ = [
    "example_gradient_variance",
    "predicted_gradient_variance",
    "minibatch_gradient_variance",
    "NoiseBall",
    "noise_ball",
    "noise_floor",
    "stationary_gap",
]


def example_gradient_variance(model, theta) -> float:
    r"""Spread of the per-example gradients around the full gradient.

    .. math::

        \sigma^2(\theta) = \frac{1}{n} \sum_{i=1}^{n}
            \left\lVert \nabla \ell_i(\theta) - \nabla f(\theta) \right\rVert^2 .
    """
    check.interface("model", model, ("value", "grad", "n", "dim"), "a model from descent.models")
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
    check.interface("model", model, ("value", "grad", "n", "dim"), "a model from descent.models")
    n = model.n
    batch_size = check.batch_size(batch_size, n)
    if n == 1:
        return 0.0
    return example_gradient_variance(model, theta) / batch_size * (n - batch_size) / (n - 1)


def minibatch_gradient_variance(model, theta, batch_size: int, *, samples: int = 2000, seed: int = 0) -> float:
    r"""Measure :math:`\mathbb{E}\lVert \nabla f_{\mathcal{B}}(\theta) - \nabla f(\theta)\rVert^2` by sampling.

    Draws ``samples`` independent batches of ``batch_size`` distinct examples
    (sampling without replacement, as in one epoch of :func:`descent.training.train`) and
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
    check.interface("model", model, ("value", "grad", "n", "dim"), "a model from descent.models")
    n = model.n
    batch_size = check.batch_size(batch_size, n)
    samples = check.integer("samples", samples, 1, floats=False)
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


def noise_ball(model, theta, alpha: float, batch_size: int) -> NoiseBall:
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
    alpha : float
        The constant rate :math:`\alpha`, with :math:`0 < \alpha < 2/L` (``L`` the largest eigenvalue of
        :math:`H`) so that the quadratic model is stable.
    batch_size : int
        ``B`` in ``1..n``.

    Returns
    -------
    NoiseBall
    """
    check.interface("model", model, ("value", "grad", "n", "dim"), "a model from descent.models")
    batch_size = check.batch_size(batch_size, model.n)
    alpha = check.positive("alpha", alpha)
    hessian = model.hessian(theta)
    eigenvalues, vectors = np.linalg.eigh(hessian)
    if eigenvalues.min() <= 0 or alpha * eigenvalues.max() >= 2:
        raise ValueError(
            f"alpha must be below 2/L = {2 / eigenvalues.max():.4g} with a positive definite Hessian, got alpha={alpha}"
        )
    C = np.cov(model.example_grads(theta).T, bias=True)
    lam, other = eigenvalues[:, None], eigenvalues[None, :]
    rotated = vectors.T @ C @ vectors
    covariance = vectors @ (alpha * rotated / batch_size / (lam + other - alpha * lam * other)) @ vectors.T
    gap = 0.5 * float(np.sum(hessian * covariance))
    spread = float(np.sqrt(np.mean(np.einsum("ij,jk,ik->i", model.X, covariance, model.X))))
    return NoiseBall(covariance, gap, alpha * float(np.trace(C)) / (4 * batch_size), spread)


def noise_floor(alpha, sigma2, batch_size=1) -> float:
    r"""The first-order noise floor of constant-rate SGD: :math:`\mathbb E f \approx \alpha\sigma^2/(4B)`.

    Parameters
    ----------
    alpha : float
        The learning rate :math:`\alpha > 0`.
    sigma2 : float
        The variance :math:`\sigma^2 \ge 0` of one gradient draw (the trace of its covariance).
    batch_size : int, default 1
        B, the number of independent draws averaged per step.
    """
    alpha = check.positive("alpha", alpha)
    sigma2 = check.non_negative("sigma2", sigma2)
    batch_size = check.integer("batch_size", batch_size, 1)
    return alpha * sigma2 / (4 * batch_size)


def stationary_gap(alpha, beta, noise_variances, eigenvalues, batch_size=1) -> float:
    r"""The exact stationary loss gap :math:`\mathbb E f` of SGD (``beta = 0``) or heavy-ball momentum on a noisy quadratic.

    For a diagonal Hessian :math:`\operatorname{diag}(\lambda_i)` and independent noise of variance
    :math:`s_i^2/B` in direction i, direction i of heavy-ball momentum (torch's form,
    :math:`v \leftarrow \beta v + g`, :math:`\theta \leftarrow \theta - \alpha v`) is the AR(2) process
    :math:`x_{t+1} = (1 + \beta - \alpha\lambda_i)x_t - \beta x_{t-1} - \alpha\xi_t`, whose stationary
    variance is

    .. math::

        \operatorname{Var} x_i = \frac{(1+\beta)\,\alpha\, s_i^2/B}{(1-\beta)\,\lambda_i\,(2 + 2\beta - \alpha\lambda_i)},
        \qquad
        \mathbb E f = \sum_i \tfrac12\lambda_i \operatorname{Var} x_i
        = \sum_i \frac{\alpha'\, s_i^2}{2B\,\bigl(2 - \alpha\lambda_i/(1+\beta)\bigr)}
        \ \text{ with } \alpha' = \frac{\alpha}{1-\beta};

    :math:`\beta = 0` gives SGD, :math:`\sum_i \alpha s_i^2 / (2B(2 - \alpha\lambda_i))`. To first order in
    :math:`\alpha` this is :math:`\alpha'\sigma^2/(4B)`: momentum's floor is SGD's at the rate
    :math:`\alpha/(1-\beta)`.

    Parameters
    ----------
    alpha : float
        :math:`\alpha > 0`, below the stability limit :math:`(2 + 2\beta)/L`.
    beta : float
        The momentum :math:`\beta` in [0, 1); 0 for SGD.
    noise_variances : float or sequence of float
        :math:`s_i^2 \ge 0`, the variance of one draw's noise in each direction (one number for all).
    eigenvalues : float or sequence of float
        The curvatures :math:`\lambda_i > 0`.
    batch_size : int, default 1
        B.
    """
    alpha = check.positive("alpha", alpha)
    beta = check.in_range("beta", beta, 0.0, 1.0, high_open=True)
    batch_size = check.integer("batch_size", batch_size, 1)
    lam = np.atleast_1d(check.reals("eigenvalues", eigenvalues, 0, low_open=True, max_ndim=1))
    s2 = check.reals("noise_variances", noise_variances, 0, max_ndim=1)
    if s2.ndim == 0:
        s2 = np.full(lam.shape, float(s2))
    if s2.shape != lam.shape:
        raise ValueError(
            f"noise_variances must be one number or {lam.size} numbers (one per eigenvalue); got {noise_variances!r}"
        )
    limit = (2 + 2 * beta) / lam.max()
    if alpha >= limit:
        raise ValueError(f"alpha must be below the stability limit (2 + 2 beta)/L = {limit:.6g}; got {alpha!r}")
    variance = (1 + beta) * alpha * s2 / batch_size / ((1 - beta) * lam * (2 + 2 * beta - alpha * lam))
    return float(np.sum(0.5 * lam * variance))
