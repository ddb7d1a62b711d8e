"""Notebook 07's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import numpy as np
import pytest
from exercise_tools import exercise_tests, notebook

NOTEBOOK = notebook("07")
WRONG = {
    "07-shrink": ["return image[::factor, ::factor]",
                  "return image.reshape(image.shape[0] // factor, factor, -1, factor).sum(axis=(1, 3))",
                  "return image.reshape(factor, image.shape[0] // factor, factor, -1).mean(axis=(0, 2))",
                  "return image.reshape(image.shape[0] // factor, factor, -1, factor).mean(axis=(0, 2))",
                  "return image.reshape(image.shape[0] // factor, factor, -1, factor).mean(axis=(1, 3)).astype(int)",
                  "return np.asarray(Image.fromarray(image).resize((28, 28), Image.Resampling.BILINEAR))"],
    "07-pad-to-square": ["side = max(image.shape)\n"
                         "return np.pad(image, ((0, side - image.shape[0]), (0, side - image.shape[1])))",
                         "side = max(image.shape)\nh, w = image.shape\n"
                         "return np.pad(image, (((side - h + 1) // 2, (side - h) // 2),\n"
                         "                      ((side - w + 1) // 2, (side - w) // 2)))",
                         "side = min(image.shape)\nreturn np.zeros((side, side), dtype=image.dtype)",
                         "side = max(image.shape)\nh, w = image.shape\nsquare = np.zeros((side, side))\n"
                         "square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = image\n"
                         "return square",
                         "return image"],
    "07-accuracy-shifted": [
        "return float(np.mean(model.predict(np.roll(images, pixels, axis=2), verbose=0).argmax(axis=1) == labels))",
        "return float(np.mean(model.predict(np.roll(images, pixels, axis=1), verbose=0).argmax(axis=1) == labels))",
        "moved = np.zeros_like(images)\nmoved[:, :, pixels:] = images[:, :, :-pixels]\n"
        "return float(np.mean(model.predict(moved, verbose=0).argmax(axis=1) == labels))",
        "moved = np.zeros_like(images)\nmoved[:, pixels:, :] = images[:, :images.shape[1] - pixels, :]\n"
        "return float(np.mean(model.predict(moved, verbose=0).argmax(axis=1) == labels))",
        "moved = np.zeros_like(images)\nmoved[:, :, :images.shape[2] - pixels] = images[:, :, pixels:]\n"
        "return float(np.mean(model.predict(moved, verbose=0).argmax(axis=1) == labels))",
        "moved = np.zeros_like(images)\nmoved[:, :, pixels:] = images[:, :, :images.shape[2] - pixels]\n"
        "return int(np.sum(model.predict(moved, verbose=0).argmax(axis=1) == labels))",
        "return float(np.mean(model.predict(images, verbose=0).argmax(axis=1) == labels))"],
}
COPIED = {
    "07-shrink": "return np.array([[2.5, 4.5], [10.5, 12.5]])",
    "07-pad-to-square": "return np.array([[0] * 5, [1] * 5, [1] * 5, [0] * 5, [0] * 5], dtype=np.uint8)",
    "07-accuracy-shifted": "return 0.977",
}


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 07's exercise and check cells use, as the cells above them define it
    (the drawing of a 7 in the corner, its crop, MNIST's test digits); the network is a stand-in
    that reads the column of a digit's brightest column, so that moving a digit changes its answers."""
    from PIL import Image

    from helpers import preprocess
    from helpers.checks.notebook_07 import InkColumnReader
    from helpers.data import load_mnist
    from helpers.widgets import load_example_strokes, render_strokes

    corner_seven = [[(0.45 * x + 8, 0.45 * y + 10) for x, y in stroke] for stroke in load_example_strokes()["7"]]
    drawing = render_strokes(corner_seven)
    _, (x_test, y_test) = load_mnist()
    return {"np": np, "Image": Image, "preprocess": preprocess, "drawing": drawing, "x_test": x_test,
            "cropped": preprocess.crop_to_ink(drawing / 255.0), "model": InkColumnReader(),
            "test_images": x_test[:1000] / 255.0, "y_test": InkColumnReader().predict(x_test).argmax(axis=1)}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
