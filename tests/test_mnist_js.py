"""helpers/mnist.js (the MNIST recipe and the forward pass in JavaScript) against Python, run with Node.

- Preparation: ``drawingToMnist`` (and the general ``toMnist``) against
  :func:`helpers.preprocess.to_mnist` on the stored example drawings and 40 moved, scaled
  and slanted copies, rendered by :func:`helpers.widgets.render_strokes`. Tolerance
  ``PREPARE_TOLERANCE`` (1e-6): both store float32, and they differ at most in the last
  bit of a few pixels (Python sums the centre of mass in float32, JavaScript in float64).
- Forward pass: the trained 784-128-10 network, exported by :mod:`helpers.weights`,
  against Keras on all 10,000 MNIST test digits: the same answer for every digit and
  probabilities within ``PROBABILITY_TOLERANCE`` (1e-5).
- The committed website weights (site/canvas/dense_full.bin) and the MLP1 format itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers.preprocess import to_mnist
from helpers.weights import decode_network, encode_network, export_network, network_bytes
from helpers.widgets import load_example_strokes, render_strokes

PROJECT = Path(__file__).resolve().parent.parent
CLI = PROJECT / "tests" / "js" / "mnist_cli.mjs"
SITE_WEIGHTS = PROJECT / "site" / "canvas" / "dense_full.bin"
NODE = shutil.which("node") or "/usr/bin/node"
PREPARE_TOLERANCE = 1e-6
PROBABILITY_TOLERANCE = 1e-5
WEIGHTS_BYTES = 8 + 3 * 4 + 4 * 101_770  # header + 784-128-10's parameters in float32

sys.path.insert(0, str(PROJECT / "benchmarks"))
from canvas_latency import jittered_drawings  # noqa: E402


def node(*arguments: str) -> None:
    if not Path(NODE).exists():
        pytest.fail("Node.js is needed for this test (apt-get install nodejs).")
    result = subprocess.run([NODE, str(CLI), *arguments], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def js_prepare(drawings: np.ndarray, tmp_path: Path, mode: str = "prepare") -> np.ndarray:
    drawings.astype(np.uint8).tofile(tmp_path / "drawings.bin")
    node(mode, str(drawings.shape[1]), str(tmp_path / "drawings.bin"), str(tmp_path / "prepared.bin"))
    return np.fromfile(tmp_path / "prepared.bin", dtype=np.float32).reshape(-1, 28, 28)


def js_probabilities(network: bytes, images: np.ndarray, tmp_path: Path) -> np.ndarray:
    (tmp_path / "network.bin").write_bytes(network)
    images.astype(np.float32).tofile(tmp_path / "images.bin")
    node("forward", str(tmp_path / "network.bin"), str(tmp_path / "images.bin"), str(tmp_path / "probabilities.bin"))
    return np.fromfile(tmp_path / "probabilities.bin", dtype=np.float64).reshape(-1, 10)


@pytest.fixture(scope="module")
def drawings() -> np.ndarray:
    stored = [render_strokes(strokes) for strokes in load_example_strokes().values()]
    return np.stack(stored + jittered_drawings(40))


@pytest.fixture(scope="module")
def trained_model():
    from helpers.model import load_or_train

    return load_or_train()


@pytest.mark.parametrize("mode", ["prepare", "prepare-generic"])
def test_javascript_prepares_drawings_exactly_like_to_mnist(drawings, tmp_path, mode):
    prepared = js_prepare(drawings, tmp_path, mode)
    expected = np.stack([to_mnist(drawing) for drawing in drawings])
    difference = np.abs(prepared - expected)
    assert difference.max() <= PREPARE_TOLERANCE, f"largest difference {difference.max():.2e}"
    assert (prepared == expected).all(axis=(1, 2)).mean() > 0.8  # most are bit for bit the same


def test_javascript_finds_a_blank_drawing_blank(tmp_path):
    blank = np.zeros((2, 56, 56), dtype=np.uint8)
    blank[1] = 7  # one grey level everywhere: as blank as nothing (to_mnist raises ValueError)
    assert np.isnan(js_prepare(blank, tmp_path)).all()


def test_a_small_canvas_is_prepared_like_python(tmp_path):
    seven = [[(16, 12), (40, 12), (24, 48)]]
    drawing = render_strokes(seven, size=56, width=6)
    np.testing.assert_allclose(js_prepare(drawing[np.newaxis], tmp_path)[0], to_mnist(drawing),
                               atol=PREPARE_TOLERANCE)


@pytest.mark.slow
def test_javascript_and_keras_agree_on_10000_test_digits(trained_model, tmp_path):
    from helpers.data import load_mnist

    _, (x_test, _) = load_mnist()
    images = (x_test / 255.0).astype(np.float32)
    keras_probabilities = trained_model.predict(images, batch_size=1000, verbose=0)
    js = js_probabilities(network_bytes(trained_model), images, tmp_path)
    difference = np.abs(js - keras_probabilities).max()
    same = int((js.argmax(axis=1) == keras_probabilities.argmax(axis=1)).sum())
    print(f"JavaScript vs Keras on {len(images):,} test digits: max |difference| {difference:.2e}, "
          f"same answer {same:,} times")
    assert difference <= PROBABILITY_TOLERANCE
    assert same == len(images)
    np.testing.assert_allclose(js.sum(axis=1), 1.0, atol=1e-12)


def test_the_committed_website_weights_are_a_trained_784_128_10_network(tmp_path):
    from helpers.data import load_mnist

    data = SITE_WEIGHTS.read_bytes()
    assert len(data) == WEIGHTS_BYTES
    assert [weights.shape for weights, _ in decode_network(data)] == [(784, 128), (128, 10)]
    _, (x_test, y_test) = load_mnist()
    js = js_probabilities(data, x_test[:2000] / 255.0, tmp_path)
    assert np.mean(js.argmax(axis=1) == y_test[:2000]) > 0.95
    drawn = np.stack([to_mnist(render_strokes(strokes)) for strokes in load_example_strokes().values()])
    assert (js_probabilities(data, drawn, tmp_path).argmax(axis=1) == np.arange(10)).all()


@pytest.mark.slow
def test_network_bytes_round_trip_and_refuse_what_javascript_cannot_run(trained_model, tmp_path):
    import keras

    data = network_bytes(trained_model)
    assert len(data) == WEIGHTS_BYTES
    for (weights, biases), layer in zip(decode_network(data), trained_model.layers[1:]):
        np.testing.assert_array_equal(weights, layer.get_weights()[0])
        np.testing.assert_array_equal(biases, layer.get_weights()[1])
    assert export_network(trained_model, tmp_path / "weights.bin") == WEIGHTS_BYTES

    cnn = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten(),
                            keras.layers.Dense(10, activation="softmax")])
    tanh = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(8, activation="tanh"),
                             keras.layers.Dense(10, activation="softmax")])
    assert network_bytes(cnn) is None and network_bytes(tanh) is None
    assert network_bytes(lambda batch, training=False: batch) is None  # any callable: Python runs it
    with pytest.raises(ValueError, match="only a Flatten"):
        export_network(cnn, tmp_path / "cnn.bin")
    with pytest.raises(ValueError, match="not a network file"):
        decode_network(b"PNG!" + data[4:])
    with pytest.raises(ValueError, match="do not chain"):
        encode_network([(np.zeros((784, 8), np.float32), np.zeros(9, np.float32))])


def test_javascript_refuses_a_file_that_is_not_a_network(tmp_path):
    (tmp_path / "bad.bin").write_bytes(b"GIF89a" + bytes(100))
    result = subprocess.run([NODE, str(CLI), "forward", str(tmp_path / "bad.bin"), str(tmp_path / "bad.bin"),
                             str(tmp_path / "out.bin")], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "not a network file" in result.stderr

