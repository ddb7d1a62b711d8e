"""Notebook 09's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

NOTEBOOK = notebook("09")
BINS = "bin_of = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)\n"
GAP = "(correct[bin_of == b].mean() - confidence[bin_of == b].mean())"
LOSSES = "negative_log_likelihood(softmax(logits, t), labels) for t in temperatures"
WRONG = {
    "09-dense-forward-flop": ["return batch_size * inputs * units", "return 2 * inputs * units",
                              "return 6 * batch_size * inputs * units", "return 2 * batch_size * (inputs + 1) * units"],
    "09-calibration-error": [
        "return abs(confidence.mean() - correct.mean())",  # one gap over all the answers
        BINS + f"return np.mean([abs{GAP} for b in np.unique(bin_of)])",  # bins not weighted
        BINS + f"return sum(np.mean(bin_of == b) * {GAP} for b in np.unique(bin_of))",  # signed gaps cancel
        BINS.replace("n_bins", "15") + f"return sum(np.mean(bin_of == b) * abs{GAP} for b in np.unique(bin_of))",
        BINS.replace("np.ceil(confidence * n_bins).astype(int) - 1", "np.floor(confidence * n_bins).astype(int)")
        + f"return sum(np.mean(bin_of == b) * abs{GAP} for b in np.unique(bin_of))",  # bins [b/n, (b+1)/n)
    ],
    "09-softmax-temperature": [
        "return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)",  # temperature not used
        "scaled = logits * temperature\ne = np.exp(scaled - scaled.max(axis=1, keepdims=True))\n"
        "return e / e.sum(axis=1, keepdims=True)",
        "e = np.exp(logits / temperature)\nreturn e / e.sum(axis=1, keepdims=True)",  # overflows
        "scaled = logits / temperature\ne = np.exp(scaled - scaled.max())\nreturn e / e.sum(axis=1, keepdims=True)",
        "scaled = logits / temperature\ne = np.exp(scaled - scaled.max(axis=1, keepdims=True))\n"
        "return e / e.sum(axis=1)",  # divides columns by the rows' sums
        "scaled = logits / temperature\ne = np.exp(scaled - scaled.max(axis=0, keepdims=True))\n"
        "return e / e.sum(axis=0, keepdims=True)",  # columns sum to 1
    ],
    "09-best-temperature": [
        f"return temperatures[int(np.argmax([{LOSSES}]))]",  # the highest loss
        f"return int(np.argmin([{LOSSES}]))",  # the position, not the temperature
        f"return min([{LOSSES}])",  # the loss, not the temperature
        f"return temperatures[int(np.argmin([{LOSSES.replace('logits, t', 'logits, 1 / t')}]))]",  # multiplied
        "return temperatures[0]",  # accuracy cannot tell temperatures apart
        "return 1.0",  # no scaling
        "from helpers.calibration import fit_temperature\nreturn fit_temperature(logits, labels)",  # the reference
    ],
}
COPIED = {"09-dense-forward-flop": "return 100_352_000", "09-best-temperature": "return 1.13",
          "09-calibration-error": "return 0.011",
          "09-softmax-temperature": "return np.array([[0.50648039, 0.30719589, 0.18632372]])"}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 09's exercise and check cells use, as the cells above them define it.

    An untrained network of the same architecture stands in for the original one: the checks
    compare the learner's code with the helpers on whatever probabilities it gets.
    """
    from helpers.calibration import logits_from_probabilities, negative_log_likelihood, softmax
    from helpers.data import load_mnist, scale_pixels
    from helpers.model import build_dense_model

    (x_train, y_train), (x_test, y_test) = load_mnist()
    model = build_dense_model()
    probabilities = model.predict(scale_pixels(x_test[:2_000]), verbose=0)
    val_logits = logits_from_probabilities(model.predict(scale_pixels(x_train[-1_000:]), verbose=0))
    return {"np": np, "original_probabilities": probabilities, "y_test": y_test[:2_000],
            "confidence": probabilities.max(axis=1), "correct": probabilities.argmax(axis=1) == y_test[:2_000],
            "softmax": softmax, "negative_log_likelihood": negative_log_likelihood,
            "val_logits": val_logits, "y_val": y_train[-1_000:], "temperatures": np.geomspace(0.25, 4, 201)}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
