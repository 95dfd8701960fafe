"""Rules for the chapter notebooks as they are committed.

The notebooks are *run* by nbval (``--nbval-lax``, configured in pyproject.toml), which
collects every ``chapters/*.ipynb``; this file checks what is stored in git.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import BOOK_BUDGET_S, BOOK_CORES, NOTEBOOK_BUDGET_S, ROOT
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
    time, kernel start and shutdown included.

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
    assert not slow, "over the time budget under nbval:\n  " + "\n  ".join(slow)


def _run_chapter(path: str) -> float:
    """Run one chapter top to bottom in a fresh kernel (nbclient, as the book build does); return its
    wall time in seconds, kernel start and shutdown included."""
    import asyncio

    from nbclient import NotebookClient

    start = time.perf_counter()
    nb = nbformat.read(ROOT / path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str((ROOT / path).parent)}})
    # asyncio.run closes its event loop (and the loop's sockets) when the notebook is done; nbclient's
    # synchronous execute() would leave an unclosed loop in this worker thread, and pytest reports its
    # ResourceWarning in whichever later test the garbage collector happens to run.
    asyncio.run(client.async_execute())
    return time.perf_counter() - start


def test_the_whole_book_runs_within_its_budget_on_two_cores(monkeypatch):
    """All the chapters run in at most BOOK_BUDGET_S seconds of wall time on BOOK_CORES cores: a
    kernel per core, each with one BLAS thread, taking the chapters in the order of the book.

    (Run one after another, as nbval runs them, the chapters take about twice as long; conftest.py
    prints that sum after the tests.)
    """
    from concurrent.futures import ThreadPoolExecutor

    chapters = [f"{doc}.ipynb" for doc in toc_files() if doc.startswith("chapters/")]
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(variable, "1")  # inherited by the kernels, started after this
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=BOOK_CORES) as pool:
        seconds = dict(zip(chapters, pool.map(_run_chapter, chapters)))
    total = time.perf_counter() - start
    report = "\n  ".join(f"{s:5.1f} s  {path}" for path, s in seconds.items())
    print(f"the book on {BOOK_CORES} cores: {total:.1f} s\n  {report}")
    assert total <= BOOK_BUDGET_S, (f"all {len(chapters)} chapters took {total:.1f} s on {BOOK_CORES} cores "
                                    f"(budget {BOOK_BUDGET_S:.0f} s):\n  {report}")


# --------------------------------------------------------------------------- live-notebook conventions
# What a reader meets in JupyterLab (see README, "How a chapter is made", and tools/notebook_rules.py):
# hidden checks collapsed and quiet, claims that name themselves when they fail, solutions that never run
# unless the reader copies them, and one kernelspec. `make normalize` fixes the mechanical ones.
sys.path.insert(0, str(ROOT / "tools"))
import notebook_rules  # noqa: E402

CHAPTERS = [p for p in NOTEBOOKS if p.startswith("chapters/")]
NORMALIZE = "run `make normalize` (python tools/normalize_notebooks.py)"


def _nb(path: str):
    return nbformat.read(ROOT / path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_has_the_one_kernelspec(path):
    metadata = load(path).get("metadata", {})
    assert metadata.get("kernelspec") == notebook_rules.KERNELSPEC, (
        f"{path}: kernelspec {metadata.get('kernelspec')} is not {notebook_rules.KERNELSPEC}; {NORMALIZE}")
    assert metadata.get("language_info") == notebook_rules.LANGUAGE_INFO, (
        f"{path}: language_info {metadata.get('language_info')} is not {notebook_rules.LANGUAGE_INFO} "
        f"(JupyterLab adds the rest when it saves); {NORMALIZE}")


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_hidden_cells_are_collapsed_in_jupyterlab(path):
    """A code cell the site hides (remove-cell) or folds (hide-input) has its source collapsed in JupyterLab.
    (A markdown cell is not: collapsing it would hide its text; the one markdown cell the site hides is the
    JupyterLab caption of a figure, which is there to be read in JupyterLab.)"""
    open_cells = [
        index for index, cell in enumerate(load(path)["cells"])
        if cell["cell_type"] == "code"
        and any(tag in notebook_rules.tags(cell) for tag in notebook_rules.HIDDEN_TAGS)
        and not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")
    ]
    assert not open_cells, (
        f"{path}: cells {open_cells} are tagged {' or '.join(notebook_rules.HIDDEN_TAGS)} but their source is not "
        f"collapsed (metadata.jupyter.source_hidden); {NORMALIZE}")


def _noisy(code: str) -> list:
    """Why a hidden cell would show something: print/display calls, or a last line that is an expression."""
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return [f"does not parse: {error}"]
    reasons = [f"line {node.lineno} calls {node.func.id}()" for node in ast.walk(tree)
               if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and node.func.id in ("print", "display")]
    # A last expression is displayed; a call may return None (tests/test_exercises.py checks the outputs).
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr) and not isinstance(last.value, ast.Call) and not code.rstrip().endswith(";"):
        reasons.append(f"its last line ({last.lineno}) is an expression, which the notebook displays")
    return reasons


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_hidden_checks_are_quiet(path):
    """A remove-cell cell shows nothing, in JupyterLab as on the site: it asserts, it does not print."""
    noisy = {index: _noisy(notebook_rules.source(cell)) for index, cell in enumerate(load(path)["cells"])
             if notebook_rules.is_hidden_check(cell)}
    noisy = {index: reasons for index, reasons in noisy.items() if reasons}
    assert not noisy, f"{path}: hidden cells that print or display something: {noisy}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_hidden_checks_of_the_exercises_are_tagged_solution(path):
    nb = _nb(path)
    first = notebook_rules.first_exercise_cell(nb)
    untagged = [index for index, cell in enumerate(nb.cells)
                if first is not None and index > first and notebook_rules.is_hidden_check(cell)
                and notebook_rules.SOLUTION_TAG not in notebook_rules.tags(cell)]
    assert not untagged, (f"{path}: hidden checks {untagged} in the exercises are not tagged "
                          f"'{notebook_rules.SOLUTION_TAG}' (make student leaves those out); {NORMALIZE}")


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_installs_the_claim_messages_before_its_first_assert(path):
    """``claims.install()`` runs before the first assert, so a failed check names its claim."""
    cells = [notebook_rules.source(cell) for cell in code_cells(path)]
    install = next((i for i, code in enumerate(cells) if re.search(r"^\s*claims\.install\(\)", code, re.M)), None)
    first_assert = next((i for i, code in enumerate(cells) if re.search(r"^\s*assert\b", code, re.M)), None)
    assert install is not None, (f"{path}: no code cell calls claims.install() (from descent import claims), "
                                 "so a failed check would show a bare AssertionError")
    assert first_assert is None or install < first_assert, (
        f"{path}: claims.install() runs in code cell {install}, after the first assert (code cell {first_assert})")


@pytest.mark.parametrize("path", CHAPTERS)
def test_solutions_are_collapsed_dropdowns_whose_code_is_in_python_fences(path):
    nb = _nb(path)
    problems = []
    for solution in notebook_rules.solutions(nb):
        where = f"solution {solution.label!r} (cell {solution.cell})"
        if solution.options.get("class") != "dropdown":
            problems.append(f"{where} lacks ':class: dropdown', so it would be open on the page and in JupyterLab")
        for info, _ in solution.other_blocks:
            kind = "an indented code block" if info is None else f"a ```{info} block"
            problems.append(f"{where} has {kind}: write solution code in ```python fences (the tests run them)")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and re.search(r"\{solution-(start|end)\}", notebook_rules.source(cell)):
            problems.append(f"cell {index} uses a gated solution (solution-start/end); use one {{solution}} directive")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


def _function_bodies(code: str) -> dict:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {}
    return {ast.dump(ast.Module(body=node.body, type_ignores=[])): node.name
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("path", CHAPTERS)
def test_no_solution_runs_in_the_notebook(path):
    """A solution is code the reader copies from its dropdown. No code cell defines a function a solution
    defines (other than the exercise's stub), nor the same function under another name, so a checker's
    verdict is always about the reader's own code."""
    nb = _nb(path)
    stubs = notebook_rules.stub_cells(nb)
    solved = {}
    for solution in notebook_rules.solutions(nb):
        for code in solution.code:
            for name in notebook_rules.defined_functions(code):
                solved[name] = solution.label
            for body, name in _function_bodies(code).items():
                solved[body] = f"{solution.label} ({name})"
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code = notebook_rules.source(cell)
        for name in notebook_rules.defined_functions(code):
            if name in solved and stubs.get(name) != index:
                found.append(f"cell {index} defines {name}(), the function of solution {solved[name]!r}")
        for body, name in _function_bodies(code).items():
            if body in solved and stubs.get(name) != index:
                found.append(f"cell {index} defines {name}() with the code of solution {solved[body]}")
    assert not found, f"{path}: solutions that run in the live notebook:\n  " + "\n  ".join(found)


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_stub_has_a_solution_that_defines_it(path):
    nb = _nb(path)
    defined = {name for solution in notebook_rules.solutions(nb) for code in solution.code
               for name in notebook_rules.defined_functions(code)}
    missing = sorted(set(notebook_rules.stub_cells(nb)) - defined)
    assert not missing, (f"{path}: exercise stubs without a solution that defines them: {missing} "
                         "(the solution's ```python fence must define the function under the stub's name)")


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_notebook_is_normalised(path):
    """The notebook is exactly what tools/normalize_notebooks.py writes (this also catches what JupyterLab
    adds on save: language_info, cell 'trusted' and 'execution' metadata, a changed layout)."""
    committed = (ROOT / path).read_text(encoding="utf-8")
    number = notebook_rules.chapter_numbers(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    normalised = notebook_rules.text(notebook_rules.normalize(nbformat.reads(committed, as_version=4),
                                                              number.get(Path(path).with_suffix("").as_posix())))
    assert committed == normalised, f"{path} is not normalised; {NORMALIZE}"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_numbered_figures_have_unique_labels_captions_and_alt_text(path):
    """README, "How a chapter is made": a numbered figure's cell names it (``fig-...``, once in the book),
    captions it and, for an image, describes it in ``mystnb.image.alt`` (an animation's player takes its alt
    text from ``descent.animation``'s ``alt=``; tests/test_build.py checks both on the site)."""
    nb = nbformat.read(ROOT / path, as_version=4)
    problems = []
    for index, name, caption in notebook_rules.figures(nb):
        if not re.fullmatch(r"fig-[a-z0-9-]+", name or ""):
            problems.append(f"cell {index}: figure name {name!r} is not fig-<lowercase words>")
        if len(caption.strip()) < 20:
            problems.append(f"cell {index} ({name}): no caption")
        if "alt=" not in notebook_rules.source(nb.cells[index]) and len(
                nb.cells[index].metadata.get("mystnb", {}).get("image", {}).get("alt", "")) < 20:
            problems.append(f"cell {index} ({name}): no alt text (mystnb.image.alt, or alt= for an animation)")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_figure_labels_are_unique_across_the_book():
    seen = {}
    for path in NOTEBOOKS:
        for _, name, _ in notebook_rules.figures(nbformat.read(ROOT / path, as_version=4)):
            seen.setdefault(name, []).append(path)
    repeated = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not repeated, f"figure labels used more than once: {repeated}"



def test_chapters_refer_to_each_other_by_links_whose_numbers_are_right():
    """A chapter names another as {doc}`chapter N <NN_topic>` (or with the topic as the text), never as plain
    "chapter N": a link follows the page, and its number is checked here against _toc.yml's numbering (the
    schedules chapter was once "chapter 7" in chapter 1's text after it had become chapter 8). A chapter of a
    cited book, "{cite}`key` (chapter 3)", stays text."""
    numbers = notebook_rules.chapter_numbers(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    by_stem = {Path(doc).name: number for doc, number in numbers.items()}
    problems = []
    for path in CHAPTERS:
        for index, cell in enumerate(nbformat.read(ROOT / path, as_version=4).cells):
            if cell.cell_type != "markdown" or notebook_rules.is_lab_caption(cell):
                continue
            text = notebook_rules.source(cell)
            for match in re.finditer(r"\{doc\}`[Cc]hapters? (\d+) <([\w./-]+)>`|(?<=` and )\{doc\}`(\d+) <([\w./-]+)>`", text):
                number, target = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
                if by_stem.get(Path(target).name) != int(number):
                    problems.append(f"{path} cell {index}: {match.group(0)} links to chapter "
                                    f"{by_stem.get(Path(target).name)}")
            for match in re.finditer(r"(?<![`<\w])[Cc]hapters? \d+", re.sub(r"\{doc\}`[^`]*`", "", text)):
                before = text[:text.find(match.group(0))]
                if not before.rstrip().endswith("` ("):
                    problems.append(f"{path} cell {index}: plain '{match.group(0)}' (link it: {{doc}}`chapter N <NN_topic>`)")
    assert not problems, "\n".join(problems)
