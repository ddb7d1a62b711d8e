"""Build, train, save and re-load the series' dense network (784 -> 128 -> 10).

Notebook 02 builds the network line by line and notebook 03 trains it, saves it with
``model.save`` and loads it with ``keras.models.load_model``; the same code lives here so that
notebooks 05 onwards can load the trained model, or train it themselves when run first.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from helpers.data import MNIST_TRAIN_IMAGES, load_mnist
from helpers.setup import SEED

PROJECT_MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
# Names another models folder (pytest points it at one of its own, so tests never touch yours).
MODELS_DIR_VARIABLE = "MNIST_MODELS_DIR"
# Where trained models go when the models folder is not writable (a read-only shared checkout).
USER_MODELS_SUBDIR = Path("mnist-digit-identifier") / "models"
FULL_MODEL_NAME = "dense_full"
# The full-data recipe of notebook 03: every training image, 10% held out for validation.
# 16 epochs of batches of 128 reach 97.7% test accuracy (seed 42; 97.69-97.87% over seeds 1-3)
# in about 20 s on 2 CPU cores; batches of 32 are 3x slower per epoch and noisier epoch to epoch.
FULL_EPOCHS = 16
FULL_BATCH_SIZE = 128
VALIDATION_SPLIT = 0.1


def build_dense_model(hidden_units: int = 128) -> keras.Model:
    """The original network, compiled: 28x28 input -> Flatten -> Dense(relu) -> Dense(10, softmax).

    101,770 trainable parameters at 128 hidden units:
    784 * 128 + 128 weights and biases into the hidden layer, 128 * 10 + 10 into the output.
    """
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ], name=f"dense_{hidden_units}")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class EpochProgress(keras.callbacks.Callback):
    """Show each epoch's number as it ends, on one line ("epochs done: 1 2 3"), so training is never silent.

    For ``fit(..., verbose=0, callbacks=[EpochProgress()])`` where a full log line per epoch would
    be too much (a notebook that trains many networks one after another). ``label`` starts the line.
    """

    def __init__(self, label: str = "epochs done") -> None:
        super().__init__()
        self.label = label

    def on_train_begin(self, logs: dict | None = None) -> None:
        print(f"{self.label}:", end="", flush=True)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        print(f" {epoch + 1}", end="", flush=True)

    def on_train_end(self, logs: dict | None = None) -> None:
        print()


def scaled_batches(images: np.ndarray, labels: np.ndarray, batch_size: int, *,
                   shuffle: bool = True) -> tf.data.Dataset:
    """The batches ``fit(scale_pixels(images), labels, batch_size=batch_size)`` learns from, in the same order.

    Keras' own array pipeline picks the shuffled batches, as image numbers; each batch is then taken
    from the uint8 ``images`` as it is needed and scaled (as :func:`helpers.data.scale_pixels` does,
    to the same float32 values). ``fit`` on a float32 array would keep it and a copy of it
    (2 x 188 MB for the training set) in memory, and given the uint8 images, it would copy them into
    TensorFlow (2 x 42 MB while it converts them): here TensorFlow gets only the image numbers.
    """
    from keras.src.trainers.data_adapters.array_data_adapter import ArrayDataAdapter

    numbers = ArrayDataAdapter(np.arange(len(images)), batch_size=batch_size, shuffle=shuffle)
    arrays = {"images": images, "labels": labels}  # TensorFlow keeps `take` as long as the model: see release_arrays

    def take(batch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return arrays["images"][batch], arrays["labels"][batch]

    def scaled(batch: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        pixels, digits = tf.numpy_function(take, [batch], (tf.as_dtype(images.dtype), tf.as_dtype(labels.dtype)),
                                           stateful=False)
        pixels = tf.ensure_shape(pixels, (None, *images.shape[1:]))
        return tf.cast(pixels, tf.float32) / 255.0, tf.ensure_shape(digits, (None,))

    dataset = (numbers.get_tf_dataset().map(scaled)
               .apply(tf.data.experimental.assert_cardinality(numbers.num_batches)))  # known epoch length, as fit's
    dataset.release_arrays = arrays.clear  # call once trained: else the model would keep the images in memory
    return dataset


def train_dense_model(x_train: np.ndarray, y_train: np.ndarray, *, hidden_units: int = 128,
                      epochs: int = FULL_EPOCHS, batch_size: int = FULL_BATCH_SIZE,
                      validation_split: float = VALIDATION_SPLIT, verbose: int = 2,
                      seed: int = SEED) -> tuple[keras.Model, keras.callbacks.History]:
    """Seed, build and fit the dense network; return it and its history.

    ``x_train`` is uint8 pixels (scaled batch by batch: :func:`scaled_batches`) or pixels already
    scaled to 0-1; both train the same network, weight for weight. The last ``validation_split`` of
    the images is held back for validation, as ``fit(..., validation_split=...)`` holds it back.
    """
    keras.utils.set_random_seed(seed)
    model = build_dense_model(hidden_units)
    if x_train.dtype != np.uint8:
        history = model.fit(x_train, y_train, epochs=epochs, batch_size=batch_size,
                            validation_split=validation_split, verbose=verbose)
        return model, history
    split = math.floor(len(x_train) * (1 - validation_split))
    training = scaled_batches(x_train[:split], y_train[:split], batch_size)
    validation = scaled_batches(x_train[split:], y_train[split:], batch_size, shuffle=False)
    history = model.fit(training, epochs=epochs, validation_data=validation, shuffle=False, verbose=verbose)
    training.release_arrays()
    validation.release_arrays()
    return model, history


def default_models_dir() -> Path:
    """The models folder: ``$MNIST_MODELS_DIR`` if set, else the project's ``models/``."""
    return Path(os.environ.get(MODELS_DIR_VARIABLE) or PROJECT_MODELS_DIR)


def user_models_dir() -> Path:
    """The per-user fallback folder: ``$XDG_CACHE_HOME`` (or ``~/.cache``)/mnist-digit-identifier/models."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / USER_MODELS_SUBDIR


def shown_path(path: Path) -> str:
    """``path`` as a learner reads it: from the project's folder (``models/dense_full.keras``) or from ``~``."""
    path = Path(path).resolve()
    for base, prefix in ((PROJECT_MODELS_DIR.parent, ""), (Path.home(), "~/")):
        if path.is_relative_to(base.resolve()):
            return prefix + path.relative_to(base.resolve()).as_posix()
    return str(path)


def model_dirs(models_dir: Path | None = None) -> list[Path]:
    """The folders a model is looked for and saved in, in order: the project's, then the user's."""
    return [Path(models_dir or default_models_dir()), user_models_dir()]


def model_path(name: str, models_dir: Path | None = None) -> Path:
    """Where the model called ``name`` is saved: ``models/<name>.keras``."""
    return Path(models_dir or default_models_dir()) / f"{name}.keras"


def save_atomically(model: keras.Model, path: Path) -> Path:
    """Write ``model`` to ``path`` so that ``path`` is never a half-written file.

    Keras writes into a hidden temporary folder beside ``path``, then the finished file
    is renamed onto ``path`` in one step (``os.replace``). A reader, a second process
    saving the same model, or a kernel killed mid-save sees the old file or the new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".saving-{path.stem}-", dir=path.parent))
    try:
        model.save(scratch / path.name)
        os.replace(scratch / path.name, path)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return path


def save_model(model: keras.Model, name: str, models_dir: Path | None = None) -> Path | None:
    """Save ``model`` as ``<name>.keras`` and return where; ``None`` if no folder is writable.

    Tries ``models/`` (or ``models_dir``) first; where it is read-only, the per-user
    folder of :func:`user_models_dir`. Where neither is writable the model stays in
    memory only, and a warning says so: nothing the caller holds is lost.
    """
    for directory in model_dirs(models_dir):
        try:
            return save_atomically(model, model_path(name, directory))
        except OSError as error:
            print(f"Note: cannot save in {directory} ({error.strerror or error}).", file=sys.stderr)
    print(f"Warning: {name} is kept in memory only; no folder was writable, so it will be "
          "trained again next time.", file=sys.stderr)
    return None


def load_saved_model(name: str, expected_steps: int, parameters: int,
                     models_dir: Path | None = None) -> keras.Model | None:
    """The first saved ``<name>.keras`` that loads and matches the recipe, else ``None``.

    A file that cannot be read, or that was trained with another recipe (its optimizer
    took a different number of steps), is reported in one line and skipped.
    """
    for path in (model_path(name, directory) for directory in model_dirs(models_dir)):
        if not path.exists():
            continue
        try:
            model = keras.models.load_model(path, safe_mode=True)
        except Exception as error:  # a truncated, foreign or garbage file
            print(f"Warning: could not load {path} with Keras {keras.__version__} ({type(error).__name__}; "
                  "a file saved by another Keras version may not load); training it again.", file=sys.stderr)
            continue
        steps = int(model.optimizer.iterations)
        if steps == expected_steps and model.count_params() == parameters:
            return model
        print(f"Warning: {path} was trained with another recipe ({steps:,} steps, expected "
              f"{expected_steps:,}); training it again.", file=sys.stderr)
    return None


@contextlib.contextmanager
def training_lock(directory: Path) -> Iterator[bool]:
    """Let one process at a time train into ``directory``; yield whether it had to wait for another.

    Two notebooks (or two students on one shared folder) that both find no model would otherwise
    both train it: the one that waited loads what the other saved. Where no lock can be had
    (Windows, a read-only folder) the block just runs.
    """
    try:
        import fcntl

        directory.mkdir(parents=True, exist_ok=True)
        handle = (directory / ".training.lock").open("w")
    except (ImportError, OSError):
        yield False
        return
    with handle:
        waited = False
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            print(f"Another process is training a model in {directory}; waiting for it...", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
            waited = True
        try:
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def training_steps(train_size: int, *, epochs: int, batch_size: int,
                   validation_split: float = VALIDATION_SPLIT) -> int:
    """How many optimizer steps ``fit`` takes: Keras holds out the last ``validation_split``."""
    fitted = math.floor(train_size * (1 - validation_split))
    return epochs * math.ceil(fitted / batch_size)


def load_or_train(name: str = FULL_MODEL_NAME, *, models_dir: Path | None = None,
                  hidden_units: int = 128, epochs: int = FULL_EPOCHS, batch_size: int = FULL_BATCH_SIZE,
                  train_size: int | None = None, verbose: int = 2) -> keras.Model:
    """Return a trained model: ``models/<name>.keras`` if it loads, else train it now and save it.

    Training prints a line per epoch (``verbose`` as ``fit``'s), so a learner waiting for it sees it go on.

    Training uses notebook 03's full-data recipe (or the arguments given), seeded, so
    the model is the same whichever notebook trains it first. Looks in ``models/``, then
    in the per-user folder (:func:`user_models_dir`) where a read-only checkout saves;
    see :func:`load_saved_model` and :func:`save_model`.
    """
    images = len(range(MNIST_TRAIN_IMAGES)[:train_size])  # the data is read only if training is needed
    expected_steps = training_steps(images, epochs=epochs, batch_size=batch_size)
    parameters = build_dense_model(hidden_units).count_params()
    model = load_saved_model(name, expected_steps, parameters, models_dir)
    if model is not None:
        return model
    with training_lock(model_dirs(models_dir)[0]) as waited:
        model = load_saved_model(name, expected_steps, parameters, models_dir) if waited else None
        if model is not None:
            return model
        gc.collect()  # first free what earlier cells left behind (Keras' objects refer to each other)
        x_train, y_train = (array[:train_size] for array in load_mnist()[0])  # the test images are not needed
        print(f"Training {name} on {len(x_train):,} images for {epochs} epochs (under a minute)...")
        model, _ = train_dense_model(x_train, y_train, hidden_units=hidden_units, epochs=epochs,
                                     batch_size=batch_size, verbose=verbose)
        save_model(model, name, models_dir)
    del x_train, y_train
    gc.collect()  # free what training left behind now: Keras' objects refer to each other, Python frees them late
    return model
