"""descent.explorers.case_study.EpochRace: each control changes what it should, the lines are the runs'
numbers, every extreme renders without warnings, bad runs are refused."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.explorers import case_study as explorers  # noqa: E402
from descent.explorers.base import explorer_classes  # noqa: E402
from _drawing import changed  # noqa: E402


@pytest.fixture(scope="module")
def runs():
    return explorers.default_runs()


@pytest.fixture(scope="module")
def race(runs):
    explorer = explorers.EpochRace(runs)
    yield explorer
    explorer.close()


def xy(line):
    x, y = line.get_data()
    return np.asarray(x, dtype=float).copy(), np.asarray(y, dtype=float).copy()


def mean_curve(run, key):
    return np.mean([getattr(h, key) for h in run.histories], axis=0)


def test_module_lists_its_explorer():
    assert explorer_classes(explorers) == [explorers.EpochRace]


def test_the_default_runs_are_a_small_comparison(runs):
    assert list(runs) == ["constant", "cosine"]
    assert [run.setting.optimizer for run in runs["constant"]] == ["SGD", "Momentum", "Adam"]
    assert all(run.setting.schedule == "cosine" for run in runs["cosine"])


def test_the_lines_are_the_runs_up_to_the_epoch(race, runs):
    race.set(epoch=3, schedule="constant")
    for i, run in enumerate(runs["constant"]):
        loss = mean_curve(run, "val_loss")
        np.testing.assert_allclose(xy(race.faint[i])[1], loss)
        np.testing.assert_allclose(xy(race.bold[i])[1], loss[:3])
        assert xy(race.heads[i]) == ([3.0], [loss[2]])
        seeds = np.array([h.val_accuracy[2] for h in run.histories])
        assert xy(race.dots[i])[0][0] == pytest.approx(seeds.mean())
        np.testing.assert_allclose(xy(race.ranges[i])[0], [seeds.min(), seeds.max()])
    assert "epoch 3, constant" in race.status.get_text()


def drawn(race):
    return {"bold": [xy(line) for line in race.bold], "faint": [xy(line) for line in race.faint],
            "dots": [xy(line) for line in race.dots], "marker": [xy(race.marker)]}


@pytest.mark.parametrize("control, start, value, moves", [
    ("epoch", 2, 6, {"bold", "dots", "marker"}),
    ("schedule", "constant", "cosine", {"bold", "faint", "dots"}),
])
def test_each_control_alone_changes_what_it_should(race, control, start, value, moves):
    race.set(epoch=4, schedule="constant")
    race.set(**{control: start})
    before = drawn(race)
    text = race.status.get_text()
    race.set(**{control: value})
    after = drawn(race)
    for part in before:
        assert any(changed(before[part], after[part])) == (part in moves), part
    assert race.status.get_text() != text
    other = "schedule" if control == "epoch" else "epoch"
    assert race.values[other] == {"schedule": "constant", "epoch": 4}[other]


def test_every_extreme_renders_without_warnings(race):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for values in race.positions(count=4):
            png = race.render(**values)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_runs_are_refused(runs):
    with pytest.raises(ValueError, match="non-empty dict"):
        explorers.EpochRace({})
    with pytest.raises(ValueError, match="holds no Run"):
        explorers.EpochRace({"constant": []})
    with pytest.raises(ValueError, match="same optimizers"):
        explorers.EpochRace({"constant": runs["constant"], "cosine": runs["cosine"][::-1]})
