"""The schedules chapter's pitfalls, written with descent.schedules, against what torch did.

tools/make_pitfall_reference.py recorded torch's rates in tests/data/schedules/pitfalls.json; these
tests check, without torch, that the expressions the chapter uses reproduce them.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from descent import schedules

DATA = json.loads((Path(__file__).parent / "data" / "schedules" / "pitfalls.json").read_text(encoding="utf-8"))
RTOL = 1e-12


def test_constant_lr_is_a_multistep_up_after_total_iters():
    case = DATA["constant_lr"]
    lr, factor, total = case["lr"], case["factor"], case["total_iters"]
    chapter = schedules.multistep(lr * factor, [total], gamma=1 / factor)
    rates = chapter(np.arange(len(case["rates"])))
    np.testing.assert_allclose(rates, case["rates"], rtol=RTOL)
    assert rates[total - 1] < rates[total]  # not constant: a step up at total_iters


def test_scheduler_step_before_optimizer_step_shifts_every_rate_by_one():
    case = DATA["step_before_update"]
    schedule = schedules.multistep(case["lr"], case["milestones"], case["gamma"])
    used = np.array(case["used"])
    np.testing.assert_allclose(used, schedule(np.arange(1, len(used) + 1)), rtol=RTOL)  # update t uses s(t + 1)
    assert not np.allclose(used, schedule(np.arange(len(used))))
    assert case["warning"].startswith("Detected call of `lr_scheduler.step()` before `optimizer.step()`")
    assert "skipping the first value of the learning rate schedule" in case["warning"]


def test_a_scheduler_used_up_by_a_plotting_loop():
    case = DATA["used_up"]
    schedule = schedules.multistep(case["lr"], case["milestones"], case["gamma"])
    plotted, trained = case["plotted"], case["trained"]
    np.testing.assert_allclose(plotted, schedule(np.arange(30)), rtol=RTOL)
    np.testing.assert_allclose(trained, schedule(np.arange(30, 60)), rtol=RTOL)  # it goes on from step 30
    assert trained == pytest.approx([0.125] * 30)


def test_cosine_stepped_per_batch_runs_past_t_max():
    case = DATA["per_batch_cosine"]
    schedule = schedules.cosine(case["lr"], T_max=case["T_max"])
    batch = np.arange(case["epochs"] * case["batches"])
    np.testing.assert_allclose(case["stepped_per_batch"], schedule(batch), rtol=1e-10, atol=1e-18)
    np.testing.assert_allclose(case["stepped_per_epoch"], schedule(batch // case["batches"]), rtol=1e-10,
                               atol=1e-18)
    per_batch = np.array(case["stepped_per_batch"])
    assert per_batch[case["T_max"]] == 0.0 and per_batch[2 * case["T_max"]] == pytest.approx(case["lr"])
