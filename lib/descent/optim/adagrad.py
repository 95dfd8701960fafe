r"""AdaGrad: per-coordinate rates from the sum of squared gradients."""

import numpy as np

from .._validation import flag, non_negative
from .axpy import axpy_
from .base import Optimizer

__all__ = ["AdaGrad"]


class AdaGrad(Optimizer):
    r"""AdaGrad (Duchi, Hazan and Singer, 2011), as torch does it.

    .. math::

        s_{t+1} = s_t + g_t^2, \qquad
        \theta_{t+1} = \theta_t - \frac{\alpha_t}{\sqrt{s_{t+1}} + \varepsilon}\, g_t,
        \qquad \alpha_t = \frac{\alpha}{1 + t\,k}

    with :math:`s_0` = ``initial_accumulator_value``, :math:`k` = ``lr_decay``,
    :math:`t = 0, 1, \dots` the step count and :math:`g_t` the gradient plus
    ``weight_decay`` times :math:`\theta_t`.  The effective rate
    :math:`\alpha_t / (\sqrt{s_{t+1}} + \varepsilon)` of each coordinate never increases.

    torch equivalent: ``torch.optim.Adagrad(params, lr, lr_decay, weight_decay,
    initial_accumulator_value, eps)``.  torch adds :math:`\varepsilon` outside the square
    root (the paper's diagonal form writes :math:`\delta + \sqrt{s_t}` too); ``lr_decay``
    is torch's addition.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0. Default ``1e-2``.
    lr_decay : float
        :math:`k` >= 0. Default ``0``.
    weight_decay : float
        L2 penalty coefficient, >= 0. Default ``0``.
    initial_accumulator_value : float
        :math:`s_0` >= 0. Default ``0``.
    eps : float
        :math:`\varepsilon` >= 0. Default ``1e-10``.
    maximize : bool
        Ascend instead of descend. Default ``False``.
    """

    _hyperparameters = {
        "lr": non_negative,
        "lr_decay": non_negative,
        "weight_decay": non_negative,
        "initial_accumulator_value": non_negative,
        "eps": non_negative,
        "maximize": flag,
    }
    _n_scratch = 2

    _fields = ("step", "sum")

    def __init__(self, lr=1e-2, *, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, maximize=False):
        super().__init__(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )

    def _init_state(self, param):
        return {"step": 0, "sum": np.full_like(param, self.initial_accumulator_value)}

    def _update(self, param, grad, state, scratch):
        work, tmp = scratch
        s = state["sum"]
        g = self._gradient(param, grad, work)
        lr_t = self.lr / (1 + state["step"] * self.lr_decay)  # alpha_t
        state["step"] += 1
        s += np.multiply(g, g, out=tmp)  # s <- s + g^2
        std = np.sqrt(s, out=tmp)
        std += self.eps  # sqrt(s) + eps
        update = np.divide(g, std, out=tmp)
        axpy_(param, update, -lr_t)  # theta <- theta - alpha_t g / (sqrt(s) + eps)
