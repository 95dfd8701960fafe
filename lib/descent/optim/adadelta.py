r"""Adadelta: RMSProp with a running average of squared updates as the numerator."""

import numpy as np

from .._validation import flag, non_negative, unit_closed
from .axpy import axpy_
from .base import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012), with torch's learning-rate multiplier.

    .. math::

        s_t = \rho\, s_{t-1} + (1 - \rho)\, g_t^2, \qquad
        \Delta_t = \frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{s_t + \varepsilon}}\, g_t,

        u_t = \rho\, u_{t-1} + (1 - \rho)\, \Delta_t^2, \qquad
        \theta_{t+1} = \theta_t - \alpha\, \Delta_t

    with :math:`g_t` the gradient plus ``weight_decay`` times :math:`\theta_t`.
    The ratio of the two root-mean-squares has the units of :math:`\theta`, which is
    Zeiler's argument for needing no learning rate.

    torch equivalent: ``torch.optim.Adadelta(params, lr, rho, eps, weight_decay)``.
    The paper has no :math:`\alpha`; torch multiplies the step by ``lr``, whose
    default 1.0 gives the paper's method.  :math:`\varepsilon` sits inside both square
    roots, as in the paper.

    Parameters
    ----------
    lr : float
        Multiplier :math:`\alpha` of the step, >= 0. Default ``1.0``.
    rho : float
        Decay :math:`\rho` of both averages, in [0, 1]. Default ``0.9``.
    eps : float
        :math:`\varepsilon` >= 0. Default ``1e-6``.
    weight_decay : float
        L2 penalty coefficient, >= 0. Default ``0``.
    maximize : bool
        Ascend instead of descend. Default ``False``.
    """

    _hyperparameters = {
        "lr": non_negative,
        "rho": unit_closed,
        "eps": non_negative,
        "weight_decay": non_negative,
        "maximize": flag,
    }
    _n_scratch = 3

    _fields = ("step", "square_avg", "acc_delta")

    def __init__(self, lr=1.0, *, rho=0.9, eps=1e-6, weight_decay=0, maximize=False):
        super().__init__(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)

    def _init_state(self, param):
        return {"step": 0, "square_avg": np.zeros_like(param), "acc_delta": np.zeros_like(param)}

    def _update(self, param, grad, state, scratch):
        work, tmp, delta = scratch
        s, u, rho = state["square_avg"], state["acc_delta"], self.rho
        g = self._gradient(param, grad, work)
        state["step"] += 1
        self._average_square(s, g, rho, tmp)  # s <- rho s + (1 - rho) g^2
        std = np.add(s, self.eps, out=tmp)
        np.sqrt(std, out=std)  # sqrt(s + eps)
        np.add(u, self.eps, out=delta)
        np.sqrt(delta, out=delta)  # sqrt(u + eps)
        delta /= std
        delta *= g  # Delta = sqrt(u + eps) / sqrt(s + eps) * g
        self._average_square(u, delta, rho, tmp)  # u <- rho u + (1 - rho) Delta^2
        axpy_(param, delta, -self.lr)  # theta <- theta - lr Delta
