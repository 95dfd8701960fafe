"""Run a block of code with the BLAS libraries limited to a number of threads.

The networks of the course are small: a 64-64-10 net at batch 32 multiplies matrices of a
few thousand entries, for which waking a second BLAS thread costs more than it saves, and
on a machine whose cores are busy with other work it can cost a great deal (measured on
2 shared cores: 10 epochs of a 64-256-128-10 net on the digits at batch 32 took 0.12 s on
one thread and 5.2 s on two). :func:`descent.training.fit` and
:func:`descent.training.lr_range_test` therefore run on one BLAS thread unless told
otherwise, through threadpoolctl (which scikit-learn already depends on).
"""

from __future__ import annotations

import contextlib

from .. import _validation as check


def blas_threads(threads):
    """A context manager: BLAS on ``threads`` threads inside it (``None``: leave it as it is).

    SciPy's BLAS, which :mod:`descent.optim` uses for its updates, is loaded first, so that
    it is limited along with numpy's.
    """
    if threads is None:
        return contextlib.nullcontext()
    threads = check.integer("threads", threads, 1)
    import scipy.linalg.blas  # noqa: F401  (loaded now, so that the limit covers it)
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads, user_api="blas")
