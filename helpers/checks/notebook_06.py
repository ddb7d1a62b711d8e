"""The checks of notebook 06's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.selfcheck import check_function


def check_pred_title(pred_title) -> None:
    """Pred_title on made-up probabilities."""
    check_function(
        pred_title,
        [
            ((np.array([0.1, 0.05, 0.6, 0.25]),), "Pred: 2 (60.0%)"),
            ((np.array([0.3, 0.7]),), "Pred: 1 (70.0%)"),
            ((np.eye(10)[9],), "Pred: 9 (100.0%)"),
        ],
        praise="argmax() names the answer, and its probability is the confidence.",
        mistakes=[
            (
                lambda p: f"Pred: {p.argmax()} ({p.max():.1f})",
                "Write the confidence as a percentage: {share:.1%} turns 0.6 into 60.0%.",
            ),
            (lambda p: f"Pred: {p.argmin()} ({p.min():.1%})", "That is the least likely digit."),
            (
                lambda p: f"Pred: {p.max()} ({p.argmax():.1%})",
                "The answer is the position of the largest probability (argmax), the confidence its value.",
            ),
        ],
    )


def check_wrong_among_sure(wrong_among_sure, test_probabilities, y_test) -> None:
    """Wrong_among_sure on made-up answers and on all the test images."""
    made_up = np.array([[0.95, 0.05], [0.92, 0.08], [0.6, 0.4], [0.1, 0.9]])  # confidences 0.95, 0.92, 0.6, 0.9
    labels = np.array([0, 1, 1, 1])  # answers 0, 0, 0, 1: the second and third are wrong
    sure = test_probabilities.max(axis=1) >= 0.9
    on_test = float(np.mean(test_probabilities.argmax(axis=1)[sure] != y_test[sure]))
    check_function(
        wrong_among_sure,
        [((made_up, labels), 1 / 3), ((made_up, labels, 0.95), 0.0), ((made_up, labels, 0.5), 0.5),
         ((test_probabilities, y_test), on_test)],
        praise="the sure answers are those with confidence at or above the limit, and the share is taken "
               f"among them. On all the test images, {on_test:.1%} of the sure answers are wrong.",
        mistakes=[
            (
                lambda p, y, limit=0.9: np.sum((p.argmax(axis=1) != y) & (p.max(axis=1) >= limit)) / len(y),
                "That is a share of all the images: divide by the number of sure answers only.",
            ),
            (
                lambda p, y, limit=0.9: np.mean((p.argmax(axis=1) != y)[p.max(axis=1) > limit]),
                "A confidence exactly at the limit counts as sure: use >=.",
            ),
            (
                lambda p, y, limit=0.9: np.mean((p.argmax(axis=1) == y)[p.max(axis=1) >= limit]),
                "That is the share the model gets right: count the wrong answers.",
            ),
            (
                lambda p, y, limit=0.9: np.mean((p.argmax(axis=1) != y)[p.max(axis=1) < limit]),
                "Those are the unsure answers: keep the images whose confidence reaches the limit.",
            ),
            (
                lambda p, y, limit=0.9: np.sum((p.argmax(axis=1) != y)[p.max(axis=1) >= limit]),
                "That is how many: divide by the number of sure answers to get a share.",
            ),
            (
                lambda p, y, limit=0.9: np.mean(p.max(axis=1) >= limit),
                "That is the share of sure answers: of those, count the ones whose answer is not the label.",
            ),
        ],
    )


def check_top_three(top_three) -> None:
    """Top_three on made-up probabilities."""
    made_up = np.array([0.05, 0.4, 0.0, 0.1, 0.3, 0.0, 0.0, 0.15, 0.0, 0.0])
    check_function(
        top_three,
        [((made_up,), np.array([1, 4, 7])), ((np.array([0.2, 0.1, 0.3, 0.05, 0.35]),), np.array([4, 2, 0]))],
        praise="np.argsort orders the digits by probability; reversed, the likeliest come first.",
        mistakes=[
            (lambda p: np.argsort(p)[:3], "Those are the least likely: argsort starts at the smallest."),
            (lambda p: np.argsort(p)[-3:], "The right three digits, but the likeliest must come first."),
            (lambda p: np.sort(p)[::-1][:3], "Those are probabilities; return the digits (positions)."),
        ],
    )
