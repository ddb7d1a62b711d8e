"""Notebook 08's coding exercises: each check passes on the worked answer and fails on a blank,
on typical wrong answers and on a value copied from an output (see exercise_tools)."""

import contextlib
import io

import numpy as np
import pytest
from exercise_tools import CODE_STUB, MARKERS, cells, exercise_tests, exercises, notebook, run, source, worked_answer

from helpers.model import MODELS_DIR_VARIABLE
from helpers.selfcheck import NotYet

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
}
COPIED = {"08-dropout": "return np.float32([1.25, 0, 3.75, 5])", "08-cosine-learning-rate": "return 0.0015",
          "08-receptive-field": "return 8"}


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


_, test_checks_fail_on_blank_wrong_and_copied_answers = exercise_tests(NOTEBOOK, WRONG, COPIED)

# The network of the learner's own design: its answers train (or hand in) networks, tested below.
HAND_IN = "08-my-network"
TESTED_APART = (HAND_IN,)  # not in WRONG: tests/test_classroom.py counts it tested here
LINEAR = ('keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense({units}, '
          'activation="softmax")])')
WRONG_NETWORKS = {
    "return cnn_model": "this notebook's CNN",  # the series' network handed in as it is
    f"return {LINEAR.format(units=10)}": "the goal is 98%",  # never trained
    f"return {LINEAR.format(units=5)}": "10 scores per image",
}


def test_every_exercise_is_tested():
    assert set(exercises(NOTEBOOK)) == set(WRONG) | {HAND_IN} and set(WRONG) == set(COPIED)


def test_the_hand_in_passes_a_trained_network_and_catches_the_rest(namespace, tmp_path, monkeypatch, capsys):
    """The worked answer trains (about 25 s), is handed in and passes; a slow one, a stale one, a blank
    one, the notebook's own CNN, an untrained one and one with 5 outputs each fail in one sentence."""
    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))
    solution, check = exercises(NOTEBOOK)[HAND_IN]
    space = {**namespace, **data_and_batches()}
    run(space, solution, check, worked_answer(solution))
    assert capsys.readouterr().out.rstrip().splitlines()[-1].startswith("✓ Correct: your network reads 98")
    assert (tmp_path / "my_network.keras").exists()
    (tmp_path / "my_network.json").write_text('{"training_seconds": 400}')
    with pytest.raises(NotYet, match="trained for 400 s; the limit is 180 s"):
        exec(MARKERS.sub("", source(check)), space)
    space["my_network"] = space["cnn_model"]  # changed since it was handed in
    with pytest.raises(NotYet, match="not the one train_my_network"):
        exec(MARKERS.sub("", source(check)), space)
    for answer, sentence in {CODE_STUB: "returns no network", **WRONG_NETWORKS}.items():
        with pytest.raises(NotYet, match=sentence) as failure:
            run(dict(space), solution, check, answer)
        assert failure.value._render_traceback_()[0].startswith("✗ Not yet."), answer


def test_a_graded_kernel_keeps_the_network_handed_in(namespace, tmp_path, monkeypatch, capsys):
    import keras

    from helpers.checks.notebook_08 import train_and_hand_in

    monkeypatch.setenv(MODELS_DIR_VARIABLE, str(tmp_path))
    (tmp_path / "my_network.keras").write_text("the learner's")
    monkeypatch.setattr(keras.Model.fit, "cut", True, raising=False)  # as classroom.cut marks it
    assert train_and_hand_in(lambda: namespace["cnn_model"]) is namespace["cnn_model"]
    assert (tmp_path / "my_network.keras").read_text() == "the learner's"
    assert "network handed in with the notebook" in capsys.readouterr().out


def data_and_batches() -> dict:
    """What the hand-in's worked answer uses: the splits, `batches`, `val_batches`, `SEED` and `layers`."""
    from classroom.course import hand_in_setup

    defined: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in hand_in_setup(NOTEBOOK):
            exec(cell, defined)
    from keras import layers
    names = ("x_fit", "y_fit", "x_val", "y_val", "batches", "val_batches", "SEED")
    return {name: defined[name] for name in names} | {"layers": layers}
