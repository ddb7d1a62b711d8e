"""A dense network's weights as one small binary file that JavaScript can run (notebook 07's canvas).

The drawing canvas runs the 784-128-10 network's forward pass in the browser
(``helpers/mnist.js``), so it answers without a round trip to the kernel, and the
website's canvas runs with no kernel at all. Both read the same format:

========  ===============================================================
bytes     content (little-endian)
========  ===============================================================
4         the ASCII magic ``MLP1``
4         uint32 ``n``: the number of layer sizes (3 for 784-128-10)
4 n       uint32 layer sizes: 784, 128, 10
...       for each layer: float32 weights (inputs x outputs, row by row),
          then float32 biases (outputs)
========  ===============================================================

Hidden layers use ReLU and the last layer softmax. For 784-128-10 that is
8 + 12 + 4 x 101,770 = 407,100 bytes. float32 because that is what Keras computes in:
the browser then agrees with Keras to about 1e-7 (float16 would cost agreement at 1e-5).

Only a plain stack of Dense layers can be written (Flatten, Dropout, Reshape and random
shifts, which do nothing at prediction time, are skipped); for anything else, such as
the CNN, :func:`network_bytes` returns ``None`` and the canvas asks Python instead.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

MAGIC = b"MLP1"
INPUT_PIXELS = 28 * 28
# Layers that change nothing at prediction time once the 28x28 input is flattened row by row.
PASS_THROUGH_LAYERS = {"InputLayer", "Flatten", "Dropout", "Reshape", "RandomTranslation"}


def dense_layers(model: object) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The (weights, biases) of each Dense layer, or None if JavaScript cannot run ``model``.

    Runnable: a Keras model taking 28x28 (or 28x28x1) images whose layers are pass-through
    layers and Dense layers with biases, ReLU on all but the last, softmax on the last.
    """
    layers = getattr(model, "layers", None)
    input_shape = getattr(model, "input_shape", None)
    if not layers or input_shape is None or int(np.prod(input_shape[1:])) != INPUT_PIXELS:
        return None
    dense, activations = [], []
    for layer in layers:
        kind = type(layer).__name__
        if kind in PASS_THROUGH_LAYERS:
            continue
        if kind != "Dense" or not layer.use_bias:
            return None
        dense.append(tuple(np.asarray(v, dtype=np.float32) for v in layer.get_weights()))
        activations.append(layer.activation.__name__)
    if not dense or activations[-1] != "softmax" or any(a != "relu" for a in activations[:-1]):
        return None
    if dense[0][0].shape[0] != INPUT_PIXELS or dense[-1][0].shape[1] != 10:
        return None
    return dense


def encode_network(layers: list[tuple[np.ndarray, np.ndarray]]) -> bytes:
    """Write (weights, biases) pairs in the ``MLP1`` format described in this module's docstring."""
    sizes = [layers[0][0].shape[0]] + [weights.shape[1] for weights, _ in layers]
    for (weights, biases), (inputs, outputs) in zip(layers, zip(sizes, sizes[1:])):
        if weights.shape != (inputs, outputs) or biases.shape != (outputs,):
            raise ValueError(f"layer shapes do not chain: weights {weights.shape}, biases {biases.shape} "
                             f"after {inputs} inputs")
    parts = [MAGIC, struct.pack(f"<I{len(sizes)}I", len(sizes), *sizes)]
    for weights, biases in layers:
        parts += [weights.astype("<f4").tobytes(), biases.astype("<f4").tobytes()]
    return b"".join(parts)


def decode_network(data: bytes) -> list[tuple[np.ndarray, np.ndarray]]:
    """Read an ``MLP1`` file back into (weights, biases) pairs (the inverse of :func:`encode_network`)."""
    if data[:4] != MAGIC:
        raise ValueError(f"not a network file: it should start with {MAGIC!r}, not {bytes(data[:4])!r}.")
    (count,) = struct.unpack_from("<I", data, 4)
    sizes = struct.unpack_from(f"<{count}I", data, 8)
    offset, layers = 8 + 4 * count, []
    for inputs, outputs in zip(sizes, sizes[1:]):
        weights = np.frombuffer(data, "<f4", inputs * outputs, offset).reshape(inputs, outputs)
        offset += 4 * inputs * outputs
        biases = np.frombuffer(data, "<f4", outputs, offset)
        offset += 4 * outputs
        layers.append((weights, biases))
    if offset != len(data):
        raise ValueError(f"a {'-'.join(map(str, sizes))} network file has {offset} bytes, this one {len(data)}.")
    return layers


def network_bytes(model: object) -> bytes | None:
    """``model`` in the ``MLP1`` format, or None when JavaScript cannot run it (e.g. the CNN)."""
    layers = dense_layers(model)
    return None if layers is None else encode_network(layers)


def export_network(model: object, path: Path) -> int:
    """Write ``model`` to ``path`` in the ``MLP1`` format; return the file's size in bytes.

    Raises:
        ValueError: the model is not a plain stack of Dense layers that JavaScript can run.
    """
    data = network_bytes(model)
    if data is None:
        raise ValueError("only a Flatten -> Dense(relu) ... -> Dense(softmax) network on 28x28 images "
                         "can be exported for the browser.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)
