"""helpers.style: the series' look, and figures shown inline in Jupyter (every notebook).

helpers.plots builds figures without pyplot, so Jupyter only draws them because
use_series_style (called by setup_notebook) turns on inline display; without it a cell shows
just "<Figure size ...>" and every notebook figure would silently go missing.
"""

import matplotlib as mpl
import pytest
from matplotlib.colors import Normalize
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from helpers import style


def run_cells(*sources: str) -> list[dict]:
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources])
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    return [cell.outputs for cell in notebook.cells]


def test_a_returned_figure_is_shown_as_png_once_the_style_is_set():
    outputs = run_cells(
        "from matplotlib.figure import Figure\nFigure()",  # before: text only
        "from helpers.style import use_series_style\nuse_series_style()",
        "import numpy as np\nfrom helpers.plots import plot_confidence_bars\n"
        "plot_confidence_bars(np.linspace(0.9, 0.99, 10))",
        "import matplotlib.pyplot as plt\nplt.get_fignums()",
    )
    assert "image/png" not in outputs[0][0]["data"]
    shown = [output for output in outputs[2] if output.get("data", {}).get("image/png")]
    assert len(shown) == 1, "the figure is shown exactly once"
    description = shown[0]["data"]["text/plain"]
    assert description.startswith("Bar chart of the mean probability") and "90.0% and 99.0%" in description
    notes = [output["data"]["text/html"] for output in outputs[2] if "text/html" in output.get("data", {})]
    assert notes == [style.description_html(description)], "the description is also a note a screen reader reaches"
    assert "<summary>Describe the figure</summary>" in notes[0]
    assert outputs[3][0]["data"]["text/plain"] == "[]", "no pyplot figures are left open"


def test_a_figure_drawn_with_pyplot_is_described_from_its_axes():
    outputs = run_cells(
        "from helpers.style import use_series_style\nuse_series_style()",
        "import matplotlib.pyplot as plt\nfigure, axis = plt.subplots()\n"
        "axis.plot([1, 2, 3], [0.5, 0.25, 0.125])\naxis.set(title='loss', xlabel='epoch', ylabel='loss')",
    )
    shown = [output["data"] for output in outputs[1] if "image/png" in output.get("data", {})]
    assert len(shown) == 1
    assert shown[0]["text/plain"] == ("Figure with 1 panel: line chart, titled 'loss', x axis: epoch, y axis: loss, "
                                      "1 line, values from 0.125 to 0.5.")


def test_outside_a_kernel_the_style_does_not_touch_the_backend():
    backend = mpl.get_backend()
    style.use_series_style()
    assert mpl.get_backend() == backend


def test_presentation_style_enlarges_fonts_for_a_projector():
    import matplotlib as mpl

    style.use_series_style()
    normal = mpl.rcParams["font.size"], mpl.rcParams["axes.titlesize"]
    style.use_series_style(presentation=True)
    large = mpl.rcParams["font.size"], mpl.rcParams["axes.titlesize"]
    style.use_series_style()
    assert large[0] > normal[0] * 1.3
    assert mpl.rcParams["image.cmap"] == "cividis"
    assert style.font_scale() == pytest.approx(1.0)


def test_font_scale_is_one_and_a_half_in_presentation_mode():
    try:
        style.use_series_style(presentation=True)
        assert style.font_scale() == pytest.approx(1.5)
    finally:
        style.use_series_style()


def test_new_figure_always_gives_a_two_dimensional_array_of_axes():
    figure, axes = style.new_figure(1, 3, width=6, height=2)
    assert axes.shape == (1, 3) and tuple(figure.get_size_inches()) == (6, 2)


@pytest.mark.parametrize(("value", "colour"), [(-1.0, "white"), (0.0, "black"), (1.0, "white")])
def test_text_colour_contrasts_with_the_weight_colours(value, colour):
    assert style.text_colour_on(style.WEIGHT_CMAP, Normalize(-1, 1), value) == colour
