r"""The shared machinery of every optimizer in :mod:`descent.optim`: the update contract.

An optimizer here is a small object that owns a learning rate, a few
hyperparameters and, per parameter, the state its update rule needs (a momentum
buffer, moment estimates, a step counter).  It never sees a model: ``step``
receives a dict of parameter arrays and a dict of gradient arrays with the same
keys, and updates the parameter arrays in place.

:class:`Optimizer` holds what the subclasses share: checking hyperparameters,
checking parameters and gradients, the ``lr`` attribute, scratch buffers and the
small operations most update rules are made of. The one-pass ``y += a * x`` with
which most rules end is :func:`descent.optim.axpy.axpy_`; saving and restoring
state is :mod:`descent.optim.state`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .._validation import non_negative
from .axpy import axpy_
from .state import SavedState

__all__ = ["Optimizer"]


class Optimizer(SavedState):
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
            if name not in type(self)._hyperparameters:
                # A keyword the class fixes instead of taking (AdamW's decoupled_weight_decay=True).
                fixed = getattr(type(self), name, None)
                if fixed is None or value != fixed:
                    raise TypeError(f"{type(self).__name__} takes no {name}={value!r}")
                continue
            setattr(self, name, value)
        self._check_combination()
        self.state: dict[str, dict] = {}
        self._scratch: dict[str, list[np.ndarray]] = {}
        object.__setattr__(self, "_ready", True)

    @classmethod
    def _with_hyperparameters(cls, **hyperparameters):
        """An optimizer of this class with these hyperparameters (checked), without running its ``__init__``."""
        optimizer = object.__new__(cls)
        Optimizer.__init__(optimizer, **hyperparameters)
        return optimizer

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
