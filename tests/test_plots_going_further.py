"""helpers.plots, notebook 07's figures: convolution steps, filters, feature maps, epoch times."""

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plots

RNG = np.random.default_rng(0)


def titles(figure: Figure) -> list[str]:
    return [ax.get_title() for ax in figure.axes if ax.get_title()]


def texts(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


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
    assert any("machine limit" in text.get_text() for text in ax.get_legend().get_texts())


@pytest.mark.parametrize("count", [1, 9])
def test_conv_filters_handle_any_count(count):
    figure = plots.plot_conv_filters(RNG.normal(size=(count, 3, 3)))
    assert sum(bool(ax.images) for ax in figure.axes) == count
