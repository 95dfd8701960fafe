r"""How the models are trained: batching and the training loop.

- :mod:`descent.training.minibatch`: full-batch, stochastic and mini-batch gradient descent
  on the linear models, the gradient-noise measurements that go with it.

Every name is importable from :mod:`descent.training` itself, e.g.
``from descent.training import train``.
"""

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
]
