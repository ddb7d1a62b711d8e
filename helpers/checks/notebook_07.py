"""The checks of notebook 07's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from helpers import preprocess
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


def check_bright_ink(bright_ink, grey, x_test) -> None:
    """Bright_ink on the photo's grey levels, on an MNIST digit and on a made-up picture."""
    made_up = np.array([[200, 200, 200], [200, 50, 125]], dtype=np.uint8)
    check_function(
        bright_ink,
        [
            ((made_up,), np.array([[0, 0, 0], [0, 1, 0.5]])),
            ((255 - x_test[0],), x_test[0] / 255),
            ((grey,), 1 - preprocess.rescale(grey)),
        ],
        praise="stretched by its own darkest and lightest values, then turned round: ink 1, paper 0.",
        mistakes=[
            (lambda picture: 1 - picture / 255, "Stretch its own darkest..lightest values, not 0..255."),
            (
                lambda picture: (picture - picture.min()) / (picture.max() - picture.min()),
                "Now the ink is 0 and the paper 1: turn it round.",
            ),
            (lambda picture: picture.max() - picture, "Divide by lightest - darkest, so the ink is 1."),
        ],
        forbidden=[preprocess.rescale],
    )
