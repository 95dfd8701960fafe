r"""The shared machinery of every optimizer in :mod:`descent.optim`.

An optimizer here is a small object that owns a learning rate, a few
hyperparameters and, per parameter, the state its update rule needs (a momentum
buffer, moment estimates, a step counter).  It never sees a model: ``step``
receives a dict of parameter arrays and a dict of gradient arrays with the same
keys, and updates the parameter arrays in place.

Everything the subclasses share lives here: checking hyperparameters, checking
parameters and gradients, the ``lr`` attribute, scratch buffers, saving and
restoring state, and :func:`axpy_`, the one-pass ``y += a * x`` with which most
update rules end.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np

from .._validation import in_range, non_negative

__all__ = ["Optimizer", "axpy_"]

FORMAT_VERSION = 1


# --- hyperparameter checks -------------------------------------------------------
# Each check takes (name, value) and returns the value as stored (a plain Python
# number, bool or tuple), or raises ValueError/TypeError naming the hyperparameter
# and its valid range.  The general ones (non_negative, flag) come from
# descent._validation, shared with the schedules.


def unit_half_open(name, value):
    """A number in [0, 1) (momentum, a beta)."""
    return in_range(name, value, 0, 1, high_open=True)


def unit_closed(name, value):
    """A number in [0, 1] (dampening, RMSProp's alpha, Adadelta's rho)."""
    return in_range(name, value, 0, 1)


def betas_pair(name, value):
    """A pair (beta1, beta2), each in [0, 1)."""
    try:
        beta1, beta2 = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (beta1, beta2), got {value!r}") from None
    return (unit_half_open(f"{name}[0] (beta1)", beta1), unit_half_open(f"{name}[1] (beta2)", beta2))


# --- y += a * x in one pass ----------------------------------------------------------


def axpy_(y, x, a):
    r"""Add ``a * x`` to ``y`` in place, in one pass over memory; return ``y``.

    .. math::

        y \leftarrow y + a\, x

    This is the shape of most final updates, :math:`\theta \leftarrow \theta - \alpha\, g`
    with ``y`` the parameter, ``x`` the gradient (or velocity, or scaled step) and
    ``a`` = :math:`-\alpha`.  torch does it in one fused pass
    (``param.add_(x, alpha=a)``); numpy alone needs two (``a * x`` into a scratch
    buffer, then the addition), which for plain SGD takes about twice as long.  BLAS's
    ``axpy`` routine is that fused pass: SciPy's ``saxpy`` (float32) or ``daxpy``
    (float64), which update ``y`` in place.  As in torch, the product and the sum
    are rounded once (fused multiply-add, in the BLAS kernels for current x86
    CPUs), so the result can differ from numpy's two-pass ``y += a * x`` in the
    last bit.

    BLAS is used when ``y`` and ``x`` are both C-contiguous, aligned arrays of at
    least one dimension, with the same shape and the same dtype (native float32
    or float64), ``y`` is writeable, the two do not share memory, and
    ``a != 0``.  In every other case (a 0-d array, a strided view, mixed dtypes,
    overlapping arrays, a broadcast ``x``) the update is numpy's
    ``y += a * x`` with the product computed in ``y``'s dtype, the same result up
    to that last bit; numpy's floating-point warnings then follow the caller's
    ``numpy.errstate`` (the optimizers silence them), where BLAS never warns.
    ``a = 0`` goes to numpy because BLAS skips the work when ``a`` is zero,
    whereas ``0 * inf = nan`` must still reach ``y``, as it does in torch.

    Threads: the BLAS bundled with SciPy may split one call on a large array
    (more than about 10,000 entries) over several threads.  This function does
    not change any thread setting; set ``OPENBLAS_NUM_THREADS`` before Python
    starts, or use ``threadpoolctl``, to control it.

    Parameters
    ----------
    y : numpy.ndarray
        Updated in place (float32 or float64 for the BLAS path).
    x : numpy.ndarray
        Same shape as ``y`` (any array numpy can broadcast on the numpy path).
    a : float
        The scalar multiplier of ``x``.

    Returns
    -------
    numpy.ndarray
        ``y`` itself.
    """
    a = float(a)
    if _blas_applies(y, x, a):
        _blas_axpy(y.dtype)(x.reshape(-1), y.reshape(-1), a=a)  # writes into y's memory
    else:
        y += np.multiply(x, a, dtype=y.dtype.type)  # the product in y's precision, as on the BLAS path
    return y


_BLAS_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # native byte order only


def _blas_applies(y, x, a):
    """Whether ``axpy_`` may hand ``y`` and ``x`` to BLAS (see its docstring)."""
    if a == 0 or type(y) is not np.ndarray or type(x) is not np.ndarray:
        return False
    if y.dtype not in _BLAS_DTYPES or x.dtype != y.dtype or x.shape != y.shape:
        return False
    if y.ndim == 0 or not 0 < y.size < 2**31:  # BLAS counts entries in 32 bits
        return False
    fy, fx = y.flags, x.flags
    return (
        fy.c_contiguous and fx.c_contiguous and fy.aligned and fx.aligned and fy.writeable
        and not np.may_share_memory(x, y)
    )


@functools.cache
def _blas_axpy(dtype):
    """SciPy's ``saxpy`` or ``daxpy`` for ``dtype``.

    Imported on first use: ``scipy.linalg`` takes a noticeable fraction of a
    second to import, which ``import descent`` should not pay.
    """
    from scipy.linalg.blas import daxpy, saxpy

    return saxpy if dtype == np.float32 else daxpy


# --- the base class ------------------------------------------------------------------


class Optimizer:
    r"""Base class: hyperparameters, input checks, scratch buffers and state.

    Parameters and gradients
        ``step(params, grads)`` takes two dicts with the same keys.  Each
        parameter must be a floating-point ``numpy.ndarray`` (float32 or float64);
        it is updated in place.  An integer (or complex, or non-array) parameter
        raises ``TypeError``.  A gradient may be anything ``numpy.asarray``
        accepts with the parameter's shape and a floating-point dtype; a gradient
        of another floating dtype (say float64 for a float32 parameter) is
        converted to the parameter's dtype before use, so the arithmetic is
        always done in the parameter's precision.  An integer, boolean or
        complex gradient raises ``TypeError`` (as an integer parameter does):
        it is almost always a bug upstream, and torch refuses it too.  A
        gradient that shares memory with its parameter (passing the same array
        as both) is copied first, since the parameter changes during the update.  A missing or extra gradient key, or a shape mismatch, raises
        ``ValueError`` naming the key.  Once the optimizer holds state, the
        parameter keys must stay the same.

    Non-finite gradients
        They are not caught: as in ``torch.optim``, a ``nan`` or ``inf`` in a
        gradient flows through the update into the state and the parameters
        (an ``inf`` gradient in Adam gives ``inf/inf = nan``; in SGD an
        ``inf`` parameter).  Divergence is therefore visible, never hidden.
        No numpy warning is emitted either (the update runs under
        ``numpy.errstate(all="ignore")``): detecting divergence is the caller's
        job (``descent.runner`` stops a run when the loss is no longer finite).

    Learning rate
        ``opt.lr`` may be changed between steps; that is how a schedule drives
        the optimizer.  Every hyperparameter is checked when it is set.
        Setting any other public attribute (``SGD().momentum = 0.9``, a typo
        such as ``opt.learning_rate``) raises ``AttributeError`` listing the
        hyperparameters, instead of being silently ignored.

    State
        ``state_dict()`` returns a flat dict of plain numbers, strings and numpy
        arrays (savable with ``numpy.savez`` and loadable with
        ``numpy.load(..., allow_pickle=False)``) holding the class name, the
        hyperparameters (so a resume restores ``lr``) and each parameter's
        state.  ``load_state_dict`` restores it; a state from another optimizer
        class, for other keys or shapes, or whose per-parameter fields are not
        exactly those the class keeps, is refused with ``ValueError`` before
        anything changes.  Each class keeps a fixed set of fields per
        parameter, created at the first step (momentum buffers included, as
        zeros, even though the first step overwrites them); only ``Adam``'s and
        ``AdamW``'s depend on a hyperparameter: ``amsgrad=True`` adds
        ``max_exp_avg_sq``.  Switching such a hyperparameter between steps adds
        the new field as in a fresh state (the running maximum starts at zero)
        or drops the unused one.

    Subclasses declare ``_hyperparameters`` (name → check) and ``_fields`` (the
    per-parameter state names), set the hyperparameters in ``__init__``, and
    implement ``_init_state`` and ``_update``.
    """

    #: name -> check function; filled in by each subclass.
    _hyperparameters: dict = {"lr": non_negative}
    #: number of full-size scratch arrays a subclass needs per parameter.
    _n_scratch: int = 1
    #: per-parameter state entries that are plain numbers (the rest are arrays).
    _scalar_state: tuple = ("step",)
    #: every per-parameter state entry, by name; see ``_state_fields``.
    _fields: tuple = ("step",)

    def __init__(self, **hyperparameters):
        object.__setattr__(self, "_ready", False)
        for name, value in hyperparameters.items():
            setattr(self, name, value)
        self._check_combination()
        self.state: dict[str, dict] = {}
        self._scratch: dict[str, list[np.ndarray]] = {}
        object.__setattr__(self, "_ready", True)

    # -- hyperparameters ------------------------------------------------------------

    def __setattr__(self, name, value):
        check = type(self)._hyperparameters.get(name)
        if check is not None:
            value = check(name, value)
            old = self.__dict__.get(name)
            object.__setattr__(self, name, value)
            if self._ready:
                try:
                    self._check_combination()
                except ValueError:
                    object.__setattr__(self, name, old)  # refused: keep the previous value
                    raise
                self._match_state_fields()
            return
        if self.__dict__.get("_ready") and not name.startswith("_") and name not in ("state",):
            raise AttributeError(
                f"{type(self).__name__} has no hyperparameter {name!r}; "
                f"its hyperparameters are {', '.join(type(self)._hyperparameters)}"
            )
        object.__setattr__(self, name, value)

    def _check_combination(self):
        """Checks that involve several hyperparameters (overridden where needed)."""

    def _state_fields(self) -> tuple:
        """The names of the state each parameter has, for the current hyperparameters.

        The class attribute ``_fields`` by default; a class whose state depends on
        a hyperparameter (``Adam`` with ``amsgrad``) overrides this.  It always
        equals the keys of ``_init_state``; ``load_state_dict`` requires exactly
        these fields for every parameter.
        """
        return type(self)._fields

    def _match_state_fields(self):
        """After a hyperparameter changed: give each parameter's state the fields it now needs.

        A field that appears (``amsgrad`` switched on) starts as in a fresh state
        (a running maximum from zero); one that is no longer used is dropped.
        """
        fields = set(self._state_fields())
        for key, state in self.state.items():
            if set(state) != fields:
                like = next(v for v in state.values() if isinstance(v, np.ndarray))
                fresh = self._init_state(like)
                self.state[key] = {f: state[f] if f in state else fresh[f] for f in fresh}

    @property
    def hyperparameters(self):
        """The current hyperparameters, by their torch keyword names."""
        return {name: getattr(self, name) for name in type(self)._hyperparameters}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters.items())
        return f"{type(self).__name__}({args})"

    # -- the step ---------------------------------------------------------------------

    def step(self, params, grads):
        """Update every array in ``params`` in place, using ``grads``.

        Parameters
        ----------
        params : dict
            Name -> float32 or float64 ``numpy.ndarray``, updated in place.
        grads : dict
            The same names -> gradient arrays of the same shapes.
        """
        for key, param, grad in self._checked(params, grads):
            state = self.state.get(key)
            if state is None:
                state = self.state[key] = self._init_state(param)
            scratch = self._scratch.get(key)
            if scratch is None or scratch[0].shape != param.shape or scratch[0].dtype != param.dtype:
                scratch = self._scratch[key] = [np.empty_like(param) for _ in range(self._n_scratch)]
            with np.errstate(all="ignore"):  # nan/inf propagate silently, as in torch
                self._update(param, grad, state, scratch)

    def _init_state(self, param: np.ndarray) -> dict:
        raise NotImplementedError

    def _update(self, param, grad, state, scratch) -> None:
        raise NotImplementedError

    def _checked(self, params, grads):
        if not isinstance(params, Mapping):
            raise TypeError(f"params must be a dict name -> numpy array, got {type(params).__name__}")
        if not isinstance(grads, Mapping):
            raise TypeError(f"grads must be a dict name -> numpy array, got {type(grads).__name__}")
        missing = [k for k in params if k not in grads]
        if missing:
            raise ValueError(f"grads has no entry for parameter key(s) {missing}")
        extra = [k for k in grads if k not in params]
        if extra:
            raise ValueError(f"grads has key(s) {extra} that are not in params")
        if self.state and set(params) != set(self.state):
            raise ValueError(
                f"this optimizer holds state for keys {sorted(self.state)}, "
                f"but params has keys {sorted(params)}"
            )
        checked = []
        for key, param in params.items():
            if not isinstance(param, np.ndarray):
                raise TypeError(
                    f"parameter {key!r} must be a numpy array (updated in place), got {type(param).__name__}"
                )
            if param.dtype not in (np.float32, np.float64):
                raise TypeError(
                    f"parameter {key!r} has dtype {param.dtype}; it must be float32 or float64 "
                    f"(convert it with .astype(float))"
                )
            if not param.flags.writeable:
                raise ValueError(f"parameter {key!r} is read-only; it must be writeable to be updated in place")
            grad = np.asarray(grads[key])
            if grad.shape != param.shape:
                raise ValueError(f"gradient {key!r} has shape {grad.shape}, but the parameter has shape {param.shape}")
            if grad.dtype != param.dtype:
                if not np.issubdtype(grad.dtype, np.floating):
                    raise TypeError(
                        f"gradient {key!r} has dtype {grad.dtype}; it must be floating point "
                        f"(float32 or float64, like its parameter)"
                    )
                grad = grad.astype(param.dtype)
            elif np.may_share_memory(grad, param):  # e.g. f = theta^2 / 2, whose gradient is theta itself
                grad = grad.copy()
            state = self.state.get(key)
            if state is not None:
                for name, value in state.items():
                    if isinstance(value, np.ndarray) and value.shape != param.shape:
                        raise ValueError(
                            f"state {name!r} of parameter {key!r} has shape {value.shape}, "
                            f"but the parameter has shape {param.shape}"
                        )
                    if isinstance(value, np.ndarray) and value.dtype != param.dtype:
                        state[name] = value.astype(param.dtype)
            checked.append((key, param, grad))
        return checked

    # -- helpers shared by the update rules ------------------------------------------

    def _gradient(self, param, grad, out, weight_decay=None):
        """The gradient the rule uses: ``-grad`` if maximizing, plus the L2 term.

        Returns ``grad`` itself when there is nothing to add (never modified),
        otherwise the result written into ``out``.  Same order as torch:
        negate first, then ``grad.add(param, alpha=weight_decay)``.
        """
        weight_decay = self.weight_decay if weight_decay is None else weight_decay
        maximize = getattr(self, "maximize", False)
        if weight_decay == 0:
            return np.negative(grad, out=out) if maximize else grad
        if maximize:
            np.negative(grad, out=out)
        else:
            np.copyto(out, grad)
        return axpy_(out, param, weight_decay)  # g + weight_decay * theta

    @staticmethod
    def _average_square(avg, x, decay, tmp):
        """``avg <- decay * avg + (1 - decay) * x**2`` in place, in torch's order.

        torch: ``avg.mul_(decay).addcmul_(x, x, value=1 - decay)``; the product is
        formed as ``((1 - decay) * x) * x`` in ``tmp``.
        """
        avg *= decay
        avg += np.multiply(np.multiply(x, 1 - decay, out=tmp), x, out=tmp)

    @staticmethod
    def _lerp(start, end, weight, tmp):
        """``start += weight * (end - start)`` in place, in torch's ``lerp_`` form.

        torch computes ``start + weight * (end - start)`` when ``weight < 0.5``
        and ``end + (weight - 1) * (end - start)`` otherwise, each as one fused
        multiply-add.
        """
        np.subtract(end, start, out=tmp)
        if weight >= 0.5:
            np.copyto(start, end)
            weight -= 1
        axpy_(start, tmp, weight)

    # -- state ------------------------------------------------------------------------

    def state_dict(self):
        """A flat dict of numbers, strings and arrays (``np.savez``-able, no pickle).

        Keys: ``"optimizer"`` (the class name), ``"format_version"``,
        ``"hyper/<name>"`` for each hyperparameter, and
        ``"state/<param key>/<name>"`` for each piece of per-parameter state.
        Arrays are copies.
        """
        out = {"optimizer": type(self).__name__, "format_version": FORMAT_VERSION}
        for name, value in self.hyperparameters.items():
            out[f"hyper/{name}"] = np.array(value, dtype=float) if isinstance(value, tuple) else value
        for key, state in self.state.items():
            for name, value in state.items():
                out[f"state/{key}/{name}"] = value.copy() if isinstance(value, np.ndarray) else value
        return out

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and per-parameter state from ``state_dict``.

        Accepts what ``state_dict()`` returned, or the same after a round trip
        through ``np.savez`` / ``np.load`` (scalars come back as 0-d arrays).

        Everything is checked before anything changes, so a refused state leaves
        the optimizer as it was.  The state must be for this class and format
        version, with exactly this class's hyperparameters (each valid) and, for
        every parameter key, exactly the fields those hyperparameters need (see
        ``_state_fields``; ``Adam`` with ``amsgrad=True`` adds
        ``max_exp_avg_sq``): ``step`` an integer >= 0, the other numbers real,
        and the arrays floating point with one common shape (the parameter's, if
        this optimizer already holds state for it).  Anything else raises
        ``ValueError`` naming the key and the field.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"state_dict must be a mapping, got {type(state_dict).__name__}")
        entries = {k: state_dict[k] for k in state_dict.keys()}
        kind = _plain(entries.get("optimizer"))
        if kind != type(self).__name__:
            raise ValueError(f"state_dict is for optimizer {kind!r}, not {type(self).__name__!r}")
        version = _plain(entries.get("format_version"))
        if version != FORMAT_VERSION:
            raise ValueError(f"state_dict has format_version {version!r}; this code reads version {FORMAT_VERSION}")

        hyper, states = {}, {}
        for name, value in entries.items():
            if name.startswith("hyper/"):
                hyper[name[len("hyper/"):]] = value
            elif name.startswith("state/"):
                key, _, field = name[len("state/"):].rpartition("/")
                states.setdefault(key, {})[field] = value
            elif name not in ("optimizer", "format_version"):
                raise ValueError(f"state_dict has an unexpected entry {name!r}")
        expected = set(type(self)._hyperparameters)
        if set(hyper) != expected:
            raise ValueError(
                f"state_dict hyperparameters {sorted(hyper)} differ from {type(self).__name__}'s {sorted(expected)}"
            )
        if self.state and set(states) != set(self.state):
            raise ValueError(
                f"state_dict has state for keys {sorted(states)}, but this optimizer's parameters "
                f"have keys {sorted(self.state)}"
            )

        # The hyperparameters, checked on a stand-in so that this optimizer is untouched if one is refused.
        candidate = object.__new__(type(self))
        hyper = {name: _plain(value) for name, value in hyper.items()}
        Optimizer.__init__(candidate, **{n: tuple(v) if isinstance(v, list) else v for n, v in hyper.items()})
        fields = candidate._state_fields()
        new_states = {key: candidate._checked_state(key, values, fields, self.state.get(key))
                      for key, values in states.items()}

        for name in expected:
            object.__setattr__(self, name, getattr(candidate, name))
        self.state = new_states

    def _checked_state(self, key, values, fields, current):
        """One parameter's state from a state dict, checked field by field (copies)."""
        missing = [f for f in fields if f not in values]
        if missing:
            raise ValueError(
                f"state_dict state for parameter {key!r} lacks field(s) {missing}; "
                f"{type(self).__name__}{self._field_note()} keeps {list(fields)}"
            )
        extra = [f for f in values if f not in fields]
        if extra:
            raise ValueError(
                f"state_dict state for parameter {key!r} has unexpected field(s) {extra}; "
                f"{type(self).__name__}{self._field_note()} keeps {list(fields)}"
            )
        arrays_now = [] if current is None else [v for v in current.values() if isinstance(v, np.ndarray)]
        shape = arrays_now[0].shape if arrays_now else None
        checked = {}
        for field in fields:
            value, where = values[field], f"state {field!r} of parameter {key!r}"
            if field == "step":
                checked[field] = _step_count(value, where)
            elif field in self._scalar_state:
                kind = np.asarray(value).dtype
                real = np.issubdtype(kind, np.floating) or (np.issubdtype(kind, np.integer) and kind != bool)
                if np.ndim(value) != 0 or not real:
                    raise ValueError(f"{where} must be a real number, got {value!r}")
                checked[field] = float(_plain(value))
            else:
                array = np.array(value, copy=True)
                if array.dtype not in (np.float32, np.float64):
                    raise ValueError(f"{where} must be a float32 or float64 array, got dtype {array.dtype}")
                if shape is None:
                    shape = array.shape
                if array.shape != shape:
                    where_shape = "the other state arrays have" if current is None else "the parameter has"
                    raise ValueError(f"{where} has shape {array.shape} in state_dict, but {where_shape} {shape}")
                checked[field] = array
        return checked

    def _field_note(self):
        """`` (amsgrad=True)`` and the like: the hyperparameters that decide the state fields."""
        return ""


def _step_count(value, where):
    """A state's ``step``: an integer >= 0 (a Python or numpy integer, or a 0-d integer array)."""
    array = np.asarray(value)
    if array.ndim != 0 or array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{where} must be an integer >= 0, got {value!r}")
    if int(array) < 0:
        raise ValueError(f"{where} must be an integer >= 0, got {int(array)}")
    return int(array)


def _plain(value):
    """A numpy scalar / 0-d array as a Python object; a 1-d array as a list."""
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value

