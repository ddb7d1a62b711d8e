"""How long the drawing canvas takes to answer one drawing: preprocessing plus prediction.

The canvas' budget is 20 ms (median) from the moment Python has a stroke's pixels to the
moment it has the ten probabilities. This script times that path on 200 drawings (the
ten stored example drawings, each redrawn 20 times moved, scaled and slanted at random),
four ways:

- ``to_mnist`` alone;
- ``to_mnist`` + a direct model call, ``model(x, training=False)`` (what the canvas does);
- ``to_mnist`` + ``model.predict(x)`` (the batch API: it sets up a data pipeline per call);
- the whole widget path: setting ``DigitCanvas.pixels`` until its traits are updated.

Run it from the project folder on an otherwise idle machine (timings on a busy one are
inflated):

    python benchmarks/canvas_latency.py [--drawings 200]

It prints one line per path with the median and the 90th percentile in milliseconds.
This is a measurement, not a test: nothing fails when the machine is slow.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser_support import jittered_strokes  # noqa: E402 - the stored examples, moved, scaled and slanted


def jittered_drawings(count: int, seed: int = 0) -> list[np.ndarray]:
    """``count`` canvas drawings: the stored examples moved, scaled and slanted at random."""
    from helpers.widgets import render_strokes

    return [render_strokes(strokes) for strokes in jittered_strokes(count, seed)]


def time_each(function: Callable[[np.ndarray], object], drawings: list[np.ndarray]) -> list[float]:
    """Milliseconds per call of ``function`` on each drawing (after two warm-up calls)."""
    for drawing in drawings[:2]:
        function(drawing)
    times = []
    for drawing in drawings:
        start = time.perf_counter()
        function(drawing)
        times.append(1000 * (time.perf_counter() - start))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drawings", type=int, default=200, help="how many drawings to time (default 200)")
    arguments = parser.parse_args()

    from helpers.setup import import_tensorflow_quietly

    import_tensorflow_quietly()
    from helpers.model import load_or_train
    from helpers.preprocess import to_mnist
    from helpers.widgets import DigitCanvas, probabilities_of

    model = load_or_train()
    drawings = jittered_drawings(arguments.drawings)
    canvas = DigitCanvas(model)

    def widget_path(drawing: np.ndarray) -> None:
        canvas.pixels = b""  # a new drawing each time, so the observer always runs
        canvas.pixels = drawing.tobytes()

    paths = {
        "to_mnist alone": to_mnist,
        "to_mnist + model(x, training=False)": lambda d: probabilities_of(model, to_mnist(d)),
        "to_mnist + model.predict(x)": lambda d: model.predict(to_mnist(d)[np.newaxis], verbose=0),
        "DigitCanvas.pixels -> prediction": widget_path,
    }
    print(f"{len(drawings)} drawings of 280x280 pixels; milliseconds per drawing")
    for name, function in paths.items():
        times = time_each(function, drawings)
        p90 = statistics.quantiles(times, n=10)[-1]
        print(f"{name:38} median {statistics.median(times):6.2f}   90th percentile {p90:6.2f}")


if __name__ == "__main__":
    main()
