r"""Test functions (objectives) with analytic gradients and Hessians.

Every objective :math:`f` here has

- ``value(theta)``: :math:`f(\theta)` for ``theta`` of shape ``(..., d)``; returns shape ``(...)``, so a whole
  contour grid is evaluated in one call;
- ``grad(theta)``: the gradient :math:`\nabla f(\theta)`, shape ``(..., d)`` (``(d,)`` for a single point);
- ``hessian(theta)``: the Hessian :math:`\nabla^2 f(\theta)`, shape ``(..., d, d)``;

and the attributes ``dim`` (d), ``name``, ``start`` (a default starting point, shape ``(d,)``), ``bounds``
(the plot window: ``(xmin, xmax)`` for 1-D, ``((xmin, xmax), (ymin, ymax))`` for 2-D), ``minimizers``
(known minima, shape ``(k, d)``, global minimum first) and ``min_value`` (:math:`f^\star`, the global minimum value).

A one-dimensional objective also accepts a plain number for ``theta``.
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check

__all__ = [
    "Objective",
    "Quadratic",
    "Quadratic1D",
    "DoubleWell",
    "Saddle",
    "Rosenbrock",
    "Beale",
]


def _scalar_start(start) -> np.ndarray:
    """A 1-D objective's start point: one finite number, returned with shape (1,)."""
    array = check.array("start", start)
    if array.size != 1:
        raise ValueError(f"start must be a single number for a 1-D objective; got shape {array.shape}")
    return array.reshape(1)


class Objective:
    """Base class: validates points and provides the common attributes.

    Subclasses implement ``_value``, ``_grad`` and ``_hessian`` on float arrays of shape ``(..., d)``.
    """

    dim: int
    name: str
    start: np.ndarray
    bounds: tuple
    minimizers: np.ndarray
    min_value: float

    def _points(self, theta) -> np.ndarray:
        if isinstance(theta, dict):
            raise TypeError(f"theta must be an array of shape (..., {self.dim}); got a dict")
        try:
            points = np.asarray(theta, dtype=float)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"theta must be an array of real numbers of shape (..., {self.dim}); got {theta!r}"
            ) from error
        if self.dim == 1 and points.ndim == 0:
            points = points.reshape(1)
        if points.ndim == 0 or points.shape[-1] != self.dim:
            raise ValueError(
                f"theta must have shape (..., {self.dim}) for {self.name} (last axis = the {self.dim} "
                f"coordinate{'s' if self.dim > 1 else ''}); got shape {points.shape}"
            )
        return points

    def value(self, theta) -> np.ndarray:
        r"""The loss :math:`f(\theta)`; ``theta`` has shape ``(..., d)``, the result shape ``(...)``."""
        return self._value(self._points(theta))

    def grad(self, theta) -> np.ndarray:
        r"""The gradient :math:`\nabla f(\theta)`, same shape as ``theta``."""
        return self._grad(self._points(theta))

    def hessian(self, theta) -> np.ndarray:
        r"""The Hessian :math:`\nabla^2 f(\theta)`, shape ``(..., d, d)``."""
        return self._hessian(self._points(theta))

    def __call__(self, theta) -> np.ndarray:
        return self.value(theta)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim})"

    def _value(self, theta):  # pragma: no cover - abstract
        raise NotImplementedError

    def _grad(self, theta):  # pragma: no cover - abstract
        raise NotImplementedError

    def _hessian(self, theta):  # pragma: no cover - abstract
        raise NotImplementedError


def _rotation(dim: int, angle: float) -> np.ndarray:
    """A rotation by ``angle`` radians in the plane of the first two coordinates."""
    rotation = np.eye(dim)
    if dim >= 2:
        c, s = np.cos(angle), np.sin(angle)
        rotation[:2, :2] = [[c, -s], [s, c]]
    return rotation


class Quadratic(Objective):
    r"""The quadratic bowl :math:`f(\theta) = \tfrac12 \theta^\top A \theta` with chosen eigenvalues.

    .. math::

        A = R \, \operatorname{diag}(\lambda_1, \dots, \lambda_d) \, R^\top,
        \qquad \nabla f(\theta) = A\theta, \qquad \nabla^2 f = A,

    where :math:`R` rotates by ``angle`` in the plane of the first two coordinates. The minimum is
    :math:`\theta^\star = 0` with :math:`f^\star = 0`.

    Parameters
    ----------
    eigenvalues : sequence of float
        The Hessian eigenvalues :math:`\lambda_i`, all > 0; their number is the dimension d.
    angle : float, default 0.0
        Rotation of the eigenvectors (radians); needs d >= 2 unless it is 0.
    start : array_like, optional
        Default starting point; by default the point whose coordinates along every eigenvector equal 1.

    Attributes
    ----------
    eigenvalues : numpy.ndarray
        The eigenvalues, as given.
    A : numpy.ndarray
        The Hessian matrix.
    mu, L : float
        The smallest and largest eigenvalue (strong convexity and smoothness constants).
    kappa : float
        The condition number :math:`\kappa = L / \mu`.
    """

    def __init__(self, eigenvalues, angle: float = 0.0, start=None):
        eigenvalues = check.array("eigenvalues", eigenvalues)
        if eigenvalues.ndim != 1 or eigenvalues.size == 0:
            raise ValueError(
                f"eigenvalues must be a non-empty 1-D sequence of positive numbers; got shape {eigenvalues.shape}"
            )
        if np.any(eigenvalues <= 0):
            raise ValueError(
                f"eigenvalues must all be > 0 (a Quadratic is a bowl with its minimum at 0); got {eigenvalues}. "
                "Use Saddle for a function with negative curvature."
            )
        angle = check.real("angle", angle)  # radians
        dim = eigenvalues.size
        if dim == 1 and angle != 0:
            raise ValueError(f"angle must be 0 for a 1-D quadratic (nothing to rotate); got {angle!r}")
        self.dim = dim
        self.eigenvalues = eigenvalues
        self.angle = float(angle)
        self.rotation = _rotation(dim, self.angle)
        A = self.rotation @ np.diag(eigenvalues) @ self.rotation.T
        self.A = 0.5 * (A + A.T)  # symmetric exactly, not only up to the rounding of the products
        self.mu = float(eigenvalues.min())
        self.L = float(eigenvalues.max())
        self.kappa = self.L / self.mu
        self.name = "quadratic" if dim > 1 else "1-D quadratic"
        if start is None:
            start = self.rotation @ np.ones(dim)
        self.start = check.array("start", start, shape=(dim,))
        self.minimizers = np.zeros((1, dim))
        self.min_value = 0.0
        half_width = 1.5 * float(np.max(np.abs(self.start))) if np.any(self.start) else 1.0
        if dim == 1:
            self.bounds = (-half_width, half_width)
        else:
            self.bounds = ((-half_width, half_width), (-half_width, half_width))

    def __repr__(self) -> str:
        return f"Quadratic(eigenvalues={self.eigenvalues.tolist()}, angle={self.angle})"

    def _value(self, theta):
        return 0.5 * np.einsum("...i,ij,...j->...", theta, self.A, theta)

    def _grad(self, theta):
        return theta @ self.A.T

    def _hessian(self, theta):
        return np.broadcast_to(self.A, theta.shape[:-1] + self.A.shape).copy()


class Quadratic1D(Quadratic):
    r"""The 1-D quadratic :math:`f(\theta) = \tfrac12 L \theta^2`, with gradient :math:`L\theta`.

    Parameters
    ----------
    curvature : float, default 1.0
        The second derivative :math:`L > 0`.
    start : float, default 1.0
        Default starting point.
    """

    def __init__(self, curvature: float = 1.0, start: float = 1.0):
        curvature = check.positive("curvature", curvature)
        super().__init__([curvature], start=_scalar_start(start))
        self.curvature = curvature

    def __repr__(self) -> str:
        return f"Quadratic1D(curvature={self.curvature}, start={float(self.start[0])})"


class DoubleWell(Objective):
    r"""A tilted double well: two minima, one shallow and one deep.

    .. math::

        f(\theta) = \tfrac14 \theta^4 - \tfrac12 \theta^2 + c\,\theta,
        \qquad f'(\theta) = \theta^3 - \theta + c, \qquad f''(\theta) = 3\theta^2 - 1.

    With tilt :math:`0 < c < 2/(3\sqrt3)` there are two minima: a deep one at negative :math:`\theta` and a
    shallow one at positive :math:`\theta`, separated by a hump. The default start lies on the shallow side.

    Parameters
    ----------
    tilt : float, default 0.3
        The linear term :math:`c`, in ``(0, 2/(3*sqrt(3)))`` (about 0.385) so that both minima exist.
    start : float, default 2.0
        Default starting point.

    Attributes
    ----------
    deep_minimum, shallow_minimum, hump : float
        The locations of the global minimum, the local minimum and the local maximum between them.
    """

    def __init__(self, tilt: float = 0.3, start: float = 2.0):
        limit = 2 / (3 * np.sqrt(3))
        self.tilt = check.in_range("tilt", tilt, 0.0, limit, low_open=True, high_open=True,
                                   hint=" so that two minima exist")
        self.dim = 1
        self.name = "double well"
        self.start = _scalar_start(start)
        roots = np.sort(np.roots([1.0, 0.0, -1.0, self.tilt]).real)
        self.deep_minimum, self.hump, self.shallow_minimum = (float(r) for r in roots)
        self.minimizers = np.array([[self.deep_minimum], [self.shallow_minimum]])
        self.min_value = float(self._value(self.minimizers[0]))
        self.bounds = (-2.0, max(2.2, float(self.start[0]) + 0.2))

    def __repr__(self) -> str:
        return f"DoubleWell(tilt={self.tilt}, start={float(self.start[0])})"

    def _value(self, theta):
        x = theta[..., 0]
        return 0.25 * x**4 - 0.5 * x**2 + self.tilt * x

    def _grad(self, theta):
        x = theta[..., 0]
        return (x**3 - x + self.tilt)[..., None]

    def _hessian(self, theta):
        x = theta[..., 0]
        return (3 * x**2 - 1)[..., None, None]


def _plane(objective, name: str, start, minimizers, min_value: float, bounds) -> None:
    """Set the attributes every 2-D test function has: its name, start, known minima and plot window."""
    objective.dim = 2
    objective.name = name
    objective.start = check.array("start", start, shape=(2,))
    objective.minimizers = np.array(minimizers, dtype=float)
    objective.min_value = min_value
    objective.bounds = bounds


class Saddle(Objective):
    r"""A saddle point at the origin between two minima.

    .. math::

        f(x, y) = \tfrac12 a x^2 - \tfrac12 y^2 + \tfrac14 y^4 .

    At the origin the Hessian is :math:`\operatorname{diag}(a, -1)`: a minimum along :math:`x`, a maximum along
    :math:`y`. The minima are :math:`(0, \pm 1)` with :math:`f^\star = -\tfrac14`. Started close to the
    :math:`x` axis, gradient descent slides into the saddle and lingers there before escaping along :math:`y`.

    Parameters
    ----------
    curvature : float, default 1.0
        The curvature :math:`a > 0` along :math:`x`.
    start : array_like, default (1.5, 1e-3)
        Default starting point.
    """

    def __init__(self, curvature: float = 1.0, start=(1.5, 1e-3)):
        self.curvature = check.positive("curvature", curvature)
        _plane(self, "saddle", start, minimizers=[[0.0, 1.0], [0.0, -1.0]], min_value=-0.25,
               bounds=((-2.0, 2.0), (-1.6, 1.6)))
        self.saddle_point = np.zeros(2)

    def __repr__(self) -> str:
        return f"Saddle(curvature={self.curvature}, start={self.start.tolist()})"

    def _value(self, theta):
        x, y = theta[..., 0], theta[..., 1]
        return 0.5 * self.curvature * x**2 - 0.5 * y**2 + 0.25 * y**4

    def _grad(self, theta):
        x, y = theta[..., 0], theta[..., 1]
        return np.stack([self.curvature * x, y**3 - y], axis=-1)

    def _hessian(self, theta):
        x, y = theta[..., 0], theta[..., 1]
        hessian = np.zeros(theta.shape[:-1] + (2, 2))
        hessian[..., 0, 0] = self.curvature
        hessian[..., 1, 1] = 3 * y**2 - 1
        return hessian + 0 * x[..., None, None]


class Rosenbrock(Objective):
    r"""Rosenbrock's banana valley, :math:`f(x, y) = (a - x)^2 + b (y - x^2)^2`.

    The minimum is :math:`(a, a^2)` with :math:`f^\star = 0`, at the end of a long, curved, flat-bottomed valley.

    Parameters
    ----------
    a : float, default 1.0
    b : float, default 100.0
        Steepness of the valley walls, > 0.
    start : array_like, default (-1.2, 1.0)
        The classic starting point.
    """

    def __init__(self, a: float = 1.0, b: float = 100.0, start=(-1.2, 1.0)):
        self.a, self.b = check.real("a", a), check.positive("b", b)
        _plane(self, "Rosenbrock", start, minimizers=[[self.a, self.a**2]], min_value=0.0,
               bounds=((-2.0, 2.0), (-1.0, 3.0)))

    def __repr__(self) -> str:
        return f"Rosenbrock(a={self.a}, b={self.b})"

    def _value(self, theta):
        x, y = theta[..., 0], theta[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x**2) ** 2

    def _grad(self, theta):
        x, y = theta[..., 0], theta[..., 1]
        dx = -2 * (self.a - x) - 4 * self.b * x * (y - x**2)
        dy = 2 * self.b * (y - x**2)
        return np.stack([dx, dy], axis=-1)

    def _hessian(self, theta):
        x, y = theta[..., 0], theta[..., 1]
        hessian = np.empty(theta.shape[:-1] + (2, 2))
        hessian[..., 0, 0] = 2 - 4 * self.b * y + 12 * self.b * x**2
        hessian[..., 0, 1] = hessian[..., 1, 0] = -4 * self.b * x
        hessian[..., 1, 1] = 2 * self.b
        return hessian


class Beale(Objective):
    r"""Beale's function, :math:`f(x, y) = \sum_{i=1}^{3} \big(c_i - x + x y^i\big)^2` with
    :math:`c = (1.5,\ 2.25,\ 2.625)`.

    The minimum is :math:`(3, 0.5)` with :math:`f^\star = 0`; sharp ridges and flat plateaus make it a hard
    test for a constant learning rate.

    Parameters
    ----------
    start : array_like, default (1.0, 1.5)
    """

    constants = (1.5, 2.25, 2.625)

    def __init__(self, start=(1.0, 1.5)):
        _plane(self, "Beale", start, minimizers=[[3.0, 0.5]], min_value=0.0, bounds=((-4.5, 4.5), (-4.5, 4.5)))

    def __repr__(self) -> str:
        return f"Beale(start={self.start.tolist()})"

    def _residuals(self, theta):
        """The three residuals r_i and their first derivatives in x and y."""
        x, y = theta[..., 0], theta[..., 1]
        out = []
        for i, c in enumerate(self.constants, start=1):
            r = c - x + x * y**i
            dr_dx = y**i - 1
            dr_dy = i * x * y ** (i - 1)
            out.append((i, x, y, r, dr_dx, dr_dy))
        return out

    def _value(self, theta):
        return sum(r**2 for _, _, _, r, _, _ in self._residuals(theta))

    def _grad(self, theta):
        dx = sum(2 * r * rx for _, _, _, r, rx, _ in self._residuals(theta))
        dy = sum(2 * r * ry for _, _, _, r, _, ry in self._residuals(theta))
        return np.stack([dx, dy], axis=-1)

    def _hessian(self, theta):
        hessian = np.zeros(theta.shape[:-1] + (2, 2))
        for i, x, y, r, rx, ry in self._residuals(theta):
            r_xy = i * y ** (i - 1)
            r_yy = i * (i - 1) * x * y ** (i - 2) if i >= 2 else 0 * x
            hessian[..., 0, 0] += 2 * rx * rx
            hessian[..., 0, 1] += 2 * (rx * ry + r * r_xy)
            hessian[..., 1, 1] += 2 * (ry * ry + r * r_yy)
        hessian[..., 1, 0] = hessian[..., 0, 1]
        return hessian
