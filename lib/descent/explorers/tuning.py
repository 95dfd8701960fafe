r"""The tuning chapter's explorer: the learning-rate range test on least squares, where :math:`2/L` is known.

:class:`RangeTestExplorer` runs :func:`descent.training.lr_range_test` with plain SGD on the diabetes data's
least squares (the chapter's quadratic) and draws the sweep with its rates in units of the stability limit
:math:`2/L`. Its controls are what moves the test's verdict: the mini-batch size (the gradient noise; the
largest value is the full batch, no noise), the smoothing :math:`\beta` and the number of steps of the sweep
(its density), and the seed of the batches.
"""

from __future__ import annotations

import numpy as np

from ..data import load
from ..figures.range_test_panel import range_test_panel
from ..models import LeastSquares
from ..optim import SGD
from ..training import lr_range_test
from .base import Explorer, float_slider, int_slider

__all__ = ["RangeTestExplorer", "EXPLORERS", "SWEEP"]

#: The ends of the sweep, 1e-5 and 100, seven decades around 2/L = 0.515, as in the chapter.
SWEEP = {"lr_min": 1e-5, "lr_max": 100.0}


class RangeTestExplorer(Explorer):
    r"""The range test on least squares (diabetes, 332 examples, 10 features), rates in units of :math:`2/L`.

    Controls: ``batch_size`` (4 to 332; 332 is the full batch, without gradient noise), ``beta`` (the
    smoothing, 0 to 0.99), ``steps`` (50 to 500 rates over the same seven decades) and ``seed``.
    """

    width, height, ncols = 7.0, 3.9, 1

    def make_controls(self):
        self.model = LeastSquares.from_dataset(load("diabetes"), fit_intercept=False)
        n = self.model.n
        return {
            "batch_size": int_slider(f"batch size ({n} = full batch)", 32, 4, n, step=4),
            "beta": float_slider("smoothing β", 0.9, 0.0, 0.99, 0.01),
            "steps": int_slider("steps in the sweep", 300, 50, 500, step=10),
            "seed": int_slider("seed of the batches", 0, 0, 9),
        }

    def setup(self):
        eigenvalues = np.linalg.eigvalsh(self.model.hessian(np.zeros(self.model.dim)))
        self.limit = 2.0 / float(eigenvalues.max())
        self.panel = range_test_panel(self.axes[0])
        self.result = None

    def dynamic_artists(self) -> list:
        return self.panel.artists

    def update(self, batch_size, beta, steps, seed):
        full = batch_size >= self.model.n
        self.result = lr_range_test(self.model, np.zeros(self.model.dim), SGD(lr=0.1), steps=int(steps),
                                    beta=float(beta), batch_size=None if full else int(batch_size), seed=int(seed),
                                    **SWEEP)
        self.panel.show(self.result, self.limit)


EXPLORERS = [RangeTestExplorer]
