r"""Chapter 2's figures: stochastic and mini-batch gradient descent.

:func:`variance_by_batch_size` draws the measured mini-batch gradient variance against the batch size, with
the laws :math:`\sigma^2/B` and :math:`\sigma^2/B \cdot (n - B)/(n - 1)`.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from ..plots import COLORS

__all__ = ["variance_by_batch_size"]


def variance_by_batch_size(ax, batch_sizes, measured, sigma2: float, n: int, samples: Optional[int] = None):
    r"""Measured mini-batch gradient variance against the batch size, with the two laws, on log–log axes.

    Draws :math:`\sigma^2/B` (dashed grey), the exact law for batches without replacement
    :math:`\sigma^2/B \cdot (n - B)/(n - 1)` (solid) for :math:`B = 1, \dots, n - 1`, and the measurements
    (dots).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    batch_sizes : array_like of int
        The batch sizes measured, in ``1..n-1``.
    measured : array_like
        The measured variances, one per batch size (e.g. from ``descent.training.minibatch_gradient_variance``).
    sigma2 : float
        The per-example gradient variance :math:`\sigma^2` (> 0).
    n : int
        Number of examples (>= 2).
    samples : int, optional
        How many batches each measurement drew (for the legend).

    Returns
    -------
    list of matplotlib.lines.Line2D
        The plain law, the corrected law and the measurements.
    """
    sizes = np.asarray(batch_sizes, dtype=float)
    values = np.asarray(measured, dtype=float)
    if sizes.ndim != 1 or sizes.shape != values.shape or sizes.size == 0:
        raise ValueError(f"batch_sizes and measured must be 1-D of the same length; got {sizes.shape} and "
                         f"{values.shape}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2; got {n!r}")
    if not (np.all(sizes >= 1) and np.all(sizes < n)):
        raise ValueError(f"batch_sizes must lie in 1..{n - 1}; got {sizes.tolist()}")
    if not (np.isfinite(sigma2) and sigma2 > 0):
        raise ValueError(f"sigma2 must be a positive number; got {sigma2!r}")
    grid = np.arange(1, n)
    plain, = ax.plot(grid, sigma2 / grid, "--", color="#888888", label=r"$\sigma^2 / B$")
    corrected, = ax.plot(grid, sigma2 / grid * (n - grid) / (n - 1), color=COLORS[0],
                         label=r"$\sigma^2 / B \cdot (n - B)/(n - 1)$")
    dots, = ax.plot(sizes, values, "o", color=COLORS[1],
                    label="measured" if samples is None else f"measured ({samples} batches)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"$\mathbb{E}\,\Vert g_{\mathcal{B}} - \nabla f\Vert^2$")
    ax.legend(loc="best")
    return [plain, corrected, dots]
