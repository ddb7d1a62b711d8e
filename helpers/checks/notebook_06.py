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


def check_unsure_positions(unsure_positions, fresh_probabilities) -> None:
    """Unsure_positions on made-up probabilities and on the fresh sample."""
    made_up = np.array([[0.95, 0.05], [0.6, 0.4], [0.1, 0.9], [0.45, 0.55]])  # confidences 0.95, 0.6, 0.9, 0.55
    check_function(
        unsure_positions,
        [((made_up,), np.array([1, 3])), ((made_up, 0.6), np.array([3])), ((fresh_probabilities, 1.01), np.arange(10))],
        praise="the confidence is each row's maximum, and np.flatnonzero lists where it is too low.",
        mistakes=[
            (lambda p, limit=0.9: p.max(axis=1) < limit, "np.flatnonzero turns that True/False mask into positions."),
            (
                lambda p, limit=0.9: np.flatnonzero(p.max(axis=1) <= limit),
                "A confidence exactly at the limit is not below it: use <.",
            ),
            (lambda p, limit=0.9: np.flatnonzero(p.max(axis=1) >= limit), "Those are the sure ones."),
            (
                lambda p, limit=0.9: np.flatnonzero(p.min(axis=1) < limit),
                "The confidence is the largest of an image's probabilities, not the smallest.",
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
