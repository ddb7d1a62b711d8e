"""Pick test images to look at, reproducibly (notebook 06 builds this by hand).

The original script drew one random image of each digit with no seed, so every run
showed different images and nobody could talk about "the 7 in the top row". A seed
makes a draw repeatable; a new seed draws a fresh sample.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def sample_one_per_digit(labels: np.ndarray, seed: int | None = None,
                         digits: Iterable[int] = range(10)) -> np.ndarray:
    """Indices of one randomly chosen image of each digit in ``digits`` (0-9 by default), in that order.

    The same ``labels`` and ``seed`` always give the same indices; ``seed=None`` draws
    a different sample each call.

    Raises:
        ValueError: ``labels`` holds no image of one of the digits asked for.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    indices = []
    for digit in digits:
        candidates = np.flatnonzero(labels == digit)  # every image of this digit
        if candidates.size == 0:
            raise ValueError(f"there is no image of digit {digit} to choose from")
        indices.append(rng.choice(candidates))
    return np.array(indices, dtype=np.int64)
