"""The checks of notebook 01's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np

from helpers.selfcheck import check_function


def check_pixels_per_image(pixels_per_image, x_train) -> None:
    """Pixels_per_image on MNIST and on three made-up images of 5 × 7 pixels."""
    check_function(
        pixels_per_image,
        [((x_train,), 784), ((np.zeros((3, 5, 7)),), 35)],
        praise="one image holds rows × columns numbers: 28 × 28 = 784 for MNIST.",
        mistakes=[
            (lambda images: images.size, "That counts the numbers of all the images together."),
            (lambda images: 784, "Read the rows and columns from images.shape instead of typing 784."),
            (
                lambda images: images.shape[1] + images.shape[2],
                "A grid holds rows × columns numbers, not rows + columns.",
            ),
        ],
    )


def check_most_common_label(most_common_label, y_train, train_counts) -> None:
    """Most_common_label on y_train and on made-up labels."""
    check_function(
        most_common_label,
        [((y_train,), 1), ((np.array([3, 7, 3, 2, 3]),), 3), ((np.array([9, 0, 9]),), 9)],
        praise=f"1 has {train_counts[1]:,} training images, the most of any digit.",
        mistakes=[
            (lambda labels: labels.max(), "That is the largest label, not the most frequent one."),
            (
                lambda labels: np.bincount(labels).max(),
                "That is how often the commonest label appears; argmax() says which label it is.",
            ),
            (lambda labels: 1, "1 is the answer for y_train only: count the labels you are given."),
        ],
    )


def check_to_pixels(to_pixels, pixels, scaled) -> None:
    """To_pixels undoes the scaling of real and made-up pixels."""
    made_up = np.array([0.0, 0.2, 0.999, 1.0], dtype="float32")
    check_function(
        to_pixels,
        [((scaled[:100],), pixels[:100]), ((made_up,), np.uint8([0, 51, 255, 255]))],
        praise="multiply by 255, round and store as uint8: 0.2 is the pixel 51 again.",
        mistakes=[
            (lambda scaled: np.round(scaled * 255), "These are still decimals: store them as uint8."),
            (
                lambda scaled: (scaled * 255).astype("uint8"),
                "astype cuts the decimals off (254.7 becomes 254): round with np.round first.",
            ),
            (lambda scaled: scaled.astype("uint8") * 255, "Converting first makes 0.2 a 0."),
        ],
    )
