"""Shared fixtures for the platform tests: the strict book build, a local web server and
headless Chromium.

The build runs at most once per test session, into ``_build/html``, so ``make test`` never
depends on an earlier ``make book``. The chapter notebooks themselves run under nbval
(configured in ``pyproject.toml``); the time each one takes is recorded, checked against the
budgets by ``test_notebooks.py`` and listed at the end of the run.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
SITE = BUILD / "html"
SCREENSHOTS = BUILD / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NOTEBOOK_BUDGET_S = 15.0  # each chapter notebook under nbval, kernel start included
BOOK_BUDGET_S = 60.0  # all chapter notebooks, run two at a time on the two cores (test_notebooks.py)
BOOK_CORES = 2
NOTEBOOK_CLOCK = "descent-notebook-clock"
BUDGET_TEST = "test_chapter_notebooks_run_within_their_time_budget"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE):|^Traceback")


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


# --------------------------------------------------------------------------- the build
@dataclass
class BuildResult:
    returncode: int
    log: str
    seconds: float

    @property
    def problems(self) -> list[str]:
        """Sphinx's warning and error lines (``path: WARNING: message``) and tracebacks."""
        return [line for line in self.log.splitlines() if _PROBLEM.search(line)]


@pytest.fixture(scope="session")
def strict_build() -> BuildResult:
    """Build the whole book from scratch with warnings as errors and nitpicky references.

    ``--all`` rebuilds every page, so no warning hides in an incremental build; every
    notebook is executed (``execute_notebooks: force`` in ``_config.yml``).
    """
    # Start from nothing: pages left by an earlier build (of a different toc) would
    # otherwise stay in _build/html and be served and checked.
    for stale in (SITE, BUILD / ".doctrees", BUILD / "jupyter_execute", SCREENSHOTS):
        shutil.rmtree(stale, ignore_errors=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book), "build", str(ROOT), "--all", "-W", "-n", "--keep-going"]
    env = dict(os.environ, NO_COLOR="1")
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    log = _ANSI.sub("", completed.stdout + completed.stderr)
    (BUILD / "strict-build.log").parent.mkdir(parents=True, exist_ok=True)
    (BUILD / "strict-build.log").write_text(log, encoding="utf-8")
    return BuildResult(completed.returncode, log, time.perf_counter() - start)


@pytest.fixture(scope="session")
def site(strict_build: BuildResult) -> Path:
    """The built site's folder (the build may have warnings; test_build reports them)."""
    if not (SITE / "index.html").is_file():
        pytest.fail(
            "The book build produced no _build/html/index.html; see _build/strict-build.log.\n"
            + "\n".join(strict_build.problems[-20:])
        )
    return SITE


# --------------------------------------------------------------------------- serving
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_url(site: Path):
    """Serve the built site on 127.0.0.1, on a free port, for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- the browser
@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright (never a downloaded browser).

    Skips when /usr/bin/chromium is absent, except under CI=true, where it fails:
    .ci/run installs Chromium first, so CI always runs the browser test.
    """
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} not found: the browser test needs the system Chromium "
            "(Debian: sudo apt-get install chromium; on Ubuntu that package only installs "
            "the snap, see README, Continuous integration)."
        )
        if running_in_ci():
            pytest.fail(message + " CI=true, so this is a failure, not a skip.")
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - requirements-test.txt pins it
        if running_in_ci():
            pytest.fail(f"playwright is not installed ({error}); run make test")
        pytest.skip(f"playwright is not installed ({error}); run make test")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- notebook times
class NotebookClock:
    """How long nbval took to run each chapter notebook, in seconds of wall time.

    nbval turns a notebook into one test item per cell. A notebook's time is the sum of the
    durations pytest reports for all of its items' phases: the first item's setup starts the
    kernel and the last item's teardown shuts it down, so kernel start and shutdown are
    included, as they are for a reader who runs the notebook. test_notebooks.py checks
    NOTEBOOK_BUDGET_S for each after the notebooks have run (the whole book's budget,
    BOOK_BUDGET_S, is measured there by a run on BOOK_CORES cores).

    Registered as a plugin (not a conftest hook) so that it also sees the reports of items
    under chapters/, outside this folder.
    """

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def pytest_runtest_logreport(self, report):
        path = report.nodeid.split("::", 1)[0]
        if path.endswith(".ipynb"):
            self.seconds[path] += report.duration


def pytest_configure(config):
    config.pluginmanager.register(NotebookClock(), NOTEBOOK_CLOCK)


def pytest_report_header(config):
    """Name the BLAS kernel numpy uses: a result that differs between kernels (processors) can
    then be reproduced anywhere with OPENBLAS_CORETYPE (see the README)."""
    import numpy  # noqa: F401 - loads OpenBLAS, which threadpoolctl then reports

    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
        return None
    kernels = [
        f"{info.get('internal_api')} {info.get('version')} ({info.get('architecture')})"
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]
    chosen = os.environ.get("OPENBLAS_CORETYPE")
    return "BLAS: " + (", ".join(kernels) or "unknown") + (f"; OPENBLAS_CORETYPE={chosen}" if chosen else "")


@pytest.fixture(scope="session")
def notebook_seconds(pytestconfig) -> dict[str, float]:
    """Seconds nbval has taken so far for each notebook that ran (path relative to the root)."""
    return pytestconfig.pluginmanager.get_plugin(NOTEBOOK_CLOCK).seconds


def pytest_collection_modifyitems(session, config, items):
    """The notebook budget test runs last, after nbval has run the chapter notebooks."""
    last = [item for item in items if item.name == BUDGET_TEST]
    items[:] = [item for item in items if item.name != BUDGET_TEST] + last


def pytest_terminal_summary(terminalreporter, config):
    """List how long nbval took for each chapter notebook (kernel start to shutdown)."""
    seconds = config.pluginmanager.get_plugin(NOTEBOOK_CLOCK).seconds
    if not seconds:
        return
    terminalreporter.section("chapter notebooks (nbval wall time, kernel start included)")
    for path, total in sorted(seconds.items()):
        note = "" if total <= NOTEBOOK_BUDGET_S else f"  over the {NOTEBOOK_BUDGET_S:.0f} s budget"
        terminalreporter.write_line(f"{total:6.1f} s  {path}{note}")
    total = sum(seconds.values())
    terminalreporter.write_line(f"{total:6.1f} s  all together, one after another (the book's budget is "
                                f"for a run on {BOOK_CORES} cores: test_notebooks.py)")
