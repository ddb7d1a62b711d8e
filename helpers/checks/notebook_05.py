"""The checks of notebook 05's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.evaluate import confusion_matrix
from helpers.selfcheck import check_function


def check_confusion_counts(confusion_counts, confusion, y_test, predictions) -> None:
    """Confusion_counts on the test set and on made-up labels."""
    made_up = (np.array([4, 4, 9, 0, 2]), np.array([9, 4, 4, 0, 3]))
    check_function(
        confusion_counts,
        [((y_test, predictions), confusion), (made_up, confusion_matrix(*made_up))],
        praise="one number per (truth, answer) pair, counted with np.bincount and laid out 10 x 10.",
        mistakes=[
            (
                lambda t, p: np.bincount(10 * p + t, minlength=100).reshape(10, 10),
                "Rows are the true digits: number each pair 10 * truth + answer.",
            ),
            (
                lambda t, p: np.bincount(10 * t + p, minlength=100),
                "Lay the 100 counts out as 10 rows of 10 with reshape(10, 10).",
            ),
        ],
        forbidden=[confusion_matrix],
        no_loops=True,
    )


def check_precision_of(precision_of, predictions, y_test) -> None:
    """Precision_of on the test set (digit 3) and on made-up answers."""
    precision_of_3 = float(np.mean(y_test[predictions == 3] == 3))  # of the answers "3", the share right
    said = np.array([3, 3, 3, 3, 5, 8, 1])  # made up: "3" four times, right twice
    true = np.array([3, 3, 5, 8, 5, 3, 1])
    check_function(
        precision_of,
        [((predictions, y_test, 3), precision_of_3), ((said, true, 3), 0.5), ((said, true, 5), 1.0)],
        praise="precision looks only at the images the model called d.",
        mistakes=[
            (
                lambda p, t, d: (p[t == d] == d).mean(),
                "That is recall (of the real d's, the share found): start from the answers d.",
            ),
            (lambda p, t, d: (p == t).mean(), "That is the accuracy over all images."),
            (lambda p, t, d: (t[p == d] == d).sum(), "That counts them: return the share."),
        ],
    )


def check_most_missed_digit(most_missed_digit, confusion) -> None:
    """Most_missed_digit on the test set's matrix and on made-up ones where other readings give other digits."""
    def lowest_recall(matrix):
        return int(np.argmin(np.diag(matrix) / matrix.sum(axis=1)))

    counted = np.array([[8, 2, 0], [1, 97, 2], [0, 0, 50]])  # most mistakes: 1; lowest share right: 0
    columns = np.array([[9, 1, 0], [0, 10, 0], [5, 0, 5]])  # lowest recall: 2; lowest precision: 0
    larger = np.array([[50, 0, 0, 0], [3, 7, 0, 0], [10, 0, 90, 0], [0, 0, 0, 20]])  # recall 1; most mistakes 2
    check_function(
        most_missed_digit,
        [((counted,), 0), ((columns,), 2), ((larger,), 1), ((confusion,), lowest_recall(confusion))],
        praise="each row's diagonal count over the row's total is a digit's recall; the lowest is the digit "
               "missed most often.",
        mistakes=[
            (
                lambda m: int(np.argmax(m.sum(axis=1) - np.diag(m))),
                "That is the digit with the most mistakes in number: a digit with more images can have more "
                "mistakes and still a better share. Divide by each row's total.",
            ),
            (
                lambda m: int(np.argmin(np.diag(m) / m.sum(axis=0))),
                "That reads down the columns (precision: how often an answer is right); recall reads along a "
                "row, the real images of one digit.",
            ),
            (lambda m: int(np.argmax(np.diag(m) / m.sum(axis=1))), "That is the digit it misses least often."),
            (lambda m: float(np.min(np.diag(m) / m.sum(axis=1))), "That is the lowest recall: return its digit."),
        ],
    )
