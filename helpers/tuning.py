"""Training the same 784-128-10 network well: a recipe is the original plus a few changes.

Notebook 07 adds the changes one at a time (all the data, dropout, a learning-rate schedule,
random shifts, more epochs with early stopping) and measures what each one buys. Each change
is a line or two there; this module holds the same lines so the notebook can run the ladder.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import keras
import numpy as np

from helpers.speed import in_memory_dataset

SEED = 42
STEPS_PER_EXECUTION = 16  # fewer round trips from Python: same arithmetic, less waiting (notebook 07)


@dataclass(frozen=True)
class Recipe:
    """How to train the dense network: every field is one change from the original script."""

    name: str
    epochs: int = 5
    batch_size: int = 128
    learning_rate: float = 1e-3
    dropout: float = 0.0  # fraction of hidden activations zeroed at random while training
    input_dropout: float = 0.0  # fraction of pixels zeroed at random while training
    max_shift: float = 0.0  # shift training images by up to this fraction of their size, at random
    cosine_schedule: bool = False  # learning rate falls from learning_rate to 0 along a cosine
    patience: int | None = None  # early stopping: epochs without a better validation score
    monitor: str = "val_loss"  # the validation score early stopping watches

    def then(self, name: str, **changes) -> Recipe:
        """This recipe with ``changes`` applied, under a new ``name`` (for a ladder of recipes)."""
        return replace(self, name=name, **changes)


def build_tuned_dense(hidden_units: int = 128, *, dropout: float = 0.0, input_dropout: float = 0.0,
                      max_shift: float = 0.0) -> keras.Model:
    """784 -> ``hidden_units`` (relu) -> 10 (softmax), with the training-only extras; uncompiled.

    While training: images shifted at random by up to ``max_shift`` of their width and height,
    ``input_dropout`` of the pixels and ``dropout`` of the hidden outputs zeroed at random. At
    test time all three do nothing, and none has weights: the parameter count is the original's
    (101,770 at 128 hidden units).
    """
    if not (0 <= dropout < 1 and 0 <= input_dropout < 1):
        raise ValueError(f"dropout must be in [0, 1), got {dropout} and {input_dropout}")
    if not 0 <= max_shift < 0.5:
        raise ValueError(f"max_shift must be in [0, 0.5), got {max_shift}")
    shift = [keras.layers.Reshape((28, 28, 1)),
             keras.layers.RandomTranslation(max_shift, max_shift, fill_mode="constant", interpolation="nearest",
                                            seed=SEED)]  # nearest: whole-pixel shifts, and cheaper
    return keras.Sequential([
        keras.Input(shape=(28, 28)),
        *(shift if max_shift else []),
        keras.layers.Flatten(),
        keras.layers.Dropout(input_dropout, seed=SEED),
        keras.layers.Dense(hidden_units, activation="relu"),
        keras.layers.Dropout(dropout, seed=SEED),
        keras.layers.Dense(10, activation="softmax"),
    ], name=f"dense_{hidden_units}_tuned")


def learning_rate_for(recipe: Recipe, steps_per_epoch: int) -> float | keras.optimizers.schedules.CosineDecay:
    """A constant learning rate, or a cosine decay to zero over the recipe's whole run."""
    if not recipe.cosine_schedule:
        return recipe.learning_rate
    return keras.optimizers.schedules.CosineDecay(recipe.learning_rate,
                                                  decay_steps=recipe.epochs * steps_per_epoch)


def train_recipe(recipe: Recipe, x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray,
                 y_val: np.ndarray, *, hidden_units: int = 128,
                 seed: int = SEED) -> tuple[keras.Model, keras.callbacks.History]:
    """Seed, build, compile and fit the dense network the way ``recipe`` says; return it and its history.

    With ``patience`` set, the validation split is scored after every epoch; training stops once
    the monitored score has not improved for that many epochs, and the weights of the best epoch
    are put back. Without it, the validation split is not used.
    """
    keras.utils.set_random_seed(seed)
    model = build_tuned_dense(hidden_units, dropout=recipe.dropout, input_dropout=recipe.input_dropout,
                              max_shift=recipe.max_shift)
    steps_per_epoch = int(np.ceil(len(x_train) / recipe.batch_size))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate_for(recipe, steps_per_epoch)),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION)
    callbacks, validation = [], None
    if recipe.patience is not None:  # only early stopping needs the validation split, every epoch
        callbacks.append(keras.callbacks.EarlyStopping(monitor=recipe.monitor, patience=recipe.patience,
                                                       restore_best_weights=True))
        validation = (x_val, y_val)
    history = model.fit(in_memory_dataset(x_train, y_train, recipe.batch_size, seed=seed), shuffle=False,
                        epochs=recipe.epochs, validation_data=validation, callbacks=callbacks, verbose=0)
    return model, history
