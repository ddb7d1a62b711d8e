"""An nbgrader preprocessor of the series: the end-of-notebook exercises lose their solutions."""

from __future__ import annotations

import re

from nbgrader.preprocessors import NbGraderPreprocessor

DETAILS = re.compile(r"[ \t]*<details>.*?</details>[ \t]*\n?", re.S)
REMOVED = "   *(The solution is in the full edition.)*\n"


class RemoveExerciseSolutions(NbGraderPreprocessor):
    """Remove the ``<details>`` solution blocks from markdown cells (the exercises' worked answers).

    Added to ``GenerateAssignment.preprocessors`` unless the teacher keeps them for self-study.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "<details>" in cell.source:
            cell.source = DETAILS.sub(REMOVED, cell.source)
        return cell, resources
