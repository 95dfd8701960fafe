"""descent.training.hyperparameters: grid and random settings, log scales, narrowing, evaluating; bad input."""

import math

import numpy as np
import pytest

from descent.training import grid_points, narrow, random_points, search

SPACE = {"lr": (1e-4, 1e-1, "log"), "beta1": (0.5, 0.99, "linear")}


def test_a_grid_is_every_combination_log_spaced_where_asked():
    points = grid_points(SPACE, 3)
    assert len(points) == 9
    assert sorted({p["lr"] for p in points}) == pytest.approx([1e-4, 10 ** -2.5, 1e-1])
    assert sorted({p["beta1"] for p in points}) == pytest.approx([0.5, 0.745, 0.99])
    assert points[0] == pytest.approx({"lr": 1e-4, "beta1": 0.5}) and points[1]["beta1"] == pytest.approx(0.745)
    assert grid_points({"lr": (1e-4, 1e-2, "log")}, 1) == [pytest.approx({"lr": 1e-3})]


def test_random_points_are_seeded_inside_the_space_and_uniform_in_the_logarithm():
    points = random_points(SPACE, 4000, seed=3)
    assert random_points(SPACE, 5, seed=3) == random_points(SPACE, 5, seed=3)
    assert random_points(SPACE, 5, seed=3) != random_points(SPACE, 5, seed=4)
    lrs = np.array([p["lr"] for p in points])
    betas = np.array([p["beta1"] for p in points])
    assert lrs.min() >= 1e-4 and lrs.max() <= 1e-1 and betas.min() >= 0.5 and betas.max() <= 0.99
    # each of the three decades gets about a third of the draws (binomial sd of the share: 0.0075)
    shares = np.histogram(np.log10(lrs), bins=[-4, -3, -2, -1])[0] / len(lrs)
    np.testing.assert_allclose(shares, 1 / 3, atol=0.03)
    assert abs(np.mean(betas) - 0.745) < 0.01
    assert len(set(lrs.tolist())) == len(lrs)  # every trial a different rate


def test_narrow_centres_a_smaller_space_on_the_point_inside_the_old_one():
    smaller = narrow(SPACE, {"lr": 1e-2, "beta1": 0.9}, factor=3)
    assert smaller["lr"] == pytest.approx((1e-2 / 3, 3e-2, "log"))
    low, high, scale = smaller["beta1"]
    assert scale == "linear" and (low, high) == pytest.approx((0.9 - 0.49 / 6, 0.9 + 0.49 / 6))
    edge = narrow(SPACE, {"lr": 1e-4, "beta1": 0.5}, factor=10)
    assert edge["lr"][0] == 1e-4 and edge["beta1"][0] == 0.5


def test_search_keeps_every_score_and_the_best():
    result = search(lambda lr, beta1: (math.log10(lr) + 2) ** 2 + beta1, grid_points(SPACE, 3))
    assert len(result.scores) == 9
    assert result.best["lr"] == pytest.approx(10 ** -2.5) and result.best["beta1"] == 0.5
    assert result.best_score == pytest.approx(0.25 + 0.5)
    np.testing.assert_allclose(result.values("beta1")[:3], [0.5, 0.745, 0.99])
    diverged = search(lambda lr: math.nan if lr > 0.05 else lr, [{"lr": 0.1}, {"lr": 0.01}])
    assert diverged.scores.tolist() == [math.inf, 0.01] and diverged.best == {"lr": 0.01}
    assert "best score" in repr(diverged)


@pytest.mark.parametrize("call, words", [
    (lambda: grid_points({}, 3), "non-empty dict"),
    (lambda: grid_points({"lr": (0.0, 1.0, "log")}, 3), "needs low > 0"),
    (lambda: grid_points({"lr": (1.0, 0.1, "log")}, 3), "low < high"),
    (lambda: grid_points({"lr": (0.1, 1.0, "cubic")}, 3), "scale"),
    (lambda: grid_points({"lr": (0.1, 1.0)}, 3), "must be \\(low, high, scale\\)"),
    (lambda: grid_points(SPACE, 0), "per_axis"),
    (lambda: random_points(SPACE, 0), "trials"),
    (lambda: narrow(SPACE, {"lr": 1e-2}, 3), "no value for 'beta1'"),
    (lambda: narrow(SPACE, {"lr": 1.0, "beta1": 0.9}, 3), "point\\['lr'\\]"),
    (lambda: narrow(SPACE, {"lr": 1e-2, "beta1": 0.9}, 1.0), "factor must be > 1"),
    (lambda: search(lambda lr: lr, []), "at least one setting"),
])
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_search_needs_a_function():
    with pytest.raises(TypeError, match="objective"):
        search(3, [{"lr": 0.1}])
