"""descent.theory: one set of names and signatures across the methods' modules, and the shared functions."""

import inspect

import pytest

from descent.theory import gradient_descent, momentum, nesterov, rates

METHODS = [gradient_descent, momentum, nesterov]


@pytest.mark.parametrize("module", METHODS, ids=lambda m: m.__name__)
def test_every_method_offers_the_shared_functions_themselves(module):
    for name in rates.__all__:
        assert getattr(module, name) is getattr(rates, name), name


@pytest.mark.parametrize("module", METHODS, ids=lambda m: m.__name__)
def test_the_common_names_have_the_common_signature(module):
    """alpha first, the other hyperparameters next, the eigenvalues last (see descent.theory)."""
    for name in ("convergence_rate", "stability_limit", "optimal_convergence_rate", "optimal_learning_rate",
                 "optimal_parameters", "iteration_matrix", "eigenvalues", "direction_rate"):
        function = getattr(module, name, None)
        if function is None:
            continue
        parameters = list(inspect.signature(function).parameters)
        last = "eigenvalue" if name in ("iteration_matrix", "eigenvalues", "direction_rate") else "eigenvalues"
        assert parameters[-1] == last, (name, parameters)
        if name in ("convergence_rate", "iteration_matrix", "eigenvalues", "direction_rate"):
            assert parameters[0] == "alpha", (name, parameters)
        if name == "stability_limit" or name.startswith("optimal"):
            assert "alpha" not in parameters, (name, parameters)
    for name in ("convergence_rate", "stability_limit"):
        assert hasattr(module, name), name


def test_the_same_name_means_the_same_quantity_across_methods():
    # with beta = 0 the heavy ball and Nesterov are gradient descent
    eigenvalues = [0.5, 2.0]
    for alpha in (0.1, 0.5, 0.9):
        rate = gradient_descent.convergence_rate(alpha, eigenvalues)
        assert momentum.convergence_rate(alpha, 0.0, eigenvalues) == pytest.approx(rate, abs=1e-12)
        assert nesterov.convergence_rate(alpha, 0.0, eigenvalues) == pytest.approx(rate, abs=1e-12)
    limit = gradient_descent.stability_limit(eigenvalues)
    assert momentum.stability_limit(0.0, eigenvalues) == pytest.approx(limit)
    assert nesterov.stability_limit(0.0, eigenvalues) == pytest.approx(limit)
    assert momentum.optimal_convergence_rate(eigenvalues) < gradient_descent.optimal_convergence_rate(eigenvalues)
    assert rates.condition_number(eigenvalues) == 4.0


def test_measured_rate_over_a_window_ending_anywhere():
    distances = [1.0, 0.5, 0.25, 0.2, 0.1]
    assert rates.measured_rate(distances, last=2, end=2) == pytest.approx(0.5)
    assert rates.measured_rate(distances, last=1) == pytest.approx(0.5)
    assert rates.measured_rate([[3.0, 4.0], [0.6, 0.8]], last=1) == pytest.approx(0.2)
    assert rates.measured_rate([[4.0, 5.0], [1.6, 1.8]], minimizer=[1.0, 1.0], last=1) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="end"):
        rates.measured_rate(distances, last=1, end=5)
