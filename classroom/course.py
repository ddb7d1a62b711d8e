"""A temporary nbgrader course directory holding the series as one assignment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
ASSIGNMENT = "series"  # nbgrader's assignment id: all the notebooks of the series
CODE_STUB = "...  # your code here"  # what a learner sees where the full edition has a solution
# The notebooks that load the series' trained network (notebook 03 trains and saves it in the open);
# the grader brings it to them, and the tests train it before they run.
LOADS_TRAINED_MODEL = ("05", "06", "07", "09")
# Files a notebook saves in the models folder for a check to grade, handed in beside the notebook
# (08's network of the learner's own design: training is cut while grading, so it cannot be retrained).
HANDED_IN = {"08": ("my_network.keras", "my_network.json")}
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
# Added for grading: nbgrader runs each notebook in the grader's kernel (classroom/kernel.py, found
# through JUPYTER_PATH), which talks to it over Unix sockets (the sandbox has no network).
# The connection file and the sockets go to the runtime folder the grader makes for each notebook.
GRADING_CONFIG = """\
import os
c.Execute.kernel_name = {kernel!r}
c.Execute.startup_timeout = 300  # seconds for the kernel to import TensorFlow on a busy machine
c.KernelManager.transport = "ipc"
c.KernelManager.ip = os.path.join(os.environ.get("JUPYTER_RUNTIME_DIR", "."), "kernel")
# Feedback pages show each check's sentence and points, not the hidden tests.
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades
c.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor, ClearHiddenTests]
"""


def series_notebooks() -> list[Path]:
    """The notebooks of the series, in order."""
    return sorted(NOTEBOOK_DIR.glob("0*.ipynb"))


def exercise_dependencies(notebook: Path) -> dict[str, set[str]]:
    """grade_id of each exercise -> the exercises whose functions its worked answer calls.

    04's ``training_step`` chains the four functions written before it, so its check passes only
    once theirs do; every other exercise stands alone (an empty set).
    """
    solutions = {cell["metadata"]["nbgrader"]["grade_id"]: "".join(cell["source"])
                 for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                 if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution")}
    names = {grade_id: match.group(1) for grade_id, code in solutions.items()
             if (match := re.search(r"^def (\w+)\(", code, re.M))}
    answers = {grade_id: code.split("### BEGIN SOLUTION", 1)[-1].split("### END SOLUTION", 1)[0]
               for grade_id, code in solutions.items()}
    return {grade_id: {other for other, name in names.items()
                       if other != grade_id and re.search(rf"(?<![\w.]){name}\s*\(", answer)}
            for grade_id, answer in answers.items()}


def points_of(notebook: Path) -> float:
    """The points a notebook's check cells are worth (nbgrader's ``points`` of its grade cells)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return float(sum(cell["metadata"].get("nbgrader", {}).get("points", 0) for cell in cells
                     if cell["metadata"].get("nbgrader", {}).get("grade")))


def nbgrader(course: Path, *arguments: str, timeout: float | None = None,
             environment: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the ``nbgrader`` command in ``course`` (which holds its nbgrader_config.py)."""
    return subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, capture_output=True,
                          text=True, timeout=timeout, env=environment or _environment(), check=False)


def code_cells(notebook: Path) -> list[tuple[str, str | None]]:
    """(source, nbgrader grade_id or None) of each code cell of ``notebook``."""
    return [("".join(cell["source"]), cell["metadata"].get("nbgrader", {}).get("grade_id"))
            for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"]


def hand_in_setup(full: Path) -> list[str]:
    """The cells of 08 that 08's own network needs: the data's splits, ``batches`` and ``val_batches``."""
    return [text for text, _ in code_cells(full) if "x_fit, y_fit = " in text or "def batches(" in text]


def worked_hand_in(folder: Path) -> list[Path]:
    """08's hand-in (:data:`HANDED_IN`) as the full edition's worked answer makes it, in ``folder``: for the
    tests and the grading benchmark, whose made-up students hand in what a right answer would.
    Trains once, about half a minute on 2 cores."""
    full = next(path for path in series_notebooks() if path.name.startswith("08"))
    code = ["from helpers.setup import setup_notebook", "setup_notebook()", "import keras", "from keras import layers",
            *hand_in_setup(full), *[text for text, grade_id in code_cells(full) if grade_id == "08-my-network"]]
    environment = dict(_environment(), MNIST_MODELS_DIR=str(folder))
    result = subprocess.run([sys.executable, "-c", "\n".join(code)], env=environment, capture_output=True,
                            text=True, timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"could not train 08's worked answer:\n{result.stderr[-2000:]}")
    return [folder / name for name in HANDED_IN["08"]]


def _environment() -> dict[str, str]:
    """The environment for nbgrader and the kernels it starts: the project importable, quiet TensorFlow.

    The folder of this Python comes first on PATH, so the programs nbgrader starts (``alembic``)
    are this environment's even when it was not activated (a scheduled job, an IDE).
    """
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    environment["PATH"] = os.pathsep.join(filter(None, [str(Path(sys.executable).parent), environment.get("PATH")]))
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    for variable in ("MPLBACKEND", "COLUMNS", "LINES"):
        environment.pop(variable, None)
    return environment


def write_config(course: Path, *, keep_exercise_solutions: bool = False, cell_timeout: int = 600,
                 kernel: str | None = None) -> None:
    """Write the course's nbgrader_config.py (for a copy of a course too: it names its own folder).

    ``kernel`` names the kernelspec nbgrader runs notebooks in (the grader's); None: the notebook's own.
    """
    extra = [] if keep_exercise_solutions else ["classroom.preprocessors.RemoveExerciseSolutions"]
    text = CONFIG.format(root=str(course), database=str(course / "gradebook.db"), stub=CODE_STUB, extra=extra,
                         cell_timeout=cell_timeout)
    if kernel:
        text += GRADING_CONFIG.format(kernel=kernel)
    (course / "nbgrader_config.py").write_text(text, encoding="utf-8")


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
    write_config(course, keep_exercise_solutions=keep_exercise_solutions, cell_timeout=cell_timeout)
    result = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    if result.returncode != 0 or "| ERROR]" in result.stderr:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{result.stdout}\n{result.stderr}")
    return course / "release" / ASSIGNMENT
