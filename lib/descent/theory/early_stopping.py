r"""Early stopping as regularisation: gradient descent stopped after :math:`\tau` steps against ridge.

Least squares, :math:`f(\theta) = \frac{1}{2n}\lVert X\theta - y\rVert^2`, has the Hessian
:math:`H = X^\top X / n = \sum_i \lambda_i u_i u_i^\top` and the minimiser :math:`\theta^\star`.
Both methods below shrink :math:`\theta^\star` **eigen-direction by eigen-direction**: along
:math:`u_i` each keeps a fraction, its *filter*, of the coefficient
:math:`u_i^\top\theta^\star`.

**Gradient descent from** :math:`\theta_0 = 0`. The error obeys
:math:`\theta_{t+1} - \theta^\star = (I - \alpha H)(\theta_t - \theta^\star)`, so after
:math:`\tau` steps :math:`\theta_\tau = \bigl(I - (I - \alpha H)^\tau\bigr)\theta^\star`:

.. math::

    \phi^{\text{GD}}_\tau(\lambda) = 1 - (1 - \alpha\lambda)^\tau .

**Ridge** with strength :math:`c` minimises :math:`f(\theta) + \tfrac c2\lVert\theta\rVert^2`, so
:math:`(H + cI)\,\theta_c = X^\top y / n = H\theta^\star`:

.. math::

    \phi^{\text{ridge}}_c(\lambda) = \frac{\lambda}{\lambda + c} .

**The link.** For :math:`\alpha\lambda \ll 1`, :math:`(1 - \alpha\lambda)^\tau \approx
e^{-\tau\alpha\lambda}`. Write :math:`x = \tau\alpha\lambda` and choose :math:`c = 1/(\tau\alpha)`:
then :math:`\phi^{\text{GD}} \approx 1 - e^{-x}` and :math:`\phi^{\text{ridge}} = x / (1 + x)`.
Both are :math:`x + O(x^2)` for small :math:`x` (directions far flatter than :math:`c` are
not fitted), both tend to 1 for large :math:`x` (directions far steeper are fitted fully),
and in between they differ by at most :math:`0.2036`, at :math:`x \approx 2.51`
(:func:`largest_gap`). Stopping after :math:`\tau` steps therefore acts like ridge with
strength about :math:`1/(\tau\alpha)`: the longer the run, the weaker the regularisation
(Goodfellow, Bengio and Courville, 2016, section 7.8).

With a finite :math:`\alpha\lambda = a \in (0, 1)`, :math:`e^{-x/(1-a)} \le (1-a)^\tau \le e^{-x}`,
so the gap of the discrete filters is bounded by :func:`largest_gap` of the largest
:math:`a` among the directions (0.2036 as :math:`a \to 0`, 0.226 at :math:`a = 0.1`).
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as check

__all__ = ["gradient_descent_filter", "ridge_filter", "matching_strength", "filter_gap", "largest_gap"]


def _steps(steps):
    values = check.reals("steps", steps, 0)
    if np.any(values != np.round(values)):
        raise ValueError(f"steps must be whole numbers >= 0, got {steps!r}")
    return values


def _alpha_lambda(alpha, eigenvalues):
    alpha = check.reals("alpha", alpha, 0, low_open=True)
    eigenvalues = check.reals("eigenvalues", eigenvalues, 0, max_ndim=1)
    products = alpha[..., None] * eigenvalues if alpha.ndim else alpha * eigenvalues
    if np.any(products > 2):
        raise ValueError(f"alpha * eigenvalues must be at most 2 (gradient descent's stability limit), got up to {products.max()!r}")
    return products


def gradient_descent_filter(alpha, steps, eigenvalues):
    r"""The share of :math:`u_i^\top\theta^\star` fitted after ``steps`` = :math:`\tau` steps from 0:
    :math:`1 - (1 - \alpha\lambda_i)^\tau`.

    Parameters
    ----------
    alpha : float
        The learning rate, :math:`0 < \alpha\lambda_i \le 2`.
    steps : int or array of int
        :math:`\tau \ge 0`; an array gives one row per entry.
    eigenvalues : float or 1-D array
        The Hessian's eigenvalues :math:`\lambda_i \ge 0`.

    Returns
    -------
    numpy.ndarray
        Shape ``steps.shape + eigenvalues.shape``.
    """
    products = _alpha_lambda(alpha, eigenvalues)
    tau = _steps(steps)
    return 1.0 - (1.0 - products) ** tau[..., None] if tau.ndim else 1.0 - (1.0 - products) ** tau


def ridge_filter(strength, eigenvalues):
    r"""The share of :math:`u_i^\top\theta^\star` ridge keeps at strength :math:`c`: :math:`\lambda_i/(\lambda_i + c)`.

    ``strength`` may be an array (one row per entry); :math:`c > 0`.
    """
    c = check.reals("strength", strength, 0, low_open=True)
    eigenvalues = check.reals("eigenvalues", eigenvalues, 0, max_ndim=1)
    c = c[..., None] if c.ndim else c
    return eigenvalues / (eigenvalues + c)


def matching_strength(alpha, steps):
    r"""The ridge strength that early stopping after :math:`\tau` steps at rate :math:`\alpha` resembles,
    :math:`c = 1/(\tau\alpha)` (``steps >= 1``)."""
    alpha = check.reals("alpha", alpha, 0, low_open=True)
    tau = _steps(steps)
    if np.any(tau < 1):
        raise ValueError(f"steps must be >= 1 for a matching strength (tau = 0 is infinitely strong), got {steps!r}")
    strength = 1.0 / (tau * alpha)
    return float(strength) if strength.ndim == 0 else strength


def filter_gap(alpha, steps, eigenvalues):
    r""":math:`\phi^{\text{GD}}_\tau(\lambda_i) - \phi^{\text{ridge}}_c(\lambda_i)` with :math:`c = 1/(\tau\alpha)` (``steps >= 1``)."""
    return gradient_descent_filter(alpha, steps, eigenvalues) - ridge_filter(
        matching_strength(alpha, steps), eigenvalues)


def largest_gap(alpha_lambda=0.0):
    r"""The largest possible gap between the two filters, and where it is.

    The supremum over :math:`x \ge 0` of :math:`1 - e^{-x/(1-a)} - x/(1+x)`, with
    :math:`a` = ``alpha_lambda`` the largest :math:`\alpha\lambda_i` (the module docstring):
    an upper bound on :func:`filter_gap` over every :math:`\tau` and every direction with
    :math:`\alpha\lambda_i \le a`. For :math:`a = 0` (the limit of small steps) it is
    :math:`0.2036`, at :math:`x = 2.513`, the root of :math:`x = 2\ln(1 + x)`.

    Parameters
    ----------
    alpha_lambda : float, default 0
        :math:`a \in [0, 0.5]`.

    Returns
    -------
    (float, float)
        The gap and the :math:`x = \tau\alpha\lambda` at which it is reached.
    """
    a = check.in_range("alpha_lambda", alpha_lambda, 0.0, 0.5)
    k = 1.0 / (1.0 - a)
    # The maximum solves k e^{-kx} = (1+x)^{-2}, i.e. h(x) = ln k - kx + 2 ln(1+x) = 0, on the branch where
    # h decreases (x > 2/k - 1); h is positive at the start of that branch and negative at x = 50.
    low, high = max(2.0 / k - 1.0, 0.0), 50.0
    for _ in range(200):
        middle = 0.5 * (low + high)
        if math.log(k) - k * middle + 2.0 * math.log1p(middle) > 0:
            low = middle
        else:
            high = middle
    x = 0.5 * (low + high)
    return 1.0 - math.exp(-k * x) - x / (1.0 + x), x
