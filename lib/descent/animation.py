r"""Static counterparts of explorers, for the published site where no kernel runs.

Two ways to show what moving a slider does without a kernel:

- :func:`explorer_animation` (or the general :func:`animate`): a sweep over one slider rendered as frames with
  ``matplotlib.animation`` and embedded with ``to_jshtml``, which gives play / pause / step controls and a
  frame slider in plain HTML and JavaScript;
- :func:`small_multiples`: one small panel per value, side by side.

The player's buttons are drawn with small inline SVG icons: matplotlib's player links the Font Awesome icon
font from a CDN, which a notebook opened offline cannot fetch (its buttons would be blank), so the link is
removed and every icon is replaced by an equivalent drawing that needs nothing from the network.

Animations embed one PNG per frame, so keep frames few (about 8 to 16) and the resolution modest (the default
72 dpi): a page must stay under 2 MB. :func:`html_size` reports the size of the HTML to check that.
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from html import escape as html_escape
from typing import Callable, Optional, Sequence

import matplotlib as mpl
import numpy as np
from IPython.display import HTML
from matplotlib.animation import FuncAnimation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from PIL import Image

from . import _validation as check
from . import plots

__all__ = ["animate", "explorer_animation", "small_multiples", "html_size", "MAX_FRAMES"]

#: The most frames an animation may have (each frame is a PNG embedded in the page).
MAX_FRAMES = 40


def _check_frames(values) -> list:
    values = list(values)
    if not values:
        raise ValueError("values must contain at least one frame value")
    if len(values) > MAX_FRAMES:
        raise ValueError(f"values has {len(values)} frames; at most {MAX_FRAMES} keep the page small")
    return values


def animate(fig, update: Callable, values: Sequence, interval: int = 600, dpi: int = 72,
            mode: str = "once", alt: Optional[str] = None) -> HTML:
    """Render ``update(value)`` for each value as a frame of an HTML animation with play controls.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure that ``update`` changes.
    update : callable
        ``update(value)`` redraws ``fig`` for one frame.
    values : sequence
        One value per frame (at most :data:`MAX_FRAMES`).
    interval : int, default 600
        Milliseconds between frames when playing.
    dpi : int, default 72
        Resolution of the embedded frames.
    mode : {"once", "loop", "reflect"}, default "once"
        What the player does at the last frame.
    alt : str, optional
        The player image's alt text: what the animation shows, for a reader who cannot see it. A chapter
        gives one (the site's tests require it); the caption goes in the cell's ``mystnb.figure`` metadata.

    Returns
    -------
    IPython.display.HTML
        Displays as the animation in a notebook and on the site; its ``.data`` is the HTML string.
    """
    values = _check_frames(values)
    check.choice("mode", mode, ("once", "loop", "reflect"))
    dpi = check.integer("dpi", dpi, 20, 200)
    interval = check.integer("interval", interval, 1, hint=" (milliseconds)")
    if alt is not None and not isinstance(alt, str):
        raise TypeError(f"alt must be a string describing the animation, got {type(alt).__name__}")

    def frame(value):
        with np.errstate(all="ignore"):
            update(value)
        return []

    animation = FuncAnimation(fig, frame, frames=values, interval=interval, repeat=False, init_func=lambda: [],
                              cache_frame_data=False)
    original_dpi = fig.get_dpi()
    fig.set_dpi(dpi)  # draw and save at one resolution, so text layout caches are reused between frames
    # Saving draws every frame itself; the extra on-screen redraw FuncAnimation asks for is not needed.
    fig.canvas.draw_idle = lambda *args, **kwargs: None
    try:
        with mpl.rc_context({"savefig.dpi": "figure", "animation.frame_format": "png"}):
            html = animation.to_jshtml(default_mode=mode)
    finally:
        del fig.canvas.draw_idle
        fig.set_dpi(original_dpi)
    return HTML(_sized_image(_offline_buttons(_compress_frames(html)), alt=alt))


_CDN_STYLESHEET = re.compile(r"<link\b[^>]*href=[\"']https?://[^\"']*font-awesome[^\"']*[\"'][^>]*>\s*", re.I)
_ICON = re.compile(r'<i class="fa ([^"]*)"></i>')


def _svg(shapes: str) -> str:
    return (f'<svg viewBox="0 0 16 16" width="13" height="13" fill="currentColor" aria-hidden="true" '
            f'style="vertical-align: middle">{shapes}</svg>')


#: SVG icons for the player's buttons, by their Font Awesome 4 class names.
_ICONS = {
    "fa-minus": _svg('<rect x="2" y="7" width="12" height="2"/>'),
    "fa-plus": _svg('<rect x="2" y="7" width="12" height="2"/><rect x="7" y="2" width="2" height="12"/>'),
    "fa-fast-backward": _svg('<rect x="1" y="2" width="2" height="12"/><path d="M9 2L3 8l6 6zM15 2L9 8l6 6z"/>'),
    "fa-step-backward": _svg('<rect x="3" y="2" width="2.5" height="12"/><path d="M13 2L5.5 8l7.5 6z"/>'),
    "fa-play fa-flip-horizontal": _svg('<path d="M12 2L3 8l9 6z"/>'),
    "fa-pause": _svg('<rect x="3.5" y="2" width="3" height="12"/><rect x="9.5" y="2" width="3" height="12"/>'),
    "fa-play": _svg('<path d="M4 2l9 6-9 6z"/>'),
    "fa-step-forward": _svg('<path d="M3 2l7.5 6L3 14z"/><rect x="10.5" y="2" width="2.5" height="12"/>'),
    "fa-fast-forward": _svg('<path d="M1 2l6 6-6 6zM7 2l6 6-6 6z"/><rect x="13" y="2" width="2" height="12"/>'),
}


def _offline_buttons(html: str) -> str:
    """Remove the player's link to Font Awesome on a CDN and draw its button icons as inline SVG."""
    html = _CDN_STYLESHEET.sub("", html)
    return _ICON.sub(lambda match: _ICONS.get(match.group(1), match.group(0)), html)


_FRAME = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)")  # lines end in a backslash


def _compress_frames(html: str) -> str:
    """Re-encode each embedded PNG frame with a 256-colour palette (line art loses nothing visible; the page
    gets several times smaller)."""

    def shrink(match):
        data = base64.b64decode(re.sub(r"[\\\n]", "", match.group(1)))
        image = Image.open(io.BytesIO(data)).convert("RGB")
        buffer = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(buffer, format="png")
        smaller = buffer.getvalue() if len(buffer.getvalue()) < len(data) else data
        return "data:image/png;base64," + base64.b64encode(smaller).decode("ascii")

    return _FRAME.sub(shrink, html)


_PLAYER_IMAGE = re.compile(r'<img id="(_anim_img\w+)"(?=[\s>])')


def _sized_image(html: str, alt: Optional[str] = None) -> str:
    """Give the player's ``<img>`` the pixel size of its frames (``width``/``height``, proportions kept when
    it has to shrink).

    matplotlib's player writes ``<img>`` without a size and sets its source from JavaScript. JupyterLab lays
    out a notebook's outputs lazily, and an image without a size that is laid out before its source is set
    stays 0 x 0 until the reader clicks a button (which then misses, as the layout jumps). With its size the
    image has its place from the start, in JupyterLab and on the site alike. It also gets the first frame as
    its source in the HTML itself: JupyterLab keeps only the cells near the screen in the page, and a player
    whose script ran while its cell was away stayed 0 x 0 although it had its size (a chapter's animation
    far from the end of the notebook, measured by tests/test_lab.py). ``alt``, when given, becomes its alt text.
    """
    frame = _FRAME.search(html)
    if frame is None:
        return html
    header = base64.b64decode(re.sub(r"[\\\n]", "", frame.group(1))[:44])  # the PNG signature and IHDR chunk
    if header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        return html
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    first = "data:image/png;base64," + re.sub(r"[\\\n]", "", frame.group(1))
    described = f' alt="{html_escape(alt, quote=True)}"' if alt else ""
    return _PLAYER_IMAGE.sub(
        lambda match: (f'<img id="{match.group(1)}" width="{width}" height="{height}" src="{first}"{described} '
                       f'style="max-width: 100%; height: auto"'), html, count=1)


def explorer_animation(explorer, name: str, values: Sequence, interval: int = 600, dpi: int = 72,
                       mode: str = "once", alt: Optional[str] = None, **fixed) -> HTML:
    """Animate an explorer as its control ``name`` takes each of ``values``.

    The explorer's other controls are set from ``fixed`` first; afterwards all controls are restored. Each frame
    is the picture the live explorer shows for that value, rendered with its fast redraw
    (:meth:`descent.explorers.base.Explorer.render`); the frames are then played by :func:`animate`, so the
    result has the same ``to_jshtml`` controls.

    Parameters
    ----------
    explorer : descent.explorers.base.Explorer
    name : str
        The control to sweep.
    values : sequence
        Its value in each frame.
    interval, dpi, mode, alt
        As in :func:`animate`.
    **fixed
        Values for other controls during the animation.

    Returns
    -------
    IPython.display.HTML
    """
    if name not in explorer.controls:
        raise ValueError(f"{type(explorer).__name__} has no control {name!r}; its controls are {list(explorer.controls)}")
    values = _check_frames(values)
    dpi = check.integer("dpi", dpi, 20, 200)
    before = explorer.values
    original_dpi = explorer.fig.get_dpi()
    # The frames move the explorer's controls. Held, the controls send the browser only their final (restored)
    # values: a frame's value off a linear slider's grid would otherwise come back from the browser snapped to
    # the grid, after the restore (ScaleDrop's gamma 0.95 returned as 0.9500000000000001 in JupyterLab).
    with contextlib.ExitStack() as held:
        for control in explorer.controls.values():
            held.enter_context(control.hold_sync())
        try:
            explorer.set(**fixed)
            explorer.fig.set_dpi(dpi)
            frames = [np.asarray(Image.open(io.BytesIO(explorer.render(**{name: value}))).convert("RGB"))
                      for value in values]
        finally:
            explorer.fig.set_dpi(original_dpi)
            explorer.set(**before)
    return _play(frames, dpi=dpi, interval=interval, mode=mode, alt=alt)


def _play(frames: list, dpi: int, interval: int, mode: str, alt: Optional[str] = None) -> HTML:
    """Play pre-rendered RGB frames (arrays of equal shape) with :func:`animate`, pixel for pixel."""
    height, width = frames[0].shape[:2]
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi,
                 layout=PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=False))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    image = ax.imshow(frames[0], interpolation="none", aspect="auto")
    return animate(fig, lambda frame: image.set_data(frame), frames, interval=interval, dpi=dpi, mode=mode,
                   alt=alt)


def small_multiples(draw: Callable, values: Sequence, ncols: Optional[int] = None, titles=None,
                    panel_width: float = 2.7, panel_height: float = 2.5, sharex: bool = True,
                    sharey: bool = True, managed: bool = True, **subplot_kw):
    """One small panel per value: ``draw(ax, value)`` fills each.

    Parameters
    ----------
    draw : callable
        ``draw(ax, value)`` draws one panel.
    values : sequence
        One value per panel.
    ncols : int, optional
        Panels per row; all in one row by default (up to 5 per row).
    titles : sequence of str or callable, optional
        Panel titles, or a function ``value -> title``.
    panel_width, panel_height : float
        Size of one panel in inches.
    sharex, sharey : bool, default True
        Share axes between panels (only the outer panels keep tick labels).
    managed : bool, default True
        As in :func:`descent.plots.figure`.

    Returns
    -------
    fig, axes
        ``axes`` is a flat array with one Axes per value.
    """
    values = list(values)
    if not values:
        raise ValueError("values must contain at least one panel value")
    if ncols is None:
        ncols = min(len(values), 5)
    ncols = check.integer("ncols", ncols, 1)
    nrows = -(-len(values) // ncols)
    plots.use_style()
    fig, axes = plots.figure(nrows, ncols, width=panel_width * ncols, height=panel_height * nrows,
                             managed=managed, **subplot_kw)
    axes = np.atleast_1d(axes).reshape(-1)
    if sharex or sharey:
        for ax in axes[1:]:
            if sharex:
                ax.sharex(axes[0])
            if sharey:
                ax.sharey(axes[0])
    if titles is not None and not callable(titles) and len(titles) != len(values):
        raise ValueError(f"titles must have one entry per value ({len(values)}); got {len(titles)}")
    for i, (ax, value) in enumerate(zip(axes, values)):
        with np.errstate(all="ignore"):
            draw(ax, value)
        if titles is not None:
            ax.set_title(titles(value) if callable(titles) else titles[i])
        row, col = divmod(i, ncols)
        if sharey and col > 0:
            ax.set_ylabel("")
            ax.tick_params(labelleft=False)
        if sharex and row < nrows - 1 and i + ncols < len(values):
            ax.set_xlabel("")
            ax.tick_params(labelbottom=False)
    for ax in axes[len(values):]:
        ax.set_visible(False)
    return fig, axes[: len(values)]


def html_size(html) -> int:
    """Size in bytes of an animation's HTML (an ``IPython.display.HTML`` or a string), as UTF-8."""
    text = html.data if hasattr(html, "data") else str(html)
    return len(text.encode("utf-8"))
