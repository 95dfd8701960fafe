r"""Readable failures for the chapters' checked claims.

Every quantitative claim a chapter makes is checked by an ``assert`` in a cell (hidden on the site and
collapsed in JupyterLab), so the notebook run fails the day the claim stops being true. A reader who changes
a setting further up (a learning rate, a number of steps, a seed) and runs on can make such a check fail
too, and a bare ``AssertionError`` pointing into a collapsed cell tells them nothing. After :func:`install`
(each chapter calls it in its hidden setup cell), a failed ``assert`` in a notebook cell is reported as::

    AssertionError: a check of this chapter failed.
      The claim:   crawl: α = 0.1 has only shrunk θ by 0.9^40 after 40 steps
      Checked by:  assert np.isclose(runs_1d[...].path[-1, 0], 0.9 ** 40, rtol=1e-12)   (cell [13], line 2)

    The chapter's claims are checked for the chapter's own settings, and hold for them. If you changed a
    setting in a cell above, this check may no longer hold for your values: that is expected ...

The claim is the comment written directly above the failing ``assert``, else the comment at the end of its
line, else the comment heading its group of lines, else the comment above the loop or function that contains
it (see :func:`failed_claim`); so no check needs rewriting, and a new chapter gets readable failures by
commenting its asserts as the chapters already do. An error other than AssertionError raised while an
``assert`` is evaluated (``ratio[0.3]`` after the reader took 0.3 out of the rates: KeyError) is reported the
same way, as a check that could not be evaluated; every other error is shown as IPython shows it.

The cell still fails exactly as before: the kernel reports the error (its ``ename`` unchanged), so Run All
stops there, nbval fails the notebook and the book build fails; only the text shown changes. ``%tb`` in a
new cell prints the full traceback. Outside IPython (a plain script) :func:`install` does nothing.
"""

from __future__ import annotations

import ast
import io
import linecache
import sys
import textwrap
import tokenize
from dataclasses import dataclass, replace
from typing import Optional

__all__ = ["install", "uninstall", "Claim", "failed_claim", "message"]

#: What the reader is told after the claim itself.
ADVICE = (
    "The chapter's claims are checked for the chapter's own settings, and hold for them. If you changed a "
    "setting in a cell above, this check may no longer hold for your values: that is expected, and the text "
    "describes the chapter's settings, not yours. To get the chapter's values back, restart the kernel and "
    "run all cells (Kernel > Restart Kernel and Run All Cells). To see the full traceback, run %tb in a new "
    "cell."
)


@dataclass(frozen=True)
class Claim:
    """Where a check failed: the claim it checks, the statement that checks it, and where that is."""

    claim: Optional[str]  # the comment naming the claim, or None when the assert has none
    statement: str  # the failing statement's source, dedented
    cell: Optional[int]  # the execution count of the cell (``In [n]``), if known
    line: int  # the statement's first line in the cell
    detail: str  # the assertion's own message, if it has one
    is_assert: bool = True  # whether the statement is an ``assert`` (else, say, a function call that asserts)
    error: str = ""  # for an error other than AssertionError raised while evaluating the assert: "KeyError: 0.3"


def _is_cell(filename: str, shell) -> bool:
    compiled = getattr(getattr(shell, "compile", None), "_filename_map", {})
    return filename in compiled or filename.startswith("<ipython-input-")


def _cell_number(filename: str, shell) -> Optional[int]:
    number = getattr(getattr(shell, "compile", None), "_filename_map", {}).get(filename)
    return number if isinstance(number, int) and number > 0 else None


def _comments(source: str) -> dict:
    """Line number -> the comment on that line (without ``#``), for every comment in ``source``."""
    found = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                found[token.start[0]] = token.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return found


def _enclosing_statements(tree: ast.AST, line: int) -> list:
    """The statements that contain ``line``, outermost first."""
    chain, body = [], getattr(tree, "body", [])
    while body:
        inner = None
        for node in body:
            if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
                inner = node
                break
        if inner is None:
            break
        chain.append(inner)
        body = [child for field in ("body", "orelse", "finalbody", "handlers")
                for child in getattr(inner, field, []) or []]
        body += [child for handler in getattr(inner, "handlers", []) or [] for child in handler.body]
    return chain


def _is_comment_line(lines: list, number: int) -> bool:
    return lines[number - 1].strip().startswith("#")


def _comment_above(lines: list, comments: dict, first: int) -> Optional[str]:
    """The block of whole-line comments directly above line ``first`` (1-based), joined."""
    block, number = [], first - 1
    while number >= 1 and _is_comment_line(lines, number) and number in comments:
        block.insert(0, comments[number])
        number -= 1
    text = " ".join(part for part in block if part)
    return text or None


def _paragraph_heading(lines: list, comments: dict, first: int) -> Optional[str]:
    """The comment block that heads the run of code lines (no blank line between) ending above ``first``."""
    number = first - 1
    while number >= 1 and lines[number - 1].strip() and not _is_comment_line(lines, number):
        number -= 1
    if number >= 1 and _is_comment_line(lines, number):
        return _comment_above(lines, comments, number + 1)
    return None


def failed_claim(lines: list, line: int, cell: Optional[int] = None, detail: str = "") -> Claim:
    """Find the claim checked at ``line`` (1-based) of a cell whose source is ``lines``.

    The statement is the innermost one containing ``line``. Its claim is, in this order: the comment block
    directly above it; the comment at the end of its line(s); the comment block heading the run of code lines
    it belongs to (a comment followed by several asserts names all of them); the comment above an enclosing
    loop or function. ``None`` if there is none.
    """
    source = "".join(lines)
    comments = _comments(source)
    try:
        chain = _enclosing_statements(ast.parse(source), line)
    except SyntaxError:
        chain = []
    statement = chain[-1] if chain else None
    first = statement.lineno if statement else line
    last = (statement.end_lineno or first) if statement else line
    text = textwrap.dedent("".join(lines[first - 1:last])).strip()
    if len(text) > 400:
        text = text[:400].rstrip() + " ..."
    trailing = " ".join(comments[n] for n in range(first, last + 1)
                        if n in comments and not _is_comment_line(lines, n))
    claim = _comment_above(lines, comments, first) or trailing or _paragraph_heading(lines, comments, first)
    if not claim:
        for outer in reversed(chain[:-1]):
            claim = _comment_above(lines, comments, outer.lineno) or _paragraph_heading(lines, comments, outer.lineno)
            if claim:
                break
    return Claim(claim=claim or None, statement=text, cell=cell, line=first, detail=detail,
                 is_assert=isinstance(statement, ast.Assert))


def message(found: Claim) -> str:
    """The text shown for a failed check."""
    where = f"cell [{found.cell}], line {found.line}" if found.cell else f"line {found.line}"
    statement = found.statement.replace("\n", "\n" + " " * 14)
    if found.error:
        parts = [f"{found.error.split(':')[0]}: a check of this chapter could not be evaluated ({found.error})."]
    else:
        parts = ["AssertionError: a check of this chapter failed."]
    if found.claim:
        parts.append(f"  The claim:   {found.claim}")
    parts.append(f"  Checked by:  {statement}   ({where})")
    if found.detail:
        parts.append(f"  Values:      {found.detail}")
    parts += ["", textwrap.fill(ADVICE, width=100)]
    return "\n".join(parts)


def _handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler: a failed check is shown with :func:`message`, any other error as
    IPython shows it. A failed check is an AssertionError raised in a notebook cell's code, or any error
    raised while a cell's ``assert`` is evaluated (a claim about ``ratio[0.3]`` after the reader removed 0.3
    from the rates raises KeyError). Either way the cell fails, as it would without the handler."""
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %tb and %debug
    frame, walk = None, tb
    while walk is not None:
        if _is_cell(walk.tb_frame.f_code.co_filename, shell):
            frame = walk
        walk = walk.tb_next
    found = None
    if frame is not None:
        filename = frame.tb_frame.f_code.co_filename
        detail = str(value) if issubclass(etype, AssertionError) and str(value) else ""
        found = failed_claim(linecache.getlines(filename), frame.tb_lineno, _cell_number(filename, shell), detail)
        if not issubclass(etype, AssertionError):
            found = replace(found, error=f"{etype.__name__}: {value}") if found.is_assert else None
    if found is None:  # not a check: IPython's own report
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    else:
        shell._showtraceback(etype, value, message(found).split("\n"))
    return None


def install() -> None:
    """Report failed asserts in notebook cells with the claim they check (see the module docstring).

    Does nothing outside IPython; returns nothing, so a cell that ends with it displays nothing.
    """
    shell = _shell()
    if shell is not None:
        shell.set_custom_exc((Exception,), _handler)


def uninstall() -> None:
    """Restore IPython's own report of a failed assert."""
    shell = _shell()
    if shell is not None and getattr(shell, "custom_exceptions", ()) == (Exception,):
        shell.set_custom_exc((), None)


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the book's environment has IPython
        return None
    return get_ipython()
