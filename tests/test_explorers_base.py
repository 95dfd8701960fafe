"""What every explorer owes the live notebook (descent.explorers.base): the browser has nothing to round in its
controls' values, and its image is shown at its pixel size, no wider than JupyterLab's output area.

tests/test_lab.py checks the same in JupyterLab itself; these tests need no browser.
"""

import base64
import importlib
import io
import math
import pkgutil
import re

import ipywidgets as widgets
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import descent.explorers
from descent import animation
from descent.explorers.base import Explorer, _log_grid, explorer_classes, float_slider, log_slider


def all_explorer_classes():
    classes = []
    for module in pkgutil.iter_modules(descent.explorers.__path__):
        if module.name != "base":
            classes += explorer_classes(importlib.import_module(f"descent.explorers.{module.name}"))
    return classes


EXPLORERS = all_explorer_classes()


def browser_value(control):
    """The value a browser's slider sends back for ``control`` (noUiSlider as ipywidgets sets it up): the
    position, ``log(value) / log(base)`` for a log slider, snapped to the nearest of ``min + k * step`` and
    kept within ``[min, max]``."""
    if isinstance(control, widgets.FloatLogSlider):
        position = math.log(control.value) / math.log(control.base)  # as the browser computes it
    else:
        position = control.value
    snapped = control.min + round((position - control.min) / control.step) * control.step
    snapped = min(max(snapped, control.min), control.max)
    return control.base ** snapped if isinstance(control, widgets.FloatLogSlider) else snapped


def sliders(explorer):
    return {name: control for name, control in explorer.controls.items()
            if isinstance(control, (widgets.FloatLogSlider, widgets.FloatSlider, widgets.IntSlider))}


_MADE = {}


def made(cls):
    """One explorer of each class with its defaults, shared by the tests (making one draws its figure)."""
    if cls not in _MADE:
        _MADE[cls] = cls()
    return _MADE[cls]


def test_there_are_explorers():
    assert len(EXPLORERS) >= 5, EXPLORERS


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda cls: cls.__name__)
def test_the_browser_has_nothing_to_round_in_the_default_values(cls):
    explorer = made(cls)
    for name, control in sliders(explorer).items():
        sent_back = browser_value(control)
        assert sent_back == pytest.approx(control.value, rel=1e-9, abs=1e-12), (
            f"{cls.__name__}.{name}: the browser would turn {control.value!r} into {sent_back!r}")


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda cls: cls.__name__)
def test_values_given_to_the_constructor_are_on_the_grid_too(cls):
    probe = made(cls)
    values = {}
    for name, control in sliders(probe).items():
        if isinstance(control, widgets.FloatLogSlider):
            low, high = control.base ** control.min, control.base ** control.max
            values[name] = float(np.sqrt(low * high) * 1.0123)  # off the default grid
    if not values:
        pytest.skip("no log slider")
    explorer = cls(**values)
    for name, value in values.items():
        control = explorer.controls[name]
        assert control.value == value
        assert browser_value(control) == pytest.approx(value, rel=1e-9), name


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda cls: cls.__name__)
def test_the_image_is_at_most_max_width_px_wide_and_shown_at_its_pixel_size(cls):
    explorer = made(cls)
    width, height = explorer.fig.canvas.get_width_height(physical=True)
    assert width <= Explorer.max_width_px, f"{cls.__name__} is {width} px wide"
    explorer.widget  # noqa: B018 - builds the live widget
    image = explorer._image
    assert Image.open(io.BytesIO(image.value)).size == (width, height)
    assert (image.width, image.height) == (str(width), str(height))
    # not stretched to the output area (a column flex box would), shrunk only where the area is narrower
    assert image.layout.width == f"{width}px" and image.layout.max_width == "100%"
    assert image.layout.height == "auto"


def test_a_wide_explorer_is_drawn_at_a_lower_resolution():
    class Wide(Explorer):
        width, height, ncols = 13.0, 3.0, 1

        def make_controls(self):
            return {"a": float_slider("a", 0.5, 0.0, 1.0, 0.01)}

        def setup(self):
            (self.line,) = self.axes[0].plot([0, 1], [0, 1])

        def update(self, a):
            self.line.set_ydata([0, a])

    wide = Wide()
    assert wide.screen_dpi == 1000 // 13 == 76
    assert wide.fig.canvas.get_width_height(physical=True)[0] == 988


@settings(max_examples=300, deadline=None)
@given(low=st.floats(-5, 1), span=st.floats(0.2, 6), where=st.floats(0, 1), steps=st.integers(10, 500))
def test_the_log_grid_passes_through_the_value_and_stays_in_the_range(low, span, where, steps):
    high = low + span
    value = 10 ** (low + where * span)
    exponent = math.log10(value)
    start, step = _log_grid(value, low, high, steps)
    assert low - 1e-12 <= start <= exponent + 1e-12
    assert (exponent - start) / step == pytest.approx(round((exponent - start) / step), abs=1e-6)
    count = (high - start) / step
    if count == pytest.approx(round(count), abs=1e-6):  # the usual case: max on the grid too
        assert steps <= round(count) <= 2 * steps
        assert start - low < step
    else:  # a value within half a step of max: the grid starts at min exactly
        assert start == low


def test_log_slider_keeps_its_value_and_max_exactly():
    slider = log_slider("αλ", 0.1, 0.01, 4.0)
    assert slider.value == 0.1 and slider.max == math.log10(4.0)
    assert 0.01 <= 10 ** slider.min < 0.01 * 10 ** slider.step
    assert browser_value(slider) == pytest.approx(0.1, rel=1e-12)
    with pytest.raises(ValueError, match="steps must be an integer >= 1"):
        log_slider("α", 0.1, 0.01, 1.0, steps=0)


def test_the_animation_image_has_the_size_of_its_frames():
    """matplotlib's player writes its <img> without a size; an image laid out before JavaScript gives it a
    source stays 0 x 0 in JupyterLab. descent.animation gives it its frames' pixel size."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 2))
    FigureCanvasAgg(fig)
    (line,) = fig.add_subplot().plot([0, 1], [0, 1])
    html = animation.animate(fig, lambda value: line.set_ydata([0, value]), [0.2, 0.8], dpi=50).data
    frame = re.search(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html).group(1)
    assert Image.open(io.BytesIO(base64.b64decode(frame))).size == (200, 100)
    (tag,) = re.findall(r'<img id="_anim_img\w+"[^>]*>', html)
    assert 'width="200" height="100"' in tag and "max-width: 100%; height: auto" in tag
    # and the first frame as its source, so that it shows even if the player's script ran while JupyterLab
    # had the cell out of the page
    assert f'src="data:image/png;base64,{frame}"' in tag
