"""The torch code shown in the case-study chapter reproduces descent's runs (skipped without torch).

The chapter displays ``train_torch`` without running it (torch is not a requirement of the book).
This test takes that code from the notebook as it is, runs it with torch for every optimizer of the
case study and each of its schedules, from descent's starting parameters and with descent's shuffles,
and checks that it gives descent's numbers: the same number of epochs (early stopping decides alike),
the same validation accuracies, and validation losses and final parameters equal within 1e-10
relative. Both compute in float64; what remains is rounding (matrix products summed in another
order), about 1e-15 after 20 epochs here, so 1e-10 leaves room for other processors and still fails
on any real difference (a wrong epsilon, a scheduler stepped in the wrong place, a missed restore).
It also runs the code again with torch's ``foreach`` implementation, and checks the torch names of
descent.training.comparison against torch's signatures.

Run it in an environment with torch, e.g. ``PYTHONPATH=lib /work/venv-torch/bin/python -m pytest
tests/test_case_study_torch.py``.
"""

from __future__ import annotations

import inspect
import json
import re

import numpy as np
import pytest

from conftest import ROOT
from descent.data import load
from descent.training.comparison import OPTIMIZERS, Protocol, Setting, run_setting
from descent.training.torch_names import TORCH_EQUIVALENTS, TORCH_ONLY, from_torch

torch = pytest.importorskip("torch")

NOTEBOOK = ROOT / "chapters" / "10_case_study.ipynb"
RTOL = 1e-10
#: The rates the chapter's search chose (any rates would do: the test is about reproducing descent).
RATES = {"SGD": 1.0, "Momentum": 0.1, "Nesterov": 0.1, "AdaGrad": 0.1, "RMSProp": 10**-2.5, "Adadelta": 10.0,
         "Adam": 0.01, "AdamW": 0.01, "AdaMax": 10**-1.5, "NAdam": 0.01, "RAdam": 10**-1.5}


def torch_code() -> str:
    """The python fence of the chapter that defines train_torch."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        found += [code for code in re.findall(r"```python\n(.*?)```", text, flags=re.S) if "def train_torch(" in code]
    assert len(found) == 1, f"expected one code block defining train_torch in {NOTEBOOK.name}, found {len(found)}"
    return found[0]


@pytest.fixture(scope="module")
def shown():
    namespace = {}
    exec(compile(torch_code(), f"{NOTEBOOK.name}: train_torch", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.fixture(scope="module")
def digits():
    return load("digits")


def protocol(seed):
    return Protocol(sizes=(64, 32, 10), epochs=20, batch_size=64, patience=5, seeds=(seed,))


def compare(shown, digits, name, schedule, seed):
    setting = Setting(name, RATES[name], schedule)
    ours = run_setting(setting, protocol(seed), digits)
    start = protocol(seed).initial_params()[0]
    torch.set_num_threads(1)
    history, model = shown["train_torch"](start, digits, seed, name, RATES[name], schedule)
    losses = np.array([loss for loss, _ in history])
    accuracies = np.array([accuracy for _, accuracy in history])
    descent_history = ours.histories[0]
    assert len(history) == descent_history.n_epochs
    np.testing.assert_array_equal(accuracies, descent_history.val_accuracy)
    np.testing.assert_allclose(losses, descent_history.val_loss, rtol=RTOL, atol=0)
    layers = {1: model[0], 2: model[2]}
    for k, layer in layers.items():
        np.testing.assert_allclose(layer.weight.detach().numpy().T, ours.params[0][f"W{k}"], rtol=RTOL,
                                   atol=RTOL * np.abs(ours.params[0][f"W{k}"]).max())
        np.testing.assert_allclose(layer.bias.detach().numpy(), ours.params[0][f"b{k}"], rtol=RTOL,
                                   atol=RTOL * np.abs(ours.params[0][f"W{k}"]).max())
    return losses


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_the_torch_code_reproduces_descent_for_every_optimizer(shown, digits, name):
    compare(shown, digits, name, "constant", seed=1)


@pytest.mark.parametrize("name, schedule", [("Momentum", "cosine"), ("Adam", "cosine"), ("Momentum", "step"),
                                            ("Adam", "warmup"), ("RAdam", "cosine")])
def test_the_torch_code_reproduces_descent_for_every_schedule(shown, digits, name, schedule):
    compare(shown, digits, name, schedule, seed=2)


@pytest.mark.parametrize("name", ["Adam", "NAdam", "RAdam", "Adadelta"])
def test_foreach_changes_how_not_what(shown, digits, name, monkeypatch):
    """torch's foreach implementation agrees with descent as closely as its for-loop one."""
    torch_class = getattr(torch.optim, TORCH_EQUIVALENTS[name][0])

    def with_foreach(*args, **kwargs):
        return torch_class(*args, foreach=True, **kwargs)

    monkeypatch.setattr(torch.optim, TORCH_EQUIVALENTS[name][0], with_foreach)
    compare(shown, digits, name, "cosine", seed=0)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_torch_names_and_torch_only_keywords_are_torchs(name):
    """TORCH_EQUIVALENTS names a torch class and keywords it has; TORCH_ONLY lists, for each torch class, the
    keywords of its signature that the descent class of the same name lacks."""
    import descent.optim

    torch_name, fixed = TORCH_EQUIVALENTS[name]
    theirs = set(inspect.signature(getattr(torch.optim, torch_name).__init__).parameters) - {"self", "params"}
    assert set(fixed) <= theirs
    if not fixed:  # the descent class that is the torch class itself
        ours = set(inspect.signature(getattr(descent.optim, name)).parameters)
        assert ours <= theirs
        assert set(TORCH_ONLY[torch_name]) == theirs - ours


@pytest.mark.parametrize("torch_class, options", [
    ("SGD", {}), ("SGD", {"momentum": 0.9}), ("SGD", {"momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
    ("SGD", {"momentum": 0.5, "dampening": 0.3}), ("Adagrad", {"lr_decay": 0.01}), ("RMSprop", {"centered": True}),
    ("Adadelta", {}), ("Adam", {"amsgrad": True}), ("AdamW", {}), ("Adamax", {}), ("NAdam", {}), ("RAdam", {}),
])
def test_from_torch_steps_as_torch_does(torch_class, options):
    rng = np.random.default_rng(0)
    start = rng.normal(size=(5, 4))
    gradients = rng.normal(size=(30, 5, 4))
    ours = from_torch(torch_class, 0.05, **options)
    theta = {"w": start.copy()}
    weight = torch.tensor(start.copy(), requires_grad=True)
    theirs = getattr(torch.optim, torch_class)([weight], lr=0.05, **options)
    for g in gradients:
        ours.step(theta, {"w": g})
        weight.grad = torch.tensor(g)
        theirs.step()
    np.testing.assert_allclose(theta["w"], weight.detach().numpy(), rtol=1e-12, atol=1e-14)
