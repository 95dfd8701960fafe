"""What the explorer and figure tests read back from matplotlib: a line's data, whether redrawn lines changed,
and a module-scoped explorer fixture that closes its figure afterwards."""

from __future__ import annotations

import numpy as np
import pytest


def line_data(line) -> tuple:
    """A copy of a ``Line2D``'s x and y data as float arrays (NaN where matplotlib holds a masked point)."""
    x, y = line.get_data()
    return np.asarray(x, dtype=float).copy(), np.asarray(y, dtype=float).copy()


def changed(before: list, after: list) -> list:
    """For each pair of ``line_data`` snapshots, whether the line's data changed (shape or values; NaN equals NaN)."""
    return [
        b[0].shape != a[0].shape or not (np.allclose(b[0], a[0], equal_nan=True)
                                         and np.allclose(b[1], a[1], equal_nan=True))
        for b, a in zip(before, after)
    ]


def explorer_fixture(make):
    """A module-scoped fixture that builds one explorer with ``make()`` and closes its figure after the module."""

    @pytest.fixture(scope="module")
    def fixture():
        explorer = make()
        yield explorer
        explorer.close()

    return fixture
