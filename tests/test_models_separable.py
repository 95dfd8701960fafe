"""Tests for descent.models.separable: Wilson et al.'s example and the minimum-norm least squares."""

import numpy as np
import pytest

from descent.models.separable import InterpolatingLeastSquares, wilson_data
from descent.optim import SGD, AdaGrad, Adam
from descent.runner import run


def test_features_follow_the_definition():
    data = wilson_data(n_train=6, n_test=50, p=0.6, seed=3)
    X, y = data.X_train, data.y_train
    assert y.sum() > 0          # more positive than negative examples, as p > 1/2 makes likely
    assert X.shape == (6, 3 + 5 * 6) and set(np.unique(y)) <= {-1.0, 1.0}
    np.testing.assert_array_equal(X[:, 0], y)
    np.testing.assert_array_equal(X[:, 1:3], 1.0)
    for i, label in enumerate(y):
        unique = X[i, 3:].nonzero()[0]
        expected = 1 if label > 0 else 5
        assert len(unique) == expected and unique[0] == 5 * i            # feature 4 + 5(i - 1), counted from 1
        assert np.all(np.delete(X[:, 3:], i, axis=0)[:, unique] == 0)     # no other example has it
    np.testing.assert_array_equal(data.X_test[:, 0], data.y_test)
    np.testing.assert_array_equal(data.X_test[:, 3:], 0.0)
    # Lemma 3.1's condition: X sign(Xᵀy) = 4y
    np.testing.assert_allclose(X @ np.sign(X.T @ y), 4 * y)


def test_labels_are_seeded_and_have_probability_p():
    a, b = wilson_data(seed=7), wilson_data(seed=7)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    big = wilson_data(n_train=2, n_test=20_000, p=0.7, seed=0)
    assert abs(np.mean(big.y_test > 0) - 0.7) < 0.01


def test_gradient_descent_finds_the_minimum_norm_solution_and_generalises():
    data = wilson_data(seed=1)
    model = InterpolatingLeastSquares(data.X_train, data.y_train)
    np.testing.assert_allclose(data.X_train @ model.optimum, data.y_train, atol=1e-12)
    assert model.min_value < 1e-25
    L = np.linalg.eigvalsh(model.hessian(model.start)).max()
    w = run(model, SGD(lr=1 / L), 400).final
    np.testing.assert_allclose(w, model.optimum, atol=1e-10)
    assert data.test_error(w) == 0.0 and data.train_error(w) == 0.0


@pytest.mark.parametrize("optimizer", [AdaGrad(lr=0.1), Adam(lr=0.01)], ids=["AdaGrad", "Adam"])
def test_adaptive_methods_find_a_multiple_of_the_sign_and_predict_one_class(optimizer):
    data = wilson_data(seed=1)
    model = InterpolatingLeastSquares(data.X_train, data.y_train)
    w = run(model, optimizer, 400).final
    np.testing.assert_allclose(w, np.sign(data.X_train.T @ data.y_train) / 4, atol=1e-5)
    assert data.train_error(w) == 0.0
    assert data.test_error(w) == pytest.approx(np.mean(data.y_test < 0))
    assert np.all(data.X_test @ w > 0)


def test_min_norm_needs_full_row_rank_and_l2_falls_back_to_ridge():
    X = np.array([[1.0, 0.0, 1.0], [2.0, 0.0, 2.0]])
    with pytest.raises(ValueError, match="full row rank"):
        InterpolatingLeastSquares(X, [1.0, 2.0]).optimum
    ridge = InterpolatingLeastSquares(np.eye(3)[:2], [1.0, 2.0], l2=0.5)
    np.testing.assert_allclose(ridge.optimum, [0.5, 1.0, 0.0])   # (XᵀX/n + c I) θ = Xᵀy/n, n = 2


@pytest.mark.parametrize(
    "kwargs, match",
    [({"n_train": 0}, "n_train"), ({"n_test": 0}, "n_test"), ({"p": 0.5}, "p must be in"), ({"p": 1.0}, "p must be in"),
     ({"seed": -1}, "seed")],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        wilson_data(**kwargs)
