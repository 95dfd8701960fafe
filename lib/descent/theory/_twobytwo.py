r"""The 2×2 iteration of a momentum method along one eigen-direction, shared by momentum and Nesterov.

Both methods advance (position, buffer) along an eigen-direction with eigenvalue :math:`\lambda` by a 2×2
matrix whose characteristic polynomial is :math:`z^2 - s z + p`; their rates are the moduli of its roots.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check
from .rates import spectrum


def positive(name, value):
    """A number or array of numbers, all finite and > 0 (a learning rate, an eigenvalue)."""
    return check.reals(name, value, 0, low_open=True)


def momentum(value, name="beta"):
    """A number or array of numbers in [0, 1) (a momentum coefficient)."""
    return check.reals(name, value, 0, 1, high_open=True)


def direction_arguments(alpha, beta, eigenvalue):
    """α, β and λ checked and broadcast together."""
    return np.broadcast_arrays(positive("alpha", alpha), momentum(beta), positive("eigenvalue", eigenvalue))


def scalar_or_array(array):
    """A 0-d result as a float, anything else as the array."""
    return array.item() if array.ndim == 0 else array


def two_by_two(top_left, top_right, lam, b):
    """Matrices [[top_left, top_right], [λ, β]] stacked over the broadcast shape."""
    matrix = np.empty(np.shape(top_left) + (2, 2))
    matrix[..., 0, 0] = top_left
    matrix[..., 0, 1] = top_right
    matrix[..., 1, 0] = lam
    matrix[..., 1, 1] = b
    return matrix


def quadratic_roots(s, p):
    """Roots of z² − s z + p, larger modulus first (no input checks)."""
    root = np.sqrt((s * s - 4 * p).astype(complex))
    z1, z2 = (s + root) / 2, (s - root) / 2
    swap = np.abs(z2) > np.abs(z1)
    return np.stack([np.where(swap, z2, z1), np.where(swap, z1, z2)], axis=-1)


def largest_modulus(roots, alpha, beta, eigenvalues):
    """The largest root modulus over the eigenvalues, for ``roots(a, b, lam)`` of either method."""
    a, b = np.broadcast_arrays(positive("alpha", alpha), momentum(beta))
    lams = spectrum(eigenvalues)
    moduli = np.abs(roots(a[..., None], b[..., None], lams)[..., 0])
    return scalar_or_array(moduli.max(axis=-1))
