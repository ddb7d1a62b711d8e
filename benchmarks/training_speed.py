"""Notebook 09's training-speed measurements from the command line, as medians of repeats.

Usage (from the project folder, with the project's environment active):

    python benchmarks/training_speed.py              # 5 repeats of every set-up, then 5 races
    python benchmarks/training_speed.py --repeats 3 --no-race

Every repeat measures NumPy's float32 matrix-multiply rate (best of 5 products) and, interleaved
with it so that both see the same background load, one epoch of the 784-128-10 network under
each of notebook 09's set-ups (the best of 2 timed epochs after a warm-up, on the original's
10,000 images, scaled to 60,000, as in the notebook). The shares of the
matmul rate count the work Keras really does per 60,000-image epoch, 24.5 GFLOP (no gradient
for the input pixels), not the 36.6 GFLOP of the 3 x 2 textbook rule. A ceiling follows:
TensorFlow's own rate for the two large products of a training step, as a share of NumPy's
rate; no set-up can beat it. The race then times the original recipe (10,000 images, 5 epochs,
batch 16) against notebook 09's fast recipe (a whole epoch per call and the tf.data pipeline, with
batches of 250), from
building the network to the end of training.
The network, the pipeline, the epoch timer, the set-ups and both recipes of the race are notebook
09's own code, taken from its cells (benchmarks/notebook_code.py), seeded with helpers.setup.SEED.
It prints the machine's load average with every table: timings depend on whatever else the
machine is running.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import statistics
import time
from collections.abc import Callable, Iterator
from typing import NamedTuple

import keras
import notebook_code
import numpy as np
import tensorflow as tf

from helpers.data import scale_pixels
from helpers.setup import SEED

NOTEBOOK = notebook_code.NOTEBOOKS / "09_faster_and_trustworthy.ipynb"
EPOCH_IMAGES = 60_000
TIMED_IMAGES = 10_000  # as in the notebook, every set-up is timed on the original's 10,000 images, scaled to 60,000

# Notebook 09's network, pipeline and epoch timer; EpochTimer uses the `time` an earlier cell imports.
NOTEBOOK_CODE = notebook_code.definitions(NOTEBOOK, ["dense_network", "batches", "EpochTimer"],
                                          {"SEED": SEED, "time": time})
dense_network: Callable[[], keras.Model] = NOTEBOOK_CODE["dense_network"]
EpochTimer: type[keras.callbacks.Callback] = NOTEBOOK_CODE["EpochTimer"]


@contextlib.contextmanager
def op_determinism_off() -> Iterator[None]:
    """Switch TensorFlow's op determinism off inside the block (Keras then allows ``jit_compile``).

    ``setup_notebook`` turns determinism on so that every accuracy repeats exactly, and while it is on
    Keras quietly turns ``compile(jit_compile=True)`` off again; the ceiling below compiles with XLA.

    TensorFlow has a public switch to turn determinism on but none to turn it off, so this
    uses its internal one; the previous state is restored on leaving the block, even on an error.
    """
    from tensorflow.python.framework import config as tf_config

    was_enabled = tf_config.is_op_determinism_enabled()
    tf_config.disable_op_determinism()
    try:
        yield
    finally:
        if was_enabled:
            tf_config.enable_op_determinism()


def rule_flop(n_images: int = EPOCH_IMAGES, hidden: int = 128) -> int:
    """The textbook 3 x 2 rule: 6 FLOP per weight per image (36.6 GFLOP per epoch for 784-128-10)."""
    return 6 * n_images * (784 * hidden + hidden * 10)


def work_flop(n_images: int = EPOCH_IMAGES, hidden: int = 128) -> int:
    """FLOP Keras really does per epoch: forward, every weight's gradient, and the error passed back
    to the hidden layer only (no gradient for the pixels): 24.5 GFLOP for 784-128-10."""
    return 2 * n_images * (2 * 784 * hidden + 3 * hidden * 10)


def best_seconds(run: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` timed calls of ``run``, after one untimed warm-up call."""
    run()
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def matmul_gflops(size: int = 2048, repeats: int = 5, seed: int = 0) -> float:
    """NumPy's float32 matrix-multiply rate here, in GFLOP/s: the best of ``repeats`` products."""
    if size < 1 or repeats < 1:
        raise ValueError("size and repeats must be at least 1")
    rng = np.random.default_rng(seed)
    a, b = (rng.random((size, size), dtype=np.float32) for _ in range(2))
    return 2 * size**3 / best_seconds(lambda: a @ b, repeats) / 1e9  # the warm-up pays for thread start-up


def step_products_gflops(batch_size: int = 500, steps: int = 10, repeats: int = 5) -> float:
    """TensorFlow's float32 rate, in GFLOP/s, for the two large products of a training step.

    They are the first layer's forward product (batch x 784 @ 784 x 128) and its weights' gradient
    (784 x batch @ batch x 128), almost all of the 24.5 GFLOP of an epoch. ``steps`` pairs of them
    run in one compiled call, so Python's overhead is left out: no Keras set-up of the 784-128-10
    network can do its products faster. The best of ``repeats`` calls.
    """
    if batch_size < 1 or steps < 1 or repeats < 1:
        raise ValueError("batch_size, steps and repeats must be at least 1")
    images, weights = tf.random.uniform((batch_size, 784), seed=0), tf.random.uniform((784, 128), seed=1)
    errors = tf.random.uniform((batch_size, 128), seed=2)  # stands in for the error at the hidden layer

    @tf.function(jit_compile=True, autograph=False)  # a plain sequence of products: nothing to convert
    def training_products(images, weights, errors):
        return tf.add_n([tf.reduce_sum(tf.matmul(images + float(i), weights))
                         + tf.reduce_sum(tf.matmul(images + float(i), errors, transpose_a=True))
                         for i in range(steps)])

    seconds = best_seconds(lambda: training_products(images, weights, errors).numpy(), repeats)  # warm-up compiles
    return 2 * 2 * steps * batch_size * 784 * 128 / seconds / 1e9


class Setup(NamedTuple):
    """One way of running ``fit``, as in notebook 09's table."""

    name: str
    batch_size: int
    steps_per_execution: int = 1
    tf_data: bool = False


def notebook_setups() -> tuple[Setup, ...]:
    """Notebook 09's table of set-ups (its cell that assigns ``SETUPS``), as :class:`Setup` rows."""
    namespace = {}
    notebook_code.run_cell(NOTEBOOK, "SETUPS", namespace)
    return tuple(Setup(*row) for row in namespace["SETUPS"])


SETUPS = notebook_setups()


def batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int = SEED) -> tf.data.Dataset:
    """Notebook 09's ``batches``: (x, y) cut into full batches of uint8 pixels once; a new order of the batches
    every epoch, each scaled to 0-1 as it is served.

    The notebook's function assumes a batch size that divides the data; this checks it first.
    """
    if batch_size < 1 or len(x) % batch_size or len(x) != len(y):
        raise ValueError(f"need as many labels as images and a batch size dividing {len(x)}, got {batch_size}")
    return NOTEBOOK_CODE["batches"](x, y, batch_size, seed)


def epoch_seconds(setup: Setup, x: np.ndarray, y: np.ndarray, epochs: int = 3) -> float:
    """Seconds for one 60,000-image epoch: the best epoch after the first (which compiles), scaled.

    Every set-up trains on the first 10,000 images, the original's own, as in the notebook.
    """
    n = min(len(x), TIMED_IMAGES)
    model = dense_network()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=setup.steps_per_execution)
    data = ({"x": batches(x[:n], y[:n], setup.batch_size), "shuffle": False} if setup.tf_data
            else {"x": scale_pixels(x[:n]), "y": y[:n], "batch_size": setup.batch_size})
    timer = EpochTimer()
    model.fit(**data, epochs=epochs, callbacks=[timer], verbose=0)
    return min(timer.seconds[1:]) * EPOCH_IMAGES / n


def measure(x: np.ndarray, y: np.ndarray, setups=SETUPS, repeats: int = 5) -> tuple[list[float], list[list[float]]]:
    """Matmul rates (one per repeat, and one more at the end) and each set-up's epoch seconds per repeat."""
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    rates, seconds = [], [[] for _ in setups]
    for _ in range(repeats):
        rates.append(matmul_gflops())
        for times, setup in zip(seconds, setups):
            times.append(epoch_seconds(setup, x, y))
    rates.append(matmul_gflops())
    return rates, seconds


def race_recipe(assigns: str, x: np.ndarray, y: np.ndarray, **namespace) -> dict:
    """Run notebook 09's race cell that assigns ``assigns`` on (x, y), with SEED; the cell's namespace.

    The cell seeds, builds, compiles and fits its network and times that itself, as in the notebook;
    what it prints is left out.
    """
    namespace = {**NOTEBOOK_CODE, "x_train": x, "y_train": y, "scale_pixels": scale_pixels, **namespace}
    notebook_code.run_cell(NOTEBOOK, assigns, namespace)
    return namespace


def train_original(x: np.ndarray, y: np.ndarray) -> tuple[keras.Model, float]:
    """The original recipe (10,000 images, 10% validated, 5 epochs, batches of 16, Adam 0.001) and its seconds."""
    namespace = race_recipe("original_model", x, y)
    return namespace["original_model"], namespace["original_seconds"]


def train_fast(x: np.ndarray, y: np.ndarray) -> tuple[keras.Model, float]:
    """Notebook 09's fast recipe and its seconds: a whole epoch per call, the tf.data pipeline and a cosine
    learning rate from the peak to 0; no ``jit_compile`` (XLA makes an epoch here no faster and costs
    about a second to compile). ``x`` must be cut into whole batches of 250 images."""
    # the cell also prints its time as a share of the original's, which the race prints itself
    namespace = race_recipe("fast_model", x, y, original_seconds=math.nan)
    return namespace["fast_model"], namespace["fast_seconds"]


def load() -> str:
    """The 1, 5 and 15-minute load averages, for the record."""
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of every set-up and races (default 5)")
    parser.add_argument("--no-race", action="store_true", help="skip the time-to-accuracy race")
    parser.add_argument("--no-table", action="store_true", help="skip the set-up table")
    arguments = parser.parse_args()

    from helpers.data import load_mnist
    from helpers.setup import setup_notebook

    setup_notebook()
    (x_train, y_train), (x_test, y_test) = load_mnist()  # x_train stays uint8, as in notebook 09
    x_test = scale_pixels(x_test)
    print(f"one epoch: {work_flop() / 1e9:.1f} GFLOP of work ({rule_flop() / 1e9:.1f} by the 3 x 2 rule); {load()}")
    if not arguments.no_table:
        rates, seconds = measure(x_train, y_train, repeats=arguments.repeats)
        rate = statistics.median(rates)
        print(f"\nmedians of {arguments.repeats} runs; NumPy float32 matmul {rate:.1f} GFLOP/s "
              f"({min(rates):.1f} to {max(rates):.1f}); {load()}")
        print(f"{'set-up':<28}{'epoch (s)':>10}{'GFLOP/s':>9}{'% of matmul':>13}")
        for setup, times in zip(SETUPS, seconds):
            median = statistics.median(times)
            print(f"{setup.name:<28}{median:>10.3f}{work_flop() / median / 1e9:>9.1f}"
                  f"{work_flop() / median / 1e9 / rate:>13.0%}")
        with op_determinism_off():
            shares = [step_products_gflops() / matmul_gflops() for _ in range(arguments.repeats)]
        print(f"ceiling: TensorFlow's own products of a training step (batch 500, compiled) run at "
              f"{statistics.median(shares):.0%} of NumPy's matmul rate (median of {len(shares)}, "
              f"{min(shares):.0%} to {max(shares):.0%}); no set-up can beat it")
    if arguments.no_race:
        return
    races = []
    for _ in range(arguments.repeats):
        original, original_seconds = train_original(x_train, y_train)
        fast, fast_seconds = train_fast(x_train, y_train)
        races.append((original_seconds, fast_seconds, *(m.evaluate(x_test, y_test, verbose=0)[1]
                                                         for m in (original, fast))))
    original_seconds, fast_seconds, original_accuracy, fast_accuracy = (statistics.median(column)
                                                                        for column in zip(*races))
    print(f"\nrace, medians of {len(races)} runs; {load()}")
    print(f"original recipe (10,000 images, 5 epochs, batch 16): {original_seconds:.1f} s, "
          f"test accuracy {original_accuracy:.2%}")
    epochs, steps = fast.history.params["epochs"], fast.history.params["steps"]  # as notebook 09's cell ran
    print(f"fast recipe ({epochs} epochs over {len(x_train):,} images, batch {len(x_train) // steps}): "
          f"{fast_seconds:.1f} s, test accuracy {fast_accuracy:.2%}")
    print(f"fast / original wall time: {statistics.median(f / o for o, f, *_ in races):.2f}")


if __name__ == "__main__":
    main()
