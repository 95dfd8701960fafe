"""The exercises as a student meets them, and the published solutions, run.

For every chapter in _toc.yml this makes the student copy (``tools/make_student.py``: the chapter without its
``{solution}`` directives and without the hidden checks tagged ``solution``) and executes it, as ``make
student`` hands it out. Then, in the same kernel, it runs what the solutions publish:

- for each exercise stub (a function whose body ends in ``raise NotImplementedError``), the stub's cell with
  the stub replaced by the function from its solution's ```` ```python ```` fence, and the cells after it up to
  the checker's verdict;
- every other ```` ```python ```` fence of every solution, in order.

A chapter fails when a cell of the student copy raises, a stub's checker does not say "not implemented yet",
a hidden check shows any output, a solution's code raises, or a checker given the published solution does
not print a ``✓`` verdict (or prints a ``✗``). So the checker's verdict in the live notebook is about the
reader's own code, and CI still proves that every published solution passes it.
"""

from __future__ import annotations

import sys
import time

import nbformat
import pytest

from conftest import ROOT
from test_build import toc_files

sys.path.insert(0, str(ROOT / "tools"))
import notebook_rules  # noqa: E402

pytestmark = pytest.mark.book  # runs the notebooks: not a library test

CHAPTERS = [f"{doc}.ipynb" for doc in toc_files() if (ROOT / f"{doc}.ipynb").is_file()]
NOT_IMPLEMENTED = "not implemented yet"


def _stream_text(cell) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", [])
                   if output.get("output_type") == "stream")


def _verdicts(text: str) -> list:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(("✓", "✗"))]


def _outputs(cell) -> list:
    shown = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream":
            shown.append(f"{output.get('name')}: {output.get('text', '').strip()[:200]}")
        elif kind in ("display_data", "execute_result"):
            shown.append(f"{kind}: {sorted(output.get('data', {}))}")
        else:
            shown.append(kind)
    return shown


class Session:
    """Execute cells one by one in one kernel, keeping their outputs (nbclient, as myst-nb uses it)."""

    def __init__(self, nb, path):
        from nbclient import NotebookClient

        self.nb = nb
        self.client = NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})

    def run(self, code: str, label: str):
        """Execute ``code`` as a new cell at the end of the notebook; return the executed cell."""
        cell = nbformat.v4.new_code_cell(code)
        cell.metadata["descent_test"] = label
        self.nb.cells.append(cell)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return cell


def exercise_problems(original, path, label: str) -> list:
    """Run the student copy of ``original`` and then its published solutions (see the module docstring);
    return the problems found."""
    from nbclient.exceptions import CellExecutionError

    student = notebook_rules.student_copy(original)
    problems = []
    if notebook_rules.solutions(student) or any(notebook_rules.SOLUTION_TAG in notebook_rules.tags(c)
                                                 for c in student.cells):
        problems.append("the student copy still has solutions")
    solutions = notebook_rules.solutions(original)
    stubs = notebook_rules.stub_cells(student)
    by_function = {name: solution for solution in solutions for code in solution.code
                   for name in notebook_rules.defined_functions(code)}

    session = Session(student, path)
    with session.client.setup_kernel():
        # 1. The student copy, as handed out.
        for index, cell in enumerate(student.cells):
            if cell.cell_type != "code":
                continue
            try:
                session.client.execute_cell(cell, index)
            except CellExecutionError as error:
                return problems + [f"{label} (student copy): cell {index} failed:\n{str(error)[-2000:]}"]
            if notebook_rules.is_hidden_check(cell) and cell.outputs:
                problems.append(f"hidden check in cell {index} shows output: {_outputs(cell)}")

        # 2. Each stub: its checker says "not implemented yet"; then, with the published solution, ✓.
        verdict_cells = {}
        for name, stub_index in sorted(stubs.items(), key=lambda item: item[1]):
            verdict_index = next((i for i in range(stub_index, len(student.cells))
                                  if student.cells[i].cell_type == "code"
                                  and _verdicts(_stream_text(student.cells[i]))), None)
            if verdict_index is None:
                problems.append(f"no checker prints a ✓/✗ verdict for the stub {name}() (cell {stub_index}) "
                                "in the cells after it")
                continue
            verdict_cells[name] = (stub_index, verdict_index)
            verdicts = _verdicts(_stream_text(student.cells[verdict_index]))
            if not any(NOT_IMPLEMENTED in line for line in verdicts):
                problems.append(f"the checker of the untouched stub {name}() says {verdicts}, "
                                f"not '{NOT_IMPLEMENTED}'")
        ran_in_place_of_a_stub = set()
        for name, (stub_index, verdict_index) in verdict_cells.items():
            solution = by_function.get(name)
            if solution is None:
                problems.append(f"no solution defines {name}()")
                continue
            code = next(code for code in solution.code if name in notebook_rules.defined_functions(code))
            ran_in_place_of_a_stub.add(id(code))
            cells = [notebook_rules.solve_cell(notebook_rules.source(student.cells[stub_index]), name, code)]
            cells += [notebook_rules.source(student.cells[i]) for i in range(stub_index + 1, verdict_index + 1)
                      if student.cells[i].cell_type == "code"]
            try:
                executed = [session.run(source, f"solution {solution.label}") for source in cells]
            except CellExecutionError as error:
                problems.append(f"solution {solution.label!r} in place of the stub raised:\n{str(error)[-1500:]}")
                continue
            verdicts = _verdicts(_stream_text(executed[-1]))
            if not verdicts or not all(line.startswith("✓") for line in verdicts):
                problems.append(f"with the published solution {solution.label!r}, the checker of {name}() "
                                f"says {verdicts or 'nothing'}")

        # 3. Every other piece of published solution code runs.
        for solution in solutions:
            for code in solution.code:
                if id(code) in ran_in_place_of_a_stub:
                    continue
                try:
                    session.run(code, f"solution {solution.label}")
                except CellExecutionError as error:
                    problems.append(f"the code of solution {solution.label!r} raised:\n{str(error)[-1500:]}")
    return problems


def _close_this_threads_event_loop():
    """nbclient's synchronous calls run on an event loop that jupyter_core creates for the calling thread
    and never closes. Closed here when a worker is done, so that no unclosed loop or socket is left for the
    garbage collector: pytest reports their ResourceWarning in whichever later test happens to collect them."""
    import asyncio

    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:  # this thread never made one
        return
    if not loop.is_running() and not loop.is_closed():
        loop.close()


def _run_chapter(chapter: str):
    path = ROOT / chapter
    start = time.perf_counter()
    try:
        problems = exercise_problems(nbformat.read(path, as_version=4), path, chapter)
    except Exception as error:  # reported by the chapter's test
        problems = [f"{type(error).__name__}: {error}"]
    finally:
        _close_this_threads_event_loop()
    return problems, time.perf_counter() - start


@pytest.fixture(scope="module")
def exercise_runs() -> dict:
    """Every chapter's run, two at a time (each in its own kernel; the machine has two cores)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(CHAPTERS, pool.map(_run_chapter, CHAPTERS)))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_student_copy_runs_and_published_solutions_pass_their_checkers(chapter, exercise_runs):
    problems, seconds = exercise_runs[chapter]
    print(f"{chapter}: student copy and solutions ran in {seconds:.1f} s")
    assert not problems, f"{chapter}:\n  " + "\n  ".join(problems)


def test_the_exercise_check_reports_a_wrong_solution_a_silent_stub_and_a_noisy_hidden_check(tmp_path):
    """The check itself, on a small notebook whose stub's checker never says "not implemented yet", whose
    published solution is wrong, and whose hidden check prints: all three are reported."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = notebook_rules.KERNELSPEC
    nb.cells = [
        nbformat.v4.new_code_cell("print('debug')", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("def double(x):\n    raise NotImplementedError"),
        nbformat.v4.new_code_cell(
            "try:\n    ok = double(2) == 4\nexcept NotImplementedError:\n    ok = False\n"
            "print('✓ right' if ok else '✗ wrong')"),
        nbformat.v4.new_markdown_cell(
            "```{exercise}\n:label: ex-double\n\nDouble it.\n```\n\n"
            "````{solution} ex-double\n:class: dropdown\n\n```python\ndef double(x):\n    return x + 1\n```\n````"),
    ]
    assert notebook_rules.stub_cells(nb) == {"double": 1}
    (solution,) = notebook_rules.solutions(nb)
    assert notebook_rules.solve_cell(notebook_rules.source(nb.cells[1]), "double", solution.code[0]) == (
        "def double(x):\n    return x + 1\n")
    student = notebook_rules.student_copy(nb)
    assert "solution" not in notebook_rules.source(student.cells[3]) and "Double it." in student.cells[3].source
    problems = exercise_problems(nb, tmp_path / "small.ipynb", "small")
    assert len(problems) == 3, problems
    assert "hidden check in cell 0 shows output" in problems[0]
    assert "says ['✗ wrong'], not 'not implemented yet'" in problems[1]
    assert "with the published solution 'ex-double', the checker of double() says ['✗ wrong']" in problems[2]
