"""The learner edition (learner/): up to date with notebooks/, every exercise blank, every solution folded.

``python -m classroom learner-edition`` writes it (classroom/learner.py); README's Colab badges,
the Binder link and the website's "Open in Colab" open it.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest
from exercise_tools import USES_YOUR_FUNCTIONS_TAG, exercises, nbgrader_meta, source, worked_answer

from classroom import learner
from classroom.course import CODE_STUB, series_notebooks
from helpers.setup import REPOSITORY

ROOT = Path(__file__).resolve().parent.parent
LEARNER = ROOT / "learner"
FULL = series_notebooks()
FOLDED = re.compile(r"\A<details><summary>Show a solution</summary>\n\n(?:.*\n)?```python\n(.*?)\n```\n\n</details>\Z",
                    re.S)


def learner_cells(name: str) -> list[dict]:
    return json.loads((LEARNER / name).read_text(encoding="utf-8"))["cells"]


def test_the_learner_edition_is_up_to_date_with_the_full_edition():
    """Regenerated in a temporary folder, learner/ must come out byte for byte the same."""
    assert sorted(path.name for path in LEARNER.glob("*.ipynb")) == [path.name for path in FULL]
    stale = learner.differences(LEARNER)
    assert stale == [], f"learner/ is out of date ({', '.join(stale)}): run `python -m classroom learner-edition`"


def test_the_up_to_date_test_notices_a_change(tmp_path):
    learner.build(tmp_path)
    assert learner.differences(tmp_path) == []
    first = tmp_path / FULL[0].name
    first.write_text(first.read_text(encoding="utf-8").replace("Your turn 1", "Your turn one"), encoding="utf-8")
    assert learner.differences(tmp_path) == [FULL[0].name]
    (tmp_path / "10_extra.ipynb").write_text("{}", encoding="utf-8")
    assert learner.differences(tmp_path) == [FULL[0].name, "10_extra.ipynb"]


@pytest.mark.parametrize("full", FULL, ids=[path.stem for path in FULL])
def test_every_exercise_is_blank_and_its_solution_is_folded_after_its_check(full):
    cells = learner_cells(full.name)
    by_id = {nbgrader_meta(cell).get("grade_id"): index for index, cell in enumerate(cells)}
    worked = exercises(full)
    assert len(worked) >= 3
    for grade_id, (solution, check) in worked.items():
        index, check_index = by_id[grade_id], by_id[nbgrader_meta(check)["grade_id"]]
        blank, blank_check, folded = cells[index], cells[check_index], cells[check_index + 1]
        between = cells[index + 1:check_index]
        assert all(cell["cell_type"] == "markdown" for cell in between), f"{grade_id}: its check follows it"
        text = source(blank)
        # Blank: the stub in place of the worked answer; def line, docstring and the lines around it kept.
        assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
        assert CODE_STUB in text, grade_id
        first_line = source(solution).split("### BEGIN SOLUTION")[0]
        last_lines = source(solution).split("### END SOLUTION")[1].split("\n", 1)[1]
        assert text.startswith(first_line) and text.endswith(last_lines), grade_id
        answer_lines = [line.strip() for line in worked_answer(solution).splitlines() if line.strip()]
        assert not any(line in text for line in answer_lines), f"{grade_id}: part of the answer is left in"
        assert blank["outputs"] == [] and blank["execution_count"] is None
        # Its check follows, without the hidden tests.
        assert "HIDDEN TESTS" not in source(blank_check)
        assert source(blank_check) == source(check).split("### BEGIN HIDDEN TESTS")[0].rstrip("\n")
        # The worked answer, reachable in a collapsed cell right after the check.
        assert folded["cell_type"] == "markdown", grade_id
        match = FOLDED.match(source(folded))
        assert match, f"{grade_id}: no collapsed 'Show a solution' cell after the check"
        shown = match.group(1)
        assert all(line in shown for line in answer_lines), grade_id
        assert first_line.strip() in shown and "###" not in shown


@pytest.mark.parametrize("full", FULL, ids=[path.stem for path in FULL])
def test_learner_notebooks_have_no_outputs_and_open_themselves_in_colab(full):
    cells = learner_cells(full.name)
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)
    text = json.dumps(cells, ensure_ascii=False)
    assert f"colab.research.google.com/github/{REPOSITORY}/blob/main/learner/{full.name}" in source(cells[0])
    assert "blob/main/notebooks/" not in text, "every Colab link of the learner edition opens the learner edition"
    markdown = "\n".join(source(cell) for cell in cells if cell["cell_type"] == "markdown")
    assert "`###`" not in markdown and "full edition every exercise is already answered" not in markdown
    assert len({cell["id"] for cell in cells}) == len(cells), "cell ids are unique"
    # The set-up cell is the full edition's: it finds helpers (installed, or Colab's clone) and data/ through it.
    assert source(code[0]) == source([cell for cell in json.loads(full.read_text())["cells"]
                                      if cell["cell_type"] == "code"][0])


def test_a_solution_cell_folds_in_every_renderer():
    """Blank lines around the fenced block inside <details>: GitHub, Colab and JupyterLab then render it as code."""
    solution, _ = next(iter(exercises(FULL[0]).values()))
    text = source(learner.solution_cell(solution))
    assert text.startswith("<details><summary>Show a solution</summary>\n\n") and text.endswith("\n\n</details>")
    assert "\n\n```python\n" in text and "\n```\n\n</details>" in text


@pytest.mark.parametrize("full", FULL, ids=[path.stem for path in FULL])
def test_no_cell_after_an_exercise_calls_the_learners_function(full):
    """Run All on a blank learner notebook reaches the end with every later cell right: none uses an answer.

    A cell that needs a learner's answer must say so: it carries the tag ``uses-your-functions``, runs
    that code inside ``with needs_your_functions():`` (one "✗ Not yet" line instead of an error while a
    function is blank), and the prose before the first such cell says so plainly (04, whose later cells
    train with the learner's own backpropagation). Otherwise only the exercise's own cell, its check and
    a later exercise's worked answer (blank in the learner edition) call it.
    """
    cells = json.loads(full.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    tagged = [USES_YOUR_FUNCTIONS_TAG in cell["metadata"].get("tags", []) for cell in code]
    for grade_id, (solution, check) in exercises(full).items():
        name = re.search(r"^def (\w+)\(", source(solution), re.M).group(1)
        call = re.compile(rf"(?<![\w.]){name}\s*\(")
        ids = [nbgrader_meta(cell).get("grade_id") for cell in code]
        start, checked = ids.index(grade_id), ids.index(nbgrader_meta(check)["grade_id"])
        users = [source(cell)[:60] for index, cell in enumerate(code)
                 if index > start and index != checked and call.search(source(cell)) and not tagged[index]
                 and not nbgrader_meta(cell).get("solution")]
        assert users == [], f"{grade_id}: these cells call the learner's {name}: {users}"
    if any(tagged):
        first = cells.index(code[tagged.index(True)])
        before = " ".join(" ".join(source(cell).split()) for cell in cells[:first] if cell["cell_type"] == "markdown")
        assert "`with needs_your_functions():`" in before, "say so plainly, before the first cell that runs them"
        names = learners_functions_and_their_callers(full, code)
        unguarded = [source(cell)[:60] for cell, needs in zip(code, tagged) if needs and unguarded_calls(cell, names)]
        assert unguarded == [], f"cells that run the learner's functions outside needs_your_functions: {unguarded}"


def learners_functions_and_their_callers(full: Path, code: list[dict]) -> set[str]:
    """The functions the learner writes, and the notebook's functions that call them (04's ``train``)."""
    names = {re.search(r"^def (\w+)\(", source(solution), re.M).group(1) for solution, _ in exercises(full).values()}
    definitions = [node for cell in code for node in ast.parse(source(cell)).body if isinstance(node, ast.FunctionDef)]
    while True:
        callers = {definition.name for definition in definitions if any(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) in names for node in ast.walk(definition))}
        if callers <= names:
            return names
        names |= callers


def unguarded_calls(cell: dict, names: set[str]) -> list[str]:
    """The learner's functions this cell calls when it runs, outside ``with needs_your_functions():``."""
    calls = []
    for statement in ast.parse(source(cell)).body:
        if isinstance(statement, ast.FunctionDef):
            continue  # a definition runs nothing yet
        if isinstance(statement, ast.With) and any(
                isinstance(item.context_expr, ast.Call) and getattr(item.context_expr.func, "id", "") ==
                "needs_your_functions" for item in statement.items):
            continue
        calls += [node.func.id for node in ast.walk(statement)
                  if isinstance(node, ast.Call) and getattr(node.func, "id", None) in names]
    return calls


@pytest.mark.slow
def test_run_all_on_a_blank_learner_notebook_whose_cells_use_its_functions_reaches_the_end(tmp_path):
    """04's later cells train with the learner's functions: blank, each says "✗ Not yet" and the run goes on."""
    from nbclient import NotebookClient

    with_users = [full for full in FULL if any(USES_YOUR_FUNCTIONS_TAG in cell["metadata"].get("tags", [])
                                               for cell in json.loads(full.read_text(encoding="utf-8"))["cells"])]
    assert with_users, "04 runs the learner's own functions in its later cells"
    for full in with_users:
        document = nbformat.read(LEARNER / full.name, as_version=4)
        NotebookClient(document, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(LEARNER)}}).execute()  # raises at the first error
        assert all(cell.execution_count for cell in document.cells if cell.cell_type == "code"), full.name
        guarded = [cell for cell in document.cells
                   if cell.cell_type == "code" and "with needs_your_functions()" in cell.source]
        said = ["".join(output.get("text", "") for output in cell.outputs) for cell in guarded]
        waiting = [text for text in said if "✗ Not yet. This cell runs your functions" in text
                   or "which an earlier cell has not made yet" in text]  # a name a failed cell did not make
        assert len(waiting) >= len(guarded) - 1, said  # one may run on blank answers: 04's tape comparison


@pytest.mark.parametrize("full", FULL, ids=[path.stem for path in FULL])
def test_numpy_is_imported_where_the_learner_sees_it_before_np_is_used(full):
    """Hidden tests import numpy for the grader; the learner and student editions have no hidden tests."""
    visible = [source(cell) for cell in learner_cells(full.name) if cell["cell_type"] == "code"]
    first_use = next((index for index, text in enumerate(visible) if re.search(r"(?<![\w.])np\.", text)), None)
    first_import = next((index for index, text in enumerate(visible)
                         if re.search(r"^import numpy as np$", text, re.M)), None)
    assert first_use is None or (first_import is not None and first_import <= first_use), (
        f"{full.name}: np is used in code cell {first_use} before a visible `import numpy as np`")
