"""Sphinx extension for the Descent book: a self-contained site, a clean console, and
docstrings rendered as written.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). It does eight things:

1. Jupyter Book adds every ``.js`` file found under ``_static/`` to every page. The
   local MathJax copy lives there too (``_static/mathjax``), but it must be loaded
   exactly once, by ``sphinx.ext.mathjax`` through ``mathjax_path``, after its
   configuration. MathJax's own files are removed from that automatic list.

2. Sphinx 7.4 emits twice every inline ``<script>`` that an extension registers
   after the HTML builder has started (it registers ``filename=None`` once and
   ``filename=''`` once, and the two do not compare equal). For sphinx-thebe,
   which Jupyter Book always loads, that means ``const THEBE_JS_URL = ...`` twice
   on every page, and the second copy throws
   ``SyntaxError: Identifier 'THEBE_JS_URL' has already been declared``.
   Duplicate scripts are dropped from each page before it is written.

3. When a notebook creates ipywidgets, the executed notebook stores the widgets'
   state and myst-nb writes it into the page as an
   ``application/vnd.jupyter.widget-state+json`` script. Without a kernel that state
   can only show a frozen widget, and it can be large (an explorer's figures are in
   it). The explorers' static counterparts are what the site shows, so the state
   script is dropped (``nb_ipywidgets_js: {}`` in ``_config.yml`` already keeps the
   widget manager, loaded from a CDN, off the pages).

4. Napoleon reads the first line of a property's docstring as ``type: description``
   when it contains a colon, so "The live widget: the controls above the figure"
   becomes a (broken) reference to a type named "The live widget". A property's type
   is its return annotation, so its docstring is prose: the first line is split after
   the colon, which napoleon leaves alone and reStructuredText joins back into one
   paragraph.

5. A subclass inherits its base class's method docstrings, and with them their short
   cross-references (``:meth:`invalidate```), which Sphinx then looks up in the
   subclass's module and fails to find. A reference that does not resolve from a
   class is looked up again in that class's bases.

6. Matplotlib's JavaScript animation player (``Animation.to_jshtml``) links Font
   Awesome 4 from a CDN for its button icons. ``descent.animation`` already removes
   that link and draws the buttons as inline SVG; this pass is a safety net for any
   other ``to_jshtml`` output, so no page requests anything from another host.

7. ``execute_notebooks: force`` runs a notebook each time Sphinx reads it, but an
   incremental build reads only the files that changed, and a notebook's results also
   depend on ``lib/descent``. Every notebook is marked outdated on every build, so each
   ``make book`` runs them all against the current library.

8. The book's root page is ``intro``, so the site has no ``index.html`` of its own;
   sphinx-external-toc writes one that is a bare ``<meta http-equiv="Refresh">``
   line. A browser opening it asks for ``/favicon.ico`` (the line names no icon),
   which is a 404 and a console error on the first page a reader opens. The
   extension writes ``index.html`` itself, before sphinx-external-toc looks: a small
   HTML page that names the site's icon and title, redirects to the root page, and
   links to it for a browser that does not follow the redirect.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

from docutils import nodes

from sphinx.ext.napoleon.docstring import _single_colon_regex, _xref_or_code_regex

MATHJAX_DIR = "mathjax/"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _filename(entry) -> str:
    return entry[0] if isinstance(entry, (tuple, list)) else entry


def drop_mathjax_files(app, config) -> None:
    """Keep ``_static/mathjax/*.js`` out of ``html_js_files``."""
    config.html_js_files = [
        entry
        for entry in config.html_js_files
        if not _filename(entry).startswith(MATHJAX_DIR)
    ]


def _script_key(script) -> tuple:
    attributes = tuple(sorted((str(k), str(v)) for k, v in script.attributes.items()))
    return (script.filename or "", attributes)


def _is_widget_state(script) -> bool:
    return getattr(script, "attributes", {}).get("type") == WIDGET_STATE


def clean_page_scripts(app, pagename, templatename, context, doctree) -> None:
    """Write each ``<script>`` once per page and leave out stored widget state."""
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, kept = set(), []
    for script in scripts:
        if _is_widget_state(script):
            continue
        key = _script_key(script) if hasattr(script, "attributes") else (str(script), ())
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def _split_after_first_colon(line: str) -> list[str]:
    """Split ``"words: more words"`` after the colon napoleon would use (not in code or roles)."""
    pieces = _xref_or_code_regex.split(line)
    for index, piece in enumerate(pieces):
        match = _single_colon_regex.search(piece) if index % 2 == 0 else None
        if match:
            before = "".join(pieces[:index]) + piece[: match.end()]
            after = (piece[match.end():] + "".join(pieces[index + 1:])).strip()
            return [before, after] if after else [line]
    return [line]


def property_docstrings_are_prose(app, what, name, obj, options, lines) -> None:
    if what == "property" and lines:
        lines[:1] = _split_after_first_colon(lines[0])


def _import_class(module_name: str, class_name: str):
    import importlib

    try:
        obj = importlib.import_module(module_name)
        for part in class_name.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        return None
    return obj if isinstance(obj, type) else None


def resolve_in_base_classes(app, env, node, contnode):
    """Resolve a failed ``py`` reference made inside a class against its base classes."""
    if node.get("refdomain") != "py":
        return None
    module_name, class_name = node.get("py:module"), node.get("py:class")
    target = node.get("reftarget", "")
    cls = _import_class(module_name, class_name) if module_name and class_name else None
    if cls is None or "." in target:
        return None
    domain = env.get_domain("py")
    for base in cls.__mro__[1:]:
        candidate = f"{base.__module__}.{base.__qualname__}.{target}"
        if candidate in domain.objects:
            return domain.resolve_xref(
                env, node["refdoc"], app.builder, node["reftype"], candidate, node, contnode
            )
    return None


# The one external resource matplotlib's to_jshtml player adds (matplotlib/_animation_data.py).
_CDN_FONT_AWESOME = re.compile(
    r"<link\b[^>]*href=[\"']https?://[^\"']*font-awesome[^\"']*\.css[\"'][^>]*>", re.I
)


def drop_cdn_font_awesome(app, doctree, docname) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        cleaned = _CDN_FONT_AWESOME.sub("", text)
        if cleaned != text:
            raw.replace_self(nodes.raw(cleaned, cleaned, format=raw["format"]))


def notebooks_always_outdated(app, env, added, changed, removed) -> list[str]:
    return [
        docname
        for docname in env.found_docs
        if str(env.doc2path(docname)).endswith(".ipynb") and docname not in added | changed
    ]


_ROOT_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={target}">
<link rel="icon" href="{icon}">
<link rel="canonical" href="{target}">
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""


def write_root_page(app, exception) -> None:
    """Write ``index.html``: a redirect to the root page that names the site's icon."""
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    if app.builder.name == "dirhtml":
        target = f"{app.config.root_doc}/"
    else:
        target = f"{app.config.root_doc}{app.builder.out_suffix}"
    favicon = app.config.html_favicon or ""
    if not favicon:
        icon = ""
    elif "://" in favicon:
        icon = favicon
    else:
        icon = str(PurePosixPath("_static") / PurePosixPath(favicon).name)
    page = _ROOT_PAGE.format(
        language=html.escape(app.config.language or "en"),
        title=html.escape(app.config.html_title or app.config.project),
        target=html.escape(target),
        icon=html.escape(icon),
    )
    if not icon:
        page = page.replace('<link rel="icon" href="">\n', "")
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app):
    app.connect("config-inited", drop_mathjax_files)
    # Before napoleon (priority 500) turns the docstring into reStructuredText.
    app.connect("autodoc-process-docstring", property_docstrings_are_prose, priority=400)
    app.connect("missing-reference", resolve_in_base_classes)
    app.connect("doctree-resolved", drop_cdn_font_awesome)
    app.connect("env-get-outdated", notebooks_always_outdated)
    # Run after every other extension has added its page-specific scripts.
    app.connect("html-page-context", clean_page_scripts, priority=900)
    # Before sphinx-external-toc (priority 500), which writes index.html only when it is missing.
    app.connect("build-finished", write_root_page, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
