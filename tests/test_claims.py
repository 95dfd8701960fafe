"""descent.claims: a failed check names the claim it checks, and still fails.

The first tests read claims out of cell sources; the next run cells in an IPython shell in this process; the
last run small notebooks through a real kernel, as nbclient (the book build, through myst-nb) and nbval
(make test) do, and check that a broken claim fails both with the claim in the message.
"""

import subprocess
import sys

import nbformat
import pytest

from descent import claims


def claim_at(source: str, line: int):
    return claims.failed_claim(source.splitlines(keepends=True), line)


def test_the_comment_above_the_assert_names_the_claim():
    found = claim_at("x = 1\n# x is one, as the text says\nassert x == 2\n", 3)
    assert found.claim == "x is one, as the text says" and found.statement == "assert x == 2" and found.line == 3


def test_a_comment_block_above_is_joined():
    found = claim_at("# the floor grows\n# faster than the rate\nassert False\n", 3)
    assert found.claim == "the floor grows faster than the rate"


def test_the_comment_at_the_end_of_the_line_names_the_claim():
    found = claim_at("a = 1\nassert a > 2   # about 3 times lower\n", 2)
    assert found.claim == "about 3 times lower"


def test_a_comment_heading_several_asserts_names_each_of_them():
    source = "# crawl: shrunk by 0.9^40\nassert True\nassert 1 == 1\nassert 0 == 1\n\nassert 2 == 3\n"
    assert claim_at(source, 4).claim == "crawl: shrunk by 0.9^40"
    assert claim_at(source, 6).claim is None  # a blank line ends the paragraph the comment heads


def test_an_assert_in_a_loop_or_a_function_takes_the_comment_above_it():
    loop = "# the floors grow faster than the rate\nfor a in [1, 2]:\n    assert a < 2\n"
    assert claim_at(loop, 3).claim == "the floors grow faster than the rate"
    function = ("x = 0\n\n# the plateau lengths stated in the solution\ndef plateau(y):\n    z = y\n\n"
                "    assert z > 0\n    return z\n\nplateau(-1)\n")
    found = claim_at(function, 7)
    assert found.claim == "the plateau lengths stated in the solution" and found.statement == "assert z > 0"


def test_a_multi_line_assert_is_shown_whole_and_without_a_comment_the_assert_is_the_claim():
    found = claim_at("assert (1 +\n        1) == 3, 'values'\n", 2)
    assert found.claim is None and found.line == 1
    assert found.statement == "assert (1 +\n        1) == 3, 'values'"


def test_the_message_names_the_claim_the_check_and_says_it_holds_for_the_chapters_settings():
    text = claims.message(claims.Claim("x is one", "assert x == 1", 7, 3, "x = 2"))
    assert "The claim:   x is one" in text and "Checked by:  assert x == 1   (cell [7], line 3)" in text
    assert "Values:      x = 2" in text
    assert "chapter's own settings" in text and "Restart Kernel and Run All Cells" in text


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    claims.install()
    yield shell
    claims.uninstall()


def test_in_ipython_a_failed_check_is_reported_with_its_claim_and_still_fails(shell, capsys):
    result = shell.run_cell("value = 0.3\n# the floor is about 0.01\nassert abs(value - 0.01) < 1e-3, value\n")
    out = capsys.readouterr().out
    assert isinstance(result.error_in_exec, AssertionError)
    assert "a check of this chapter failed" in out and "The claim:   the floor is about 0.01" in out
    assert "assert abs(value - 0.01) < 1e-3, value" in out and "Values:      0.3" in out
    assert "Traceback" not in out


def test_an_error_raised_while_an_assert_is_evaluated_is_reported_as_a_check(shell, capsys):
    result = shell.run_cell("ratio = {0.1: 1.5}\n# the formula fails at alpha = 0.3\nassert ratio[0.3] > 3\n")
    out = capsys.readouterr().out
    assert isinstance(result.error_in_exec, KeyError)
    assert "KeyError: a check of this chapter could not be evaluated (KeyError: 0.3)" in out
    assert "The claim:   the formula fails at alpha = 0.3" in out and "Traceback" not in out


def test_other_errors_and_uninstall_keep_ipythons_own_report(shell, capsys):
    result = shell.run_cell("x = {}\ny = x['missing']\n")
    assert isinstance(result.error_in_exec, KeyError)
    out = capsys.readouterr().out
    assert "Traceback" in out and "KeyError" in out and "a check of this chapter" not in out
    result = shell.run_cell("1 / 0\n")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "ZeroDivisionError" in capsys.readouterr().out
    claims.uninstall()
    result = shell.run_cell("# a claim\nassert False\n")
    out = capsys.readouterr().out
    assert isinstance(result.error_in_exec, AssertionError) and "a check of this chapter failed" not in out
    assert "Traceback" in out


def test_install_outside_ipython_does_nothing():
    code = "from descent import claims; print(claims.install())"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "None\n"


# --------------------------------------------------------------------------- through a real kernel
def _broken_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [
        nbformat.v4.new_code_cell("from descent import claims\nclaims.install()"),
        nbformat.v4.new_code_cell("rate = 0.5\n# the run diverges above 2/L = 2\nassert rate > 2\n"),
    ]
    return nb


@pytest.mark.book
def test_a_broken_claim_fails_a_notebook_run_as_the_book_build_runs_it():
    """myst-nb executes a chapter with nbclient and stops the build on a cell error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with pytest.raises(CellExecutionError) as failure:
        NotebookClient(_broken_notebook(), timeout=60, kernel_name="python3").execute()
    assert failure.value.ename == "AssertionError"
    assert "The claim:   the run diverges above 2/L = 2" in str(failure.value)


@pytest.mark.book
def test_a_broken_claim_fails_nbval(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(_broken_notebook(), path)
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
         "-o", "addopts=", "--rootdir", str(tmp_path), str(path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert completed.returncode == 1, completed.stdout[-2000:]
    assert "1 failed" in completed.stdout and "The claim:   the run diverges above 2/L = 2" in completed.stdout
