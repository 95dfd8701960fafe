r"""How the models are trained: batching, the training loops, early stopping, the range test.

- :mod:`descent.training.batching`: how an epoch's examples are cut into mini-batches
  (:func:`epoch_batches`, :func:`replacement_batches`);
- :mod:`descent.training.minibatch`: :func:`train`, full-batch, stochastic and mini-batch
  gradient descent on the linear models with any optimizer and schedule, and the
  :class:`TrainingResult` it returns;
- :mod:`descent.training.fast`: :func:`train_sgd`, the same result as ``train`` with plain SGD,
  computed faster on a linear model (the explorers use it);
- :mod:`descent.training.loop`: :func:`fit`, the training loop for networks (schedules,
  reduce-on-plateau, early stopping, validation every epoch) and its :class:`History`;
- :mod:`descent.training.stacked`: :func:`fit_stacked`, several runs of ``fit`` that differ
  only in their seeds, computed as one stack;
- :mod:`descent.training.early_stopping`: :class:`EarlyStopping`;
- :mod:`descent.training.range_test`: :func:`lr_range_test`, the learning-rate range test;
- :mod:`descent.training.hyperparameters`: hyperparameter search on a grid or at random, coarse to fine;
- :mod:`descent.training.progress`: the progress bar of long runs in a live notebook.

The gradient noise that mini-batches bring (its variance, the noise ball) is in
:mod:`descent.theory.noise`; the exercise check of one epoch, :func:`descent.checks.check_sgd_epoch`.
Every name here is importable from :mod:`descent.training` itself, e.g.
``from descent.training import train``.
"""

from .batching import SAMPLING, epoch_batches, replacement_batches
from .early_stopping import EarlyStopping
from .fast import train_sgd
from .loop import History, fit
from .minibatch import TrainingResult, train, valid_prefix
from .hyperparameters import Search, grid_points, narrow, random_points, search
from .range_test import RangeTest, lr_range_test
from .stacked import fit_stacked

__all__ = [
    "TrainingResult",
    "train",
    "valid_prefix",
    "train_sgd",
    "epoch_batches",
    "replacement_batches",
    "SAMPLING",
    "fit",
    "fit_stacked",
    "History",
    "EarlyStopping",
    "lr_range_test",
    "RangeTest",
    "grid_points",
    "random_points",
    "narrow",
    "search",
    "Search",
]
