"""Notebook 01's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

NOTEBOOK = notebook("01")
WRONG = {
    "01-pixels-per-image": ["return images.size", "return images.shape[1] + images.shape[2]",
                           "return images.shape[0] * images.shape[1]"],
    "01-most-common-label": ["return labels.max()", "return np.bincount(labels).max()",
                             "return np.bincount(labels).argmin()"],
    "01-to-pixels": ["return scaled * 255", "return (scaled * 255).astype('uint8')",
                     "return scaled.astype('uint8') * 255", "return np.round(scaled * 256).astype('uint8')"],
}
COPIED = {"01-pixels-per-image": "return 784", "01-most-common-label": "return 1",
          "01-to-pixels": "return np.array([0, 51, 255], dtype=np.uint8)"}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 01's exercise and check cells use, as the cells above them define it."""
    from helpers.data import load_mnist

    (x_train, y_train), (x_test, _) = load_mnist()
    return {"np": np, "x_train": x_train, "y_train": y_train, "train_counts": np.bincount(y_train),
            "x_test": x_test, "x_test_scaled": x_test.astype("float32") / 255.0}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
