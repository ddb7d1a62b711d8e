"""The draw-a-digit canvas: draw with the mouse, a finger or a pen; the network answers (notebook 07).

Built on anywidget (it ships in Google Colab and works in JupyterLab 4, VS Code and
Jupyter Notebook 7), with the front end in plain JavaScript next to this file
(``canvas.js``, ``mnist.js``, ``canvas.css``): no build step and nothing fetched from
the internet.

When the model is the dense 784-128-10 network (or any plain stack of Dense layers,
see :mod:`helpers.weights`), its weights travel to the browser once, as float32 bytes
(``network``), and the browser runs the MNIST preparation and the forward pass itself
(``mnist.js``, a faithful port of :func:`helpers.preprocess.to_mnist` and of Keras'
Dense layers): it answers at once, and shows the 128 hidden neurons' activations,
the top three answers and the 28x28 image the network sees.

Either way, after each stroke the browser sends the canvas' alpha channel (``pixels``:
``size * size`` bytes, one per pixel, 0 = empty, 255 = ink) to Python, where
:meth:`DigitCanvas.classify` runs :func:`helpers.preprocess.to_mnist` and the model, so
``drawing``, ``prediction``, ``probabilities`` and ``image`` hold Python's answer for the
notebook's cells. For a model JavaScript cannot run (the CNN), the browser shows the
answer Python sends back (``mnist_pixels``, ``probabilities``, ``prediction``, ``message``).
A notebook can replay stored strokes (:meth:`DigitCanvas.draw_strokes`) where no front
end runs (nbval, nbviewer, GitHub).

Why raw alpha bytes and not a PNG: 280 x 280 = 78,400 bytes per stroke travel as one
binary buffer (no base64, no PNG encoding in the browser or decoding in Python).

In Colab, anywidget switches on Colab's custom widget manager by itself.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from PIL import Image, ImageDraw

from helpers.data import DATA_DIR, load_mnist
from helpers.preprocess import to_mnist
from helpers.weights import network_bytes

CANVAS_SIZE = 280  # pixels: 10x MNIST's 28, big enough for a finger
# A pen a tenth of the canvas wide: a digit drawn about 190 pixels tall then carries as
# much ink, after to_mnist shrinks it to 20 pixels, as MNIST's digits do on average
# (measured on the stored examples; 2-3 pixel wide strokes in the 28x28 image).
STROKE_WIDTH = 28
EXAMPLE_STROKES_PATH = DATA_DIR / "example_strokes.json"
FRONT_END_DIR = Path(__file__).parent
# canvas.js imports the recipe and the network from ./mnist.js; a widget's module cannot
# import files, so the two are joined into one module (this import line dropped).
MNIST_JS_IMPORT = 'import { MNIST_SIDE, parseNetwork, readDrawing, topAnswers } from "./mnist.js";\n'

# "Choose a test digit": the first test image of each digit 0-9, offered by the canvas so that a
# digit can go in without drawing (from the keyboard); the website ships the same bytes.
SITE_EXAMPLES_PATH = Path(__file__).resolve().parent.parent / "site" / "canvas" / "test-digits.bin"

Point = Sequence[float]
Stroke = Sequence[Point]
Classifier = Callable[..., object]


def render_strokes(strokes: Sequence[Stroke], *, size: int = CANVAS_SIZE, width: int = STROKE_WIDTH,
                   supersample: int = 4) -> np.ndarray:
    """Draw pen strokes as the browser canvas does: uint8 (size, size) alpha, 255 = ink.

    Each stroke is a list of (x, y) points in canvas pixels, joined by round-capped lines
    ``width`` pixels wide. Drawn ``supersample`` times larger and shrunk with a box
    filter, so edges are anti-aliased like a browser's.
    """
    big = Image.new("L", (size * supersample, size * supersample), 0)
    pen = ImageDraw.Draw(big)
    radius = width * supersample / 2
    for stroke in strokes:
        points = [(x * supersample, y * supersample) for x, y in stroke]
        if len(points) > 1:
            pen.line(points, fill=255, width=width * supersample, joint="curve")
        for x, y in points:  # round caps and joints
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(big.resize((size, size), Image.Resampling.BOX))


def load_example_strokes(path: Path = EXAMPLE_STROKES_PATH) -> dict[str, list[Stroke]]:
    """The stored example drawings: {"0": strokes, ..., "9": strokes} on a 280x280 canvas."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["strokes"]


@functools.cache  # read once per session: every canvas offers the same ten digits
def example_digits() -> bytes:
    """The first MNIST test image of each digit 0-9, as 10 x 784 uint8 bytes (255 = ink), digit by digit."""
    _, (x_test, y_test) = load_mnist()
    first = [int(np.flatnonzero(y_test == digit)[0]) for digit in range(10)]
    return np.ascontiguousarray(x_test[first], dtype=np.uint8).tobytes()


def probabilities_of(model: Classifier, image: np.ndarray) -> np.ndarray:
    """The model's ten probabilities for one (28, 28) image, as float64 numbers summing to 1.

    Calls the model directly (``model(x, training=False)``): for one image this takes
    about a millisecond, where ``model.predict`` spends several more setting up its
    batching machinery.
    """
    output = model(image[np.newaxis].astype(np.float32), training=False)
    return np.asarray(output, dtype=np.float64)[0]


def front_end_module(directory: Path = FRONT_END_DIR) -> str:
    """The widget's JavaScript: mnist.js followed by canvas.js, as one ES module.

    Raises:
        RuntimeError: canvas.js no longer imports mnist.js with the expected line.
    """
    canvas = (directory / "canvas.js").read_text(encoding="utf-8")
    if MNIST_JS_IMPORT not in canvas:
        raise RuntimeError(f"canvas.js should contain the line {MNIST_JS_IMPORT.strip()!r}; update MNIST_JS_IMPORT.")
    return (directory / "mnist.js").read_text(encoding="utf-8") + "\n" + canvas.replace(MNIST_JS_IMPORT, "")


class DigitCanvas(anywidget.AnyWidget):
    """A canvas to draw a digit on, with the 28x28 image the model sees and its ten probabilities.

    ``DigitCanvas(model)`` shows it (end a cell with it). After a stroke (or
    :meth:`draw_strokes`) ``prediction``, ``confidence``, ``probabilities`` and ``image``
    hold the answer; ``message`` says it in words. ``model`` is any callable taking a
    (1, 28, 28) float32 batch (and ``training=False``) and returning (1, 10) probabilities.
    ``network`` holds its weights for the browser (b"" when JavaScript cannot run it);
    ``runs_in_browser`` says which.
    """

    _esm = front_end_module()
    _css = Path(__file__).with_name("canvas.css")

    size = traitlets.Int(CANVAS_SIZE).tag(sync=True)
    # Python -> browser, once: the model in helpers.weights' MLP1 format (float32 bytes), or b"".
    network = traitlets.Bytes(b"").tag(sync=True)
    stroke_width = traitlets.Int(STROKE_WIDTH).tag(sync=True)
    # Python -> browser, once: ten test digits for "Choose a test digit" (see example_digits).
    examples = traitlets.Bytes(b"").tag(sync=True)
    # Browser -> Python: the drawing's alpha channel, size * size bytes row by row; b"" = blank.
    pixels = traitlets.Bytes(b"").tag(sync=True, from_json=lambda value, _: b"" if value is None
                                      else bytes(value))
    # Python -> browser, for display only.
    mnist_pixels = traitlets.Bytes(b"").tag(sync=True)  # 784 bytes: the 28x28 input, 0-255
    probabilities = traitlets.List(traitlets.Float()).tag(sync=True)
    prediction = traitlets.Int(-1).tag(sync=True)  # -1: nothing drawn yet
    confidence = traitlets.Float(0.0).tag(sync=True)
    message = traitlets.Unicode("Draw a digit from 0 to 9.").tag(sync=True)

    def __init__(self, model: Classifier, **kwargs: object) -> None:
        self._model = model
        self.image: np.ndarray | None = None  # the last (28, 28) float32 input, None when blank
        kwargs.setdefault("examples", example_digits())
        super().__init__(network=network_bytes(model) or b"", **kwargs)

    @property
    def runs_in_browser(self) -> bool:
        """True when the browser runs the model itself (it answers without asking the kernel)."""
        return bool(self.network)

    def __repr__(self) -> str:  # shown where no widget front end runs (GitHub, nbviewer, tests)
        return (f"DigitCanvas({self.size}x{self.size} pixels; "
                "draw on it in JupyterLab, Jupyter Notebook, VS Code or Colab)")

    @traitlets.validate("pixels")
    def _check_pixels(self, proposal: traitlets.Bunch) -> bytes:
        pixels = bytes(proposal["value"])
        if pixels and len(pixels) != self.size * self.size:
            raise traitlets.TraitError(
                f"pixels must hold {self.size * self.size} bytes ({self.size}x{self.size}), got {len(pixels)}.")
        return pixels

    @traitlets.observe("pixels")
    def _on_pixels(self, change: traitlets.Bunch) -> None:
        self.classify()

    @property
    def drawing(self) -> np.ndarray:
        """The current drawing as a uint8 (size, size) array, 255 = ink (all zeros when blank)."""
        if not self.pixels:
            return np.zeros((self.size, self.size), dtype=np.uint8)
        return np.frombuffer(self.pixels, dtype=np.uint8).reshape(self.size, self.size)

    def classify(self) -> None:
        """Run the current drawing through to_mnist and the model; update the result traits."""
        try:
            image = to_mnist(self.drawing)
        except ValueError:  # a blank canvas
            self.image = None
            with self.hold_sync():
                self.mnist_pixels, self.probabilities, self.prediction, self.confidence = b"", [], -1, 0.0
                self.message = "Draw a digit from 0 to 9."
            return
        probabilities = probabilities_of(self._model, image)
        prediction = int(np.argmax(probabilities))
        self.image = image
        with self.hold_sync():  # one message to the browser, not five
            self.mnist_pixels = np.round(image * 255).astype(np.uint8).tobytes()
            self.probabilities = [float(p) for p in probabilities]
            self.prediction, self.confidence = prediction, float(probabilities[prediction])
            self.message = f"Prediction: {prediction} ({self.confidence:.1%} sure)"

    def draw_strokes(self, strokes: Sequence[Stroke]) -> str:
        """Replace the drawing by ``strokes`` (as if drawn by hand), classify it, return ``message``."""
        self.pixels = render_strokes(strokes, size=self.size, width=self.stroke_width).tobytes()
        return self.message

    def clear(self) -> str:
        """Wipe the canvas, like its Clear button; return ``message``."""
        self.pixels = b""
        return self.message
