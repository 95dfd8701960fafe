"""descent.figures.root_locus: the drawn points are the roots, and they behave as the module says."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from descent.figures import root_locus as locus  # noqa: E402


@pytest.mark.parametrize("beta", [0.1, 0.5, 0.9])
def test_roots_meet_circle_and_leave_at_the_limit(beta):
    alpha_lambda, roots = locus.locus_points(beta)
    # each pair solves z^2 - (1 + beta - alpha lambda) z + beta = 0
    for z in roots.T:
        assert np.allclose(z**2 - (1 + beta - alpha_lambda) * z + beta, 0, atol=1e-12)
    r = np.sqrt(beta)
    inside = (alpha_lambda > (1 - r) ** 2 + 1e-9) & (alpha_lambda < (1 + r) ** 2 - 1e-9)
    # between the critical values: complex, on the circle of radius sqrt(beta)
    assert np.all(np.abs(roots[inside].imag) > 0) and np.allclose(np.abs(roots[inside]), r, rtol=1e-12)
    # outside: real
    assert np.allclose(roots[~inside].imag, 0, atol=1e-6)
    # they meet at +sqrt(beta) and -sqrt(beta)
    for value, meet in (((1 - r) ** 2, r), ((1 + r) ** 2, -r)):
        z = roots[np.argmin(np.abs(alpha_lambda - value))]
        assert np.allclose(z, meet, atol=1e-6)
    # stable exactly below 2 + 2 beta
    largest = np.abs(roots).max(axis=1)
    assert np.all(largest[alpha_lambda < 2 + 2 * beta - 1e-9] < 1)
    assert np.all(largest[alpha_lambda > 2 + 2 * beta + 1e-9] > 1)


def test_figure_draws_one_panel_per_beta():
    fig, axes = locus.root_locus([0.5, 0.9], steps=50)
    assert len(axes) == 2 and [ax.get_title() for ax in axes] == [r"$\beta = 0.5$", r"$\beta = 0.9$"]
    for ax, beta in zip(axes, (0.5, 0.9)):
        drawn = np.concatenate([c.get_offsets() for c in ax.collections[:2]])
        _, roots = locus.locus_points(beta, 50)
        assert np.allclose(np.sort(drawn[:, 0]), np.sort(np.concatenate([roots[:, 0].real, roots[:, 1].real])))
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("beta", [0.0, 1.0, -0.5, float("nan")])
def test_bad_beta(beta):
    with pytest.raises(ValueError, match="beta"):
        locus.locus_points(beta)
