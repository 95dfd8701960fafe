"""descent.figures.minibatch: chapter 2's figures."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from descent import plots
from descent.figures.minibatch import variance_by_batch_size


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
    with pytest.raises(ValueError, match=r"batch_sizes must lie in 1\.\.19"):
        variance_by_batch_size(ax, [1, 20], [1.0, 0.1], sigma2=2.0, n=20)
    with pytest.raises(ValueError, match="sigma2 must be a positive number"):
        variance_by_batch_size(ax, sizes, measured, sigma2=0.0, n=20)
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        variance_by_batch_size(ax, sizes, measured, sigma2=1.0, n=1)
