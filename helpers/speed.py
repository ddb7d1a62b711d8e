"""Training with XLA while the series' results stay reproducible (notebook 09).

``setup_notebook`` turns on TensorFlow's op determinism so that every accuracy the series prints
repeats exactly; while it is on, Keras quietly turns ``compile(jit_compile=True)`` off again.
Notebook 09 times and trains its XLA set-ups inside :func:`op_determinism_off`; outside that
block determinism stays on. (The repeat-and-median timing harness is
``benchmarks/training_speed.py``, not part of the package the notebooks teach from.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def op_determinism_off() -> Iterator[None]:
    """Switch TensorFlow's op determinism off inside the block (Keras then allows ``jit_compile``).

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
