"""helpers.widgets: the drawing canvas' Python side, tested without a browser.

The browser only sends ``pixels`` and draws what comes back, so setting ``pixels`` here
(directly, or through ipywidgets' own deserialisation as the front end does) exercises
everything but the drawing itself; tests/test_browser.py draws in a real browser.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import traitlets

from helpers.widgets import (
    CANVAS_SIZE,
    EXAMPLE_STROKES_PATH,
    SITE_EXAMPLES_PATH,
    STROKE_WIDTH,
    DigitCanvas,
    example_digits,
    load_example_strokes,
    probabilities_of,
    render_strokes,
)

SEVEN = [[(80, 60), (200, 60), (120, 240)]]


class FakeModel:
    """Answers "3, 80% sure" and remembers what it was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[np.ndarray, dict]] = []

    def __call__(self, batch: np.ndarray, **kwargs: object) -> np.ndarray:
        self.calls.append((batch, kwargs))
        probabilities = np.full((1, 10), 0.2 / 9)
        probabilities[0, 3] = 0.8
        return probabilities


@pytest.fixture
def fake_model() -> FakeModel:
    return FakeModel()


@pytest.fixture(scope="module")
def trained_model():
    from helpers.model import load_or_train

    return load_or_train()


def test_render_strokes_draws_anti_aliased_round_ink():
    drawing = render_strokes(SEVEN)
    assert drawing.shape == (CANVAS_SIZE, CANVAS_SIZE) and drawing.dtype == np.uint8
    assert drawing[60, 140] == 255 and drawing[0, 0] == 0  # on the top bar, and far from it
    assert ((drawing > 0) & (drawing < 255)).any()  # grey edge pixels, as a browser draws them
    assert drawing[60, 80 - STROKE_WIDTH // 2 + 2] == 255  # the round cap reaches past the end point
    dot = render_strokes([[(140, 140)]])
    assert dot[140, 140] == 255 and (dot > 127).sum() == pytest.approx(np.pi * (STROKE_WIDTH / 2) ** 2, rel=0.1)
    assert render_strokes(SEVEN, width=40).sum() > drawing.sum()
    assert render_strokes([]).max() == 0


def test_the_stored_examples_hold_one_drawing_of_each_digit_inside_the_canvas():
    examples = load_example_strokes()
    assert sorted(examples) == [str(digit) for digit in range(10)]
    assert json.loads(EXAMPLE_STROKES_PATH.read_text())["canvas_size"] == CANVAS_SIZE
    points = np.array([point for strokes in examples.values() for stroke in strokes for point in stroke])
    assert points.min() >= 0 and points.max() < CANVAS_SIZE


def test_probabilities_of_calls_the_model_directly_on_one_image(fake_model):
    probabilities = probabilities_of(fake_model, np.zeros((28, 28), dtype=np.float64))
    batch, kwargs = fake_model.calls[0]
    assert batch.shape == (1, 28, 28) and batch.dtype == np.float32
    assert kwargs == {"training": False}
    assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1.0)


def test_a_stroke_is_prepared_classified_and_sent_back(fake_model):
    canvas = DigitCanvas(fake_model)
    assert canvas.prediction == -1 and canvas.message == "Draw a digit from 0 to 9."
    message = canvas.draw_strokes(SEVEN)
    assert message == canvas.message == "Prediction: 3 (80.0% sure)"
    assert canvas.prediction == 3 and canvas.confidence == pytest.approx(0.8)
    assert len(canvas.probabilities) == 10 and sum(canvas.probabilities) == pytest.approx(1.0)
    assert canvas.image.shape == (28, 28) and canvas.image.dtype == np.float32
    shown = np.frombuffer(canvas.mnist_pixels, dtype=np.uint8).reshape(28, 28)
    np.testing.assert_array_equal(shown, np.round(canvas.image * 255))
    np.testing.assert_array_equal(canvas.drawing, render_strokes(SEVEN))
    assert len(fake_model.calls) == 1


def test_pixels_from_the_browser_arrive_as_a_binary_buffer(fake_model):
    canvas = DigitCanvas(fake_model)
    canvas.set_state({"pixels": memoryview(render_strokes(SEVEN).tobytes())})  # what ipywidgets hands over
    assert canvas.prediction == 3
    canvas.set_state({"pixels": memoryview(b"")})  # the Clear button
    assert canvas.prediction == -1


def test_clear_and_a_blank_canvas_reset_the_answer(fake_model):
    canvas = DigitCanvas(fake_model)
    canvas.draw_strokes(SEVEN)
    assert canvas.clear() == "Draw a digit from 0 to 9."
    assert (canvas.prediction, canvas.probabilities, canvas.mnist_pixels, canvas.image) == (-1, [], b"", None)
    assert canvas.drawing.shape == (CANVAS_SIZE, CANVAS_SIZE) and canvas.drawing.max() == 0
    canvas.pixels = bytes(CANVAS_SIZE * CANVAS_SIZE)  # every pixel empty: blank, not an error
    assert canvas.prediction == -1 and "Draw a digit" in canvas.message


def test_pixels_of_the_wrong_size_are_refused(fake_model):
    canvas = DigitCanvas(fake_model)
    with pytest.raises(traitlets.TraitError, match="78400 bytes"):
        canvas.pixels = bytes(100)
    small = DigitCanvas(fake_model, size=56)
    small_seven = [[(x / 5, y / 5) for x, y in stroke] for stroke in SEVEN]
    small.pixels = render_strokes(small_seven, size=56, width=6).tobytes()
    assert small.prediction == 3


def test_the_front_end_is_offline_plain_javascript_and_its_state_syncs(fake_model):
    canvas = DigitCanvas(fake_model)
    state = canvas.get_state()
    assert "export default" in state["_esm"] and "http" not in state["_esm"]  # nothing from the internet
    assert ".mnist-pad" in state["_css"]
    assert state["size"] == CANVAS_SIZE and state["stroke_width"] == STROKE_WIDTH
    assert repr(canvas).startswith("DigitCanvas(280x280 pixels")


def test_the_canvas_offers_the_first_test_image_of_each_digit_and_the_site_ships_the_same():
    from helpers.data import load_mnist

    _, (x_test, y_test) = load_mnist()
    digits = np.frombuffer(example_digits(), dtype=np.uint8).reshape(10, 28, 28)
    for digit in range(10):
        first = int(np.flatnonzero(y_test == digit)[0])
        np.testing.assert_array_equal(digits[digit], x_test[first])
    assert SITE_EXAMPLES_PATH.read_bytes() == example_digits(), "site/canvas/test-digits.bin is stale"
    assert DigitCanvas(FakeModel()).get_state()["examples"] == example_digits()


@pytest.mark.slow
def test_the_trained_model_reads_every_stored_example(trained_model):
    canvas = DigitCanvas(trained_model)
    for digit, strokes in load_example_strokes().items():
        canvas.draw_strokes(strokes)
        assert canvas.prediction == int(digit), f"the stored {digit} was read as {canvas.message}"
        assert canvas.message.startswith(f"Prediction: {digit} (")


@pytest.mark.slow
def test_the_dense_network_travels_to_the_browser_as_float32_bytes(trained_model, fake_model):
    from helpers.weights import decode_network

    canvas = DigitCanvas(trained_model)
    assert canvas.runs_in_browser and canvas.get_state()["network"] == canvas.network
    (hidden_weights, _), (output_weights, output_biases) = decode_network(canvas.network)
    np.testing.assert_array_equal(hidden_weights, trained_model.layers[1].get_weights()[0])
    np.testing.assert_array_equal(output_biases, trained_model.layers[2].get_weights()[1])
    canvas.draw_strokes(SEVEN)  # Python still answers for the notebook's cells
    assert canvas.prediction == 7 and len(canvas.probabilities) == 10
    plain = DigitCanvas(fake_model)  # a model only Python can run: the browser asks Python
    assert not plain.runs_in_browser and plain.network == b""


def test_the_widget_module_is_mnist_js_and_canvas_js_in_one_file(fake_model, tmp_path):
    from helpers.widgets import FRONT_END_DIR, front_end_module

    module = DigitCanvas(fake_model).get_state()["_esm"]
    assert module == front_end_module()
    assert "export function readDrawing" in module and "export default { render }" in module
    assert not [line for line in module.splitlines() if line.startswith("import ")]  # it can import nothing
    (tmp_path / "mnist.js").write_text((FRONT_END_DIR / "mnist.js").read_text())
    (tmp_path / "canvas.js").write_text("export default {};\n")  # lost its import of mnist.js
    with pytest.raises(RuntimeError, match="MNIST_JS_IMPORT"):
        front_end_module(tmp_path)
