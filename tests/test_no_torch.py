"""No module of ``descent`` imports torch.

torch is used only to generate the reference data (tools/) and by the live parity tests; the
library, and so the notebooks and the site, must work without it. Checking the requirement
files is not enough when torch is installed (as in ``.venv-torch``, see README), so this test
imports every module of ``descent`` in a fresh interpreter and then looks at ``sys.modules``,
which catches every way of importing torch (``import numpy as np, torch``, ``importlib``,
an import inside a dependency).
"""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

IMPORT_EVERYTHING = r"""
import importlib, json, pkgutil, sys
import descent
names = ["descent"] + [
    info.name for info in pkgutil.walk_packages(descent.__path__, prefix="descent.")
]
for name in names:
    importlib.import_module(name)
torch = sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))
print(json.dumps({"modules": names, "torch": torch}))
"""


def test_importing_every_descent_module_does_not_import_torch():
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, f"importing descent's modules failed:\n{completed.stderr}"
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "descent.optim" in result["modules"], result["modules"]  # the walk found the packages
    assert not result["torch"], (
        "importing descent's modules imported torch, which the library must never need: "
        + ", ".join(result["torch"][:5])
    )
