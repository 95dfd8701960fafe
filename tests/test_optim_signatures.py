"""Each optimizer's keywords and defaults are torch.optim's (skipped without torch).

Only ``lr`` may be passed by position (as torch's first argument after the
parameters); everything after it is keyword-only, so ``SGD(0.1, 0.9)`` is a
``TypeError`` instead of silently meaning something torch would read otherwise.

Intentional differences, listed here so that a new one makes this test fail:

* ``Momentum`` and ``Nesterov`` default to ``momentum=0.9`` (torch's ``SGD``
  defaults to 0, plain SGD); ``SGD`` has no ``momentum``, ``dampening`` or
  ``nesterov`` (those are the other two classes), and ``Nesterov`` needs no
  ``nesterov`` flag.
* torch's implementation switches are left out everywhere: ``foreach``,
  ``fused``, ``capturable``, ``differentiable`` (and ``params``, since
  ``step`` receives the parameters).
"""

from __future__ import annotations

import inspect

import pytest

import descent.optim as optim
from descent.training.torch_names import TORCH_EQUIVALENTS

torch = pytest.importorskip("torch")

TORCH_CLASS = {name: torch_name for name, (torch_name, _) in TORCH_EQUIVALENTS.items()}
IMPLEMENTATION_SWITCHES = {"params", "foreach", "fused", "capturable", "differentiable"}
OMITTED = {"SGD": {"momentum", "dampening", "nesterov"}, "Momentum": {"nesterov"}, "Nesterov": {"nesterov"}}
# Momentum and Nesterov default to the momentum their torch equivalent is given (torch's SGD defaults to 0).
OTHER_DEFAULTS = {name: {key: value for key, value in fixed.items() if key != "nesterov"}
                  for name, (_, fixed) in TORCH_EQUIVALENTS.items() if fixed}
NAMES = [name for name in optim.__all__ if name != "Optimizer"]


def defaults(function):
    return {
        name: p.default for name, p in inspect.signature(function).parameters.items()
        if name != "self" and p.kind is not p.VAR_KEYWORD
    }


def test_every_optimizer_is_compared():
    assert set(TORCH_CLASS) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_keywords_and_defaults_are_torchs(name):
    theirs = defaults(getattr(torch.optim, TORCH_CLASS[name]).__init__)
    for omitted in IMPLEMENTATION_SWITCHES | OMITTED.get(name, set()):
        theirs.pop(omitted, None)
    theirs.update(OTHER_DEFAULTS.get(name, {}))
    ours = defaults(getattr(optim, name))
    assert list(ours)[0] == "lr"
    assert ours == theirs


@pytest.mark.parametrize("name", NAMES)
def test_everything_after_lr_is_keyword_only(name):
    parameters = list(inspect.signature(getattr(optim, name)).parameters.values())
    assert parameters[0].name == "lr" and parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[1:]), name
