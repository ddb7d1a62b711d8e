"""Notebook 05's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

NOTEBOOK = notebook("05")
WRONG = {
    "05-most-missed-digit": ["return int(np.argmax(confusion.sum(axis=1) - np.diag(confusion)))",  # counts
                             "return int(np.argmin(np.diag(confusion) / confusion.sum(axis=0)))",  # precision
                             "return int(np.argmax(np.diag(confusion) / confusion.sum(axis=1)))",
                             "return int(np.argmin(np.diag(confusion)))",  # right answers, not shares
                             "return float(np.min(np.diag(confusion) / confusion.sum(axis=1)))"],
    "05-confusion-counts": ["return np.bincount(10 * predictions + labels, minlength=100).reshape(10, 10)",
                            "return np.bincount(10 * labels + predictions, minlength=100)",
                            "return np.bincount(10 * labels + predictions).reshape(10, 10)",
                            "return confusion",
                            "m = np.zeros((10, 10))\nnp.add.at(m, (labels, predictions), 1)\nreturn m"],
    "05-precision-of": ["return (predictions[labels == digit] == digit).mean()",
                        "return (predictions == labels).mean()",
                        "return (labels[predictions == digit] == digit).sum()",
                        "return precision"],
}
COPIED = {
    "05-most-missed-digit": "return 0",
    "05-confusion-counts": ("m = np.zeros((10, 10), dtype=int)\nm[0, 0] = m[1, 1] = m[1, 7] = m[9, 9] = 1\n"
                            "return m"),
    "05-precision-of": "return 0.9762376237623762",
}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 05's exercise and check cells use: the test labels, and made-up predictions
    (the labels with about 3% changed) standing in for the trained model's."""
    from helpers.data import load_mnist

    _, (_, y_test) = load_mnist()
    rng = np.random.default_rng(0)
    predictions = np.where(rng.random(len(y_test)) < 0.03, rng.integers(0, 10, len(y_test)), y_test)
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (y_test, predictions), 1)
    return {"np": np, "y_test": y_test, "predictions": predictions, "right": predictions == y_test,
            "confusion": confusion, "precision": confusion[3, 3] / confusion[:, 3].sum()}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
