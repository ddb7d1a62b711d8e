"""Looking inside a convolutional network (notebook 08).

Notebook 08 builds and trains its small CNN in the open, with named layers (``conv1``,
``relu1``, ``pool1``...); these two functions read what it computes and what it learned, for
the figures ``helpers.plots.plot_feature_maps`` and ``plot_conv_filters`` draw:

- :func:`feature_maps`: what the named layers output for one image;
- :func:`first_layer_filters`: the first convolution's 3x3 filters.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np


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
