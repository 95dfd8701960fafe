r"""A multilayer perceptron with hand-written backpropagation.

The network maps a row of features :math:`x` to :math:`C` scores (logits) through :math:`L`
affine layers, with an activation :math:`\phi` (ReLU or tanh) between them:

.. math::

    h_0 = x, \qquad z_k = h_{k-1} W_k + b_k, \qquad h_k = \phi(z_k) \quad (k < L),
    \qquad z_L = \text{logits}.

A layer is ``h @ W + b`` with ``W`` of shape ``(fan_in, fan_out)``, so a batch of rows goes
through in one matrix product. The loss is the mean softmax cross-entropy over the :math:`n`
rows of a batch with integer labels :math:`y_i`,

.. math::

    f = \frac1n \sum_{i=1}^n \Bigl( \log \sum_{c} e^{z_{L,ic}} - z_{L,i y_i} \Bigr).

**Backpropagation** is the chain rule applied layer by layer, from the loss back to the input.
Write :math:`\delta_k = \partial f / \partial z_k` (one row per example). Then

.. math::

    \delta_L = \frac1n\,(\operatorname{softmax}(z_L) - \operatorname{onehot}(y)), \qquad
    \frac{\partial f}{\partial W_k} = h_{k-1}^\top \delta_k, \qquad
    \frac{\partial f}{\partial b_k} = \textstyle\sum_i \delta_{k,i}, \qquad
    \delta_{k-1} = (\delta_k W_k^\top) \odot \phi'(z_{k-1}),

with :math:`\phi'(z) = [z > 0]` for ReLU (0 at the kink, as in torch) and
:math:`1 - \tanh^2 z = 1 - h^2` for tanh. :meth:`MLP.loss_and_grad` is these four lines in a
loop. The tests check it against central differences and against torch's autograd.

**Precision.** The parameters decide it: float32 parameters compute in float32 (the features
are converted once), float64 in float64; the loss and the gradients come back in that dtype.

**A stack of networks.** The computation (the private ``_loss_and_grad`` that training loops
call on checked inputs) also takes :math:`S` networks of the same sizes at once: every
parameter with a leading axis of length :math:`S` (``W_k`` of shape ``(S, fan_in, fan_out)``,
``b_k`` of shape ``(S, fan_out)``), a batch ``X`` of shape ``(S, n, d)`` and labels ``(S, n)``,
one batch per network. The formulas are the same with every product taken network by network
(``np.matmul`` on the last two axes); the loss comes back as one number per network. Each
network's numbers are those of a separate call: the same products on the same arrays.
:func:`descent.training.fit_stacked` trains several seeds this way, paying numpy's cost per
call once for all of them.

**Initialisation** (:meth:`MLP.init`): biases start at zero and weights are drawn so that the
size of the signal neither grows nor shrinks from layer to layer at the start:

- ``"he"`` (the default for ReLU; He et al., 2015): :math:`W_{ij} \sim \mathcal N(0, 2/\text{fan\_in})`.
  A ReLU zeroes half of its inputs on average, which halves the second moment; the factor 2
  restores it.
- ``"glorot"`` (the default for tanh; Glorot and Bengio, 2010):
  :math:`W_{ij} \sim \mathcal U(-a, a)`, :math:`a = \sqrt{6/(\text{fan\_in} + \text{fan\_out})}`,
  variance :math:`2/(\text{fan\_in} + \text{fan\_out})`: tanh is linear near 0, so this keeps the
  variance of both the forward signal and the backward gradient near 1 (a compromise between
  the two fans).
- ``"torch"``: what ``torch.nn.Linear`` does by default, weights **and** biases
  :math:`\sim \mathcal U(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})` (its
  ``kaiming_uniform_(a=sqrt(5))``). The weight variance is :math:`1/(3\,\text{fan\_in})`, a sixth
  of He's, so in a deep ReLU net the signal shrinks by about :math:`\sqrt 6` per layer at the
  start. The same distribution, not the same numbers: to compare with torch, copy the
  parameters over (``W_k`` is the transpose of ``Linear.weight``).
"""

from __future__ import annotations

import numpy as np

from .. import _validation as check

__all__ = ["MLP", "ACTIVATIONS", "INIT_SCHEMES"]

#: Activations between layers.
ACTIVATIONS = ("relu", "tanh")
#: Initialisation schemes of :meth:`MLP.init` ("auto" picks He for ReLU, Glorot for tanh).
INIT_SCHEMES = ("auto", "he", "glorot", "torch")


class MLP:
    r"""A fully connected network, ``sizes = [d, hidden..., C]``, with softmax cross-entropy.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from the input to the output, e.g. ``[64, 32, 10]``: 64 features,
        one hidden layer of 32 units, 10 classes. At least two entries (two entries is
        multinomial logistic regression), each ``>= 1``.
    activation : {"relu", "tanh"}, default "relu"
        :math:`\phi` between layers (never after the last one: the output is the logits).

    Attributes
    ----------
    sizes : tuple of int
    activation : str
    shapes : dict
        Parameter name -> shape: ``W1, b1, W2, b2, ...`` with ``W_k`` of shape
        ``(sizes[k-1], sizes[k])`` and ``b_k`` of shape ``(sizes[k],)``.

    Examples
    --------
    >>> net = MLP([64, 32, 10])
    >>> params = net.init(seed=0)
    >>> loss, grads = net.loss_and_grad(params, X, y)     # doctest: +SKIP
    >>> Adam(lr=1e-3).step(params, grads)                 # doctest: +SKIP
    """

    def __init__(self, sizes, activation="relu"):
        try:
            sizes = list(sizes)
        except TypeError:
            raise ValueError(f"sizes must be a sequence of layer widths such as [64, 32, 10], got {sizes!r}") from None
        if len(sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, got {sizes!r}")
        self.sizes = tuple(check.integer(f"sizes[{k}]", s, 1) for k, s in enumerate(sizes))
        self.activation = check.choice("activation", activation, ACTIVATIONS)
        self._cache = {}  # (rows, dtype) -> activation buffers, see _buffers
        self.shapes = {}
        for k in range(1, len(self.sizes)):
            self.shapes[f"W{k}"] = (self.sizes[k - 1], self.sizes[k])
            self.shapes[f"b{k}"] = (self.sizes[k],)

    @property
    def n_layers(self) -> int:
        """Number of affine layers :math:`L` (``len(sizes) - 1``)."""
        return len(self.sizes) - 1

    @property
    def n_features(self) -> int:
        """Input width ``sizes[0]``."""
        return self.sizes[0]

    @property
    def n_classes(self) -> int:
        """Output width ``sizes[-1]``, the number of classes."""
        return self.sizes[-1]

    @property
    def n_params(self) -> int:
        """Total number of parameters."""
        return sum(int(np.prod(shape)) for shape in self.shapes.values())

    def __repr__(self):
        return f"MLP({list(self.sizes)}, activation={self.activation!r})"

    # -- parameters --------------------------------------------------------------------

    def init(self, seed, *, dtype=np.float64, scheme="auto"):
        """Fresh parameters ``{"W1", "b1", ...}``: the same dict for the same ``seed``.

        Parameters
        ----------
        seed : int
            Seed of ``numpy.random.default_rng``.
        dtype : float32 or float64, default float64
            The draws are made in float64 and rounded, so the float32 parameters of a seed
            are its float64 parameters rounded to float32.
        scheme : {"auto", "he", "glorot", "torch"}, default "auto"
            See the module docstring; ``"auto"`` is He for ReLU and Glorot for tanh.

        Returns
        -------
        dict
            Name -> array, writeable and C-contiguous: what every optimizer of
            :mod:`descent.optim` takes.
        """
        seed = check.integer("seed", seed, 0)
        scheme = check.choice("scheme", scheme, INIT_SCHEMES)
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {dtype}")
        if scheme == "auto":
            scheme = "he" if self.activation == "relu" else "glorot"
        rng = np.random.default_rng(seed)
        params = {}
        for k in range(1, self.n_layers + 1):
            fan_in, fan_out = self.shapes[f"W{k}"]
            if scheme == "he":
                W = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
                b = np.zeros(fan_out)
            elif scheme == "glorot":
                bound = np.sqrt(6.0 / (fan_in + fan_out))
                W = rng.uniform(-bound, bound, size=(fan_in, fan_out))
                b = np.zeros(fan_out)
            else:  # torch.nn.Linear's default
                bound = 1.0 / np.sqrt(fan_in)
                W = rng.uniform(-bound, bound, size=(fan_in, fan_out))
                b = rng.uniform(-bound, bound, size=fan_out)
            params[f"W{k}"] = W.astype(dtype)
            params[f"b{k}"] = b.astype(dtype)
        return params

    def check_params(self, params):
        """The dtype of ``params`` after checking its keys, shapes and dtypes.

        Raises ``ValueError`` naming a missing, unexpected or misshapen parameter, or
        mixed dtypes; ``TypeError`` for an array that is not float32 or float64.
        """
        return check.parameter_dict("params", params, self.shapes)

    def check_data(self, X, y=None, *, dtype=None):
        """``X`` (and ``y``) checked and converted: ``X`` a finite float array of ``dtype``,
        ``y`` int64 labels in ``[0, n_classes)``.

        Raises ``ValueError`` naming ``X`` or ``y``: a wrong feature width, an empty ``X``,
        a NaN or infinity, a label out of range or a length that differs from ``X``'s rows.
        """
        X = check.feature_matrix("X", X, self.n_features, dtype)
        if y is None:
            return X
        return X, check.class_labels("y", y, X.shape[0], self.n_classes)

    # -- the network -------------------------------------------------------------------

    def logits(self, params, X):
        """The scores :math:`z_L`, shape ``(n, n_classes)``, in the parameters' dtype."""
        X = self.check_data(X, dtype=self.check_params(params))
        return self._forward(params, X, keep=False)[-1]

    def predict(self, params, X):
        """The predicted class of every row of ``X`` (the largest logit)."""
        return np.argmax(self.logits(params, X), axis=1)

    def evaluate(self, params, X, y):
        """``(loss, accuracy)`` on ``(X, y)`` from one forward pass, as Python floats."""
        X, y = self.check_data(X, y, dtype=self.check_params(params))
        return self._evaluate(params, X, y)

    def loss(self, params, X, y):
        """The mean softmax cross-entropy on ``(X, y)``, in the parameters' dtype."""
        X, y = self.check_data(X, y, dtype=self.check_params(params))
        return _cross_entropy(self._forward(params, X)[-1], y)[0]

    def loss_and_grad(self, params, X, y, *, out=None):
        """The mean softmax cross-entropy on ``(X, y)`` and its gradient, by backpropagation.

        Parameters
        ----------
        params : dict
            ``W1, b1, ...`` as :meth:`init` returns (float32 or float64).
        X : array_like, shape (n, sizes[0])
            Features, one row per example (converted to the parameters' dtype).
        y : array_like of int, shape (n,)
            Labels in ``[0, n_classes)``.
        out : dict, optional
            Arrays with the parameters' keys, shapes and dtype to write the gradients into
            (a training loop passes the same ones at every step instead of allocating).

        Returns
        -------
        loss : numpy.floating
            In the parameters' dtype.
        grads : dict
            Name -> gradient, same keys, shapes and dtype as ``params`` (``out`` itself
            when given).

        Raises
        ------
        ValueError
            For a label out of range, a wrong feature width, NaN or inf in ``X`` or ``y``,
            a missing or misshapen parameter (the message names it).
        """
        dtype = self.check_params(params)
        X, y = self.check_data(X, y, dtype=dtype)
        if out is not None:
            if check.parameter_dict("out", out, self.shapes) != dtype:
                raise ValueError(f"out must have the parameters' dtype {dtype}")
        return self._loss_and_grad(params, X, y, out)

    # -- the computation, on checked inputs --------------------------------------------

    def _buffers(self, shape, dtype, keep=True):
        r"""Arrays for the activations of a batch, ``shape = (*stack, rows)``: ``z[k]`` holds
        :math:`z_k` and then :math:`h_k` (``k = 1..L``), ``dh[k]`` holds
        :math:`\partial f/\partial h_k` (hidden layers only); ``stack`` is ``()`` for one network,
        ``(S,)`` for a stack of them.

        Allocating them afresh at every step costs more than the arithmetic for the larger
        layers (arrays above glibc's mmap threshold come back from the kernel as new pages), so
        the training path keeps one set per batch shape (``keep=True``); results handed to
        the caller (:meth:`logits`) use fresh ones.
        """
        key = (tuple(shape), np.dtype(dtype))
        buffers = self._cache.get(key) if keep else None
        if buffers is None:
            widths = self.sizes
            buffers = {
                "z": [None] + [np.empty((*shape, widths[k]), dtype) for k in range(1, len(widths))],
                "dh": [None] + [np.empty((*shape, widths[k]), dtype) for k in range(1, len(widths) - 1)],
            }
            if keep:
                if len(self._cache) >= 8:  # batch, last batch, validation, training set: a few shapes
                    self._cache.clear()
                self._cache[key] = buffers
        return buffers

    def _forward(self, params, X, keep=True):
        """The activations ``[h_0 = X, h_1, ..., h_{L-1}, z_L]`` (the last entry is the logits)."""
        z = self._buffers(X.shape[:-1], X.dtype, keep)["z"]
        hs = [X]
        for k in range(1, self.n_layers + 1):
            np.matmul(hs[-1], params[f"W{k}"], out=z[k])  # z_k = h_{k-1} W_k ...
            z[k] += params[f"b{k}"][..., None, :]  # ... + b_k (on every row; of each network in a stack)
            if k < self.n_layers:
                self._activate(z[k])  # h_k = phi(z_k), in place: z_k itself is not needed again
            hs.append(z[k])
        return hs

    def _activate(self, z):
        if self.activation == "relu":
            return np.maximum(z, 0, out=z)
        return np.tanh(z, out=z)

    def _times_derivative(self, upstream, h):
        """``upstream * phi'(z)`` in place, with ``phi'`` written through ``h = phi(z)``.

        ``h`` is not needed after this (the gradient of the layer below uses the activation
        below), so tanh's derivative ``1 - h^2`` is formed in ``h``'s own memory.
        """
        if self.activation == "relu":
            upstream *= h > 0  # 1 where the unit was active, 0 where it was cut (and at the kink)
        else:
            h *= h
            upstream *= np.subtract(1, h, out=h)  # tanh' = 1 - tanh^2
        return upstream

    def _loss_and_grad(self, params, X, y, out=None):
        """Loss and gradients on checked inputs: one network, or a stack (module docstring)."""
        stack = X.shape[:-2]
        grads = out if out is not None else {key: np.empty((*stack, *shape), X.dtype) for key, shape in self.shapes.items()}
        *hs, logits = self._forward(params, X)
        dh = self._buffers(X.shape[:-1], X.dtype)["dh"]
        loss, delta = _cross_entropy(logits, y, with_delta=True)  # delta_L = df/dz_L
        for k in range(self.n_layers, 0, -1):
            # .mT is the transpose of the last two axes: .T for one network, network by network in a stack
            np.matmul(hs[k - 1].mT, delta, out=grads[f"W{k}"])  # df/dW_k = h_{k-1}^T delta_k
            np.sum(delta, axis=-2, out=grads[f"b{k}"])  # df/db_k = sum over rows of delta_k
            if k > 1:
                upstream = np.matmul(delta, params[f"W{k}"].mT, out=dh[k - 1])  # df/dh_{k-1} = delta_k W_k^T
                delta = self._times_derivative(upstream, hs[k - 1])  # delta_{k-1} = that * phi'(z_{k-1})
        return loss, grads

    def _evaluate(self, params, X, y):
        logits = self._forward(params, X)[-1]
        accuracy = float(np.mean(np.argmax(logits, axis=-1) == y))
        loss = _cross_entropy(logits, y)[0]  # overwrites the logits
        return float(loss), accuracy


def _cross_entropy(logits, y, with_delta=False):
    r"""Mean softmax cross-entropy of ``logits`` (overwritten) and, if asked, :math:`\delta_L`.

    Computed stably: with :math:`s = z - \max_c z_c` row by row,
    :math:`\ell_i = \log\sum_c e^{s_{ic}} - s_{i y_i}` (no exponential can overflow), and
    :math:`\delta_L = (e^{s} / \sum_c e^{s_c} - \operatorname{onehot}(y)) / n`.

    ``logits`` has shape ``(n, C)``, or ``(S, n, C)`` for a stack of networks with labels
    ``(S, n)``; the loss is then one mean per network. The rows of all networks are handled
    as one table of rows (a view: the logits are contiguous).
    """
    n, classes = logits.shape[-2:]
    table = logits.reshape(-1, classes)
    labels = y.reshape(-1)
    rows = np.arange(table.shape[0])
    shifted = table
    shifted -= table.max(axis=1, keepdims=True)
    target = shifted[rows, labels]
    exp = np.exp(shifted, out=shifted)
    total = exp.sum(axis=1)
    losses = np.log(total) - target
    loss = np.mean(losses) if logits.ndim == 2 else np.mean(losses.reshape(logits.shape[:-1]), axis=-1)
    if not with_delta:
        return loss, None
    delta = exp
    delta /= total[:, None]  # softmax(z_L)
    delta[rows, labels] -= 1  # minus onehot(y)
    delta /= n  # the mean over rows
    return loss, logits
