r"""Early stopping: stop training when a validation metric has stopped improving, keep the best weights.

:class:`EarlyStopping` is fed one number per epoch (usually the validation loss) and answers
whether to stop now. Its rules, exactly:

- a call **improves** when its metric is finite and below ``best - min_delta`` (above
  ``best + min_delta`` in ``"max"`` mode); the first finite metric always improves; a NaN or
  infinite metric never does;
- an improving call sets ``best`` to its metric, ``best_epoch`` to its own 0-based index
  (the number of calls before it), keeps a copy of the parameters passed with it, and resets
  the count of calls without improvement;
- any other call adds one to that count, and ``step`` returns True when the count reaches
  ``patience``: training stops on the ``patience``-th consecutive call without improvement.

So with ``patience = p`` a run whose best epoch is ``e`` stops after epoch ``e + p`` (0-based),
having trained ``p`` epochs past its best, and restoring ``best_params`` undoes them.
:func:`descent.training.fit` uses it this way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from .. import _validation as check

__all__ = ["EarlyStopping"]


class EarlyStopping:
    """Decide when to stop training, and remember the best parameters seen.

    Parameters
    ----------
    patience : int, default 5
        Consecutive calls without improvement that stop training, ``>= 1``.
    min_delta : float, default 0.0
        How much better than ``best`` a metric must be to count as an improvement, ``>= 0``.
    mode : {"min", "max"}, default "min"
        ``"min"`` for a metric that should fall (a loss), ``"max"`` for one that should rise
        (an accuracy).

    Attributes
    ----------
    best : float or None
        The best metric so far (None before the first finite one).
    best_epoch : int or None
        The 0-based index of the call that set ``best``.
    best_params : dict or None
        A copy of the arrays passed with that call (None if none were passed).
    num_bad_epochs : int
        Calls since the last improvement.
    calls : int
        Calls so far.

    Examples
    --------
    >>> stopper = EarlyStopping(patience=2)
    >>> [stopper.step(m) for m in [1.0, 0.8, 0.9, 0.85]]
    [False, False, False, True]
    >>> stopper.best, stopper.best_epoch
    (0.8, 1)
    """

    def __init__(self, patience=5, min_delta=0.0, mode="min"):
        self.patience = check.integer("patience", patience, 1)
        self.min_delta = check.non_negative("min_delta", min_delta)
        self.mode = check.choice("mode", mode, ("min", "max"))
        self.best = None
        self.best_epoch = None
        self.best_params = None
        self.num_bad_epochs = 0
        self.calls = 0

    def improves(self, metric) -> bool:
        """Whether ``metric`` would count as an improvement now (nothing is changed)."""
        metric = _metric(metric)
        if not math.isfinite(metric):
            return False
        if self.best is None:
            return True
        if self.mode == "min":
            return metric < self.best - self.min_delta
        return metric > self.best + self.min_delta

    def step(self, metric, params=None) -> bool:
        """Record one epoch's ``metric`` (with the parameters it was measured at); True means stop now.

        Parameters
        ----------
        metric : float
            The monitored value (a Python or numpy real number; NaN and inf allowed, they
            never improve).
        params : dict, optional
            Name -> numpy array. Copied when this call improves, so later in-place updates
            do not change the copy.

        Returns
        -------
        bool
            True when this is the ``patience``-th consecutive call without improvement (or
            later).
        """
        if params is not None and not isinstance(params, Mapping):
            raise TypeError(f"params must be a dict name -> numpy array, got {type(params).__name__}")
        if self.improves(metric):
            self.best = float(metric)
            self.best_epoch = self.calls
            self.best_params = None if params is None else {k: np.array(v, copy=True) for k, v in params.items()}
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        self.calls += 1
        return self.should_stop

    @property
    def should_stop(self) -> bool:
        """True once ``patience`` consecutive calls have not improved."""
        return self.num_bad_epochs >= self.patience

    def __repr__(self):
        return f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, mode={self.mode!r})"


def _metric(metric) -> float:
    if isinstance(metric, (bool, np.bool_, str, bytes)) or np.ndim(metric) != 0:
        raise TypeError(f"metric must be a real number, got {metric!r}")
    try:
        return float(metric)
    except (TypeError, ValueError):
        raise TypeError(f"metric must be a real number, got {metric!r}") from None
