"""The checks of notebook 08's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import keras
import numpy as np

from helpers.data import MNIST_PATH
from helpers.model import model_dirs, model_path, save_atomically, shown_path
from helpers.selfcheck import check_function, needs_your_functions, require


def check_dropout(dropout, dropout_layer, ones) -> None:
    """Dropout against Keras' Dropout layer and on made-up values."""
    keras_output = dropout_layer(ones, training=True).numpy()
    made_up = [
        ((np.float32([[2, -1, 0.5, 4]]), np.array([[True, False, True, True]]), 0.5), np.float32([[4, 0, 1, 8]])),
        ((np.float32([3, 1, 2]), np.array([False, True, True]), 0.75), np.float32([0, 4, 8])),
    ]
    check_function(
        dropout,
        [((ones, keras_output != 0, 0.2), keras_output)] + made_up,
        praise="the kept values are divided by the share kept, 1 - rate, and the others are 0, as in Keras.",
        mistakes=[
            (lambda values, keep, rate: values * keep, "Scale the kept values up by 1 / (1 - rate)."),
            (lambda values, keep, rate: values * keep / rate, "Divide by the share kept, 1 - rate."),
            (lambda values, keep, rate: values * keep * (1 - rate), "Kept values must grow."),
            (lambda values, keep, rate: values / (1 - rate), "Values where keep is False must become 0."),
        ],
    )


def check_cosine_learning_rate(cosine_learning_rate, cosine_5_epochs) -> None:
    """Cosine_learning_rate against Keras' CosineDecay, on this notebook's schedule and another."""
    made_up = keras.optimizers.schedules.CosineDecay(0.5, decay_steps=100)
    cases = [((step, 3e-3, 5 * 211), cosine_5_epochs(step)) for step in (0, 300, 527, 5 * 211)]
    cases += [((step, 0.5, 100), made_up(step)) for step in (25, 60, 150)]
    check_function(
        cosine_learning_rate,
        [(arguments, round(float(rate), 8)) for arguments, rate in cases],
        praise="from the initial rate down to 0 along half a cosine, then 0: Keras' CosineDecay.",
        mistakes=[
            (
                lambda step, initial, decay_steps: initial * (1 + np.cos(np.pi * step / decay_steps)) / 2,
                "After decay_steps steps the rate stays at 0: use min(step, decay_steps).",
            ),
            (
                lambda step, initial, decay_steps: initial * (1 + np.cos(np.pi * step / decay_steps)),
                "1 + cos(...) starts at 2: divide by 2 so that the rate starts at initial.",
            ),
            (
                lambda step, initial, decay_steps: initial * np.cos(np.pi * step / decay_steps),
                "The cosine alone falls to -1: (1 + cos(...)) / 2 falls from 1 to 0.",
            ),
            (
                lambda step, initial, decay_steps: initial * (1 - step / decay_steps),
                "That falls along a straight line; the schedule follows a cosine.",
            ),
        ],
        forbidden=[keras.optimizers.schedules.CosineDecay.__call__],
    )


def check_receptive_field(receptive_field) -> None:
    """Receptive_field on conv 3x3 -> pool 2x2 -> conv 3x3 and on made-up stacks of layers."""
    check_function(
        receptive_field,
        [
            (([(3, 1), (2, 2), (3, 1)],), 8),
            (([(3, 1)],), 3),
            (([(5, 1), (2, 2), (5, 1)],), 14),
            (([(2, 2), (2, 2), (3, 1)],), 12),
            (([],), 1),
        ],
        praise="3 pixels, +1 for the pooling's second column, +2 x 2 for the next filter's extra columns.",
        mistakes=[
            (
                lambda layers: sum(window for window, stride in layers),
                "Adding up the windows gives 8 only by chance: a layer adds (window - 1) × the distance.",
            ),
            (
                lambda layers: 1 + sum(window - 1 for window, stride in layers),
                "After a stride of 2 the inputs are further apart: multiply (window - 1) by the distance.",
            ),
            (lambda layers: 8, "8 is the answer for one stack only: compute it from the layers given."),
        ],
    )


MY_NETWORK = "my_network"  # handed in as models/my_network.keras, its training time in my_network.json
TIME_LIMIT_SECONDS = 180  # on a 2-core laptop; the worked answer trains in 16-26 s on the test machine
GOAL = 0.98  # of the 10,000 test digits, which no network of the series trains on


def hand_in_paths(models_dir: Path | None = None) -> tuple[Path, Path]:
    """The hand-in's two files in a models folder: the network (``my_network.keras``) and its training time."""
    network = model_path(MY_NETWORK, models_dir)
    return network, network.with_suffix(".json")


def train_and_hand_in(train_my_network) -> keras.Model | None:
    """Time ``train_my_network()`` and save the network it returns as the hand-in; return the network.

    Saved in ``models/``, or where that is read-only (a class's shared copy) in the per-user models
    folder, as the series' own network is. In a graded kernel, where every ``fit`` is cut to a few
    steps (:mod:`classroom.cut`), the network handed in with the notebook is kept, not saved over.
    """
    network, start = None, time.perf_counter()
    with needs_your_functions():
        network = train_my_network()
    seconds = time.perf_counter() - start
    if not isinstance(network, keras.Model):
        print("✗ Not yet. train_my_network() returns no network yet: write it above, then run this cell again.")
        return None
    if getattr(keras.Model.fit, "cut", False):
        print("Training is cut short while grading: the network handed in with the notebook is the one checked.")
        return network
    for directory in model_dirs():
        network_path, seconds_path = hand_in_paths(directory)
        try:
            save_atomically(network, network_path)
            seconds_path.write_text(json.dumps({"training_seconds": round(seconds, 1)}) + "\n", encoding="utf-8")
        except OSError:
            continue
        print(f"Trained in {seconds:.0f} s and saved as {shown_path(network_path)}: hand it in with this notebook.")
        return network
    print(f"✗ Trained in {seconds:.0f} s, but no models folder is writable here, so nothing was saved: "
          "run the notebook from a copy of the project you can write to.")
    return network


def handed_in() -> tuple[keras.Model, float]:
    """The network handed in and the seconds it trained in; FileNotFoundError if there is none."""
    for directory in model_dirs():
        network_path, seconds_path = hand_in_paths(directory)
        if network_path.exists() and seconds_path.exists():
            seconds = float(json.loads(seconds_path.read_text(encoding="utf-8"))["training_seconds"])
            return keras.models.load_model(network_path), seconds
    network_path, seconds_path = hand_in_paths()
    raise FileNotFoundError(f"no network handed in: {shown_path(network_path)} and {seconds_path.name} "
                            "are made by the cell that calls train_and_hand_in")


def held_out_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 test digits as stored (uint8) and their labels, read without the training set."""
    with np.load(MNIST_PATH, allow_pickle=False) as arrays:
        return arrays["x_test"], arrays["y_test"]


def scores_of(network: keras.Model, images: np.ndarray, batch_size: int = 500) -> np.ndarray:
    """The network's outputs for uint8 ``images``, each batch scaled to [0, 1] as ``batches`` scales them
    (no float copy of all the images: the kernel's memory stays within a classroom's)."""
    return np.concatenate([np.asarray(network(images[start:start + batch_size] / np.float32(255), training=False))
                           for start in range(0, len(images), batch_size)])


def layer_plan(network: keras.Model) -> list[tuple[str, tuple]]:
    """Each layer's kind and its weights' shapes: what a network's design is, without its values."""
    return [(type(layer).__name__, tuple(tuple(weight.shape) for weight in layer.weights))
            for layer in network.layers]


def my_network_problem(my_network, cnn_model: keras.Model) -> tuple[str | None, float]:
    """What is wrong with the hand-in, in one sentence (``None`` if nothing), and its test accuracy."""
    if not isinstance(my_network, keras.Model):
        return "train_my_network() returns no network yet: write it and run the cell that hands it in.", 0.0
    try:
        network, seconds = handed_in()
    except FileNotFoundError as error:
        return f"{error}; run that cell.", 0.0
    except Exception as error:  # a damaged or edited file: Keras' or JSON's own error says what
        return f"the network handed in cannot be read ({error}); run the cell that hands it in again.", 0.0
    if layer_plan(network) != layer_plan(my_network):
        return ("the network handed in is not the one train_my_network() builds now: run the cell that "
                "hands it in again."), 0.0
    if layer_plan(network) == layer_plan(cnn_model):
        return "that is this notebook's CNN, layer for layer: design a network of your own.", 0.0
    images, labels = held_out_digits()
    try:
        scores = scores_of(network, images)
    except Exception as error:
        return f"the network cannot read 28 x 28 images scaled to [0, 1] ({type(error).__name__}).", 0.0
    if scores.shape != (len(labels), 10):
        return f"the network should give 10 scores per image; it gives an array shaped {scores.shape}.", 0.0
    accuracy = float(np.mean(scores.argmax(axis=1) == labels))
    if accuracy < GOAL:
        return (f"it reads {accuracy:.2%} of the test digits right; the goal is {GOAL:.0%}. Watch the validation "
                "accuracy per epoch: more epochs, convolutions or a larger learning rate may help."), accuracy
    if seconds > TIME_LIMIT_SECONDS:
        return (f"it reads {accuracy:.2%} right but trained for {seconds:.0f} s; the limit is "
                f"{TIME_LIMIT_SECONDS} s: fewer epochs or a smaller network."), accuracy
    return None, accuracy


def check_my_network(my_network, cnn_model: keras.Model) -> None:
    """The hand-in: the network train_my_network() builds, not the CNN, 98% of the test digits, in time."""
    problem, accuracy = my_network_problem(my_network, cnn_model)
    require(problem is None, problem=problem or "",
            praise=f"your network reads {accuracy:.2%} of the 10,000 held-out test digits right, "
                   f"trained within {TIME_LIMIT_SECONDS} s.")
