"""descent.models: analytic gradients and Hessians against central finite differences, vectorisation,
known minimizers, and clear errors for bad input."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from descent.models import Beale, DoubleWell, Quadratic, Quadratic1D, Rosenbrock, Saddle

OBJECTIVES = {
    "quadratic-2d": lambda: Quadratic([1.0, 10.0], angle=0.3),
    "quadratic-3d": lambda: Quadratic([0.5, 2.0, 5.0], angle=1.1),
    "quadratic-1d": lambda: Quadratic1D(3.0),
    "double-well": lambda: DoubleWell(),
    "saddle": lambda: Saddle(),
    "saddle-steep": lambda: Saddle(curvature=2.5),
    "rosenbrock": lambda: Rosenbrock(),
    "beale": lambda: Beale(),
}

STEP = 1e-5  # central differences: error O(STEP^2 * third derivative), round-off O(eps * |f| / STEP)


def _box(objective):
    bounds = np.atleast_2d(np.asarray(objective.bounds, dtype=float))
    if objective.dim > len(bounds):  # quadratics in d > 2: use the first axis' range for all
        bounds = np.repeat(bounds[:1], objective.dim, axis=0)
    return bounds


def _point(objective, unit):
    box = _box(objective)
    return box[:, 0] + np.asarray(unit[: objective.dim]) * (box[:, 1] - box[:, 0])


def _numeric_jacobian(function, point):
    """Central differences of ``function`` at ``point``: the gradient of a scalar function, the Jacobian of a
    vector one (columns are the partial derivatives)."""
    columns = []
    for i in range(len(point)):
        step = np.zeros_like(point)
        step[i] = STEP
        columns.append((function(point + step) - function(point - step)) / (2 * STEP))
    return np.stack(columns, axis=-1)


units = st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3)


@pytest.mark.parametrize("name", OBJECTIVES)
@pytest.mark.parametrize("derivative, function", [("grad", "value"), ("hessian", "grad")])
@settings(max_examples=60, deadline=None)
@given(unit=units)
def test_gradient_and_hessian_match_central_differences(name, derivative, function, unit):
    """grad against differences of value, hessian against differences of grad (and symmetric)."""
    objective = OBJECTIVES[name]()
    point = _point(objective, unit)
    analytic = getattr(objective, derivative)(point)
    numeric = _numeric_jacobian(getattr(objective, function), point)
    scale = 1.0 + np.max(np.abs(analytic)) + np.max(np.abs(getattr(objective, function)(point)))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * scale)
    if derivative == "hessian":
        np.testing.assert_allclose(analytic, np.swapaxes(analytic, -1, -2), atol=1e-12)


def test_a_wrong_gradient_would_be_caught():
    """The finite-difference check can fail: a gradient off by 0.1% is detected."""
    objective = Rosenbrock()
    point = np.array([0.3, -0.4])
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(objective.grad(point) * 1.001, _numeric_jacobian(objective.value, point),
                                   rtol=1e-6, atol=1e-6 * (1 + np.max(np.abs(objective.grad(point)))))


@pytest.mark.parametrize("name", OBJECTIVES)
def test_value_grad_and_hessian_are_vectorised_over_grids(name):
    objective = OBJECTIVES[name]()
    rng = np.random.default_rng(0)
    box = _box(objective)
    grid = box[:, 0] + rng.random((4, 5, objective.dim)) * (box[:, 1] - box[:, 0])
    values = objective.value(grid)
    grads = objective.grad(grid)
    hessians = objective.hessian(grid)
    assert values.shape == (4, 5)
    assert grads.shape == (4, 5, objective.dim)
    assert hessians.shape == (4, 5, objective.dim, objective.dim)
    for index in np.ndindex(4, 5):
        assert values[index] == pytest.approx(float(objective.value(grid[index])), rel=1e-12, abs=1e-12)
        np.testing.assert_allclose(grads[index], objective.grad(grid[index]), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(hessians[index], objective.hessian(grid[index]), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", OBJECTIVES)
def test_minimizers_are_stationary_local_minima_and_min_value_is_the_global_one(name):
    objective = OBJECTIVES[name]()
    minimizers = np.asarray(objective.minimizers)
    assert minimizers.ndim == 2 and minimizers.shape[1] == objective.dim
    for point in minimizers:
        np.testing.assert_allclose(objective.grad(point), 0.0, atol=1e-10)
        assert np.all(np.linalg.eigvalsh(objective.hessian(point)) > 0)
    values = objective.value(minimizers)
    assert objective.min_value == pytest.approx(float(values[0]), abs=1e-12)
    assert np.all(values >= objective.min_value - 1e-12)
    # and nothing on a grid over the plot window is lower
    box = _box(objective)
    axes = [np.linspace(lo, hi, 41) for lo, hi in box[:2]]
    grid = np.stack(np.meshgrid(*axes), axis=-1)
    if objective.dim > 2:
        grid = np.concatenate([grid, np.zeros(grid.shape[:-1] + (objective.dim - 2,))], axis=-1)
    assert np.min(objective.value(grid)) >= objective.min_value - 1e-12


@pytest.mark.parametrize("name", OBJECTIVES)
def test_attributes(name):
    objective = OBJECTIVES[name]()
    assert isinstance(objective.name, str) and objective.name
    assert objective.start.shape == (objective.dim,)
    if objective.dim == 1:
        low, high = objective.bounds
        assert low < objective.start[0] < high
    elif objective.dim == 2:
        (x0, x1), (y0, y1) = objective.bounds
        assert x0 < objective.start[0] < x1 and y0 < objective.start[1] < y1
    assert name.split("-")[0][:4].lower() in repr(objective).lower()


def test_quadratic_has_the_chosen_eigenvalues_rotated_by_the_angle():
    objective = Quadratic([1.0, 10.0], angle=np.pi / 6)
    np.testing.assert_allclose(np.linalg.eigvalsh(objective.A), [1.0, 10.0])
    steep = np.array([-np.sin(np.pi / 6), np.cos(np.pi / 6)])  # second eigenvector, rotated
    np.testing.assert_allclose(objective.A @ steep, 10.0 * steep, atol=1e-12)
    assert (objective.mu, objective.L, objective.kappa) == (1.0, 10.0, 10.0)
    point = np.array([0.7, -0.2])
    assert objective.value(point) == pytest.approx(0.5 * point @ objective.A @ point)


def test_one_dimensional_objectives_accept_plain_numbers():
    objective = Quadratic1D(2.0)
    assert objective.value(3.0) == pytest.approx(9.0)
    np.testing.assert_allclose(objective.grad(3.0), [6.0])
    np.testing.assert_allclose(objective.value(np.array([[1.0], [2.0]])), [1.0, 4.0])


def test_double_well_has_a_shallow_and_a_deep_minimum_with_a_hump_between():
    objective = DoubleWell(tilt=0.3)
    assert objective.deep_minimum < objective.hump < objective.shallow_minimum
    deep, shallow, hump = (float(objective.value(x)) for x in
                           (objective.deep_minimum, objective.shallow_minimum, objective.hump))
    assert deep < shallow < hump
    assert objective.start[0] > objective.shallow_minimum  # starts on the shallow side
    assert float(objective.hessian(objective.hump)[0, 0]) < 0


def test_saddle_has_mixed_curvature_at_the_origin():
    objective = Saddle(curvature=2.0)
    np.testing.assert_allclose(objective.grad([0.0, 0.0]), 0.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(objective.hessian([0.0, 0.0])), [-1.0, 2.0])


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: Quadratic([1.0, -2.0]), "eigenvalues must all be > 0"),
        (lambda: Quadratic([1.0, 0.0]), "eigenvalues must all be > 0"),
        (lambda: Quadratic([]), "non-empty"),
        (lambda: Quadratic([[1.0, 2.0]]), "1-D sequence"),
        (lambda: Quadratic([1.0, np.nan]), "finite"),
        (lambda: Quadratic([1.0], angle=0.5), "angle must be 0"),
        (lambda: Quadratic([1.0, 2.0], angle=np.inf), "angle"),
        (lambda: Quadratic([1.0, 2.0], start=[1.0, 2.0, 3.0]), r"start must have shape \(2,\)"),
        (lambda: Quadratic1D(0.0), "curvature"),
        (lambda: Quadratic1D(-1.0), "curvature"),
        (lambda: Quadratic1D(1.0, start=[1.0, 2.0]), "start must be a single number"),
        (lambda: DoubleWell(tilt=0.5), "tilt"),
        (lambda: DoubleWell(tilt=0.0), "tilt"),
        (lambda: Saddle(curvature=0.0), "curvature"),
        (lambda: Rosenbrock(b=-1.0), "b must be"),
        (lambda: Beale(start=[1.0]), "start"),
    ],
)
def test_bad_construction_raises_a_clear_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("name", OBJECTIVES)
@pytest.mark.parametrize("method", ["value", "grad", "hessian"])
def test_points_of_the_wrong_shape_raise_a_value_error_naming_the_shape(name, method):
    objective = OBJECTIVES[name]()
    wrong = np.zeros(objective.dim + 1)
    with pytest.raises(ValueError, match=rf"theta must have shape \(\.\.\., {objective.dim}\)"):
        getattr(objective, method)(wrong)


def test_non_numeric_points_raise_a_type_error():
    with pytest.raises(TypeError, match="theta must be"):
        Rosenbrock().value("not a point")
    with pytest.raises(TypeError, match="theta must be"):
        Rosenbrock().grad({"theta": [1.0, 2.0]})


def test_no_warnings_on_ordinary_grids():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for make in OBJECTIVES.values():
            objective = make()
            box = _box(objective)
            objective.value(box[:, 0] + np.random.default_rng(1).random((50, objective.dim)) * (box[:, 1] - box[:, 0]))
