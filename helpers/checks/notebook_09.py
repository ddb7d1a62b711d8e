"""The checks of notebook 09's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.calibration import (
    expected_calibration_error,
    fit_temperature,
    logits_from_probabilities,
    negative_log_likelihood,
    softmax,
)
from helpers.selfcheck import check_function


def check_dense_forward_flop(dense_forward_flop) -> None:
    """Dense_forward_flop for the hidden layer and for made-up layer sizes."""
    check_function(
        dense_forward_flop,
        [((500, 784, 128), 100_352_000), ((3, 5, 7), 210), ((16, 128, 10), 40_960)],
        praise="(n x k) @ (k x m) is n * k * m multiply-adds, and each is 2 FLOP.",
        mistakes=[
            (
                lambda batch_size, inputs, units: batch_size * inputs * units,
                "That counts multiply-adds: each one is 2 FLOP, a multiplication and an addition.",
            ),
            (
                lambda batch_size, inputs, units: 2 * inputs * units,
                "That is the work for one image: every image of the batch costs as much.",
            ),
            (
                lambda batch_size, inputs, units: 6 * batch_size * inputs * units,
                "That is the 3 x 2 rule for a whole training step; the forward pass alone is 2 FLOP per "
                "weight per image.",
            ),
        ],
    )


def check_calibration_error(calibration_error, confidence, correct, original_probabilities, y_test) -> None:
    """Calibration_error against the helper on the test answers, and on made-up answers."""

    def bin_table(confidence, correct, n_bins):  # each filled bin: its share of the answers, accuracy - confidence
        bin_of = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
        return np.array(
            [
                (np.mean(bin_of == b), correct[bin_of == b].mean() - confidence[bin_of == b].mean())
                for b in np.unique(bin_of)
            ]
        ).T

    made_up = [
        ([0.75, 0.75, 0.5, 0.5], [1, 1, 1, 0], 10, 0.125),
        ([1.0, 1.0, 0.85, 0.3], [1, 0, 1, 0], 2, 0.2875),
        ([0.9, 0.9, 0.5, 0.49], [1, 0, 1, 1], 2, 0.4525),
    ]
    check_function(
        calibration_error,
        [((np.array(c), np.array(r) == 1, n), ece) for c, r, n, ece in made_up]
        + [
            ((confidence.astype("float64"), correct, n), expected_calibration_error(original_probabilities, y_test, n))
            for n in (15, 10)
        ],
        praise="each bin's gap between accuracy and confidence, weighted by its share of the answers.",
        mistakes=[
            (lambda c, r, n: np.mean(np.abs(bin_table(c, r, n)[1])), "Weight each bin by its share of the answers."),
            (
                lambda c, r, n: np.sum(np.prod(bin_table(c, r, n), axis=0)),
                "Add the gaps' sizes (abs): overconfident and underconfident bins must not cancel out.",
            ),
        ],
        forbidden=[expected_calibration_error],
    )


def check_softmax_with_temperature(softmax_with_temperature, original_probabilities) -> None:
    """Softmax_with_temperature against the helper on made-up and real logits."""
    made_up = np.array([[2.0, 1.0, 0.0], [1000.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    real = logits_from_probabilities(original_probabilities[:50])
    with np.errstate(over="ignore", invalid="ignore"):  # no NumPy warnings: the check says in words what is wrong
        check_function(
            softmax_with_temperature,
            [
                ((made_up[:1], 2.0), softmax(made_up[:1], 2.0)),
                ((made_up, 0.5), softmax(made_up, 0.5)),
                ((real, 1.5), softmax(real, 1.5)),
            ],
            praise="divide by T, subtract each row's largest, exponentiate and divide by the row's sum.",
            mistakes=[
                (lambda z, t: softmax(z), "The temperature is not used: divide the logits by it."),
                (lambda z, t: softmax(z, 1 / t), "Divide the logits by the temperature, not multiply."),
                (
                    lambda z, t: softmax((z / t).T).T,
                    "Each row (one image) must sum to 1: sum along axis=1 with keepdims=True.",
                ),
            ],
            forbidden=[softmax],
        )


def losses(logits, labels, temperatures) -> list[float]:
    """The negative log-likelihood of ``labels`` under softmax(logits / T), for each candidate T."""
    return [negative_log_likelihood(softmax(logits, t), labels) for t in temperatures]


def check_best_temperature(best_temperature, val_logits, y_val, temperatures) -> None:
    """Best_temperature on made-up answers (the best T known) and on the validation split."""
    wrong = np.log([[0.9, 0.1]])  # 90% sure of digit 0, and the answer is 1: softening helps most
    right = np.log([[0.7, 0.2, 0.1], [0.6, 0.3, 0.1]])  # both right: sharpening helps most
    mixed = np.log([[0.9, 0.1]] * 4)  # 3 of 4 right at 90%: calibrated at 75%, which T = 2 gives
    cases = [
        ((wrong, np.array([1]), np.array([0.5, 1.0, 8.0])), 8.0),
        ((right, np.array([0, 0]), np.array([0.5, 1.0, 2.0])), 0.5),
        ((mixed, np.array([0, 0, 0, 1]), np.array([0.5, 1.0, 2.0, 4.0, 8.0])), 2.0),
        ((val_logits, y_val, temperatures), temperatures[int(np.argmin(losses(val_logits, y_val, temperatures)))]),
    ]
    check_function(
        best_temperature,
        cases,
        praise="the validation loss of each candidate, and the temperature of the lowest.",
        mistakes=[
            (
                lambda z, labels, ts: ts[int(np.argmax(losses(z, labels, ts)))],
                "That is the temperature with the highest loss: look for the lowest.",
            ),
            (
                lambda z, labels, ts: int(np.argmin(losses(z, labels, ts))),
                "That is the position of the best temperature in the list: return the temperature itself.",
            ),
            (
                lambda z, labels, ts: min(losses(z, labels, ts)),
                "That is the lowest loss: return the temperature that gives it.",
            ),
            (
                lambda z, labels, ts: ts[int(np.argmin(losses(z, labels, 1 / np.asarray(ts))))],
                "Divide the logits by the temperature, not multiply.",
            ),
            (
                lambda z, labels, ts: ts[0],
                "A temperature never changes which digit wins, so accuracy cannot choose it: compare the "
                "negative log-likelihood of each.",
            ),
        ],
        forbidden=[fit_temperature],
    )
