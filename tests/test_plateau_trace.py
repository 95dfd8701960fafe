"""descent.schedules.plateau.plateau_trace: the state of reduce-on-plateau after every epoch, against torch's recorded
runs (tests/data/schedules/reference.json, written by tools/make_schedule_reference.py)."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from descent.schedules import ReduceLROnPlateau
from descent.schedules.plateau import plateau_trace

REFERENCE = json.loads((Path(__file__).parent / "data" / "schedules" / "reference.json").read_text())
CASES = REFERENCE["plateau"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_trace_is_torchs_run(case):
    kwargs = dict(case["kwargs"])
    lr0 = kwargs.pop("lr0")
    trace = plateau_trace(case["metrics"], lr0, **kwargs)
    np.testing.assert_allclose(trace["lr"], case["lr"], rtol=1e-12, atol=0)
    assert trace["num_bad_epochs"].tolist() == case["num_bad_epochs"]
    assert trace["cooldown_counter"].tolist() == case["cooldown_counter"]
    best = np.array(case["best"], dtype=float)
    np.testing.assert_allclose(trace["best"], best, rtol=1e-12, atol=0)
    # improved: torch's best changed at that call; reduced: torch's rate dropped at that call
    previous_best = np.concatenate([[math.inf if kwargs.get("mode", "min") == "min" else -math.inf], best[:-1]])
    assert trace["improved"].tolist() == (best != previous_best).tolist()
    previous_lr = np.concatenate([[lr0], case["lr"][:-1]])
    assert trace["reduced"].tolist() == (np.array(case["lr"]) < previous_lr).tolist()
    np.testing.assert_array_equal(trace["metric"], np.array(case["metrics"], dtype=float))


def test_a_trace_leaves_no_state_behind_and_checks_its_arguments():
    first = plateau_trace([1.0, 1.0, 1.0], 0.1, patience=0)
    second = plateau_trace([1.0, 1.0, 1.0], 0.1, patience=0)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
    assert first["reduced"].tolist() == [False, True, True]
    with pytest.raises(ValueError, match="factor"):
        plateau_trace([1.0], 0.1, factor=1.5)
    with pytest.raises(TypeError):
        plateau_trace([1.0], 0.1, step_size=3)
    assert ReduceLROnPlateau(0.1).last_epoch == 0
