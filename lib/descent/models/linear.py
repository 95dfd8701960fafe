r"""Linear models whose loss is an average over training examples.

A training loss is a mean over the :math:`n` examples of a per-example loss
:math:`\ell_i`, plus an optional ridge (L2) penalty of strength :math:`c` on
the weights (never on the intercept):

.. math::

    f(\theta) = \frac{1}{n} \sum_{i=1}^{n} \ell_i(\theta) + \frac{c}{2} \lVert w \rVert^2 .

A mini-batch :math:`\mathcal{B} \subseteq \{1, \dots, n\}` of size :math:`B`
gives the estimate

.. math::

    f_{\mathcal{B}}(\theta) = \frac{1}{B} \sum_{i \in \mathcal{B}} \ell_i(\theta) + \frac{c}{2} \lVert w \rVert^2 ,

whose gradient averages the per-example gradients of the batch; averaged over
all batches it is the full gradient :math:`\nabla f(\theta)`. Every method here
takes an optional ``batch`` (an array of example indices; ``None`` means all
``n`` examples), is vectorised over the examples, and has an analytic gradient
that the tests check against finite differences.

Two models are provided:

:class:`LogisticRegression`
    binary classification, :math:`\ell_i = \log(1 + e^{z_i}) - y_i z_i` with
    :math:`z_i = x_i^\top \theta` and :math:`y_i \in \{0, 1\}`.
:class:`LeastSquares`
    regression, :math:`\ell_i = \tfrac12 (x_i^\top \theta - y_i)^2`.

With ``fit_intercept=True`` a column of ones is appended to the features, so
the intercept is the **last** entry of :math:`\theta`.

Both share the interface of :mod:`descent.models` (``value``, ``grad``,
``hessian``, ``dim``, ``name``, ``start``, ``minimizers`` and, for two
parameters, ``bounds``), so the runner and the contour plots accept them.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _validation as check

__all__ = ["LinearModel", "LogisticRegression", "LeastSquares"]


def _as_features(X) -> np.ndarray:
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array of shape (n, d), got shape {X.shape}")
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    return check.array("X", X)


class LinearModel:
    r"""Base class: a linear score :math:`z_i = x_i^\top\theta` and a per-example loss.

    Subclasses define the per-example loss of the score and its first two
    derivatives (``_loss``, :meth:`score_derivative`, ``_d2loss``) and how to find the optimum.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Features, one row per example.
    y : array_like, shape (n,)
        Targets.
    l2 : float, default 0.0
        Ridge strength :math:`c \ge 0` on the weights (the intercept is not
        penalised).
    fit_intercept : bool, default True
        Append a column of ones so that the last parameter is an intercept.
    name : str, optional
        A label for plots and tables.
    """

    default_name = "linear model"

    def __init__(self, X, y, *, l2: float = 0.0, fit_intercept: bool = True, name: str | None = None):
        X = _as_features(X)
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(
                f"y must be a 1-D array with one target per row of X ({X.shape[0]}), got shape {y.shape}"
            )
        l2 = check.non_negative("l2", l2)
        fit_intercept = check.flag("fit_intercept", fit_intercept)
        self.y = self._check_targets(y)
        self.fit_intercept = bool(fit_intercept)
        self.X = np.hstack([X, np.ones((X.shape[0], 1))]) if self.fit_intercept else X
        self.l2 = float(l2)
        self.name = self.default_name if name is None else str(name)
        # The penalty acts on the weights only: mask is 1 for weights, 0 for the intercept.
        self._penalty_mask = np.ones(self.dim)
        if self.fit_intercept:
            self._penalty_mask[-1] = 0.0
        self._penalty_mask.setflags(write=False)
        self._optimum = None

    @classmethod
    def from_dataset(cls, data, split: str = "train", **kwargs):
        """Build the model on one part of a :class:`descent.data.Dataset`.

        Parameters
        ----------
        data : descent.data.Dataset
            A loaded data set.
        split : {"train", "val"}
            Which part to use.
        **kwargs
            Passed on to the constructor (``l2``, ``fit_intercept``, ``name``).
        """
        if check.choice("split", split, ("train", "val")) == "train":
            return cls(data.X_train, data.y_train, **kwargs)
        return cls(data.X_val, data.y_val, **kwargs)

    # -- what subclasses provide ---------------------------------------------------------

    def _check_targets(self, y):
        return np.asarray(y, dtype=float)

    def _loss(self, z, y):  # pragma: no cover - abstract
        raise NotImplementedError

    def score_derivative(self, z, y):  # pragma: no cover - abstract
        r"""The derivative :math:`\ell'(z)` of the per-example loss with respect to the score :math:`z = x^\top\theta`.

        The gradient of example :math:`i` is :math:`\ell'(z_i)\, x_i`. ``z`` and ``y`` may be arrays (one
        entry per example) or plain floats (one example).
        """
        raise NotImplementedError

    def _d2loss(self, z, y):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- sizes ---------------------------------------------------------------------------

    @property
    def n(self) -> int:
        """Number of examples, ``n``."""
        return self.X.shape[0]

    @property
    def dim(self) -> int:
        """Number of parameters ``d`` (features, plus one with an intercept)."""
        return self.X.shape[1]

    @property
    def penalty_mask(self) -> np.ndarray:
        r"""The penalty's mask :math:`m`: 1 for a weight, 0 for the intercept (read-only).

        The penalty is :math:`\tfrac{c}{2}\sum_j m_j\theta_j^2`.
        """
        return self._penalty_mask

    @property
    def start(self) -> np.ndarray:
        """The default start point, with all parameters zero."""
        return np.zeros(self.dim)

    # -- argument checks -----------------------------------------------------------------

    def _theta(self, theta, allow_batch_of_points: bool = False) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        if theta.ndim == 0 or theta.shape[-1] != self.dim:
            raise ValueError(f"theta must have last dimension {self.dim}, got shape {theta.shape}")
        if theta.ndim > 1 and not allow_batch_of_points:
            raise ValueError(f"theta must have shape ({self.dim},), got shape {theta.shape}")
        return theta

    def _batch(self, batch):
        if batch is None:
            return None
        batch = np.asarray(batch)
        if batch.ndim == 0:
            batch = batch.reshape(1)
        if batch.ndim != 1 or batch.size == 0:
            raise ValueError("batch must be a non-empty 1-D array of example indices")
        if not np.issubdtype(batch.dtype, np.integer):
            raise TypeError(f"batch must hold integer example indices, got dtype {batch.dtype}")
        if batch.min() < 0 or batch.max() >= self.n:
            raise ValueError(f"batch indices must be in 0..{self.n - 1}")
        return batch

    def _rows(self, batch):
        if batch is None:
            return self.X, self.y
        return self.X[batch], self.y[batch]

    # -- loss, gradient, Hessian ---------------------------------------------------------

    def value(self, theta, batch=None):
        r"""Mean loss over ``batch`` (all examples if ``None``), plus the penalty.

        Parameters
        ----------
        theta : array_like, shape (..., d)
            One parameter vector, or a stack of them (e.g. a contour grid).
        batch : array_like of int, optional
            Example indices.

        Returns
        -------
        float or numpy.ndarray
            Shape ``theta.shape[:-1]``.
        """
        theta = self._theta(theta, allow_batch_of_points=True)
        X, y = self._rows(self._batch(batch))
        with np.errstate(over="ignore", invalid="ignore"):
            z = theta @ X.T  # (..., m)
            loss = self._loss(z, y).mean(axis=-1)
            loss = loss + 0.5 * self.l2 * np.sum(self._penalty_mask * theta**2, axis=-1)
        return float(loss) if np.ndim(loss) == 0 else loss

    def example_losses(self, theta, batch=None) -> np.ndarray:
        r"""Per-example losses :math:`\ell_i(\theta)` (without the penalty), shape ``(m,)``."""
        theta = self._theta(theta)
        X, y = self._rows(self._batch(batch))
        with np.errstate(over="ignore", invalid="ignore"):
            return self._loss(X @ theta, y)

    def grad(self, theta, batch=None) -> np.ndarray:
        r"""Gradient of :meth:`value` at ``theta``, shape ``(d,)``.

        .. math::

            \nabla f_{\mathcal{B}}(\theta) = \frac{1}{B} \sum_{i \in \mathcal{B}}
            \ell'(z_i)\, x_i + c\, w .
        """
        theta = self._theta(theta)
        batch = self._batch(batch)
        with np.errstate(over="ignore", invalid="ignore"):
            return self.batch_grad(theta, batch)

    def batch_grad(self, theta, batch):
        """:meth:`grad` without its argument checks, for training loops that pass valid arguments.

        ``theta`` must be a float array of shape ``(d,)`` and ``batch`` an integer index array (or
        ``None`` for all examples); nothing is checked, so wrong arguments give wrong answers or
        numpy's errors. :func:`descent.training.train` calls it at every step.
        """
        X, y = (self.X, self.y) if batch is None else (self.X[batch], self.y[batch])
        return self._grad_of_scores(X @ theta, X, y, theta)

    def _grad_of_scores(self, z, X, y, theta):
        grad = self.score_derivative(z, y) @ X
        grad /= X.shape[0]
        if self.l2:
            grad += self.l2 * self._penalty_mask * theta
        return grad

    def value_and_grad(self, theta, batch=None):
        r""":meth:`value` and :meth:`grad` at one ``theta`` in one pass over the batch (the scores
        :math:`z_i = x_i^\top\theta` are computed once): what a training step needs.

        Returns
        -------
        (float, numpy.ndarray)
        """
        theta = self._theta(theta)
        X, y = self._rows(self._batch(batch))
        with np.errstate(over="ignore", invalid="ignore"):
            z = X @ theta
            loss = float(np.add.reduce(self._loss(z, y))) / X.shape[0]
            if self.l2:
                loss += 0.5 * self.l2 * float(np.sum(self._penalty_mask * theta**2))
            return loss, self._grad_of_scores(z, X, y, theta)

    def example_grads(self, theta, batch=None) -> np.ndarray:
        r"""Per-example gradients of :math:`\ell_i + \tfrac{c}{2}\lVert w\rVert^2`, shape ``(m, d)``.

        Their mean over a batch is :meth:`grad` on that batch.
        """
        theta = self._theta(theta)
        X, y = self._rows(self._batch(batch))
        with np.errstate(over="ignore", invalid="ignore"):
            residual = self.score_derivative(X @ theta, y)
            return residual[:, None] * X + self.l2 * self._penalty_mask * theta

    def hessian(self, theta, batch=None) -> np.ndarray:
        r"""Hessian of :meth:`value` at ``theta``, shape ``(d, d)``.

        .. math::

            \nabla^2 f_{\mathcal{B}}(\theta) = \frac{1}{B} \sum_{i \in \mathcal{B}}
            \ell''(z_i)\, x_i x_i^\top + c\, \mathrm{diag}(\text{mask}) .
        """
        theta = self._theta(theta)
        X, y = self._rows(self._batch(batch))
        curvature = self._d2loss(X @ theta, y)
        hessian = (X.T * curvature) @ X / X.shape[0] + self.l2 * np.diag(self._penalty_mask)
        # The product is symmetric in exact arithmetic only: its two triangles are rounded by
        # different BLAS kernels on different processors. Symmetrised once, here, it is exact.
        return 0.5 * (hessian + hessian.T)

    # -- the optimum ---------------------------------------------------------------------

    def _solve(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def optimum(self) -> np.ndarray:
        r"""The minimiser :math:`\theta^\star` of the full training loss (computed once).

        Raises
        ------
        ValueError
            If the loss has no finite minimiser (for example separable classes
            without a penalty); add a penalty ``l2 > 0``.
        """
        if self._optimum is None:
            self._optimum = self._solve()
        return self._optimum.copy()

    @property
    def min_value(self) -> float:
        r""":math:`f(\theta^\star)`, the smallest training loss."""
        return self.value(self.optimum)

    @property
    def minimizers(self) -> np.ndarray:
        """The optimum as an array of shape ``(1, d)``, as for the objectives in :mod:`descent.models`."""
        return self.optimum[None, :]

    def __call__(self, theta, batch=None):
        """Same as :meth:`value`."""
        return self.value(theta, batch)

    @property
    def bounds(self):
        """Plot window ``((xmin, xmax), (ymin, ymax))`` for a model with 2 parameters.

        By default a box around the start and the optimum; assign a window to
        choose another one.
        """
        if self.dim != 2:
            raise AttributeError("bounds is defined only for models with 2 parameters")
        if getattr(self, "_bounds", None) is not None:
            return self._bounds
        corners = np.vstack([self.start, self.optimum])
        low, high = corners.min(axis=0), corners.max(axis=0)
        pad = 0.35 * np.maximum(high - low, 1e-3).max()
        return tuple((float(lo - pad), float(hi + pad)) for lo, hi in zip(low, high))

    @bounds.setter
    def bounds(self, window):
        if self.dim != 2:
            raise AttributeError("bounds is defined only for models with 2 parameters")
        self._bounds = check.window("bounds", window)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n}, dim={self.dim}, l2={self.l2}, fit_intercept={self.fit_intercept})"


class LogisticRegression(LinearModel):
    r"""Binary logistic regression with the mean cross-entropy loss.

    .. math::

        \ell_i(\theta) = \log\!\left(1 + e^{z_i}\right) - y_i z_i,
        \qquad z_i = x_i^\top \theta,\quad y_i \in \{0, 1\},

        \nabla \ell_i(\theta) = \left(s(z_i) - y_i\right) x_i,
        \qquad s(z) = \frac{1}{1 + e^{-z}}

    See :class:`LinearModel` for the parameters. Targets must be 0 or 1. The
    optimum is found by Newton's method (with backtracking), which reaches it to
    machine precision in a few steps; with linearly separable classes it only
    exists when ``l2 > 0``.
    """

    default_name = "logistic regression"

    def _check_targets(self, y):
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError("y must contain only the class labels 0 and 1 for logistic regression")
        return y.astype(float)

    def _loss(self, z, y):
        # log(1 + e^z) written so that it never overflows: max(z, 0) + log(1 + e^{-|z|}), minus y z.
        # Computed in one buffer (the same operations, so the same bits, without four temporaries):
        # the loss at a few hundred recorded points is a large part of a training run's bookkeeping.
        out = np.abs(np.asarray(z, dtype=float))
        np.negative(out, out=out)
        np.exp(out, out=out)
        np.log1p(out, out=out)
        out += np.maximum(z, 0.0)
        out -= y * z
        return out

    def score_derivative(self, z, y):
        return _sigmoid(z) - y

    def _d2loss(self, z, y):
        p = _sigmoid(z)
        return p * (1.0 - p)

    def predict_proba(self, theta, X=None) -> np.ndarray:
        r"""Probability of class 1, :math:`s(x^\top\theta)` (the logistic function), for the model's examples or new features ``X``."""
        theta = self._theta(theta)
        if X is None:
            design = self.X
        else:
            design = _as_features(X)
            if self.fit_intercept:
                design = np.hstack([design, np.ones((design.shape[0], 1))])
            if design.shape[1] != self.dim:
                raise ValueError(
                    f"X must have {self.dim - self.fit_intercept} columns, got {design.shape[1] - self.fit_intercept}"
                )
        return _sigmoid(design @ theta)

    def accuracy(self, theta) -> float:
        """Fraction of the model's examples classified correctly (threshold 0.5)."""
        return float(np.mean((self.predict_proba(theta) >= 0.5) == (self.y == 1.0)))

    def _solve(self, tol: float = 1e-12, max_iter: int = 100) -> np.ndarray:
        # Newton's method with a backtracking line search, started at zero.
        theta = np.zeros(self.dim)
        f = self.value(theta)
        for _ in range(max_iter):
            g = self.grad(theta)
            if np.linalg.norm(g) <= tol:
                break
            step = np.linalg.lstsq(self.hessian(theta), g, rcond=None)[0]
            t = 1.0
            while t > 1e-10 and self.value(theta - t * step) > f - 1e-4 * t * (g @ step):
                t *= 0.5
            if t <= 1e-10:
                break  # no further decrease representable in floating point
            theta = theta - t * step
            f = self.value(theta)
            if np.linalg.norm(theta) > 1e6:
                break
        # If theta separates the classes, scaling it up lowers the loss for ever: no finite minimiser.
        separated = self.l2 == 0.0 and np.all((2.0 * self.y - 1.0) * (self.X @ theta) > 0.0)
        if not separated and np.linalg.norm(theta) <= 1e6 and np.linalg.norm(self.grad(theta)) <= 1e-8:
            return theta
        raise ValueError(
            "no finite minimiser found: the classes may be linearly separable; use a penalty l2 > 0"
        )


class LeastSquares(LinearModel):
    r"""Linear regression with the mean squared error (halved).

    .. math::

        \ell_i(\theta) = \tfrac12 \left(x_i^\top\theta - y_i\right)^2,
        \qquad \nabla \ell_i(\theta) = \left(x_i^\top\theta - y_i\right) x_i .

    See :class:`LinearModel` for the parameters. The optimum solves the normal
    equations :math:`(X^\top X / n + c\,D)\,\theta = X^\top y / n` exactly.
    """

    default_name = "least squares"

    def _check_targets(self, y):
        return check.array("y", y)

    def _loss(self, z, y):
        return 0.5 * (z - y) ** 2

    def score_derivative(self, z, y):
        return z - y

    def _d2loss(self, z, y):
        return np.ones_like(z)

    def _solve(self) -> np.ndarray:
        A = self.X.T @ self.X / self.n + self.l2 * np.diag(self._penalty_mask)
        b = self.X.T @ self.y / self.n
        if np.linalg.matrix_rank(A) < self.dim:
            raise ValueError("the normal equations are singular (collinear features); use a penalty l2 > 0")
        return np.linalg.solve(A, b)


def _sigmoid(z):
    # The logistic function written with tanh: exact, vectorised and free of overflow. For one plain
    # float (one example, as descent.training.train_sgd passes it) math.tanh is ten times faster.
    if isinstance(z, float):
        return 0.5 * (1.0 + math.tanh(0.5 * z))
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))
