"""Tests for descent.models: analytic losses, gradients and Hessians against finite differences and closed forms."""

import numpy as np
import pytest

from descent.data import load
from descent.models import LeastSquares, LogisticRegression


@pytest.fixture(scope="module")
def cancer():
    return load("breast_cancer")


@pytest.fixture(scope="module")
def diabetes():
    return load("diabetes")


def models(cancer, diabetes):
    return [
        LogisticRegression.from_dataset(cancer, l2=0.01),
        LogisticRegression.from_dataset(cancer.select([0, 1]), fit_intercept=False),
        LeastSquares.from_dataset(diabetes, l2=0.1),
        LeastSquares.from_dataset(diabetes, fit_intercept=False),
    ]


def finite_difference_grad(f, theta, h=1e-6):
    grad = np.zeros_like(theta)
    for j in range(theta.size):
        e = np.zeros_like(theta)
        e[j] = h
        grad[j] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad


def test_gradients_and_hessians_match_finite_differences(cancer, diabetes):
    rng = np.random.default_rng(0)
    for model in models(cancer, diabetes):
        theta = rng.normal(scale=0.5, size=model.dim)
        batch = rng.choice(model.n, size=7, replace=False)
        for b in (None, batch, np.array([3])):
            g = model.grad(theta, b)
            fd = finite_difference_grad(lambda t: model.value(t, b), theta)
            np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8, err_msg=repr(model))
            H = model.hessian(theta, b)
            fdH = np.array([finite_difference_grad(lambda t: model.grad(t, b)[j], theta) for j in range(model.dim)])
            np.testing.assert_allclose(H, fdH, rtol=1e-5, atol=1e-7, err_msg=repr(model))
            # Symmetric as built (exactly), and a symmetric matrix's own check is scaled to it.
            assert np.linalg.norm(H - H.T) <= 1e-14 * np.linalg.norm(H), repr(model)


def test_batch_gradient_is_the_mean_of_example_gradients(cancer, diabetes):
    rng = np.random.default_rng(1)
    for model in models(cancer, diabetes):
        theta = rng.normal(size=model.dim)
        batch = rng.choice(model.n, size=11, replace=False)
        np.testing.assert_allclose(model.example_grads(theta, batch).mean(axis=0), model.grad(theta, batch))
        # Averaged over the batches of a partition weighted by size, mini-batch gradients give the full gradient.
        parts = np.array_split(rng.permutation(model.n), 5)
        total = sum(len(p) * model.grad(theta, p) for p in parts) / model.n
        np.testing.assert_allclose(total, model.grad(theta), atol=1e-12)
        # Likewise the losses.
        total_loss = sum(len(p) * model.value(theta, p) for p in parts) / model.n
        assert total_loss == pytest.approx(model.value(theta), abs=1e-12)


def test_logistic_loss_against_a_direct_formula_and_penalty_spares_the_intercept(cancer):
    model = LogisticRegression.from_dataset(cancer, l2=0.5)
    rng = np.random.default_rng(2)
    theta = rng.normal(size=model.dim)
    X = np.hstack([cancer.X_train, np.ones((cancer.n_train, 1))])
    p = 1 / (1 + np.exp(-X @ theta))
    y = cancer.y_train
    direct = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.25 * np.sum(theta[:-1] ** 2)
    assert model.value(theta) == pytest.approx(direct, rel=1e-12)
    np.testing.assert_allclose(model.example_losses(theta), -(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-10)
    assert model.hessian(theta)[-1, -1] == pytest.approx(np.mean(p * (1 - p)), rel=1e-12)


def test_huge_scores_give_exact_finite_values_without_warnings(cancer):
    import warnings

    model = LogisticRegression.from_dataset(cancer)
    theta = np.full(model.dim, 1e4)
    z = model.X @ theta
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = model.value(theta), model.grad(theta)
    # For |z| this large, log(1 + e^z) - y z is exactly max(z, 0) - y z and sigma(z) is exactly 0 or 1.
    assert value == pytest.approx(np.mean(np.maximum(z, 0) - model.y * z), rel=1e-12)
    np.testing.assert_allclose(grad, ((z > 0) - model.y) @ model.X / model.n, rtol=0, atol=1e-12)


def test_value_is_vectorised_over_a_grid_of_parameters(cancer):
    model = LogisticRegression.from_dataset(cancer.select([20, 21]), fit_intercept=False)
    grid = np.stack(np.meshgrid(np.linspace(-3, 1, 5), np.linspace(-2, 2, 4)), axis=-1)
    values = model.value(grid)
    assert values.shape == (4, 5)
    assert values[2, 3] == pytest.approx(model.value(grid[2, 3]))
    assert model(grid[1, 1]) == model.value(grid[1, 1])


def test_least_squares_optimum_is_the_normal_equations_and_sklearn_agrees(diabetes):
    from sklearn.linear_model import LinearRegression, Ridge

    model = LeastSquares.from_dataset(diabetes)
    reference = LinearRegression().fit(diabetes.X_train, diabetes.y_train)
    np.testing.assert_allclose(model.optimum, np.r_[reference.coef_, reference.intercept_], atol=1e-10)
    assert np.linalg.norm(model.grad(model.optimum)) < 1e-12
    c = 0.3
    ridge = LeastSquares.from_dataset(diabetes, l2=c)
    # sklearn's Ridge minimises ||y - Xw - b||^2 + alpha ||w||^2, i.e. n times ours with alpha = n c.
    reference = Ridge(alpha=diabetes.n_train * c).fit(diabetes.X_train, diabetes.y_train)
    np.testing.assert_allclose(ridge.optimum, np.r_[reference.coef_, reference.intercept_], atol=1e-10)


def test_logistic_optimum_by_newton_matches_sklearn(cancer):
    from sklearn.linear_model import LogisticRegression as SkLogistic

    c = 0.01
    model = LogisticRegression.from_dataset(cancer, l2=c)
    theta = model.optimum
    assert np.linalg.norm(model.grad(theta)) < 1e-10
    # sklearn's C multiplies the summed loss: C = 1 / (n c) gives the same minimiser as our mean loss + c/2 ||w||^2.
    reference = SkLogistic(C=1 / (cancer.n_train * c), tol=1e-12, max_iter=10_000).fit(cancer.X_train, cancer.y_train)
    np.testing.assert_allclose(theta, np.r_[reference.coef_[0], reference.intercept_], atol=1e-5)
    assert model.min_value == pytest.approx(model.value(theta))
    assert model.minimizers.shape == (1, model.dim)
    assert 0.95 < model.accuracy(theta) <= 1.0


def test_separable_classes_without_penalty_have_no_optimum(cancer):
    with pytest.raises(ValueError, match="separable"):
        LogisticRegression.from_dataset(cancer).optimum


def test_bounds_contain_start_and_optimum_for_two_parameters(cancer):
    model = LogisticRegression.from_dataset(cancer.select([20, 21]), fit_intercept=False)
    (x0, x1), (y0, y1) = model.bounds
    for point in (model.start, model.optimum):
        assert x0 < point[0] < x1 and y0 < point[1] < y1
    with pytest.raises(AttributeError, match="2 parameters"):
        LogisticRegression.from_dataset(cancer, l2=0.1).bounds
    model.bounds = ((-6, 1), (-3, 2.5))
    assert model.bounds == ((-6.0, 1.0), (-3.0, 2.5))
    for bad in [((1, 0), (0, 1)), ((0, 1),), "wide", ((0, np.inf), (0, 1))]:
        with pytest.raises(ValueError, match="bounds"):
            model.bounds = bad


def test_predict_proba_on_new_features(cancer):
    model = LogisticRegression.from_dataset(cancer, l2=0.01)
    val = LogisticRegression.from_dataset(cancer, split="val", l2=0.01)
    theta = model.optimum
    np.testing.assert_allclose(model.predict_proba(theta, cancer.X_val), val.predict_proba(theta))
    with pytest.raises(ValueError, match="columns"):
        model.predict_proba(theta, cancer.X_val[:, :3])


@pytest.mark.parametrize(
    "build, error, words",
    [
        (lambda d: LogisticRegression(d.X_train[0], d.y_train), ValueError, "2-D"),
        (lambda d: LogisticRegression(d.X_train, d.y_train[:-1]), ValueError, "one target per row"),
        (lambda d: LogisticRegression(d.X_train, d.y_train + 1), ValueError, "0 and 1"),
        (lambda d: LogisticRegression(d.X_train, d.y_train, l2=-1.0), ValueError, "l2"),
        (lambda d: LogisticRegression(d.X_train, d.y_train, l2="big"), TypeError, "l2"),
        (lambda d: LogisticRegression(d.X_train, d.y_train, fit_intercept=1), TypeError, "fit_intercept"),
        (lambda d: LeastSquares(np.full((3, 2), np.nan), np.zeros(3)), ValueError, "finite"),
        (lambda d: LeastSquares(np.array([["a", "b"]]), np.zeros(1)), TypeError, "real numbers"),
        (lambda d: LeastSquares.from_dataset(d, split="test"), ValueError, "split"),
    ],
)
def test_bad_construction_is_named(cancer, build, error, words):
    with pytest.raises(error, match=words):
        build(cancer)


def test_bad_theta_and_batch_are_named(cancer):
    model = LogisticRegression.from_dataset(cancer, l2=0.01)
    theta = np.zeros(model.dim)
    with pytest.raises(ValueError, match="last dimension 31"):
        model.value(np.zeros(3))
    with pytest.raises(ValueError, match=r"shape \(31,\)"):
        model.grad(np.zeros((2, 31)))
    with pytest.raises(ValueError, match="batch indices"):
        model.grad(theta, np.array([0, model.n]))
    with pytest.raises(TypeError, match="integer"):
        model.grad(theta, np.array([0.5]))
    with pytest.raises(ValueError, match="non-empty"):
        model.grad(theta, np.array([], dtype=int))


@pytest.mark.parametrize("window", [((0, 1), (1, 0)), ((0, np.inf), (0, 1)), "x"])
def test_bad_bounds_are_refused_by_name(window):
    X = np.random.default_rng(0).normal(size=(10, 1))
    model = LogisticRegression(X, (np.arange(10) % 2).astype(float))
    with pytest.raises(ValueError, match="bounds must be"):
        model.bounds = window


@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("kind", ["least_squares", "logistic"])
def test_value_and_grad_is_value_and_grad_in_one_pass(kind, l2):
    """LinearModel.value_and_grad (what the range test calls) equals value and grad, with and without a batch."""
    from descent.models import LeastSquares, LogisticRegression

    rng = np.random.default_rng(4)
    X = rng.normal(size=(40, 3))
    if kind == "least_squares":
        model = LeastSquares(X, rng.normal(size=40), l2=l2)
    else:
        model = LogisticRegression(X, (rng.uniform(size=40) < 0.5).astype(int), l2=l2)
    theta = rng.normal(size=model.dim)
    for batch in (None, np.array([3, 7, 7, 20])):
        loss, grad = model.value_and_grad(theta, batch)
        assert isinstance(loss, float)
        assert loss == pytest.approx(model.value(theta, batch), rel=1e-12)
        np.testing.assert_allclose(grad, model.grad(theta, batch), rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="batch indices"):
        model.value_and_grad(theta, np.array([40]))
