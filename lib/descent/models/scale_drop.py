r"""A gradient whose scale drops part-way through: the online problem of chapter 5.

The losses are linear, :math:`f_t(\theta) = g_t\,\theta`, with

.. math::

    g_t = 1 \quad (t < t_{\text{drop}}), \qquad g_t = 1/c \quad (t \ge t_{\text{drop}}),

the slope of a long descent that flattens by the factor :math:`c \ge 1`. Fed to an optimizer with
:func:`descent.runner.feed`, it shows how fast each method's effective rate recovers from the drop:
RMSProp's within about :math:`h \log_2(1 + c^2)` steps (:func:`descent.theory.adaptive.crossover_steps`),
AdaGrad's never. :class:`descent.explorers.adaptive.ScaleDrop` draws it.
"""

from __future__ import annotations

import numpy as np

from .._validation import at_least, integer

__all__ = ["drop_gradients"]


def drop_gradients(drop: float, steps: int = 700, drop_at: int = 100) -> np.ndarray:
    r"""The gradient sequence :math:`g_0, \dots, g_{steps-1}`: 1 for ``drop_at`` steps, then :math:`1/c`.

    Parameters
    ----------
    drop : float
        :math:`c \ge 1`, the factor by which the gradient shrinks.
    steps : int, default 700
        The length of the sequence, >= 2.
    drop_at : int, default 100
        The first step with the smaller gradient, in ``1..steps-1``.

    Returns
    -------
    numpy.ndarray, shape (steps,)
    """
    drop = at_least("drop", drop, 1.0)
    steps = integer("steps", steps, 2, floats=False)
    drop_at = integer("drop_at", drop_at, 1, steps - 1, floats=False,
                      hint=" (the drop must fall inside the sequence)")
    gradients = np.ones(steps)
    gradients[drop_at:] = 1.0 / drop
    return gradients
