r"""Drawing primitives that two or more chapters share: one style, paths on contours, curves against the step.

Every figure in the book is one call from a notebook, for example::

    fig, (left, right) = plots.figure(ncols=2)
    plots.contour_paths(left, objective, [trajectory])
    plots.loss_curves(right, [trajectory])

One module per concern; every public name is importable from :mod:`descent.plots` itself:

- :mod:`~descent.plots.style`: the colours (:data:`~descent.plots.style.COLORS`), the matplotlib settings (:data:`~descent.plots.style.STYLE`) and
  :func:`figure`;
- :mod:`~descent.plots.runs`: what a figure of several runs shares: one colour and label per run
  (:func:`series`), the "diverged" cross and label, the legend;
- :mod:`~descent.plots.clipping`: :func:`clip_polyline`, paths cut at the edge of the plot window;
- :mod:`~descent.plots.contour`: contour lines of a 2-D objective (:func:`contours`, :func:`contour_grid`);
- :mod:`~descent.plots.paths`: optimization paths on contours or on a 1-D graph (:func:`contour_paths`,
  :func:`curve_paths`);
- :mod:`~descent.plots.curves`: losses, learning rates, gradient norms, step lengths and positions against
  the step (:func:`loss_curves`, :func:`lr_curve`, ...);
- :mod:`~descent.plots.rates`: gradient descent's convergence rate against the learning rate
  (:func:`rate_curve`).

A chapter's own figures are in :mod:`descent.figures`; they are built from these primitives.
The drawing functions return small handle objects (:class:`PathArtists`, :class:`LossArtists`,
:class:`RateArtists`) whose ``update(...)`` changes the drawn data in place; explorers use them to redraw
quickly.
"""

from .clipping import clip_polyline
from .contour import ContourGrid, contour_grid, contours
from .curves import (
    LOSS_CLOCKS,
    LOSS_LIMITS,
    LossArtists,
    gradient_norms,
    loss_curves,
    lr_curve,
    lr_sweep,
    position_curves,
    step_lengths,
)
from .paths import PathArtists, contour_paths, curve_paths
from .rates import RateArtists, rate_curve
from .runs import Series, add_legend, cross, diverged_label, series
from .style import COLORS, DIVERGED_COLOR, STYLE, figure, use_style

__all__ = [
    "COLORS",
    "DIVERGED_COLOR",
    "STYLE",
    "use_style",
    "figure",
    "Series",
    "series",
    "diverged_label",
    "cross",
    "add_legend",
    "clip_polyline",
    "ContourGrid",
    "contour_grid",
    "contours",
    "PathArtists",
    "contour_paths",
    "curve_paths",
    "LOSS_LIMITS",
    "LOSS_CLOCKS",
    "LossArtists",
    "loss_curves",
    "lr_curve",
    "lr_sweep",
    "gradient_norms",
    "step_lengths",
    "position_curves",
    "RateArtists",
    "rate_curve",
]
