"""How fast can this computer train the 784-128-10 network? FLOP counts, the machine's limit, timed set-ups.

Notebook 07 and ``benchmarks/training_speed.py`` share this code:

- :func:`dense_training_flop`: the arithmetic one epoch costs (about 36.6 GFLOP);
- :func:`matmul_gflops`: how many FLOP per second NumPy's float32 matrix multiply reaches here,
  the practical ceiling for a network that is almost all matrix multiplies;
- :class:`TrainingSetup` and :data:`SETUPS`: the original set-up and the changes that speed it up;
- :func:`epoch_seconds`: time a few hundred steps of a set-up and scale to a 60,000-image epoch;
- :func:`train_fast`: the fastest set-up as a complete recipe (schedule, epochs) for the
  time-to-accuracy race against the original.

Keras refuses ``jit_compile=True`` while TensorFlow's op determinism is on (``setup_notebook``
turns it on so that accuracies reproduce), so timing code runs inside
:func:`op_determinism_off`; outside timing, determinism stays on.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from helpers.model import build_dense_model, train_dense_model

EPOCH_IMAGES = 60_000
DENSE_LAYER_SIZES = (784, 128, 10)
TIMED_STEPS = 200  # steps per timed epoch: enough to average out per-step jitter, short for a class
TIMED_EPOCHS = 3  # the best of several short epochs is the one least disturbed by other programs
TIMED_SECONDS = 1.0  # ... and fast set-ups keep trying until their timed epochs add up to this
# The original script's recipe, and the fast recipe that races it to a better accuracy.
ORIGINAL_IMAGES, ORIGINAL_EPOCHS, ORIGINAL_BATCH_SIZE = 10_000, 5, 16
FAST_EPOCHS, FAST_PEAK_LEARNING_RATE = 6, 8e-3


def dense_training_flop(n_images: int = EPOCH_IMAGES,
                        layer_sizes: Sequence[int] = DENSE_LAYER_SIZES) -> float:
    """FLOP to train a dense network on ``n_images`` once: 3 x 2 x images x weights.

    Each weight costs one multiply-add (2 FLOP) per image going forward and about twice that
    going backward (one product for the error passed back, one for the weight's gradient).
    Biases and activations are negligible. For 784-128-10 and 60,000 images: 36.6e9.
    """
    if n_images < 0 or len(layer_sizes) < 2:
        raise ValueError("need n_images >= 0 and at least an input and an output layer size")
    weights = sum(inputs * outputs for inputs, outputs in zip(layer_sizes, layer_sizes[1:]))
    return 3 * 2 * n_images * weights


def matmul_gflops(size: int = 2048, repeats: int = 5, seed: int = 0) -> float:
    """This machine's float32 matrix-multiply rate with NumPy, in GFLOP/s (best of ``repeats``).

    A ``size`` x ``size`` product costs 2 * size**3 FLOP. The best run is the one least
    disturbed by other programs, so it is the fairest estimate of what the machine can do.
    """
    if size < 1 or repeats < 1:
        raise ValueError("size and repeats must be at least 1")
    rng = np.random.default_rng(seed)
    a, b = (rng.random((size, size), dtype=np.float32) for _ in range(2))
    a @ b  # the first call pays for thread start-up
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - start)
    return 2 * size**3 / best / 1e9


@contextlib.contextmanager
def op_determinism_off() -> Iterator[None]:
    """Switch TensorFlow's op determinism off inside the block (Keras then allows ``jit_compile``).

    TensorFlow has a public switch to turn determinism on but none to turn it off, so this
    uses its internal one; the previous state is restored on leaving the block.
    """
    from tensorflow.python.framework import config as tf_config

    was_enabled = tf_config.is_op_determinism_enabled()
    tf_config.disable_op_determinism()
    try:
        yield
    finally:
        if was_enabled:
            tf_config.enable_op_determinism()


def in_memory_dataset(x: np.ndarray, y: np.ndarray, batch_size: int, *, seed: int = 0) -> tf.data.Dataset:
    """A ``tf.data`` pipeline that cuts the data into batches once, keeps them, and reshuffles their order.

    The first epoch slices (x, y) into batches and caches them in memory; every epoch then
    serves the same batches in a new random order, and prepares the next batch while the
    current one trains. Reshuffling every image every epoch would mean copying all 60,000
    images into new batches each time, which on 2 cores costs as much as the training itself.
    """
    if len(x) != len(y) or batch_size < 1:
        raise ValueError(f"need as many labels as images ({len(x)} vs {len(y)}) and batch_size >= 1")
    n_batches = -(-len(x) // batch_size)  # the last batch may be smaller
    return (tf.data.Dataset.from_tensor_slices((x, y))
            .batch(batch_size)
            .cache()
            .shuffle(n_batches, seed=seed, reshuffle_each_iteration=True)
            .prefetch(tf.data.AUTOTUNE))


@dataclass(frozen=True)
class TrainingSetup:
    """One way of running ``model.fit`` for the dense network."""

    name: str
    batch_size: int
    jit_compile: bool = False  # compile each training step with XLA
    steps_per_execution: int = 1  # training steps per call from Python into TensorFlow
    tf_data: bool = False  # feed an in-memory tf.data pipeline instead of NumPy arrays


# The original set-up, then one change at a time; the last row has every change.
SETUPS = (
    TrainingSetup("original (batch 16)", 16),
    TrainingSetup("batch 128", 128),
    TrainingSetup("batch 512", 512),
    TrainingSetup("+ jit_compile", 512, jit_compile=True),
    TrainingSetup("+ steps_per_execution=16", 512, jit_compile=True, steps_per_execution=16),
    TrainingSetup("+ tf.data pipeline", 512, jit_compile=True, steps_per_execution=16, tf_data=True),
)
FASTEST = SETUPS[-1]


def compile_dense(setup: TrainingSetup, learning_rate: float | keras.optimizers.schedules.LearningRateSchedule
                  = 1e-3, hidden_units: int = 128) -> keras.Model:
    """The 784-128-10 network, compiled the way ``setup`` says (Adam, cross-entropy, accuracy).

    Raises:
        RuntimeError: ``setup`` asks for XLA but Keras switched it off (op determinism is on:
            call this inside :func:`op_determinism_off`).
    """
    model = build_dense_model(hidden_units)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], jit_compile=setup.jit_compile,
                  steps_per_execution=setup.steps_per_execution)
    if setup.jit_compile and not model.jit_compile:
        raise RuntimeError("Keras turned jit_compile off because op determinism is on; "
                           "compile inside helpers.speed.op_determinism_off().")
    return model


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch in ``self.seconds``.

    With ``stop_after_seconds``, it ends training once the epochs after the first (the warm-up)
    add up to that many seconds and number at least ``min_timed_epochs``.
    """

    def __init__(self, stop_after_seconds: float | None = None, min_timed_epochs: int = 1):
        super().__init__()
        self.stop_after_seconds = stop_after_seconds
        self.min_timed_epochs = min_timed_epochs
        self.seconds: list[float] = []

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
        timed = self.seconds[1:]
        if (self.stop_after_seconds is not None and len(timed) >= self.min_timed_epochs
                and sum(timed) >= self.stop_after_seconds):
            self.model.stop_training = True


def fit_setup(model: keras.Model, setup: TrainingSetup, x: np.ndarray, y: np.ndarray, *, epochs: int,
              callbacks: Sequence[keras.callbacks.Callback] = (), seed: int = 0) -> keras.callbacks.History:
    """``model.fit`` on (x, y) fed the way ``setup`` says, silently."""
    if setup.tf_data:
        return model.fit(in_memory_dataset(x, y, setup.batch_size, seed=seed), epochs=epochs, verbose=0,
                         shuffle=False, callbacks=list(callbacks))  # the pipeline shuffles
    return model.fit(x, y, batch_size=setup.batch_size, epochs=epochs, verbose=0, callbacks=list(callbacks))


def epoch_seconds(setup: TrainingSetup, x: np.ndarray, y: np.ndarray, *, timed_epochs: int = TIMED_EPOCHS,
                  timed_seconds: float = TIMED_SECONDS, max_epochs: int = 10, steps: int = TIMED_STEPS) -> float:
    """Seconds this set-up needs for one 60,000-image epoch, from a short timed run.

    Trains on the first ``steps`` batches (at most all of ``x``): one warm-up epoch (it pays for
    tracing, compiling and filling the pipeline's cache), then timed epochs until there are at
    least ``timed_epochs`` of them and they add up to ``timed_seconds`` (at most ``max_epochs``).
    Fast set-ups thus get more tries, so a moment of background load does not decide their time.
    Returns the fastest timed epoch, scaled to 60,000 images. Call inside
    :func:`op_determinism_off` for set-ups that use XLA.
    """
    n_images = min(len(x), steps * setup.batch_size)
    model = compile_dense(setup)
    timer = EpochTimer(stop_after_seconds=timed_seconds, min_timed_epochs=timed_epochs)
    fit_setup(model, setup, x[:n_images], y[:n_images], epochs=1 + max(max_epochs, timed_epochs), callbacks=[timer])
    return min(timer.seconds[1:]) * EPOCH_IMAGES / n_images


def train_fast(x: np.ndarray, y: np.ndarray, *, setup: TrainingSetup = FASTEST, epochs: int = FAST_EPOCHS,
               peak_learning_rate: float = FAST_PEAK_LEARNING_RATE, seed: int = 42) -> keras.Model:
    """Train the dense network with ``setup`` and a learning rate that decays along a cosine to zero.

    Large batches take fewer, steadier steps per epoch, so they can afford a larger learning
    rate; the cosine decay then settles the weights. Call inside :func:`op_determinism_off`
    when ``setup`` uses XLA.
    """
    keras.utils.set_random_seed(seed)
    steps_per_epoch = int(np.ceil(len(x) / setup.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(peak_learning_rate, decay_steps=epochs * steps_per_epoch)
    model = compile_dense(setup, schedule)
    fit_setup(model, setup, x, y, epochs=epochs, seed=seed)
    return model


@dataclass(frozen=True)
class SpeedResult:
    """One set-up's measured epoch time, and how close it comes to the machine's matmul rate."""

    setup: TrainingSetup
    epoch_seconds: float
    gflops: float  # dense_training_flop() / epoch_seconds, in GFLOP/s
    share_of_matmul: float  # gflops / the measured matmul rate


def speed_results(seconds_by_setup: Sequence[tuple[TrainingSetup, float]], matmul_rate: float,
                  flop_per_epoch: float | None = None) -> list[SpeedResult]:
    """Turn (set-up, seconds per epoch) pairs into GFLOP/s and shares of ``matmul_rate`` (GFLOP/s)."""
    if matmul_rate <= 0:
        raise ValueError(f"matmul_rate must be positive, got {matmul_rate}")
    flop = dense_training_flop() if flop_per_epoch is None else flop_per_epoch
    results = []
    for setup, seconds in seconds_by_setup:
        if seconds <= 0:
            raise ValueError(f"{setup.name}: epoch time must be positive, got {seconds}")
        gflops = flop / seconds / 1e9
        results.append(SpeedResult(setup, seconds, gflops, gflops / matmul_rate))
    return results


def measure_speeds(x: np.ndarray, y: np.ndarray, setups: Sequence[TrainingSetup] = SETUPS, *,
                   repeats: int = 1, steps: int = TIMED_STEPS) -> tuple[list[float], list[list[float]]]:
    """Matmul rates and each set-up's epoch seconds, ``repeats`` times, interleaved.

    Interleaving (matmul, set-up 1, ..., set-up n, matmul, ...) exposes every measurement to
    the same background load, so the ratios stay fair on a busy machine. Returns the matmul
    rates (one per repeat, plus one at the end) and, per set-up, its epoch seconds per repeat.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    rates, seconds = [], [[] for _ in setups]
    with op_determinism_off():
        for _ in range(repeats):
            rates.append(matmul_gflops())
            for times, setup in zip(seconds, setups):
                times.append(epoch_seconds(setup, x, y, steps=steps))
        rates.append(matmul_gflops())
    return rates, seconds


def median_results(rates: Sequence[float], seconds: Sequence[Sequence[float]],
                   setups: Sequence[TrainingSetup] = SETUPS) -> list[SpeedResult]:
    """:func:`speed_results` from the medians of :func:`measure_speeds`' repeats."""
    return speed_results([(setup, statistics.median(times)) for setup, times in zip(setups, seconds)],
                         statistics.median(rates))


def format_results(results: Sequence[SpeedResult], matmul_rate: float) -> str:
    """The speed table as plain text, one set-up per line."""
    lines = [f"NumPy float32 matmul: {matmul_rate:.1f} GFLOP/s",
             f"{'set-up':<28}{'epoch (s)':>10}{'GFLOP/s':>9}{'% of matmul':>13}"]
    lines += [f"{r.setup.name:<28}{r.epoch_seconds:>10.2f}{r.gflops:>9.1f}{r.share_of_matmul:>13.0%}"
              for r in results]
    return "\n".join(lines)


@dataclass(frozen=True)
class RaceResult:
    """Wall time and test accuracy of the original recipe and of the fast one, from one run."""

    original_seconds: float
    original_accuracy: float
    fast_seconds: float
    fast_accuracy: float

    @property
    def time_ratio(self) -> float:
        """Fast recipe's wall time as a fraction of the original's (below 1: the fast one wins)."""
        return self.fast_seconds / self.original_seconds


def race(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, y_test: np.ndarray, *,
         original_images: int = ORIGINAL_IMAGES, fast_epochs: int = FAST_EPOCHS) -> RaceResult:
    """Time the original recipe (10,000 images, 5 epochs, batch 16) and :func:`train_fast` on all images.

    Wall time covers building, compiling and fitting (the original also validates on its
    10% split each epoch, as the script did); test accuracy is measured afterwards, untimed.
    """
    start = time.perf_counter()
    original, _ = train_dense_model(x_train[:original_images], y_train[:original_images],
                                    epochs=ORIGINAL_EPOCHS, batch_size=ORIGINAL_BATCH_SIZE, verbose=0)
    original_seconds = time.perf_counter() - start
    with op_determinism_off():
        start = time.perf_counter()
        fast = train_fast(x_train, y_train, epochs=fast_epochs)
        fast_seconds = time.perf_counter() - start
    accuracies = [model.evaluate(x_test, y_test, verbose=0)[1] for model in (original, fast)]
    return RaceResult(original_seconds, accuracies[0], fast_seconds, accuracies[1])
