"""Shared code for the MNIST Digit Identifier notebook series.

Each module covers one concern and is introduced in the notebook that teaches it:

- ``helpers.setup``: the one call a notebook's first cell makes (seeds, quiet logs, style), and ``SEED``,
  the series' one random seed.
- ``helpers.data``: pixels and datasets: loading the MNIST copy that ships with the project, scaling
  pixels to 0-1 (notebook 01), serving them to ``fit`` from memory (notebook 07).
- ``helpers.model``: building, training, saving and re-loading the dense network (notebooks 02-03).
- ``helpers.style``: colours, font sizes and inline display of figures (every notebook).
- ``helpers.plots``: every figure the series draws more than once.
- ``helpers.evaluate``: what lies behind the accuracy: per-digit confidence, confusion matrix,
  precision and recall, the most and least confident answers (notebook 04).
- ``helpers.sampling``: one reproducible random test image of every digit (notebook 05).
- ``helpers.preprocess``: turning any digit image into an MNIST-style 28x28 input (notebook 06).
- ``helpers.widgets``: the draw-a-digit canvas (notebook 06).
- ``helpers.selfcheck``: the ✓/✗ self-checks (every notebook).
- ``helpers.speed``: FLOP counts, the machine's matmul rate, timed training set-ups (notebook 07).
- ``helpers.tuning``: recipes that train the same dense network well (notebook 07).
- ``helpers.cnn``: a small convolutional network and a look inside it (notebook 07).
- ``helpers.calibration``: expected calibration error and temperature scaling (notebook 07).

Importing this package imports nothing heavy, so ``helpers.setup`` can quieten
TensorFlow before TensorFlow is first imported.
"""

__version__ = "1.0.0"
