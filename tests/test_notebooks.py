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

from conftest import BOOK_BUDGET_S, NOTEBOOK_BUDGET_S, ROOT
from test_build import toc_files

pytestmark = pytest.mark.book  # not a library test: make test-lib leaves it out


def committed_notebooks() -> list[str]:
    """Notebooks tracked by git (all of chapters/*.ipynb when this is not a git checkout)."""
    if shutil.which("git") and (ROOT / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        return sorted(listed)
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "chapters").glob("*.ipynb"))


NOTEBOOKS = committed_notebooks()


def load(path: str) -> dict:
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


def code_cells(path: str) -> list[dict]:
    return [cell for cell in load(path)["cells"] if cell["cell_type"] == "code"]


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
def test_committed_notebook_has_no_widget_state(path):
    """Saved widget state (``metadata.widgets``) would make the site show frozen widgets;
    clearing outputs with nbconvert (above) removes it too."""
    assert "widgets" not in load(path).get("metadata", {}), (
        f"{path}: notebook metadata carries saved widget state (metadata.widgets); "
        "clear it with .venv/bin/jupyter nbconvert --clear-output --inplace " + path
    )


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


def test_chapter_notebooks_run_within_their_time_budget(notebook_seconds):
    """Each chapter notebook runs under nbval in at most NOTEBOOK_BUDGET_S seconds of wall
    time, kernel start and shutdown included, and all of them together in BOOK_BUDGET_S.

    conftest.py measures the times while nbval runs the notebooks and runs this test last.
    """
    chapters = [p for p in NOTEBOOKS if p.startswith("chapters/")]
    ran = {path: notebook_seconds[path] for path in chapters if path in notebook_seconds}
    if not ran:
        pytest.skip("no chapter notebook ran in this session (make test runs them all)")
    slow = [
        f"{path} took {seconds:.1f} s (budget {NOTEBOOK_BUDGET_S:.0f} s)"
        for path, seconds in ran.items()
        if seconds > NOTEBOOK_BUDGET_S
    ]
    total = sum(ran.values())
    if len(ran) == len(chapters) and total > BOOK_BUDGET_S:
        slow.append(f"all {len(chapters)} chapter notebooks took {total:.1f} s together "
                    f"(budget {BOOK_BUDGET_S:.0f} s)")
    assert not slow, "over the time budget under nbval:\n  " + "\n  ".join(slow)
