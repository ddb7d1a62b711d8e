"""A temporary nbgrader course directory holding the series as one assignment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
ASSIGNMENT = "series"  # nbgrader's assignment id: all the notebooks of the series
CODE_STUB = "...  # your code here"  # what a learner sees where the full edition has a solution
CONFIG = """\
from nbgrader.converters import GenerateAssignment

c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "mnist-digit-identifier"
c.CourseDirectory.db_url = "sqlite:///" + {database!r}
c.ClearSolutions.code_stub = {{"python": {stub!r}}}
c.GenerateAssignment.preprocessors = [*GenerateAssignment.class_traits()["preprocessors"].default(), *{extra!r}]
c.Execute.timeout = {cell_timeout}
"""


def series_notebooks() -> list[Path]:
    """The notebooks of the series, in order."""
    return sorted(NOTEBOOK_DIR.glob("0*.ipynb"))


def points_of(notebook: Path) -> float:
    """The points a notebook's check cells are worth (nbgrader's ``points`` of its grade cells)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return float(sum(cell["metadata"].get("nbgrader", {}).get("points", 0) for cell in cells
                     if cell["metadata"].get("nbgrader", {}).get("grade")))


def nbgrader(course: Path, *arguments: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Run the ``nbgrader`` command in ``course`` (which holds its nbgrader_config.py)."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, capture_output=True,
                          text=True, timeout=timeout, env=_environment(), check=False)


def _environment() -> dict[str, str]:
    """The environment for nbgrader and the kernels it starts: the project importable, quiet TensorFlow."""
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    for variable in ("MPLBACKEND", "COLUMNS", "LINES"):
        environment.pop(variable, None)
    return environment


def make_course(course: Path, notebooks: list[Path], *, keep_exercise_solutions: bool = False,
                cell_timeout: int = 600) -> Path:
    """Create an nbgrader course in ``course`` from ``notebooks`` and generate its release.

    Returns the release folder (the student edition's notebooks). The gradebook, with the
    hidden tests, stays in ``course`` (``gradebook.db``).
    """
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for notebook in notebooks:
        shutil.copy2(notebook, source / notebook.name)
    extra = [] if keep_exercise_solutions else ["classroom.preprocessors.RemoveExerciseSolutions"]
    (course / "nbgrader_config.py").write_text(CONFIG.format(
        root=str(course), database=str(course / "gradebook.db"), stub=CODE_STUB, extra=extra,
        cell_timeout=cell_timeout), encoding="utf-8")
    result = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if result.returncode != 0 or "| ERROR]" in result.stderr:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stdout}\n{result.stderr}")
    return course / "release" / ASSIGNMENT
