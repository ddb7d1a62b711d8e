"""How much notebook 08's two final networks vary with the random seed alone.

Usage (from the project folder, with the project's environment active):

    python benchmarks/seed_spread.py                  # the series' seed, then seeds 1, 2, 3; both networks
    python benchmarks/seed_spread.py --seeds 1 2 3 --only cnn

Each network is built, compiled and fitted by notebook 08's own code, taken from its cells
(benchmarks/notebook_code.py): its ``batches``, ``dense_network`` and ``train_dense`` and the cell
that trains the tuned dense network for 30 epochs; its cells that build, compile and fit the small
CNN. Only ``SEED`` changes: the starting weights, the order of the batches, which pixels and
neurons dropout zeroes and which shifts are drawn. The series' seed (helpers.setup.SEED, which
MNIST_SEED sets) reproduces the notebook's run. It prints every seed's test accuracy, then the
median, minimum, maximum and spread (max - min) over the other seeds, the numbers notebook 08
quotes. Training all eight networks takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import statistics
import time

import notebook_code

from helpers.data import load_mnist
from helpers.setup import SEED, setup_notebook

NOTEBOOK = notebook_code.NOTEBOOKS / "08_going_further.ipynb"
FIT_IMAGES = 54_000  # the rest of the training images are notebook 08's validation split
TEST_BATCH = 200  # notebook 08 scores every network on its test images in batches of 200
VAL_BATCH = 200  # and watches its validation images in batches of 200 (its val_batches)
DEFINITIONS = ("batches", "dense_network", "train_dense")
# The cells (named by a name each assigns) that train each network, in the notebook's order, and the model.
RECIPES = {"dense": (("cosine_30_epochs",), "tuned_model"),
           "cnn": (("cnn_model", "cnn_history"), "cnn_model")}  # cnn_history: the cell that compiles and fits


def recipe(name: str, seed: int, data: tuple) -> dict:
    """Train network ``name`` ("dense" or "cnn") with notebook 08's own code and ``SEED = seed``.

    Returns the namespace the notebook's cells ran in: ``tuned_model`` or ``cnn_model`` and all
    else they assigned. ``data`` is ((x_fit, y_fit), (x_val, y_val), (x_test, y_test)), the pixels uint8
    0-255 as the notebook keeps them (its pipeline scales each batch).
    """
    if name not in RECIPES:
        raise ValueError(f"network must be one of {', '.join(RECIPES)}, got {name!r}")
    (x_fit, y_fit), (x_val, y_val), (x_test, y_test) = data
    namespace = {"SEED": seed, "x_fit": x_fit, "y_fit": y_fit, "x_val": x_val, "y_val": y_val,
                 "x_test": x_test, "y_test": y_test, "test_accuracy": {}}  # the 30-epoch cell adds to it
    notebook_code.definitions(NOTEBOOK, DEFINITIONS, namespace)
    namespace["test_batches"] = namespace["batches"](x_test, y_test, TEST_BATCH)  # as the notebook scores
    namespace["val_batches"] = namespace["batches"](x_val, y_val, VAL_BATCH)  # as the notebook watches
    for assigns in RECIPES[name][0]:
        notebook_code.run_cell(NOTEBOOK, assigns, namespace)
    return namespace


def train(name: str, seed: int, data: tuple) -> float:
    """Seed, build, compile and fit network ``name`` ("dense" or "cnn") as notebook 08 does; test accuracy."""
    namespace = recipe(name, seed, data)
    return float(namespace[RECIPES[name][1]].evaluate(namespace["test_batches"], verbose=0)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(dict.fromkeys([SEED, 1, 2, 3])),
                        help="seeds to train with (default: the series' seed, then 1, 2 and 3)")
    parser.add_argument("--only", choices=["dense", "cnn"], help="train only this network")
    arguments = parser.parse_args()
    setup_notebook()
    (x_train, y_train), (x_test, y_test) = load_mnist()  # uint8: the notebook's pipeline scales each batch
    data = ((x_train[:FIT_IMAGES], y_train[:FIT_IMAGES]), (x_train[FIT_IMAGES:], y_train[FIT_IMAGES:]),
            (x_test, y_test))
    for name in [arguments.only] if arguments.only else ["dense", "cnn"]:
        accuracies = {}
        for seed in arguments.seeds:
            start = time.perf_counter()
            accuracies[seed] = train(name, seed, data)
            print(f"{name} seed {seed}: test accuracy {accuracies[seed]:.2%} ({time.perf_counter() - start:.0f} s)",
                  flush=True)
        others = [accuracy for seed, accuracy in accuracies.items() if seed != SEED] or list(accuracies.values())
        print(f"{name}: median {statistics.median(others):.2%}, min {min(others):.2%}, max {max(others):.2%}, "
              f"spread {100 * (max(others) - min(others)):.2f} points over {len(others)} seeds")


if __name__ == "__main__":
    main()
