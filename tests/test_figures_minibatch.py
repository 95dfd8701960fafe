"""descent.figures.minibatch: chapter 2's two-parameter model, its SGD runs and figures."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from descent import plots
from descent.figures import minibatch
from descent.figures.minibatch import (
    path_on_contours,
    paths_grid,
    radius_texture_model,
    run_sgd,
    variance_by_batch_size,
)
from descent.optim import SGD
from descent.schedules import inverse_time
from descent.training import train


@pytest.fixture(autouse=True)
def clean_figures():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
    plt.close("all")


def _figure(ncols=1):
    return plots.figure(ncols=ncols, managed=False)


def test_variance_by_batch_size_draws_both_laws_and_the_measurements():
    fig, ax = _figure()
    sizes, measured = np.array([1, 4, 16]), np.array([2.0, 0.5, 0.1])
    plain, corrected, dots = variance_by_batch_size(ax, sizes, measured, sigma2=2.0, n=20, samples=500)
    grid = np.arange(1, 20)
    np.testing.assert_allclose(plain.get_ydata(), 2.0 / grid)
    np.testing.assert_allclose(corrected.get_ydata(), 2.0 / grid * (20 - grid) / 19)
    np.testing.assert_array_equal(dots.get_xdata(), sizes)
    np.testing.assert_array_equal(dots.get_ydata(), measured)
    assert ax.get_xscale() == ax.get_yscale() == "log" and ax.get_xlabel() == "batch size $B$"
    assert "measured (500 batches)" in [t.get_text() for t in ax.get_legend().get_texts()]
    fig.canvas.draw()
    with pytest.raises(ValueError, match="same length"):
        variance_by_batch_size(ax, sizes, measured[:2], sigma2=2.0, n=20)
    with pytest.raises(ValueError, match=r"batch_sizes must all be finite and in \[1, 19\]"):
        variance_by_batch_size(ax, [1, 20], [1.0, 0.1], sigma2=2.0, n=20)
    with pytest.raises(ValueError, match="sigma2 must be > 0"):
        variance_by_batch_size(ax, sizes, measured, sigma2=0.0, n=20)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        variance_by_batch_size(ax, sizes, measured, sigma2=1.0, n=1)


@pytest.mark.parametrize("lr", [0.01, 0.5, 10.0, 1e14])   # 1e14: the loss blows up and the run stops
@pytest.mark.parametrize("batch_size", [1, 7, 64, 427])
@pytest.mark.parametrize("decay", [False, True])
def test_run_sgd_is_train_with_sgd(lr, batch_size, decay):
    """The explorer's specialised SGD loop gives what descent.training.train gives."""
    model = radius_texture_model()
    steps_per_epoch = -(-model.n // batch_size)
    record_every = max(1, -(-2 * steps_per_epoch // 500))
    schedule = inverse_time(lr, decay_rate=1.0, decay_steps=steps_per_epoch) if decay else None
    expected = train(model, SGD(lr=lr), epochs=2, batch_size=batch_size, schedule=schedule, seed=0,
                     record_every=record_every)
    result = run_sgd(model, lr, batch_size, epochs=2, decay=decay)
    assert (result.diverged, result.diverged_at) == (expected.diverged, expected.diverged_at)
    assert result.diverged == (lr == 1e14)
    assert (result.batch_size, result.n, result.min_value) == (expected.batch_size, expected.n, expected.min_value)
    for field in ("steps", "examples"):
        np.testing.assert_array_equal(getattr(result, field), getattr(expected, field), err_msg=field)
    np.testing.assert_array_equal(result.lrs, expected.lrs)
    for field in ("path", "losses", "epoch_losses"):
        np.testing.assert_allclose(getattr(result, field), getattr(expected, field), rtol=1e-12, atol=1e-12,
                                   err_msg=field)


def test_run_sgd_decay_and_bad_arguments():
    model = radius_texture_model()
    result = run_sgd(model, 0.4, 61, epochs=3, decay=True)
    assert result.steps_per_epoch == 7
    np.testing.assert_allclose(result.lrs, 0.4 / (1 + np.arange(21) / 7))
    with pytest.raises(ValueError, match="lr"):
        run_sgd(model, 0.0, 1)
    with pytest.raises(TypeError, match="lr"):
        run_sgd(model, "fast", 1)
    with pytest.raises(ValueError, match="batch_size"):
        run_sgd(model, 0.1, 0)
    with pytest.raises(TypeError, match="batch_size"):
        run_sgd(model, 0.1, 2.5)


def test_static_figures():
    model = radius_texture_model()
    runs = [run_sgd(model, 0.3, 1, epochs=1), run_sgd(model, 0.3, 32, epochs=1)]
    fig, (left, right) = plots.figure(ncols=2, managed=False)
    handles = path_on_contours(left, model, runs, labels=["B = 1", "B = 32"])
    assert len(handles) == 2 and handles[0].line.get_linewidth() == pytest.approx(0.9)
    assert len(handles[0].dots.get_xdata()) == 0                   # thousands of iterates: no dots
    np.testing.assert_allclose(handles[1].line.get_xydata(), runs[1].path)
    again = path_on_contours(plots.figure(managed=False)[1], model, runs[0])
    assert minibatch._contour_grid(model) is minibatch._contour_grid(model)   # the grid is computed once
    assert len(again) == 1
    with pytest.raises(ValueError, match="labels"):
        path_on_contours(left, model, runs, labels=["one"])
    fig, axes = paths_grid([0.1, 1.0], [1, 64], epochs=1)
    assert axes.shape == (2, 2) and axes[1, 0].get_title() == "α = 0.1, B = 64"
