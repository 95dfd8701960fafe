r"""The convergence rate of gradient descent on a quadratic against the learning rate, from the closed form."""

from __future__ import annotations

import numpy as np

from ..theory import gradient_descent as theory
from .style import COLORS, DIVERGED_COLOR

__all__ = ["RateArtists", "rate_curve"]


class RateArtists:
    r"""The artists of a :func:`rate_curve`; ``update(eigenvalues)`` redraws them for other eigenvalues.

    Attributes
    ----------
    components : list of matplotlib.lines.Line2D
        :math:`|1 - \alpha\lambda_i|`, one per eigenvalue.
    rate : matplotlib.lines.Line2D
        :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|`.
    limit, best : matplotlib.lines.Line2D
        Vertical lines at the stability limit :math:`2/L` and at :math:`\alpha^\star = 2/(\mu + L)`.
    """

    def __init__(self, ax, lrs, components, rate, limit, best):
        self.ax, self.lrs = ax, lrs
        self.components, self.rate, self.limit, self.best = components, rate, limit, best

    @property
    def artists(self) -> list:
        return [*self.components, self.rate, self.limit, self.best]

    def update(self, eigenvalues) -> None:
        values = np.sort(np.asarray(eigenvalues, dtype=float))
        for line, value in zip(self.components, values[[0, -1]]):
            line.set_ydata(np.abs(1 - self.lrs * value))
        self.rate.set_ydata(theory.convergence_rate(self.lrs, values))
        limit, best = theory.stability_limit(values), theory.optimal_learning_rate(values)
        self.limit.set_xdata([limit, limit])
        self.best.set_xdata([best, best])


def rate_curve(ax, eigenvalues, lrs=None, ymax: float = 2.0, legend: bool = True) -> RateArtists:
    r"""The convergence rate :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|` of gradient descent on a quadratic.

    Draws :math:`|1 - \alpha\mu|` and :math:`|1 - \alpha L|` (thin), their maximum :math:`\rho` (thick), the
    line :math:`\rho = 1` above which descent diverges, the stability limit :math:`2/L` and the best rate
    :math:`\alpha^\star = 2/(\mu + L)`, against :math:`\alpha` on a log axis.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    eigenvalues : array_like
        Hessian eigenvalues, all > 0.
    lrs : array_like, optional
        The α grid; by default 300 log-spaced values from :math:`10^{-2}/L` to :math:`4/L`.
    ymax : float, default 2.0
        Upper y limit.
    legend : bool, default True

    Returns
    -------
    RateArtists
    """
    values = np.sort(np.asarray(eigenvalues, dtype=float))
    theory.convergence_rate(1.0, values)  # validates the eigenvalues
    if lrs is None:
        lrs = np.geomspace(1e-2 / values[-1], 4 / values[-1], 300)
    lrs = np.asarray(lrs, dtype=float)
    ax.set_xscale("log")
    ax.axhspan(1, max(ymax, 1) + 1, color=DIVERGED_COLOR, alpha=0.08, lw=0, zorder=0)
    ax.axhline(1, color=DIVERGED_COLOR, lw=1, zorder=1)
    components = []
    names = [r"$|1-\alpha\mu|$", r"$|1-\alpha L|$"] if len(values) > 1 else []
    for value, name, color in zip(values[[0, -1]] if len(values) > 1 else [], names, [COLORS[5], COLORS[4]]):
        line, = ax.plot(lrs, np.abs(1 - lrs * value), lw=1.0, ls="-", color=color, label=name)
        components.append(line)
    rate, = ax.plot(lrs, theory.convergence_rate(lrs, values), color="black", lw=2.0,
                    label=r"rate $\rho(\alpha)$")
    limit = ax.axvline(theory.stability_limit(values), color=DIVERGED_COLOR, ls="--", lw=1.3,
                       label="stability limit 2/L")
    best = ax.axvline(theory.optimal_learning_rate(values), color=COLORS[2], ls=":", lw=1.6,
                      label=r"best $\alpha^\star = 2/(\mu+L)$")
    handles = RateArtists(ax, lrs, components, rate, limit, best)
    handles.update(values)
    ax.set_xlim(lrs[0], lrs[-1])
    ax.set_ylim(0, ymax)
    ax.set_xlabel(r"learning rate $\alpha$")
    ax.set_ylabel(r"per-step rate $\rho$")
    ax.text(0.02, 0.97, r"$\rho > 1$: diverges", transform=ax.transAxes, va="top", fontsize=9,
            color=DIVERGED_COLOR)
    if legend:
        ax.legend(loc="lower left", fontsize=8)
    return handles
