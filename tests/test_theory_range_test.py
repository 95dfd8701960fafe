"""descent.theory.range_test: the noise-free range test in closed form, against descent.training.lr_range_test
on quadratics and on least squares with full batches; bad input."""

from __future__ import annotations

import numpy as np
import pytest

from descent.models import LeastSquares, Quadratic
from descent.optim import SGD
from descent.runner import run
from descent.theory import range_test as theory
from descent.training import lr_range_test


@pytest.mark.parametrize("eigenvalues", [[1.0], [0.5, 3.0], [0.01, 0.3, 7.0]])
def test_closed_form_is_the_range_test_on_a_quadratic_up_to_the_stability_limit(eigenvalues):
    q = Quadratic(eigenvalues)
    result = lr_range_test(q, q.start, SGD(lr=0.1), lr_min=1e-4 / q.L, lr_max=1e3 / q.L, steps=200)
    coordinates = np.linalg.eigh(q.hessian(q.start))[1].T @ (q.start - q.minimizers[0])
    order = np.argsort(np.linalg.eigh(q.hessian(q.start))[0])
    predicted = theory.sweep_losses(result.lrs, np.sort(np.linalg.eigvalsh(q.hessian(q.start))), coordinates[order],
                                    q.min_value)
    stable = result.lrs < 2 / q.L
    np.testing.assert_allclose(predicted[stable], result.losses[stable], rtol=1e-9)


def test_closed_form_on_least_squares_and_the_rounding_floor():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4)) * [0.2, 0.5, 1.0, 2.0]
    model = LeastSquares(X, X @ rng.normal(size=4) + 0.1 * rng.normal(size=200), fit_intercept=False)
    eigenvalues, vectors = np.linalg.eigh(model.hessian(np.zeros(4)))
    L = eigenvalues.max()
    result = lr_range_test(model, np.zeros(4), SGD(lr=0.1), lr_min=1e-5 / L, lr_max=1e2 / L, steps=300, beta=0.9)
    coordinates = vectors.T @ (np.zeros(4) - model.optimum)
    predicted = theory.sweep_losses(result.lrs, eigenvalues, coordinates, model.min_value)
    stable = result.lrs < 2 / L
    np.testing.assert_allclose(predicted[stable], result.losses[stable], rtol=1e-9)
    # the steepest direction's product falls far below anything float64 iterates can hold (about 1e-16 of the
    # start), so the real sweep, which rounding keeps refilling, stops before the closed form would
    factors = theory.sweep_factors(result.lrs, eigenvalues)[:, -1]
    path = run(model, SGD(lr=result.lrs[0]), len(result.lrs), start=np.zeros(4), schedule=lambda t: result.lrs[t]).path
    steep = np.abs((path[1:] - model.optimum) @ vectors[:, -1]) / abs(coordinates[-1])
    assert np.abs(factors).min() < 1e-19
    assert 1e-19 < steep.min() < 1e-14
    assert np.abs(factors[stable]).argmin() == stable.sum() - 1  # the product keeps shrinking up to 2/L


def test_factors_are_cumulative_products():
    factors = theory.sweep_factors([0.1, 0.2, 0.3], [1.0, 10.0])
    np.testing.assert_allclose(factors[:, 0], np.cumprod([0.9, 0.8, 0.7]))
    np.testing.assert_allclose(factors[:, 1], np.cumprod([0.0, -1.0, -2.0]))


@pytest.mark.parametrize("call, words", [
    (lambda: theory.sweep_factors([0.1, -0.2], [1.0]), "rates"),
    (lambda: theory.sweep_factors([0.1], [[1.0]]), "eigenvalues"),
    (lambda: theory.sweep_losses([0.1], [1.0, 2.0], [1.0]), "coordinates must have one entry per eigenvalue"),
    (lambda: theory.sweep_losses([0.1], [1.0], [np.nan]), "coordinates"),
])
def test_bad_input(call, words):
    with pytest.raises(ValueError, match=words):
        call()
