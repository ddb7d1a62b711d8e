"""helpers.plots, as notebooks 01-03 use it: the figures of the data, the network and its training."""

import numpy as np
import pytest

from helpers import plots


def test_class_count_legend_sits_beside_the_bars_not_over_them():
    labels = {"training": np.repeat(np.arange(10), 6), "test": np.repeat(np.arange(10), 1)}
    figure = plots.plot_class_counts(labels)
    ax = figure.axes[0]
    figure.canvas.draw()  # lay the figure out so the legend has its final position
    legend_box = ax.get_legend().get_window_extent()
    axes_box = ax.get_window_extent()
    assert legend_box.x0 >= axes_box.x1, "the legend must be right of the axes"
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["training", "test"]
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
