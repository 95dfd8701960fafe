r"""``y += a * x`` in one pass over memory, as torch's fused updates do: :func:`axpy_`.

Most update rules end with :math:`\theta \leftarrow \theta + a\, x` for a scalar :math:`a`; this module
does it with BLAS's ``axpy`` when it can (see :func:`axpy_` for when, and why it matters for speed).
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["axpy_"]


def axpy_(y, x, a):
    r"""Add ``a * x`` to ``y`` in place, in one pass over memory; return ``y``.

    .. math::

        y \leftarrow y + a\, x

    This is the shape of most final updates, :math:`\theta \leftarrow \theta - \alpha\, g`
    with ``y`` the parameter, ``x`` the gradient (or velocity, or scaled step) and
    ``a`` = :math:`-\alpha`.  torch does it in one fused pass
    (``param.add_(x, alpha=a)``); numpy alone needs two (``a * x`` into a scratch
    buffer, then the addition), which for plain SGD takes about twice as long.  BLAS's
    ``axpy`` routine is that fused pass: SciPy's ``saxpy`` (float32) or ``daxpy``
    (float64), which update ``y`` in place.  As in torch, the product and the sum
    are rounded once (fused multiply-add, in the BLAS kernels for current x86
    CPUs), so the result can differ from numpy's two-pass ``y += a * x`` in the
    last bit.

    BLAS is used when ``y`` and ``x`` are both C-contiguous, aligned arrays of at
    least one dimension, with the same shape and the same dtype (native float32
    or float64), ``y`` is writeable, the two do not share memory, and
    ``a != 0``.  In every other case (a 0-d array, a strided view, mixed dtypes,
    overlapping arrays, a broadcast ``x``) the update is numpy's
    ``y += a * x`` with the product computed in ``y``'s dtype, the same result up
    to that last bit; numpy's floating-point warnings then follow the caller's
    ``numpy.errstate`` (the optimizers silence them), where BLAS never warns.
    ``a = 0`` goes to numpy because BLAS skips the work when ``a`` is zero,
    whereas ``0 * inf = nan`` must still reach ``y``, as it does in torch.

    Threads: the BLAS bundled with SciPy may split one call on a large array
    (more than about 10,000 entries) over several threads.  This function does
    not change any thread setting; set ``OPENBLAS_NUM_THREADS`` before Python
    starts, or use ``threadpoolctl``, to control it.

    Parameters
    ----------
    y : numpy.ndarray
        Updated in place (float32 or float64 for the BLAS path).
    x : numpy.ndarray
        Same shape as ``y`` (any array numpy can broadcast on the numpy path).
    a : float
        The scalar multiplier of ``x``.

    Returns
    -------
    numpy.ndarray
        ``y`` itself.
    """
    a = float(a)
    if _blas_applies(y, x, a):
        _blas_axpy(y.dtype)(x.reshape(-1), y.reshape(-1), a=a)  # writes into y's memory
    else:
        y += np.multiply(x, a, dtype=y.dtype.type)  # the product in y's precision, as on the BLAS path
    return y


_BLAS_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # native byte order only


def _blas_applies(y, x, a):
    """Whether ``axpy_`` may hand ``y`` and ``x`` to BLAS (see its docstring)."""
    if a == 0 or type(y) is not np.ndarray or type(x) is not np.ndarray:
        return False
    if y.dtype not in _BLAS_DTYPES or x.dtype != y.dtype or x.shape != y.shape:
        return False
    if y.ndim == 0 or not 0 < y.size < 2**31:  # BLAS counts entries in 32 bits
        return False
    fy, fx = y.flags, x.flags
    return (
        fy.c_contiguous and fx.c_contiguous and fy.aligned and fx.aligned and fy.writeable
        and not np.may_share_memory(x, y)
    )


@functools.cache
def _blas_axpy(dtype):
    """SciPy's ``saxpy`` or ``daxpy`` for ``dtype``.

    Imported on first use: ``scipy.linalg`` takes a noticeable fraction of a
    second to import, which ``import descent`` should not pay.
    """
    from scipy.linalg.blas import daxpy, saxpy

    return saxpy if dtype == np.float32 else daxpy
