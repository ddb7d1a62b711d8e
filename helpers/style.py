"""The series' plot style and the plumbing that shows figures inline (every notebook, via ``setup_notebook``).

Colours, colour maps, font sizes and the empty figure every plot starts from live here;
the figures themselves are in :mod:`helpers.plots`. Text sizes in figures are named
("small", "x-small", ...), so they are fractions of the base font size that
``use_series_style`` sets: ``presentation=True`` enlarges every text of every figure.
"""

from __future__ import annotations

import html

import matplotlib as mpl
import numpy as np
import seaborn as sns
from matplotlib.colors import Colormap, Normalize, to_rgb
from matplotlib.figure import Figure

# Okabe & Ito's palette (Color Universal Design, 2002): eight colours chosen to stay distinct for
# readers with protanopia, deuteranopia and tritanopia, and in print; it is also what matplotlib's
# and seaborn's colour-blind guidance recommends. No figure relies on it alone: bars, lines and
# titles also differ by a label, a line style, a marker, a word, or a ✓/✗ (see helpers.plots).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK = OKABE_ITO
GREY = "#999999"
# The same hues, darkened for text on white (titles coloured by confidence): each has a contrast
# of at least 4.5:1 (WCAG AA for small text); the palette's own green, orange and vermillion
# have 3.4, 2.3 and 3.9. Each is still named by a word beside it, never by colour alone.
GREEN_TEXT, ORANGE_TEXT, VERMILLION_TEXT = "#007A5A", "#9E6A00", "#B35000"
DIGIT_CMAP = "gray_r"  # dark ink on white paper, as the digits were written
HEATMAP_CMAP = "cividis"
# Diverging and colour-blind safe. Reversed: matplotlib's "PuOr" runs from orange (lowest) to
# purple (highest), and the series draws positive weights orange, negative purple.
WEIGHT_CMAP = "PuOr_r"
# seaborn's contexts scale every font: "talk" is 1.5 times "notebook".
NOTEBOOK_CONTEXT, PRESENTATION_CONTEXT = "notebook", "talk"


def use_series_style(presentation: bool = False) -> None:
    """Set the series' plot style; ``presentation=True`` enlarges every text for a projector.

    In a Jupyter kernel it also makes a cell that returns a Figure show it (see
    :func:`show_figures_inline`).
    """
    show_figures_inline()  # first: the inline backend must not override the style below
    sns.set_theme(context=PRESENTATION_CONTEXT if presentation else NOTEBOOK_CONTEXT, style="whitegrid",
                  palette=OKABE_ITO)
    mpl.rcParams.update({
        "image.cmap": HEATMAP_CMAP,
        "figure.dpi": 100,
        "axes.titleweight": "bold" if presentation else "normal",
    })


def show_figures_inline() -> None:
    """In a Jupyter kernel, display a Figure a cell returns as a PNG (what ``%matplotlib inline`` does).

    The series builds figures without pyplot, so nothing else tells Jupyter how to draw
    them: without this a cell ending in ``plot_...(...)`` shows only "<Figure size ...>".
    Each figure is shown with its text alternative (:func:`helpers.describe.describe`): as the
    figure's text form (``text/plain``, in place of "<Figure size ...>"; the website's ``alt``,
    and what nbval compares), and in a collapsed "Describe the figure" note below it, which a
    screen reader reaches in JupyterLab, Colab and on GitHub.
    Outside a kernel (a script, the terminal) it does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python without IPython installed
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        shell.run_line_magic("matplotlib", "inline")
        shell.display_formatter.ipython_display_formatter.for_type(Figure, display_described_figure)


def description_html(description: str) -> str:
    """The collapsed note under a figure in a notebook: its text alternative, one click (or key) away."""
    return (f'<details class="figure-description"><summary>Describe the figure</summary>'
            f"<p>{html.escape(description)}</p></details>")


def display_described_figure(figure: Figure) -> None:
    """Show ``figure`` as a PNG whose text form is its description, then the description as a note."""
    from IPython import get_ipython
    from IPython.display import display

    from helpers.describe import describe

    png = get_ipython().display_formatter.formatters["image/png"](figure)
    png, metadata = png if isinstance(png, tuple) else (png, None)
    if png is None:  # a figure with nothing to draw: its text form only
        display({"text/plain": describe(figure)}, raw=True)
        return
    description = describe(figure)
    display({"image/png": png, "text/plain": description}, raw=True,
            metadata={"image/png": metadata} if metadata else None)
    display({"text/html": description_html(description)}, raw=True)


def new_figure(n_rows: int = 1, n_cols: int = 1, *, width: float = 6.4, height: float = 4.0,
               **subplot_kw) -> tuple[Figure, np.ndarray]:
    """A figure with an ``n_rows`` x ``n_cols`` array of axes (always a 2-D array)."""
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots(n_rows, n_cols, squeeze=False, **subplot_kw)
    return figure, axes


def font_scale() -> float:
    """How much larger the current base font is than the notebook style's (1.5 with ``presentation=True``)."""
    return mpl.rcParams["font.size"] / sns.plotting_context(NOTEBOOK_CONTEXT)["font.size"]


def text_colour_on(cmap: str | Colormap, norm: Normalize, value: float) -> str:
    """Black or white, whichever reads better on the colour ``cmap`` gives ``value``."""
    red, green, blue = to_rgb(mpl.colormaps[cmap](norm(value)) if isinstance(cmap, str) else cmap(norm(value)))
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "black" if luminance > 0.5 else "white"
