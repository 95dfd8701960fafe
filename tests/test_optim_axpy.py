"""descent.optim.axpy.axpy_: y += a * x in place, through BLAS when it can, numpy otherwise.

The BLAS call is observed by replacing ``axpy._blas_axpy`` with a wrapper that
records each call, so every test knows which path ran.  Results are compared
with the exact value computed in higher precision, within the rounding error of
one multiply-add (BLAS rounds once or twice depending on the CPU's kernel,
numpy twice).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

import descent.optim as optim
from descent.optim import axpy
from descent.optim.axpy import axpy_

DTYPES = [np.float32, np.float64]


@pytest.fixture
def blas_calls(monkeypatch):
    """A list that receives (y_flat, x_flat, a) for every BLAS call axpy_ makes."""
    calls = []
    real = axpy._blas_axpy

    def recording(dtype):
        routine = real(dtype)

        def call(x, y, a):
            calls.append((y, x, a))
            return routine(x, y, a=a)

        return call

    monkeypatch.setattr(axpy, "_blas_axpy", recording)
    return calls


def assert_close_to_exact(result, y0, x0, a):
    """|result - (y0 + a x0)| within 2 roundings of the operands' size, entry by entry."""
    y64, x64 = np.asarray(y0, np.longdouble), np.asarray(x0, np.longdouble)
    a_used = np.longdouble(np.asarray(a, dtype=result.dtype))  # a as the arithmetic sees it
    exact = y64 + a_used * x64
    bound = 2 * np.finfo(result.dtype).eps * (np.abs(y64) + np.abs(a_used * x64))
    error = np.abs(np.asarray(result, np.longdouble) - exact)
    assert np.all(error <= bound), f"max error {error.max()} exceeds bound {bound[np.argmax(error - bound)]}"


# --- the BLAS path -----------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(1,), (7,), (1000,), (3, 4), (2, 3, 5)])
def test_contiguous_arrays_use_blas_in_place(blas_calls, dtype, shape):
    rng = np.random.default_rng(0)
    y = rng.normal(size=shape).astype(dtype)
    x = rng.normal(size=shape).astype(dtype)
    y0 = y.copy()
    out = axpy_(y, x, -0.37)
    assert out is y
    assert len(blas_calls) == 1
    y_flat, x_flat, a = blas_calls[0]
    assert np.shares_memory(y_flat, y) and np.shares_memory(x_flat, x)
    assert a == -0.37
    assert_close_to_exact(y, y0, x, -0.37)
    assert not np.array_equal(y, y0)  # y itself changed, not a copy of it


@pytest.mark.parametrize("dtype", DTYPES)
def test_blas_path_propagates_non_finite_values(blas_calls, dtype):
    y = np.ones(4, dtype)
    x = np.array([np.inf, -np.inf, np.nan, 1.0], dtype)
    axpy_(y, x, -0.5)
    assert len(blas_calls) == 1
    np.testing.assert_array_equal(y, np.array([-np.inf, np.inf, np.nan, 0.5], dtype))


# --- the numpy path ----------------------------------------------------------------


def zero_d(dtype, rng):
    return np.array(rng.normal(), dtype), np.array(rng.normal(), dtype)


def strided_view(dtype, rng):
    return rng.normal(size=20).astype(dtype)[::2], rng.normal(size=10).astype(dtype)


def strided_x(dtype, rng):
    return rng.normal(size=10).astype(dtype), rng.normal(size=20).astype(dtype)[1::2]


def fortran_order(dtype, rng):
    return np.asfortranarray(rng.normal(size=(3, 4)).astype(dtype)), rng.normal(size=(3, 4)).astype(dtype)


def mixed_dtypes(dtype, rng):
    other = np.float64 if dtype == np.float32 else np.float32
    return rng.normal(size=6).astype(dtype), rng.normal(size=6).astype(other)


def byte_swapped(dtype, rng):
    swapped = np.dtype(dtype).newbyteorder()
    return rng.normal(size=6).astype(swapped), rng.normal(size=6).astype(swapped)


def broadcast_x(dtype, rng):
    return rng.normal(size=(2, 3)).astype(dtype), rng.normal(size=(3,)).astype(dtype)


def empty(dtype, rng):
    return np.zeros(0, dtype), np.zeros(0, dtype)


FALLBACKS = [zero_d, strided_view, strided_x, fortran_order, mixed_dtypes, byte_swapped, broadcast_x, empty]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("make", FALLBACKS, ids=[f.__name__ for f in FALLBACKS])
def test_other_arrays_take_the_numpy_path_in_place(blas_calls, dtype, make):
    y, x = make(dtype, np.random.default_rng(1))
    y0, x0 = y.copy(), x.copy()
    out = axpy_(y, x, 1.25)
    assert out is y
    assert blas_calls == []
    assert y.dtype == y0.dtype
    assert_close_to_exact(y, y0, np.broadcast_to(x0, y.shape), 1.25)
    if y.size:
        assert not np.array_equal(y, y0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_overlapping_arrays_take_the_numpy_path(blas_calls, dtype):
    buffer = np.arange(1.0, 11.0, dtype=dtype)
    y, x = buffer[:-1], buffer[1:]  # both C-contiguous, sharing 8 entries
    expected = y + 2.0 * x  # from the values before the update
    axpy_(y, x, 2.0)
    assert blas_calls == []
    np.testing.assert_array_equal(y, expected)  # small integers: exact on both paths


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_multiplier_takes_the_numpy_path_so_nan_propagates(blas_calls, dtype):
    # BLAS returns early when a == 0; torch's param.add_(x, alpha=0) gives 0 * inf = nan.
    y = np.ones(3, dtype)
    with np.errstate(invalid="ignore"):  # numpy's warning for 0 * inf; the optimizers silence it
        axpy_(y, np.array([np.inf, np.nan, 2.0], dtype), 0.0)
    assert blas_calls == []
    np.testing.assert_array_equal(y, np.array([np.nan, np.nan, 1.0], dtype))


def test_read_only_y_is_refused_by_numpy(blas_calls):
    y = np.ones(3)
    y.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        axpy_(y, np.ones(3), 0.5)
    assert blas_calls == []


# --- the optimizers use it -------------------------------------------------------

OPTIMIZERS = [
    optim.SGD(lr=0.1),
    optim.SGD(lr=0.1, weight_decay=0.01, maximize=True),
    optim.Momentum(lr=0.1, dampening=0.2),
    optim.Nesterov(lr=0.1),
    optim.AdaGrad(),
    optim.RMSProp(),
    optim.RMSProp(momentum=0.9, centered=True),
    optim.Adadelta(),
    optim.Adam(),
    optim.AdamW(amsgrad=True),
    optim.AdaMax(),
    optim.NAdam(),
    optim.RAdam(),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_every_optimizer_updates_its_parameter_through_blas(blas_calls, opt, dtype):
    rng = np.random.default_rng(2)
    params = {"w": rng.normal(size=(10, 10)).astype(dtype)}
    for _ in range(3):
        blas_calls.clear()
        opt.step(params, {"w": rng.normal(size=(10, 10)).astype(dtype)})
        assert any(np.shares_memory(y, params["w"]) for y, _, _ in blas_calls), "no BLAS call on the parameter"


# --- import and threads ----------------------------------------------------------


def test_import_does_not_load_scipy():
    code = "import sys, descent.optim; assert 'scipy' not in sys.modules, 'scipy imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_step_changes_no_thread_setting():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import scipy.linalg.blas  # noqa: F401  (so that SciPy's BLAS is in the "before" list)

    environment = dict(os.environ)
    before = threadpoolctl.threadpool_info()
    opt = optim.SGD(lr=0.1)
    params = {"w": np.zeros(100_000)}
    opt.step(params, {"w": np.ones(100_000)})
    assert threadpoolctl.threadpool_info() == before
    assert dict(os.environ) == environment
