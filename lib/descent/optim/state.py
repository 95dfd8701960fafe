r"""Saving and restoring an optimizer's state: ``state_dict`` and ``load_state_dict``.

An optimizer's state is a flat dict of plain numbers, strings and numpy arrays, savable with ``numpy.savez``
and loadable with ``numpy.load(..., allow_pickle=False)`` (no pickle): the class name, a format version, the
hyperparameters and each parameter's fields. Restoring checks everything before anything changes, so a
refused state leaves the optimizer as it was. :class:`SavedState` gives :class:`descent.optim.Optimizer`
these two methods.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

__all__ = ["SavedState", "FORMAT_VERSION"]

#: The version of the layout ``state_dict`` writes; ``load_state_dict`` reads only this one.
FORMAT_VERSION = 1


class SavedState:
    """``state_dict`` and ``load_state_dict`` for :class:`descent.optim.Optimizer` (a mixin).

    It relies on the optimizer's ``hyperparameters``, ``state``, ``_scalar_state`` and
    ``_state_fields()``, and on ``_with_hyperparameters``, which makes an optimizer of the same class
    from checked hyperparameters without running its ``__init__``.
    """

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
        hyper = {name: _plain(value) for name, value in hyper.items()}
        candidate = type(self)._with_hyperparameters(
            **{n: tuple(v) if isinstance(v, list) else v for n, v in hyper.items()})
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
    """A state's ``step``: an integer >= 0 (a Python or numpy integer, or a 0-d integer array).

    Not ``descent._validation.integer``: ``np.load`` gives 0-d arrays, and every refused state is a
    ``ValueError``.
    """
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
