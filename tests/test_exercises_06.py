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
    "06-unsure-positions": ["return probabilities.max(axis=1) < limit",
                            "return np.flatnonzero(probabilities.max(axis=1) <= limit)",
                            "return np.flatnonzero(probabilities.max(axis=1) >= limit)",
                            "return np.flatnonzero(probabilities.min(axis=1) < limit)",
                            "return np.flatnonzero(probabilities.max(axis=0) < limit)",
                            "return np.flatnonzero(probabilities.max(axis=1) < 0.9)"],
    "06-top-three": ["return np.argsort(probabilities)[:3]", "return np.argsort(probabilities)[-3:]",
                     "return np.sort(probabilities)[::-1][:3]", "return probabilities.argmax()",
                     "return list(np.argsort(probabilities)[::-1][:3])"],
}
COPIED = {"06-pred-title": 'return "Pred: 7 (100.0%)"', "06-unsure-positions": "return np.array([3, 8])",
          "06-top-three": "return np.array([9, 4, 7])"}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 06's exercise and check cells use: made-up rows of ten probabilities stand in
    for the trained model's answers on the sampled test images (no model is needed)."""
    rng = np.random.default_rng(0)
    sample_probabilities, fresh_probabilities = rng.dirichlet(np.ones(10), size=(2, 10)).astype("float32")
    return {"np": np, "sample_probabilities": sample_probabilities, "fresh_probabilities": fresh_probabilities,
            "chosen": 3060, "chosen_probabilities": fresh_probabilities[0]}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
