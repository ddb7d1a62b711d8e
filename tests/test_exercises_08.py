"""Notebook 08's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import contextlib
import io

import numpy as np
import pytest
from exercise_tools import cells, exercise_tests, notebook, source

NOTEBOOK = notebook("08")
WRONG = {
    "08-dropout": ["return values * keep", "return values * keep / rate", "return values * keep * (1 - rate)",
                   "return values / (1 - rate)", "return np.where(keep, 0, values / (1 - rate))"],
    "08-cosine-learning-rate": [
        "return initial * (1 + np.cos(np.pi * step / decay_steps)) / 2",
        "return initial * (1 + np.cos(np.pi * min(step, decay_steps) / decay_steps))",
        "return initial * np.cos(np.pi * min(step, decay_steps) / decay_steps)",
        "return initial * (1 - min(step, decay_steps) / decay_steps)",
        "return initial * (1 + np.cos(min(step, decay_steps) / decay_steps)) / 2",
        "return (1 + np.cos(np.pi * min(step, decay_steps) / decay_steps)) / 2"],
    "08-receptive-field": [
        "return sum(window for window, stride in layers)",
        "return 1 + sum(window - 1 for window, stride in layers)",
        "width, distance = 1, 1\nfor window, stride in layers:\n    distance *= stride\n"
        "    width += (window - 1) * distance\nreturn width",
        "width = 1\nfor window, stride in layers:\n    width *= window\nreturn width"],
    "08-conv-weights": ["return kernel * kernel * filters + (filters if bias else 0)",
                        "return kernel * kernel * in_channels * filters",
                        "return kernel * kernel * in_channels * filters + filters",
                        "return kernel * in_channels * filters + (filters if bias else 0)",
                        "return kernel * kernel * in_channels * filters + (in_channels if bias else 0)"],
}
COPIED = {"08-dropout": "return np.float32([1.25, 0, 3.75, 5])", "08-cosine-learning-rate": "return 0.0015",
          "08-receptive-field": "return 8", "08-conv-weights": "return 4608"}


def defining_cell(name: str) -> str:
    """The source of the notebook's one code cell that assigns ``name``."""
    found = [source(cell) for cell in cells(NOTEBOOK)
             if cell["cell_type"] == "code" and f"\n{name} = " in "\n" + source(cell)]
    assert len(found) == 1, name
    return found[0]


@pytest.fixture(scope="module")
def namespace() -> dict:
    """What notebook 08's exercise and check cells use, as the cells above them define it (untrained)."""
    import keras

    from helpers.setup import SEED

    defined = {"np": np, "keras": keras, "SEED": SEED}
    with contextlib.redirect_stdout(io.StringIO()):  # the cells print what they built
        for name in ("dropout_layer", "cosine_5_epochs", "cnn_model"):
            exec(defining_cell(name), defined)
    return {name: defined[name] for name in ("np", "keras", "ones", "dropout_layer", "cosine_5_epochs", "cnn_model")}


test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
    exercise_tests(NOTEBOOK, WRONG, COPIED))
