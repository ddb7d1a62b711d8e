"""helpers.preprocess: each step, its failures, properties found by hypothesis, and a round trip.

The round trip is the test that matters: all 10,000 MNIST test digits, pasted into a
bigger picture at a random size and place, come back through ``to_mnist`` and the
trained dense network still reads at least 96% of them.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers import preprocess
from helpers.preprocess import (
    centre_by_mass,
    centre_of_mass,
    crop_to_ink,
    fit_in_box,
    ink_on_dark,
    paste_at_random,
    paste_digit,
    rescale,
    to_grayscale,
    to_mnist,
)

ROUND_TRIP_MINIMUM = 0.96
# "Barely changes": after a 3x3 blur and allowing a 1-pixel shift (MNIST's whole-pixel
# centring can round either way), the mean difference between two results. For scale,
# 99% of 4,000 random pairs stay under 0.035; two different MNIST digits differ by 0.135
# (median), and only 1% of such pairs by less than 0.065.
SAME_DIGIT_TOLERANCE = 0.06


@functools.cache
def mnist_test_digits() -> tuple[np.ndarray, np.ndarray]:
    from helpers.data import load_mnist

    _, (x_test, y_test) = load_mnist()
    return x_test, y_test


def smooth(image: np.ndarray) -> np.ndarray:
    """A 3x3 box blur (same size, zero padding)."""
    padded = np.pad(image, 1)
    return sum(padded[r:r + image.shape[0], c:c + image.shape[1]] for r in range(3) for c in range(3)) / 9


def difference(first: np.ndarray, second: np.ndarray) -> float:
    """Mean absolute difference of the blurred images, at the best of the 9 shifts of up to 1 pixel."""
    first, second = smooth(first), smooth(second)
    return min(float(np.abs(np.roll(first, (dy, dx), axis=(0, 1)) - second).mean())
               for dy in (-1, 0, 1) for dx in (-1, 0, 1))


def assert_mnist_like(image: np.ndarray) -> None:
    assert image.shape == (28, 28)
    assert image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    assert image.max() == pytest.approx(1.0)  # the ink's strongest pixel is full brightness


# --- each step -----------------------------------------------------------------------------------

def test_to_grayscale_accepts_grey_rgb_and_rgba():
    grey = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert to_grayscale(grey).dtype == np.float64
    np.testing.assert_array_equal(to_grayscale(grey[:, :, np.newaxis]), grey)
    rgb = np.zeros((3, 4, 3), dtype=np.uint8)
    rgb[..., 1] = 100  # pure green: luma weight 0.587
    np.testing.assert_allclose(to_grayscale(rgb), 58.7)


def test_rgba_uses_a_varying_alpha_as_the_ink_and_ignores_a_constant_one():
    rgba = np.zeros((5, 5, 4), dtype=np.uint8)  # black ink on a transparent canvas
    rgba[2, 1:4, 3] = 255
    np.testing.assert_array_equal(to_grayscale(rgba), rgba[..., 3])
    opaque = np.full((5, 5, 4), 255, dtype=np.uint8)  # an opaque photo saved as RGBA
    opaque[2, 1:4, :3] = 0
    np.testing.assert_allclose(to_grayscale(opaque), to_grayscale(opaque[..., :3]))


@pytest.mark.parametrize(("bad", "words"), [
    (np.zeros(10), "shape (10,)"),
    (np.zeros((4, 4, 2)), "shape (4, 4, 2)"),
    (np.zeros((2, 4, 4, 3)), "shape"),
    (np.zeros((0, 5)), "empty"),
    (np.array([["a", "b"], ["c", "d"]]), "numbers"),
    (np.ones((3, 3), dtype=complex), "numbers"),
    (np.array([[0.0, np.nan], [1.0, 0.0]]), "NaN"),
    (np.array([[0.0, np.inf], [1.0, 0.0]]), "infinite"),
    (np.full((28, 28), 7.0), "blank"),
    (np.zeros((280, 280), dtype=np.uint8), "blank"),
    (np.full((10, 10, 4), 255, dtype=np.uint8), "blank"),
])
def test_bad_input_raises_a_plain_value_error(bad, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        to_mnist(bad)


def test_rescale_uses_the_images_own_range_even_a_huge_one():
    np.testing.assert_allclose(rescale(np.array([[-3.0, -1.0], [1.0, 5.0]])), [[0, 0.25], [0.5, 1]])
    np.testing.assert_allclose(rescale(np.array([[-1e308, 0.0], [1e308, 1e308]])), [[0, 0.5], [1, 1]])


def test_ink_on_dark_inverts_dark_ink_and_removes_grey_paper():
    paper = np.full((10, 10), 0.8)
    paper[3:7, 4] = 0.0  # dark ink
    ink = ink_on_dark(paper)
    assert ink[3:7, 4].min() == pytest.approx(1.0)
    assert ink[0].max() == 0.0  # the paper is black now
    bright_on_dark = np.zeros((10, 10))
    bright_on_dark[3:7, 4] = 1.0
    np.testing.assert_array_equal(ink_on_dark(bright_on_dark), bright_on_dark)


def test_crop_to_ink_keeps_the_bounding_box_of_pixels_above_the_threshold():
    image = np.zeros((10, 12))
    image[2, 3] = image[6, 8] = 1.0
    image[9, 0] = 0.05  # too faint to count
    assert crop_to_ink(image).shape == (5, 6)
    with pytest.raises(ValueError, match="blank"):
        crop_to_ink(np.full((4, 4), 0.05))


@pytest.mark.parametrize(("shape", "expected"), [((100, 50), (20, 10)), ((30, 90), (7, 20)),
                                                 ((5, 5), (20, 20)), ((200, 3), (20, 1))])
def test_fit_in_box_makes_the_longer_side_20_and_keeps_the_aspect_ratio(shape, expected):
    fitted = fit_in_box(np.ones(shape))
    assert fitted.shape == expected
    assert fitted.dtype == np.float32 and fitted.max() == pytest.approx(1.0) and fitted.min() >= 0


def test_centre_of_mass_and_centring():
    image = np.zeros((5, 5))
    image[1, 1], image[1, 3] = 1.0, 3.0
    assert centre_of_mass(image) == pytest.approx((1.0, 2.5))
    framed = centre_by_mass(np.ones((20, 10), dtype=np.float32))
    assert centre_of_mass(framed) == pytest.approx((14, 14), abs=0.5)  # whole-pixel shifts
    assert framed.sum() == pytest.approx(200)


def test_centring_never_pushes_ink_out_of_the_frame():
    heavy_foot = np.zeros((20, 20), dtype=np.float32)  # an L whose mass sits at the bottom edge
    heavy_foot[:, 0] = 0.1
    heavy_foot[19, :] = 1.0
    framed = centre_by_mass(heavy_foot)
    assert framed.sum() == pytest.approx(heavy_foot.sum())


def test_to_mnist_leaves_an_mnist_digit_almost_unchanged():
    x_test, _ = mnist_test_digits()
    prepared = np.array([to_mnist(image) for image in x_test[:200]])
    assert np.abs(prepared - x_test[:200] / 255.0).mean() < 0.002


def test_paste_digit_places_a_scaled_copy_and_stays_inside():
    digit = np.zeros((28, 28), dtype=np.uint8)
    digit[4:24, 10:18] = 255
    canvas = paste_digit(digit, scale=2.0, top=10, left=500, canvas_size=100)
    assert canvas.shape == (100, 100) and canvas.dtype == np.uint8
    assert canvas[:, :44].max() == 0  # clipped to the right edge: the 56-pixel copy starts at column 44
    pasted = paste_at_random(digit, np.random.default_rng(0))
    assert pasted.shape == (112, 112) and pasted.max() > 200


# --- properties (hypothesis) -------------------------------------------------------------------

any_dtype = st.sampled_from([np.uint8, np.int16, np.int32, np.int64, np.float16, np.float32, np.float64, np.bool_])


FLOAT_WIDTHS = {np.float16: 16, np.float32: 32, np.float64: 64}


@st.composite
def any_grey_image(draw) -> np.ndarray:
    """A 2-D array of any shape up to 48x48, any numeric dtype, any finite values (even +-1e308)."""
    dtype = draw(any_dtype)
    shape = draw(hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=48))
    elements = None  # integers and booleans: their whole range
    if dtype in FLOAT_WIDTHS:  # every finite value the dtype holds, up to its largest
        limit = float(np.finfo(dtype).max)
        elements = st.floats(-limit, limit, width=FLOAT_WIDTHS[dtype])
    return draw(hnp.arrays(dtype, shape, elements=elements))


@given(any_grey_image())
@settings(max_examples=300, deadline=None)
def test_any_grey_image_gives_28x28_float32_in_0_1_or_a_blank_error(image):
    if image.min() == image.max():
        with pytest.raises(ValueError, match="blank"):
            to_mnist(image)
    else:
        assert_mnist_like(to_mnist(image))


@given(hnp.arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([3, 4]))))
@settings(max_examples=150, deadline=None)
def test_any_colour_image_gives_28x28_float32_in_0_1_or_a_blank_error(image):
    try:
        result = to_mnist(image)
    except ValueError as error:
        assert "blank" in str(error)
        assert to_grayscale(image).min() == to_grayscale(image).max()
    else:
        assert_mnist_like(result)


@st.composite
def mnist_digit_in_a_picture(draw) -> tuple[np.ndarray, int]:
    """An MNIST test digit, pasted at a random size and place, in a random dtype, range and polarity."""
    x_test, _ = mnist_test_digits()
    index = draw(st.integers(0, len(x_test) - 1))
    scale = draw(st.floats(0.75, 4.0))
    canvas = draw(st.integers(int(np.ceil(28 * scale)), 130))
    top, left = draw(st.integers(0, canvas)), draw(st.integers(0, canvas))
    picture = paste_digit(x_test[index], scale=scale, top=top, left=left, canvas_size=canvas).astype(np.float64)
    if draw(st.booleans()):
        picture = 255 - picture  # dark ink on white paper
    gain, offset = draw(st.sampled_from([(1, 0), (1 / 255, 0), (-2.0, 1000.0), (1e6, -3e6)]))
    return (picture * gain + offset).astype(draw(st.sampled_from([np.float32, np.float64]))), index


@given(mnist_digit_in_a_picture())
@settings(max_examples=150, deadline=None)
def test_the_centre_of_mass_lands_within_1_pixel_of_the_centre(picture_and_index):
    picture, _ = picture_and_index
    row, column = centre_of_mass(to_mnist(picture))
    assert abs(row - 14) <= 1 and abs(column - 14) <= 1


def test_the_centre_of_mass_lands_within_1_pixel_for_every_mnist_test_digit():
    x_test, _ = mnist_test_digits()
    centres = np.array([centre_of_mass(to_mnist(image)) for image in x_test])
    assert np.abs(centres - 14).max() <= 1


@given(index=st.integers(0, 9999), scale=st.floats(1.0, 3.0), first=st.tuples(st.integers(0, 40), st.integers(0, 40)),
       second=st.tuples(st.integers(0, 40), st.integers(0, 40)))
@settings(max_examples=100, deadline=None)
def test_shifting_the_digit_changes_nothing(index, scale, first, second):
    digit = mnist_test_digits()[0][index]
    here = paste_digit(digit, scale=scale, top=first[0], left=first[1], canvas_size=130)
    there = paste_digit(digit, scale=scale, top=second[0], left=second[1], canvas_size=130)
    np.testing.assert_allclose(to_mnist(here), to_mnist(there), atol=1e-6)


@given(mnist_digit_in_a_picture())
@settings(max_examples=100, deadline=None)
def test_inverting_the_picture_changes_nothing(picture_and_index):
    picture, _ = picture_and_index
    inverted = picture.max() + picture.min() - picture.astype(np.float64)
    np.testing.assert_allclose(to_mnist(picture), to_mnist(inverted), atol=1e-5)


@given(index=st.integers(0, 9999), scales=st.tuples(st.floats(1.0, 4.0), st.floats(1.0, 4.0)))
@settings(max_examples=150, deadline=None, derandomize=True)
def test_scaling_the_digit_barely_changes_the_result(index, scales):
    digit = mnist_test_digits()[0][index]
    small, large = (to_mnist(paste_digit(digit, scale=s, top=0, left=0, canvas_size=112)) for s in scales)
    assert difference(small, large) <= SAME_DIGIT_TOLERANCE


@given(index=st.integers(0, 9999), gain=st.floats(1e-3, 1e3), offset=st.floats(-1e3, 1e3),
       dtype=st.sampled_from([np.float32, np.float64]), integer_gain=st.integers(1, 10**6))
@settings(max_examples=100, deadline=None)
def test_dtype_and_value_range_do_not_matter(index, gain, offset, dtype, integer_gain):
    digit = mnist_test_digits()[0][index]
    reference = to_mnist(digit)
    assert difference(reference, to_mnist((digit * gain + offset).astype(dtype))) <= 0.01
    assert difference(reference, to_mnist(digit.astype(np.int64) * integer_gain - 5)) <= 0.01


# --- the round trip on real data ------------------------------------------------------------------

@pytest.mark.slow
def test_round_trip_every_mnist_test_digit_moved_and_rescaled_is_still_read(capsys):
    from helpers.model import load_or_train

    x_test, y_test = mnist_test_digits()
    rng = np.random.default_rng(2024)
    prepared = np.array([to_mnist(paste_at_random(digit, rng)) for digit in x_test])
    model = load_or_train()
    predictions = np.asarray(model(prepared, training=False)).argmax(axis=1)
    accuracy = float(np.mean(predictions == y_test))
    with capsys.disabled():
        print(f"\nround trip: {accuracy:.2%} of the 10,000 moved and rescaled MNIST test digits read correctly")
    assert accuracy >= ROUND_TRIP_MINIMUM


def test_the_module_documents_its_steps_in_order():
    steps = ["to_grayscale", "rescale", "ink_on_dark", "crop_to_ink", "fit_in_box", "centre_by_mass"]
    positions = [preprocess.__doc__.index(name) for name in steps]
    assert positions == sorted(positions)


# --- the figures notebook 07 draws with these steps (helpers.plots) -----------------------------

def test_plot_preparation_steps_shows_each_step_at_its_size_with_marked_centres():
    from helpers.plots import plot_preparation_steps

    digit = np.zeros((40, 30))
    digit[5:35, 10:14] = 1.0
    steps = {"drawing": digit, "centred": to_mnist(digit)}
    figure = plot_preparation_steps(steps, centres_of_mass={"centred": centre_of_mass(steps["centred"])})
    first, second = figure.axes
    assert first.get_title() == "drawing\n40 x 30 pixels" and second.get_title() == "centred\n28 x 28 pixels"
    assert not first.lines  # no marks where none were asked for
    assert [line.get_marker() for line in second.lines] == ["X", "+"]  # two shapes, not colour alone
    assert second.lines[1].get_xydata().tolist() == [[14.0, 14.0]]
    assert [text.get_text() for text in figure.legends[0].get_texts()] == ["centre of mass", "centre of the frame"]


def test_plot_accuracy_comparison_labels_every_bar_in_percent_first_on_top():
    from helpers.plots import plot_accuracy_comparison

    figure = plot_accuracy_comparison({"original": 0.9774, "plain resize": 0.244, "to_mnist": 0.9737})
    ax = figure.axes[0]
    assert [label.get_text() for label in ax.get_yticklabels()] == ["to_mnist", "plain resize", "original"]
    assert sorted(text.get_text() for text in ax.texts) == ["24.4%", "97.4%", "97.7%"]
    assert "accuracy" in ax.get_xlabel()
