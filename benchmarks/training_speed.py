"""Print notebook 07's training-speed table from the command line, as medians of several runs.

Usage (from the project folder, with the project's environment active):

    python benchmarks/training_speed.py              # 5 repeats of every set-up, then the race
    python benchmarks/training_speed.py --repeats 3 --no-race

For each repeat it measures NumPy's float32 matrix-multiply rate and, interleaved with it, the
time of one 60,000-image epoch of the 784-128-10 network under each set-up (timed over a few
hundred steps, scaled up). The race then times the original recipe (10,000 images, 5 epochs,
batch 16) against the fastest set-up trained on all 60,000 images. Timings depend on the
machine and on whatever else it is running: close other programs first.
"""

from __future__ import annotations

import argparse
import statistics

from helpers.setup import setup_notebook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of every set-up (default 5)")
    parser.add_argument("--steps", type=int, default=200, help="training steps per timed epoch")
    parser.add_argument("--no-race", action="store_true", help="skip the time-to-accuracy race")
    arguments = parser.parse_args()

    setup_notebook()
    from helpers import speed
    from helpers.data import load_mnist
    from helpers.model import scale_pixels

    (x_train, y_train), (x_test, y_test) = load_mnist()
    x_train, x_test = scale_pixels(x_train), scale_pixels(x_test)
    print(f"One epoch of 784-128-10 over 60,000 images: {speed.dense_training_flop() / 1e9:.1f} GFLOP")
    rates, seconds = speed.measure_speeds(x_train, y_train, repeats=arguments.repeats, steps=arguments.steps)
    print(f"\nMedians of {arguments.repeats} runs:")
    print(speed.format_results(speed.median_results(rates, seconds), statistics.median(rates)))
    print(f"(matmul rate over the runs: {min(rates):.1f} to {max(rates):.1f} GFLOP/s)")
    if arguments.no_race:
        return
    races = [speed.race(x_train, y_train, x_test, y_test) for _ in range(arguments.repeats)]
    ratio = statistics.median(r.time_ratio for r in races)
    print(f"\nRace, medians of {len(races)} runs:")
    original_seconds = statistics.median(r.original_seconds for r in races)
    fast_seconds = statistics.median(r.fast_seconds for r in races)
    print(f"original recipe (10,000 images, 5 epochs, batch 16): {original_seconds:.1f} s, "
          f"test accuracy {races[0].original_accuracy:.2%}")
    print(f"{speed.FASTEST.name} ({speed.FAST_EPOCHS} epochs over 60,000 images): {fast_seconds:.1f} s, "
          f"test accuracy {races[0].fast_accuracy:.2%}")
    print(f"fast / original wall time: {ratio:.2f}")


if __name__ == "__main__":
    main()
