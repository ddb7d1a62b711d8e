"""Shared code for the MNIST Digit Identifier notebook series.

Each module covers one concern and is introduced in the notebook that teaches it:

- ``helpers.setup``: the one call a notebook's first cell makes (seeds, quiet logs, style), and ``SEED``,
  the series' one random seed.
- ``helpers.data``: pixels and datasets: loading the MNIST copy that ships with the project, scaling
  pixels to 0-1 (notebook 01).
- ``helpers.model``: building, training, saving and re-loading the dense network (notebooks 02-03).
- ``helpers.style``: colours, font sizes and inline display of figures (every notebook).
- ``helpers.plots``: every figure the series draws more than once.
- ``helpers.evaluate``: what lies behind the accuracy: per-digit confidence, confusion matrix,
  precision and recall, the most and least confident answers (notebook 05).
- ``helpers.sampling``: one reproducible random test image of every digit (notebook 06).
- ``helpers.preprocess``: turning any digit image into an MNIST-style 28x28 input (notebook 07).
- ``helpers.weights``: the dense network's weights as bytes for the canvas' JavaScript (notebook 07).
- ``helpers.widgets``: the draw-a-digit canvas (notebook 07).
- ``helpers.selfcheck``: the ✓/✗ checks of the learner's code and answers (every notebook).
- ``helpers.cnn``: a look inside a convolutional network: feature maps and filters (notebook 08).
- ``helpers.calibration``: expected calibration error and temperature scaling (notebook 09).

Importing this package imports nothing heavy, so ``helpers.setup`` can quieten
TensorFlow before TensorFlow is first imported.
"""

__version__ = "1.0.0"
