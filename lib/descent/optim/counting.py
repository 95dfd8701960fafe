r"""SGD with a rate per coordinate from a count of its non-zero gradients: the baseline that chapter 4 sets
against AdaGrad on sparse features (its exercise "Rare features on their own clock").

Not a ``torch.optim`` optimizer, so it is not in ``descent.optim.__all__`` (that list is the torch-parity
contract); import it as ``from descent.optim.counting import CountingSGD``.
"""

import numpy as np

from .._validation import non_negative
from .axpy import axpy_
from .base import Optimizer

__all__ = ["CountingSGD"]


class CountingSGD(Optimizer):
    r"""Gradient descent whose rate for each coordinate falls with the number of steps in which that
    coordinate's gradient was non-zero.

    .. math::

        c_{t+1} = c_t + [g_t \ne 0], \qquad
        \theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{1 + c_{t+1}}}\, g_t, \qquad c_0 = 0,

    elementwise, with :math:`[g_t \ne 0]` equal to 1 where the gradient is non-zero and 0 elsewhere. On
    sparse features :math:`c_{t,j}` counts the mini-batches that contained feature :math:`j`, so each feature
    runs on its own clock, as with AdaGrad, but without AdaGrad's measure of the gradients' size: AdaGrad adds
    :math:`g_t^2` where this adds 1.

    Parameters
    ----------
    lr : float
        :math:`\alpha`, >= 0. Default ``0.1``.
    """

    _hyperparameters = {"lr": non_negative}
    _n_scratch = 2
    _fields = ("step", "count")

    def __init__(self, lr=0.1):
        super().__init__(lr=lr)

    def _init_state(self, param):
        return {"step": 0, "count": np.zeros_like(param)}

    def _update(self, param, grad, state, scratch):
        work, tmp = scratch
        state["step"] += 1
        count = state["count"]
        count += grad != 0  # c <- c + [g != 0]
        np.add(count, 1, out=tmp)
        np.sqrt(tmp, out=tmp)
        update = np.divide(grad, tmp, out=tmp)  # g / sqrt(1 + c)
        axpy_(param, update, -self.lr)  # theta <- theta - alpha g / sqrt(1 + c)
