"""Notebook 03's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

from types import SimpleNamespace

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

from helpers.setup import SEED

NOTEBOOK = notebook("03")
WRONG = {
    "03-cross-entropy": ["return np.log(probabilities[label])", "return -np.log(probabilities.max())",
                         "return -np.log10(probabilities[label])", "return 1 - probabilities[label]",
                         "return -np.log(probabilities).mean()"],
    "03-gradient-step": ["return weights + learning_rate * gradient", "return weights - gradient",
                         "return -learning_rate * gradient", "return weights - learning_rate"],
    "03-steps-per-epoch": ["return images // batch_size", "return images / batch_size",
                           "return round(images / batch_size)", "return images // batch_size + 1",
                           "return math.ceil(images * 0.9 / batch_size)"],
    "03-best-epoch": ['return int(np.argmin(history["val_loss"]))', 'return int(np.argmin(history["loss"])) + 1',
                      'return len(history["val_loss"])', 'return int(np.argmax(history["val_loss"])) + 1'],
}
COPIED = {"03-cross-entropy": "return 2.386", "03-gradient-step": "return np.array([0.4, 0.1])",
          "03-steps-per-epoch": "return 563", "03-best-epoch": "return 11"}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 03's exercise and check cells use: one batch of scaled training images, an
    untrained network of the same architecture and its loss on the batch (no training)."""
    import keras

    from helpers.data import load_mnist, scale_pixels
    from helpers.model import build_dense_model

    (x_train, y_train), _ = load_mnist()
    images, labels = scale_pixels(x_train[:128]), y_train[:128]
    keras.utils.set_random_seed(SEED)
    model = build_dense_model()
    loss = keras.losses.SparseCategoricalCrossentropy()(labels, model(images))
    full_history = SimpleNamespace(history={"loss": list(np.geomspace(0.4, 0.01, 16)),  # a run like the full one
                                            "val_loss": [0.17, 0.13, 0.11, 0.1, 0.09, 0.086, 0.084, 0.083, 0.0835,
                                                         0.082, 0.0817, 0.0818, 0.0835, 0.0831, 0.0846, 0.0855]})
    return {"np": np, "keras": keras, "model": model, "images": images, "labels": labels, "loss": loss,
            "full_history": full_history}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
