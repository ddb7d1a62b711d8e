"""The checks of notebook 07's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from helpers.selfcheck import check_function


def check_shrink(shrink, drawing) -> None:
    """Shrink on made-up grids and on the drawing, against Pillow's BOX filter."""
    box = np.asarray(Image.fromarray(drawing.astype(np.float32)).resize((28, 28), Image.Resampling.BOX), dtype=float)
    check_function(
        shrink,
        [
            ((np.arange(16.0).reshape(4, 4), 2), np.array([[2.5, 4.5], [10.5, 12.5]])),
            ((np.arange(12.0).reshape(2, 6), 2), np.array([[3.5, 5.5, 7.5]])),
            ((drawing, 10), box),
        ],
        praise="each new pixel is the mean of the block it covers, as Pillow's BOX filter computes it.",
        mistakes=[
            (lambda im, f: im[::f, ::f], "That keeps one pixel of each block: average them all."),
            (
                lambda im, f: im.reshape(-1, f, im.shape[1] // f, f).sum(axis=(1, 3)),
                "That adds each block up: divide by its number of pixels, or use .mean.",
            ),
            (
                lambda im, f: im.reshape(f, -1, f, im.shape[1] // f).mean(axis=(0, 2)),
                "That averages far-apart pixels: reshape to (rows, factor, columns, factor).",
            ),
        ],
    )


def check_pad_to_square(pad_to_square, cropped) -> None:
    """Pad_to_square on made-up images and on the crop of the drawing."""
    wide, tall = np.ones((2, 5), dtype=np.uint8), np.full((3, 2), 0.5)
    check_function(
        pad_to_square,
        [
            ((wide,), np.pad(wide, ((1, 2), (0, 0)))),
            ((tall,), np.pad(tall, ((0, 0), (0, 1)))),
            ((cropped,), np.pad(cropped, ((0, 0), (13, 14)))),
        ],
        praise="the longer side sets the square, and the padding is shared between both sides.",
        mistakes=[
            (
                lambda image: np.pad(
                    image, ((0, max(image.shape) - image.shape[0]), (0, max(image.shape) - image.shape[1]))
                ),
                "Put the image in the middle: half of the black rows (or columns) go on each side.",
            ),
            (lambda image: image, "The image must become a square: pad its shorter side."),
        ],
    )


class InkColumnReader:
    """A stand-in network for made-up images: it answers the column of an image's brightest column, divided
    by 3 (so columns 0-2 read 0, 3-5 read 1, ...), and 9 for a blank image; its answers follow every shift."""

    def predict(self, images: np.ndarray, **options) -> np.ndarray:
        """Ten probabilities per image, like a Keras model's ``predict`` (its options change nothing)."""
        columns = np.asarray(images).sum(axis=1)  # (images, 28): the ink in each column
        digits = np.where(columns.max(axis=1) > 0, np.minimum(columns.argmax(axis=1) // 3, 9), 9)
        return np.eye(10)[digits]

    def __call__(self, images: np.ndarray, **options) -> np.ndarray:
        """Called directly, as a Keras model can be: the same answers."""
        return self.predict(images)


def moved_right(images: np.ndarray, pixels: int) -> np.ndarray:
    """Each image moved ``pixels`` columns to the right: black comes in on the left, ink past the edge is lost."""
    moved = np.zeros_like(images)
    moved[:, :, pixels:] = images[:, :, :images.shape[2] - pixels]
    return moved


def check_accuracy_shifted(accuracy_shifted, model, test_images, y_test) -> None:
    """Accuracy_shifted with a stand-in network on made-up images, and with the network on 300 test digits."""
    dots = np.zeros((3, 28, 28))
    dots[0, 14, 5] = dots[1, 10, 20] = dots[2, 3, 27] = 1.0  # one bright pixel each, in columns 5, 20 and 27
    reader = InkColumnReader()

    def share_read(network, images, labels, pixels):
        return float(np.mean(network.predict(moved_right(images, pixels), verbose=0).argmax(axis=1) == labels))

    cases = [
        ((reader, dots, np.array([1, 6, 9]), 0), 1.0),  # not moved: columns 5, 20, 27 read 1, 6, 9
        ((reader, dots, np.array([2, 7, 9]), 3), 1.0),  # columns 8 and 23 read 2 and 7; the third dot is gone
        ((reader, dots, np.array([2, 6, 9]), 3), 2 / 3),
        ((model, test_images[:300], y_test[:300], 4), share_read(model, test_images[:300], y_test[:300], 4)),
    ]
    check_function(
        accuracy_shifted,
        cases,
        praise="moved right with black coming in, nothing wrapping round, and the share read as its label.",
        mistakes=[
            (
                lambda network, images, labels, pixels: share_read(
                    network, np.roll(images, pixels, axis=2), labels, 0),
                "Ink pushed past the right edge must be lost, not come back on the left (np.roll wraps round).",
            ),
            (
                lambda network, images, labels, pixels: share_read(
                    network, np.swapaxes(moved_right(np.swapaxes(images, 1, 2), pixels), 1, 2), labels, 0),
                "That moves the images down: columns are the last axis, rows the middle one.",
            ),
            (
                lambda network, images, labels, pixels: share_read(
                    network, moved_right(images[:, :, ::-1], pixels)[:, :, ::-1], labels, 0),
                "That moves the images to the left: move them right.",
            ),
            (
                lambda network, images, labels, pixels: len(labels) * share_read(network, images, labels, pixels),
                "That is how many: divide by the number of images to get a share.",
            ),
        ],
    )
