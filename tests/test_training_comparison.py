"""descent.training.comparison: the protocol, the runs (equal to fit's), the rate search and its
extension, the peaks of schedules, test scores, the separation rule and its chance level, and the
translation from torch's names."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from descent import optim
from descent.data import load, load_test
from descent.schedules import cosine, multistep, warmup
from descent.training import EarlyStopping, fit
from descent.training.comparison import (
    COARSE_RATES, OPTIMIZERS, SCHEDULES, Protocol, Run, Search, Setting, best_rate, evaluate_on_test, make_schedule,
    run_setting, run_settings, search_peaks, search_rates)
from descent.training.separation import chance_separations, count_separated, separated
from descent.training.torch_names import TORCH_EQUIVALENTS, from_torch


@pytest.fixture(scope="module")
def digits():
    return load("digits")


#: A protocol small enough for tests: a 64-8-10 net, 3 epochs, two seeds.
SMALL = Protocol(sizes=(64, 8, 10), epochs=3, batch_size=128, patience=2, seeds=(0, 1))


def test_every_optimizer_of_descent_is_compared_and_named_in_torch():
    names = [name for name in optim.__all__ if name != "Optimizer"]
    assert set(OPTIMIZERS) == set(names) == set(TORCH_EQUIVALENTS)


@pytest.mark.parametrize("name, epochs, expected", [
    ("cosine", 20, lambda t: cosine(0.1, T_max=20)(t)),
    ("step", 20, lambda t: multistep(0.1, milestones=[10, 15], gamma=0.1)(t)),
    ("warmup", 20, lambda t: warmup(cosine(0.1, T_max=18), warmup_steps=2)(t)),
    ("warmup", 5, lambda t: warmup(cosine(0.1, T_max=4), warmup_steps=1)(t)),
])
def test_schedules_are_the_documented_ones(name, epochs, expected):
    schedule = make_schedule(name, 0.1, epochs)
    assert [schedule(t) for t in range(epochs + 1)] == [expected(t) for t in range(epochs + 1)]
    assert make_schedule("constant", 0.1, epochs) is None


@pytest.mark.parametrize("call, match", [
    (lambda: make_schedule("linear", 0.1, 10), "schedule"),
    (lambda: make_schedule("cosine", 0.0, 10), "lr"),
    (lambda: make_schedule("cosine", 0.1, 1), "epochs"),
    (lambda: Protocol(seeds=(0, 0)), "seeds"),
    (lambda: Protocol(seeds=()), "seeds"),
    (lambda: Protocol(epochs=1), "epochs"),
    (lambda: Protocol(patience=0), "patience"),
    (lambda: Protocol(dtype="float16"), "dtype"),
    (lambda: Protocol(sizes=(64, 0, 10)), "sizes"),
    (lambda: Setting("Adagrad", 0.1), "optimizer"),
    (lambda: Setting("Adam", -1.0), "lr"),
    (lambda: Setting("Adam", 0.1, "plateau"), "schedule"),
])
def test_bad_settings_are_refused_naming_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_run_is_fit_once_per_seed(digits):
    setting = Setting("Momentum", 0.05, "cosine")
    run = run_setting(setting, SMALL, digits)
    assert isinstance(run, Run) and len(run.histories) == len(run.params) == 2
    for seed, history, params in zip(SMALL.seeds, run.histories, run.params):
        net = SMALL.model
        theirs = net.init(seed)
        alone = fit(net, theirs, optim.Momentum(lr=0.05), digits, epochs=3, batch_size=128, seed=seed,
                    schedule=cosine(0.05, T_max=3), schedule_unit="epoch", early_stopping=EarlyStopping(patience=2))
        np.testing.assert_allclose(history.val_loss, alone.val_loss, rtol=1e-12)
        np.testing.assert_array_equal(history.val_accuracy, alone.val_accuracy)
        for key in theirs:
            np.testing.assert_allclose(params[key], theirs[key], rtol=1e-12, atol=1e-14)
    # what a run reports about itself
    np.testing.assert_array_equal(run.best_val_loss, [h.val_loss.min() for h in run.histories])
    np.testing.assert_array_equal(run.epochs, [h.n_epochs for h in run.histories])
    kept = [h.val_accuracy[h.best_epoch] for h in run.histories]
    np.testing.assert_array_equal(run.val_accuracy, kept)
    assert not run.diverged and "Momentum, lr 0.05, cosine" in repr(run)


def test_a_float32_protocol_trains_in_float32(digits):
    run = run_setting(Setting("Adam", 1e-2), Protocol(sizes=(64, 8, 10), epochs=2, patience=None, seeds=(3,),
                                                        dtype="float32"), digits)
    assert run.params[0]["W1"].dtype == np.float32 and run.histories[0].n_epochs == 2


def test_two_processes_give_the_serial_results_bit_for_bit(digits):
    settings = [Setting(name, lr) for name, lr in (("SGD", 0.3), ("Adam", 1e-2), ("RAdam", 3e-2), ("Nesterov", 0.1))]
    serial = run_settings(settings, SMALL, digits, workers=1)
    shared = run_settings(settings, SMALL, digits, workers=2)
    assert [run.setting for run in shared] == settings
    for a, b in zip(serial, shared):
        assert all(h1.equal(h2) for h1, h2 in zip(a.histories, b.histories))
        assert all(np.array_equal(p1[key], p2[key]) for p1, p2 in zip(a.params, b.params) for key in p1)


class FakeRun(SimpleNamespace):
    """Just what best_rate reads."""


def fake(lr, losses, diverged=False):
    return FakeRun(setting=Setting("SGD", lr), best_val_loss=np.array(losses), diverged=diverged)


def test_best_rate_takes_the_lowest_mean_and_says_by_how_much():
    runs = [fake(0.01, [0.3, 0.5]), fake(0.1, [0.2, 0.3]), fake(1.0, [0.1, 0.1], diverged=True)]
    run, margin = best_rate(runs)
    assert run.setting.lr == 0.1 and margin == pytest.approx(0.4 / 0.25 - 1)
    assert best_rate([fake(0.1, [0.2])])[1] == math.inf
    with pytest.raises(ValueError, match="diverged"):
        best_rate([fake(1.0, [0.1], diverged=True)])


def test_the_search_brackets_its_winner_and_extends_outwards(digits):
    # coarse rates far too small for SGD: the fine pass and the extensions must walk up
    search = search_rates(["SGD", "Adam"], SMALL, digits, coarse=(1e-4, 1e-3), extend=2, workers=1)
    assert isinstance(search, Search) and set(search.runs) == {"SGD", "Adam"}
    for name in ("SGD", "Adam"):
        rates = [run.setting.lr for run in search.runs[name]]
        assert rates == sorted(rates) and len(set(rates)) == len(rates)
        assert {1e-4, 1e-3} <= set(rates)
        means = [np.mean(run.best_val_loss) for run in search.runs[name]]
        assert search.best[name] is search.runs[name][int(np.argmin(means))]
        assert search.rates[name] == search.best[name].setting.lr
    # SGD's winner after the fine pass (10^-2.5) sits at the top edge: the two extensions go to 1e-2, 10^-1.5
    sgd = [run.setting.lr for run in search.runs["SGD"]]
    assert sgd == pytest.approx([1e-4, 10**-3.5, 1e-3, 10**-2.5, 1e-2, 10**-1.5])
    assert not search.bracketed("SGD")  # the extensions ran out, the winner is still the largest rate
    full = search_rates(["SGD"], SMALL, digits, coarse=(1e-2, 1e-1, 1.0), workers=1)
    assert full.bracketed("SGD") and len(full.runs["SGD"]) == 5
    assert full.margins["SGD"] > 0


def test_the_search_refuses_bad_arguments(digits):
    with pytest.raises(ValueError, match="optimizers"):
        search_rates(["Adagrad"], SMALL, digits)
    with pytest.raises(ValueError, match="coarse"):
        search_rates(["SGD"], SMALL, digits, coarse=(0.1,))
    with pytest.raises(ValueError, match="factor"):
        search_rates(["SGD"], SMALL, digits, factor=1.0)
    assert COARSE_RATES == (1e-3, 1e-2, 1e-1, 1.0)


def test_the_peaks_of_a_schedule_are_the_tuned_rates_times_the_factors(digits):
    search = search_rates(["Adam"], SMALL, digits, coarse=(1e-3, 1e-2), extend=0, workers=1)
    peaks = search_peaks(search, "cosine", SMALL, digits, factors=(1.0, 3.0), workers=1)
    rates = [run.setting.lr for run in peaks.runs["Adam"]]
    assert rates == pytest.approx([search.rates["Adam"], 3 * search.rates["Adam"]])
    assert all(run.setting.schedule == "cosine" for run in peaks.runs["Adam"])
    with pytest.raises(TypeError, match="Search"):
        search_peaks({}, "cosine", SMALL, digits)
    with pytest.raises(ValueError, match="schedule"):
        search_peaks(search, "onecycle", SMALL, digits)


def test_test_scores_are_the_networks_evaluated_on_the_test_set(digits):
    run = run_setting(Setting("Adam", 1e-2), SMALL, digits)
    test = load_test("digits")
    losses, accuracies = evaluate_on_test(run, test)
    for params, loss, accuracy in zip(run.params, losses, accuracies):
        assert (loss, accuracy) == SMALL.model.evaluate(params, test.X, test.y)
    with pytest.raises(TypeError, match="TestSet"):
        evaluate_on_test(run, digits)


@pytest.mark.parametrize("lower, higher, margin, expected", [
    ([0.1, 0.2], [0.3, 0.4], 0.0, True),
    ([0.1, 0.35], [0.3, 0.4], 0.0, False),
    ([0.3], [0.3], 0.0, False),   # a tie is not a separation
    ([0.1, 0.2], [0.3, 0.4], 0.1, False),
    ([0.1, np.nan], [0.3], 0.0, False),
])
def test_separated_is_every_value_below_every_other(lower, higher, margin, expected):
    assert separated(lower, higher, margin) is expected


def test_separated_refuses_empty_input_and_a_negative_margin():
    with pytest.raises(ValueError, match="at least one"):
        separated([], [1.0])
    with pytest.raises(ValueError, match="margin"):
        separated([0.0], [1.0], margin=-1)


def test_count_separated_counts_ordered_pairs():
    table = np.array([[0.1, 0.2], [0.3, 0.4], [0.35, 0.5], [0.6, 0.7]])
    # 0<1, 0<2, 0<3, 1<3, 2<3 (1 and 2 overlap)
    assert count_separated(table) == 5
    with pytest.raises(ValueError, match="settings, seeds"):
        count_separated([0.1, 0.2])
    with pytest.raises(ValueError, match="finite"):
        count_separated([[0.1], [np.nan]])


def test_chance_separations_of_exchangeable_scores_are_one_in_twenty():
    # with independent scores the shuffles make rows of three iid values: a given ordered pair is
    # separated when one row holds the three smallest of six values, 1 / C(6, 3) = 1/20
    table = np.random.default_rng(1).normal(size=(11, 3))
    counts = chance_separations(table, trials=4000, seed=2)
    assert counts.shape == (4000,)
    assert counts.mean() == pytest.approx(110 / 20, rel=0.05)
    np.testing.assert_array_equal(counts, chance_separations(table, trials=4000, seed=2))  # seeded


def test_chance_separations_keep_each_seed_together():
    # every row equal within a seed: shuffling the rows of one column changes nothing, no pair separates
    table = np.tile(np.array([[1.0, 2.0, 3.0]]), (5, 1))
    assert chance_separations(table, trials=50).max() == 0
    # a seed effect far larger than the settings' differences: shuffles almost never separate
    seeds = np.array([0.0, 10.0, 20.0])
    table = seeds + np.random.default_rng(0).normal(scale=0.1, size=(6, 3))
    assert chance_separations(table, trials=500).max() == 0


@pytest.mark.parametrize("torch_class, options, expected", [
    ("SGD", {}, optim.SGD(lr=0.1)),
    ("SGD", {"momentum": 0.0, "dampening": 0.5}, optim.SGD(lr=0.1)),
    ("SGD", {"momentum": 0.9, "foreach": True}, optim.Momentum(lr=0.1, momentum=0.9)),
    ("SGD", {"momentum": 0.5, "dampening": 0.1}, optim.Momentum(lr=0.1, momentum=0.5, dampening=0.1)),
    ("SGD", {"momentum": 0.9, "nesterov": True, "weight_decay": 5e-4},
     optim.Nesterov(lr=0.1, momentum=0.9, weight_decay=5e-4)),
    ("Adagrad", {"lr_decay": 0.01, "fused": None}, optim.AdaGrad(lr=0.1, lr_decay=0.01)),
    ("RMSprop", {"centered": True, "capturable": False}, optim.RMSProp(lr=0.1, centered=True)),
    ("Adadelta", {"rho": 0.95}, optim.Adadelta(lr=0.1, rho=0.95)),
    ("Adam", {"amsgrad": True, "differentiable": False}, optim.Adam(lr=0.1, amsgrad=True)),
    ("AdamW", {}, optim.AdamW(lr=0.1)),
    ("Adamax", {}, optim.AdaMax(lr=0.1)),
    ("NAdam", {"momentum_decay": 0.01}, optim.NAdam(lr=0.1, momentum_decay=0.01)),
    ("RAdam", {"decoupled_weight_decay": True}, optim.RAdam(lr=0.1, decoupled_weight_decay=True)),
])
def test_from_torch_gives_the_same_method(torch_class, options, expected):
    ours = from_torch(torch_class, 0.1, **options)
    assert type(ours) is type(expected) and ours.hyperparameters == expected.hyperparameters


def test_from_torch_refuses_what_it_cannot_translate():
    with pytest.raises(ValueError, match="torch_class"):
        from_torch("LBFGS", 1.0)
    with pytest.raises(ValueError, match="torch_class"):
        from_torch("AdaGrad", 0.1)  # descent's spelling, not torch's
    with pytest.raises(ValueError, match="betas"):
        from_torch("Adam", 0.1, betas=0.9)
    with pytest.raises(ValueError, match="options"):
        from_torch("Adam", 0.1, momentum=0.9)
    with pytest.raises(ValueError, match="Nesterov"):
        from_torch("SGD", 0.1, nesterov=True)  # torch refuses it too: Nesterov needs momentum


def test_schedules_listed_are_the_ones_made():
    assert SCHEDULES == ("constant", "cosine", "step", "warmup")
    for name in SCHEDULES[1:]:
        assert callable(make_schedule(name, 0.1, 10))
