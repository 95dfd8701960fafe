r"""What the optimizers are run on: objectives with analytic derivatives, and models of data.

- :mod:`descent.models.objectives`: small test functions (quadratic bowls, a double well,
  a saddle, Rosenbrock, Beale) with ``value``, ``grad`` and ``hessian``.
- :mod:`descent.models.linear`: logistic regression and least squares on a data set, with
  the same interface plus mini-batches.
- :mod:`descent.models.mlp`: a multilayer perceptron (ReLU or tanh, softmax cross-entropy)
  with hand-written backpropagation, on the parameter dicts the optimizers take.
- :mod:`descent.models.ravine`: the ravine of chapters 3 and 4, rotated by any angle.
- :mod:`descent.models.noisy`: any objective with Gaussian noise added to its gradients, and a
  diagonal quadratic bowl whose gradient carries seeded Gaussian noise.
- :mod:`descent.models.scale_drop`: a gradient sequence whose scale drops part-way through (chapter 5).
- :mod:`descent.models.sparse`: a synthetic regression problem whose binary features occur
  with frequencies that span orders of magnitude.
- :mod:`descent.models.counterexamples`: functions from papers that make a method fail.

Every name is importable from :mod:`descent.models` itself, e.g.
``from descent.models import Quadratic, LogisticRegression``.
"""

from .linear import LeastSquares, LinearModel, LogisticRegression
from .mlp import MLP
from .noisy import NoisyGradients, NoisyQuadratic
from .counterexamples import PiecewiseQuadratic
from .objectives import Beale, DoubleWell, Objective, Quadratic, Quadratic1D, Rosenbrock, Saddle
from .ravine import rotated_ravine
from .scale_drop import drop_gradients
from .sparse import SparseRegression, sparse_regression

__all__ = [
    "Objective",
    "Quadratic",
    "Quadratic1D",
    "DoubleWell",
    "Saddle",
    "Rosenbrock",
    "Beale",
    "LinearModel",
    "LogisticRegression",
    "LeastSquares",
    "MLP",
    "NoisyGradients",
    "NoisyQuadratic",
    "rotated_ravine",
    "drop_gradients",
    "SparseRegression",
    "sparse_regression",
    "PiecewiseQuadratic",
]
