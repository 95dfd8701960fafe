r"""The root locus of heavy-ball momentum: where the two eigenvalues of one direction go as :math:`\alpha\lambda` grows.

Along an eigen-direction with curvature :math:`\lambda`, momentum's iteration matrix has the eigenvalues

.. math::

    z^2 - (1 + \beta - \alpha\lambda)\,z + \beta = 0, \qquad z_1 z_2 = \beta, \qquad z_1 + z_2 = 1 + \beta - \alpha\lambda .

At :math:`\alpha\lambda = 0` they are 1 and :math:`\beta`. As :math:`\alpha\lambda` grows they move towards each other
on the real axis and meet at :math:`\sqrt\beta` when :math:`\alpha\lambda = (1-\sqrt\beta)^2` (critical damping);
between :math:`(1-\sqrt\beta)^2` and :math:`(1+\sqrt\beta)^2` they are complex conjugates with product
:math:`\beta`, so they travel round the circle of radius :math:`\sqrt\beta`; they meet again at :math:`-\sqrt\beta`
and split along the negative real axis, one of them leaving the unit circle at :math:`-1` when
:math:`\alpha\lambda = 2 + 2\beta`. The rate along the direction is the larger modulus.

:func:`root_locus` draws this, one panel per :math:`\beta`; :func:`locus_points` computes what it draws.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
from .. import plots
from ..theory import momentum as theory

__all__ = ["locus_points", "root_locus"]


def locus_points(beta, steps: int = 400, overshoot: float = 1.15):
    r"""The values of :math:`\alpha\lambda` and the two roots that :func:`root_locus` draws for one :math:`\beta`.

    Parameters
    ----------
    beta : float
        The momentum :math:`\beta`, in (0, 1).
    steps : int, default 400
        Number of values of :math:`\alpha\lambda`, spaced evenly from 0 to ``overshoot`` times the
        stability limit :math:`2 + 2\beta`, with the three special values
        :math:`(1 \mp \sqrt\beta)^2` and :math:`2 + 2\beta` included exactly.
    overshoot : float, default 1.15
        How far past the stability limit the sweep goes (>= 1).

    Returns
    -------
    alpha_lambda : numpy.ndarray, shape (m,)
    roots : numpy.ndarray, complex, shape (m, 2)
        The roots for each value, larger modulus first.
    """
    beta = check.in_range("beta", beta, 0.0, 1.0, low_open=True, high_open=True)
    steps = check.integer("steps", steps, 10)
    overshoot = check.in_range("overshoot", overshoot, 1.0, 10.0)
    limit = 2 + 2 * beta
    special = [(1 - np.sqrt(beta)) ** 2, (1 + np.sqrt(beta)) ** 2, limit]
    alpha_lambda = np.unique(np.concatenate([np.linspace(0, overshoot * limit, steps), special]))
    alpha_lambda = alpha_lambda[alpha_lambda > 0]
    return alpha_lambda, theory.eigenvalues(alpha_lambda, beta, 1.0)


def _draw(ax, beta, steps, vmax):
    alpha_lambda, roots = locus_points(beta, steps)
    angle = np.linspace(0, 2 * np.pi, 361)
    ax.plot(np.cos(angle), np.sin(angle), color="#888888", linewidth=0.8, linestyle="--",
            label="unit circle: stability")
    r = np.sqrt(beta)
    ax.plot(r * np.cos(angle), r * np.sin(angle), color=plots.COLORS[4], linewidth=1.0, linestyle=":",
            label=r"radius $\sqrt{\beta}$")
    limit = 2 + 2 * beta
    for k in range(2):
        points = ax.scatter(roots[:, k].real, roots[:, k].imag, c=alpha_lambda,
                            cmap="viridis", vmin=0, vmax=vmax, s=6, zorder=3)
    marks = [(0.0, "o", r"$\alpha\lambda = 0$: roots $1, \beta$"),
             ((1 - r) ** 2, "s", r"critical: $(1-\sqrt{\beta})^2$"),
             ((1 + r) ** 2, "D", r"critical: $(1+\sqrt{\beta})^2$"),
             (limit, "X", r"limit $2 + 2\beta$")]
    for value, marker, label in marks:
        z = theory.eigenvalues(max(value, 1e-300), beta, 1.0) if value > 0 else np.array([1.0, beta])
        ax.scatter(np.real(z), np.imag(z), marker=marker, s=42, facecolor="white", edgecolor="black",
                   zorder=4, label=label)
    ax.set_aspect("equal")
    ax.set_xlim(-1.6, 1.25)
    ax.set_ylim(-1.15, 1.15)
    ax.set_xlabel("real part of z")
    ax.set_ylabel("imaginary part of z")
    ax.set_title(rf"$\beta = {beta:g}$")
    return points


def root_locus(betas=(0.5, 0.9), steps: int = 400):
    r"""One panel per :math:`\beta`: both roots in the complex plane as :math:`\alpha\lambda` sweeps past :math:`2+2\beta`.

    The colour of a point is its :math:`\alpha\lambda` (colour bar); open markers show the start, the two
    critical values and the stability limit; the dotted circle has radius :math:`\sqrt\beta`, the dashed one is
    the unit circle.

    Parameters
    ----------
    betas : sequence of float, default (0.5, 0.9)
        Momenta in (0, 1), one panel each.
    steps : int, default 400
        Number of values of :math:`\alpha\lambda` per panel.

    Returns
    -------
    fig, axes : the figure and a list of its panels' axes.
    """
    betas = [check.in_range("betas", b, 0.0, 1.0, low_open=True, high_open=True) for b in np.atleast_1d(betas)]
    fig, axes = plots.figure(ncols=len(betas), width=4.3 * len(betas) + 0.9, height=4.0)
    axes = list(np.atleast_1d(axes))
    vmax = 1.15 * (2 + 2 * max(betas))   # the sweep's end for the largest beta: one colour scale for all panels
    for ax, beta in zip(axes, betas):
        points = _draw(ax, beta, steps, vmax)
    bar = fig.colorbar(points, ax=axes, shrink=0.8)
    bar.set_label(r"$\alpha\lambda$")
    axes[0].legend(loc="lower left", fontsize=7)
    return fig, axes
