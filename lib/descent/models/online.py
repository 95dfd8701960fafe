r"""Reddi, Kale and Kumar's online problem on which Adam fails to converge, and the loop that runs it.

In online optimization a new loss :math:`f_t` arrives at every step :math:`t = 1, 2, \dots`; the
learner picks :math:`x_t` in a feasible set before seeing it, and is judged by its **regret**

.. math::

    R_T = \sum_{t=1}^{T} f_t(x_t) - \min_{x} \sum_{t=1}^{T} f_t(x) .

An algorithm "converges" in this sense when :math:`R_T / T \to 0`. Reddi et al. (2018, section 3)
use the linear losses on :math:`x \in [-1, 1]`

.. math::

    f_t(x) = \begin{cases} C\,x & t \bmod 3 = 1 \\ -x & \text{otherwise} \end{cases}
    \qquad (C > 2).

Over every three steps the losses add up to :math:`(C - 2)\,x`, so the best fixed point is
:math:`x^\star = -1`. Their Theorem 1: Adam with :math:`\beta_1 = 0`, :math:`\beta_2 = 1/(1 + C^2)`
and :math:`\alpha_t = \alpha/\sqrt t`, its iterates projected onto :math:`[-1, 1]`, drifts to
:math:`x = +1`, the worst point, where the regret grows like :math:`2(C - 2)\,T/3`. With so small a
:math:`\beta_2`, :math:`v_t` forgets the rare large gradient :math:`C` within a step, so that step is
normalised to about :math:`-\alpha_t` while each of the two frequent gradients :math:`-1` moves
:math:`x` by about :math:`+\alpha_t`. AMSGrad keeps the largest :math:`v_t` seen and converges.

:func:`run_online` is the loop: at each step the optimizer's ordinary ``step`` is called with the
gradient of :math:`f_t`, and the projection onto :math:`[-1, 1]` is applied *afterwards*, as a
separate step, so the optimizer itself is unchanged. (The runner for fixed objectives is
:func:`descent.runner.run`; an online problem changes its loss every step and needs the
projection, so it has its own loop here.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from .._validation import integer, real

__all__ = ["ReddiProblem", "OnlineRun", "run_online", "theorem_rate"]


class ReddiProblem:
    r"""The losses :math:`f_t(x) = C x` when :math:`t \bmod 3 = 1`, else :math:`-x`, on :math:`x \in [-1, 1]`.

    Parameters
    ----------
    C : float, default 3.0
        The rare large gradient, > 2 (so that the best point is :math:`x^\star = -1`).

    Attributes
    ----------
    C : float
    bounds : (float, float)
        The feasible interval, (-1, 1).
    optimum : float
        :math:`x^\star = -1`.
    theorem_betas : (float, float)
        :math:`(\beta_1, \beta_2) = (0, 1/(1 + C^2))`, the setting of Reddi et al.'s Theorem 1.
    """

    bounds = (-1.0, 1.0)
    optimum = -1.0

    def __init__(self, C: float = 3.0):
        C = real("C", C, "> 2")
        if C <= 2:
            raise ValueError(f"C must be > 2 (otherwise the best point is not -1), got {C!r}")
        self.C = C

    def __repr__(self) -> str:
        return f"ReddiProblem(C={self.C!r})"

    @property
    def theorem_betas(self) -> tuple:
        return (0.0, 1.0 / (1.0 + self.C**2))

    def gradient(self, t: int) -> float:
        r"""The gradient of :math:`f_t` (the same at every x): :math:`C` if :math:`t \bmod 3 = 1`, else :math:`-1`.

        Parameters
        ----------
        t : int
            The step, >= 1.
        """
        t = integer("t", t, 1)
        return self.C if t % 3 == 1 else -1.0

    def losses(self, path) -> np.ndarray:
        r""":math:`f_t(x_t)` for :math:`t = 1, \dots, T`, where ``path`` holds :math:`x_1, \dots, x_T`."""
        x = np.asarray(path, dtype=float).reshape(-1)
        t = np.arange(1, len(x) + 1)
        return np.where(t % 3 == 1, self.C, -1.0) * x

    def regret(self, path) -> np.ndarray:
        r"""The regret :math:`R_t` after each step, against the best fixed point :math:`x^\star = -1`.

        Parameters
        ----------
        path : array_like
            :math:`x_1, \dots, x_T`: the point played at each step.

        Returns
        -------
        numpy.ndarray
            :math:`R_1, \dots, R_T`.
        """
        x = np.asarray(path, dtype=float).reshape(-1)
        return np.cumsum(self.losses(x) - self.losses(np.full_like(x, self.optimum)))

    def worst_average_regret(self) -> float:
        r"""The limit of :math:`R_T/T` for iterates that stay at :math:`x = +1`: :math:`2(C - 2)/3`."""
        return 2.0 * (self.C - 2.0) / 3.0

    def project(self, x: np.ndarray) -> np.ndarray:
        """Project ``x`` onto [-1, 1] in place and return it."""
        return np.clip(x, *self.bounds, out=x)


def theorem_rate(alpha: float) -> Callable[[int], float]:
    r"""The rate of Reddi et al.'s theorems, :math:`\alpha_t = \alpha / \sqrt{t}` for :math:`t = 1, 2, \dots`."""
    alpha = real("alpha", alpha, "> 0")
    if alpha <= 0:
        raise ValueError(f"alpha must be > 0, got {alpha!r}")
    return lambda t: alpha / math.sqrt(t)


@dataclass(frozen=True)
class OnlineRun:
    r"""The record of an online run.

    Attributes
    ----------
    path : numpy.ndarray, shape (steps + 1,)
        :math:`x_1, \dots, x_{T+1}`: ``path[0]`` is the start :math:`x_1`, ``path[t - 1]`` the point
        played at step t.
    regret : numpy.ndarray, shape (steps,)
        :math:`R_1, \dots, R_T`.
    lrs : numpy.ndarray, shape (steps,)
        The rate used at each step.
    """

    path: np.ndarray
    regret: np.ndarray
    lrs: np.ndarray

    @property
    def average_regret(self) -> np.ndarray:
        r""":math:`R_t / t` after each step."""
        return self.regret / np.arange(1, len(self.regret) + 1)

    @property
    def final(self) -> float:
        """The last iterate, :math:`x_{T+1}`."""
        return float(self.path[-1])


def run_online(problem: ReddiProblem, optimizer, steps: int, start: float = 1.0,
               schedule: Optional[Callable[[int], float]] = None) -> OnlineRun:
    r"""Play ``steps`` rounds of an online problem with an optimizer, projecting after every step.

    At step :math:`t = 1, \dots, T`: set ``optimizer.lr = schedule(t)`` (if given), call
    ``optimizer.step({"x": x}, {"x": [gradient of f_t]})``, then project x onto the feasible interval.

    Parameters
    ----------
    problem : ReddiProblem
    optimizer : descent.optim optimizer
        Used as is: pass a fresh one.
    steps : int
        :math:`T \ge 1`.
    start : float, default 1.0
        :math:`x_1`, inside the feasible interval.
    schedule : callable, optional
        ``schedule(t) -> lr`` for :math:`t = 1, 2, \dots` (note: from 1, as in the paper), e.g.
        :func:`theorem_rate`.

    Returns
    -------
    OnlineRun
    """
    steps = integer("steps", steps, 1)
    start = real("start", start)
    low, high = problem.bounds
    if not low <= start <= high:
        raise ValueError(f"start must be in [{low}, {high}], got {start!r}")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be a function of the step t; got {type(schedule).__name__}")
    x = np.array([start])
    path = np.empty(steps + 1)
    lrs = np.empty(steps)
    path[0] = start
    for t in range(1, steps + 1):
        if schedule is not None:
            optimizer.lr = float(schedule(t))
        lrs[t - 1] = optimizer.lr
        optimizer.step({"x": x}, {"x": np.array([problem.gradient(t)])})
        problem.project(x)
        path[t] = x[0]
    return OnlineRun(path=path, regret=problem.regret(path[:-1]), lrs=lrs)
