"""Sphinx extension that keeps the Descent site self-contained and its console clean.

Loaded from ``_config.yml`` (``sphinx.local_extensions``). It does two things:

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
"""

from __future__ import annotations

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


def setup(app):
    app.connect("config-inited", drop_mathjax_files)
    # Run after every other extension has added its page-specific scripts.
    app.connect("html-page-context", clean_page_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
