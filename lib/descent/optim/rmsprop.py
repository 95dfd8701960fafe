r"""RMSProp: divide by a leaky average of squared gradients."""

import numpy as np

from .._validation import flag, non_negative, unit_closed, unit_half_open
from .axpy import axpy_
from .base import Optimizer

__all__ = ["RMSProp"]


class RMSProp(Optimizer):
    r"""RMSProp (Tieleman and Hinton, 2012), with torch's centered and momentum options.

    .. math::

        s_t = a\, s_{t-1} + (1 - a)\, g_t^2, \qquad
        \theta_{t+1} = \theta_t - \alpha\, \frac{g_t}{\sqrt{s_t} + \varepsilon}

    with :math:`a` = ``alpha`` (the decay of the average) and :math:`g_t` the gradient
    plus ``weight_decay`` times :math:`\theta_t`.  With ``centered=True`` the
    denominator is :math:`\sqrt{s_t - \bar g_t^2} + \varepsilon`, where
    :math:`\bar g_t = a\, \bar g_{t-1} + (1 - a)\, g_t` (an estimate of the variance
    instead of the raw second moment, after Graves, 2013).  With ``momentum``
    :math:`\beta > 0` the scaled gradient goes through a buffer:
    :math:`b_t = \beta\, b_{t-1} + g_t / (\sqrt{s_t} + \varepsilon)`,
    :math:`\theta_{t+1} = \theta_t - \alpha\, b_t`.

    torch equivalent: ``torch.optim.RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered)``.
    torch adds :math:`\varepsilon` outside the square root (the lecture has no
    :math:`\varepsilon` at all; some libraries put it inside the root), and starts the
    average at zero with no bias correction, so the first steps are larger than
    :math:`\alpha`: the first is :math:`\alpha / \sqrt{1 - a}` per coordinate.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0. Default ``1e-2``.
    alpha : float
        Decay :math:`a` of the squared-gradient average, in [0, 1]. Default ``0.99``.
    eps : float
        :math:`\varepsilon` >= 0. Default ``1e-8``.
    weight_decay : float
        L2 penalty coefficient, >= 0. Default ``0``.
    momentum : float
        :math:`\beta` in [0, 1). Default ``0``.
    centered : bool
        Divide by the estimated standard deviation instead of the root mean square. Default ``False``.
    maximize : bool
        Ascend instead of descend. Default ``False``.
    """

    _hyperparameters = {
        "lr": non_negative,
        "alpha": unit_closed,
        "eps": non_negative,
        "weight_decay": non_negative,
        "momentum": unit_half_open,
        "centered": flag,
        "maximize": flag,
    }
    _n_scratch = 2
    _fields = ("step", "square_avg", "grad_avg", "momentum_buffer")  # whatever centered and momentum are

    def __init__(self, lr=1e-2, *, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, maximize=False):
        super().__init__(
            lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum, centered=centered,
            maximize=maximize,
        )

    def _init_state(self, param):
        # All three buffers always exist so that a state keeps its layout if options change.
        return {
            "step": 0,
            "square_avg": np.zeros_like(param),
            "grad_avg": np.zeros_like(param),
            "momentum_buffer": np.zeros_like(param),
        }

    def _update(self, param, grad, state, scratch):
        work, tmp = scratch
        s, a = state["square_avg"], self.alpha
        g = self._gradient(param, grad, work)
        state["step"] += 1
        self._average_square(s, g, a, tmp)  # s <- a s + (1 - a) g^2
        if self.centered:
            g_avg = state["grad_avg"]
            self._lerp(g_avg, g, 1 - a, tmp)  # g_avg <- a g_avg + (1 - a) g
            avg = np.multiply(g_avg, g_avg, out=tmp)
            np.subtract(s, avg, out=avg)
            np.sqrt(avg, out=avg)
        else:
            avg = np.sqrt(s, out=tmp)
        avg += self.eps
        if self.momentum > 0:
            b = state["momentum_buffer"]
            b *= self.momentum  # b <- beta b + g / avg
            b += np.divide(g, avg, out=tmp)
            axpy_(param, b, -self.lr)  # theta <- theta - lr b
        else:
            update = np.divide(g, avg, out=tmp)
            axpy_(param, update, -self.lr)  # theta <- theta - lr g / avg
