"""JavaScript that tests/test_lab.py runs in the JupyterLab page (through Playwright's ``page.evaluate``).

JupyterLab exposes its application as ``window.jupyterapp`` (the test starts it with
``--LabApp.expose_app_in_browser``); the open notebook is ``window.jupyterapp.shell.currentWidget``.
"""

NOTEBOOK = "window.jupyterapp.shell.currentWidget"

KERNEL_IDLE = f"""() => {{
  if (!window.jupyterapp || !window.jupyterapp.shell) return false;
  const panel = {NOTEBOOK};
  return !!(panel && panel.content && panel.context && panel.context.isReady && panel.sessionContext.session
            && panel.sessionContext.session.kernel && panel.sessionContext.session.kernel.status === 'idle');
}}"""

# Scroll to every markdown cell not rendered yet (JupyterLab renders a cell when it first comes into view) and
# wait for jupyterlab-myst to render it; then read every markdown cell. Everything is read from the DOM's text,
# not from innerText, which is empty for a cell scrolled out of view (content-visibility: auto).
READ_MARKDOWN = f"""async () => {{
  const notebook = {NOTEBOOK}.content;
  const markdown = notebook.widgets.map((cell, i) => [cell, i]).filter(([cell]) => cell.model.type === 'markdown');
  // jupyterlab-myst renders into .myst; JupyterLab's own renderer (if the extension is missing) into
  // .jp-RenderedMarkdown.
  const output = (cell) => cell.node.querySelector('.myst') || cell.node.querySelector('.jp-RenderedMarkdown');
  const rendered = (cell) => {{ const r = output(cell); return !!(r && r.textContent.trim()); }};
  for (const [cell, i] of markdown) {{
    for (let attempt = 0; attempt < 3 && !rendered(cell); attempt++) {{
      await notebook.scrollToItem(i, 'start');
      for (let k = 0; k < 100 && !rendered(cell); k++) await new Promise((done) => setTimeout(done, 20));
    }}
  }}
  // The text a reader sees: without the bodies of closed dropdowns (their titles stay).
  const visible = (node) => {{
    const copy = node.cloneNode(true);
    copy.querySelectorAll('details:not([open])').forEach((details) => {{
      Array.from(details.children).forEach((child) => {{ if (child.tagName !== 'SUMMARY') child.remove(); }});
    }});
    return copy.textContent;
  }};
  // The text without typeset math, with code written back as Markdown (a directive shown as a code block keeps
  // its fence, an inline code span its backticks): raw MyST is looked for there.
  const prose = (node) => {{
    const copy = node.cloneNode(true);
    copy.querySelectorAll('.katex, .katex-display').forEach((el) => el.remove());
    copy.querySelectorAll('pre').forEach((el) => {{
      const code = el.querySelector('code');
      const language = ((code ? code.className : '').match(/language-(\\S+)/) || ['', ''])[1];
      el.replaceWith('\\n```' + language + '\\n' + el.textContent + '\\n```\\n');
    }});
    copy.querySelectorAll('code').forEach((el) => el.replaceWith('`' + el.textContent + '`'));
    return copy.textContent;
  }};
  return markdown.map(([cell, i]) => {{
    const node = output(cell);
    if (!node || !node.textContent.trim()) return {{index: i, rendered: false}};
    const title = (d) => (d.querySelector('summary') || d).textContent.trim();
    return {{
      index: i, rendered: true, myst: node.classList.contains('myst'), text: visible(node), plain: prose(node),
      unknown: Array.from(node.querySelectorAll('*')).filter(
          (el) => el.children.length === 0 && /Unknown (Directive|Role)/.test(el.textContent)).map((el) => el.textContent),
      mathErrors: Array.from(node.querySelectorAll('.katex-error')).map((el) => el.textContent.slice(0, 80)),
      unresolved: Array.from(node.querySelectorAll('[title="Cross Reference Not Found"]')).map((el) => el.textContent.trim()),
      solutions: Array.from(node.querySelectorAll('details')).filter((d) => title(d).startsWith('Solution'))
                   .map((d) => ({{open: d.open, title: title(d)}})),
    }};
  }});
}}"""

RUN_ALL = f"() => {{ window.jupyterapp.commands.execute('notebook:run-all-cells'); }}"

# Until every code cell has run (or one has failed: Run All stops there), with the kernel idle.
RUN_STATE = f"""() => {{
  const panel = {NOTEBOOK};
  const code = panel.content.widgets.filter((cell) => cell.model.type === 'code');
  const failed = code.findIndex((cell) => {{
    const outputs = cell.model.outputs;
    for (let k = 0; k < outputs.length; k++) if (outputs.get(k).type === 'error') return true;
    return false;
  }});
  const idle = panel.sessionContext.session.kernel.status === 'idle';
  const unrun = code.filter((cell) => cell.model.executionCount === null).length;
  return {{failed, idle, unrun, total: code.length}};
}}"""

ERRORS = f"""() => {{
  const found = [];
  {NOTEBOOK}.content.widgets.forEach((cell, index) => {{
    if (cell.model.type !== 'code') return;
    const outputs = cell.model.outputs;
    for (let k = 0; k < outputs.length; k++) {{
      const output = outputs.get(k).toJSON();
      if (output.output_type === 'error') {{
        found.push({{index, text: (output.traceback || []).join('\\n').replace(/\\u001b\\[[0-9;]*m/g, '').slice(0, 3000)}});
      }}
    }}
  }});
  return found;
}}"""

# Every image in the outputs, measured once its cell is scrolled into view.
IMAGES = f"""async () => {{
  const notebook = {NOTEBOOK}.content;
  const found = [];
  for (let i = 0; i < notebook.widgets.length; i++) {{
    const cell = notebook.widgets[i];
    if (cell.model.type !== 'code' || !cell.node.querySelector('img')) continue;
    await notebook.scrollToItem(i, 'center');
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)));
    cell.node.querySelectorAll('img.widget-image, div.animation img').forEach((img) => {{
      const box = img.getBoundingClientRect();
      found.push({{cell: i, kind: img.classList.contains('widget-image') ? 'explorer' : 'animation',
                   natural: [img.naturalWidth, img.naturalHeight], shown: [box.width, box.height],
                   attributes: [img.getAttribute('width'), img.getAttribute('height')]}});
    }});
  }}
  return found;
}}"""

# Run Python in the notebook's kernel (outside any cell) and return what it printed.
KERNEL_PRINT = f"""async (code) => {{
  const kernel = {NOTEBOOK}.sessionContext.session.kernel;
  const future = kernel.requestExecute({{code, silent: false, store_history: false}});
  let text = '';
  future.onIOPub = (message) => {{
    if (message.header.msg_type === 'stream') text += message.content.text;
    if (message.header.msg_type === 'error') text += 'ERROR ' + message.content.ename + ': ' + message.content.evalue;
  }};
  await future.done;
  return text;
}}"""

EXPLORER_VALUES = """
import gc as _gc, json as _json
from descent.explorers.base import Explorer as _Explorer
_moved = []
for _explorer in _gc.get_objects():
    if isinstance(_explorer, _Explorer) and _explorer._widget is not None:
        for _name, _value in _explorer.values.items():
            _given = _explorer._initial_values[_name]
            if _value != _given and not (isinstance(_value, float) and abs(_value - _given) <= 1e-9 * abs(_given)):
                _moved.append(f"{type(_explorer).__name__}.{_name}: given {_given!r}, now {_value!r}")
print(_json.dumps(_moved))
"""

# The slider handles of an explorer a reader can press: an explorer may hide the controls that do not apply to
# its current setting (display: none), and a hidden handle cannot take the focus.
VISIBLE_HANDLES = """const visibleHandles = (box) => Array.from(box.querySelectorAll('.noUi-handle')).filter(
    (handle) => handle.offsetParent !== null);"""

# Mark the explorers (the widget boxes holding an image) and their sliders, and watch their images.
MARK_EXPLORERS = f"""() => {{
  {VISIBLE_HANDLES}
  const boxes = Array.from({NOTEBOOK}.content.node.querySelectorAll('.widget-vbox')).filter(
      (box) => box.querySelector(':scope > img.widget-image'));
  window.__descent = {{explorers: boxes, t0: 0, redraw: null}};
  document.addEventListener('keydown', () => {{ window.__descent.t0 = performance.now(); window.__descent.redraw = null; }}, true);
  return boxes.map((box, index) => {{
    const img = box.querySelector(':scope > img.widget-image');
    new MutationObserver(() => {{
      if (window.__descent.redraw === null) window.__descent.redraw = performance.now() - window.__descent.t0;
    }}).observe(img, {{attributes: true, attributeFilter: ['src']}});
    const cell = box.closest('.jp-Cell');
    return {{index, sliders: visibleHandles(box).length,
             cell: {NOTEBOOK}.content.widgets.findIndex((w) => w.node === cell)}};
  }});
}}"""

FOCUS_SLIDER = f"""async ([explorer, slider]) => {{
  {VISIBLE_HANDLES}
  const handle = visibleHandles(window.__descent.explorers[explorer])[slider];
  handle.scrollIntoView({{block: 'center'}});
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)));
  handle.focus();
  const value = parseFloat(handle.getAttribute('aria-valuenow'));
  const low = parseFloat(handle.getAttribute('aria-valuemin')), high = parseFloat(handle.getAttribute('aria-valuemax'));
  const label = handle.closest('.widget-slider').querySelector('.widget-label');
  return {{atMax: value >= high - 1e-9 * Math.max(1, Math.abs(high)), atMin: value <= low + 1e-9 * Math.max(1, Math.abs(low)),
          label: label ? label.innerText : ''}};
}}"""


# Open the first solution of a markdown cell by clicking its title; return whether it opened, and its text.
OPEN_SOLUTION = f"""async (index) => {{
  const notebook = {NOTEBOOK}.content;
  await notebook.scrollToItem(index, 'start');
  await new Promise((done) => setTimeout(done, 200));
  const details = Array.from(notebook.widgets[index].node.querySelectorAll('.myst details')).find(
      (d) => (d.querySelector('summary') || d).innerText.trim().startsWith('Solution'));
  if (!details) return null;
  details.querySelector('summary').click();
  await new Promise((done) => setTimeout(done, 200));
  return {{open: details.open, text: details.innerText}};
}}"""
