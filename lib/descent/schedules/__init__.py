r"""Learning-rate schedules that match ``torch.optim.lr_scheduler`` step for step.

Each function returns a :class:`Schedule` ``s``: ``s(t)`` is the rate for step
``t = 0, 1, 2, ...`` and equals torch's ``scheduler.get_last_lr()[0]`` after ``t``
calls of ``scheduler.step()`` (so ``s(0)`` is the initial rate). ``s`` also accepts an
array of steps, ``s(np.arange(n))``. :class:`ReduceLROnPlateau` depends on a metric
rather than on ``t`` and is a small stateful object instead.

=================  ==================================================  ==============================
schedule           what it does                                        torch
=================  ==================================================  ==============================
constant           the same rate throughout                            (no scheduler)
step_decay         times ``gamma`` every ``step_size`` steps           ``StepLR``
multistep          times ``gamma`` at each milestone                   ``MultiStepLR``
exponential        times ``gamma`` every step                          ``ExponentialLR``
inverse_time       ``lr0 / (1 + k t)``                                 (Keras ``InverseTimeDecay``)
polynomial         polynomial decay to zero                            ``PolynomialLR``
linear             linear change between two factors                   ``LinearLR``
cosine             cosine annealing                                    ``CosineAnnealingLR``
cosine_restarts    cosine annealing with warm restarts (SGDR)          ``CosineAnnealingWarmRestarts``
cyclic             triangular cycles                                   ``CyclicLR``
one_cycle          the one-cycle policy                                ``OneCycleLR``
join               schedules one after another at given steps          ``SequentialLR``
warmup             linear warmup in front of any schedule              ``SequentialLR`` + ``LinearLR``
inverse_sqrt       Transformer warmup then ``1/sqrt(t)``               (fairseq ``inverse_sqrt``)
=================  ==================================================  ==============================
"""

from ._base import Schedule
from .cosine import cosine, cosine_restarts
from .cyclic import cyclic, one_cycle
from .join import join
from .decay import constant, exponential, inverse_time, linear, multistep, polynomial, step_decay
from .plateau import ReduceLROnPlateau
from .warmup import inverse_sqrt, warmup

__all__ = [
    "Schedule",
    "constant",
    "step_decay",
    "multistep",
    "exponential",
    "inverse_time",
    "polynomial",
    "linear",
    "cosine",
    "cosine_restarts",
    "cyclic",
    "one_cycle",
    "join",
    "warmup",
    "inverse_sqrt",
    "ReduceLROnPlateau",
]
