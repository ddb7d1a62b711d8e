"""helpers.plots: each figure shows what it claims, with a second cue besides colour (notebooks 01-08)."""

import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from helpers import plots, style
from helpers.describe import describe

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
        "Pred: 7 (95%, high) ✓\nActual: 7", "Pred: 2 (80%, medium) ✓\nActual: 2",
        "Pred: 4 (50%, low) ✗\nActual: 9"]  # the band describes the prediction, so it sits on its line
    colours = [mcolors.to_hex(ax.title.get_color()) for ax in axes]
    assert colours == [style.GREEN_TEXT.lower(), style.ORANGE_TEXT.lower(), style.VERMILLION_TEXT.lower()]
    assert all(contrast_on_white(colour) >= 4.5 for colour in colours), "titles must read as text on white"


def contrast_on_white(colour: str) -> float:
    """WCAG's contrast ratio of ``colour`` against white."""
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in mcolors.to_rgb(colour)]
    return 1.05 / (0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] + 0.05)


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
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%", "the axis speaks percent, as the bars' labels do"


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


def texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


# --- notebooks 01-03: the data, the network and its training

def test_class_count_legend_sits_beside_the_bars_not_over_them():
    labels = {"training": np.repeat(np.arange(10), 6), "test": np.repeat(np.arange(10), 1)}
    figure = plots.plot_class_counts(labels)
    ax = figure.axes[0]
    figure.canvas.draw()  # lay the figure out so the legend has its final position
    legend_box = ax.get_legend().get_window_extent()
    axes_box = ax.get_window_extent()
    assert legend_box.x0 >= axes_box.x1, "the legend must be right of the axes"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["training", "test"]
    assert [patch.get_hatch() or "" for patch in ax.get_legend().get_patches()] == ["", "//"], "not colour only"
    assert {bar.get_hatch() for bar in ax.containers[1]} == {"//"}
    heights = sorted(round(bar.get_height()) for bar in ax.patches if bar.get_height() > 0)
    assert heights == [1] * 10 + [6] * 10


def test_class_counts_need_at_least_one_split():
    with pytest.raises((ValueError, KeyError)):
        plots.plot_class_counts({})


def test_curves_differ_by_line_style_not_only_colour():
    x = np.linspace(-2, 2, 9)
    figure = plots.plot_curves(x, {"ReLU": np.maximum(0, x), "identity": x, "zero": 0 * x},
                               xlabel="input", ylabel="output", title="activations")
    ax = figure.axes[0]
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--", ":"]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["ReLU", "identity", "zero"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), np.maximum(0, x))
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("input", "output", "activations")


def test_curves_reject_a_curve_of_the_wrong_length():
    with pytest.raises(ValueError):
        plots.plot_curves(np.arange(3), {"too short": np.arange(2)}, xlabel="x", ylabel="y")


# --- notebook 06: weight images legible

def test_hidden_weights_percentile_sets_a_symmetric_colour_limit_and_title():
    weights = np.linspace(-1, 1, 784 * 4).reshape(784, 4)
    from helpers.plots import plot_hidden_weights

    figure = plot_hidden_weights(weights, n_cols=4, percentile=50, title="Four neurons")
    low, high = next(ax.images[0] for ax in figure.axes if ax.images).get_clim()
    assert low == -high and high == np.percentile(np.abs(weights), 50)
    assert figure.get_suptitle() == "Four neurons"
    default = plot_hidden_weights(weights, n_cols=4)
    assert default.get_suptitle() == "What each of the 4 hidden neurons looks for"
    assert next(ax.images[0] for ax in default.axes if ax.images).get_clim()[1] == 1.0


def test_hidden_weights_draw_positive_orange_and_negative_purple():
    from matplotlib.colors import to_rgb

    from helpers.plots import plot_hidden_weights

    weights = np.zeros((784, 1))
    weights[0], weights[1] = 1.0, -1.0
    image = next(ax.images[0] for ax in plot_hidden_weights(weights, n_cols=1).axes if ax.images)
    positive, negative = (to_rgb(image.cmap(image.norm(value))) for value in (1.0, -1.0))
    assert positive[0] > positive[2], f"positive weights should be orange, got {positive}"
    assert negative[2] > negative[0], f"negative weights should be purple, got {negative}"


def outline_styles(ax) -> list[tuple[str, bool]]:
    """(colour, dashed?) of each sign outline drawn on ``ax``."""
    from matplotlib.colors import to_hex

    return [(to_hex(contours.get_edgecolor()[0]), contours.get_linestyle()[0][1] is not None)
            for contours in ax.collections]


def test_sign_is_told_by_outlines_as_well_as_colour():
    weights = np.zeros((784, 3))
    weights[100:110, 0] = 1.0  # a positive patch
    weights[300:310, 1] = -1.0  # a negative patch
    figure = plots.plot_hidden_weights(weights, n_cols=3)
    positive, negative, empty = (ax for ax in figure.axes if ax.images)
    assert outline_styles(positive) == [("#000000", False)], "positive areas: a solid black outline"
    assert outline_styles(negative) == [("#000000", True)], "negative areas: a dotted black outline"
    assert outline_styles(empty) == []
    assert "positive areas outlined in solid black, strongly negative ones in dotted black" in describe(figure)


# --- notebook 08: convolution steps, filters, feature maps, epoch times, reliability

def test_convolution_steps_show_four_panels_with_sizes_and_the_filter_numbers():
    kernel = np.array([[-1, 0, 1]] * 3, dtype=float)
    figure = plots.plot_convolution_steps(RNG.random((28, 28)), kernel, RNG.normal(size=(28, 28)),
                                          RNG.normal(size=(14, 14)))
    assert isinstance(figure, Figure) and sum(bool(ax.images) for ax in figure.axes) == 4
    assert [title.split("\n")[1] for title in titles(figure)] == ["28 x 28", "3 x 3", "28 x 28", "14 x 14"]
    assert texts(figure.axes[1]) == ["-1", "0", "1"] * 3
    filtered_image = figure.axes[2].images[0]
    assert filtered_image.norm.vmin == -filtered_image.norm.vmax  # zero is white on the diverging scale


def test_convolution_steps_survive_an_all_zero_response():
    zeros = np.zeros((28, 28))
    figure = plots.plot_convolution_steps(zeros, np.ones((3, 3)), zeros, np.zeros((14, 14)))
    assert figure.axes[2].images[0].norm.vmax == 1.0


def test_conv_filters_one_tile_each_symmetric_scale_weights_written():
    filters = RNG.normal(size=(10, 3, 3))
    figure = plots.plot_conv_filters(filters, n_cols=4)
    tiles = [ax for ax in figure.axes if ax.images]
    assert len(figure.axes) == 12 and len(tiles) == 10
    limit = np.abs(filters).max()
    assert all(ax.images[0].norm.vmin == -limit and ax.images[0].norm.vmax == limit for ax in tiles)
    assert texts(tiles[0]) == [f"{value:.1f}" for value in filters[0].ravel()]
    assert "10 filters" in figure.get_suptitle()


def test_feature_maps_one_row_per_layer_labelled_with_its_size():
    maps = {"relu1": RNG.random((28, 28, 16)), "relu2": RNG.random((14, 14, 32)), "tiny": RNG.random((7, 7, 3))}
    figure = plots.plot_feature_maps(RNG.random((28, 28)), maps, n_channels=4)
    assert len(figure.axes) == 3 * 5
    labels = [ax.get_ylabel() for ax in figure.axes if ax.get_ylabel()]
    assert labels == ["relu1\n28x28", "relu2\n14x14", "tiny\n7x7"]
    assert {ax.yaxis.label.get_rotation() for ax in figure.axes if ax.get_ylabel()} == {0}, "upright row labels"
    assert sum(bool(ax.images) for ax in figure.axes) == 1 + 4 + 4 + 3  # the input, then the channels there are
    assert titles(figure)[:2] == ["input", "channel 0"]


def test_epoch_times_bars_labels_limit_line_and_fastest_highlighted():
    seconds = {"original (batch 16)": 5.0, "batch 512": 0.5, "+ tf.data pipeline": 0.4}
    figure = plots.plot_epoch_times(seconds, limit_seconds=0.3)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    assert [tick.get_text() for tick in ax.get_yticklabels()] == list(seconds)[::-1]  # first on top
    assert len(ax.patches) == 3
    bar_labels = texts(ax)
    assert "0.40 s (75% of the limit)" in bar_labels and "5.00 s (6% of the limit)" in bar_labels
    colours = {mcolors.to_hex(bar.get_facecolor()) for bar in ax.patches}
    assert colours == {plots.BLUE.lower(), plots.GREY.lower()}
    fastest_bar = ax.patches[0]  # reversed order: the last set-up is drawn first, at the bottom
    assert mcolors.to_hex(fastest_bar.get_facecolor()) == plots.BLUE.lower()
    legend = figure.legends[0]  # the figure's, below the axes
    assert any("machine limit" in text.get_text() for text in legend.get_texts())
    figure.canvas.draw()  # lay the figure out so the legend has its final position
    legend_box = legend.get_window_extent()
    assert not any(legend_box.overlaps(label.get_window_extent()) for label in ax.texts), "legend over a label"


@pytest.mark.parametrize("count", [1, 9])
def test_conv_filters_handle_any_count(count):
    figure = plots.plot_conv_filters(RNG.normal(size=(count, 3, 3)))
    assert sum(bool(ax.images) for ax in figure.axes) == count

def test_filter_numbers_are_white_on_dark_cells_and_black_on_light_ones():
    kernel = np.array([[-1, 0, 1]] * 3, dtype=float)
    zeros = np.zeros((28, 28))
    figure = plots.plot_convolution_steps(zeros, kernel, zeros, np.zeros((14, 14)))
    colours = [text.get_color() for text in figure.axes[1].texts]
    assert colours == ["white", "black", "white"] * 3  # -1 (dark purple) and 1 (dark orange) stay readable
    tiles = plots.plot_conv_filters(kernel[None])
    assert [text.get_color() for text in tiles.axes[0].texts] == ["white", "black", "white"] * 3


def test_reliability_diagram_shows_how_many_predictions_each_bin_holds():
    bins = (np.array([0.55, 0.75, 0.97]), np.array([0.5, 0.7, 0.99]), np.array([20, 300, 9_000]))
    figure = plots.plot_reliability_diagram({"model": bins, "other": bins})
    accuracy_ax, counts_ax = figure.axes
    np.testing.assert_array_equal(accuracy_ax.lines[1].get_ydata(), bins[1])  # lines[0] is the diagonal
    np.testing.assert_array_equal(counts_ax.lines[0].get_ydata(), bins[2])
    assert counts_ax.get_yscale() == "log" and counts_ax.get_ylabel().startswith("predictions")
    assert accuracy_ax.lines[1].get_color() == counts_ax.lines[0].get_color()  # one colour per model
    without_counts = plots.plot_reliability_diagram({"model": bins[:2]})
    assert len(without_counts.axes) == 1
    with pytest.raises(ValueError, match="confidence, accuracy"):
        plots.plot_reliability_diagram({"model": bins[:1]})


def test_probability_left_for_wrong_digits_shows_the_gaps_from_zero():
    confidence = np.array([0.99, 0.98, 0.95, 0.96, 0.97, 0.955, 0.98, 0.97, 0.96, 0.965])
    ax = plots.plot_confidence_left(confidence).axes[0]
    np.testing.assert_allclose([bar.get_height() for bar in ax.patches], 1 - confidence)
    assert texts(ax) == [f"{value:.1%}" for value in 1 - confidence]
    low, high = ax.get_ylim()
    assert low == 0 and 0.05 <= high < 0.1, "bars from zero, on an axis that fits the largest"
    colours = [mcolors.to_hex(bar.get_facecolor()) for bar in ax.patches]
    assert colours[2] == plots.VERMILLION.lower() and colours.count(plots.VERMILLION.lower()) == 1


def every_figure() -> dict[str, Figure]:
    """One of each of helpers.plots' figures, built with the style in force (the same data every call)."""
    rng = np.random.default_rng(1)
    weights = rng.normal(size=(784, 4))
    bins = (np.array([0.5, 0.9]), np.array([0.4, 0.95]), np.array([10, 900]))
    probabilities = np.full((2, 10), 0.02)
    probabilities[:, 3] = 0.82
    return {
        "digit grid": plots.plot_digit_grid(IMAGES[:2], ["a", "b"], suptitle="grid"),
        "pixel values": plots.plot_pixel_values(IMAGES[0], "pixels"),
        "class counts": plots.plot_class_counts({"train": np.arange(10)}),
        "curves": plots.plot_curves(np.arange(3), {"y": np.arange(3)}, xlabel="x", ylabel="y", title="t"),
        "training curves": plots.plot_training_curves({"loss": [1, 0.5], "val_loss": [1, 0.6],
                                                       "accuracy": [0.5, 0.8], "val_accuracy": [0.5, 0.7]}),
        "prediction grid": plots.plot_prediction_grid(IMAGES[:2], np.array([3, 4]), probabilities),
        "confidence bars": plots.plot_confidence_bars(np.linspace(0.95, 0.99, 10)),
        "confidence left": plots.plot_confidence_left(np.linspace(0.95, 0.99, 10)),
        "probabilities": plots.plot_probabilities(probabilities[0], image=IMAGES[0], true_label=3),
        "confusion matrix": plots.plot_confusion_matrix(rng.integers(0, 50, size=(10, 10))),
        "hidden weights": plots.plot_hidden_weights(weights, n_cols=4),
        "reliability": plots.plot_reliability_diagram({"model": bins}),
        "preparation steps": plots.plot_preparation_steps({"a": IMAGES[0], "b": IMAGES[1]}, {"b": (14, 14)}),
        "accuracy comparison": plots.plot_accuracy_comparison({"a": 0.9, "b": 0.95}, title="t"),
        "convolution steps": plots.plot_convolution_steps(IMAGES[0], np.eye(3), np.eye(28), np.eye(14)),
        "conv filters": plots.plot_conv_filters(rng.normal(size=(2, 3, 3))),
        "feature maps": plots.plot_feature_maps(IMAGES[0], {"relu": rng.random((28, 28, 2))}, n_channels=2),
        "epoch times": plots.plot_epoch_times({"a": 1.0, "b": 2.0}, 0.5),
    }


def text_sizes(figure: Figure) -> tuple[list[tuple[str, float]], list[float]]:
    """(every text but tick labels, with its size), and the tick labels' sizes (their number varies)."""
    figure.canvas.draw()  # tick labels exist once the figure is laid out
    axis_texts = {id(text) for ax in figure.axes for axis in (ax.xaxis, ax.yaxis) for text in axis.findobj(Text)
                  if text is not axis.label}
    ticks = [label.get_fontsize() for ax in figure.axes if ax.axison
             for label in ax.get_xticklabels() + ax.get_yticklabels() if label.get_text() and label.get_visible()]
    texts = [(text.get_text(), text.get_fontsize()) for text in figure.findobj(Text)
             if text.get_text() and id(text) not in axis_texts]
    return texts, ticks


def test_presentation_mode_enlarges_every_text_in_every_figure():
    try:
        style.use_series_style()
        normal = {name: text_sizes(figure) for name, figure in every_figure().items()}
        base_size = mpl.rcParams["font.size"]
        style.use_series_style(presentation=True)
        large = {name: text_sizes(figure) for name, figure in every_figure().items()}
    finally:
        style.use_series_style()
    for name, ((texts_before, ticks_before), (texts_after, ticks_after)) in zip(normal, zip(normal.values(),
                                                                                           large.values())):
        assert [text for text, _ in texts_after] == [text for text, _ in texts_before], name
        small = [(text, before, after) for (text, before), (_, after) in zip(texts_before, texts_after)
                 if after < before * 1.3]
        assert not small, f"{name}: these texts do not grow with presentation=True: {small}"
        if ticks_before:
            assert min(ticks_after) >= 1.3 * max(ticks_before), f"{name}: tick labels do not grow"
        assert min(size for _, size in texts_before) >= 0.55 * base_size, f"{name}: a text is tiny"



def test_framed_pictures_show_their_edges_and_unframed_ones_do_not():
    pictures = RNG.random((2, 112, 112))
    framed = plots.plot_digit_grid(pictures, ["a", "b"], n_cols=2, framed=True)
    assert all(ax.axison and all(spine.get_visible() for spine in ax.spines.values()) for ax in framed.axes)
    assert not any(ax.axison for ax in plots.plot_digit_grid(pictures, n_cols=2).axes)
    image_ax = plots.plot_probabilities(np.full(10, 0.1), image=IMAGES[0]).axes[0]
    assert image_ax.axison and not image_ax.get_xticks().size, "the 28x28 input is framed, without ticks"


def test_preparation_steps_can_show_grey_levels_with_white_paper():
    grey = np.linspace(0, 1, 28 * 28).reshape(28, 28)
    figure = plots.plot_preparation_steps({"grey": grey, "ink": 1 - grey}, cmaps={"grey": "gray"})
    grey_image, ink_image = (ax.images[0] for ax in figure.axes if ax.images)
    assert grey_image.get_cmap().name == "gray" and grey_image.get_clim() == (0, 1)
    assert ink_image.get_cmap().name == plots.DIGIT_CMAP


# --- text alternatives (helpers.describe): written from the data, so they change when the figure's meaning does

def test_confidence_bars_description_states_the_range_and_names_the_lowest():
    from helpers.describe import describe

    confidence = np.array([0.99, 0.98, 0.95, 0.96, 0.97, 0.91, 0.98, 0.97, 0.93, 0.94])
    text = describe(plots.plot_confidence_bars(confidence))
    assert text.startswith("Bar chart of the mean probability the model gives the true digit, for each digit 0-9")
    assert "all between 91.0% and 99.0%" in text and "the lowest bar, digit 5, in vermillion" in text
    left = describe(plots.plot_confidence_left(confidence))
    assert "from 1.0% to 9.0%; the largest bar, digit 5, in vermillion" in left


def test_prediction_grid_description_says_what_each_title_shows():
    from helpers.describe import describe

    probabilities = np.full((3, 10), 0.0)
    probabilities[0, 7], probabilities[1, 2], probabilities[2, 4] = 0.95, 0.80, 0.50
    text = describe(plots.plot_prediction_grid(IMAGES[:3], np.array([7, 2, 9]), probabilities, n_cols=3))
    assert "digits 7, 2, 9" in text and "its confidence and a word for it" in text
    assert "check mark" in text and "cross" in text, "the second cue besides colour is described too"


@pytest.mark.parametrize("figure", [
    lambda: plots.plot_digit_grid(IMAGES[:2], ["a", "b"]),
    lambda: plots.plot_pixel_values(IMAGES[0]),
    lambda: plots.plot_class_counts({"training": np.arange(10)}),
    lambda: plots.plot_training_curves({"loss": [0.5, 0.25], "accuracy": [0.9, 0.95]}),
    lambda: plots.plot_confusion_matrix(np.eye(10, dtype=int) * 5 + 1),
    lambda: plots.plot_hidden_weights(RNG.normal(size=(784, 4)), n_cols=4),
    lambda: plots.plot_probabilities(np.eye(10)[3]),
    lambda: plots.plot_epoch_times({"a": 1.0}, 0.5),
])
def test_every_plot_carries_a_description_of_its_own(figure):
    from helpers.describe import DESCRIPTION_ATTRIBUTE, describe

    made = figure()
    text = describe(made)
    assert getattr(made, DESCRIPTION_ATTRIBUTE) == text and not text.startswith("<Figure")
    assert 40 < len(text) < 600 and text.endswith("."), text


def test_probabilities_description_says_what_is_drawn_and_the_title_names_the_prediction():
    from helpers.describe import describe

    sure = np.full(10, 0.1 / 9)
    sure[4] = 0.9
    figure = plots.plot_probabilities(sure, image=IMAGES[0], true_label=4)
    assert describe(figure).startswith("Bar chart of the probability of each digit 0-9 beside the input image "
                                       "(actual digit: 4)")
    assert "the highest bar, the prediction named in the title, in blue" in describe(figure)
    assert figure.axes[-1].get_title() == "prediction: 4 (90.0%)"


def test_training_curves_description_reads_the_last_epoch():
    from helpers.describe import describe

    history = {"loss": [0.5, 0.3], "val_loss": [0.4, 0.35], "accuracy": [0.8, 0.9], "val_accuracy": [0.85, 0.88]}
    text = describe(plots.plot_training_curves(history, title="Two epochs"))
    assert text.startswith("Two epochs: two line charts, loss and accuracy after each of 2 epochs")
    assert ("training loss 0.300, validation loss 0.350, training accuracy 90.0% and validation accuracy 88.0%"
            in text)


def test_confusion_matrix_description_counts_the_diagonal():
    from helpers.describe import describe

    matrix = np.eye(10, dtype=int) * 90
    matrix[4, 9] = 100
    assert "900 of 1,000 images on the diagonal (90.0% right)" in describe(plots.plot_confusion_matrix(matrix))
    np.fill_diagonal(matrix, 0)
    assert "the diagonal is empty: 100 mistakes in all" in describe(plots.plot_confusion_matrix(matrix, title="M"))


# --- notebook 04: the learning-rate sweep

def test_the_sweep_figure_keeps_the_good_runs_readable_and_says_where_one_went_off_the_chart():
    steps = np.arange(1, 101)
    slow, good = 2.3 - steps / 200, 2.3 * np.exp(-steps / 10) + 0.2
    diverging = np.full(100, 2.31)
    diverging[3], diverging[5] = np.inf, 40.0
    figure = plots.plot_learning_rate_sweep({"learning rate 0.005": slow, "learning rate 0.5": good,
                                             "learning rate 5.0": diverging}, chance_loss=np.log(10))
    ax = figure.axes[0]
    assert np.isclose(ax.get_ylim()[1], 3 * np.log(10))  # not 40: the two useful runs stay readable
    assert [line.get_label() for line in ax.get_lines()][:3] == ["learning rate 0.005", "learning rate 0.5",
                                                                 "learning rate 5.0"]
    notes = [text.get_text() for text in ax.texts]
    assert notes == ["learning rate 5.0: off the chart, up to 40, and overflows to infinity"]
    drawn = ax.get_lines()[2].get_ydata()
    assert np.all(np.isfinite(drawn)) and drawn.max() <= 3 * np.log(10)
    text = describe(figure)
    assert text.startswith("Line chart") and "learning rate 5.0 (dash-dotted with triangles)" in text
    assert "off the chart" in text and "blind guess's loss, 2.30" in text


def test_digit_grid_description_counts_only_the_titles_shown():
    row_labels = [str(digit) if column == 0 else "" for digit in range(3) for column in range(4)]
    assert plots.describe_digit_grid(12, 3, 4, row_labels, None) == (
        "A grid of 12 images in 3 rows of 4; 3 of them titled: 0, 1, 2.")
    assert plots.describe_digit_grid(6, 1, 6, [f"{n}" for n in range(6)], None).endswith("each with a title above it.")
    assert plots.describe_digit_grid(2, 1, 2, ["a", "b"], None).endswith("titled a; b.")
    assert plots.describe_digit_grid(3, 1, 3, ["a", "", "b"], None).endswith("; 2 of them titled: a, b.")


def test_pixel_values_rows_numbered_upright_and_values_legible():
    figure = plots.plot_pixel_values(IMAGES[0], "pixels")
    ax = figure.axes[0]
    assert {label.get_rotation() for label in ax.get_yticklabels()} == {0}, "row numbers read without turning"
    x_small = mpl.font_manager.font_scalings["x-small"] * mpl.rcParams["font.size"]
    assert {text.get_fontsize() for text in ax.texts} == {x_small}, "values in x-small type, not xx-small"


def test_learning_rate_sweep_note_has_a_background_over_the_lines():
    losses = {"learning rate 0.5": [2.3, 1.0, 0.5], "learning rate 5.0": [2.3, 40.0, np.inf]}
    figure = plots.plot_learning_rate_sweep(losses, chance_loss=2.3)
    notes = [text for text in figure.axes[0].texts if "off the chart" in text.get_text()]
    assert notes and all(note.get_bbox_patch() is not None for note in notes)
