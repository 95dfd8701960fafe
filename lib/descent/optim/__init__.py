r"""Optimizers that match ``torch.optim`` step for step, written in numpy.

Every class takes torch's keyword names and defaults, and is used as::

    opt = Adam(lr=1e-3)
    opt.step(params, grads)   # dicts name -> array; params updated in place
    opt.lr = 5e-4             # a schedule may change the rate between steps

See :class:`descent.optim.base.Optimizer` for the rules every optimizer shares
(input checks, non-finite gradients, ``state_dict``).

Modules: one per family of update rules (``sgd``, ``adagrad``, ``rmsprop``, ``adadelta``, ``adam``),
and what they share: :mod:`~descent.optim.base` (the update contract, the :class:`Optimizer` class),
:mod:`~descent.optim.axpy` (the one-pass ``y += a * x`` most rules end with) and
:mod:`~descent.optim.state` (``state_dict`` and ``load_state_dict``).
"""

from .adadelta import Adadelta
from .adagrad import AdaGrad
from .adam import AdaMax, Adam, AdamW, NAdam, RAdam
from .base import Optimizer
from .rmsprop import RMSProp
from .sgd import SGD, Momentum, Nesterov

__all__ = [
    "Optimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "Adadelta",
    "Adam",
    "AdamW",
    "AdaMax",
    "NAdam",
    "RAdam",
]
