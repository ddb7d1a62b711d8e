"""Export the full-recipe 784-128-10 network's weights for the website's canvas.

    python scripts/export_weights.py [--output site/canvas/dense_full.bin]

Loads the model notebook 03 trains (``helpers.model.load_or_train()``: from ``models/``,
or trained now in about 20 s) and writes it in the ``MLP1`` format that
``helpers/mnist.js`` reads (see ``helpers/weights.py``; 407,100 bytes). The file is
committed, so the website builds without training. Run this again after changing the
training recipe, then rebuild the site.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = PROJECT / "site" / "canvas" / "dense_full.bin"


def numpy_accuracy(data: bytes, images: np.ndarray, labels: np.ndarray) -> float:
    """Test accuracy of the exported file itself, by a float64 NumPy forward pass (a check on the export)."""
    from helpers.weights import decode_network

    activation = images.reshape(len(images), -1).astype(np.float32).astype(np.float64)  # as helpers/mnist.js
    layers = decode_network(data)
    for index, (weights, biases) in enumerate(layers):
        activation = activation @ weights + biases
        if index < len(layers) - 1:
            activation = np.maximum(activation, 0)
    return float(np.mean(activation.argmax(axis=1) == labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default {DEFAULT_OUTPUT}")
    arguments = parser.parse_args()

    from helpers.setup import import_tensorflow_quietly

    import_tensorflow_quietly()
    from helpers.data import load_mnist
    from helpers.model import load_or_train
    from helpers.weights import export_network

    model = load_or_train()
    size = export_network(model, arguments.output)
    _, (x_test, y_test) = load_mnist()
    accuracy = numpy_accuracy(arguments.output.read_bytes(), x_test / 255.0, y_test)
    print(f"wrote {arguments.output} ({size:,} bytes); its test accuracy: {accuracy:.2%}")


if __name__ == "__main__":
    main()
