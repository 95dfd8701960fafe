"""descent.training.progress: a bar while a run runs, and nothing left behind in an executed notebook.

The site is built from notebooks executed without anyone watching, and the browser test fails on
any widget: so a cell that trains with ``progress=True`` must end with no widget view, no widget
left open and no text on stderr. This runs such cells in a real kernel (nbclient, as the book
build and nbval do) and looks at what the notebook keeps.
"""

from __future__ import annotations

import sys

import nbformat
import pytest
from nbclient import NotebookClient

from descent.training.progress import ProgressBar

CELLS = [
    """\
import numpy as np
from descent.data import load
from descent.models import MLP
from descent.optim import SGD, Adam
from descent.training import fit, lr_range_test
from descent.training.progress import ProgressBar
data = load("digits")
net = MLP([64, 16, 10])""",
    """\
history = fit(net, net.init(0), Adam(lr=1e-3), data, epochs=3, batch_size=64, progress=True)""",
    """\
result = lr_range_test(net, net.init(0), SGD(lr=0.1), data, batch_size=64, steps=30, lr_max=100.0, progress=True)""",
    """\
bar = ProgressBar(5, "check", enabled=True)
kind = type(bar._bar).__module__, bar.shown
bar.update(2, loss="1.0")
bar.close()
assert kind == ("tqdm.notebook", True), kind
print(history.n_epochs, len(result.lrs) > 0)""",
]


@pytest.fixture(scope="module")
def executed():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook


def test_a_notebook_keeps_no_widget_and_no_stderr(executed):
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output
            data = output.get("data", {})
            assert not any("widget" in mime for mime in data), data
            if output["output_type"] == "display_data":
                assert data.get("text/html") == "", data  # the bar's place, emptied when the run ended
    assert executed.cells[0].outputs == []
    for cell in executed.cells[1:4]:  # each bar was displayed (a display_data), then emptied
        assert cell.outputs[0]["output_type"] == "display_data"
    assert executed.cells[1].outputs[1:] == executed.cells[2].outputs[1:] == []
    assert [o["text"] for o in executed.cells[3].outputs[1:]] == ["3 True\n"]  # the cells ran to the end


def test_outside_a_kernel_the_bar_is_tqdms_text_bar_and_is_removed(capsys):
    with ProgressBar(4, "epochs", enabled=True) as bar:
        assert bar.shown and type(bar._bar).__module__ == "tqdm.std"
        bar.update(val_loss="0.5")
    assert not bar.shown
    err = capsys.readouterr().err
    assert "epochs" in err and err.endswith("\r")  # drawn, then cleared from the line (leave=False)


def test_disabled_means_nothing_at_all(capsys):
    with ProgressBar(4, "epochs", enabled=False) as bar:
        bar.update(val_loss="0.5")
        assert not bar.shown
    assert capsys.readouterr() == ("", "")


def test_fit_and_the_range_test_show_no_bar_unless_asked(capsys):
    from descent.data import load
    from descent.models import MLP
    from descent.optim import SGD
    from descent.training import fit, lr_range_test

    data = load("digits")
    net = MLP([64, 10])
    fit(net, net.init(0), SGD(lr=0.1), data, epochs=1, batch_size=64)
    lr_range_test(net, net.init(0), SGD(lr=0.1), data, batch_size=64, steps=5)
    assert capsys.readouterr() == ("", "")
    fit(net, net.init(0), SGD(lr=0.1), data, epochs=1, batch_size=64, progress=True)
    assert "epochs" in capsys.readouterr().err  # and asked, it shows one


def test_tqdm_is_imported_only_when_a_bar_is_asked_for():
    import subprocess

    code = ("import sys; from descent.training import fit, lr_range_test; import descent.training.progress; "
            "print('tqdm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
