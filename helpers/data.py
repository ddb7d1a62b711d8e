"""Pixels and datasets: MNIST from the copy that ships with the project, and its pixels scaled.

Notebook 01 teaches both: loading (``load_mnist``) and scaling pixels to 0-1 (``scale_pixels``);
notebooks 08 and 09 write their ``tf.data`` pipelines out in the open.

``keras.datasets.mnist.load_data()`` downloads the dataset on first use; classrooms
often have no (or a filtered) network, so the series reads ``data/mnist.npz`` instead
and checks its SHA-256 so a damaged copy never trains a model silently.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MNIST_PATH = DATA_DIR / "mnist.npz"
MNIST_SHA256 = "06af5dfe73b70e3bc1c36439982b18a8d76803db9b544f6fdf838a37fbb01b64"
ARRAY_NAMES = ("x_train", "y_train", "x_test", "y_test")

MnistArrays = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class MnistDataError(RuntimeError):
    """The MNIST data could not be loaded; the message says why and how to fix it."""


MNIST_TRAIN_IMAGES = 60_000  # the training set's size (and 10,000 test images)

def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of the file at ``path``, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_mnist(path: str | Path | None = None) -> MnistArrays:
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays.

    Same shapes, dtypes and order as ``keras.datasets.mnist.load_data()``:
    (60000, 28, 28), (60000,), (10000, 28, 28), (10000,).

    Args:
        path: an ``.npz`` file to read; by default the project's ``data/mnist.npz``,
            found next to this package whatever the working directory is.

    Raises:
        MnistDataError: the file is damaged (its SHA-256 is not the expected one),
            or it is missing and the download fallback failed (no network).
    """
    path = Path(path) if path is not None else MNIST_PATH
    if not path.exists():
        print(f"{path} not found: downloading MNIST with keras.datasets.mnist.load_data() instead.",
              file=sys.stderr)
        return download_mnist(path)
    actual = file_sha256(path)
    if actual != MNIST_SHA256:
        raise MnistDataError(
            f"{path} is damaged: its SHA-256 is {actual}, expected {MNIST_SHA256}. "
            "Restore it with `git checkout -- data/mnist.npz` (or delete it to let Keras "
            "download MNIST instead)."
        )
    with np.load(path, allow_pickle=False) as arrays:
        x_train, y_train, x_test, y_test = (arrays[name] for name in ARRAY_NAMES)
    return (x_train, y_train), (x_test, y_test)


def download_mnist(missing_path: Path) -> MnistArrays:
    """Fall back to Keras' own download; turn a network failure into one clear error."""
    import keras  # imported here: loading the vendored file must not need TensorFlow

    try:
        return keras.datasets.mnist.load_data()
    except Exception as error:  # urllib, SSL and socket errors all land here
        raise MnistDataError(
            f"MNIST could not be loaded: {missing_path} is missing and the download failed "
            f"({type(error).__name__}: {error}). Restore the file with "
            "`git checkout -- data/mnist.npz`, or connect to the internet and run again."
        ) from None


def scale_pixels(images: np.ndarray) -> np.ndarray:
    """uint8 pixels 0-255 -> float32 in [0, 1], as the network expects (taught in notebook 01).

    The same numbers as ``images.astype("float32") / 255.0``, divided in place: one float32 copy
    of the images is made, not two (the training set's is 188 MB).
    """
    scaled = images.astype("float32")
    scaled /= 255.0
    return scaled
