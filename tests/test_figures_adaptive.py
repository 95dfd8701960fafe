"""descent.figures.adagrad and descent.figures.rmsprop: each figure draws the data it is given, and refuses
input it cannot draw."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.figures import adagrad, rmsprop  # noqa: E402
from descent.plots import figure  # noqa: E402
from descent.theory import adaptive as theory  # noqa: E402


def axes():
    return figure(managed=False)[1]


def test_rotation_steps_draws_adagrad_and_the_gradient_descent_line():
    ax = axes()
    line, reference = adagrad.rotation_steps(ax, [0, 45, 90], [16, 1009, 16], 691, 1e-6)
    np.testing.assert_array_equal(line.get_xdata(), [0, 45, 90])
    np.testing.assert_array_equal(line.get_ydata(), [16, 1009, 16])
    assert list(reference.get_ydata()) == [691, 691]
    assert ax.get_ylim()[1] > 1009
    assert "10^{-6}" in ax.get_ylabel()
    with pytest.raises(ValueError, match="tolerance"):
        adagrad.rotation_steps(axes(), [0], [1.0], 10, 0.0)
    with pytest.raises(ValueError, match="adagrad_steps"):
        adagrad.rotation_steps(axes(), [0, 45], [1.0], 10, 1e-6)


def test_feature_rates_guide_has_slope_minus_a_half():
    ax = axes()
    p = np.geomspace(0.5, 0.001, 6)
    points, guide = adagrad.feature_rates(ax, p, 0.01 / np.sqrt(p))
    x, y = guide.get_data()
    assert np.polyfit(np.log(x), np.log(y), 1)[0] == pytest.approx(-0.5)
    # the guide goes through points that follow the law exactly
    np.testing.assert_allclose(np.interp(np.log(p[::-1]), np.log(x), np.log(y)), np.log(0.01 / np.sqrt(p[::-1])),
                               rtol=1e-3)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="> 0"):
        adagrad.feature_rates(axes(), [0.5, 0.0], [1.0, 1.0])


def test_error_tradeoff_one_line_per_optimizer_and_a_ring_at_the_tuned_rate():
    ax = axes()
    runs = {"SGD": {"lr": [0.1, 1.0], "rare": [0.9, 0.2], "common": [0.01, 0.3]},
            "AdaGrad": {"lr": [0.1, 1.0], "rare": [0.3, 0.1], "common": [0.01, 0.05]}}
    lines = adagrad.error_tradeoff(ax, runs, tuned={"SGD": 0.1, "AdaGrad": 1.0})
    assert [line.get_label() for line in lines] == ["SGD", "AdaGrad"]
    np.testing.assert_array_equal(lines[1].get_xdata(), [0.01, 0.05])
    rings = [line for line in ax.get_lines() if line.get_marker() == "o" and line.get_markersize() == 14]
    assert [(r.get_xdata()[0], r.get_ydata()[0]) for r in rings] == [(0.01, 0.9), (0.05, 0.1)]
    with pytest.raises(ValueError, match="not one of its learning rates"):
        adagrad.error_tradeoff(axes(), runs, tuned={"SGD": 0.5})
    with pytest.raises(ValueError, match="not in runs"):
        adagrad.error_tradeoff(axes(), runs, tuned={"Adam": 0.1})
    with pytest.raises(ValueError, match="rare"):
        adagrad.error_tradeoff(axes(), {"SGD": {"lr": [0.1, 1.0], "rare": [0.1], "common": [0.1, 0.2]}})
    with pytest.raises(ValueError, match="at least one"):
        adagrad.error_tradeoff(axes(), {})


def test_effective_rates_and_first_steps():
    ax = axes()
    lines = adagrad.effective_rates(ax, {"a": np.ones(5), "b": np.full((5, 2), 0.5)},
                                    reference=np.linspace(1, 0.1, 5), reference_label="ref")
    assert [line.get_label() for line in lines] == ["a", "b, θ₁", "b, θ₂", "ref"]
    assert lines[1].get_color() == lines[2].get_color() and lines[2].get_linestyle() == "--"
    np.testing.assert_array_equal(lines[0].get_xdata(), np.arange(1, 6))
    with pytest.raises(ValueError, match="shape"):
        adagrad.effective_rates(axes(), {"a": np.ones((2, 2, 2))})
    ax = axes()
    (line,) = adagrad.first_steps(ax, [1e-3, 1.0], {"torch": np.array([0.2, 0.4])}, lr=0.4)
    np.testing.assert_allclose(line.get_ydata(), [0.5, 1.0])
    with pytest.raises(ValueError, match="gradients"):
        adagrad.first_steps(axes(), [0.0, 1.0], {"torch": np.ones(2)})


def test_leaky_weights_marks_half_life_and_window():
    ax = axes()
    (line,) = rmsprop.leaky_weights(ax, [0.9], steps=20)
    np.testing.assert_allclose(line.get_ydata(), theory.leaky_average_weights(0.9, 20))
    verticals = sorted(l.get_xdata()[0] for l in ax.get_lines() if l is not line)
    assert verticals == pytest.approx([theory.half_life(0.9), 10.0])
    # a window beyond the chart is not drawn
    ax = axes()
    rmsprop.leaky_weights(ax, [0.99], steps=20)
    assert len(ax.get_lines()) == 1
    with pytest.raises(ValueError, match="gamma"):
        rmsprop.leaky_weights(axes(), [1.0])
    with pytest.raises(ValueError, match="at least one"):
        rmsprop.leaky_weights(axes(), [])


def test_step_growth_draws_steps_and_their_references():
    ax = axes()
    lines = rmsprop.step_growth(ax, {"a": np.array([1.0, 2.0, 3.0])}, {"ref a": np.array([1.0, 1.5, 2.0])})
    assert [l.get_label() for l in lines] == ["a", "ref a"]
    assert lines[0].get_color() == lines[1].get_color()
    with pytest.raises(ValueError, match="shape"):
        rmsprop.step_growth(axes(), {"a": np.ones(3)}, {"ref": np.ones(4)})
    with pytest.raises(ValueError, match="at most one"):
        rmsprop.step_growth(axes(), {"a": np.ones(3)}, {"r1": np.ones(3), "r2": np.ones(3)})
