"""The learner edition: ``learner/``, the series with every exercise blank and its worked answer folded away.

``python -m classroom learner-edition`` writes it from ``notebooks/`` (the full edition, which
stays the teachers' and nbval's). It is committed, so that README's Colab badges, the Binder link
and the website's "Open in Colab" open it; ``tests/test_learner_edition.py`` fails when it is out
of date. In each notebook:

- every exercise cell keeps its ``def`` line, docstring and the lines around the answer, and
  ``...  # your code here`` stands where the full edition's answer sits between the
  ``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines;
- its check cell follows, without the hidden tests nbgrader's grading adds;
- after the check, a markdown cell holds the worked answer, collapsed: ``<details>`` with a
  "Show a solution" summary and the full edition's cell as a fenced Python block (HTML that
  JupyterLab, Colab, GitHub and the website's renderer all fold);
- the Colab badge opens the learner edition, and the sentences that explain the ``###`` lines
  say instead where to write and where the worked answer is;
- no outputs: the learner runs the cells.

A notebook needs nothing else to run from ``learner/``: its set-up cell imports ``helpers`` (the
project's package, installed with ``pip install -e .``, or the clone on Colab's ``sys.path``),
which finds ``data/`` and ``models/`` from its own folder, as it does for ``notebooks/``.
This is not nbgrader's student edition (``python -m classroom student-edition``), which has no
solutions at all and is for graded homework.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

from classroom.course import CODE_STUB, NOTEBOOK_DIR, ROOT, series_notebooks
from helpers.setup import REPOSITORY

LEARNER_DIR = ROOT / "learner"
SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*$", re.S | re.M)
MARKER_LINE = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.M)
HIDDEN_TESTS = re.compile(r"\n?[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.S)
SUMMARY = "Show a solution"
# The full edition's Colab badge opens itself; the learner edition's opens the learner edition.
COLAB = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/"
EDITION_NOTE = ("*This is the learner edition: each \"Your turn\" cell is blank for your answer, its check says what "
                "is wrong, and a worked answer is folded under \"{summary}\" after the check.*")
# Notebook 01 explains the full edition's ### lines where the exercises start; the later
# notebooks remind the reader in a bracket. The learner edition says where to write instead.
MARKERS_EXPLAINED = re.compile(r"In this full edition every exercise is already answered:.*?in their place\.", re.S)
MARKERS_EXPLAINED_LEARNER = (
    "Write your answer in place of\n"
    "`...  # your code here` (keep the `def` line and the docstring), run the cell, then run the check\n"
    "below it: it says in one sentence what is still wrong. If you are stuck, a worked answer is folded\n"
    f"away under \"{SUMMARY}\" after the check.")
MARKERS_REMINDED = re.compile(r"\(As in [^()]*?`###`[^()]*?\)", re.S)
MARKERS_REMINDED_LEARNER = (f"(As in every exercise, write your answer in place of `...`; a worked answer is\n"
                            f"folded under \"{SUMMARY}\" after the check.)")


def blank(source: str) -> str:
    """An exercise cell with ``...  # your code here`` in place of the worked answer."""
    blanked, count = SOLUTION.subn(lambda match: match.group(1) + CODE_STUB, source)
    if count == 0:
        raise ValueError(f"an exercise cell without ### BEGIN/END SOLUTION lines: {source[:80]!r}")
    return blanked


def worked(source: str) -> str:
    """The full edition's exercise cell without the ``### BEGIN/END SOLUTION`` lines."""
    return MARKER_LINE.sub("", source).strip("\n")


def solution_cell(exercise: dict) -> dict:
    """The collapsed "Show a solution" markdown cell that follows an exercise's check."""
    grade_id = exercise["metadata"]["nbgrader"]["grade_id"]
    text = (f"<details><summary>{SUMMARY}</summary>\n\n"
            "One worked answer, from the full edition (`notebooks/`). Paste it in place of your cell if you want to\n"
            "go on with it, then run that cell and the check again.\n\n"
            f"```python\n{worked(source_of(exercise))}\n```\n\n"
            "</details>")
    return {"cell_type": "markdown", "id": f"{grade_id}-solution", "metadata": {}, "source": lines(text)}


def source_of(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def lines(text: str) -> list[str]:
    """A cell's source as nbformat stores it: lines keeping their newline, the last one without."""
    return text.splitlines(keepends=True)


def learner_markdown(text: str, index: int, name: str) -> str:
    """A markdown cell of the learner edition: its badge, and what it says about the exercises."""
    badge = f"{COLAB}notebooks/{name}"
    if index == 0:
        if badge not in text:
            raise ValueError(f"{name}'s first cell has no Colab badge opening {badge}")
        text = text.replace(badge, f"{COLAB}learner/{name}")
        badge_line = next(line for line in text.splitlines() if f"{COLAB}learner/{name}" in line)
        text = text.replace(badge_line, badge_line + "\n\n" + EDITION_NOTE.format(summary=SUMMARY), 1)
    text = MARKERS_EXPLAINED.sub(MARKERS_EXPLAINED_LEARNER, text)
    return MARKERS_REMINDED.sub(MARKERS_REMINDED_LEARNER, text)


def learner_notebook(notebook: dict, name: str) -> dict:
    """The learner edition of one notebook of the full edition (a notebook as JSON)."""
    cells = []
    waiting: dict | None = None  # an exercise whose check has not come yet
    for index, cell in enumerate(notebook["cells"]):
        cell = json.loads(json.dumps(cell))  # a copy
        grading = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] == "markdown":
            cell["source"] = lines(learner_markdown(source_of(cell), index, name))
        elif cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
            if grading.get("solution"):
                waiting = notebook["cells"][index]
                cell["source"] = lines(blank(source_of(cell)))
            elif grading.get("grade"):
                cell["source"] = lines(HIDDEN_TESTS.sub("\n", source_of(cell)).rstrip("\n"))
        cells.append(cell)
        if waiting is not None and grading.get("grade"):
            cells.append(solution_cell(waiting))
            waiting = None
    if waiting is not None:
        raise ValueError(f"{name}: the exercise {waiting['metadata']['nbgrader']['grade_id']} has no check after it")
    return {**notebook, "cells": cells}


def write_notebook(notebook: dict, path: Path) -> None:
    """Write a notebook as the project stores them: JSON indented by 1, UTF-8, a newline at the end."""
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def build(output: Path = LEARNER_DIR, notebooks: list[Path] | None = None) -> list[Path]:
    """Write the learner edition of ``notebooks`` (the series) to ``output``; return the files written.

    Notebooks already in ``output`` that the series no longer has are removed.
    """
    sources = notebooks or series_notebooks()
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        notebook = json.loads(source.read_text(encoding="utf-8"))
        target = output / source.name
        write_notebook(learner_notebook(notebook, source.name), target)
        written.append(target)
    if notebooks is None:
        for stale in set(output.glob("*.ipynb")) - set(written):
            stale.unlink()
    return written


def differences(output: Path = LEARNER_DIR) -> list[str]:
    """The learner notebooks in ``output`` that differ from what ``build`` writes now (empty: up to date)."""
    with tempfile.TemporaryDirectory(prefix="mnist-learner-") as temporary:
        fresh = Path(temporary)
        build(fresh)
        names = sorted({path.name for path in fresh.glob("*.ipynb")} | {path.name for path in output.glob("*.ipynb")})
        return [name for name in names if not (output / name).exists() or not (fresh / name).exists()
                or (output / name).read_bytes() != (fresh / name).read_bytes()]


def main(output: Path, check: bool) -> None:
    """The ``learner-edition`` command: write ``learner/`` (or, with ``--check``, say whether it is up to date)."""
    if check:
        stale = differences(output)
        if stale:
            raise SystemExit(f"{output} is out of date with {NOTEBOOK_DIR}: {', '.join(stale)}. "
                             "Run `python -m classroom learner-edition`.")
        print(f"{output} is up to date with {NOTEBOOK_DIR}")
        return
    start = time.monotonic()
    written = build(output)
    print(f"learner edition: {len(written)} notebooks written to {output} in {time.monotonic() - start:.1f} s")
