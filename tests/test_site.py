"""Open every page of the built site in headless Chromium, as a reader would.

A page fails on: a console error or uncaught exception, a failed request (or an HTTP error),
any request to a host other than 127.0.0.1, an image that does not load, math left as raw
TeX or typeset as a MathJax error, a Jupyter widget (which would be frozen without a kernel),
or an animation player whose "next frame" button does not change the frame. A screenshot of
each page of the book (not of the highlighted source pages), in the light and the dark theme, is
saved to _build/screenshots/ (its top 40,000 px: all of a chapter, the start of the API page).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser fixture skips (or fails under CI) with a clear message
    PlaywrightTimeout = TimeoutError

from conftest import SCREENSHOTS
from test_build import html_pages, toc_files

pytestmark = pytest.mark.book  # not a library test: make test-lib leaves it out

LOCAL_HOSTS = {"127.0.0.1"}
GENERATED = ["genindex", "search", "py-modindex", "prf-prf"]

# Resolves once MathJax has typeset the page (or at once when the page has no MathJax).
WAIT_FOR_MATHJAX = """async () => {
  if (!window.MathJax || !window.MathJax.startup || !window.MathJax.startup.promise) {
    return false;
  }
  await window.MathJax.startup.promise;
  return true;
}"""

# Loads lazy images too, then lists those that failed.
BROKEN_IMAGES = """async () => {
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, {once: true});
    img.addEventListener("error", done, {once: true});
    setTimeout(done, 5000);
  })));
  return images.filter((img) => img.getAttribute("src") && img.naturalWidth === 0)
               .map((img) => img.getAttribute("src").slice(0, 120));
}"""

# Math that MathJax did not typeset: .math elements without output, math MathJax typeset as an
# error (mjx-merror), or TeX delimiters left in the text of the page (code blocks and MathJax's
# own output excepted).
UNTYPESET_MATH = """() => {
  const problems = [];
  document.querySelectorAll(".math").forEach((el) => {
    if (!el.querySelector("mjx-container")) problems.push("untypeset: " + el.textContent.slice(0, 80));
  });
  // TeX that MathJax could not understand: an unknown environment, or (since _config.yml
  // removes MathJax's noundefined package) an undefined macro, is typeset as an mjx-merror.
  document.querySelectorAll("mjx-merror").forEach((el) => {
    const container = el.closest("mjx-container");
    const math = container ? container.closest(".math") || container.parentElement : null;
    problems.push("MathJax error: " + (el.getAttribute("data-mjx-error") || el.textContent).slice(0, 80)
                  + (math ? " in: " + math.textContent.slice(0, 80) : ""));
  });
  const skip = "pre, code, script, style, textarea, mjx-container, .highlight";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && node.parentElement.closest(skip)) continue;
    const text = node.textContent;
    for (const mark of ["\\\\(", "\\\\[", "$$", "\\\\begin{"]) {
      if (text.includes(mark)) { problems.push("raw TeX: " + text.trim().slice(0, 80)); break; }
    }
  }
  return problems;
}"""

FROZEN_WIDGETS = """() => {
  const found = [];
  document.querySelectorAll("body *").forEach((el) => {
    for (const name of el.classList) {
      if (name === "jupyter-widgets" || name.startsWith("widget-")) { found.push(name); break; }
    }
  });
  if (document.querySelector('script[type^="application/vnd.jupyter.widget"]')) {
    found.push("widget state script");
  }
  return found;
}"""


# The static counterparts of the explorers: matplotlib's to_jshtml player (a div.animation
# holding the frame <img> and its buttons). For each player: pause it, click "next frame" and
# report the players whose frame did not change.
STUCK_ANIMATIONS = """async () => {
  const stuck = [];
  const players = Array.from(document.querySelectorAll("div.animation"));
  for (const [index, player] of players.entries()) {
    const img = player.querySelector("img");
    const pause = player.querySelector('button[onclick$="pause_animation()"]');
    const next = player.querySelector('button[onclick$="next_frame()"]');
    if (!img || !next) {
      stuck.push(`player ${index + 1}: no frame image or no next-frame button`);
      continue;
    }
    if (pause) pause.click();
    const before = img.getAttribute("src") || "";
    next.click();
    await new Promise((done) => setTimeout(done, 50));
    const after = img.getAttribute("src") || "";
    if (!after || after === before) {
      stuck.push(`player ${index + 1}: the next-frame button left the frame image unchanged`);
    }
  }
  return stuck;
}"""


def page_names() -> list[str]:
    return [f"{doc}.html" for doc in toc_files()] + [f"{name}.html" for name in GENERATED]


def other_pages(site) -> list[str]:
    known = set(page_names()) | {"index.html"}  # index.html only redirects to the root page
    return [
        p.relative_to(site).as_posix()
        for p in html_pages(site)
        if p.relative_to(site).as_posix() not in known
    ]


class PageVisit:
    """Everything a page did while it loaded."""

    def __init__(self, page, leaves: str | None = None):
        # ``leaves``: the URL of a page that redirects at once; the browser cancels the requests
        # it had started (its icon, say) when it moves on, which is not a failure. An HTTP error
        # for any of them is still reported by _response.
        self.leaves = leaves
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.route("**/*", self._route)

    def _console(self, message):
        if message.type == "error":
            location = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text} ({location})")

    def _request_failed(self, request):
        cancelled_by_redirect = (
            self.leaves is not None
            and request.failure == "net::ERR_ABORTED"
            and request.headers.get("referer") == self.leaves
        )
        if urlsplit(request.url).hostname in LOCAL_HOSTS and not cancelled_by_redirect:
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).scheme in {"http", "https", "ws", "wss"} and (
            urlsplit(url).hostname not in LOCAL_HOSTS
        ):
            self.problems.append(f"request outside the site (blocked): {url}")
            route.abort()
        else:
            route.continue_()


def screenshot_name(name: str, theme: str) -> str:
    return (name.removesuffix(".html").replace("/", "__") or "root") + f"-{theme}.png"


#: A screenshot covers at most this much of a page's height (px): every chapter (about 26,000 px) whole, but only
#: the top of the API page (about 258,000 px), whose two full-page screenshots took 38 of its 46 s.
SCREENSHOT_MAX_HEIGHT = 40_000


def save_screenshot(page, name: str, theme: str) -> None:
    height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / screenshot_name(name, theme), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": height})


def _open(browser, site_url: str, name: str, lands_on: str | None = None):
    """Start loading ``name`` in a new light-scheme context; return (context, page, visit, response). The page
    goes on loading (and the PageVisit goes on recording) while the caller does other things."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    visit = PageVisit(page, leaves=f"{site_url}/{name}" if lands_on is not None else None)
    try:
        response = page.goto(f"{site_url}/{name}", wait_until="commit")
    except Exception:  # Playwright's Error: the server did not answer
        response = None
    return context, page, visit, response


def _inspect(opened, site_url: str, name: str, lands_on: str | None = None, screenshots: bool = True) -> list[str]:
    """Wait for a page :func:`_open` started, list its problems and close its context."""
    context, page, visit, response = opened
    try:
        if response is None or not response.ok:
            return [f"could not load {name}"]
        page.wait_for_load_state("networkidle")
        if lands_on is not None:
            try:
                page.wait_for_url(f"{site_url}/{lands_on}", timeout=10000)
            except PlaywrightTimeout:
                return visit.problems + [f"{name or '/'} did not lead to {lands_on} (at {page.url})"]
            page.wait_for_load_state("networkidle")
        typeset = page.evaluate(WAIT_FOR_MATHJAX)
        broken = page.evaluate(BROKEN_IMAGES)
        math = page.evaluate(UNTYPESET_MATH)
        if page.query_selector(".math") and not typeset:
            math.append("the page has math but MathJax did not start")
        widgets = page.evaluate(FROZEN_WIDGETS)
        stuck = page.evaluate(STUCK_ANIMATIONS)  # console errors it causes land in visit
        page.wait_for_load_state("networkidle")

        if screenshots:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            save_screenshot(page, name, "light")
        page.emulate_media(color_scheme="dark")
        try:  # the theme follows the reader's colour scheme ("auto" mode)
            page.wait_for_function("document.documentElement.dataset.theme === 'dark'", timeout=10000)
        except PlaywrightTimeout:
            pass
        theme = page.evaluate("document.documentElement.dataset.theme")
        if screenshots:
            save_screenshot(page, name, "dark")

        problems = list(visit.problems)
        problems += [f"broken image: {src}" for src in broken]
        problems += math
        problems += [f"frozen widget element (class {cls})" for cls in widgets]
        problems += [f"animation {message}" for message in stuck]
        if theme != "dark":
            problems.append(f"the theme did not follow the dark colour scheme (theme={theme!r})")
        return problems
    finally:
        context.close()


def check_page(browser, site_url: str, name: str, lands_on: str | None = None, screenshots: bool = True) -> list[str]:
    """Open ``name`` and list its problems; ``lands_on`` is the page a redirect must reach. With ``screenshots``
    the page is saved, light and dark, to _build/screenshots for a person to look at."""
    return _inspect(_open(browser, site_url, name, lands_on), site_url, name, lands_on, screenshots)


def check_pages(browser, site_url: str, names: list[str], at_once: int = 6) -> dict[str, list[str]]:
    """:func:`check_page` (without screenshots) for many pages, ``at_once`` of them loading at the same time, each
    in its own context: the same checks, with the browser's waits for the network to fall quiet overlapping.
    Returns the problems of the pages that have any."""
    failures = {}
    for first in range(0, len(names), at_once):
        batch = names[first:first + at_once]
        opened = [_open(browser, site_url, name) for name in batch]
        for name, page in zip(batch, opened):
            problems = _inspect(page, site_url, name, screenshots=False)
            if problems:
                failures[name] = problems
    return failures


@pytest.mark.parametrize("name", page_names())
def test_page_works_offline_in_a_browser(browser, site_url, name):
    problems = check_page(browser, site_url, name)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name", ["", "index.html"])
def test_the_site_root_leads_to_the_book_without_errors(browser, site_url, name):
    """The address a reader types first (the site's root, i.e. index.html) redirects to the
    book's root page; neither page may log an error or request a missing file (favicon.ico)."""
    problems = check_page(browser, site_url, name, lands_on=f"{toc_files()[0]}.html")
    assert not problems, f"{name or '/'}:\n  " + "\n  ".join(problems)


def test_every_other_page_works_offline_in_a_browser(browser, site_url, site):
    """Pages not in the toc, e.g. the highlighted source pages the API reference links to. They are checked as
    the book's pages are, but several at a time and without the screenshots: there are about ninety of them, all of
    one template, and checked one by one with screenshots they took about four minutes."""
    failures = check_pages(browser, site_url, other_pages(site))
    assert not failures, "\n".join(f"{n}:\n  " + "\n  ".join(p) for n, p in failures.items())


def test_search_finds_a_chapter(browser, site_url):
    """The search page works offline: searching for a word from the notation page finds it."""
    context = browser.new_context()
    try:
        page = context.new_page()
        visit = PageVisit(page)
        page.goto(f"{site_url}/search.html?q=notation", wait_until="networkidle")
        page.wait_for_selector("#search-results ul.search li", timeout=15000)
        results = page.locator("#search-results ul.search li").all_inner_texts()
        assert any("Notation" in text for text in results), results
        assert not visit.problems, visit.problems
    finally:
        context.close()


def test_the_math_check_reports_mathjax_errors(browser, site_url):
    """The check itself: TeX that MathJax cannot typeset (an undefined macro, an unknown
    environment), added to a built page and typeset with the site's MathJax configuration."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site_url}/notation.html", wait_until="networkidle")
        assert page.evaluate(WAIT_FOR_MATHJAX), "notation.html has no MathJax"
        assert page.evaluate(UNTYPESET_MATH) == []
        page.evaluate(
            r"""async () => {
              const inline = document.createElement("span");
              inline.className = "math notranslate nohighlight";
              inline.textContent = "\\(\\undefinedmacro x\\)";
              const display = document.createElement("div");
              display.className = "math notranslate nohighlight";
              display.textContent = "\\[\\begin{bogusenv}x\\end{bogusenv}\\]";
              document.querySelector("main").append(inline, display);
              await window.MathJax.typesetPromise([inline, display]);
            }"""
        )
        problems = page.evaluate(UNTYPESET_MATH)
        assert len(problems) == 2, problems
        assert "undefinedmacro" in problems[0] and "bogusenv" in problems[1], problems
    finally:
        context.close()


def test_the_animation_check_reports_a_stuck_player(browser, site_url, site):
    """The check itself: a player whose next-frame button does nothing is reported."""
    pages = [p for p in html_pages(site) if 'class="animation"' in p.read_text(encoding="utf-8")]
    if not pages:
        pytest.skip("no page of the site has an animation player")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{site_url}/{pages[0].relative_to(site).as_posix()}", wait_until="networkidle")
        assert page.evaluate(STUCK_ANIMATIONS) == []
        page.evaluate(
            """() => document.querySelectorAll('div.animation button[onclick$="next_frame()"]')
                       .forEach((button) => { button.onclick = () => {}; })"""
        )
        stuck = page.evaluate(STUCK_ANIMATIONS)
        assert stuck and all("left the frame image unchanged" in s for s in stuck), stuck
    finally:
        context.close()
