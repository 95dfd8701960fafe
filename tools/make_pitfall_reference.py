"""Record what torch's schedulers do in the situations the schedules chapter calls pitfalls.

The chapter shows each pitfall with ``descent.schedules`` (torch is not a requirement of the book);
``tests/test_schedules_pitfalls.py`` checks, without torch, that the chapter's ``descent`` expressions
give the rates recorded here from torch itself:

- ``constant_lr``: ``ConstantLR(factor=1/3, total_iters=5)``, ``get_last_lr()`` after t steps;
- ``step_before_update``: the rate each ``optimizer.step()`` uses when every iteration calls
  ``scheduler.step()`` *before* ``optimizer.step()`` (``MultiStepLR``), and the warning torch gives;
- ``used_up``: a ``MultiStepLR`` stepped 30 times by a plotting loop and then 30 times more by a
  training loop (the rates each loop reads);
- ``per_batch_cosine``: ``CosineAnnealingLR(T_max=30)`` stepped once per batch for 30 epochs of 34
  batches, and once per epoch.

Run from the repository root with torch 2.13.0 (CPU):

    python tools/make_pitfall_reference.py
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import torch
from torch.optim import lr_scheduler as L

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "schedules" / "pitfalls.json"


def optimizer(lr):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


def constant_lr():
    scheduler = L.ConstantLR(optimizer(0.1), factor=1 / 3, total_iters=5)
    rates = [scheduler.get_last_lr()[0]]
    for _ in range(19):
        scheduler.optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr()[0])
    return {"lr": 0.1, "factor": 1 / 3, "total_iters": 5, "rates": rates}


def step_before_update():
    opt = optimizer(0.1)
    scheduler = L.MultiStepLR(opt, milestones=[10, 20], gamma=0.1)
    used = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(30):
            scheduler.step()  # the wrong order: the scheduler first
            used.append(opt.param_groups[0]["lr"])
            opt.step()
    messages = [str(w.message) for w in caught if "lr_scheduler.step()" in str(w.message)]
    return {"lr": 0.1, "milestones": [10, 20], "gamma": 0.1, "used": used, "warning": messages[0]}


def used_up():
    opt = optimizer(0.5)
    scheduler = L.MultiStepLR(opt, milestones=[15, 30], gamma=0.5)
    plotted, trained = [], []
    for _ in range(30):  # a plotting loop: read the rate, step
        plotted.append(scheduler.get_last_lr()[0])
        opt.step()
        scheduler.step()
    for _ in range(30):  # training then steps the same object
        trained.append(scheduler.get_last_lr()[0])
        opt.step()
        scheduler.step()
    return {"lr": 0.5, "milestones": [15, 30], "gamma": 0.5, "plotted": plotted, "trained": trained}


def per_batch_cosine():
    epochs, batches = 30, 34
    result = {"lr": 0.1, "T_max": epochs, "epochs": epochs, "batches": batches}
    for name, per_epoch in (("stepped_per_batch", False), ("stepped_per_epoch", True)):
        opt = optimizer(0.1)
        scheduler = L.CosineAnnealingLR(opt, T_max=epochs)
        used = []
        for _ in range(epochs):
            for _ in range(batches):
                used.append(opt.param_groups[0]["lr"])
                opt.step()
                if not per_epoch:
                    scheduler.step()
            if per_epoch:
                scheduler.step()
        result[name] = used
    return result


def main():
    data = {
        "torch": torch.__version__,
        "constant_lr": constant_lr(),
        "step_before_update": step_before_update(),
        "used_up": used_up(),
        "per_batch_cosine": per_batch_cosine(),
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
