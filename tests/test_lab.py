"""The chapters as a learner runs them: JupyterLab in Chromium, each chapter opened and run with Run All.

The test starts JupyterLab itself (the book's environment, jupyterlab-myst included) on 127.0.0.1 with no
token, no browser and its own temporary config, data, runtime, settings and workspace folders, serving a
temporary copy of the chapters (so nothing is ever saved into the repository), and stops it afterwards. Every
chapter listed in _toc.yml is opened in headless Chromium (the system /usr/bin/chromium driven by Playwright,
as in test_site.py) in a 1440 x 900 window with JupyterLab's default settings, read as it opens, then run
with Run All. A chapter fails on:

- a cell error, or a code cell left unrun;
- a markdown cell jupyterlab-myst did not render, raw MyST syntax in a rendered cell (an option such as
  ``:label:`` or ``:class:``, a directive fence, a role such as ``{cite}`...```, a ``(target)=`` line), a
  directive JupyterLab cannot render ("Unknown Directive"), math KaTeX cannot typeset, or a cross-reference
  jupyterlab-myst cannot resolve (a ``{numref}`` to a figure whose JupyterLab caption cell is missing);
- a solution visible before it is opened, or one that does not open when its title is clicked;
- an animation image (matplotlib's ``to_jshtml`` player) without a width and height, or drawn at 0 x 0;
- an explorer whose controls no longer hold the values the chapter gave them once the browser has shown them
  (a slider rounding a value that is not on its grid, and sending the rounded value back);
- an explorer image scaled by more than 5 % from its pixel size;
- an explorer that does not redraw within 200 ms (median over key presses on each of its sliders a reader
  can see: an explorer may hide the controls that do not apply to its current setting) of a slider key
  press, or not at all. The medians are printed, with the image scales and the times taken.

Without /usr/bin/chromium the test is skipped, except under CI=true, where it fails (as test_site.py).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from test_build import toc_files

sys.path.insert(0, str(ROOT / "tools"))
import notebook_rules  # noqa: E402
from _lab_page import (ERRORS, EXPLORER_VALUES, FOCUS_SLIDER, IMAGES, KERNEL_IDLE, KERNEL_PRINT,  # noqa: E402
                       MARK_EXPLORERS, OPEN_SOLUTION, READ_MARKDOWN, RUN_ALL, RUN_STATE)

pytestmark = pytest.mark.book  # not a library test: make test-lib leaves it out

CHAPTERS = [f"{doc}.ipynb" for doc in toc_files() if (ROOT / f"{doc}.ipynb").is_file()]
WINDOW = {"width": 1440, "height": 900}
REDRAW_BUDGET_MS = 200.0
SCALE_TOLERANCE = 0.05
PRESSES_PER_SLIDER = 4  # right, left, right, left: the slider ends where it started
RUN_TIMEOUT_S = 240

# JupyterLab settings for the test only: no news or update checks (they would ask over the network and pop
# up a notice), no autosave (the copies are thrown away anyway).
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# --------------------------------------------------------------------------- the report
class LabReport:
    """Collects each chapter's times, image scales and redraw medians, and lists them at the end of the run
    (a plugin registered by the ``lab_report`` fixture, as conftest.py's NotebookClock lists the nbval times)."""

    def __init__(self):
        self.lines: list = []

    def pytest_terminal_summary(self, terminalreporter):
        if self.lines:
            terminalreporter.section("chapters in JupyterLab (1440 x 900)")
            for line in self.lines:
                terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def lab_report(pytestconfig) -> LabReport:
    report = LabReport()
    pytestconfig.pluginmanager.register(report, "descent-lab-report")
    return report


# --------------------------------------------------------------------------- the server
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    """Start JupyterLab on 127.0.0.1 for this module and stop it (and its kernels) afterwards."""
    base = tmp_path_factory.mktemp("jupyterlab")
    served = base / "root"
    shutil.copytree(ROOT / "chapters", served / "chapters",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for name, content in USER_SETTINGS.items():
        target = base / "settings" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content), encoding="utf-8")
    port = _free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_DATA_DIR=str(base / "data"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"), IPYTHONDIR=str(base / "ipython"),
               JUPYTER_PLATFORM_DIRS="1")
    command = [str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--port-retries=0", "--ServerApp.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={served}", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.user_settings_dir={base / 'settings'}",
               f"--LabApp.workspaces_dir={base / 'workspaces'}"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log = open(base / "jupyterlab.log", "w", encoding="utf-8")
    process = subprocess.Popen(command, cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited ({process.returncode}):\n"
                            + (base / "jupyterlab.log").read_text(encoding="utf-8")[-3000:])
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("JupyterLab did not answer within 90 s:\n"
                            + (base / "jupyterlab.log").read_text(encoding="utf-8")[-3000:])
            time.sleep(0.25)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


def _solution_snippet(solution) -> str | None:
    """A piece of a solution's text that is visible when, and only when, the solution is open."""
    for code in solution.code:
        for line in code.splitlines():
            if len(line.strip()) >= 12:
                return line.strip()
    words = []
    for word in solution.body.split():
        if word.isalpha() and word.islower():
            words.append(word)
            if len(words) == 5:
                return " ".join(words)
        else:
            words = []
    return None


RAW_MYST = [
    ("a directive option", r"(?m)^\s*:[A-Za-z][\w-]*:(\s|$)"),
    ("a directive fence", r"(```|~~~|:::)\s*\{[\w:-]+\}"),
    ("a role", r"(?<!`)\{[A-Za-z][\w:-]*\}`"),
    ("a target", r"(?m)^\s*\([\w.-]+\)=\s*$"),
]


def _raw_myst(text: str) -> list:
    import re

    found = []
    for name, pattern in RAW_MYST:
        for match in re.finditer(pattern, text):
            found.append(f"{name}: {text[max(0, match.start() - 30):match.end() + 30].strip()!r}")
    return found


def _check_reading(chapter: str, markdown: list, notebook) -> list:
    problems = []
    expected_solutions = notebook_rules.solutions(notebook)
    seen_solutions = 0
    for cell in markdown:
        where = f"markdown cell {cell['index']}"
        if not cell["rendered"]:
            problems.append(f"{where} was not rendered")
            continue
        if not cell.get("myst", True):
            problems.append(f"{where} was rendered without jupyterlab-myst")
        problems += [f"{where} shows raw MyST, {item}" for item in _raw_myst(cell["plain"])]
        problems += [f"{where}: {text}" for text in cell["unknown"]]
        problems += [f"{where}: math KaTeX cannot typeset: {text!r}" for text in cell["mathErrors"]]
        problems += [f"{where}: reference {text!r} not found (a figure's JupyterLab caption cell is missing: make normalize)"
                     for text in cell["unresolved"]]
        for solution in cell["solutions"]:
            seen_solutions += 1
            if solution["open"]:
                problems.append(f"{where}: '{solution['title']}' is open before the reader opens it")
    if seen_solutions != len(expected_solutions):
        problems.append(f"{len(expected_solutions)} solutions in the notebook, {seen_solutions} rendered as "
                        "collapsed dropdowns")
    text = "\n".join(cell.get("text", "") for cell in markdown)
    for solution in expected_solutions:
        snippet = _solution_snippet(solution)
        if snippet and snippet in text:
            problems.append(f"solution {solution.label!r} is visible before it is opened ({snippet!r})")
    return problems


def _open_first_solution(page, notebook) -> list:
    """Click the first solution's title; its text must then be visible."""
    solutions = notebook_rules.solutions(notebook)
    if not solutions:
        return []
    snippet = _solution_snippet(solutions[0])
    opened = page.evaluate(OPEN_SOLUTION, solutions[0].cell)
    if opened is None:
        return [f"solution {solutions[0].label!r}: no dropdown to open in cell {solutions[0].cell}"]
    if not opened["open"] or (snippet and snippet not in opened["text"]):
        return [f"solution {solutions[0].label!r} did not open when its title was clicked"]
    return []


def _measure_redraws(page, explorers: list) -> tuple:
    """Press the arrow keys on every slider of every explorer; per explorer, the redraw times in ms."""
    times, problems = {}, []
    for explorer in explorers:
        samples = []
        for slider in range(explorer["sliders"]):
            state = page.evaluate(FOCUS_SLIDER, [explorer["index"], slider])
            first = "ArrowLeft" if state["atMax"] else "ArrowRight"
            second = "ArrowRight" if first == "ArrowLeft" else "ArrowLeft"
            for press in range(PRESSES_PER_SLIDER):
                page.keyboard.press(first if press % 2 == 0 else second)
                try:
                    page.wait_for_function("window.__descent.redraw !== null", timeout=2000, polling=5)
                except Exception:  # Playwright's TimeoutError
                    problems.append(f"explorer {explorer['index'] + 1} (cell {explorer['cell']}), slider "
                                    f"{state['label']!r}: no redraw within 2 s of a key press")
                    break
                samples.append(page.evaluate("window.__descent.redraw"))
                page.wait_for_timeout(30)  # let the kernel finish with this value before the next key
        times[explorer["index"]] = samples
    return times, problems


# --------------------------------------------------------------------------- the test
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_runs_and_reads_well_in_jupyterlab(browser, lab_url, lab_report, chapter):
    import nbformat

    notebook = nbformat.read(ROOT / chapter, as_version=4)
    context = browser.new_context(viewport=WINDOW, device_scale_factor=1)
    timings = {}
    try:
        page = context.new_page()
        page_errors = []
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        start = time.perf_counter()
        workspace = f"test-{Path(chapter).stem}-{int(time.time() * 1000)}"
        page.goto(f"{lab_url}/lab/workspaces/{workspace}/tree/{chapter}?reset")
        page.wait_for_function(KERNEL_IDLE, timeout=90_000, polling=100)
        timings["open"] = time.perf_counter() - start

        # Run All; while the kernel runs, bring every markdown cell into view once, so that it renders.
        start = time.perf_counter()
        page.evaluate(RUN_ALL)
        page.evaluate(READ_MARKDOWN)
        timings["read (while running)"] = time.perf_counter() - start

        # Until every code cell has run or one has failed.
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while True:
            state = page.evaluate(RUN_STATE)
            if state["failed"] >= 0 or (state["idle"] and state["unrun"] == 0):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"{chapter}: Run All did not finish in {RUN_TIMEOUT_S} s ({state})")
            page.wait_for_timeout(100)
        timings["run all (reading meanwhile)"] = time.perf_counter() - start
        errors = page.evaluate(ERRORS)
        assert not errors, f"{chapter}: a cell failed in JupyterLab:\n" + "\n".join(
            f"cell {e['index']}:\n{e['text']}" for e in errors)
        assert state["unrun"] == 0, f"{chapter}: {state['unrun']} of {state['total']} code cells did not run"

        # The page reads as the site does: MyST rendered, solutions collapsed (nothing opened them yet).
        start = time.perf_counter()
        problems = _check_reading(chapter, page.evaluate(READ_MARKDOWN), notebook)
        timings["read"] = time.perf_counter() - start

        # Images: animations have a size; explorer images are shown at their pixel size.
        start = time.perf_counter()
        images = page.evaluate(IMAGES)
        scales = []
        for image in images:
            where = f"{image['kind']} image in cell {image['cell']}"
            width, height = image["natural"]
            if image["kind"] == "animation":
                if not all(a and a.isdigit() and int(a) > 0 for a in image["attributes"]):
                    problems.append(f"{where} has no width and height attributes ({image['attributes']})")
                if min(image["shown"]) <= 0:
                    problems.append(f"{where} is drawn at {image['shown'][0]:.0f} x {image['shown'][1]:.0f}")
            else:
                scale = image["shown"][0] / width if width else 0.0
                scales.append((image["cell"], width, height, scale))
                if abs(scale - 1) > SCALE_TOLERANCE:
                    problems.append(f"{where}: {width} x {height} pixels shown at {image['shown'][0]:.0f} x "
                                    f"{image['shown'][1]:.0f} (scaled x{scale:.2f})")

        # The controls still hold the chapter's values once the browser has shown them.
        moved = page.evaluate(KERNEL_PRINT, EXPLORER_VALUES).strip()
        if moved.startswith("ERROR") or not moved:
            problems.append(f"could not read the explorers' values from the kernel: {moved!r}")
        else:
            problems += [f"explorer control changed by the browser: {item}" for item in json.loads(moved)]
        timings["images"] = time.perf_counter() - start

        # Redraws after a key press on each slider.
        start = time.perf_counter()
        explorers = page.evaluate(MARK_EXPLORERS)
        redraws, redraw_problems = _measure_redraws(page, explorers)
        problems += redraw_problems
        medians = {}
        for explorer in explorers:
            samples = redraws.get(explorer["index"], [])
            if samples:
                medians[explorer["index"]] = statistics.median(samples)
                if medians[explorer["index"]] > REDRAW_BUDGET_MS:
                    problems.append(f"explorer {explorer['index'] + 1} (cell {explorer['cell']}) redraws "
                                    f"{medians[explorer['index']]:.0f} ms after a key press (median of "
                                    f"{len(samples)}; budget {REDRAW_BUDGET_MS:.0f} ms)")
        timings["redraws"] = time.perf_counter() - start

        problems += _open_first_solution(page, notebook)
        problems += [f"uncaught exception in the page: {error}" for error in page_errors]

        report = [f"{chapter}: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())]
        for (cell, width, height, scale), explorer in zip(scales, explorers):
            median = medians.get(explorer["index"])
            report.append(f"  explorer in cell {cell}: {width} x {height} px shown at x{scale:.3f}; redraw "
                          f"median {median:.0f} ms over {len(redraws.get(explorer['index'], []))} key presses"
                          if median is not None else f"  explorer in cell {cell}: x{scale:.3f}, no redraws")
        print("\n".join(report))
        lab_report.lines += report
        assert not problems, f"{chapter} in JupyterLab:\n  " + "\n  ".join(problems)
    finally:
        context.close()


def test_the_reading_check_reports_raw_myst_and_open_solutions():
    """The check itself, on what a notebook would show without jupyterlab-myst."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(
        "```{exercise}\n:label: ex-a\n\nDo it.\n```\n\n"
        "````{solution} ex-a\n:class: dropdown\n\n```python\ndef answer(x):\n    return 42 * x\n```\n````")]
    shown = "See {cite}`key`.\n```{exercise}\n:label: ex-a\nDo it.\n(sec-x)=\ndef answer(x):"
    raw = {"index": 0, "rendered": True, "unknown": [], "mathErrors": [], "unresolved": [], "solutions": [],
           "text": shown, "plain": shown}
    problems = _check_reading("x", [raw], notebook)
    joined = "\n".join(problems)
    for expected in ("a role", "a directive fence", "a directive option", "a target",
                     "1 solutions in the notebook, 0 rendered", "solution 'ex-a' is visible"):
        assert expected in joined, (expected, problems)
    opened = {"index": 0, "rendered": True, "unknown": ["glue:figure - Unknown Directive"], "mathErrors": ["\\bad"],
              "unresolved": ["fig-adagrad-ravine"], "solutions": [{"open": True, "title": "Solution to Exercise 1"}],
              "text": "Exercise 1", "plain": "Exercise 1"}
    problems = _check_reading("x", [opened], notebook)
    assert len(problems) == 4 and "is open before" in problems[-1], problems
    assert "reference 'fig-adagrad-ravine' not found" in problems[2], problems
    assert _check_reading("x", [{"index": 0, "rendered": False}], notebook)[0].endswith("was not rendered")
    assert "without jupyterlab-myst" in _check_reading("x", [{**opened, "myst": False}], notebook)[0]

