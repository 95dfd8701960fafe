"""The conventions of a chapter notebook, in one place: what the normaliser writes, what the tests check and
what the student copies leave out.

Used by ``tools/normalize_notebooks.py`` (``make normalize``), ``tools/make_student.py`` (``make student``),
``tests/test_notebooks.py`` and ``tests/test_exercises.py``. README, "How a chapter is made", states the same
conventions for authors:

- every chapter has the same kernelspec (:data:`KERNELSPEC`) and ``language_info`` (:data:`LANGUAGE_INFO`);
- a code cell tagged ``remove-cell`` or ``hide-input`` has its source collapsed in JupyterLab
  (``metadata.jupyter.source_hidden``), so a reader sees hidden checks as a thin bar, as the site hides them;
- a hidden check in the exercises (after the first ``{exercise}``) is also tagged ``solution``: it checks what a
  solution says, and the student copy leaves it out;
- a solution is one ``{solution}`` directive in a markdown cell (``:class: dropdown``), and its code is in
  ```` ```python ```` fences: it never runs in the notebook, the reader copies it; the tests run it;
- a numbered figure is a code cell with ``mystnb.figure`` metadata (name, caption) and ``mystnb.image.alt``; the
  site numbers it from that metadata, which JupyterLab ignores, so the normaliser writes the same caption, with the
  site's number and label, into a markdown cell right after it (tagged ``lab-caption`` and ``remove-cell``: the
  site leaves it out): a reader in JupyterLab sees "Figure 4.1: ..." under the figure and each ``{numref}``
  resolves there too;
- an exercise that asks for code gives a stub, a function whose body ends in ``raise NotImplementedError``,
  and a checker that prints a verdict line starting with ``✓`` or ``✗`` (``✗ ... not implemented yet`` for the
  stub); a solution defines the stub's function under the same name.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass

import nbformat
from nbformat.corpus.words import generate_corpus_id
from markdown_it import MarkdownIt
from mdit_py_plugins.colon_fence import colon_fence_plugin

#: The one kernelspec of every chapter (what JupyterLab writes for the environment's ipykernel).
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: ``language_info`` as committed; JupyterLab fills in the rest (version, mimetype...) when it saves.
LANGUAGE_INFO = {"name": "python"}
#: Tags whose cells have their source collapsed in JupyterLab, as the site hides them.
HIDDEN_TAGS = ("remove-cell", "hide-input")
#: The tag of a hidden check that belongs to a solution (left out of the student copy).
SOLUTION_TAG = "solution"
#: Tag of the markdown cell that shows a figure's number and caption in JupyterLab (see :func:`lab_caption`).
LAB_CAPTION_TAG = "lab-caption"
#: Cell metadata that JupyterLab or other front ends add and that has no place in git.
VOLATILE_CELL_METADATA = ("trusted", "execution", "collapsed", "scrolled", "ExecuteTime")
#: Notebook metadata that must not be committed (saved widget state would show frozen widgets on the site).
VOLATILE_NOTEBOOK_METADATA = ("widgets",)


def source(cell) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def tags(cell) -> list:
    return list(cell.get("metadata", {}).get("tags", []))


def is_hidden_check(cell) -> bool:
    return cell.get("cell_type") == "code" and "remove-cell" in tags(cell)


# --------------------------------------------------------------------------- MyST directives
_PARSER = MarkdownIt("commonmark").use(colon_fence_plugin)
_DIRECTIVE = re.compile(r"^\{([^}\s]+)\}\s*(.*)$")


@dataclass
class Directive:
    """A fenced MyST directive in a markdown cell: ```` ```{name} argument ```` or ``:::{name} argument``."""

    name: str
    argument: str
    options: dict
    body: str  # the content after the options
    start: int  # first line (0-based) of the fence in the cell's source
    end: int  # one past its last line


def directives(markdown: str) -> list:
    """The top-level fenced directives of a markdown cell, in order."""
    found = []
    for token in _PARSER.parse(markdown):
        if token.type not in ("fence", "colon_fence") or token.map is None:
            continue
        match = _DIRECTIVE.match(token.info.strip())
        if not match:
            continue
        lines = token.content.splitlines(keepends=True)
        options, index = {}, 0
        if lines and lines[0].strip() == "---":  # options as a YAML block
            end = next((k for k in range(1, len(lines)) if lines[k].strip() == "---"), None)
            if end is not None:
                import yaml

                loaded = yaml.safe_load("".join(lines[1:end])) or {}
                options = {str(key): str(value) for key, value in loaded.items()} if isinstance(loaded, dict) else {}
                index = end + 1
        while index < len(lines) and re.match(r"^:[\w-]+:", lines[index]):
            key, _, value = lines[index].strip()[1:].partition(":")
            options[key] = value.strip()
            index += 1
        found.append(Directive(match.group(1), match.group(2).strip(), options, "".join(lines[index:]),
                               token.map[0], token.map[1]))
    return found


def code_blocks(markdown: str) -> list:
    """``(info, code)`` for every code block in ``markdown``: fences (``info`` is their language) and
    indented blocks (``info`` is ``None``)."""
    blocks = []
    for token in _PARSER.parse(markdown):
        if token.type == "fence":
            blocks.append((token.info.strip(), token.content))
        elif token.type == "code_block":
            blocks.append((None, token.content))
    return blocks


@dataclass
class Solution:
    """A ``{solution}`` directive: the exercise it solves, the cell it is in, and its Python code."""

    label: str
    cell: int
    options: dict
    body: str
    code: list  # the ```python fences, in order
    other_blocks: list  # any other code block (an indented block, another language): not allowed


def solutions(nb) -> list:
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for directive in directives(source(cell)):
            if directive.name != "solution":
                continue
            blocks = code_blocks(directive.body)
            found.append(Solution(
                label=directive.argument, cell=index, options=directive.options, body=directive.body,
                code=[code for info, code in blocks if info in ("python", "python3", "ipython3")],
                other_blocks=[(info, code) for info, code in blocks if info not in ("python", "python3", "ipython3")],
            ))
    return found


def first_exercise_cell(nb) -> int | None:
    """Index of the first markdown cell with an ``{exercise}`` directive (None without exercises)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and any(d.name == "exercise" for d in directives(source(cell))):
            return index
    return None


# --------------------------------------------------------------------------- exercise stubs
def defined_functions(code: str) -> list:
    """Names of the functions a piece of code defines at its top level."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]


def stub_functions(code: str) -> dict:
    """``name -> (first line, last line)`` (1-based) of the top-level functions in ``code`` whose body ends
    in ``raise NotImplementedError`` (the exercise's stubs)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return {}
    stubs = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        last = node.body[-1]
        if isinstance(last, ast.Raise) and last.exc is not None:
            raised = last.exc.func if isinstance(last.exc, ast.Call) else last.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                stubs[node.name] = (first, node.end_lineno)
    return stubs


def stub_cells(nb) -> dict:
    """``function name -> index of the code cell that defines its stub``."""
    found = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for name in stub_functions(source(cell)):
                found.setdefault(name, index)
    return found


def solve_cell(code: str, name: str, solution_code: str) -> str:
    """``code`` with the stub of ``name`` replaced by the definition of ``name`` in ``solution_code``."""
    first, last = stub_functions(code)[name]
    tree = ast.parse(solution_code)
    definition = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name)
    solution_lines = solution_code.splitlines(keepends=True)
    start = min([definition.lineno] + [d.lineno for d in definition.decorator_list])
    replacement = "".join(solution_lines[start - 1:definition.end_lineno])
    if not replacement.endswith("\n"):
        replacement += "\n"
    lines = code.splitlines(keepends=True)
    return "".join(lines[:first - 1]) + replacement + "".join(lines[last:])


# --------------------------------------------------------------------------- numbered figures
def chapter_numbers(toc: dict) -> dict:
    """``{"chapters/04_adagrad": 4, ...}``: the numbers the site gives the chapters of a parsed ``_toc.yml``
    (continuous across its numbered parts, in the order listed)."""
    numbers = {}
    for part in toc.get("parts", []):
        if part.get("numbered"):
            for entry in part.get("chapters", []):
                numbers[entry["file"]] = len(numbers) + 1
    return numbers


def figures(nb) -> list:
    """``(cell index, name, caption)`` of every numbered figure (a code cell with ``mystnb.figure`` metadata)."""
    found = []
    for index, cell in enumerate(nb.cells):
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        if cell.get("cell_type") == "code" and figure:
            found.append((index, figure.get("name", ""), figure.get("caption", "")))
    return found


def is_lab_caption(cell) -> bool:
    return cell.get("cell_type") == "markdown" and LAB_CAPTION_TAG in tags(cell)


def lab_caption(name: str, number: str, caption: str):
    """The markdown cell that shows figure ``number`` (e.g. "4.1") and its caption in JupyterLab: a MyST figure
    with no image, labelled as the site labels the figure (jupyterlab-myst resolves ``{numref}`` to it and
    prints "Figure 4.1"). Tagged ``remove-cell``, so the site, which captions the output itself, leaves it out."""
    cell = nbformat.v4.new_markdown_cell(
        f":::{{figure}}\n:label: {name}\n:enumerator: {number}\n\n{caption.strip()}\n:::",
        metadata={"tags": [LAB_CAPTION_TAG, "remove-cell"]})
    cell["id"] = re.sub(r"[^A-Za-z0-9_-]", "-", f"caption-{name}")[:64]  # stable, so normalising is idempotent
    return cell


def with_lab_captions(nb, chapter_number: int):
    """``nb`` with exactly one JupyterLab caption cell after each numbered figure, figure ``k`` numbered
    ``chapter_number.k`` as the site numbers it (the old caption cells are replaced)."""
    nb.cells = [cell for cell in nb.cells if not is_lab_caption(cell)]
    for count, (index, name, caption) in reversed(list(enumerate(figures(nb), start=1))):
        nb.cells.insert(index + 1, lab_caption(name, f"{chapter_number}.{count}", caption))
    return nb


# --------------------------------------------------------------------------- normalising
def normalize(nb, chapter_number: int | None = None):
    """Return a copy of ``nb`` that follows the conventions: the one kernelspec, no outputs or execution
    counts, no saved widget state or front-end metadata, hidden code collapsed, ``solution`` tags on the
    hidden checks of the exercises, and a cell id on every cell. Given the chapter's number on the site, it
    also writes the JupyterLab caption cell after each numbered figure (:func:`with_lab_captions`)."""
    nb = copy.deepcopy(nb)
    if chapter_number is not None:
        nb = with_lab_captions(nb, chapter_number)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    exercises = first_exercise_cell(nb)
    for index, cell in enumerate(nb.cells):
        metadata = cell.setdefault("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell_tags = tags(cell)
        if cell.cell_type == "code" and "remove-cell" in cell_tags and exercises is not None and index > exercises:
            if SOLUTION_TAG not in cell_tags:
                cell_tags.append(SOLUTION_TAG)
                metadata["tags"] = cell_tags
        jupyter = metadata.get("jupyter", {})
        if cell.cell_type == "code" and any(tag in cell_tags for tag in HIDDEN_TAGS):
            jupyter["source_hidden"] = True
        else:
            jupyter.pop("source_hidden", None)
        if jupyter:
            metadata["jupyter"] = jupyter
        else:
            metadata.pop("jupyter", None)
    if any("id" not in cell for cell in nb.cells):  # ids need nbformat 4.5
        nb.nbformat, nb.nbformat_minor = 4, max(nb.get("nbformat_minor", 5), 5)
        for cell in nb.cells:
            if "id" not in cell:
                cell["id"] = generate_corpus_id()
    return nb


def text(nb) -> str:
    """A notebook as it is committed: nbformat's layout (indent 1), with a final newline."""
    return nbformat.writes(nb) + "\n"


# --------------------------------------------------------------------------- the student copy
def without_solutions(markdown: str) -> str:
    """``markdown`` with every ``{solution}`` directive removed (and the blank lines around it collapsed)."""
    found = [d for d in directives(markdown) if d.name == "solution"]
    if not found:
        return markdown
    lines = markdown.splitlines(keepends=True)
    for directive in reversed(found):
        del lines[directive.start:directive.end]
    result = re.sub(r"\n{3,}", "\n\n", "".join(lines))
    return result.strip("\n") + ("\n" if markdown.endswith("\n") and result.strip() else "")


def student_copy(nb):
    """The notebook for handing out: no ``{solution}`` directives, no cells tagged ``solution``."""
    nb = normalize(nb)
    kept = []
    for cell in nb.cells:
        if SOLUTION_TAG in tags(cell):
            continue
        if cell.cell_type == "markdown":
            cell.source = without_solutions(source(cell))
            if not cell.source.strip():
                continue
        kept.append(cell)
    nb.cells = kept
    return nb
