r"""The :class:`~descent.explorers.base.Explorer` base class: sliders that redraw a figure.

An explorer is a figure plus a few ipywidgets controls. A subclass declares three things:

- ``make_controls()`` returns a dict ``name -> widget`` (use :func:`~descent.explorers.base.log_slider` for
  rates);
- ``setup()`` creates the axes and artists on ``self.fig`` once;
- ``update(**values)`` changes the artists' data (``set_data``, ``set_ydata``, ``set_text``) for the current
  control values. It never creates or removes axes, so a redraw stays fast.

Then::

    explorer = LearningRate2D()
    explorer                      # in a notebook: the sliders and the figure, live
    explorer.set(lr=0.3)          # set values and redraw synchronously (tests, benchmarks, animations)
    explorer.fig                  # the matplotlib figure

In a live notebook the figure is shown as an ``ipywidgets.Image`` that receives a fresh PNG after every change,
so it works with the default inline backend (no extra packages, no interactive backend). The redraw cost the
reader sees is therefore :meth:`~descent.explorers.base.Explorer.render`: update the artists, draw the canvas,
encode a PNG.

Slider values outside a control's range are clamped to it, exactly as the slider itself does.

Two details keep the live explorer true to what the kernel computes:

- A browser slider can only take the values of its grid (``min + k * step``) and sends back the value it
  snapped to. :func:`~descent.explorers.base.log_slider` therefore lays its grid through the initial value
  (and the explorer re-lays it through values given to the constructor), so the browser has nothing to round:
  an ``αλ`` of 0.1 stays 0.1 instead of coming back as 0.0994.
- The image is shown at its pixel size (never stretched to the width of the output area, which blurs it),
  shrinking only where the output area is narrower; and no explorer is wider than
  :attr:`~descent.explorers.base.Explorer.max_width_px` pixels, so that in JupyterLab in a 1440-pixel-wide
  window, file browser open, it is shown unscaled. A wider figure is drawn at a lower resolution instead.
"""

from __future__ import annotations

import io
import itertools
import math
from typing import Dict, Iterator, List

import ipywidgets as widgets
from matplotlib.layout_engine import PlaceHolderLayoutEngine
import numpy as np
from PIL import Image

from .. import _validation, plots

__all__ = ["Explorer", "log_slider", "int_slider", "float_slider"]


def _check_range(description: str, value, low, high) -> None:
    for name, number in (("value", value), ("min", low), ("max", high)):
        if isinstance(number, bool) or not isinstance(number, (int, float, np.integer, np.floating)):
            raise TypeError(f"{description!r} slider: {name} must be a number; got {number!r}")
        if not math.isfinite(number):
            raise ValueError(f"{description!r} slider: {name} must be finite; got {number!r}")
    if not low < high:
        raise ValueError(f"{description!r} slider: min must be < max; got min={low!r}, max={high!r}")
    if not low <= value <= high:
        raise ValueError(f"{description!r} slider: value must be in [min, max] = [{low}, {high}]; got {value!r}")


def _log_grid(value: float, low: float, high: float, steps: int) -> tuple:
    """``(min, step)``, in exponents, of a slider grid over ``[low, high]`` with ``log10(value)`` on it.

    A browser slider can only take the values ``min + k * step`` (and its maximum), so a value between two of
    them is rounded and the rounded value sent back to the kernel. The grid is laid through ``log10(value)``
    with the maximum ``high`` kept exactly: of the step sizes that give between ``steps`` and ``2 * steps``
    positions, the one whose lowest position comes closest to ``low`` (never below it, so the slider stays in
    its range) is used. A value closer to ``high`` than half a step has no such grid; then the grid runs from
    ``low`` through the value, and the last position before ``high`` is a shorter step.
    """
    exponent = math.log10(value)
    plain = (high - low) / steps
    if not low < exponent < high:  # at an end of the range: the plain grid has it
        return low, plain
    best = None
    for up in range(1, 2 * steps + 1):
        step = (high - exponent) / up
        down = math.floor((exponent - low) / step)
        while down > 0 and exponent - down * step < low:  # rounding: stay inside [low, high]
            down -= 1
        if not steps <= up + down <= 2 * steps:
            continue
        start = exponent - down * step
        if best is None or start < best[0]:
            best = (start, step)
    if best is None:
        best = (low, (exponent - low) / max(1, round((exponent - low) / plain)))
    return best


def log_slider(description: str, value: float, min: float, max: float, steps: int = 240,
               readout_format: str = ".3g") -> widgets.FloatLogSlider:
    """A slider whose position is logarithmic in its value (for learning rates and other scales).

    Its grid of positions passes exactly through ``value``, so the browser does not round the initial value;
    the lowest position is then ``min`` or just above it (by less than a step, usually far less), and the
    highest is ``max``.

    Parameters
    ----------
    description : str
        Label shown next to the slider (e.g. ``"α"``).
    value, min, max : float
        Initial value and range, with ``0 < min <= value <= max``.
    steps : int, default 240
        About how many positions between ``min`` and ``max`` (at most twice as many, to fit ``value``).
    readout_format : str, default ".3g"
    """
    _check_range(description, value, min, max)
    if min <= 0:
        raise ValueError(f"{description!r} slider: a log slider needs min > 0; got min={min!r}")
    steps = _validation.integer(f"{description!r} slider: steps", steps, 1)
    low, high = math.log10(min), math.log10(max)
    start, step = _log_grid(value, low, high, steps)
    return widgets.FloatLogSlider(
        value=value, base=10, min=start, max=high, step=step, description=description,
        readout_format=readout_format, continuous_update=True, style={"description_width": "initial"},
        layout=widgets.Layout(width="380px"),
    )


def _on_grid(slider: widgets.FloatLogSlider) -> bool:
    """Whether the slider's value is one of its positions (to rounding error)."""
    position = (math.log10(slider.value) - slider.min) / slider.step
    return abs(position - round(position)) < 1e-6


def _lay_grid_through_value(slider: widgets.FloatLogSlider) -> None:
    """Lay a log slider's grid through its current value, keeping its range and about its number of steps."""
    if _on_grid(slider):
        return
    steps = max(1, round((slider.max - slider.min) / slider.step))
    start, step = _log_grid(slider.value, slider.min, slider.max, steps)
    with slider.hold_trait_notifications():
        slider.step = step
        slider.min = start


def float_slider(description: str, value: float, min: float, max: float, step: float,
                 readout_format: str = ".3g") -> widgets.FloatSlider:
    """A linear slider for a real number in ``[min, max]``."""
    _check_range(description, value, min, max)
    return widgets.FloatSlider(
        value=value, min=min, max=max, step=step, description=description, readout_format=readout_format,
        continuous_update=True, style={"description_width": "initial"}, layout=widgets.Layout(width="380px"),
    )


def int_slider(description: str, value: int, min: int, max: int, step: int = 1) -> widgets.IntSlider:
    """A slider for an integer in ``[min, max]`` (a number of steps, a batch size, ...)."""
    _check_range(description, value, min, max)
    return widgets.IntSlider(
        value=value, min=min, max=max, step=step, description=description, continuous_update=True,
        style={"description_width": "initial"}, layout=widgets.Layout(width="380px"),
    )


def _positions(control, count: int) -> list:
    """``count`` values spread over a control's range, extremes included."""
    if isinstance(control, widgets.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, count))
    if isinstance(control, widgets.IntSlider):
        return sorted({int(round(v)) for v in np.linspace(control.min, control.max, count)})
    if isinstance(control, (widgets.FloatSlider,)):
        return list(np.linspace(control.min, control.max, count))
    options = getattr(control, "options", None)
    if options is not None:
        return [option[1] if isinstance(option, tuple) else option for option in options]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [False, True]
    return [control.value]


class Explorer:
    """Base class for the course's interactive figures.

    Subclasses set the class attributes ``width``/``height`` (inches) and ``ncols``, and implement
    ``make_controls``, ``setup`` and ``update`` (see the module docstring). Keyword arguments to the constructor
    set initial control values.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
        The figure (detached from pyplot: it is shown through the widget, or rendered by
        ``descent.animation``).
    controls : dict
        ``name -> ipywidgets`` control, in display order.
    """

    width: float = 10.0
    height: float = 3.6
    nrows: int = 1
    ncols: int = 2
    dpi: int = 90
    #: The widest image an explorer shows, in pixels. JupyterLab's output area is 1008 pixels wide in a
    #: 1440-pixel-wide window with the file browser open. A figure ``width`` inches wide is drawn at
    #: ``min(dpi, max_width_px // width)`` dots per inch.
    max_width_px: int = 1000

    def __init__(self, **values):
        self.controls: Dict[str, widgets.Widget] = dict(self.make_controls())
        self.fig, axes = plots.figure(self.nrows, self.ncols, width=self.width, height=self.height, managed=False)
        self.fig.set_dpi(self.screen_dpi)
        self.axes = np.atleast_1d(axes)
        self._image = None
        self._widget = None
        self._muted = False
        self._background = None
        self._background_size = None
        self.setup()
        self._set_values(values)
        for control in self.controls.values():
            if isinstance(control, widgets.FloatLogSlider):
                _lay_grid_through_value(control)
        # The values the explorer was made with (a test checks that showing it in a browser leaves them be).
        self._initial_values = dict(self.values)
        self._update()
        # Lay the figure out once; later redraws only change data, so the layout stays valid and is not
        # recomputed (constrained layout is the most expensive part of a draw).
        self.fig.canvas.draw()
        # A place-holder engine keeps the positions (``None`` would be replaced by the style's constrained
        # layout the next time the figure is saved).
        self.fig.set_layout_engine(PlaceHolderLayoutEngine(adjust_compatible=True, colorbar_gridspec=False))
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    # -- to implement -------------------------------------------------------------------------------------
    def make_controls(self) -> Dict[str, widgets.Widget]:
        """Return the controls, ``name -> widget``; names are the keyword names of ``update``."""
        raise NotImplementedError

    def setup(self) -> None:
        """Create the axes' static content and the artists that ``update`` will change."""
        raise NotImplementedError

    def update(self, **values) -> None:
        """Change the artists' data to show ``values`` (one value per control)."""
        raise NotImplementedError

    # -- public API ------------------------------------------------------------------------------------------
    @property
    def screen_dpi(self) -> int:
        """The resolution of the live image: :attr:`dpi`, lowered so the image is at most
        :attr:`max_width_px` pixels wide."""
        return int(min(self.dpi, self.max_width_px // self.width))

    @property
    def values(self) -> dict:
        """The current control values, ``name -> value``."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values) -> "Explorer":
        """Set control values and redraw now (values outside a slider's range are clamped to it).

        Raises
        ------
        ValueError
            For a name that is not one of the explorer's controls.
        """
        self._set_values(values)
        self.redraw()
        return self

    def redraw(self) -> None:
        """Update the artists for the current values and refresh the live image, if the explorer is shown."""
        self._update()
        if self._image is not None:
            self._image.value = self.png()

    def dynamic_artists(self) -> list:
        """The artists ``update`` changes. If a subclass lists them, redraws blit: the rest of the figure
        is drawn once and cached, and only these artists are drawn again. A subclass that changes anything
        else (contours, limits, a static text) must call :meth:`~descent.explorers.base.Explorer.invalidate`.
        The default, ``[]``, redraws the whole figure every time."""
        return []

    def invalidate(self) -> None:
        """Mark the cached background stale: the next :meth:`~descent.explorers.base.Explorer.png` draws it all."""
        self._background = None

    def png(self) -> bytes:
        """Draw the figure and return it as PNG bytes (what the live widget shows)."""
        canvas = self.fig.canvas
        artists = self.dynamic_artists()
        size = canvas.get_width_height(physical=True)
        if not artists:
            canvas.draw()
        else:
            if self._background is None or self._background_size != size:
                for artist in artists:
                    artist.set_animated(True)
                try:
                    canvas.draw()
                finally:
                    for artist in artists:
                        artist.set_animated(False)
                self._background = canvas.copy_from_bbox(self.fig.bbox)
                self._background_size = size
            else:
                canvas.restore_region(self._background)
            for artist in artists:
                if artist.get_visible():
                    artist.axes.draw_artist(artist)
        width, height = size
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        # A 256-colour palette: line art on white loses nothing visible, and the PNG is encoded faster and
        # is about three times smaller than in full colour.
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        buffer = io.BytesIO()
        palette.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def render(self, **values) -> bytes:
        """Set ``values``, redraw and return the PNG the reader would see: the full cost of one redraw."""
        self._set_values(values)
        self._update()
        return self.png()

    @property
    def widget(self) -> widgets.Widget:
        """The live widget: the controls above an image of the figure."""
        if self._widget is None:
            png = self.png()
            width, height = self.fig.canvas.get_width_height(physical=True)
            # At its pixel size: a column flex box (the VBox) would otherwise stretch the image to the width of the
            # output area. It shrinks, keeping its proportions, only where the area is narrower than the image.
            self._image = widgets.Image(value=png, format="png", width=width, height=height,
                                        layout=widgets.Layout(width=f"{width}px", max_width="100%", height="auto",
                                                              align_self="flex-start"))
            self._widget = widgets.VBox([widgets.HBox(list(self.controls.values()),
                                                      layout=widgets.Layout(flex_flow="row wrap")),
                                         self._image])
        return self._widget

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def positions(self, count: int = 5) -> Iterator[dict]:
        """Control settings that cover each control's range, extremes included.

        Yields every corner of the control box (each control at its minimum or maximum, at most 64 corners),
        then each control swept through ``count`` positions with the others at their current values. Tests
        and the benchmark drive explorers with these.
        """
        current = self.values
        names = list(self.controls)
        ends = [(_positions(self.controls[n], 2)[0], _positions(self.controls[n], 2)[-1]) for n in names]
        for corner in itertools.islice(itertools.product(*ends), 64):
            yield dict(zip(names, corner))
        for name in names:
            for value in _positions(self.controls[name], count):
                yield {**current, name: value}

    # -- plumbing --------------------------------------------------------------------------------------------
    def _set_values(self, values: dict) -> None:
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"{type(self).__name__} has no control(s) {unknown}; its controls are {list(self.controls)}")
        self._muted = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._muted = False

    def _update(self) -> None:
        with np.errstate(all="ignore"):
            self.update(**self.values)

    def _on_change(self, change) -> None:
        if not self._muted:
            self.redraw()

    def close(self) -> None:
        """Close the widgets (the figure is garbage-collected with the explorer)."""
        for control in self.controls.values():
            control.close()
        if self._widget is not None:
            self._image.close()
            self._widget.close()


def explorer_classes(module) -> List[type]:
    """The explorers a module offers: its ``EXPLORERS`` list, or else every Explorer subclass defined in it."""
    listed = getattr(module, "EXPLORERS", None)
    if listed is not None:
        return list(listed)
    return [
        value for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Explorer) and value is not Explorer
        and value.__module__ == module.__name__
    ]
