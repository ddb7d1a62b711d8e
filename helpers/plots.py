"""Every figure the series draws more than once, in one colour-blind-safe style (:mod:`helpers.style`).

Each function takes data and returns a :class:`matplotlib.figure.Figure`; none of them
trains, loads or predicts. Figures are built with matplotlib's object API, not pyplot,
so a notebook shows one simply by ending a cell with the call, and it is shown once.
Each docstring names the notebook that first draws the figure. Each figure carries a text
alternative written from its data (:mod:`helpers.describe`): what it shows, in a sentence or
two, for screen readers and the website's ``alt``. No text size is fixed in
points: sizes are named ("small", ...), relative to the style's base size, so
``setup_notebook(presentation=True)`` enlarges them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from helpers.describe import attach, digits_phrase, extreme_named, number, percent, sentence, series
from helpers.style import (
    BLACK,
    BLUE,
    DIGIT_CMAP,
    GREEN_TEXT,
    GREY,
    HEATMAP_CMAP,
    OKABE_ITO,
    ORANGE,
    ORANGE_TEXT,
    VERMILLION,
    VERMILLION_TEXT,
    WEIGHT_CMAP,
    font_scale,
    new_figure,
    text_colour_on,
)

# The original script's confidence bands, kept with a second cue besides colour.
HIGH_CONFIDENCE = 0.90
MEDIUM_CONFIDENCE = 0.70
SPLIT_HATCHES = ["", "//", "..", "xx"]  # bar groups differ by pattern as well as colour


def confidence_band(confidence: float) -> tuple[str, str]:
    """The original's colour code with a word as the second cue: (colour, 'high'|'medium'|'low') (notebook 06).

    Green, orange and vermillion as in the original, in shades dark enough to read as text on white.
    """
    if confidence >= HIGH_CONFIDENCE:
        return GREEN_TEXT, "high"
    if confidence >= MEDIUM_CONFIDENCE:
        return ORANGE_TEXT, "medium"
    return VERMILLION_TEXT, "low"


def plot_digit_grid(images: np.ndarray, titles: Sequence[str] | None = None, *, n_cols: int = 10,
                    cell_size: float = 1.2, suptitle: str | None = None,
                    title_colors: Sequence[str] | None = None, framed: bool = False) -> Figure:
    """Show ``images`` (N, height, width) in a grid, each with an optional title (notebook 01).

    ``framed=True`` draws each image's edge, so that where a digit sits in a larger picture
    shows (notebook 07's 112x112 pictures).
    """
    n_rows = int(np.ceil(len(images) / n_cols))
    title_lines = max(1, max((title.count("\n") + 1 for title in titles), default=1)) if titles is not None else 0
    title_space = 0.35 * font_scale() * title_lines
    figure, axes = new_figure(n_rows, n_cols, width=cell_size * n_cols,
                              height=(cell_size + title_space) * n_rows + 0.4 * (suptitle is not None))
    for index, ax in enumerate(axes.flat):
        if index >= len(images) or not framed:
            ax.axis("off")
        if index >= len(images):
            continue
        ax.imshow(images[index], cmap=DIGIT_CMAP)
        if framed:
            frame(ax)
        if titles is not None:
            color = title_colors[index] if title_colors is not None else BLACK
            ax.set_title(titles[index], fontsize="small", color=color)
    if suptitle:
        figure.suptitle(suptitle)
    return attach(figure, describe_digit_grid(len(images), n_rows, n_cols, titles, suptitle))


def describe_digit_grid(count: int, n_rows: int, n_cols: int, titles: Sequence[str] | None,
                        suptitle: str | None) -> str:
    """The text alternative of :func:`plot_digit_grid`: how many images, how laid out, titled how."""
    layout = "one image" if count == 1 else f"a grid of {count} images in {n_rows} row{'s' * (n_rows > 1)} of {n_cols}"
    text = f"{suptitle}: {layout}" if suptitle else sentence(layout)
    shown = [" ".join(str(title).split()) for title in titles[:count]] if titles is not None else []
    named = [title for title in shown if title]
    if named and len(named) == count <= 5:  # a few titles are read out; a gallery's would be a list of numbers
        text += ", titled " + "; ".join(shown)
    elif named and len(named) < count:  # only some titled, such as the first of each row
        text += f"; {len(named)} of them titled: {', '.join(named)}"
    elif named:
        text += ", each with a title above it"
    return text + "."


def frame(ax) -> None:
    """Draw the edge of an image's axes (a thin grey line) and no ticks: where the picture ends shows."""
    ax.set(xticks=[], yticks=[])
    for spine in ax.spines.values():
        spine.set(visible=True, color=GREY, linewidth=1)


def plot_pixel_values(image: np.ndarray, title: str = "") -> Figure:
    """One digit as its grid of numbers: each pixel's value written on its own square (notebook 01)."""
    figure, axes = new_figure(width=9, height=9)
    sns.heatmap(image, annot=True, fmt="d" if image.dtype.kind in "iu" else ".1f", cmap=DIGIT_CMAP,
                cbar=False, annot_kws={"fontsize": "x-small"}, square=True, ax=axes[0, 0])
    axes[0, 0].set(title=title, xlabel="column", ylabel="row")
    axes[0, 0].tick_params(axis="y", labelrotation=0)  # row numbers upright, like the column numbers
    ink = int(np.count_nonzero(image))
    return attach(figure, f"{title + ': a' if title else 'A'} {image.shape[0]} x {image.shape[1]} grid of "
                  f"squares, one per pixel, each with its value written on it (rows and columns numbered); values "
                  f"from {number(image.min())} to {number(image.max())}, {ink} of {image.size} pixels not zero "
                  "(the ink, darker for higher values).")


def plot_class_counts(labels: Mapping[str, np.ndarray]) -> Figure:
    """How many images of each digit there are, one bar group per named split (notebook 01)."""
    import pandas as pd

    if not labels:
        raise ValueError("plot_class_counts needs at least one named split of labels")
    table = pd.DataFrame([(split, int(digit)) for split, values in labels.items() for digit in values],
                         columns=["split", "digit"])
    figure, axes = new_figure(width=8, height=3.5)
    sns.countplot(data=table, x="digit", hue="split", ax=axes[0, 0])
    axes[0, 0].set(xlabel="digit", ylabel="number of images", title="Images of each digit")
    handles = []
    for container, split, hatch in zip(axes[0, 0].containers, labels, SPLIT_HATCHES):  # pattern besides colour
        for bar in container:
            bar.set_hatch(hatch)
        handles.append(Patch(facecolor=container[0].get_facecolor(), hatch=hatch, label=split))
    axes[0, 0].legend(handles=handles, title="split")
    sns.move_legend(axes[0, 0], "upper left", bbox_to_anchor=(1, 1))  # beside the axes: never over a bar
    return attach(figure, describe_class_counts(labels))


def describe_class_counts(labels: Mapping[str, np.ndarray]) -> str:
    """The text alternative of :func:`plot_class_counts`: the range of counts in each split."""
    parts = []
    for split, values in labels.items():
        counts = np.bincount(np.asarray(values, dtype=int), minlength=10)
        parts.append(f"{split}: from {counts.min():,} (digit {counts.argmin()}) to {counts.max():,} "
                     f"(digit {counts.argmax()})")
    return (f"Bar chart of the number of images of each digit 0-9, one bar per split ({series(list(labels))}, "
            "told apart by colour and pattern); "
            + "; ".join(parts) + ".")


def plot_curves(x: np.ndarray, curves: Mapping[str, np.ndarray], *, xlabel: str, ylabel: str,
                title: str = "") -> Figure:
    """Several named y(x) curves on one labelled axes, e.g. activation functions (notebook 02).

    Curves differ by line style (solid, dashed, dotted, dash-dot) as well as colour, so they
    can be told apart without colour vision and in black-and-white print.
    """
    figure, axes = new_figure(width=6, height=3.5)
    line_styles = ["-", "--", ":", "-."]
    for index, (name, y) in enumerate(curves.items()):
        axes[0, 0].plot(x, y, line_styles[index % len(line_styles)], label=name, linewidth=2)
    axes[0, 0].set(xlabel=xlabel, ylabel=ylabel, title=title)
    axes[0, 0].legend()
    styles = ["solid", "dashed", "dotted", "dash-dot"]
    lines = [f"{name} ({styles[index % len(styles)]}) from {number(np.min(y))} to {number(np.max(y))}"
             for index, (name, y) in enumerate(curves.items())]
    return attach(figure, f"Line chart{': ' + title if title else ''}. Across: {xlabel}, from {number(np.min(x))} to "
                  f"{number(np.max(x))}; up: {ylabel}. {sentence(series(lines))}.")


def plot_training_curves(history: Mapping[str, Sequence[float]], title: str = "") -> Figure:
    """Loss and accuracy per epoch, training vs validation, from ``History.history`` (notebook 03)."""
    figure, axes = new_figure(1, 2, width=10, height=3.5)
    epochs = np.arange(1, len(history["loss"]) + 1)
    for ax, metric in zip(axes.flat, ("loss", "accuracy")):
        ax.plot(epochs, history[metric], "o-", color=BLUE, label="training")
        if f"val_{metric}" in history:
            ax.plot(epochs, history[f"val_{metric}"], "s--", color=ORANGE, label="validation")
        ax.set(xlabel="epoch", ylabel=metric, title=metric.capitalize())
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend()
    if title:
        figure.suptitle(title)
    return attach(figure, describe_training_curves(history, title))


def describe_training_curves(history: Mapping[str, Sequence[float]], title: str = "") -> str:
    """The text alternative of :func:`plot_training_curves`: the panels and the last epoch's values."""
    epochs = len(history["loss"])
    last = [f"{split} {metric} {value}" for metric in ("loss", "accuracy")
            for split, key in (("training", metric), ("validation", f"val_{metric}")) if key in history
            for value in [percent(history[key][-1]) if metric == "accuracy" else f"{history[key][-1]:.3f}"]]
    has_validation = "val_loss" in history
    return (f"{title + ': t' if title else 'T'}wo line charts, loss and accuracy after each of {epochs} "
            f"epochs, training as a solid line with circles"
            + (", validation as a dashed line with squares" if has_validation else "")
            + f". After the last epoch: {series(last)}.")


def plot_prediction_grid(images: np.ndarray, true_labels: np.ndarray, probabilities: np.ndarray,
                         *, n_cols: int = 5, images_are: str = "test digits") -> Figure:
    """The original script's grid: "Pred: p (c%)" over "Actual: a", colour-coded by confidence (notebook 06).

    ``images_are`` names the images in the figure's description ("replayed drawings" in notebook 07).

    Colour alone is not enough for every reader, so each title also carries a ✓ or ✗ for
    right or wrong and, on the prediction's line (it describes the prediction, not the
    truth), the confidence band in words: "Pred: 7 (99%, high) ✓" over "Actual: 7".
    """
    predictions = probabilities.argmax(axis=1)
    titles, colors = [], []
    for truth, prediction, probs in zip(true_labels, predictions, probabilities):
        color, band = confidence_band(probs[prediction])
        mark = "✓" if prediction == truth else "✗"
        titles.append(f"Pred: {prediction} ({probs[prediction]:.0%}, {band}) {mark}\nActual: {truth}")
        colors.append(color)
    figure = plot_digit_grid(images, titles, n_cols=n_cols, cell_size=2.0 * font_scale(), title_colors=colors)
    return attach(figure, describe_prediction_grid(true_labels, probabilities, images_are))


def describe_prediction_grid(true_labels: np.ndarray, probabilities: np.ndarray,
                             images_are: str = "test digits") -> str:
    """The text alternative of :func:`plot_prediction_grid`: what each title says. How many are right is
    what a training run makes of ten images (one more or less on another computer), so it is left to
    the titles and to the cells that count them."""
    return (f"Grid of {len(true_labels)} {images_are} ({digits_phrase(true_labels)}), each titled with the "
            "predicted digit, its confidence and a word for it (high from 90%, medium from 70%, low below), "
            "a check mark if right or a cross if wrong, over the true digit; title colour follows the word.")


def percent_bars(ax: Axes, values: np.ndarray, *, highlight: int) -> None:
    """One bar per digit from zero, each labelled in %, the bar ``highlight`` in vermillion."""
    colors = [BLUE] * len(values)
    colors[highlight] = VERMILLION
    bars = ax.bar(np.arange(len(values)), values, color=colors)
    ax.bar_label(bars, labels=[f"{value:.1%}" for value in values], fontsize="small")


def plot_confidence_bars(confidence_per_digit: np.ndarray, *, title: str = "") -> Figure:
    """Mean confidence in the true class per digit, bars from zero, each labelled in %, the lowest highlighted.

    The original script's chart (notebook 05). When every bar lies between 95% and 99% the
    bars look alike and only their labels differ: :func:`plot_confidence_left` shows the gaps.
    """
    figure, axes = new_figure(width=8, height=4)
    ax = axes[0, 0]
    percent_bars(ax, confidence_per_digit, highlight=int(np.argmin(confidence_per_digit)))
    ax.set(xticks=np.arange(len(confidence_per_digit)), xlabel="true digit",
           ylabel="mean probability given to the true digit", ylim=(0, 1.08),
           title=title or "How sure is the model of the right answer? (lowest in vermillion)")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))  # the axis in percent, as the bars' labels
    values = np.asarray(confidence_per_digit, dtype=float)
    lowest = extreme_named(values, lowest=True)
    return attach(figure, "Bar chart of the mean probability the model gives the true digit, for each digit 0-9, "
                  f"bars from zero, each labelled in percent: all between {percent(values.min())} and "
                  f"{percent(values.max())}; the lowest bar, {lowest}, in vermillion, "
                  "the others blue.")


def plot_confidence_left(confidence_per_digit: np.ndarray, *, title: str = "") -> Figure:
    """The other side of :func:`plot_confidence_bars`: the probability left for wrong digits, per digit.

    1 - mean confidence in the true digit, bars from zero on an axis that fits them, so that
    differences of a few points are visible; the largest (the least sure digit) highlighted (notebook 05).
    """
    left = 1 - np.asarray(confidence_per_digit, dtype=float)
    figure, axes = new_figure(width=8, height=4)
    ax = axes[0, 0]
    percent_bars(ax, left, highlight=int(np.argmax(left)))
    ax.set(xticks=np.arange(len(left)), xlabel="true digit", ylabel="mean probability given to wrong digits",
           ylim=(0, max(left.max(), 1e-3) * 1.15),
           title=title or "How much probability goes to wrong digits? (most in vermillion)")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    most = extreme_named(left, lowest=False)
    return attach(figure, "Bar chart of the mean probability the model gives wrong digits, for each true digit "
                  f"0-9, each bar labelled in percent: from {percent(left.min())} to {percent(left.max())}; "
                  f"the largest bar, {most}, in vermillion, the others blue.")


def plot_probabilities(probabilities: np.ndarray, *, image: np.ndarray | None = None,
                       true_label: int | None = None) -> Figure:
    """The ten class probabilities for one image as bars, prediction highlighted, image alongside (notebook 02)."""
    figure, axes = new_figure(1, 2 if image is not None else 1, width=9 if image is not None else 6,
                              height=3, width_ratios=[1, 3] if image is not None else None)
    if image is not None:
        axes[0, 0].imshow(image, cmap=DIGIT_CMAP)
        frame(axes[0, 0])  # the image's edge: a digit off in a corner shows as such
        axes[0, 0].set_title("input" if true_label is None else f"actual: {true_label}")
    ax = axes[0, -1]
    prediction = int(np.argmax(probabilities))
    colors = [GREY] * 10
    colors[prediction] = BLUE
    bars = ax.bar(np.arange(10), probabilities, color=colors)
    ax.bar_label(bars, labels=[f"{p:.0%}" if p >= 0.01 else "" for p in probabilities], fontsize="x-small")
    ax.set(xticks=np.arange(10), ylim=(0, 1.1), xlabel="digit", ylabel="probability",
           title=f"prediction: {prediction} ({probabilities[prediction]:.1%})")
    beside = "" if image is None else (" beside the input image" if true_label is None
                                       else f" beside the input image (actual digit: {true_label})")
    # Which digit wins and by how much is what a training run makes of this one image, and can change on
    # another computer; the title and the cell's printed text say it. The description says what is drawn.
    return attach(figure, f"Bar chart of the probability of each digit 0-9{beside}, each bar labelled in percent "
                  "when 1% or more; the highest bar, the prediction named in the title, in blue, the others grey.")


def plot_confusion_matrix(matrix: np.ndarray, *, title: str = "Confusion matrix") -> Figure:
    """A confusion matrix (rows: true digit, columns: predicted digit) as an annotated heatmap (notebook 05)."""
    figure, axes = new_figure(width=7.5, height=6)
    sns.heatmap(matrix, annot=True, fmt="d", cmap=HEATMAP_CMAP, square=True, cbar_kws={"label": "images"},
                annot_kws={"fontsize": "small"}, ax=axes[0, 0])
    axes[0, 0].set(xlabel="predicted digit", ylabel="true digit", title=title)
    return attach(figure, describe_confusion_matrix(matrix, title))


def describe_confusion_matrix(matrix: np.ndarray, title: str) -> str:
    """The text alternative of :func:`plot_confusion_matrix`: how much lies on and off the diagonal."""
    total, diagonal = int(matrix.sum()), int(np.trace(matrix))
    head = (f"{title}: a heatmap of 10 x 10 counts, rows the true digit, columns the predicted digit, each cell's "
            "count written on it, darker for fewer")
    if diagonal == 0:
        return f"{head}; the diagonal is empty: {total:,} mistakes in all."
    return f"{head}; {diagonal:,} of {total:,} images on the diagonal ({percent(diagonal / total)} right)."


def outline_signs(ax: Axes, values: np.ndarray, limit: float) -> None:
    """Outline where ``values`` pass half of ``limit``: solid black around positive areas, dotted black around negative.

    The second cue besides colour, so that a reader who cannot tell orange from purple (or who
    prints in grey) still sees which areas push up and which push down.
    """
    if values.max() > limit / 2:
        ax.contour(values, levels=[limit / 2], colors=BLACK, linewidths=0.7, linestyles="solid")
    if values.min() < -limit / 2:  # black dots show against the paler colours around the purple
        ax.contour(values, levels=[-limit / 2], colors=BLACK, linewidths=1.0, linestyles=[(0, (1, 1))])


SIGN_OUTLINES = "strongly positive areas outlined in solid black, strongly negative ones in dotted black"


def plot_hidden_weights(weights: np.ndarray, *, n_cols: int = 16, cell_size: float = 0.7,
                        percentile: float = 100, title: str | None = None,
                        pixel_value: str = "the neuron's weight for it") -> Figure:
    """Each hidden neuron's 784 input weights as a 28x28 image, orange positive, purple negative (notebook 06).

    Strong weights are outlined too (:func:`outline_signs`), so that sign is not told by colour alone.

    One symmetric colour scale for all images, reaching full colour at the ``percentile``-th
    percentile of the weights' sizes: 100 (default) is the largest weight; 99 lets the
    strongest 1% saturate so that weaker patterns become visible. ``pixel_value`` says in the
    figure's description what colours a pixel, when ``weights`` are something else per pixel
    (notebook 06: each weight times an image's pixel).
    """
    images = weights.T.reshape(-1, 28, 28)
    limit = np.percentile(np.abs(images), percentile)
    n_rows = int(np.ceil(len(images) / n_cols))
    figure, axes = new_figure(n_rows, n_cols, width=cell_size * n_cols, height=cell_size * n_rows + 0.5)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < len(images):
            ax.imshow(images[index], cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit)
            outline_signs(ax, images[index], limit)
    figure.suptitle(title or f"What each of the {len(images)} hidden neurons looks for")
    return attach(figure, f"{figure.get_suptitle()}: {len(images)} small 28 x 28 images in {n_rows} "
                  f"row{'s' * (n_rows > 1)} of {min(n_cols, len(images))}, one per hidden neuron, each pixel coloured "
                  f"by {pixel_value}: orange positive, purple negative, white zero; {SIGN_OUTLINES}.")


def plot_reliability_diagram(curves: Mapping[str, Sequence[np.ndarray]], *,
                             title: str = "Reliability diagram") -> Figure:
    """Accuracy against confidence per bin, one line per model; the diagonal is perfect calibration.

    ``curves`` maps a label (e.g. "dense, ECE 1.2%") to (mean confidence per bin, accuracy per bin,
    number of predictions per bin), e.g. a ``helpers.calibration.ReliabilityBins``. A panel below
    shows how many predictions each bin holds (log scale): a bin of 20 answers weighs little
    against one of 9,000. Curves given without counts leave that panel out (notebook 08).
    """
    with_counts = all(len(bins) == 3 for bins in curves.values())
    figure, axes = new_figure(2 if with_counts else 1, 1, width=5.5, height=7 if with_counts else 5,
                              sharex=True, **({"height_ratios": [3, 1]} if with_counts else {}))
    ax = axes[0, 0]
    ax.plot([0, 1], [0, 1], ":", color=GREY, label="perfectly calibrated")
    for (label, bins), marker in zip(curves.items(), "osD^v"):
        if len(bins) not in (2, 3):
            raise ValueError(f"{label!r}: need (confidence, accuracy[, count]) per bin, got {len(bins)} arrays")
        line, = ax.plot(bins[0], bins[1], marker=marker, label=label)
        if with_counts:
            axes[1, 0].plot(bins[0], bins[2], marker=marker, linestyle="none", color=line.get_color())
    ax.set(ylabel="accuracy in the bin", xlim=(0, 1), ylim=(0, 1), title=title)
    ax.legend(loc="upper left", fontsize="x-small")
    if with_counts:
        axes[1, 0].set_yscale("log")
        axes[1, 0].set(ylabel="predictions\nin the bin")
    axes[-1, 0].set_xlabel("confidence (mean of the bin)")
    return attach(figure, f"{title}: accuracy in each confidence bin against the bin's mean confidence, one line "
                  f"with its own marker per model ({series(list(curves))}); a dotted diagonal marks perfect "
                  "calibration, a line below it means over-confident"
                  + ("; a panel below counts the predictions in each bin, on a log scale." if with_counts else "."))


def plot_preparation_steps(steps: Mapping[str, np.ndarray],
                           centres_of_mass: Mapping[str, tuple[float, float]] | None = None, *,
                           cmaps: Mapping[str, str] | None = None) -> Figure:
    """One image per preparation step, side by side, each at its own size in pixels, framed (notebook 07).

    ``centres_of_mass`` maps a step's name to its (row, column) centre of mass: drawn as a
    vermillion X, with the frame's centre as a blue + (two shapes, not colour alone).
    Single-channel steps are drawn like digits (high values dark) unless ``cmaps`` names
    another colour map for them, e.g. "gray" for grey levels where 1 is white paper.
    """
    centres_of_mass, cmaps = centres_of_mass or {}, cmaps or {}
    figure, axes = new_figure(1, len(steps), width=2.6 * len(steps), height=3.2)
    for ax, (name, image) in zip(axes.flat, steps.items()):
        ax.imshow(image, cmap=cmaps.get(name, DIGIT_CMAP), vmin=0 if name in cmaps else None,
                  vmax=1 if name in cmaps else None)
        ax.set_title(f"{name}\n{image.shape[0]} x {image.shape[1]} pixels", fontsize="small")
        ax.set(xticks=[], yticks=[])
        if name in centres_of_mass:
            row, column = centres_of_mass[name]
            ax.plot(column, row, "X", color=VERMILLION, markersize=11, markeredgecolor="white",
                    label="centre of mass")
            ax.plot(image.shape[1] // 2, image.shape[0] // 2, "+", color=BLUE, markersize=16, markeredgewidth=2.5,
                    label="centre of the frame")
    handles, labels = axes.flat[-1].get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize="small")
    panels = [f"{' '.join(name.split())} ({image.shape[0]} x {image.shape[1]} pixels)" for name, image in steps.items()]
    marks = ("; an X marks the centre of mass and a + the centre of the frame in "
             + series(list(centres_of_mass))) if centres_of_mass else ""
    return attach(figure, f"{len(steps)} images side by side, one per preparation step: {series(panels)}{marks}.")


def plot_accuracy_comparison(accuracies: Mapping[str, float], *, title: str = "") -> Figure:
    """Horizontal bars, one per named method, each labelled with its accuracy in percent (notebook 07)."""
    figure, axes = new_figure(width=8, height=0.6 * len(accuracies) + 1.2)
    ax = axes[0, 0]
    names = list(accuracies)[::-1]  # first name on top
    bars = ax.barh(names, [accuracies[name] for name in names], color=OKABE_ITO[:len(names)][::-1])
    ax.bar_label(bars, labels=[f"{accuracies[name]:.1%}" for name in names], padding=4)
    ax.set(xlim=(0, 1.12), xlabel="accuracy (share of test images classified correctly)", title=title)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    bars = [f"{name} {percent(accuracies[name])}" for name in accuracies]
    return attach(figure, f"Horizontal bar chart of accuracy{', ' + title if title else ''}, one bar per method, "
                  f"each labelled: {series(bars)}.")


def plot_convolution_steps(image: np.ndarray, kernel: np.ndarray, filtered: np.ndarray,
                           pooled: np.ndarray) -> Figure:
    """A digit, a 3x3 filter (its numbers written on it), its response, and that response pooled (notebook 08).

    Responses are signed: orange where the filter's pattern is found, purple where its opposite is.
    """
    figure, axes = new_figure(1, 4, width=9, height=2.9)  # no wider than a notebook's output: not scaled down
    limit = np.abs(filtered).max() or 1.0
    panels = [(image, DIGIT_CMAP, None, "input digit"),
              (kernel, WEIGHT_CMAP, np.abs(kernel).max(), "3x3 filter"),
              (filtered, WEIGHT_CMAP, limit, "filter slid over the digit"),
              (pooled, WEIGHT_CMAP, limit, "2x2 max-pooled")]
    for ax, (values, cmap, vlimit, name) in zip(axes.flat, panels):
        ax.imshow(values, cmap=cmap, vmin=None if vlimit is None else -vlimit, vmax=vlimit)
        if values is not image and values is not kernel:  # the filter's numbers are written on it
            outline_signs(ax, values, vlimit)
        ax.set_title(f"{name}\n{values.shape[0]} x {values.shape[1]}")
        ax.set(xticks=[], yticks=[])
    kernel_norm = Normalize(-np.abs(kernel).max(), np.abs(kernel).max())
    for (row, column), value in np.ndenumerate(kernel):  # white on dark cells, black on light ones
        axes[0, 1].text(column, row, f"{value:g}", ha="center", va="center", fontsize="medium",
                        color=text_colour_on(WEIGHT_CMAP, kernel_norm, value))
    return attach(figure, "Four images side by side: " + series([f"{name} ({values.shape[0]} x {values.shape[1]})"
                                                                 for values, _, _, name in panels])
                  + f"; the filter's numbers ({', '.join(f'{value:g}' for value in kernel.ravel())}, row by row) "
                  "are written on it; responses are orange where the filter's pattern is found, purple where its "
                  f"opposite is, with {SIGN_OUTLINES}.")


def plot_conv_filters(filters: np.ndarray, *, n_cols: int = 8, cell_size: float = 1.1,
                      title: str = "") -> Figure:
    """Learned convolution filters (n, height, width), one tile each, weights written on small ones (notebook 08).

    One symmetric colour scale for all tiles: orange positive, purple negative, white zero.
    """
    limit = np.abs(filters).max()
    n_rows = int(np.ceil(len(filters) / n_cols))
    figure, axes = new_figure(n_rows, n_cols, width=cell_size * n_cols, height=cell_size * n_rows + 0.6)
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index >= len(filters):
            continue
        ax.imshow(filters[index], cmap=WEIGHT_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(f"filter {index}", fontsize="x-small")
        if filters[index].size > 9:
            outline_signs(ax, filters[index], limit)
        else:
            for (row, column), value in np.ndenumerate(filters[index]):
                label = f"{value:.1f}".replace("-0.0", "0.0")  # a weight that rounds to zero has no sign
                ax.text(column, row, label, ha="center", va="center", fontsize="x-small",
                        color=text_colour_on(WEIGHT_CMAP, Normalize(-limit, limit), value))
    figure.suptitle(title or f"The {len(filters)} filters the first convolution learned (orange +, purple -)")
    size = " x ".join(str(side) for side in filters.shape[1:3])
    return attach(figure, f"{figure.get_suptitle()}: {len(filters)} tiles of {size} weights in {n_rows} "
                  f"row{'s' * (n_rows > 1)}, orange positive, purple negative, white zero"
                  + (", each weight written on its square." if filters[0].size <= 9 else f"; {SIGN_OUTLINES}."))


def plot_feature_maps(image: np.ndarray, maps: Mapping[str, np.ndarray], *, n_channels: int = 8,
                      cell_size: float = 1.2) -> Figure:
    """One digit, then one row per layer: its first ``n_channels`` feature maps (notebook 08).

    Bright (yellow) where a channel responds strongly, dark where it does not; each row is
    labelled with the layer's name and its map size.
    """
    figure, axes = new_figure(len(maps), n_channels + 1, width=cell_size * (n_channels + 1) + 1.2,
                              height=cell_size * len(maps) + 0.6)
    for row, (name, values) in enumerate(maps.items()):
        for column, ax in enumerate(axes[row]):
            ax.set(xticks=[], yticks=[])
            if column == 0:
                ax.imshow(image, cmap=DIGIT_CMAP) if row == 0 else ax.axis("off")
                if row == 0:
                    ax.set_title("input", fontsize="small")
                continue
            channel = column - 1
            if channel < values.shape[-1]:
                ax.imshow(values[..., channel], cmap=HEATMAP_CMAP)
            if column == 1:
                ax.set_ylabel(f"{name}\n{values.shape[0]}x{values.shape[1]}", rotation=0, ha="right",
                              va="center", fontsize="medium")  # upright: read without turning the head
            if row == 0:
                ax.set_title(f"channel {channel}", fontsize="small")
    figure.suptitle("Feature maps: where each channel responds in this digit (bright = strong)")
    rows = [f"{name} ({values.shape[0]} x {values.shape[1]})" for name, values in maps.items()]
    return attach(figure, f"{figure.get_suptitle()}: the input digit, then one row per layer, {series(rows)}, "
                  f"each showing its first {n_channels} channels as images, bright where the channel responds "
                  "strongly.")


def plot_epoch_times(seconds: Mapping[str, float], limit_seconds: float, *,
                     title: str = "Time for one 60,000-image epoch") -> Figure:
    """Horizontal bars of epoch time per set-up (log scale), the machine's limit dashed (notebook 09).

    Each bar is labelled with its time and with the share of the limit it reaches, so the
    numbers do not depend on reading colours or a log axis.
    """
    figure, axes = new_figure(width=9, height=0.55 * len(seconds) + 2.0)
    ax = axes[0, 0]
    names = list(seconds)[::-1]  # first set-up on top
    times = [seconds[name] for name in names]
    bars = ax.barh(names, times, color=[BLUE if t == min(times) else GREY for t in times])  # fastest in blue
    ax.bar_label(bars, labels=[f"{t:.2f} s ({limit_seconds / t:.0%} of the limit)" for t in times], padding=4,
                 fontsize="small")
    ax.axvline(limit_seconds, color=VERMILLION, linestyle="--", linewidth=2,
               label=f"machine limit: {limit_seconds:.2f} s (the FLOP at NumPy's matmul rate)")
    ax.set_xscale("log")
    ax.set(xlim=(limit_seconds / 2, max(times) * 8), xlabel="seconds per epoch (log scale)", title=title)
    figure.legend(loc="outside lower center", fontsize="small")  # below the axes: clear of every bar's label
    return attach(figure, f"Horizontal bar chart, {title}: seconds per epoch on a log scale, one bar per set-up "
                  f"({series(list(seconds))}), each labelled with its time and the share of the machine's limit it "
                  "reaches; the fastest in blue, the others grey; a dashed vermillion line marks the limit.")


def plot_learning_rate_sweep(losses: Mapping[str, Sequence[float]], *, chance_loss: float | None = None,
                             title: str = "") -> Figure:
    """Training loss after each step, one line per named learning rate (notebook 04).

    Lines differ by style and marker as well as colour. The axis stops at three times
    ``chance_loss`` (the loss of a blind guess, drawn dotted), so that the useful runs stay
    readable: a run that goes higher, or overflows (inf or NaN), is drawn along the top edge
    from there, and a note says how high it went.
    """
    figure, axes = new_figure(width=8, height=3.8)
    ax = axes[0, 0]
    curves = {name: np.asarray(curve, float) for name, curve in losses.items()}
    highest = max(float(np.nanmax(np.where(np.isinf(curve), np.nan, curve))) for curve in curves.values())
    top = min(1.05 * highest, 3 * chance_loss) if chance_loss else 1.05 * highest
    line_styles, markers = ["-", "--", "-.", ":"], ["o", "s", "^", "D"]
    style_names, marker_names = ["solid", "dashed", "dash-dotted", "dotted"], ["circles", "squares", "triangles",
                                                                              "diamonds"]
    lines, notes = [], []
    for index, (name, curve) in enumerate(curves.items()):
        steps = np.arange(1, len(curve) + 1)
        above = ~(curve <= top)  # higher than the axis, inf or NaN
        ax.plot(steps, np.where(above, top, curve), line_styles[index % 4], linewidth=1.6, marker=markers[index % 4],
                markevery=max(1, len(curve) // 8), label=name, clip_on=False)
        lines.append(f"{name} ({style_names[index % 4]} with {marker_names[index % 4]}) ending at "
                     f"{number(curve[-1])}")
        if above.any():
            peak = float(np.nanmax(np.where(np.isinf(curve), np.nan, curve)))
            overflow = ", and overflows to infinity" if (~np.isfinite(curve)).any() else ""
            note = f"{name}: off the chart, up to {peak:.0f}{overflow}"
            notes.append(note)
            ax.annotate(note, (steps[above][0], top), textcoords="offset points", xytext=(12, -14), fontsize="small",
                        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
    guess = ""
    if chance_loss is not None:
        ax.axhline(chance_loss, color=GREY, linestyle=":", linewidth=2, label=f"blind guess ({chance_loss:.2f})")
        guess = f"; a dotted grey line marks a blind guess's loss, {chance_loss:.2f}"
    ax.set(xlabel="training step (one batch each)", ylabel="loss on the batch", ylim=(0, top), title=title)
    ax.legend(loc="center right", fontsize="small")
    return attach(figure, f"Line chart{': ' + title if title else ''}. Across: the training step, from 1 to "
                  f"{max(len(curve) for curve in curves.values()):,}; up: the loss on the batch. "
                  f"{sentence(series(lines))}{guess}." + (f" {sentence(series(notes))}." if notes else ""))
