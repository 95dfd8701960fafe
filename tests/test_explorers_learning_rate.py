"""Chapter 1's explorers, driven in-process: every slider position draws a sensible picture without
exceptions or warnings, setting a slider changes the drawn data, and the live widget refreshes."""

import io
import warnings

import numpy as np
import pytest
from matplotlib.contour import ContourSet
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from descent.explorers import learning_rate
from descent.explorers.base import Explorer, explorer_classes, float_slider, int_slider, log_slider
from descent.explorers.learning_rate import EXPLORERS, LearningRate1D, LearningRate2D


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="module", params=EXPLORERS, ids=lambda cls: cls.__name__)
def explorer(request):
    return request.param()


def _drawn(explorer):
    """A snapshot of what the explorer's dynamic artists show: line data, texts, contour vertices."""
    snapshot = []
    for artist in explorer.dynamic_artists():
        if isinstance(artist, Line2D):
            snapshot.append(np.array(artist.get_xydata(), copy=True))
        elif isinstance(artist, Text):
            snapshot.append(artist.get_text())
        elif isinstance(artist, ContourSet):
            snapshot.append(np.concatenate([path.vertices for path in artist.get_paths() if len(path.vertices)]))
    return snapshot


def _same(a, b):
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if isinstance(x, str) or isinstance(y, str):
            if x != y:
                return False
        elif x.shape != y.shape or not np.allclose(x, y, equal_nan=True):
            return False
    return True


def test_every_position_including_extremes_draws_without_error_or_warning(explorer):
    count = 0
    for values in explorer.positions(count=5):
        png = explorer.render(**values)
        assert png.startswith(b"\x89PNG")
        assert explorer.values == pytest.approx(values) or explorer.values == values
        count += 1
    assert count >= 2 ** len(explorer.controls)


def test_changing_the_learning_rate_changes_the_path_the_loss_curve_and_the_marker(explorer):
    explorer.set(lr=0.1)
    path_before = explorer.path.line.get_xydata().copy()
    loss_before = explorer.loss.line.get_xydata().copy()
    marker_before = explorer.marker.get_xydata().copy()
    explorer.set(lr=0.6)
    assert not np.allclose(explorer.path.line.get_xydata()[: len(path_before)], path_before[: len(explorer.path.line.get_xydata())])
    assert not np.allclose(explorer.loss.line.get_ydata(), loss_before[:, 1])
    assert not np.allclose(explorer.marker.get_xydata(), marker_before)


def test_every_control_changes_what_is_drawn(explorer):
    defaults = type(explorer)().values
    for name, control in explorer.controls.items():
        low = control.base ** control.min if hasattr(control, "base") else control.min
        high = control.base ** control.max if hasattr(control, "base") else control.max
        before = _drawn(explorer.set(**{**defaults, name: low}))
        after = _drawn(explorer.set(**{**defaults, name: high}))
        assert not _same(before, after), f"moving {name} from its minimum to its maximum changed nothing"


def test_the_largest_rate_shows_divergence_clearly(explorer):
    explorer.set(lr=3.0, steps=explorer.controls["steps"].max)
    trajectory = explorer.trajectory
    assert trajectory.diverged
    assert f"diverged at step {trajectory.diverged_at}" in explorer.status.get_text()
    assert len(explorer.path.flag.get_xdata()) == 1 and len(explorer.loss.flag.get_xdata()) == 1
    (x0, x1), (y0, y1) = explorer.axes[0].get_xlim(), explorer.axes[0].get_ylim()
    x, y = explorer.path.line.get_xdata(), explorer.path.line.get_ydata()
    ok = np.isfinite(x)
    assert np.all((x[ok] >= x0 - 1e-9) & (x[ok] <= x1 + 1e-9) & (y[ok] >= y0 - 1e-9) & (y[ok] <= y1 + 1e-9))


def test_the_smallest_rate_creeps(explorer):
    explorer.set(lr=0.01)
    assert "creeps" in explorer.status.get_text()
    assert not explorer.trajectory.diverged


def test_a_rate_between_one_over_L_and_two_over_L_oscillates_but_converges(explorer):
    explorer.set(lr=1.5, steps=explorer.controls["steps"].max)
    assert "oscillates yet converges" in explorer.status.get_text()
    assert not explorer.trajectory.diverged


def test_the_fast_blitted_redraw_matches_a_full_draw(explorer):
    for values in [dict(lr=0.05), dict(lr=1.9), dict(lr=3.0)]:
        fast = np.asarray(Image.open(io.BytesIO(explorer.render(**values))).convert("RGB"), dtype=int)
        explorer.invalidate()
        full = np.asarray(Image.open(io.BytesIO(explorer.png())).convert("RGB"), dtype=int)
        differing = np.mean(np.abs(fast - full).sum(axis=-1) > 60)
        assert differing < 0.002, f"{differing:.2%} of pixels differ at {values}"


def test_set_refuses_unknown_controls_and_clamps_to_the_slider_range(explorer):
    with pytest.raises(ValueError, match="has no control"):
        explorer.set(learning_rate=0.1)
    explorer.set(lr=1e6)
    assert explorer.values["lr"] == pytest.approx(3.0)
    explorer.set(lr=1e-9)
    # the lowest position: within one step of 0.01 (the slider's grid passes through its default value)
    assert 0.01 <= explorer.values["lr"] <= 0.01 * 10 ** explorer.controls["lr"].step


def test_the_live_widget_refreshes_its_image_when_a_slider_moves():
    explorer = LearningRate1D()
    widget = explorer.widget
    image = widget.children[1]
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    first = image.value
    explorer.controls["lr"].value = 1.7  # as if dragged in the browser
    assert bytes(image.value) != bytes(first) and bytes(image.value).startswith(b"\x89PNG")
    second = image.value
    explorer.set(steps=5)
    assert bytes(image.value) != bytes(second)
    explorer.close()


def test_the_condition_number_slider_redraws_the_contours_and_the_rate_curve():
    explorer = LearningRate2D(kappa=10.0)
    contours_before = explorer.contour_set
    rate_before = explorer.rate.rate.get_ydata().copy()
    explorer.set(kappa=100.0)
    assert explorer.contour_set is not contours_before and contours_before.axes is None
    assert not np.allclose(explorer.rate.rate.get_ydata(), rate_before)
    assert explorer.objective.kappa == pytest.approx(100.0)


def test_initial_values_come_from_the_constructor():
    explorer = LearningRate2D(lr=0.2, kappa=4.0, steps=17)
    assert explorer.values == pytest.approx({"lr": 0.2, "kappa": 4.0, "steps": 17})
    assert len(explorer.trajectory.losses) == 18


def test_the_module_lists_its_explorers():
    assert explorer_classes(learning_rate) == [LearningRate1D, LearningRate2D]
    assert all(issubclass(cls, Explorer) for cls in EXPLORERS)


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: log_slider("α", 0.1, 0.0, 1.0), ValueError, "log slider needs min > 0"),
        (lambda: log_slider("α", 2.0, 0.1, 1.0), ValueError, r"value must be in \[min, max\]"),
        (lambda: log_slider("α", 0.5, 1.0, 0.1), ValueError, "min must be < max"),
        (lambda: log_slider("α", "fast", 0.1, 1.0), TypeError, "value must be a number"),
        (lambda: float_slider("β", 0.5, 0.0, np.inf, 0.1), ValueError, "max must be finite"),
        (lambda: int_slider("steps", 0, 1, 10), ValueError, "value must be in"),
    ],
)
def test_slider_helpers_refuse_bad_ranges(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_log_slider_is_logarithmic():
    slider = log_slider("α", 0.1, 1e-3, 10.0)
    assert slider.base == 10 and -3 <= slider.min < -3 + slider.step and slider.max == pytest.approx(1)
    slider.value = 100.0
    assert slider.value == pytest.approx(10.0)
