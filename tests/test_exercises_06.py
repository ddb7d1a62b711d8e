"""Notebook 06's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

NOTEBOOK = notebook("06")
WRONG = {
    "06-pred-title": ['return f"Pred: {probabilities.argmax()} ({probabilities.max():.1f})"',
                      'return f"Pred: {probabilities.argmin()} ({probabilities.min():.1%})"',
                      'return f"{probabilities.argmax()} ({probabilities.max():.1%})"',
                      'return f"Pred: {probabilities.argmax()} ({probabilities.max():.0%})"',
                      "return probabilities.argmax()"],
    "06-wrong-among-sure": [
        "return np.sum((probabilities.argmax(axis=1) != labels) & (probabilities.max(axis=1) >= limit)) / len(labels)",
        "return np.mean((probabilities.argmax(axis=1) != labels)[probabilities.max(axis=1) > limit])",
        "return np.mean((probabilities.argmax(axis=1) == labels)[probabilities.max(axis=1) >= limit])",
        "return np.mean((probabilities.argmax(axis=1) != labels)[probabilities.max(axis=1) < limit])",
        "return np.sum((probabilities.argmax(axis=1) != labels)[probabilities.max(axis=1) >= limit])",
        "return np.mean(probabilities.max(axis=1) >= limit)",
        "return np.mean((probabilities.argmax(axis=1) != labels)[probabilities.max(axis=1) >= 0.9])",
        "return np.mean((probabilities.argmax(axis=0) != labels)[probabilities.max(axis=1) >= limit])"],
    "06-top-three": ["return np.argsort(probabilities)[:3]", "return np.argsort(probabilities)[-3:]",
                     "return np.sort(probabilities)[::-1][:3]", "return probabilities.argmax()",
                     "return list(np.argsort(probabilities)[::-1][:3])"],
}
COPIED = {"06-pred-title": 'return "Pred: 7 (100.0%)"', "06-wrong-among-sure": "return 0.0062",
          "06-top-three": "return np.array([9, 4, 7])"}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 06's exercise and check cells use: made-up rows of ten probabilities stand in
    for the trained model's answers (no model is needed); a stand-in model answers 500 test images,
    most of them surely and rightly, some surely and wrongly, some unsure."""
    rng = np.random.default_rng(0)
    sample_probabilities, fresh_probabilities = rng.dirichlet(np.ones(10), size=(2, 10)).astype("float32")
    y_test = rng.integers(0, 10, size=500)
    answers = np.where(rng.random(500) < 0.9, y_test, rng.integers(0, 10, size=500))
    test_probabilities = np.full((500, 10), 0.0, dtype="float32")
    test_probabilities[np.arange(500), answers] = rng.choice([0.5, 0.9, 0.99], size=500)
    test_probabilities[np.arange(500), (answers + 1) % 10] = 1 - test_probabilities[np.arange(500), answers]

    class StandIn:
        def predict(self, images, verbose=0):
            return test_probabilities[: len(images)]

    return {"np": np, "sample_probabilities": sample_probabilities, "fresh_probabilities": fresh_probabilities,
            "chosen": 3060, "chosen_probabilities": fresh_probabilities[0], "model": StandIn(),
            "x_test": np.zeros((500, 28, 28), dtype="uint8"), "y_test": y_test}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
