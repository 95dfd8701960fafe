r"""How the models are trained: batching, the training loop, early stopping, the range test.

- :mod:`descent.training.minibatch`: full-batch, stochastic and mini-batch gradient descent
  on the linear models, the gradient-noise measurements that go with it.
- :mod:`descent.training.loop`: :func:`fit`, the training loop for networks (schedules,
  reduce-on-plateau, early stopping, validation every epoch) and its :class:`History`.
- :mod:`descent.training.early_stopping`: :class:`EarlyStopping`.
- :mod:`descent.training.range_test`: :func:`lr_range_test`, the learning-rate range test.
- :mod:`descent.training.progress`: the progress bar of long runs in a live notebook.

Every name is importable from :mod:`descent.training` itself, e.g.
``from descent.training import train``.
"""

from .early_stopping import EarlyStopping
from .loop import History, fit
from .minibatch import (
    SAMPLING,
    NoiseBall,
    TrainingResult,
    check_sgd_epoch,
    epoch_batches,
    example_gradient_variance,
    minibatch_gradient_variance,
    noise_ball,
    predicted_gradient_variance,
    replacement_batches,
    train,
    valid_prefix,
)
from .range_test import RangeTest, lr_range_test

__all__ = [
    "TrainingResult",
    "epoch_batches",
    "replacement_batches",
    "SAMPLING",
    "train",
    "valid_prefix",
    "minibatch_gradient_variance",
    "predicted_gradient_variance",
    "example_gradient_variance",
    "noise_ball",
    "NoiseBall",
    "check_sgd_epoch",
    "fit",
    "History",
    "EarlyStopping",
    "lr_range_test",
    "RangeTest",
]
