"""The cut recipe of a graded kernel: every ``fit`` trains for a few steps only.

:func:`cut_training` is called once at the start of each kernel the grader (or ``nbgrader validate`` in the student
edition) starts, never in a learner's own kernel. Every ``fit`` still runs, returns a History and
leaves a model with the same layers and shapes, so every check runs on it as it would for the
learner; only the numbers training produces are worse. ``evaluate`` and ``predict`` are not cut
(Keras' own ``KERAS_MAX_STEPS_PER_EPOCH`` would cut them too, and a prediction for 100 of the
10,000 test images breaks the checks that use it).

``MNIST_CUT_EPOCHS`` and ``MNIST_CUT_STEPS`` (the steps of each epoch) set the cut.

Each ``fit`` is given only the samples its few steps use, when they are NumPy arrays (Keras would
first copy all of them, 60,000 images, into a tensor), and runs its few steps eagerly (without
tracing a graph first: for a few steps tracing costs more than it saves); ``evaluate`` and
``predict`` afterwards run traced, as for the learner.
``compile(steps_per_execution=N)`` (notebook 09) would run N steps per call however few steps
an epoch has: in a graded kernel it is at most the cut's steps, so the cut holds there too.

Two more parts that only measure speed, and that no check looks at, are cut the same way:
``compile(jit_compile=True)`` compiles with XLA for seconds before the first step (a learner may
try it in notebook 09): in a graded kernel every model compiles without XLA; and ``timeit`` (notebook 07 times
a prediction 5 x 10 times) times at most :data:`TIMING_REPEATS` x :data:`TIMING_NUMBER` runs. The
printed figures are then rougher; which cells run, and which checks, does not change.

Pictures no one looks at are not drawn either (:func:`cut_figures`): the graded kernel shows each
figure by its text form alone (its description), as a figure with nothing to draw is shown, instead
of rendering it to a PNG; the Figure objects, which a check may look at, are made as before.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
import warnings

EPOCHS_VARIABLE = "MNIST_CUT_EPOCHS"
STEPS_VARIABLE = "MNIST_CUT_STEPS"
DEFAULT_EPOCHS = 2  # notebook 09 times the epochs after the first: it needs two
DEFAULT_STEPS = 5
TIMING_REPEATS = 1  # timeit's repeat, at most
TIMING_NUMBER = 10  # timeit's number of runs per repeat, at most


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
        cut_figures()  # again: a kernel forked from the grader's zygote (classroom.zygote) has a new shell
        return
    epochs, steps = limits()
    original_fit = keras.Model.fit
    signature = inspect.signature(original_fit)

    @functools.wraps(original_fit)
    def fit(self, *args, **kwargs):
        given = signature.bind(self, *args, **kwargs).arguments
        given["epochs"] = min(given.get("epochs", 1), epochs)
        given.update(first_samples(given, steps))
        previous = keras.config.max_steps_per_epoch()
        keras.config.set_max_steps_per_epoch(steps)
        # A few steps run faster eagerly than traced: tracing the training step costs more than they do.
        eager, self.run_eagerly = self.run_eagerly, True
        try:
            return original_fit(**given)
        finally:
            keras.config.set_max_steps_per_epoch(previous)
            self.run_eagerly = eager
            self.train_function = self.test_function = None  # evaluate and predict run traced, as for the learner

    # XLA's compilation costs seconds and only makes full training faster: no model compiles with it.
    # (The property that compile and load_model set, not compile itself: loading a model calls compile.)
    jit = keras.Model.jit_compile
    keras.Model.jit_compile = property(jit.fget, lambda self, value: jit.fset(self, False))
    # compile and Trainer.__init__ set steps_per_execution: at most the cut's steps per call.
    keras.Model.steps_per_execution = property(lambda self: self.__dict__.get("_cut_steps_per_execution", 1),
                                               lambda self, value: self.__dict__.__setitem__(
                                                   "_cut_steps_per_execution", min(value, steps)))

    fit.cut = True
    keras.Model.fit = fit
    cut_timing()
    cut_figures()
    warnings.filterwarnings("ignore", message="Limiting steps_per_epoch")
    warnings.filterwarnings("ignore", message="Your input ran out of data")


def first_samples(given: dict, steps: int) -> dict:
    """fit's NumPy arrays cut to the samples its few steps use (Keras would copy all of them first).

    ``given``: fit's arguments by name. Training data given as NumPy arrays keeps its first ``steps``
    batches (and the share ``validation_split`` takes from their end); validation arrays keep ``steps``
    batches. Datasets, generators and dicts of arrays are left as they are.
    """
    import numpy as np

    batch = given.get("batch_size") or 32
    keep = math.ceil(steps * batch / (1 - (given.get("validation_split") or 0.0)))
    cut = {}
    if isinstance(given.get("x"), np.ndarray) and not given.get("steps_per_epoch"):
        cut = {name: given[name][:keep] for name in ("x", "y", "sample_weight")
               if isinstance(given.get(name), np.ndarray)}
    validation = given.get("validation_data")
    if isinstance(validation, tuple) and all(isinstance(part, np.ndarray) for part in validation):
        keep = steps * (given.get("validation_batch_size") or batch)
        cut["validation_data"] = tuple(part[:keep] for part in validation)
    return cut


def cut_timing() -> None:
    """Make ``timeit`` time at most TIMING_REPEATS x TIMING_NUMBER runs (once; safe to call again)."""
    import timeit

    if getattr(timeit.Timer.timeit, "cut", False):
        return
    original_timeit, original_repeat = timeit.Timer.timeit, timeit.Timer.repeat

    def timeit_cut(self, number=timeit.default_number):
        return original_timeit(self, min(number, TIMING_NUMBER))

    def repeat_cut(self, repeat=timeit.default_repeat, number=timeit.default_number):
        return original_repeat(self, min(repeat, TIMING_REPEATS), min(number, TIMING_NUMBER))

    timeit_cut.cut = repeat_cut.cut = True
    timeit.Timer.timeit, timeit.Timer.repeat = timeit_cut, repeat_cut


def cut_figures() -> None:
    """In an IPython kernel, render no figure to an image: each shows by its text form (safe to call again).

    IPython's image formatters, switched off, return nothing: :func:`helpers.style.display_described_figure`
    then shows the figure's description alone, and the inline backend draws nothing. Outside a kernel: nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    for kind in ("image/png", "image/jpeg", "image/svg+xml", "application/pdf"):
        shell.display_formatter.formatters[kind].enabled = False
