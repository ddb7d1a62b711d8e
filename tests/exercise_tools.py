"""Shared by the tests of the coding exercises (tests/test_exercises_NN.py, one module per notebook).

An exercise is two nbgrader cells: a solution cell whose worked answer sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION`` (the student edition has ``CODE_STUB`` there),
and the next code cell, its graded check. ``assert_check_catches`` puts a learner's answer in
place of the worked one, runs both cells in a namespace like the notebook's, and requires the
check to pass on the worked answer and to fail with one "✗ Not yet" sentence on a blank, on
each typical wrong answer and on a value copied from an output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from classroom.course import CODE_STUB, series_notebooks
from helpers.selfcheck import NotYet

MARKERS = re.compile(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)")
WORKED = re.compile(r"[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION[ \t]*", re.S)
# A cell after an exercise that runs the learner's function (04 trains with them): tagged, and said in the prose.
USES_YOUR_FUNCTIONS_TAG = "uses-your-functions"


def notebook(prefix: str) -> Path:
    """The series notebook whose name starts with ``prefix`` ("02")."""
    return next(path for path in series_notebooks() if path.name.startswith(prefix))


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def nbgrader_meta(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def exercises(path: Path) -> dict[str, tuple[dict, dict]]:
    """grade_id -> (solution cell, check cell) of every coding exercise of a notebook, in order."""
    code = [cell for cell in cells(path) if cell["cell_type"] == "code"]
    return {nbgrader_meta(cell)["grade_id"]: (cell, code[index + 1])
            for index, cell in enumerate(code) if nbgrader_meta(cell).get("solution")}


def worked_answer(solution: dict) -> str:
    """The full edition's answer: the lines between the solution markers, dedented."""
    lines = WORKED.search(source(solution)).group(1).splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines)


def with_answer(solution: dict, answer: str) -> str:
    """The solution cell's code with ``answer`` (indented like the worked answer) in its place."""
    match = WORKED.search(source(solution))
    indent = re.match(r"[ \t]*", match.group(0)).group(0)
    body = "\n".join(indent + line if line.strip() else line for line in answer.splitlines())
    text = source(solution)
    return text[:match.start()] + body + text[match.end():]


def run(namespace: dict, solution: dict, check: dict, answer: str) -> None:
    """Run the solution cell with ``answer`` in it, then the check cell (hidden tests included).

    An error in the learner's own cell is theirs to see; the check must still say what is wrong.
    """
    try:
        exec(with_answer(solution, answer), namespace)
    except Exception:
        pass
    exec(MARKERS.sub("", source(check)), namespace)


def assert_check_catches(path: Path, grade_id: str, namespace: dict, wrong: list[str], copied: str,
                         capsys: pytest.CaptureFixture) -> None:
    """The check passes on the worked answer and fails in one sentence on blank, wrong and copied answers."""
    solution, check = exercises(path)[grade_id]
    run(dict(namespace), solution, check, worked_answer(solution))
    assert capsys.readouterr().out.rstrip().splitlines()[-1].startswith("✓ Correct")
    assert wrong, "name at least one typical wrong answer"
    for answer in [CODE_STUB, *wrong, copied]:
        with pytest.raises(NotYet) as failure:
            run(dict(namespace), solution, check, answer)
        shown = failure.value._render_traceback_()
        assert len(shown) == 1 and shown[0].startswith("✗ Not yet."), shown


def exercise_tests(path: Path, wrong: dict[str, list[str]], copied: dict[str, str]) -> tuple:
    """The two tests of a tests/test_exercises_NN.py module, which defines a ``namespace`` fixture:

        test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers = (
            exercise_tests(NOTEBOOK, WRONG, COPIED))
    """
    def test_every_exercise_is_tested():
        assert len(exercises(path)) >= 3 and set(exercises(path)) == set(wrong) == set(copied)

    @pytest.mark.parametrize("grade_id", sorted(wrong))
    def test_checks_fail_on_blank_wrong_and_copied_answers(namespace, grade_id, capsys):
        assert_check_catches(path, grade_id, namespace, wrong[grade_id], copied[grade_id], capsys)

    return test_every_exercise_is_tested, test_checks_fail_on_blank_wrong_and_copied_answers
