r"""Plain gradient descent, heavy-ball momentum and Nesterov momentum."""

import numpy as np

from .._validation import flag, non_negative, unit_closed, unit_half_open
from .axpy import axpy_
from .base import Optimizer

__all__ = ["SGD", "Momentum", "Nesterov"]


class SGD(Optimizer):
    r"""Gradient descent (Robbins and Monro, 1951; Cauchy, 1847).

    .. math::

        \theta_{t+1} = \theta_t - \alpha\, g_t,
        \qquad g_t = \nabla f(\theta_t) + \lambda_{wd}\, \theta_t

    where :math:`\lambda_{wd}` is ``weight_decay`` (an L2 term added to the gradient).

    torch equivalent: ``torch.optim.SGD(params, lr, weight_decay=..., maximize=...)``
    with ``momentum=0``.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha` (torch's default), >= 0. Default ``1e-3``.
    weight_decay : float
        L2 penalty coefficient, >= 0. Default ``0``.
    maximize : bool
        Ascend instead of descend (the gradient is negated first). Default ``False``.
    """

    _hyperparameters = {"lr": non_negative, "weight_decay": non_negative, "maximize": flag}
    _fields = ("step",)

    def __init__(self, lr=1e-3, *, weight_decay=0, maximize=False):
        super().__init__(lr=lr, weight_decay=weight_decay, maximize=maximize)

    def _init_state(self, param):
        return {"step": 0}

    def _update(self, param, grad, state, scratch):
        (work,) = scratch
        state["step"] += 1
        g = self._gradient(param, grad, work)
        axpy_(param, g, -self.lr)  # theta <- theta - lr g


class Momentum(Optimizer):
    r"""Heavy-ball momentum (Polyak, 1964), in torch's form.

    .. math::

        v_{t+1} = \beta\, v_t + (1 - d)\, g_t, \qquad
        \theta_{t+1} = \theta_t - \alpha\, v_{t+1}

    with :math:`\beta` = ``momentum``, :math:`d` = ``dampening`` and
    :math:`g_t` the gradient plus ``weight_decay`` times :math:`\theta_t`.

    torch equivalent: ``torch.optim.SGD(params, lr, momentum, dampening, weight_decay)``.

    Differences from the papers: the very first step sets :math:`v_1 = g_0`
    (no dampening on it), and the rate multiplies the velocity
    (:math:`v = \beta v + g,\ \theta \mathrel{-}= \alpha v`) rather than entering it
    (:math:`v = \beta v - \alpha g,\ \theta \mathrel{+}= v`, as in Sutskever et al., 2013).
    The two forms agree while :math:`\alpha` is constant and differ once a
    schedule changes it.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0. Default ``1e-3``.
    momentum : float
        :math:`\beta` in [0, 1).  Default ``0.9`` (torch's SGD defaults to 0, which
        is plain SGD; this class exists for momentum, so it takes the usual 0.9).
    dampening : float
        :math:`d` in [0, 1]. Default ``0``.
    weight_decay : float
        L2 penalty coefficient, >= 0. Default ``0``.
    maximize : bool
        Ascend instead of descend. Default ``False``.
    """

    _hyperparameters = {
        "lr": non_negative,
        "momentum": unit_half_open,
        "dampening": unit_closed,
        "weight_decay": non_negative,
        "maximize": flag,
    }
    _fields = ("step", "momentum_buffer")  # the buffer exists (zero) from the start; step 1 overwrites it

    def __init__(self, lr=1e-3, *, momentum=0.9, dampening=0, weight_decay=0, maximize=False):
        super().__init__(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, maximize=maximize)

    def _init_state(self, param):
        return {"step": 0, "momentum_buffer": np.zeros_like(param)}

    def _update(self, param, grad, state, scratch):
        (work,) = scratch
        g = self._gradient(param, grad, work)
        v = self._accumulate(state["momentum_buffer"], g, first=state["step"] == 0)  # v <- beta v + (1 - d) g
        state["step"] += 1
        axpy_(param, v, -self.lr)  # theta <- theta - lr v

    def _accumulate(self, v, g, first):
        """The momentum buffer update in place, shared with Nesterov; the first step copies g. Returns ``v``."""
        if first:
            v[...] = g  # v_1 = g_0, no dampening
        else:
            v *= self.momentum
            axpy_(v, g, 1 - self.dampening)  # torch: buf.mul_(momentum).add_(g, alpha=1 - dampening)
        return v


class Nesterov(Momentum):
    r"""Nesterov momentum (Nesterov, 1983) in the form of Sutskever et al. (2013), as torch does it.

    .. math::

        v_{t+1} = \beta\, v_t + g_t, \qquad
        \theta_{t+1} = \theta_t - \alpha\, (g_t + \beta\, v_{t+1})

    with :math:`g_t` the gradient (plus ``weight_decay`` times :math:`\theta_t`)
    at the current point.  This is the "look-ahead" method
    :math:`v_{t+1} = \beta v_t - \alpha \nabla f(\theta_t + \beta v_t)`,
    :math:`\theta_{t+1} = \theta_t + v_{t+1}` rewritten in the variable
    :math:`\theta + \beta v`, so that only the gradient at the stored point is needed.

    torch equivalent: ``torch.optim.SGD(params, lr, momentum, nesterov=True, weight_decay)``.
    As in torch the first step sets :math:`v_1 = g_0`, and ``dampening`` must be 0
    and ``momentum`` positive.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\alpha`, >= 0. Default ``1e-3``.
    momentum : float
        :math:`\beta` in (0, 1). Default ``0.9``.
    dampening : float
        Must be 0 (kept for torch's signature). Default ``0``.
    weight_decay : float
        L2 penalty coefficient, >= 0. Default ``0``.
    maximize : bool
        Ascend instead of descend. Default ``False``.
    """

    _n_scratch = 2

    def _update(self, param, grad, state, scratch):
        work, tmp = scratch
        g = self._gradient(param, grad, work)
        v = self._accumulate(state["momentum_buffer"], g, first=state["step"] == 0)  # v <- beta v + g
        state["step"] += 1
        np.copyto(tmp, g)
        direction = axpy_(tmp, v, self.momentum)  # g + beta v
        axpy_(param, direction, -self.lr)  # theta <- theta - lr (g + beta v)

    def _check_combination(self):
        if self.momentum <= 0:
            raise ValueError(f"Nesterov needs momentum in (0, 1), got momentum={self.momentum}")
        if self.dampening != 0:
            raise ValueError(f"Nesterov needs dampening=0 (as torch requires), got dampening={self.dampening}")
