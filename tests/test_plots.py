"""helpers.plots: each figure shows what it claims, with a second cue besides colour."""

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.figure import Figure

from helpers import plots

RNG = np.random.default_rng(0)
IMAGES = RNG.integers(0, 256, size=(10, 28, 28), dtype=np.uint8)


def titles(figure: Figure) -> list[str]:
    return [ax.get_title() for ax in figure.axes if ax.get_title()]


def test_digit_grid_has_one_image_per_digit_and_hides_spare_cells():
    figure = plots.plot_digit_grid(IMAGES[:7], [str(i) for i in range(7)], n_cols=5)
    assert isinstance(figure, Figure) and len(figure.axes) == 10
    assert sum(bool(ax.images) for ax in figure.axes) == 7
    assert titles(figure) == [str(i) for i in range(7)]


def test_prediction_grid_titles_colours_and_marks():
    probabilities = np.full((3, 10), 0.0)
    probabilities[0, 7] = 0.95  # right, high
    probabilities[1, 2] = 0.80  # right, medium
    probabilities[2, 4] = 0.50  # wrong, low
    figure = plots.plot_prediction_grid(IMAGES[:3], np.array([7, 2, 9]), probabilities, n_cols=3)
    axes = [ax for ax in figure.axes if ax.images]
    assert [ax.get_title() for ax in axes] == [
        "Pred: 7 (95%) ✓\nActual: 7 · high", "Pred: 2 (80%) ✓\nActual: 2 · medium",
        "Pred: 4 (50%) ✗\nActual: 9 · low"]
    colours = [mcolors.to_hex(ax.title.get_color()) for ax in axes]
    assert colours == [plots.GREEN.lower(), plots.ORANGE.lower(), plots.VERMILLION.lower()]


def test_confidence_bands_follow_the_original_thresholds():
    assert plots.confidence_band(0.90)[1] == "high"
    assert plots.confidence_band(0.8999)[1] == "medium"
    assert plots.confidence_band(0.70)[1] == "medium"
    assert plots.confidence_band(0.6999)[1] == "low"


def test_confidence_bars_label_each_bar_in_percent_and_highlight_the_lowest():
    confidence = np.array([0.99, 0.98, 0.95, 0.96, 0.97, 0.91, 0.98, 0.97, 0.93, 0.94])
    figure = plots.plot_confidence_bars(confidence)
    ax = figure.axes[0]
    labels = [text.get_text() for text in ax.texts]
    assert labels == [f"{value:.1%}" for value in confidence]
    colours = [mcolors.to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert colours[5] == plots.VERMILLION.lower()
    assert colours.count(plots.VERMILLION.lower()) == 1
    assert ax.get_xlabel() and ax.get_ylabel()


def test_probabilities_chart_names_the_prediction():
    probabilities = np.array([0.01, 0.02, 0.9, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01])
    figure = plots.plot_probabilities(probabilities, image=IMAGES[0], true_label=2)
    assert "prediction: 2 (90.0%)" in titles(figure)
    assert "actual: 2" in titles(figure)


def test_training_curves_plot_train_and_validation_per_metric():
    history = {"loss": [0.5, 0.3], "val_loss": [0.4, 0.35], "accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.88]}
    figure = plots.plot_training_curves(history)
    assert [len(ax.lines) for ax in figure.axes] == [2, 2]
    np.testing.assert_array_equal(figure.axes[1].lines[1].get_ydata(), [0.85, 0.88])


def test_confusion_matrix_writes_every_count():
    matrix = RNG.integers(0, 50, size=(10, 10))
    figure = plots.plot_confusion_matrix(matrix)
    written = [int(text.get_text()) for text in figure.axes[0].texts]
    assert written == list(matrix.flat)
    assert figure.axes[0].get_xlabel() == "predicted digit" and figure.axes[0].get_ylabel() == "true digit"


def test_hidden_weights_one_image_per_neuron_with_symmetric_colour_scale():
    weights = RNG.normal(size=(784, 20))
    figure = plots.plot_hidden_weights(weights, n_cols=10)
    shown = [ax.images[0] for ax in figure.axes if ax.images]
    assert len(shown) == 20
    np.testing.assert_array_equal(shown[3].get_array(), weights[:, 3].reshape(28, 28))
    low, high = shown[0].get_clim()
    assert low == -high == -np.abs(weights).max()


def test_class_counts_and_curves_are_labelled():
    figure = plots.plot_class_counts({"train": np.array([0, 1, 1]), "test": np.array([1])})
    assert figure.axes[0].get_ylabel() == "number of images"
    heights = sorted(bar.get_height() for bar in figure.axes[0].patches if bar.get_height() > 0)
    assert heights == [1, 1, 2]
    x = np.linspace(-1, 1, 5)
    curves = plots.plot_curves(x, {"ReLU": np.maximum(x, 0)}, xlabel="input", ylabel="output")
    assert curves.axes[0].get_legend().get_texts()[0].get_text() == "ReLU"


def test_presentation_style_enlarges_fonts_for_a_projector():
    import matplotlib as mpl

    plots.use_series_style()
    normal = mpl.rcParams["font.size"], mpl.rcParams["axes.titlesize"]
    plots.use_series_style(presentation=True)
    large = mpl.rcParams["font.size"], mpl.rcParams["axes.titlesize"]
    plots.use_series_style()
    assert large[0] > normal[0] * 1.3
    assert mpl.rcParams["image.cmap"] == "cividis"
