"""Notebook 02's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import re

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

NOTEBOOK = notebook("02")
WRONG = {
    "02-dense-parameters": ["return inputs * units", "return inputs * units + inputs",
                            "return (inputs + 1) * (units + 1)", "return 784 * units + units"],
    "02-softmax": ["return np.exp(scores) / np.exp(scores).sum()",
                   "return np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)",
                   "return scores / scores.sum(axis=1, keepdims=True)",
                   "e = np.exp(scores - scores.max())\nreturn e / e.sum(axis=1, keepdims=True)",
                   "e = np.exp(scores - scores.max(axis=1, keepdims=True))\nreturn e / e.sum(axis=0)"],
    "02-accuracy": ["return (probabilities.argmax(axis=1) == labels).sum()",
                    "return (probabilities.argmax() == labels).mean()",
                    "return (probabilities.max(axis=1) == labels).mean()",
                    "return (probabilities.argmax(axis=0) == labels).mean()"],
}
COPIED = {"02-dense-parameters": "return 100_480",
          "02-softmax": "return np.array([[0.665, 0.245, 0.09], [0.665, 0.245, 0.09]])",
          "02-accuracy": "return 0.1083"}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 02's exercise and check cells use: the test set, made-up scores and the
    probabilities of an untrained network of the same architecture."""
    from helpers.data import load_mnist, scale_pixels
    from helpers.model import build_dense_model

    _, (x_test, y_test) = load_mnist()
    scores = np.array([0.5, -1.0, 1.2, 3.1, -0.3, 0.8, -2.0, 0.1, 1.9, 0.0])
    untrained_probabilities = build_dense_model().predict(scale_pixels(x_test[:500]), verbose=0)
    return {"np": np, "scores": scores, "probabilities": np.exp(scores) / np.exp(scores).sum(),
            "y_test": y_test[:500], "untrained_probabilities": untrained_probabilities}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))


def _softmax_without_the_maximum(scores):
    exponentials = np.exp(scores)
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def _softmax_minus_the_table_maximum(scores):
    exponentials = np.exp(scores - scores.max())
    return exponentials / exponentials.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(("softmax", "hint"), [
    (_softmax_without_the_maximum, "subtract each row's largest score, scores.max(axis=1, keepdims=True)"),
    (_softmax_minus_the_table_maximum, "not the largest of the whole table"),
])
def test_the_softmax_check_names_the_two_mistakes_with_very_large_scores(softmax, hint, monkeypatch, capsys):
    """Both pass the ordinary table; on huge scores one overflows and the other gives nan (0 / 0).
    The hint is raised when grading and printed in a learner's kernel."""
    from helpers import selfcheck
    from helpers.checks.notebook_02 import check_softmax

    with pytest.raises(selfcheck.NotYet, match=re.escape(hint)):
        check_softmax(softmax)
    monkeypatch.delenv(selfcheck.GRADER_VARIABLE, raising=False)
    monkeypatch.delenv(selfcheck.STOP_VARIABLE, raising=False)
    monkeypatch.setattr(selfcheck, "in_kernel", lambda: True)
    check_softmax(softmax)
    printed = capsys.readouterr().out
    assert printed.startswith("✗ Not yet.") and hint in printed, printed
