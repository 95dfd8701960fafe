"""Validation helpers shared by the schedules.

Every check names the parameter and its valid range in the error message, so a
learner who moves a slider to an impossible value reads what went wrong instead
of a traceback from deep inside numpy.
"""

from __future__ import annotations

import math
import numbers


def real(name, value):
    """Return ``value`` as a finite float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number; got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return value


def positive(name, value):
    """A finite float > 0 (learning rates, decay factors, periods measured in steps)."""
    value = real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be > 0; got {value!r}")
    return value


def nonnegative(name, value):
    """A finite float >= 0."""
    value = real(name, value)
    if value < 0:
        raise ValueError(f"{name} must be >= 0; got {value!r}")
    return value


def in_range(name, value, low, high, *, low_open=False, high_open=False):
    """A finite float in the interval from ``low`` to ``high`` (closed unless told)."""
    value = real(name, value)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        raise ValueError(f"{name} must be in {left}{low!r}, {high!r}{right}; got {value!r}")
    return value


def integer(name, value, minimum):
    """An integer >= ``minimum``. Integer-valued floats such as ``100.0`` are accepted."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer >= {minimum}; got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
        value = int(value)
    else:
        raise TypeError(
            f"{name} must be an integer >= {minimum}; got {value!r} of type {type(value).__name__}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value!r}")
    return value


def choice(name, value, options):
    """One of the strings in ``options``."""
    if value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value


def step(t):
    """The step counter ``t``: an integer >= 0 (integer-valued floats accepted)."""
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
