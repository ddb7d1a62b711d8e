"""A small convolutional network for MNIST, and what it lets us look inside.

Notebook 07 writes the network out layer by layer and explains each part; the same
definition lives here (with its training recipe) so tests and other code can use it:

- :func:`build_small_cnn`: 3x3 convolutions with ReLU (and batch normalisation after the first
  block), max pooling after each block, a dropout and a 10-way softmax; training images shifted
  at random;
- :func:`train_small_cnn`: Adam with a one-cycle learning rate (warm up, then a cosine decay);
- :func:`feature_maps` and :func:`first_layer_filters`: what the convolutions compute and learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

from helpers.speed import in_memory_dataset

SEED = 42
CHANNELS = (16, 32, 48)  # filters per block: few where the image is large, more once pooled
CONVOLUTIONS_PER_BLOCK = (1, 1, 2)  # extra depth is cheapest where the maps are smallest (7x7)
MAX_SHIFT = 0.08  # random shifts of up to 8% of the width (2 whole pixels) while training
DROPOUT = 0.2
EPOCHS = 5
BATCH_SIZE = 128
PEAK_LEARNING_RATE = 3e-3
WARMUP_FRACTION = 0.2
STEPS_PER_EXECUTION = 8


def build_small_cnn(channels: Sequence[int] = CHANNELS,
                    convolutions_per_block: Sequence[int] = CONVOLUTIONS_PER_BLOCK, *,
                    max_shift: float = MAX_SHIFT, dropout: float = DROPOUT, seed: int = SEED) -> keras.Model:
    """The small CNN, uncompiled: input (28, 28) -> [conv-(BN)-ReLU x n, max-pool] per block -> softmax.

    The first block has no batch normalisation (its convolution keeps a bias instead): it sees
    the pixels, already on a 0-1 scale, and normalising its large 28x28 maps would take longer
    than any other layer of the network.

    Layer names say where a feature map comes from: ``conv1``, ``relu1``, ``pool1``... (block 1),
    ``conv3b`` for the second convolution of block 3.
    """
    if len(channels) != len(convolutions_per_block) or min(convolutions_per_block, default=0) < 1:
        raise ValueError("need one convolution count (at least 1) per block of channels")
    layers = [keras.Input(shape=(28, 28)), keras.layers.Reshape((28, 28, 1), name="add_channel")]
    if max_shift:
        layers.append(keras.layers.RandomTranslation(max_shift, max_shift, fill_mode="constant",
                                                     interpolation="nearest",  # whole-pixel shifts: cheaper
                                                     seed=seed, name="random_shift"))
    for block, (filters, repeats) in enumerate(zip(channels, convolutions_per_block), start=1):
        for index in range(repeats):
            suffix = f"{block}{'abcdefgh'[index] if repeats > 1 else ''}"
            normalise = block > 1  # see the docstring
            layers.append(keras.layers.Conv2D(filters, 3, padding="same", use_bias=not normalise, name=f"conv{suffix}"))
            if normalise:
                layers.append(keras.layers.BatchNormalization(name=f"norm{suffix}"))
            layers.append(keras.layers.ReLU(name=f"relu{suffix}"))
        layers.append(keras.layers.MaxPooling2D(name=f"pool{block}"))
    layers += [keras.layers.Flatten(name="flatten"), keras.layers.Dropout(dropout, seed=seed, name="dropout"),
               keras.layers.Dense(10, activation="softmax", name="probabilities")]
    return keras.Sequential(layers, name="small_cnn")


def one_cycle_schedule(total_steps: int, peak_learning_rate: float = PEAK_LEARNING_RATE,
                       warmup_fraction: float = WARMUP_FRACTION) -> keras.optimizers.schedules.CosineDecay:
    """Learning rate rising linearly from 0 to the peak, then falling along a cosine to 0."""
    if total_steps < 1 or not 0 <= warmup_fraction < 1:
        raise ValueError("need total_steps >= 1 and 0 <= warmup_fraction < 1")
    warmup_steps = int(total_steps * warmup_fraction)
    return keras.optimizers.schedules.CosineDecay(0.0, decay_steps=total_steps - warmup_steps,
                                                  warmup_target=peak_learning_rate, warmup_steps=warmup_steps)


def train_small_cnn(x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray, *,
                    epochs: int = EPOCHS, batch_size: int = BATCH_SIZE,
                    peak_learning_rate: float = PEAK_LEARNING_RATE, seed: int = SEED,
                    model: keras.Model | None = None) -> tuple[keras.Model, keras.callbacks.History]:
    """Seed, build (unless ``model`` is given), compile and fit the CNN; return it and its history."""
    keras.utils.set_random_seed(seed)
    model = model if model is not None else build_small_cnn(seed=seed)
    total_steps = epochs * int(np.ceil(len(x_train) / batch_size))
    model.compile(optimizer=keras.optimizers.Adam(one_cycle_schedule(total_steps, peak_learning_rate)),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  steps_per_execution=STEPS_PER_EXECUTION)
    history = model.fit(in_memory_dataset(x_train, y_train, batch_size, seed=seed), shuffle=False,
                        epochs=epochs, validation_data=(x_val, y_val), verbose=0)
    return model, history


def feature_maps(model: keras.Model, image: np.ndarray, layer_names: Sequence[str]) -> dict[str, np.ndarray]:
    """What the named layers output for one (28, 28) image: {name: array (height, width, channels)}."""
    outputs = [model.get_layer(name).output for name in layer_names]
    probe = keras.Model(inputs=model.inputs, outputs=outputs)
    maps = probe.predict(np.asarray(image, dtype=np.float32)[np.newaxis], verbose=0)
    maps = maps if isinstance(maps, list) else [maps]
    return {name: np.asarray(values[0]) for name, values in zip(layer_names, maps)}


def first_layer_filters(model: keras.Model, layer_name: str = "conv1") -> np.ndarray:
    """The first convolution's learned 3x3 filters as an array (filters, 3, 3)."""
    kernel = model.get_layer(layer_name).get_weights()[0]  # (3, 3, 1 input channel, filters)
    return np.moveaxis(kernel[:, :, 0, :], -1, 0)
