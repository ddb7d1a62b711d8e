"""How much notebook 07's two final networks vary with the random seed alone.

Usage (from the project folder, with the project's environment active):

    python benchmarks/seed_spread.py                  # seeds 42, 1, 2, 3; both networks
    python benchmarks/seed_spread.py --seeds 1 2 3 --only cnn

Each network is built, compiled and fitted exactly as notebook 07 does (the same layers,
schedules, pipeline and epochs); only the seed changes: the starting weights, the order of the
batches, which pixels and neurons dropout zeroes and which shifts are drawn. Seed 42 reproduces
the notebook's run. It prints every seed's test accuracy, then the median, minimum, maximum and
spread (max - min) over the seeds other than 42, the numbers notebook 07 quotes. Training
all eight networks takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import time

import keras
import numpy as np
import tensorflow as tf

from helpers.data import load_mnist, scale_pixels
from helpers.setup import setup_notebook

FIT_IMAGES = 54_000  # the rest of the training images are notebook 07's validation split


def batches(x: np.ndarray, y: np.ndarray, batch_size: int, seed: int) -> tf.data.Dataset:
    """Notebook 07's pipeline: cut into batches once, cached, served in a new order every epoch."""
    n_batches = -(-len(x) // batch_size)
    return (tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).cache()
            .shuffle(n_batches, seed=seed).prefetch(tf.data.AUTOTUNE))


def tuned_dense(seed: int) -> keras.Model:
    """Notebook 07's ``dense_network(0.1, 0.2, 0.08)``, with ``seed`` for its random layers."""
    return keras.Sequential([
        keras.Input(shape=(28, 28)), keras.layers.Reshape((28, 28, 1)),
        keras.layers.RandomTranslation(0.08, 0.08, fill_mode="constant", interpolation="nearest", seed=seed),
        keras.layers.Flatten(), keras.layers.Dropout(0.1, seed=seed),
        keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.2, seed=seed),
        keras.layers.Dense(10, activation="softmax"),
    ])


def small_cnn(seed: int) -> keras.Model:
    """Notebook 07's small CNN, with ``seed`` for its random layers."""
    layers = keras.layers
    return keras.Sequential([
        keras.Input(shape=(28, 28)), layers.Reshape((28, 28, 1)),
        layers.RandomTranslation(0.08, 0.08, fill_mode="constant", interpolation="nearest", seed=seed),
        layers.Conv2D(16, 3, padding="same"), layers.ReLU(), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", use_bias=False), layers.BatchNormalization(),
        layers.ReLU(), layers.MaxPooling2D(),
        layers.Conv2D(48, 3, padding="same", use_bias=False), layers.BatchNormalization(),
        layers.ReLU(), layers.Conv2D(48, 3, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.ReLU(), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.2, seed=seed), layers.Dense(10, activation="softmax"),
    ])


def train(name: str, seed: int, data: tuple) -> float:
    """Seed, build, compile and fit network ``name`` ("dense" or "cnn") as notebook 07 does; test accuracy."""
    (x_fit, y_fit), (x_val, y_val), (x_test, y_test) = data
    keras.utils.set_random_seed(seed)
    if name == "dense":
        model, batch_size, epochs, steps_per_execution = tuned_dense(seed), 256, 30, 16
        schedule = keras.optimizers.schedules.CosineDecay(3e-3, decay_steps=30 * 211)
    else:
        model, batch_size, epochs, steps_per_execution = small_cnn(seed), 128, 5, 8
        schedule = keras.optimizers.schedules.CosineDecay(0.0, decay_steps=4 * 422, warmup_target=3e-3,
                                                          warmup_steps=422)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    model.fit(batches(x_fit, y_fit, batch_size, seed), epochs=epochs, validation_data=(x_val, y_val),
              shuffle=False, verbose=0)
    return float(model.evaluate(x_test, y_test, verbose=0)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 1, 2, 3])
    parser.add_argument("--only", choices=["dense", "cnn"], help="train only this network")
    arguments = parser.parse_args()
    setup_notebook()
    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = scale_pixels(x_train), scale_pixels(x_test)
    data = ((x_train[:FIT_IMAGES], y_train[:FIT_IMAGES]), (x_train[FIT_IMAGES:], y_train[FIT_IMAGES:]),
            (x_test, y_test))
    for name in [arguments.only] if arguments.only else ["dense", "cnn"]:
        accuracies = {}
        for seed in arguments.seeds:
            start = time.perf_counter()
            accuracies[seed] = train(name, seed, data)
            print(f"{name} seed {seed}: test accuracy {accuracies[seed]:.2%} ({time.perf_counter() - start:.0f} s)",
                  flush=True)
        others = [accuracy for seed, accuracy in accuracies.items() if seed != 42] or list(accuracies.values())
        print(f"{name}: median {statistics.median(others):.2%}, min {min(others):.2%}, max {max(others):.2%}, "
              f"spread {100 * (max(others) - min(others)):.2f} points over {len(others)} seeds")


if __name__ == "__main__":
    main()
