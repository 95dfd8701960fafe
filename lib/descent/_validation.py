"""Every argument check of :mod:`descent`: hyperparameters, counts, ranges, arrays, plot windows.

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


def in_range(name, value, low, high, *, low_open=False, high_open=False, hint=""):
    """A finite float between ``low`` and ``high``, both included unless told otherwise.

    ``hint`` says why the range is what it is, e.g. ``" so that two minima exist"``.
    """
    rule = f"in {'(' if low_open else '['}{low!r}, {high!r}{')' if high_open else ']'}"
    value = real(name, value, rule)
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        raise ValueError(f"{name} must be {rule}{hint}, got {value!r}")
    return value


def at_least(name, value, minimum):
    """A finite float >= ``minimum`` (a condition number, a factor that may not shrink)."""
    value = real(name, value, f">= {minimum!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum!r}, got {value!r}")
    return value


def unit_half_open(name, value):
    """A number in [0, 1) (momentum, a beta)."""
    return in_range(name, value, 0, 1, high_open=True)


def unit_closed(name, value):
    """A number in [0, 1] (dampening, RMSProp's alpha, Adadelta's rho)."""
    return in_range(name, value, 0, 1)


def betas_pair(name, value):
    """A pair (beta1, beta2), each in [0, 1), as a tuple of floats."""
    try:
        beta1, beta2 = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (beta1, beta2), got {value!r}") from None
    return (unit_half_open(f"{name}[0] (beta1)", beta1), unit_half_open(f"{name}[1] (beta2)", beta2))


def integer(name, value, minimum, maximum=None, *, floats=True, hint=""):
    """An integer in ``minimum..maximum`` (no upper end when ``maximum`` is None).

    With ``floats=True`` integer-valued floats such as ``100.0`` are accepted (hyperparameters
    typed as ``1e3``); with ``floats=False`` any float is a ``TypeError`` (counts such as a batch
    size, where ``2.0`` is more likely a mistake). ``hint`` says what the range means, e.g.
    ``" (n = number of examples)"``, and follows the range in the message.
    """
    rule = f"an integer >= {minimum}" if maximum is None else f"an integer in {minimum}..{maximum}"
    if isinstance(value, bool):
        raise TypeError(f"{name} must be {rule}{hint}, got the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        value = int(value)
    elif isinstance(value, numbers.Real) and floats:
        if not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name} must be {rule}{hint}, got {value!r}")
        value = int(value)
    else:
        raise TypeError(f"{name} must be {rule}{hint}, got {value!r} of type {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        in_range = rule if maximum is None else f"in {minimum}..{maximum}"
        raise ValueError(f"{name} must be {in_range}{hint}, got {value!r}")
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


def generator(name, value):
    """A ``numpy.random.Generator`` (as ``np.random.default_rng(seed)`` makes)."""
    if not isinstance(value, np.random.Generator):
        raise TypeError(f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)), got {value!r}")
    return value


def batch_size(value, n, name="batch_size"):
    """A batch size ``B`` in ``1..n``, ``n`` the number of examples: an integer, never a float such as ``2.0``."""
    return integer(name, value, 1, n, floats=False, hint=" (n = number of examples)")


def interface(name, value, attributes, what):
    """``value`` if it has every one of ``attributes`` (a model, an optimizer, ...); else ``TypeError``.

    ``what`` says what ``value`` should be, e.g. ``"a model from descent.models"``.
    """
    if not all(hasattr(value, attribute) for attribute in attributes):
        listed = ", ".join(attributes[:-1]) + f" and {attributes[-1]}" if len(attributes) > 1 else attributes[0]
        raise TypeError(f"{name} must be {what} (with {listed}), got {type(value).__name__}")
    return value


def reals(name, value, low=None, high=None, *, low_open=False, high_open=False, max_ndim=None, single=False):
    """``value`` as a float array (a number gives a 0-d array), non-empty, finite and between ``low`` and ``high``.

    For the closed forms of :mod:`descent.theory`, which take numbers or arrays alike. ``low`` and ``high``
    are included unless ``low_open``/``high_open``; ``None`` leaves that end open. ``max_ndim`` limits the
    number of dimensions (1 for a list of eigenvalues). With ``single=True`` the value must be one number
    (a number, or an array holding one), returned as a float.
    """
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {value!r}") from None
    if max_ndim is not None and array.ndim > max_ndim:
        raise ValueError(f"{name} must be a number or a 1-D sequence of numbers, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} must be non-empty, got shape {array.shape}")
    if low is not None and high is not None:
        rule = f"in {'(' if low_open else '['}{low!r}, {high!r}{')' if high_open else ']'}"
    elif low is not None:
        rule = f"{'>' if low_open else '>='} {low!r}"
    elif high is not None:
        rule = f"{'<' if high_open else '<='} {high!r}"
    else:
        rule = ""
    bad = ~np.isfinite(array)
    with np.errstate(invalid="ignore"):
        if low is not None:
            bad |= array <= low if low_open else array < low
        if high is not None:
            bad |= array >= high if high_open else array > high
    if bad.any():
        every = "all " if array.ndim else ""
        raise ValueError(f"{name} must {every}be finite{' and ' + rule if rule else ''}, got {value!r}")
    if single:
        if array.size != 1:
            raise ValueError(f"{name} must be a single number here, got an array of shape {array.shape}")
        return float(array.reshape(()))
    return array


def function(name, value, what="a function"):
    """A callable (a schedule ``t -> lr``, a factory ``lr -> optimizer``); ``what`` says which."""
    if not callable(value):
        raise TypeError(f"{name} must be {what}, got {value!r} of type {type(value).__name__}")
    return value


def array(name, value, *, shape=None):
    """``value`` as a float array of real numbers (booleans and integers included), all finite.

    ``TypeError`` for anything that is not real numbers (strings, complex numbers, objects);
    ``ValueError`` for a shape other than ``shape`` (when given) or a value that is not finite.
    """
    raw = np.asarray(value)
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got {value!r}")
    values = raw.astype(float)
    if shape is not None and values.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must be finite (every entry), got {values}")
    return values


# --- arrays: data and parameter dicts (the models of descent.models and the training loop) ---------


def feature_matrix(name, X, width, dtype=None):
    """``X`` as a finite 2-D float array with ``width`` columns and at least one row.

    ``dtype`` (float32 or float64) is the precision to compute in; without it a float
    array keeps its own precision and anything else becomes float64. Raises
    ``ValueError`` naming ``name`` for the wrong number of dimensions or columns, an
    empty array, or a NaN or infinity (with the first row that holds one).
    """
    array = np.asarray(X)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (n, {width}), got shape {array.shape}")
    if array.shape[1] != width:
        raise ValueError(f"{name} must have {width} features (columns), got {array.shape[1]}")
    if array.shape[0] < 1:
        raise ValueError(f"{name} must have at least one row, got shape {array.shape}")
    if dtype is None:
        dtype = array.dtype if array.dtype.kind == "f" else np.float64
    array = np.asarray(array, dtype=dtype)
    if not np.isfinite(array).all():
        row = int(np.flatnonzero(~np.isfinite(array).all(axis=1))[0])
        raise ValueError(f"{name} must contain only finite numbers; row {row} holds NaN or inf")
    return array


def class_labels(name, y, rows, classes):
    """``y`` as an int64 array of ``rows`` class labels, each in ``[0, classes)``.

    Integer-valued floats are accepted (``3.0``); NaN, infinities, fractions, labels
    outside the range and a length other than ``rows`` raise ``ValueError`` naming
    ``name``, the first offending row and the valid range.
    """
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.shape[0] != rows:
        raise ValueError(f"{name} must be a 1-D array of {rows} labels (one per row of X), got shape {labels.shape}")
    if labels.dtype.kind == "f":
        bad = ~np.isfinite(labels)
        if bad.any():
            raise ValueError(f"{name} must hold class labels in [0, {classes}); row {int(np.argmax(bad))} is {labels[bad][0]}")
        fractional = labels != np.floor(labels)
        if fractional.any():
            row = int(np.argmax(fractional))
            raise ValueError(f"{name} must hold integer class labels in [0, {classes}); row {row} is {labels[row]}")
    elif labels.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class labels in [0, {classes}), got dtype {labels.dtype}")
    outside = (labels < 0) | (labels >= classes)
    if outside.any():
        row = int(np.argmax(outside))
        raise ValueError(f"{name} must hold class labels in [0, {classes}); row {row} is {labels[row]}")
    return labels.astype(np.int64, copy=False)


def parameter_dict(name, params, shapes):
    """Check a dict of parameter arrays against ``shapes`` (key -> shape); return its common dtype.

    Every key of ``shapes`` must be present with exactly that shape, and no other key;
    every array must be float32 or float64, all of the same dtype. A missing, extra or
    misshapen entry raises ``ValueError`` naming the key; any other dtype raises
    ``TypeError``.
    """
    if not hasattr(params, "keys") or not hasattr(params, "__getitem__"):
        raise TypeError(f"{name} must be a dict name -> numpy array, got {type(params).__name__}")
    missing = [key for key in shapes if key not in params]
    if missing:
        raise ValueError(f"{name} is missing parameter(s) {missing}; expected keys {list(shapes)}")
    extra = [key for key in params.keys() if key not in shapes]
    if extra:
        raise ValueError(f"{name} has unexpected parameter(s) {extra}; expected keys {list(shapes)}")
    dtypes = set()
    for key, shape in shapes.items():
        value = params[key]
        if not isinstance(value, np.ndarray):
            raise TypeError(f"{name}[{key!r}] must be a numpy array, got {type(value).__name__}")
        if value.shape != tuple(shape):
            raise ValueError(f"{name}[{key!r}] must have shape {tuple(shape)}, got {value.shape}")
        if value.dtype not in (np.float32, np.float64):
            raise TypeError(f"{name}[{key!r}] must be float32 or float64, got dtype {value.dtype}")
        dtypes.add(value.dtype)
    if len(dtypes) > 1:
        raise ValueError(f"{name} mixes dtypes {sorted(str(d) for d in dtypes)}; all parameters must share one")
    return dtypes.pop()
def integer_array(name, values, minimum):
    """An integer or an array of integers, each >= ``minimum``, as an int64 array (0-d for a number).

    Integer-valued floats are accepted, as in :func:`integer`. For formulas evaluated at many
    steps at once (``t = np.arange(1, 1001)``), where checking each entry with :func:`integer`
    would be slow.
    """
    array = np.asarray(values)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{name} must be an integer >= {minimum} or an array of them, got {values!r}")
    if array.size == 0:
        raise ValueError(f"{name} must not be empty")
    if np.issubdtype(array.dtype, np.floating) and not (np.all(np.isfinite(array)) and np.all(array == np.round(array))):
        raise ValueError(f"{name} must be an integer >= {minimum} or an array of them, got {values!r}")
    if np.any(array < minimum):
        raise ValueError(f"{name} must be an integer >= {minimum} (every entry), got {values!r}")
    return array.astype(np.int64)
