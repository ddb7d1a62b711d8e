"""The checks of notebook 09's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.calibration import expected_calibration_error, logits_from_probabilities, softmax
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


def check_share_of_limit(share_of_limit, epoch_flop) -> None:
    """Share_of_limit on made-up runs."""
    check_function(
        share_of_limit,
        [
            ((24.5e9, 0.5, 98.0), 0.5),
            ((6e9, 2.0, 12.0), 0.25),
            ((epoch_flop, 0.44, 171.0), epoch_flop / 0.44 / 1e9 / 171),
        ],
        praise="flop / seconds / 1e9 is the rate in GFLOP/s; divided by the limit, it is the share reached.",
        mistakes=[
            (
                lambda flop, seconds, limit_gflops: flop / seconds / limit_gflops,
                "That compares FLOP per second with GFLOP per second: divide by 1e9 first.",
            ),
            (
                lambda flop, seconds, limit_gflops: flop * seconds / 1e9 / limit_gflops,
                "A rate is work divided by time: flop / seconds.",
            ),
            (
                lambda flop, seconds, limit_gflops: limit_gflops / (flop / seconds / 1e9),
                "That is the limit as a share of the rate achieved: turn the division around.",
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
