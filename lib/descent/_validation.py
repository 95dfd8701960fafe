"""Checks for hyperparameters, shared by :mod:`descent.optim` and :mod:`descent.schedules`
(and the plot-window check shared by :mod:`descent.plots` and :mod:`descent.models`).

Each check takes the parameter's name and the value given, and returns the value
as it is stored (a plain Python ``float``, ``int``, ``bool`` or string), or raises:
``TypeError`` for a value of the wrong kind, ``ValueError`` for one out of range.
The message names the parameter and its valid range, so a learner who moves a
slider to an impossible value reads what went wrong instead of a traceback from
deep inside numpy::

    lr must be >= 0, got -0.1
    momentum must be in [0, 1), got 1.0
    T_max must be an integer >= 1, got 0
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def real(name, value, rule=None):
    """``value`` as a finite float.

    ``rule`` (such as ``"> 0"``) is the range the caller checks next; a value that
    is not finite gets it in its message as well.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        valid = f"; {name} must be {rule}" if rule else ""
        raise ValueError(f"{name} must be finite, got {value!r}{valid}")
    return value


def positive(name, value):
    """A finite float > 0 (initial rates, decay factors, periods measured in steps)."""
    value = real(name, value, "> 0")
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return value


def non_negative(name, value):
    """A finite float >= 0 (learning rates, eps, weight decay, thresholds)."""
    value = real(name, value, ">= 0")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return value


def in_range(name, value, low, high, *, low_open=False, high_open=False):
    """A finite float between ``low`` and ``high``, both included unless told otherwise."""
    rule = f"in {'(' if low_open else '['}{low!r}, {high!r}{')' if high_open else ']'}"
    value = real(name, value, rule)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        raise ValueError(f"{name} must be {rule}, got {value!r}")
    return value


def integer(name, value, minimum):
    """An integer >= ``minimum``; integer-valued floats such as ``100.0`` are accepted."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer >= {minimum}, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
        value = int(value)
    else:
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


def flag(name, value):
    """``True`` or ``False`` (numpy booleans accepted), as a Python ``bool``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def choice(name, value, options):
    """One of the strings in ``options``."""
    if value not in options:
        listed = ", ".join(repr(option) for option in options)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def window(name, value):
    """A 2-D plot window ``((xmin, xmax), (ymin, ymax))`` as floats, finite and non-empty."""
    try:
        (xmin, xmax), (ymin, ymax) = value
        xmin, xmax, ymin, ymax = (float(v) for v in (xmin, xmax, ymin, ymax))
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be ((xmin, xmax), (ymin, ymax)), got {value!r}") from None
    if not (np.isfinite([xmin, xmax, ymin, ymax]).all() and xmin < xmax and ymin < ymax):
        raise ValueError(f"{name} must be finite with xmin < xmax and ymin < ymax, got {value!r}")
    return ((xmin, xmax), (ymin, ymax))
