"""Tests for descent.figures.learning_rate: chapter 1's one-line reading of a learning rate."""

from descent.figures.learning_rate import describe
from descent.models import Quadratic1D
from descent.optim import SGD
from descent.runner import run


def test_describe_names_each_regime():
    assert "creeps" in describe(0.5, [1.0])
    assert "one step" in describe(1.0, [1.0])
    assert "oscillates" in describe(1.5, [1.0])
    assert "never converges" in describe(2.0, [1.0])
    assert "diverges" in describe(2.5, [1.0])
    assert "diverged at step" in describe(2.5, [1.0], run(Quadratic1D(), SGD(lr=2.5), 200))
