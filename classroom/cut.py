"""The cut recipe of a graded kernel: every ``fit`` trains for a few steps only.

:func:`cut_training` is called once at the start of each kernel the grader (or ``nbgrader validate`` in the student
edition) starts, never in a learner's own kernel. Every ``fit`` still runs, returns a History and
leaves a model with the same layers and shapes, so every check runs on it as it would for the
learner; only the numbers training produces are worse. ``evaluate`` and ``predict`` are not cut
(Keras' own ``KERAS_MAX_STEPS_PER_EPOCH`` would cut them too, and a prediction for 100 of the
10,000 test images breaks the checks that use it).

``MNIST_CUT_EPOCHS`` and ``MNIST_CUT_STEPS`` (the steps of each epoch) set the cut.
"""

from __future__ import annotations

import functools
import os
import warnings

EPOCHS_VARIABLE = "MNIST_CUT_EPOCHS"
STEPS_VARIABLE = "MNIST_CUT_STEPS"
DEFAULT_EPOCHS = 2  # notebook 08 times the epochs after the first: it needs two
DEFAULT_STEPS = 5


def limits() -> tuple[int, int]:
    """(epochs, steps per epoch) of the cut, from the environment or the defaults."""
    try:
        return (int(os.environ.get(EPOCHS_VARIABLE) or DEFAULT_EPOCHS),
                int(os.environ.get(STEPS_VARIABLE) or DEFAULT_STEPS))
    except ValueError:
        raise ValueError(f"{EPOCHS_VARIABLE} and {STEPS_VARIABLE} must be whole numbers") from None


def cut_training() -> None:
    """Make ``keras.Model.fit`` train for at most the cut's epochs and steps (once; safe to call again)."""
    import keras

    if getattr(keras.Model.fit, "cut", False):
        return
    epochs, steps = limits()
    original_fit = keras.Model.fit

    @functools.wraps(original_fit)
    def fit(self, *args, **kwargs):
        if len(args) > 3:  # fit(x, y, batch_size, epochs, ...) given by position
            args = (*args[:3], min(args[3], epochs), *args[4:])
        else:
            kwargs["epochs"] = min(kwargs.get("epochs", 1), epochs)
        previous = keras.config.max_steps_per_epoch()
        keras.config.set_max_steps_per_epoch(steps)
        try:
            return original_fit(self, *args, **kwargs)
        finally:
            keras.config.set_max_steps_per_epoch(previous)

    fit.cut = True
    keras.Model.fit = fit
    warnings.filterwarnings("ignore", message="Limiting steps_per_epoch")
    warnings.filterwarnings("ignore", message="Your input ran out of data")

