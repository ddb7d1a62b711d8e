"""The original one-command run, rebuilt on the series' ``helpers`` package.

    python mnist_neural_network.py            # the original: 10,000 images, 5 epochs, batch 16
    python mnist_neural_network.py --full     # all 60,000 training images
    python mnist_neural_network.py --help     # every option

It trains the 784 -> 128 -> 10 network (one line per epoch), prints its accuracy on the
10,000 test images, and draws the original's two figures: one test image of every digit
0-9 with the model's guess and confidence, and the mean confidence in the right answer per
digit. The figures are saved as PNG files and shown in windows when there is a screen.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from helpers.setup import SEED  # light: nothing heavy is imported before --help is parsed

PROJECT_DIR = Path(__file__).resolve().parent
MNIST_TRAIN_IMAGES = 60_000
# The original script's recipe.
ORIGINAL_TRAIN_SIZE = 10_000
ORIGINAL_EPOCHS = 5
ORIGINAL_BATCH_SIZE = 16
VALIDATION_SPLIT = 0.1
# Below this, the 10% validation split would hold out no image at all.
MIN_TRAIN_SIZE = 10
PREDICTIONS_FILE = "predictions.png"
CONFIDENCE_FILE = "confidence_per_digit.png"


def whole_number(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number in [minimum, maximum], with a plain message otherwise."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum or (maximum is not None and value > maximum):
            allowed = f"from {minimum:,} to {maximum:,}" if maximum is not None else f"at least {minimum:,}"
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {value:,}")
        return value
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Train the MNIST Digit Identifier network (784 -> 128 -> 10) in the terminal, print "
                    "its test accuracy, and draw its predictions for one test image of every digit 0-9 "
                    "and its mean confidence in the right answer per digit.",
        epilog="Figures are saved as PNG files; they also open in windows when a display is available "
               "(on a server or in CI only the files are written).")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--train-size", type=whole_number(MIN_TRAIN_SIZE, MNIST_TRAIN_IMAGES),
                      default=ORIGINAL_TRAIN_SIZE, metavar="N",
                      help=f"train on the first N of the {MNIST_TRAIN_IMAGES:,} training images "
                           f"({MIN_TRAIN_SIZE}-{MNIST_TRAIN_IMAGES:,}; default: {ORIGINAL_TRAIN_SIZE:,}, as the "
                           f"original did); {VALIDATION_SPLIT * 100:.0f}%% of them are held out for validation")
    size.add_argument("--full", action="store_true",
                      help=f"train on all {MNIST_TRAIN_IMAGES:,} training images (slower, more accurate)")
    parser.add_argument("--epochs", type=whole_number(1), default=ORIGINAL_EPOCHS, metavar="N",
                        help=f"passes over the training images (default: {ORIGINAL_EPOCHS})")
    parser.add_argument("--batch-size", type=whole_number(1), default=ORIGINAL_BATCH_SIZE, metavar="N",
                        help=f"images per weight update (default: {ORIGINAL_BATCH_SIZE})")
    parser.add_argument("--seed", type=int, default=SEED,
                        help=f"random seed for training and for picking the sample images "
                             f"(default: {SEED}; the same seed gives the same run)")
    parser.add_argument("--figures-dir", type=Path, default=PROJECT_DIR / "figures", metavar="DIR",
                        help="where to save the PNG figures (default: figures/ in the project)")
    parser.add_argument("--no-show", action="store_true",
                        help="only save the figures, never open windows")
    return parser


def display_available() -> bool:
    """Can windows be opened? Always on Windows and macOS; on Linux only with an X or Wayland display."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def use_non_interactive_backend() -> None:
    """Draw with matplotlib's file-only Agg backend, which needs no screen."""
    import matplotlib

    matplotlib.use("Agg")


def show_figures(figures: list) -> None:
    """Open each standalone Figure in a window and wait until they are all closed."""
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.backends import BackendFilter, backend_registry
    from packaging.version import Version

    backend = matplotlib.get_backend().lower()
    if backend in backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE):
        print(f"(matplotlib's {backend} backend cannot open windows: see the PNG files instead.)")
        return
    if Version(matplotlib.__version__) < Version("3.11"):
        print("(Showing figures in windows needs matplotlib 3.11 or newer: see the PNG files instead.)")
        return
    for figure in figures:
        plt.figure(figure)  # hand our standalone Figure to pyplot, which owns the windows
    print("Close the figure windows to finish.")
    plt.show()


def relative(path: Path) -> str:
    """``path`` relative to the working directory when it is inside it, else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    train_size = MNIST_TRAIN_IMAGES if args.full else args.train_size
    show = not args.no_show and display_available()
    if not show:
        use_non_interactive_backend()

    # Imported only now: `--help` and argument errors answer at once, without loading TensorFlow.
    from helpers.setup import setup_notebook

    setup_notebook(seed=args.seed)  # quiet TensorFlow's start-up lines, seed everything

    from helpers.data import MnistDataError, load_mnist, scale_pixels
    from helpers.evaluate import mean_true_class_confidence
    from helpers.model import train_dense_model
    from helpers.plots import plot_confidence_bars, plot_prediction_grid
    from helpers.sampling import sample_one_per_digit

    try:
        (x_train, y_train), (x_test, y_test) = load_mnist()
    except MnistDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    x_train, y_train = scale_pixels(x_train[:train_size]), y_train[:train_size]
    x_test = scale_pixels(x_test)

    learn_from = math.floor(train_size * (1 - VALIDATION_SPLIT))  # how Keras splits off validation
    print(f"Training on {train_size:,} images ({learn_from:,} to learn from, {train_size - learn_from:,} held out "
          f"for validation) for {args.epochs} epoch{'s' * (args.epochs != 1)}, batch size {args.batch_size}:")
    model, _ = train_dense_model(x_train, y_train, epochs=args.epochs, batch_size=args.batch_size,
                                 validation_split=VALIDATION_SPLIT, verbose=2, seed=args.seed)
    _, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {test_accuracy:.2%} (on {len(x_test):,} images the model never saw)")

    probabilities = model.predict(x_test, verbose=0)
    sample = sample_one_per_digit(y_test, seed=args.seed)
    figures = {
        PREDICTIONS_FILE: plot_prediction_grid(x_test[sample], y_test[sample], probabilities[sample]),
        CONFIDENCE_FILE: plot_confidence_bars(mean_true_class_confidence(probabilities, y_test)),
    }
    args.figures_dir.mkdir(parents=True, exist_ok=True)
    for name, figure in figures.items():
        path = args.figures_dir / name
        figure.savefig(path)
        print(f"Saved {relative(path)}")
    if show:
        show_figures(list(figures.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
