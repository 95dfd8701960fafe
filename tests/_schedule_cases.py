"""What the schedule tests share: the tolerance against torch, the list of schedule
functions, building a schedule from a reference case, and one example of each schedule."""

from descent import schedules

RTOL = 1e-10  # relative, against torch's rates

#: every function of descent.schedules that makes a Schedule (all but ReduceLROnPlateau)
FUNCTIONS = [name for name in schedules.__all__ if name not in ("Schedule", "ReduceLROnPlateau")]


def build(function, kwargs):
    """descent.schedules.<function>(**kwargs), with nested schedules for warmup and join.

    ``kwargs`` is as a reference case stores it: for ``warmup``, its ``schedule`` is
    itself ``{"function": ..., "kwargs": ...}``; for ``join``, each of its ``schedules``.
    """
    kwargs = dict(kwargs)
    if function == "warmup":
        inner = kwargs.pop("schedule")
        kwargs["schedule"] = build(inner["function"], inner["kwargs"])
    if function == "join":
        kwargs["schedules"] = [build(part["function"], part["kwargs"]) for part in kwargs["schedules"]]
    return getattr(schedules, function)(**kwargs)


#: one schedule made by each function of FUNCTIONS, with options away from the defaults
EXAMPLES = [
    schedules.constant(0.1),
    schedules.step_decay(0.1, 3),
    schedules.multistep(0.1, [2, 3, 5]),
    schedules.exponential(0.1, 0.9),
    schedules.inverse_time(0.1, 0.5, 2, staircase=True),
    schedules.polynomial(0.1, 7, 2.0),
    schedules.linear(0.1, 1.0, 0.0, 6),
    schedules.cosine(0.1, 8, 0.01),
    schedules.cosine_restarts(0.1, 3, 2),
    schedules.cyclic(0.01, 0.1, 3, 5, "exp_range", 0.9),
    schedules.one_cycle(1.0, 30, three_phase=True),
    schedules.join([schedules.constant(0.1), schedules.cosine(0.1, 10, 0.01)], [5]),
    schedules.warmup(schedules.cosine(0.1, 10), 4, 0.25),
    schedules.inverse_sqrt(0.1, 5),
]
