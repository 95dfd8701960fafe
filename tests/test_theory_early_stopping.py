"""descent.theory.early_stopping: gradient descent's and ridge's spectral filters, checked against real runs of
descent.optim.SGD and against the ridge solution of descent.models.LeastSquares; the gap between them and its
bound; bad input."""

from __future__ import annotations

import numpy as np
import pytest

from descent.models import LeastSquares
from descent.optim import SGD
from descent.runner import run
from descent.theory import early_stopping as theory


def problem(seed=0, n=60, d=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.geomspace(0.1, 2.0, d)
    y = X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)
    model = LeastSquares(X, y, fit_intercept=False)
    eigenvalues, vectors = np.linalg.eigh(model.hessian(np.zeros(d)))
    return model, X, y, eigenvalues, vectors


@pytest.mark.parametrize("seed", range(3))
def test_the_gradient_descent_filter_is_what_a_run_from_zero_fits(seed):
    model, X, y, eigenvalues, vectors = problem(seed)
    alpha = 0.5 / eigenvalues.max()
    path = run(model, SGD(lr=alpha), 400, start=np.zeros(model.dim)).path
    fitted = (path @ vectors) / (vectors.T @ model.optimum)  # share of each coefficient, step by step
    steps = np.array([0, 1, 7, 50, 400])
    np.testing.assert_allclose(fitted[steps], theory.gradient_descent_filter(alpha, steps, eigenvalues),
                               rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("strength", [1e-3, 0.1, 2.0])
def test_the_ridge_filter_is_what_the_ridge_solution_keeps(strength):
    model, X, y, eigenvalues, vectors = problem(1)
    ridge = LeastSquares(X, y, fit_intercept=False, l2=strength).optimum
    kept = (vectors.T @ ridge) / (vectors.T @ model.optimum)
    np.testing.assert_allclose(kept, theory.ridge_filter(strength, eigenvalues), rtol=1e-9)


def test_the_filters_agree_within_the_bound_and_meet_at_the_ends():
    eigenvalues = np.geomspace(1e-4, 1.0, 400)
    for alpha_lambda_max in (0.01, 0.1, 0.5):
        alpha = alpha_lambda_max / eigenvalues.max()
        steps = np.unique(np.geomspace(1, 1e6, 60).astype(int))
        gaps = theory.filter_gap(alpha, steps, eigenvalues)
        bound, _ = theory.largest_gap(alpha_lambda_max)
        assert np.all(gaps <= bound + 1e-12)
        assert np.all(gaps >= -1e-12)  # (1 - a)^tau <= e^(-a tau): gradient descent always fits at least as much
        assert gaps.max() > theory.largest_gap(0.0)[0] - 0.01  # the bound is nearly reached
    # far flatter than c = 1/(tau alpha): neither fits; far steeper: both fit
    alpha, tau = 1e-3, 1000
    c = theory.matching_strength(alpha, tau)
    assert c == pytest.approx(1.0)
    gd, ridge = theory.gradient_descent_filter(alpha, tau, [1e-3, 1e3 / 1.1]), theory.ridge_filter(c, [1e-3, 1e3 / 1.1])
    np.testing.assert_allclose(gd[0], ridge[0], rtol=2e-3)
    assert gd[1] == pytest.approx(1.0) and ridge[1] > 0.998


def test_largest_gap_in_the_continuous_limit():
    gap, x = theory.largest_gap()
    assert x == pytest.approx(2 * np.log1p(x), rel=1e-12)
    grid = np.linspace(0, 30, 300_001)
    assert gap == pytest.approx(np.max(1 - np.exp(-grid) - grid / (1 + grid)), abs=1e-9)
    assert round(gap, 4) == 0.2036 and round(x, 2) == 2.51


def test_shapes():
    assert theory.gradient_descent_filter(0.1, [1, 2, 3], [0.5, 1.0]).shape == (3, 2)
    assert theory.gradient_descent_filter(0.1, 4, [0.5, 1.0]).shape == (2,)
    assert theory.ridge_filter([0.1, 1.0], [0.5, 1.0, 2.0]).shape == (2, 3)
    assert theory.matching_strength(0.1, np.array([1, 10])).tolist() == pytest.approx([10.0, 1.0])


@pytest.mark.parametrize("call, words", [
    (lambda: theory.gradient_descent_filter(0.0, 3, [1.0]), "alpha"),
    (lambda: theory.gradient_descent_filter(0.1, 2.5, [1.0]), "steps"),
    (lambda: theory.gradient_descent_filter(0.1, -1, [1.0]), "steps"),
    (lambda: theory.gradient_descent_filter(1.0, 3, [3.0]), "stability limit"),
    (lambda: theory.gradient_descent_filter(0.1, 3, [-1.0]), "eigenvalues"),
    (lambda: theory.ridge_filter(0.0, [1.0]), "strength"),
    (lambda: theory.matching_strength(0.1, 0), "steps must be >= 1"),
    (lambda: theory.largest_gap(0.9), "alpha_lambda"),
])
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
