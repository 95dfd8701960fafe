"""The book builds strictly, and the built site is self-contained and within its size budget.

These checks read the HTML files only; tests/test_site.py then opens every page in a browser.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
import yaml

from conftest import ROOT, SITE

sys.path.insert(0, str(ROOT / "tools"))
import notebook_rules  # noqa: E402  (tools/ is not a package)

pytestmark = pytest.mark.book  # not a library test: make test-lib leaves it out

PAGE_BUDGET_BYTES = 2 * 1024 * 1024
SITE_BUDGET_BYTES = 25 * 1024 * 1024
MATHJAX = "_static/mathjax/tex-chtml-full.js"


def toc_files() -> list[str]:
    """Every document in _toc.yml, as a path without extension, in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


class _Resources(HTMLParser):
    """Collect the URLs a page makes the browser fetch on load (not plain links)."""

    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed", "track"}:
            if attrs.get("src"):
                self.fetched.append(attrs["src"])
            if tag == "img" and attrs.get("src"):
                self.images.append(attrs["src"])
        elif tag == "link":
            rel = set((attrs.get("rel") or "").lower().split())
            if rel & {"stylesheet", "preload", "modulepreload", "icon", "prefetch", "manifest"}:
                if attrs.get("href"):
                    self.fetched.append(attrs["href"])
        elif tag == "object" and attrs.get("data"):
            self.fetched.append(attrs["data"])


def parse(page: Path) -> _Resources:
    parser = _Resources()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in {"", "data"}


# --------------------------------------------------------------------------- the build
def test_strict_build_passes(strict_build):
    """`jupyter-book build --all -W -n --keep-going` succeeds: no warning, no broken reference."""
    assert strict_build.returncode == 0, (
        "The strict build failed (full log: _build/strict-build.log):\n"
        + "\n".join(strict_build.problems[:40])
    )
    assert not strict_build.problems, "\n".join(strict_build.problems[:40])


@pytest.mark.parametrize("doc", toc_files())
def test_every_toc_entry_is_built(site, doc):
    assert (site / f"{doc}.html").is_file(), f"{doc} is in _toc.yml but {doc}.html was not built"


def test_nothing_outside_the_toc_is_built(site):
    """only_build_toc_files and exclude_patterns keep README, tests, .venv... out of the site."""
    built = {p.relative_to(site).with_suffix("").as_posix() for p in html_pages(site)}
    generated = {"index", "genindex", "search", "py-modindex", "prf-prf"}
    extra = {
        name
        for name in built - set(toc_files()) - generated
        if not name.startswith("_modules/")  # source pages of the API reference
    }
    assert not extra, f"pages built that are not in _toc.yml: {sorted(extra)}"


def test_the_site_root_is_a_page_that_names_its_icon(site):
    """index.html (what a reader opens first) redirects to the book's root page and names the
    site's icon, so the browser has no reason to ask for a /favicon.ico the site does not have."""
    html = (site / "index.html").read_text(encoding="utf-8")
    root = f"{toc_files()[0]}.html"
    assert html.lstrip().lower().startswith("<!doctype html>"), "index.html is not an HTML page"
    assert re.search(rf'http-equiv="Refresh" content="0; url={re.escape(root)}"', html), html
    icons = [url for url in parse(site / "index.html").fetched if url.endswith((".svg", ".ico", ".png"))]
    assert icons, f"index.html names no icon:\n{html}"
    for url in icons:
        assert (site / unquote(urlsplit(url).path)).is_file(), f"index.html names a missing icon {url}"


# --------------------------------------------------------------------------- offline
def test_pages_load_nothing_from_outside_the_site(site):
    offenders = {}
    for page in html_pages(site):
        external = [url for url in parse(page).fetched if is_external(url)]
        if external:
            offenders[page.relative_to(site).as_posix()] = external
    assert not offenders, f"pages that load resources from other hosts: {offenders}"


def test_mathjax_is_the_local_copy(site):
    assert (site / MATHJAX).is_file()
    fonts = site / "_static/mathjax/output/chtml/fonts/woff-v2"
    assert sorted(fonts.glob("*.woff")), "MathJax's CHTML fonts are missing from the site"
    pages_with_math = [p for p in html_pages(site) if 'class="math' in p.read_text("utf-8")]
    assert pages_with_math, "no page has math: the notation page should"
    for page in pages_with_math:
        scripts = [u for u in parse(page).fetched if "mathjax" in u.lower()]
        assert scripts, f"{page.name} has math but loads no MathJax"
        for url in scripts:
            target = (page.parent / unquote(urlsplit(url).path)).resolve()
            assert target == (site / MATHJAX).resolve(), f"{page.name} loads MathJax from {url}"
        assert len(scripts) == 1, f"{page.name} loads MathJax {len(scripts)} times"


def test_no_widget_state_on_the_site(site):
    """Explorer cells are tagged remove-output: no widget view or widget manager reaches a page."""
    pattern = re.compile(r"application/vnd\.jupyter\.widget-(view|state)\+json|html-manager|require\.js")
    offenders = [p.name for p in html_pages(site) if pattern.search(p.read_text("utf-8"))]
    assert not offenders, f"pages with widget output or a widget manager: {offenders}"


def test_each_inline_script_appears_once(site):
    """The same inline script twice re-declares its constants and throws in the browser."""
    script = re.compile(r"<script>(.*?)</script>", re.S)
    for page in html_pages(site):
        bodies = script.findall(page.read_text("utf-8"))
        duplicates = {b for b in bodies if bodies.count(b) > 1}
        assert not duplicates, f"{page.name} repeats inline scripts: {sorted(duplicates)[:3]}"


# --------------------------------------------------------------------------- launch buttons
def test_launch_and_download_buttons_come_from_the_repository_setting(site):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"].rstrip("/")
    branch = config["repository"]["branch"]
    owner_repo = urlsplit(repo).path.strip("/")
    chapters = [d for d in toc_files() if d.startswith("chapters/")]
    assert chapters, "the toc lists no chapter"
    html = (site / f"{chapters[0]}.html").read_text("utf-8")
    binder = f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{chapters[0]}.ipynb"
    assert binder in html.replace("&amp;", "&"), f"no Binder link {binder} on {chapters[0]}.html"
    assert f'_sources/{chapters[0]}.ipynb' in html, "no download button for the notebook"
    assert repo in html, "no repository button"


# --------------------------------------------------------------------------- figures
class _Figures(HTMLParser):
    """The images a chapter's cells show, each with its alt text and the figure around it, and the figures'
    captions and the links that point at them."""

    def __init__(self):
        super().__init__()
        self.divs: list[bool] = []  # for each open <div>: is it a cell's output?
        self.figure: str | None = None  # id of the open <figure>
        self.images: list[tuple[str | None, str]] = []  # (figure id or None, alt) of each output image
        self.numbers: dict[str, str] = {}  # figure id -> its number on the page ("4.1")
        self._in_number = False
        self.links: set[str] = set()  # fragment targets of every link on the page

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div":
            self.divs.append("cell_output" in classes)
        elif tag == "figure":
            self.figure = attrs.get("id") or ""
        elif tag == "img" and any(self.divs):
            self.images.append((self.figure, attrs.get("alt") or ""))
        elif tag == "span" and "caption-number" in classes and self.figure:
            self._in_number = True
        elif tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.links.add(attrs["href"][1:])

    def handle_data(self, data):
        if self._in_number and self.figure:
            self.numbers[self.figure] = data.split()[-1]  # "Figure 4.1 " -> "4.1"
            self._in_number = False

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.divs.pop()
        elif tag == "figure":
            self.figure = None


@pytest.mark.parametrize("chapter", [d for d in toc_files() if d.startswith("chapters/")])
def test_every_figure_of_a_chapter_is_numbered_described_and_referenced(site, chapter):
    """README, "How a chapter is made": each image a chapter's code shows (a figure, an animation's player) is a
    numbered figure with a caption, has alt text for readers who cannot see it, and the text refers to it with
    {numref}."""
    page = _Figures()
    page.feed((site / f"{chapter}.html").read_text(encoding="utf-8"))
    assert page.images, f"{chapter} shows no figure"
    loose = sum(1 for figure, _ in page.images if not figure)
    assert not loose, f"{chapter}: {loose} image(s) outside a numbered figure (give the cell mystnb.figure metadata)"
    unnumbered = sorted({figure for figure, _ in page.images} - set(page.numbers))
    assert not unnumbered, f"{chapter}: figures without a numbered caption: {unnumbered}"
    undescribed = sorted({figure for figure, alt in page.images if len(alt) < 20 or alt.endswith(".png")})
    assert not undescribed, f"{chapter}: figures whose image has no alt text (only a file name or nothing): {undescribed}"
    unreferenced = sorted({figure for figure, _ in page.images} - page.links)
    assert not unreferenced, f"{chapter}: figures the text never refers to with {{numref}}: {unreferenced}"
    # JupyterLab shows each figure's number from the caption cell the normaliser writes: the same as here.
    notebook = nbformat.read(ROOT / f"{chapter}.ipynb", as_version=4)
    in_lab = dict(re.findall(r":label: (\S+)\n:enumerator: (\S+)",
                             "\n".join(notebook_rules.source(c) for c in notebook.cells if notebook_rules.is_lab_caption(c))))
    assert in_lab == page.numbers, f"{chapter}: figure numbers in JupyterLab {in_lab} differ from the site's {page.numbers}"


# --------------------------------------------------------------------------- budgets
def test_every_page_is_within_its_size_budget(site):
    """Each page, with the images it shows, is at most 2 MB."""
    sizes = {}
    for page in html_pages(site):
        total = page.stat().st_size
        for url in set(parse(page).images):
            if is_external(url) or urlsplit(url).scheme == "data":
                continue  # a data: image is inside the HTML, already counted (and its path is no file name)
            image = (page.parent / unquote(urlsplit(url).path)).resolve()
            if image.is_file():
                total += image.stat().st_size
        sizes[page.relative_to(site).as_posix()] = total
    over = {name: f"{size / 2**20:.2f} MB" for name, size in sizes.items() if size > PAGE_BUDGET_BYTES}
    assert not over, f"pages over 2 MB (html + images): {over}"


def test_whole_site_is_within_its_size_budget(site):
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total <= SITE_BUDGET_BYTES, f"_build/html is {total / 2**20:.1f} MB, over 25 MB"
