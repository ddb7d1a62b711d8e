"""The checks of notebook 05's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.evaluate import confusion_matrix
from helpers.selfcheck import check_function


def check_mistakes_at(mistakes_at) -> None:
    """Mistakes_at on made-up predictions and labels."""
    check_function(
        mistakes_at,
        [
            ((np.array([7, 2, 1, 0, 4]), np.array([7, 2, 7, 0, 9])), np.array([2, 4])),
            ((np.array([5, 1, 1, 8]), np.array([1, 1, 1, 8])), np.array([0])),
            ((np.array([3, 3]), np.array([3, 3])), np.array([], dtype=np.intp)),
        ],
        praise="np.flatnonzero(predictions != labels) lists where the answer is wrong.",
        mistakes=[
            (lambda p, t: p != t, "That is True/False per image: np.flatnonzero turns it into positions."),
            (lambda p, t: np.flatnonzero(p == t), "Those are the right answers: compare with !=."),
            (lambda p, t: p[p != t], "Those are the wrong answers themselves, not their positions."),
        ],
    )


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


def check_precision_of(precision_of, precision, predictions, y_test) -> None:
    """Precision_of on the test set and on made-up answers."""
    said = np.array([3, 3, 3, 3, 5, 8, 1])  # made up: "3" four times, right twice
    true = np.array([3, 3, 5, 8, 5, 3, 1])
    check_function(
        precision_of,
        [((predictions, y_test, 3), precision), ((said, true, 3), 0.5), ((said, true, 5), 1.0)],
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
