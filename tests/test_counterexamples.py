"""PiecewiseQuadratic: continuity, derivatives, and the heavy ball's cycle that Lessard et al. report."""

import numpy as np
import pytest

from descent.models import PiecewiseQuadratic
from descent.optim import Momentum, Nesterov
from descent.runner import run


def test_continuous_with_matching_derivatives():
    f = PiecewiseQuadratic()
    for joint in (1.0, 2.0):
        left, right = np.array([joint - 1e-9]), np.array([joint])
        assert f.value(left) == pytest.approx(f.value(right), abs=1e-6)
        assert f.grad(left)[0] == pytest.approx(f.grad(right)[0], abs=1e-6)
    x = np.linspace(-3, 4, 701)[:, None]
    h = 1e-6
    numeric = (f.value(x + h) - f.value(x - h)) / (2 * h)
    assert np.allclose(f.grad(x)[:, 0], numeric, rtol=1e-6, atol=1e-4)
    assert set(np.unique(f.hessian(x)[:, 0, 0])) == {1.0, 25.0}
    assert f.value(np.array([0.0])) == 0.0 and np.all(f.value(x) >= 0)


def test_heavy_ball_cycles_and_nesterov_converges():
    f = PiecewiseQuadratic()
    kappa = f.L / f.mu
    heavy = run(f, Momentum(lr=4 / (np.sqrt(f.L) + np.sqrt(f.mu)) ** 2,
                            momentum=((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2), 300)
    tail = heavy.path[-9:, 0]
    assert np.allclose(tail[3:], tail[:-3], atol=1e-9)          # period 3
    assert np.min(np.abs(tail)) > 0.5                           # far from the minimum
    nesterov = run(f, Nesterov(lr=1 / f.L, momentum=(np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)), 300)
    assert abs(nesterov.final[0]) < 1e-12


def test_bad_start():
    with pytest.raises(ValueError, match="start"):
        PiecewiseQuadratic(start=[1.0, 2.0])
