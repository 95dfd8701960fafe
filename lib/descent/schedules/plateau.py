r"""Reduce the rate when a monitored metric stops improving (torch's ``ReduceLROnPlateau``)."""

from __future__ import annotations

import math
import numbers

import numpy as np

from .. import _validation as check

__all__ = ["ReduceLROnPlateau", "plateau_trace"]

MODES = ("min", "max")
THRESHOLD_MODES = ("rel", "abs")
_STATE_KEYS = ("lr", "best", "num_bad_epochs", "cooldown_counter", "last_epoch")


class ReduceLROnPlateau:
    r"""Multiply the rate by ``factor`` once the metric has not improved for a while.

    Unlike the other schedules this one cannot be a function of ``t``: it depends on
    the metric values it is fed. Call :meth:`step` once per epoch with the metric (for
    example the validation loss); it returns the rate for the next epoch.

    At each ``step(metric)``:

    1. the metric is an *improvement* if it beats the best value so far by more than
       the threshold,

       .. math::

           \text{min, rel: } m < b\,(1 - \tau), \quad
           \text{min, abs: } m < b - \tau, \quad
           \text{max, rel: } m > b\,(1 + \tau), \quad
           \text{max, abs: } m > b + \tau,

       with :math:`b` the best value so far (``best``, initially :math:`+\infty` in
       ``"min"`` mode and :math:`-\infty` in ``"max"`` mode) and :math:`\tau` =
       ``threshold``. An improvement sets ``best`` to the metric and
       ``num_bad_epochs`` to 0; anything else adds one bad epoch. The relative rule
       assumes a positive metric: for a negative one, :math:`b(1 - \tau)` lies above
       :math:`b` in ``"min"`` mode, so a slightly worse value counts as an improvement
       (torch behaves the same way; use ``"abs"`` for such metrics).
    2. during a cooldown (``cooldown_counter > 0``) the counter goes down by one and
       the bad epochs are forgotten (``num_bad_epochs = 0``);
    3. when ``num_bad_epochs > patience`` the rate becomes
       :math:`\max(\eta\,\cdot\text{factor}, \text{min\_lr})` — unless that lowers it by
       ``eps`` or less, in which case it stays — the cooldown counter is set to
       ``cooldown`` and ``num_bad_epochs`` to 0.

    A metric that is NaN is never an improvement (every comparison with NaN is false),
    so it counts as a bad epoch, as in torch.

    Parameters
    ----------
    lr0 : float
        The initial rate, ``> 0``.
    mode : {"min", "max"}, default "min"
        ``"min"`` for a metric that should decrease (a loss), ``"max"`` for one that
        should increase (an accuracy).
    factor : float, default 0.1
        Multiplier applied at each reduction, in ``(0, 1)``.
    patience : int, default 10
        Bad epochs tolerated before a reduction, ``>= 0``. With ``patience=0`` the rate
        drops after the first epoch without improvement.
    threshold : float, default 1e-4
        How much better than ``best`` a metric must be to count, ``>= 0``.
    threshold_mode : {"rel", "abs"}, default "rel"
        Whether ``threshold`` is relative to ``best`` or an absolute difference.
    cooldown : int, default 0
        Epochs after a reduction during which bad epochs are not counted, ``>= 0``.
    min_lr : float, default 0
        Floor for the rate, in ``[0, lr0]``.
    eps : float, default 1e-8
        Reductions by ``eps`` or less are skipped, ``>= 0``.

    Notes
    -----
    torch: ``torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode, factor, patience,
    threshold, threshold_mode, cooldown, min_lr, eps)`` with a single parameter group
    whose ``lr`` is ``lr0``; ``step(metric)`` here returns what torch's
    ``get_last_lr()[0]`` gives after its ``step(metric)``. The deprecated ``epoch``
    argument of torch's ``step`` is not offered. The counters are read-only attributes
    so a chapter can show them; :meth:`state_dict` and :meth:`load_state_dict` save and
    restore them as plain numbers (the hyperparameters are the constructor's).
    """

    def __init__(
        self,
        lr0,
        mode="min",
        factor=0.1,
        patience=10,
        threshold=1e-4,
        threshold_mode="rel",
        cooldown=0,
        min_lr=0.0,
        eps=1e-8,
    ):
        self._lr0 = check.positive("lr0", lr0)
        self._mode = check.choice("mode", mode, MODES)
        self._factor = check.in_range("factor", factor, 0.0, 1.0, low_open=True, high_open=True)
        self._patience = check.integer("patience", patience, 0)
        self._threshold = check.non_negative("threshold", threshold)
        self._threshold_mode = check.choice("threshold_mode", threshold_mode, THRESHOLD_MODES)
        self._cooldown = check.integer("cooldown", cooldown, 0)
        self._min_lr = check.in_range("min_lr", min_lr, 0.0, self._lr0)
        self._eps = check.non_negative("eps", eps)
        self._lr = self._lr0
        self._best = math.inf if self._mode == "min" else -math.inf
        self._num_bad_epochs = 0
        self._cooldown_counter = 0
        self._last_epoch = 0

    # Read-only state -----------------------------------------------------------------
    @property
    def lr(self):
        """The current rate (the one :meth:`step` last returned, ``lr0`` before any)."""
        return self._lr

    @property
    def best(self):
        """The best metric so far (``inf`` or ``-inf`` before the first step)."""
        return self._best

    @property
    def num_bad_epochs(self):
        """Consecutive epochs without improvement counted towards ``patience``."""
        return self._num_bad_epochs

    @property
    def cooldown_counter(self):
        """Epochs of cooldown left (bad epochs are not counted while it is > 0)."""
        return self._cooldown_counter

    @property
    def in_cooldown(self):
        """True while ``cooldown_counter > 0``."""
        return self._cooldown_counter > 0

    @property
    def last_epoch(self):
        """How many times :meth:`step` has been called."""
        return self._last_epoch

    # The rule ------------------------------------------------------------------------
    def _is_better(self, metric):
        if self._mode == "min" and self._threshold_mode == "rel":
            return metric < self._best * (1.0 - self._threshold)
        if self._mode == "min":
            return metric < self._best - self._threshold
        if self._threshold_mode == "rel":
            return metric > self._best * (self._threshold + 1.0)
        return metric > self._best + self._threshold

    def step(self, metric):
        """Record this epoch's metric and return the rate for the next epoch.

        Parameters
        ----------
        metric : float
            The monitored quantity (a Python or numpy scalar).

        Returns
        -------
        float
            The new rate (equal to :attr:`lr`).
        """
        # Not descent._validation.real: a NaN metric is valid here (a bad epoch, as in torch).
        if isinstance(metric, (bool, str, bytes)) or np.ndim(metric) != 0:
            raise TypeError(f"metric must be a real number; got {metric!r}")
        try:
            current = float(metric)
        except (TypeError, ValueError):
            raise TypeError(f"metric must be a real number; got {metric!r}") from None
        self._last_epoch += 1

        if self._is_better(current):
            self._best = current
            self._num_bad_epochs = 0
        else:
            self._num_bad_epochs += 1

        if self.in_cooldown:
            self._cooldown_counter -= 1
            self._num_bad_epochs = 0  # bad epochs during a cooldown are ignored

        if self._num_bad_epochs > self._patience:
            new_lr = max(self._lr * self._factor, self._min_lr)
            if self._lr - new_lr > self._eps:
                self._lr = new_lr
            self._cooldown_counter = self._cooldown
            self._num_bad_epochs = 0
        return self._lr

    # Saving and restoring ------------------------------------------------------------
    def state_dict(self):
        """The evolving state as plain numbers (savable with ``np.savez``).

        Returns
        -------
        dict
            Keys ``lr``, ``best``, ``num_bad_epochs``, ``cooldown_counter``,
            ``last_epoch``.
        """
        return {
            "lr": self._lr,
            "best": self._best,
            "num_bad_epochs": self._num_bad_epochs,
            "cooldown_counter": self._cooldown_counter,
            "last_epoch": self._last_epoch,
        }

    def load_state_dict(self, state):
        """Restore a state made by :meth:`state_dict` (values may be 0-d numpy arrays).

        Raises
        ------
        ValueError
            If keys are missing or unexpected, or a value is out of its range.
        """
        if not hasattr(state, "keys"):
            raise TypeError(f"state must be a mapping such as state_dict() returns; got {state!r}")
        keys = set(state.keys())
        missing = [k for k in _STATE_KEYS if k not in keys]
        extra = sorted(keys - set(_STATE_KEYS))
        if missing or extra:
            raise ValueError(
                f"not a ReduceLROnPlateau state: missing keys {missing}, unexpected keys {extra}"
            )
        values = {}
        for key in _STATE_KEYS:
            value = state[key]
            if isinstance(value, np.ndarray):
                if value.ndim != 0:
                    raise ValueError(f"state[{key!r}] must be a single number; got shape {value.shape}")
                value = value.item()
            values[key] = value
        lr = check.in_range("state['lr']", values["lr"], self._min_lr, self._lr0)
        best = values["best"]
        # Not descent._validation.real: best is +-inf until the first step.
        if isinstance(best, bool) or not isinstance(best, numbers.Real) or math.isnan(best):
            raise ValueError(f"state['best'] must be a number (inf allowed); got {best!r}")
        num_bad = check.integer("state['num_bad_epochs']", values["num_bad_epochs"], 0)
        counter = check.integer("state['cooldown_counter']", values["cooldown_counter"], 0)
        last_epoch = check.integer("state['last_epoch']", values["last_epoch"], 0)
        self._lr, self._best = lr, float(best)
        self._num_bad_epochs, self._cooldown_counter, self._last_epoch = num_bad, counter, last_epoch

    def __repr__(self):
        return (
            f"ReduceLROnPlateau(lr0={self._lr0!r}, mode={self._mode!r}, factor={self._factor!r}, "
            f"patience={self._patience!r}, threshold={self._threshold!r}, "
            f"threshold_mode={self._threshold_mode!r}, cooldown={self._cooldown!r}, "
            f"min_lr={self._min_lr!r}, eps={self._eps!r})"
        )


def plateau_trace(metrics, lr0, **kwargs):
    """Feed ``metrics`` to a fresh :class:`ReduceLROnPlateau` and record its state after every call.

    For following the rule step by step (a table, a figure): row ``e`` is the state after epoch
    ``e``'s metric was fed.

    Parameters
    ----------
    metrics : sequence of float
        One monitored value per epoch.
    lr0 : float
        The initial rate.
    **kwargs
        The other arguments of :class:`ReduceLROnPlateau` (``mode``, ``factor``, ``patience``,
        ``threshold``, ``threshold_mode``, ``cooldown``, ``min_lr``, ``eps``).

    Returns
    -------
    dict of numpy.ndarray
        ``metric``; ``improved`` (the call beat the best by more than the threshold); ``best``,
        ``num_bad_epochs`` and ``cooldown_counter`` after the call; ``lr``, the rate for the next
        epoch; ``reduced`` (this call lowered the rate).
    """
    rule = ReduceLROnPlateau(lr0, **kwargs)
    metrics = [float(m) for m in np.atleast_1d(np.asarray(metrics, dtype=float))]
    rows = {key: [] for key in ("metric", "improved", "best", "num_bad_epochs", "cooldown_counter", "lr", "reduced")}
    for metric in metrics:
        best, lr = rule.best, rule.lr
        rule.step(metric)
        for key, value in (("metric", metric), ("improved", rule.best != best), ("best", rule.best),
                           ("num_bad_epochs", rule.num_bad_epochs), ("cooldown_counter", rule.cooldown_counter),
                           ("lr", rule.lr), ("reduced", rule.lr < lr)):
            rows[key].append(value)
    return {key: np.array(values) for key, values in rows.items()}
