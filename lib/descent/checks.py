"""Friendly checks for exercises: compare the reader's implementation with the reference.

::

    def my_gradient_descent(grad, theta0, lr, steps):
        ...

    check_against_reference(my_gradient_descent, reference_gradient_descent,
                            cases=[dict(grad=..., theta0=..., lr=0.1, steps=20), ...])

prints ``✓ ...`` when every case agrees, or ``✗ ...`` with the first case and position where the answers differ.
It never raises for a wrong or unfinished answer (a notebook keeps running); it returns ``True`` or ``False``.
"""

from __future__ import annotations

import copy
from typing import Callable, Iterable, Mapping

import numpy as np

__all__ = ["check_against_reference", "check_sgd_epoch"]


def _number(value) -> str:
    """A number as plain Python prints it (``0.1``, ``-3.0``, ``1.5e-07``), never as ``np.float64(...)``."""
    return repr(float(value))


def _aliasing_hint(answer: np.ndarray, expected: np.ndarray) -> str:
    """A hint for the commonest bug in a loop that collects iterates: appending ``theta`` and then updating it
    in place (``theta -= ...``), so that every entry of the list is the same array and shows the final value."""
    if answer.ndim < 1 or answer.shape[0] < 2 or np.all(expected == expected[-1]):
        return ""
    if not np.all(answer == answer[-1]):
        return ""
    return ("\n  Hint: every row of your answer equals the last one. Did you append θ to the list and then update it"
            "\n  in place (theta -= ...)? Then every entry is the same array. Append a copy (theta.copy())"
            "\n  or write theta = theta - lr * grad, which makes a new array each step.")


def _describe(case: Mapping) -> str:
    parts = []
    for key, value in case.items():
        if callable(value):
            text = getattr(value, "__name__", type(value).__name__)
        elif isinstance(value, np.ndarray):
            text = np.array2string(value, precision=3, separator=", ") if value.size <= 4 else f"array{value.shape}"
        elif isinstance(value, (float, np.floating, np.integer)) and not isinstance(value, bool):
            text = _number(value)
        else:
            text = repr(value)
        parts.append(f"{key}={text}")
    return ", ".join(parts)


def check_against_reference(candidate: Callable, reference: Callable, cases: Iterable[Mapping], *,
                            name: str | None = None, rtol: float = 1e-9, atol: float = 1e-12,
                            quiet: bool = False) -> bool:
    """Call ``candidate(**case)`` and ``reference(**case)`` for each case and compare the results.

    Parameters
    ----------
    candidate : callable
        The reader's function.
    reference : callable
        The trusted function with the same signature (usually built on ``descent``).
    cases : iterable of dict
        Keyword arguments for each call. Each function gets its own deep copy, so in-place updates by one
        do not affect the other.
    name : str, optional
        How to call the candidate in messages; its ``__name__`` by default.
    rtol, atol : float
        Tolerances of the comparison (as in ``numpy.allclose``).
    quiet : bool, default False
        Return the verdict without printing.

    Returns
    -------
    bool
        ``True`` if every case agrees within the tolerances.
    """
    if not callable(candidate) or not callable(reference):
        raise TypeError("candidate and reference must both be functions")
    cases = list(cases)
    if not cases or not all(isinstance(case, Mapping) for case in cases):
        raise ValueError("cases must be a non-empty list of dicts of keyword arguments")
    label = name or getattr(candidate, "__name__", "your function")

    def say(message: str) -> None:
        if not quiet:
            print(message)

    for number, case in enumerate(cases, start=1):
        where = f"case {number} of {len(cases)} ({_describe(case)})"
        expected = np.asarray(reference(**copy.deepcopy(dict(case))), dtype=float)
        try:
            answer = candidate(**copy.deepcopy(dict(case)))
        except NotImplementedError:
            say(f"✗ {label} is not implemented yet:\n  replace `raise NotImplementedError` with your code.")
            return False
        except Exception as error:  # the reader's code failed: report it kindly, do not stop the notebook
            say(f"✗ {label} raised {type(error).__name__}: {error}\n  in {where}.")
            return False
        try:
            answer = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            say(f"✗ {label} returned {type(answer).__name__}, which is not an array of numbers, in {where}.")
            return False
        if answer.shape != expected.shape:
            say(f"✗ {label} returned shape {answer.shape}, but the reference has shape {expected.shape}, in {where}."
                + ("\n  Hint: include the starting point, so there are steps + 1 rows."
                   if answer.ndim == expected.ndim and answer.shape[:1] == (expected.shape[0] - 1,) else ""))
            return False
        close = np.isclose(answer, expected, rtol=rtol, atol=atol, equal_nan=True)
        if not np.all(close):
            index = tuple(int(i) for i in np.argwhere(~close)[0])
            position = f" at index {index}" if index else ""
            say(f"✗ {label} differs from the reference{position} in {where}:\n"
                f"  yours {_number(answer[index])}, reference {_number(expected[index])}."
                + _aliasing_hint(answer, expected))
            return False
    say(f"✓ {label} agrees with the reference on all {len(cases)} cases.")
    return True


def check_sgd_epoch(sgd_epoch, *, batch_size: int = 8, lr: float = 0.1, seed: int = 3) -> bool:
    """Check a reader's implementation of one epoch of mini-batch SGD.

    ``sgd_epoch(model, theta, lr, batch_size, rng)`` must return the parameters
    after one epoch, shuffling with ``order = rng.permutation(model.n)`` and
    stepping on consecutive chunks of ``order``. It is compared with
    :func:`descent.training.train` with :class:`descent.optim.SGD` on a small logistic
    regression; a friendly message explains the first difference found.

    Returns
    -------
    bool
        True when the two agree to 1e-10.
    """
    from .data import load
    from .models import LogisticRegression
    from .optim import SGD
    from .training import epoch_batches, train

    data = load("breast_cancer", features=["worst radius", "worst texture", "mean smoothness"])
    model = LogisticRegression(data.X_train[:50], data.y_train[:50], l2=0.01)
    start = np.linspace(-0.5, 0.5, model.dim)
    expected = train(model, SGD(lr=lr), epochs=1, batch_size=batch_size, seed=seed, start=start).theta
    try:
        got = sgd_epoch(model, start.copy(), lr, batch_size, np.random.default_rng(seed))
    except NotImplementedError:  # the exercise's stub, untouched
        print("✗ sgd_epoch is not implemented yet:\n  replace `raise NotImplementedError` with your code.")
        return False
    except Exception as error:  # the reader's code: report, don't crash the page
        print(f"✗ Your function raised {type(error).__name__}: {error}")
        return False
    got = np.asarray(got, dtype=float) if got is not None else None
    if got is None or got.shape != expected.shape:
        shape = None if got is None else got.shape
        print(f"✗ Your function should return the parameters, an array of shape {expected.shape}; got {shape}.")
        return False
    if np.allclose(got, expected, rtol=0, atol=1e-10):
        print(f"✓ Your epoch matches descent.training.train to 1e-10 ({-(-model.n // batch_size)} steps of B = {batch_size}).")
        return True
    hints = []
    unshuffled = np.array(start)
    for i in range(0, model.n, batch_size):
        batch = np.arange(i, min(i + batch_size, model.n))
        unshuffled = unshuffled - lr * model.grad(unshuffled, batch)
    if np.allclose(got, unshuffled, atol=1e-10):
        hints.append("it looks like the examples were visited in their stored order: shuffle with rng.permutation(model.n)")
    summed = np.array(start)
    for batch in epoch_batches(model.n, batch_size, np.random.default_rng(seed)):
        summed = summed - lr * len(batch) * model.grad(summed, batch)
    if np.allclose(got, summed, atol=1e-10):
        hints.append("the gradient should be the batch mean, not the sum: model.grad(theta, batch) already averages")
    if not hints:
        hints.append("check that every example is used once, the last (smaller) batch included, and that theta is updated after each batch")
    error = np.max(np.abs(got - expected))
    print(f"✗ Not yet: your parameters differ from descent's by up to {error:.3g}. Hint: " + "; ".join(hints) + ".")
    return False
