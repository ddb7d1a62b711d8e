"""The checks of notebook 02's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.selfcheck import check_function


def check_dense_parameters(dense_parameters) -> None:
    """Dense_parameters on this network's layers and on made-up sizes."""
    check_function(
        dense_parameters,
        [((784, 128), 100_480), ((128, 10), 1_290), ((784, 64), 50_240), ((3, 2), 8)],
        praise="inputs × units weights plus one bias per unit; with 64 hidden neurons the network "
        "would have 50,240 + 650 = 50,890 parameters.",
        mistakes=[
            (lambda inputs, units: inputs * units, "Add the biases too: one per neuron."),
            (lambda inputs, units: inputs * units + inputs, "There is one bias per neuron (units), not one per input."),
            (
                lambda inputs, units: 100_480,
                "Compute the count from inputs and units instead of copying it from the summary.",
            ),
        ],
    )


def check_softmax(softmax) -> None:
    """Softmax on made-up tables of scores, ordinary and very large."""
    table = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0]])
    large = np.array([[1000.0, 999.0], [-1000.0, -999.0]])
    with np.errstate(over="raise", invalid="ignore"):  # np.exp(1000.0) raises; 0 / 0 gives nan quietly
        check_function(
            softmax,
            [
                ((table,), np.array([[0.665241, 0.244728, 0.090031], [0.106507, 0.786986, 0.106507]])),
                ((large,), np.array([[0.731059, 0.268941], [0.268941, 0.731059]])),
            ],
            praise="every row holds positive probabilities that add up to 1, even for huge scores.",
            mistakes=[
                (
                    lambda s: np.exp(s) / np.exp(s).sum(axis=1, keepdims=True),
                    "Scores near 1000 are too large for np.exp: subtract each row's largest score, "
                    "scores.max(axis=1, keepdims=True), before np.exp.",
                ),
                (
                    lambda s: np.exp(s - s.max()) / np.exp(s - s.max()).sum(axis=1, keepdims=True),
                    "nan is 0 / 0: subtract each row's own largest score (axis=1, keepdims=True), "
                    "not the largest of the whole table, so that no row's exponentials all round to 0.",
                ),
                (
                    lambda s: np.exp(s) / np.exp(s).sum(),
                    "Your softmax does not sum to 1 along each row: divide each row by its own total.",
                ),
                (lambda s: s / s.sum(axis=1, keepdims=True), "Apply np.exp to the scores first."),
            ],
        )


def check_accuracy(accuracy) -> None:
    """Accuracy on made-up probabilities and labels."""
    made_up = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4]])  # answers 2, 0, 1, 2
    check_function(
        accuracy,
        [((made_up, np.array([2, 0, 1, 1])), 0.75), ((made_up, np.array([1, 1, 0, 0])), 0.0)],
        praise="each row's argmax is its answer; the mean of right (True) and wrong (False) is the accuracy.",
        mistakes=[
            (
                lambda p, labels: (p.argmax(axis=1) == labels).sum(),
                "That counts the right answers: divide by the number of images (use mean).",
            ),
            (
                lambda p, labels: (p.argmax() == labels).mean(),
                "argmax() without axis=1 looks for the largest number of the whole table, not of each row.",
            ),
            (
                lambda p, labels: (p.max(axis=1) == labels).mean(),
                "max gives the largest probability; argmax gives which digit it belongs to.",
            ),
        ],
    )
