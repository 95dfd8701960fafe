"""descent.schedules against torch.optim.lr_scheduler, from stored reference rates.

tests/data/schedules/reference.json is written by tools/make_schedule_reference.py,
which runs the real torch schedulers; these tests need neither torch nor the network.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from _schedule_cases import FUNCTIONS, RTOL, build
from descent import schedules

REFERENCE = json.loads((Path(__file__).parent / "data" / "schedules" / "reference.json").read_text())


def steps_of(case):
    return case.get("t", list(range(len(case["lr"]))))


SCHEDULE_CASES = REFERENCE["schedules"]
PLATEAU_CASES = REFERENCE["plateau"]


def test_reference_covers_every_schedule():
    covered = {case["function"] for case in SCHEDULE_CASES}
    assert covered == set(FUNCTIONS)
    assert PLATEAU_CASES


@pytest.mark.parametrize("case", SCHEDULE_CASES, ids=[c["id"] for c in SCHEDULE_CASES])
def test_rates_match_torch(case):
    s = build(case["function"], case["kwargs"])
    expected = np.array(case["lr"], dtype=float)
    got = np.array([s(t) for t in steps_of(case)])
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=0, err_msg=f"{s!r} differs from torch")


@pytest.mark.parametrize(
    "case",
    [c for c in SCHEDULE_CASES if "torch_raises_at" in c],
    ids=[c["id"] for c in SCHEDULE_CASES if "torch_raises_at" in c],
)
def test_refuses_the_step_where_torch_raises(case):
    s = build(case["function"], case["kwargs"])
    with pytest.raises(ValueError, match="t="):
        s(case["torch_raises_at"])


@pytest.mark.parametrize("case", PLATEAU_CASES, ids=[c["id"] for c in PLATEAU_CASES])
def test_plateau_matches_torch(case):
    p = schedules.ReduceLROnPlateau(**case["kwargs"])
    for i, metric in enumerate(case["metrics"]):
        lr = p.step(metric)
        where = f"{p!r}, epoch {i + 1}, metric {metric!r}"
        assert lr == pytest.approx(case["lr"][i], rel=RTOL, abs=0), where
        assert p.lr == lr
        best = case["best"][i]
        assert (p.best == best) if math.isinf(best) else p.best == pytest.approx(best, rel=RTOL, abs=0), where
        assert p.num_bad_epochs == case["num_bad_epochs"][i], where
        assert p.cooldown_counter == case["cooldown_counter"][i], where
        assert p.last_epoch == i + 1


def test_plateau_cases_reduce_several_times():
    """The reference runs exercise what they claim: reductions, cooldowns, the eps guard."""
    by_id = {c["id"]: c for c in PLATEAU_CASES}
    for case in PLATEAU_CASES:
        if case["id"] not in ("eps_blocks_tiny_updates", "min_rel_negative_metric"):
            assert len(set(case["lr"])) >= 3, case["id"]
    assert set(by_id["eps_blocks_tiny_updates"]["lr"]) == {1e-6}
    # a relative threshold on a negative metric accepts slightly worse values as "better",
    # so in torch (and here) the rate never drops although the metric plateaus
    negative = by_id["min_rel_negative_metric"]
    assert set(negative["lr"]) == {0.1}
    assert any(later > earlier for earlier, later in zip(negative["best"], negative["best"][1:]))
    assert max(by_id["min_abs_cooldown_min_lr"]["cooldown_counter"]) == 2
    assert min(by_id["min_abs_cooldown_min_lr"]["lr"]) == 0.002
    assert min(by_id["eps_blocks_last_step_to_min_lr"]["lr"]) > 0.0124
