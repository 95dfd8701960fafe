r"""The one shared style: colours, matplotlib settings, and a figure made in that style.

The style (:data:`STYLE`, applied by :func:`use_style`) gives every figure a solid white background, so figures
stay readable when the book is read in its dark theme, readable font sizes, and the Okabe–Ito colour cycle
(:data:`COLORS`), which stays distinguishable under the common forms of colour blindness.
"""

from __future__ import annotations

from typing import Optional

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import _validation as check

__all__ = ["COLORS", "DIVERGED_COLOR", "STYLE", "use_style", "figure"]

#: Okabe & Ito's colour-blind-safe palette (blue, vermillion, bluish green, reddish purple, orange, sky blue,
#: yellow, black), in the order used for successive curves.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

#: Colour of the "diverged" cross and of stability limits.
DIVERGED_COLOR = "#D55E00"

#: The one shared style (matplotlib rcParams).
STYLE = {
    "figure.facecolor": "white",
    "figure.edgecolor": "white",
    "savefig.facecolor": "white",
    "savefig.edgecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "font.size": 10,
    "legend.fontsize": 9,
    "legend.framealpha": 0.9,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "lines.linewidth": 1.6,
    "lines.markersize": 4,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "mathtext.fontset": "dejavusans",
}


def use_style() -> None:
    """Apply the shared style (:data:`~descent.plots.style.STYLE`) to matplotlib globally."""
    mpl.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, width: Optional[float] = None, height: float = 3.4,
           managed: bool = True, **subplot_kw):
    """A new figure in the shared style, with ``nrows`` x ``ncols`` axes.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes.
    width, height : float
        Size in inches; ``width`` defaults to 4.2 inches per column.
    managed : bool, default True
        ``True`` creates the figure through ``matplotlib.pyplot`` (a notebook shows it at the end of the cell);
        ``False`` creates a detached figure that is only shown when asked (explorers and animations use it).
    **subplot_kw
        Passed on to ``add_subplot`` (e.g. ``projection``).

    Returns
    -------
    fig, axes
        ``axes`` is a single Axes when ``nrows == ncols == 1``, otherwise an array of Axes.
    """
    nrows, ncols = check.integer("nrows", nrows, 1), check.integer("ncols", ncols, 1)
    use_style()
    size = (4.2 * ncols if width is None else width, height)
    if managed:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(nrows, ncols, figsize=size, subplot_kw=subplot_kw or None, squeeze=False)
    else:
        fig = Figure(figsize=size)
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None, squeeze=False)
    fig.patch.set_facecolor("white")
    return fig, (axes[0, 0] if nrows == ncols == 1 else axes.reshape(-1) if 1 in (nrows, ncols) else axes)
