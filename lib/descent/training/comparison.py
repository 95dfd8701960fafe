r"""Comparing optimizers fairly: one protocol, the same rate search for each, several seeds.

The case study of the course trains one network with every optimizer of :mod:`descent.optim`.
A comparison is only as fair as its protocol, so the protocol is written down here once:

- a :class:`Protocol` fixes everything that is *not* being compared: the network, the batch
  size, the epoch budget, early stopping, the seeds, the precision;
- a :class:`Setting` is what *is* compared: an optimizer (torch's defaults for everything but
  the rate), a learning rate and a schedule from :data:`SCHEDULES`;
- :func:`run_setting` trains a setting once per seed (each seed gives the starting parameters
  and the order of the batches, the same for every setting: paired runs), with
  :func:`~descent.training.fit_stacked`, and returns a :class:`Run`;
- :func:`run_settings` does that for many settings, shared between two processes
  (:func:`~descent.training.parallel.map_runs`); the results do not depend on how they were
  shared;
- :func:`search_rates` is the rate search, the same for every optimizer: a coarse pass over
  whole decades (:data:`COARSE_RATES`), then the two rates half a decade either side of the
  coarse winner; the rate with the lowest validation loss, averaged over the seeds, wins
  (:func:`best_rate`); a winner at the edge of the rates tried gets the next one out too.
  :func:`search_peaks` does the same for the peak rate of a schedule.

Nothing here touches a test set: runs see the training and validation parts of a
:class:`descent.data.Dataset`. :func:`evaluate_on_test` evaluates finished runs on the test set that
:func:`descent.data.load_test` returns, once the choices are made.

Reading the results is in :mod:`descent.training.separation` (is a difference more than the
spread over seeds?); the optimizers' torch names are in :mod:`descent.training.torch_names`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from .. import _validation as check
from .. import optim, schedules
from ..models import MLP
from .early_stopping import EarlyStopping
from .parallel import map_runs
from .stacked import fit_stacked

__all__ = [
    "OPTIMIZERS",
    "SCHEDULES",
    "Protocol",
    "Setting",
    "Run",
    "make_schedule",
    "run_setting",
    "run_settings",
    "COARSE_RATES",
    "Search",
    "search_rates",
    "search_peaks",
    "best_rate",
    "evaluate_on_test",
]

#: Every optimizer of :mod:`descent.optim`, in the order the course introduces them.
OPTIMIZERS = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adadelta", "Adam", "AdamW", "AdaMax",
              "NAdam", "RAdam")

#: Schedules a setting may use, each a rule ``(lr, epochs) -> schedule of the epoch``, stepped
#: once an epoch (``fit(..., schedule_unit="epoch")``), as ``scheduler.step()`` after each
#: epoch does in torch:
#:
#: - ``"constant"``: the rate throughout;
#: - ``"cosine"``: cosine annealing to zero over the whole budget (``CosineAnnealingLR(T_max=epochs)``);
#: - ``"step"``: times 0.1 at half and at three quarters of the budget (``MultiStepLR``);
#: - ``"warmup"``: a linear warmup over the first tenth of the budget (at least one epoch) from a
#:   third of the rate, then cosine annealing over the rest.
SCHEDULES = ("constant", "cosine", "step", "warmup")


def make_schedule(name, lr, epochs):
    """The schedule ``name`` of :data:`SCHEDULES` for a peak rate ``lr`` and a budget of ``epochs``.

    Returns None for ``"constant"`` (the optimizer's own rate), else a
    :class:`descent.schedules.Schedule` of the epoch.
    """
    name = check.choice("schedule", name, SCHEDULES)
    lr = check.positive("lr", lr)
    epochs = check.integer("epochs", epochs, 2)
    if name == "constant":
        return None
    if name == "cosine":
        return schedules.cosine(lr, T_max=epochs)
    if name == "step":
        return schedules.multistep(lr, milestones=[epochs // 2, (3 * epochs) // 4], gamma=0.1)
    ramp = max(1, epochs // 10)
    return schedules.warmup(schedules.cosine(lr, T_max=epochs - ramp), warmup_steps=ramp)


@dataclass(frozen=True)
class Protocol:
    """What every run of a comparison shares.

    Attributes
    ----------
    sizes : tuple of int
        The network, :class:`descent.models.MLP` widths (ReLU, He initialisation).
    epochs : int
        The budget: at most this many passes over the training set.
    batch_size : int
    patience : int or None
        Early stopping on the validation loss with this patience, the best epoch's parameters
        restored at the end; None for no early stopping.
    seeds : tuple of int
        One run per seed: ``net.init(seed)`` and the shuffles of ``fit(seed=seed)``.
    dtype : str
        ``"float64"`` or ``"float32"``.
    """

    sizes: tuple = (64, 64, 10)
    epochs: int = 30
    batch_size: int = 32
    patience: int | None = 5
    seeds: tuple = (0, 1, 2)
    dtype: str = "float64"

    def __post_init__(self):
        sizes = tuple(check.integer(f"sizes[{k}]", s, 1) for k, s in enumerate(self.sizes))
        object.__setattr__(self, "sizes", sizes)
        check.integer("epochs", self.epochs, 2)
        check.integer("batch_size", self.batch_size, 1)
        if self.patience is not None:
            check.integer("patience", self.patience, 1)
        seeds = tuple(check.integer(f"seeds[{i}]", s, 0) for i, s in enumerate(self.seeds))
        if not seeds or len(set(seeds)) != len(seeds):
            raise ValueError(f"seeds must be distinct and at least one, got {self.seeds!r}")
        object.__setattr__(self, "seeds", seeds)
        check.choice("dtype", self.dtype, ("float64", "float32"))

    @property
    def model(self) -> MLP:
        """The network, ``MLP(sizes)``."""
        return MLP(list(self.sizes))

    def initial_params(self):
        """The starting parameters of every seed, ``[net.init(seed, dtype=...) for seed in seeds]``."""
        net = self.model
        return [net.init(seed, dtype=np.dtype(self.dtype)) for seed in self.seeds]


@dataclass(frozen=True)
class Setting:
    """What a comparison varies: an optimizer of :data:`OPTIMIZERS` (torch's defaults but the
    rate), its learning rate, and a schedule of :data:`SCHEDULES` (the rate is its peak)."""

    optimizer: str
    lr: float
    schedule: str = "constant"

    def __post_init__(self):
        check.choice("optimizer", self.optimizer, OPTIMIZERS)
        object.__setattr__(self, "lr", check.positive("lr", self.lr))
        check.choice("schedule", self.schedule, SCHEDULES)

    def make_optimizer(self):
        """A fresh ``descent.optim`` optimizer for this setting."""
        return getattr(optim, self.optimizer)(lr=self.lr)

    @property
    def label(self) -> str:
        """``"Adam, lr 0.001"`` (with the schedule when it is not constant)."""
        text = f"{self.optimizer}, lr {self.lr:.3g}"
        return text if self.schedule == "constant" else f"{text}, {self.schedule}"


@dataclass
class Run:
    """One setting trained once per seed of a protocol.

    Attributes
    ----------
    setting : Setting
    protocol : Protocol
    histories : list of descent.training.History
        One per seed, in the protocol's order.
    params : list of dict
        The parameters each seed ended with (the best epoch's, with early stopping).
    seconds : float
        Wall time of the stack.
    """

    setting: Setting
    protocol: Protocol
    histories: list
    params: list = field(repr=False)
    seconds: float = 0.0

    @property
    def best_val_loss(self) -> np.ndarray:
        """Per seed: the lowest validation loss of the run (inf if it diverged before any epoch)."""
        return np.array([_best(h.val_loss, min) for h in self.histories])

    @property
    def val_accuracy(self) -> np.ndarray:
        """Per seed: the validation accuracy at the epoch whose parameters the run kept (the best
        epoch with early stopping, else the last); 0 if no epoch was completed."""
        return np.array([_kept(h, h.val_accuracy) for h in self.histories])

    @property
    def val_loss(self) -> np.ndarray:
        """Per seed: the validation loss at the epoch whose parameters the run kept."""
        return np.array([_kept(h, h.val_loss, np.inf) for h in self.histories])

    @property
    def epochs(self) -> np.ndarray:
        """Per seed: epochs trained (fewer than the budget when early stopping fired)."""
        return np.array([h.n_epochs for h in self.histories])

    @property
    def diverged(self) -> bool:
        """Whether any seed diverged."""
        return any(h.diverged for h in self.histories)

    def __repr__(self):
        loss = self.best_val_loss
        return (f"Run({self.setting.label}: best validation loss {np.mean(loss):.4g} "
                f"(seeds {np.min(loss):.4g} to {np.max(loss):.4g}), {len(self.histories)} seeds)")


def _best(values, pick):
    finite = values[np.isfinite(values)]
    return float(pick(finite)) if finite.size else math.inf


def _kept(history, values, empty=0.0):
    if not history.n_epochs:
        return empty
    index = history.best_epoch if history.restored_best else history.n_epochs - 1
    return float(values[index])


def run_setting(setting, protocol, data) -> Run:
    """Train ``setting`` under ``protocol`` on ``data``, once per seed (as one stack).

    Every seed ``s`` is ``fit(net, net.init(s), optimizer, data, seed=s, epochs=..., batch_size=...,
    schedule=..., schedule_unit="epoch", early_stopping=EarlyStopping(patience))``.
    """
    if not isinstance(setting, Setting):
        raise TypeError(f"setting must be a Setting, got {type(setting).__name__}")
    if not isinstance(protocol, Protocol):
        raise TypeError(f"protocol must be a Protocol, got {type(protocol).__name__}")
    params = protocol.initial_params()
    stopper = EarlyStopping(patience=protocol.patience) if protocol.patience is not None else None
    start = time.perf_counter()
    histories = fit_stacked(
        protocol.model, params, setting.make_optimizer(), data, seeds=protocol.seeds, epochs=protocol.epochs,
        batch_size=protocol.batch_size, schedule=make_schedule(setting.schedule, setting.lr, protocol.epochs),
        schedule_unit="epoch", early_stopping=stopper,
    )
    return Run(setting, protocol, histories, params, time.perf_counter() - start)


_SHARED = {}


def _share(data):
    """Hand the data set to the runs of this process (map_runs calls it in both processes)."""
    _SHARED["data"] = data


def _run_task(task):
    setting, protocol = task
    return run_setting(setting, protocol, _SHARED["data"])


def run_settings(settings, protocol, data, *, workers=None) -> list:
    """:func:`run_setting` for every setting, shared between this process and a helper.

    Parameters
    ----------
    settings : sequence of Setting
    protocol : Protocol
    data : descent.data.Dataset
    workers : {1, 2}, optional
        As in :func:`~descent.training.parallel.map_runs` (default: 2 where two cores are free).

    Returns
    -------
    list of Run
        In the order of ``settings``; the same whichever process computed each.
    """
    settings = list(settings)
    for setting in settings:
        if not isinstance(setting, Setting):
            raise TypeError(f"settings must hold Setting objects, got {type(setting).__name__}")
    return map_runs(_run_task, [(setting, protocol) for setting in settings], workers=workers,
                    setup=_share, setup_args=(data,))


#: The rates of the search's coarse pass, the whole decades from 0.001 to 1.
COARSE_RATES = (1e-3, 1e-2, 1e-1, 1.0)
#: The fine pass adds the rates this factor either side of the coarse winner (half a decade).
FINE_FACTOR = 10**0.5


@dataclass
class Search:
    """The rate search of :func:`search_rates`.

    Attributes
    ----------
    runs : dict
        Optimizer name -> its runs (constant rate), sorted by rate.
    best : dict
        Optimizer name -> the winning run.
    margins : dict
        Optimizer name -> how much higher the runner-up's mean best validation loss is,
        relative to the winner's (see :func:`best_rate`).
    """

    runs: dict
    best: dict
    margins: dict

    @property
    def rates(self) -> dict:
        """Optimizer name -> the tuned rate."""
        return {name: run.setting.lr for name, run in self.best.items()}

    def bracketed(self, name) -> bool:
        """Whether the winning rate of ``name`` lies strictly between two rates that were tried."""
        rates = [run.setting.lr for run in self.runs[name]]
        return min(rates) < self.best[name].setting.lr < max(rates)


def search_rates(optimizers, protocol, data, *, coarse=COARSE_RATES, factor=FINE_FACTOR, extend=2,
                 workers=None) -> Search:
    """The same rate search for every optimizer: a coarse pass, then a fine one around its winner.

    1. every rate of ``coarse`` (whole decades by default), constant, under ``protocol``;
    2. the rates ``factor`` below and above the coarse winner (half a decade by default);
    3. while the winner is the smallest or the largest rate tried, the next rate ``factor``
       further out, at most ``extend`` times: so the winner ends between two rates that were
       tried unless it needed more;
    4. the winner of all of them by :func:`best_rate`.

    Each pass runs with :func:`run_settings` (two processes where two cores are free).

    Returns
    -------
    Search
    """
    optimizers = [check.choice("optimizers", name, OPTIMIZERS) for name in optimizers]
    coarse = sorted(check.positive("coarse", rate) for rate in coarse)
    if len(coarse) < 2:
        raise ValueError(f"coarse must hold at least two rates, got {coarse!r}")
    factor = check.real("factor", factor)
    if not factor > 1:
        raise ValueError(f"factor must be > 1, got {factor!r}")
    extend = check.integer("extend", extend, 0)
    runs = {name: [] for name in optimizers}

    def add(settings):
        for run in run_settings(settings, protocol, data, workers=workers):
            runs[run.setting.optimizer].append(run)

    add([Setting(name, rate) for name in optimizers for rate in coarse])
    second = []
    for name in optimizers:
        winner = best_rate(runs[name])[0].setting.lr
        second += [Setting(name, winner / factor), Setting(name, winner * factor)]
    add(second)
    for _ in range(extend):
        outward = []
        for name in optimizers:
            winner = best_rate(runs[name])[0].setting.lr
            rates = [run.setting.lr for run in runs[name]]
            if winner == min(rates):
                outward.append(Setting(name, winner / factor))
            elif winner == max(rates):
                outward.append(Setting(name, winner * factor))
        if not outward:
            break
        add(outward)
    return _searched(runs)


def search_peaks(search, schedule, protocol, data, *, factors=(1.0, FINE_FACTOR), workers=None) -> Search:
    """The peak rate of a ``schedule`` for each optimizer of a rate ``search``: its tuned constant
    rate times each of ``factors``, the best on the validation set (:func:`best_rate`).

    A decaying schedule spends much of the budget below its peak, so its best peak is often
    higher than the best constant rate; the default tries that rate and half a decade above.
    """
    if not isinstance(search, Search):
        raise TypeError(f"search must be the Search that search_rates returns, got {type(search).__name__}")
    schedule = check.choice("schedule", schedule, SCHEDULES)
    factors = [check.positive("factors", factor) for factor in factors]
    if not factors:
        raise ValueError("factors must hold at least one factor")
    settings = [Setting(name, rate * factor, schedule) for name, rate in search.rates.items() for factor in factors]
    runs = {name: [] for name in search.rates}
    for run in run_settings(settings, protocol, data, workers=workers):
        runs[run.setting.optimizer].append(run)
    return _searched(runs)


def _searched(runs):
    best, margins = {}, {}
    for name in runs:
        runs[name].sort(key=lambda run: run.setting.lr)
        best[name], margins[name] = best_rate(runs[name])
    return Search(runs, best, margins)


def best_rate(runs):
    """The run with the lowest mean (over seeds) best validation loss among ``runs`` of one optimizer.

    A run in which any seed diverged is never chosen. Returns ``(run, margin)``: the margin is
    how much higher the runner-up's mean is, relative to the winner's (inf with one candidate),
    so a caller can check that the choice does not hinge on rounding.
    """
    runs = [run for run in runs if not run.diverged]
    if not runs:
        raise ValueError("runs: every run diverged; there is no rate to choose")
    means = np.array([np.mean(run.best_val_loss) for run in runs])
    order = np.argsort(means)
    margin = (means[order[1]] - means[order[0]]) / means[order[0]] if len(runs) > 1 else math.inf
    return runs[int(order[0])], float(margin)


def evaluate_on_test(run, test):
    """Per seed, ``(loss, accuracy)`` of the run's final parameters on ``test`` (a
    :class:`descent.data.TestSet`): two arrays. Call it once, after every choice is made."""
    if not all(hasattr(test, name) for name in ("X", "y")):
        raise TypeError(f"test must be the TestSet that descent.data.load_test returns, got {type(test).__name__}")
    net = run.protocol.model
    scores = np.array([net.evaluate(params, test.X, test.y) for params in run.params])
    return scores[:, 0], scores[:, 1]
