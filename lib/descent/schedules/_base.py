"""The object every schedule function returns, and a memo for torch's recursive forms."""

from __future__ import annotations

import math
import numbers
from array import array

import numpy as np


class Schedule:
    """A learning-rate schedule: ``s(t)`` is the rate for step ``t = 0, 1, 2, ...``.

    Schedules are made by the functions of :mod:`descent.schedules` (``cosine``,
    ``step_decay``, ...), not by hand. Calling one with an integer gives a float;
    calling it with an array of integers (``s(np.arange(n))``) gives a float array of
    the same shape, equal element by element to the scalar calls.

    Its ``repr`` reads like the call that made it, e.g. ``cosine(lr0=0.1, T_max=100,
    eta_min=0.0)``, so a chapter can print a schedule to say what it is.

    :meth:`formula` gives the rate from the schedule's closed form; it differs from ``s(t)`` only for
    the schedules torch computes by a recurrence (``cosine``, ``linear``, ``polynomial``, and ``join``
    or ``warmup`` built on them), and then by rounding.
    """

    def __init__(self, name, params, lr_at, formula=None):
        self._name = name
        self._params = dict(params)
        self._lr_at = lr_at  # t -> learning rate, for an integer t >= 0
        self._formula = lr_at if formula is None else formula  # the same from the closed form

    @property
    def name(self):
        """The name of the function that made this schedule, e.g. ``"cosine"``."""
        return self._name

    @property
    def params(self):
        """A copy of the (validated) arguments this schedule was made with."""
        return dict(self._params)

    def __call__(self, t):
        """The rate for step ``t`` (an int, or an array of ints for an array of rates)."""
        return _evaluate(self._lr_at, t)

    def formula(self, t):
        r"""The rate for step ``t`` from the schedule's closed form (the formula of its docstring).

        For a schedule torch computes by updating the previous rate (cosine annealing, linear,
        polynomial), the rates ``s(t)`` replay that recurrence, to match torch to the last bit; the
        closed form gives the same rates up to rounding, :math:`|s(t) - s.\mathrm{formula}(t)| \le
        2\,t\,\varepsilon\,\eta_0` (:math:`\varepsilon` the float64 precision), except where a function's
        notes say otherwise (cosine annealing after its first period). For every other schedule
        ``s.formula(t) == s(t)``.
        """
        return _evaluate(self._formula, t)

    def __repr__(self):
        args = ", ".join(f"{key}={value!r}" for key, value in self._params.items())
        return f"{self._name}({args})"


def _evaluate(lr_at, t):
    """``lr_at(t)`` for a step ``t`` (a float) or an array of steps (a float array of the same shape)."""
    if np.ndim(t) == 0:
        return float(lr_at(_step(t)))
    steps = np.asarray(t)
    if steps.dtype.kind == "f":
        if not np.all(np.isfinite(steps)) or np.any(steps != np.floor(steps)):
            raise ValueError("t must hold non-negative integer step counts; got non-integers")
    elif steps.dtype.kind not in "iu":
        raise TypeError(f"t must hold integer step counts; got an array of dtype {steps.dtype}")
    if steps.size and steps.min() < 0:
        raise ValueError(f"t must hold non-negative step counts (t >= 0); got {steps.min().item()!r}")
    flat = [float(lr_at(int(s))) for s in steps.ravel()]
    return np.array(flat, dtype=float).reshape(steps.shape)


def _step(t):
    """The step counter ``t``: an integer >= 0 (integer-valued floats accepted).

    Checked here rather than by ``descent._validation.integer``: ``t`` is the clock, not an
    argument a reader sets, it may be a 0-d numpy array, and the messages say it is a step count.
    """
    if hasattr(t, "ndim") and t.ndim == 0 and hasattr(t, "item"):
        t = t.item()  # a 0-d numpy array
    if isinstance(t, bool) or not isinstance(t, numbers.Real):
        raise TypeError(
            f"t must be a non-negative integer step count; got {t!r} of type {type(t).__name__}"
        )
    if isinstance(t, numbers.Integral):
        t = int(t)
    elif math.isfinite(t) and float(t).is_integer():
        t = int(t)
    else:
        raise ValueError(f"t must be a non-negative integer step count; got {t!r}")
    if t < 0:
        raise ValueError(f"t must be a non-negative integer step count (t >= 0); got {t!r}")
    return t


class Recurrence:
    """The values ``x_0, x_1, ...`` of ``x_t = update(x_{t-1}, t)``, computed once and kept.

    torch computes some schedules (cosine annealing, linear, polynomial) by updating the
    previous rate rather than from a formula in ``t``. Replaying the same floating-point
    operations gives torch's numbers to the last bit. After step ``last`` (if given) the
    value no longer changes, so nothing beyond it is stored. The values are kept as
    8-byte doubles: a million steps take 8 MB.

    Every schedule made with one states its closed form next to its ``update`` and passes
    it to :class:`Schedule` (``formula``); the tests check that the two agree to rounding.
    """

    def __init__(self, first, update, last=None):
        self._values = array("d", [first])
        self._update = update
        self._last = last

    def __call__(self, t):
        if self._last is not None:
            t = min(t, self._last)
        values = self._values
        while len(values) <= t:
            values.append(self._update(values[-1], len(values)))
        return values[t]
