"""descent.animation: kernel-free counterparts produce HTML with play controls within a size budget."""

import base64
import re
import warnings

import numpy as np
import pytest

from descent import animation, plots
from descent.explorers.learning_rate import LearningRate1D
from descent.models import Quadratic1D
from descent.optim import SGD
from descent.runner import run

PAGE_BUDGET = 2_000_000  # bytes: a whole page must stay under this
ANIMATION_BUDGET = 800_000  # bytes: one animation's share of a page


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(scope="module")
def explorer():
    return LearningRate1D()


def _frames(html):
    return re.findall(r"frames\[\d+\] = \"data:image/png;base64,", html)


def test_explorer_animation_has_play_controls_one_frame_per_value_and_stays_small(explorer):
    before = explorer.values
    values = np.geomspace(0.05, 2.5, 8)
    html = animation.explorer_animation(explorer, "lr", values, steps=20)
    text = html.data
    assert "anim-controls" in text and "Play" in text  # to_jshtml's player
    assert len(_frames(text)) == len(values)
    assert animation.html_size(html) == len(text.encode("utf-8"))
    assert animation.html_size(html) < ANIMATION_BUDGET
    assert explorer.values == before  # the explorer is left as it was


def test_the_player_needs_nothing_from_the_network_and_every_button_has_an_icon(explorer):
    text = animation.explorer_animation(explorer, "lr", [0.1, 0.5], steps=5).data
    assert "font-awesome" not in text.lower() and "<link" not in text      # no stylesheet from a CDN
    assert not re.search(r"https?://", text)                               # nothing else to fetch either
    assert 'class="fa ' not in text                                         # no icon-font glyphs left
    buttons = re.findall(r"<button\b.*?</button>", text, re.S)
    assert len(buttons) == 9
    for button in buttons:
        assert re.search(r'aria-label="[A-Z][a-z ]+"', button)                # still labelled for screen readers
        assert re.search(r"<svg\b[^>]*><(path|rect)\b", button)            # and drawn without a font
    # the play and play-backwards icons are mirror images, not the same drawing
    play = next(b for b in buttons if 'title="Play"' in b)
    backwards = next(b for b in buttons if 'title="Play backwards"' in b)
    assert re.search(r"<svg.*</svg>", play).group(0) != re.search(r"<svg.*</svg>", backwards).group(0)


def test_animate_calls_update_once_per_frame_in_order():
    objective = Quadratic1D()
    fig, ax = plots.figure(managed=False)
    handle = plots.loss_curves(ax, run(objective, SGD(lr=0.1), 10), ylim=(1e-16, 1e3))[0]
    seen = []

    def update(lr):
        seen.append(lr)
        handle.update(run(objective, SGD(lr=lr), 10))

    html = animation.animate(fig, update, [0.1, 0.5, 0.9], mode="loop")
    assert seen[-3:] == [0.1, 0.5, 0.9]
    assert len(_frames(html.data)) == 3
    assert 'checked' in html.data  # a playback mode radio button is preselected


def test_frames_are_recompressed_but_still_png(explorer):
    html = animation.explorer_animation(explorer, "lr", [0.1, 1.5], dpi=60)
    import base64
    import io

    from PIL import Image

    payload = re.search(r'frames\[0\] = "data:image/png;base64,([^"]+)"', html.data).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(re.sub(r"[\\\n]", "", payload))))
    assert image.format == "PNG"
    assert image.size == (round(explorer.width * 60), round(explorer.height * 60))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"values": []}, "at least one frame"),
        ({"values": list(range(animation.MAX_FRAMES + 1))}, "at most"),
        ({"values": [0.1], "mode": "bounce"}, "mode must be"),
        ({"values": [0.1], "dpi": 1000}, "dpi must be"),
        ({"values": [0.1], "interval": 0}, "interval must be"),
    ],
)
def test_animate_refuses_bad_arguments(explorer, kwargs, match):
    with pytest.raises(ValueError, match=match):
        animation.animate(explorer.fig, lambda value: None, **kwargs)


def test_explorer_animation_refuses_an_unknown_control(explorer):
    with pytest.raises(ValueError, match="has no control 'rate'"):
        animation.explorer_animation(explorer, "rate", [0.1])


def test_small_multiples_draws_one_panel_per_value_with_titles():
    objective = Quadratic1D()
    values = [0.1, 0.5, 1.5, 2.5]

    def draw(ax, lr):
        plots.curve_paths(ax, objective, run(objective, SGD(lr=lr), 20))

    fig, axes = animation.small_multiples(draw, values, ncols=2, titles=lambda lr: f"α = {lr}", managed=False)
    assert len(axes) == 4
    assert [ax.get_title() for ax in axes] == ["α = 0.1", "α = 0.5", "α = 1.5", "α = 2.5"]
    assert axes[1].get_ylabel() == "" and axes[0].get_ylabel() != ""
    fig, axes = animation.small_multiples(draw, values[:3], ncols=2, managed=False)
    assert len(axes) == 3 and not fig.axes[3].get_visible()
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72)
    assert len(buffer.getvalue()) < PAGE_BUDGET / 4
    with pytest.raises(ValueError, match="titles must have one entry per value"):
        animation.small_multiples(draw, values, titles=["a"], managed=False)
    with pytest.raises(ValueError, match="at least one panel"):
        animation.small_multiples(draw, [], managed=False)


def test_the_player_image_has_its_size_and_the_first_frame_as_its_source(explorer):
    """JupyterLab (Run All, cells off screen) could leave an <img> whose source only JavaScript sets without a
    box; the player's image therefore carries its first frame, and its size, in the HTML itself."""
    text = animation.explorer_animation(explorer, "lr", [0.1, 0.5, 1.0], steps=20).data
    (image,) = re.findall(r'<img id="_anim_img\w+"[^>]*>', text)
    first = re.search(r'frames\[0\] = "data:image/png;base64,([^"]*)"', text).group(1)
    source = re.search(r'src="data:image/png;base64,([^"]*)"', image).group(1)
    assert source == re.sub(r"[\\\n]", "", first)
    png = base64.b64decode(source)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert f'width="{width}"' in image and f'height="{height}"' in image and width > 100 and height > 100


def test_the_player_image_carries_the_alt_text_it_is_given(explorer):
    """A reader who cannot see the animation hears what it shows; quotes and angle brackets stay text."""
    described = 'The iterates hop from side to side as α passes 1 < 2 ("overshoot")'
    text = animation.explorer_animation(explorer, "lr", [0.1, 0.5], steps=5, alt=described).data
    (image,) = re.findall(r'<img id="_anim_img\w+"[^>]*>', text)
    alt = re.search(r' alt="([^"]*)"', image).group(1)
    assert alt == 'The iterates hop from side to side as α passes 1 &lt; 2 (&quot;overshoot&quot;)'
    plain = animation.explorer_animation(explorer, "lr", [0.1], steps=5).data
    assert " alt=" not in re.search(r'<img id="_anim_img\w+"[^>]*>', plain).group(0)
    with pytest.raises(TypeError, match="alt must be a string"):
        animation.animate(explorer.fig, lambda value: None, [0.1], alt=3)
