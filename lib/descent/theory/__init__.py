r"""Closed forms: each method's rates, stability limits and best settings on a quadratic, one module per topic.

A quadratic :math:`f(\theta) = \tfrac12 \theta^\top A \theta` is described by the eigenvalues
:math:`\lambda_i` of its Hessian :math:`A` (:math:`\mu` the smallest, :math:`L` the largest,
:math:`\kappa = L/\mu`). Every method's module uses the same names, with the same signature: the method's
hyperparameters first, the learning rate :math:`\alpha` leading, the eigenvalues last.

=============================================  ===============================================================
name and signature                             meaning
=============================================  ===============================================================
``convergence_rate(alpha, ..., eigenvalues)``  the per-step contraction factor :math:`\rho` of the error (the
                                               worst over the eigen-directions); below 1 the method converges
``stability_limit(..., eigenvalues)``          the largest stable :math:`\alpha` for the other hyperparameters
``optimal_convergence_rate(eigenvalues)``      the best :math:`\rho` over all hyperparameters
``optimal_learning_rate(eigenvalues)``         the :math:`\alpha` that reaches it (gradient descent)
``optimal_parameters(eigenvalues)``            the ``(alpha, beta)`` that reach it (methods with momentum)
``iteration_matrix(alpha, ..., eigenvalue)``   one eigen-direction (singular ``eigenvalue``): the matrix that
                                               advances the method's state by one step
``eigenvalues(alpha, ..., eigenvalue)``        that matrix's eigenvalues, larger modulus first
``direction_rate(alpha, ..., eigenvalue)``     the rate along that one direction
=============================================  ===============================================================

``alpha`` and the other hyperparameters may be numbers or arrays (broadcast together); ``eigenvalues`` is
a number or a 1-D sequence. Invalid input raises ``ValueError`` naming the argument and its range.

Shared by every method, and importable from each method's module as well (``gradient_descent.steps_to_tolerance``
is :func:`descent.theory.rates.steps_to_tolerance`):

- ``condition_number(eigenvalues)``;
- ``steps_to_tolerance(rate, tolerance, initial_error=1.0)``: the steps for an error shrinking by
  ``rate`` per step to fall below ``tolerance``;
- ``measured_rate(path, minimizer=None, last=10, end=None)``: the rate observed over the last ``last``
  steps of a run;
- ``first_step_below(distances, tolerance)``: the first step a run's distance falls below
  ``tolerance`` times its start.

Modules:

- :mod:`descent.theory.rates`: the shared functions above;
- :mod:`descent.theory.gradient_descent`: gradient descent, :math:`\rho(\alpha) = \max_i |1 - \alpha\lambda_i|`;
- :mod:`descent.theory.momentum`: the heavy ball (torch's momentum), from its 2×2 iteration matrix;
- :mod:`descent.theory.nesterov`: Nesterov's method in torch's form, the same way;
- :mod:`descent.theory.noise`: the gradient noise of mini-batches on a model of data and the noise ball
  it keeps constant-rate SGD in (a model of data rather than a quadratic, so those functions take the
  model); and the noise floor of SGD and momentum on a quadratic with gradient noise
  (``noise_floor(alpha, sigma2, batch_size)``, ``stationary_gap(alpha, beta, noise_variances,
  eigenvalues, batch_size)``: the rate first, the eigenvalues last, as in the table).
- :mod:`descent.theory.noisy_quadratic`: SGD and the heavy ball on a quadratic whose gradient carries
  additive noise: the exact expected loss under any schedule and its floor (its functions take the
  schedule or rate first, then the problem, and the momentum by keyword, since the momentum is
  optional there: ``stability_limit(eigenvalues, momentum=0.9)``).

A new method's module follows the table: the same names for the same quantities, so that a chapter can
compare methods by swapping the module.
"""
