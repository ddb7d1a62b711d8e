"""Text alternatives for figures: what a figure shows, in a sentence or two, made from its data (every notebook).

A screen reader cannot read a picture, so every figure the series draws carries a short
description: its kind, what its axes or panels are, and its takeaway, for example "Bar
chart of the mean probability given to the true digit, for each digit 0-9: all between
95.5% and 98.7%; the lowest bar, 95.5%, in vermillion." Each function of
:mod:`helpers.plots` writes the description of its figure from the data it draws
(:func:`attach`); a figure drawn with plain matplotlib gets one read from its axes
(:func:`describe_axes`): titles, axis labels, what is plotted, and the range of the data.

:func:`describe` returns a figure's description. :mod:`helpers.style` shows it with the
figure: on the website it becomes the image's ``alt``, in a notebook it is the figure's
text form (which nbval compares, so a figure whose meaning changes fails the tests) and a
collapsed "Describe the figure" note a screen reader can reach.

Numbers in descriptions are few and rounded: those that come from training are compared
within the tolerances of ``tests/nbval_tolerance.py``, in cells tagged ``depends-on-training``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

DESCRIPTION_ATTRIBUTE = "_series_description"


def attach(figure: Figure, description: str) -> Figure:
    """Store ``description`` with ``figure`` (what :func:`describe` returns); return the figure."""
    setattr(figure, DESCRIPTION_ATTRIBUTE, " ".join(description.split()))
    return figure


def describe(figure: Figure) -> str:
    """The figure's text alternative: the one attached by its plot function, else one read from its axes."""
    attached = getattr(figure, DESCRIPTION_ATTRIBUTE, None)
    return attached if attached else describe_axes(figure)


# ---------------------------------------------------------------- small phrases

def percent(value: float, digits: int = 1) -> str:
    """A share as a percentage: 0.9774 -> '97.7%'."""
    return f"{100 * float(value):.{digits}f}%"


def number(value: float) -> str:
    """A number rounded for reading: integers with thousands separators, others to 3 significant digits."""
    value = float(value)
    if value.is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.3g}"


def sentence(text: str) -> str:
    """``text`` with its first letter capitalised."""
    return text[:1].upper() + text[1:]


def series(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def digits_phrase(labels: Sequence[int]) -> str:
    """'one of each digit 0-9' for 0..9 in order, else the digits listed."""
    labels = [int(label) for label in labels]
    if labels == list(range(10)):
        return "one of each digit 0-9"
    return "digits " + ", ".join(str(label) for label in labels)


def extreme_named(values: np.ndarray, *, lowest: bool) -> str:
    """'digit 8': which digit has the lowest (highest) value.

    Which digit that is can change from one training run to the next, so notebooks/nbval_sanitize.cfg
    masks it when stored and fresh outputs are compared; the range of the values is still compared.
    """
    order = np.argsort(values, kind="stable")
    return f"digit {int(order[0] if lowest else order[-1])}"


# ---------------------------------------------------------------- figures drawn without helpers.plots

def axes_kind(ax: Axes) -> str:
    """'image', 'bar chart', 'line chart', 'scatter plot' or 'empty panel': what an axes mainly shows."""
    if ax.images:
        return "image"
    if [patch for patch in ax.patches if isinstance(patch, Rectangle)]:
        return "bar chart"
    if ax.lines:
        return "line chart"
    if ax.collections:
        return "scatter plot"
    return "empty panel"


def axes_takeaway(ax: Axes, kind: str) -> str:
    """The data of one axes in a phrase: an image's size and how much of it is above zero, a chart's range."""
    if kind == "image":
        values = np.asarray(ax.images[0].get_array(), dtype=float)
        shape = " x ".join(str(side) for side in values.shape[:2])
        return f"{shape}, {int(np.sum(values > 0))} of {values.size} values above zero"
    if kind == "bar chart":
        heights = [patch.get_height() for patch in ax.patches if isinstance(patch, Rectangle)]
        return f"{len(heights)} bars from {number(min(heights))} to {number(max(heights))}"
    if kind == "line chart":
        ys = np.concatenate([np.asarray(line.get_ydata(), dtype=float) for line in ax.lines])
        lines = f"{len(ax.lines)} line{'s' * (len(ax.lines) > 1)}"
        return f"{lines}, values from {number(np.nanmin(ys))} to {number(np.nanmax(ys))}"
    return ""


def describe_one_axes(ax: Axes) -> str:
    """One panel: its kind, title, axis labels and data in a phrase."""
    kind = axes_kind(ax)
    parts = [kind]
    if ax.get_title():
        parts.append(f"titled '{' '.join(ax.get_title().split())}'")
    labels = [f"{name} axis: {label}" for name, label in (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if label]
    takeaway = axes_takeaway(ax, kind)
    return ", ".join(parts + labels + ([takeaway] if takeaway else []))


def describe_axes(figure: Figure) -> str:
    """A description read from a figure's axes, for figures drawn with plain matplotlib."""
    panels = [ax for ax in figure.axes if ax.has_data()]
    title = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    if not panels:
        return f"Empty figure{': ' + title if title else ''}."
    head = f"Figure{': ' + title if title else ''} with {len(panels)} panel{'s' if len(panels) > 1 else ''}"
    if len(panels) == 1:
        return f"{head}: {describe_one_axes(panels[0])}."
    return f"{head}: " + "; ".join(f"({index}) {describe_one_axes(ax)}" for index, ax in enumerate(panels, 1)) + "."
