"""Rules for the chapter notebooks as they are committed.

The notebooks are *run* by nbval (``--nbval-lax``, configured in pyproject.toml), which
collects every ``chapters/*.ipynb``; this file checks what is stored in git.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_build import toc_files


def committed_notebooks() -> list[str]:
    """Notebooks tracked by git (all of chapters/*.ipynb when this is not a git checkout)."""
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        return sorted(listed)
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))


NOTEBOOKS = committed_notebooks()


def code_cells(path: str) -> list[dict]:
    notebook = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def source(cell: dict) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def test_there_is_a_chapter():
    assert any(p.startswith("chapters/") for p in NOTEBOOKS), "no notebook under chapters/"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(path):
    """Outputs belong to the build, not to git: clear them before committing
    (``.venv/bin/jupyter nbconvert --clear-output --inplace NOTEBOOK``)."""
    dirty = [
        index
        for index, cell in enumerate(code_cells(path))
        if cell.get("outputs") or cell.get("execution_count") is not None
    ]
    assert not dirty, f"{path}: code cells {dirty} carry outputs or execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_imports_descent_and_never_torch(path):
    code = "\n".join(source(cell) for cell in code_cells(path))
    assert re.search(r"^\s*(import descent|from descent)", code, re.M), f"{path} does not use descent"
    assert not re.search(r"^\s*(import torch|from torch)", code, re.M), f"{path} imports torch"


def test_every_chapter_is_in_the_toc():
    chapters = {Path(p).with_suffix("").as_posix() for p in NOTEBOOKS if p.startswith("chapters/")}
    missing = chapters - set(toc_files())
    assert not missing, f"chapters not listed in _toc.yml: {sorted(missing)}"


def test_every_toc_entry_exists():
    suffixes = (".md", ".ipynb")
    missing = [d for d in toc_files() if not any((ROOT / f"{d}{s}").is_file() for s in suffixes)]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"
