"""helpers.plots as a reader sees it: figures shown inline in Jupyter, weight images legible.

helpers.plots builds figures without pyplot, so Jupyter only draws them because
use_series_style (called by setup_notebook) turns on inline display; without it a cell shows
just "<Figure size ...>" and every notebook figure would silently go missing.
"""

import numpy as np
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook


def run_cells(*sources: str) -> list[dict]:
    notebook = new_notebook(cells=[new_code_cell(source) for source in sources])
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    return [cell.outputs for cell in notebook.cells]


def test_a_returned_figure_is_shown_as_png_once_the_style_is_set():
    outputs = run_cells(
        "from matplotlib.figure import Figure\nFigure()",  # before: text only
        "from helpers.plots import use_series_style\nuse_series_style()",
        "import numpy as np\nfrom helpers.plots import plot_confidence_bars\n"
        "plot_confidence_bars(np.linspace(0.9, 0.99, 10))",
        "import matplotlib.pyplot as plt\nplt.get_fignums()",
    )
    assert "image/png" not in outputs[0][0]["data"]
    shown = [output for output in outputs[2] if output.get("data", {}).get("image/png")]
    assert len(shown) == 1, "the figure is shown exactly once"
    assert shown[0]["data"]["text/plain"].startswith("<Figure size 800x400")
    assert outputs[3][0]["data"]["text/plain"] == "[]", "no pyplot figures are left open"


def test_outside_a_kernel_the_style_does_not_touch_the_backend():
    import matplotlib

    from helpers.plots import use_series_style

    backend = matplotlib.get_backend()
    use_series_style()
    assert matplotlib.get_backend() == backend


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
