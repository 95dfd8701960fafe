r"""SWATS (Keskar and Socher, 2017): start with Adam, switch to SGD with momentum when a rule says so.

The rule, as published (Algorithm 1 of "Improving Generalization Performance by Switching from Adam to
SGD", arXiv:1712.07628), with :math:`k = 1, 2, \dots` counting steps and one learning-rate estimate for
all the parameters together (the dot products run over every parameter):

Adam phase
    .. math::

        m_k = \beta_1 m_{k-1} + (1-\beta_1) g_k, \qquad a_k = \beta_2 a_{k-1} + (1-\beta_2) g_k^2,

        p_k = -\alpha\, \frac{\sqrt{1-\beta_2^k}}{1-\beta_1^k}\, \frac{m_k}{\sqrt{a_k} + \varepsilon},
        \qquad w_k = w_{k-1} + p_k .

    If :math:`p_k^\top g_k \ne 0`, the SGD rate whose step, projected onto :math:`p_k`, would equal
    :math:`p_k`:

    .. math::

        \gamma_k = \frac{p_k^\top p_k}{-p_k^\top g_k}, \qquad
        \lambda_k = \beta_2 \lambda_{k-1} + (1-\beta_2)\, \gamma_k .

    **Switch** when :math:`k > 1` and :math:`\bigl|\lambda_k/(1-\beta_2^k) - \gamma_k\bigr| < \varepsilon`:
    the bias-corrected average of the estimates agrees with the latest one to within
    :math:`\varepsilon`. Then :math:`\Lambda = \lambda_k/(1-\beta_2^k)` and :math:`v = 0`. (One
    addition to the published rule: it does not fire while :math:`\Lambda \le 0`, which can happen
    when momentum carries a step uphill, :math:`p_k^\top g_k > 0`; SGD cannot use such a rate.)

SGD phase (every later step)
    .. math::

        v_k = \beta_1 v_{k-1} + g_k, \qquad w_k = w_{k-1} - (1-\beta_1)\,\Lambda\, v_k ,

    which is :class:`descent.optim.Momentum` with ``lr`` :math:`= (1-\beta_1)\Lambda` and ``momentum``
    :math:`= \beta_1`.

The paper uses one :math:`\varepsilon = 10^{-9}` both in Adam's denominator and as the switching
tolerance; here they are ``eps`` and ``tolerance``, both ``1e-9`` by default. The tolerance is an
*absolute* difference between two learning rates, so whether the rule fires depends on the scale of
:math:`\gamma_k`; with :math:`10^{-9}` it needs the estimate to have settled almost exactly.

How it is built: the Adam phase is :class:`descent.optim.epsilon_hat.AdamEpsilonHat` (the paper's
:math:`\varepsilon` placement, above) and the SGD phase is :class:`descent.optim.Momentum`; this class
adds only the rule. :math:`p_k` is read off as the change in the parameters (so it carries the rounding
of one addition). Changing ``lr`` (a schedule) changes :math:`\alpha` before the switch; after it, the
SGD rate is :math:`(1-\beta_1)\Lambda` times ``lr`` divided by the ``lr`` at the switch, so a schedule
that divides ``lr`` by 10 divides both phases' rates by 10.

SWATS is not in torch.optim; this class is not exported by :mod:`descent.optim` (import it from
:mod:`descent.optim.swats`) and has no ``state_dict``.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import betas_pair, non_negative
from .epsilon_hat import AdamEpsilonHat
from .sgd import Momentum

__all__ = ["SWATS"]


class SWATS:
    r"""Adam that switches to SGD with momentum by Keskar and Socher's rule (see the module docstring).

    Parameters
    ----------
    lr : float
        Adam's :math:`\alpha \ge 0`. Default ``1e-3``.
    betas : tuple
        :math:`(\beta_1, \beta_2)`, each in [0, 1). Default ``(0.9, 0.999)``.
    eps : float
        :math:`\varepsilon \ge 0` in Adam's denominator. Default ``1e-9`` (the paper's).
    tolerance : float
        The switching tolerance :math:`\varepsilon \ge 0` of the rule. Default ``1e-9`` (the paper's).

    Attributes
    ----------
    phase : str
        ``"adam"`` or ``"sgd"``.
    switched_at : int or None
        The step k at which the rule fired (the last Adam step), or None.
    sgd_lr : float or None
        :math:`\Lambda`, the estimated SGD learning rate, once switched.
    step_count : int
        Steps taken, k.
    gammas, estimates : list of float
        :math:`\gamma_k` and :math:`\lambda_k/(1-\beta_2^k)` at each Adam step with
        :math:`p_k^\top g_k \ne 0` (``nan`` otherwise), for plotting the rule.
    """

    def __init__(self, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-9, tolerance=1e-9):
        self._adam = AdamEpsilonHat(lr=lr, betas=betas, eps=eps)
        self.betas = betas_pair("betas", betas)
        self.tolerance = non_negative("tolerance", tolerance)
        self.phase = "adam"
        self.switched_at = None
        self.sgd_lr = None
        self.step_count = 0
        self.gammas: list = []
        self.estimates: list = []
        self._lambda = 0.0
        self._sgd = None
        self._lr_at_switch = None

    @property
    def lr(self) -> float:
        """Adam's learning rate :math:`\\alpha` (a schedule may change it between steps)."""
        return self._adam.lr

    @lr.setter
    def lr(self, value) -> None:
        self._adam.lr = value  # checked by the optimizer (a number >= 0)
        if self._sgd is not None:
            self._sgd.lr = (1 - self.betas[0]) * self.sgd_lr * self._adam.lr / self._lr_at_switch

    def __repr__(self) -> str:
        where = "adam" if self.phase == "adam" else f"sgd since step {self.switched_at}, Λ = {self.sgd_lr:.4g}"
        return f"SWATS(lr={self.lr!r}, betas={self.betas!r}, tolerance={self.tolerance!r}; {where})"

    def step(self, params, grads) -> None:
        """One step of the current phase, updating ``params`` in place (dicts as for every optimizer)."""
        self.step_count += 1
        if self.phase == "sgd":
            self._sgd.step(params, grads)
            return
        before = {key: np.array(value, copy=True) for key, value in params.items()}
        self._adam.step(params, grads)  # checks params and grads
        k, (beta1, beta2) = self.step_count, self.betas
        p_dot_p = p_dot_g = 0.0
        for key, param in params.items():
            p = (param - before[key]).astype(float).reshape(-1)
            p_dot_p += float(p @ p)
            p_dot_g += float(p @ np.asarray(grads[key], dtype=float).reshape(-1))
        if p_dot_g == 0 or not math.isfinite(p_dot_g):
            self.gammas.append(math.nan)
            self.estimates.append(math.nan)
            return
        gamma = p_dot_p / -p_dot_g
        self._lambda = beta2 * self._lambda + (1 - beta2) * gamma
        estimate = self._lambda / (1 - beta2**k)
        self.gammas.append(gamma)
        self.estimates.append(estimate)
        if k > 1 and abs(estimate - gamma) < self.tolerance and estimate > 0:
            self.phase, self.switched_at, self.sgd_lr = "sgd", k, estimate
            self._lr_at_switch = self._adam.lr
            self._sgd = Momentum(lr=(1 - beta1) * estimate, momentum=beta1)  # v = 0: a fresh buffer
