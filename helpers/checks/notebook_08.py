"""The checks of notebook 08's coding exercises: the cases, expected values and typical mistakes.

Each check cell of the notebook calls one of these with the learner's answer; they live here,
out of sight, so that reading a check does not give its answer away.
"""

from __future__ import annotations

import keras
import numpy as np

from helpers.selfcheck import check_function


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


def check_conv_weights(conv_weights, cnn_model) -> None:
    """Conv_weights on the CNN's four convolutions and on made-up layers."""
    real = {
        "conv1": (3, 1, 16, True),
        "conv2": (3, 16, 32, False),
        "conv3a": (3, 32, 48, False),
        "conv3b": (3, 48, 48, False),
    }
    cases = [(settings, cnn_model.get_layer(name).count_params()) for name, settings in real.items()]
    check_function(
        conv_weights,
        cases + [((5, 3, 8, True), 608), ((1, 4, 2, False), 8), ((2, 7, 1, True), 29)],
        praise="each filter holds kernel × kernel weights per input channel, plus its bias if it has one.",
        mistakes=[
            (lambda k, c, f, b: k * k * f + f * b, "Each filter spans all in_channels input channels."),
            (lambda k, c, f, b: k * k * c * f, "A layer with bias=True adds one bias per filter."),
            (lambda k, c, f, b: k * k * c * f + f, "A layer with bias=False has no biases."),
            (lambda k, c, f, b: k * c * f + f * b, "A filter is kernel × kernel: square the kernel."),
        ],
    )
