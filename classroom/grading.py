"""Grade a folder of submitted notebooks with nbgrader's autograde, offline, into a CSV table."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from classroom.course import ASSIGNMENT, _environment, make_course, points_of, series_notebooks

TIME_LIMIT = 1200  # seconds per notebook: 01 needs about 10, 07 (the longest) about 5 minutes on 2 cores
# What a submission's own code has no business naming: the grader's files (gradebook, source and
# release notebooks, nbgrader itself). Such a submission is not run; the teacher reads it.
GRADING_FILES = re.compile(r"gradebook|nbgrader|autograde|\.ipynb|\bsource\b|\brelease\b|sqlite", re.I)
COLUMNS = ["student", "notebook", "points", "maximum", "status", "seconds"]


@dataclass
class Result:
    """One row of the grade table."""

    student: str
    notebook: str
    points: float
    maximum: float
    status: str
    seconds: float = 0.0


def reads_grading_files(notebook: Path) -> str | None:
    """The first line of the learner's own code (any cell but the locked check cells) that names the grader's files."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code" or cell["metadata"].get("nbgrader", {}).get("grade"):
            continue
        for line in "".join(cell["source"]).splitlines():
            if GRADING_FILES.search(line) and not line.lstrip().startswith("#"):
                return line.strip()
    return None


def _autograde(course: Path, student: str, notebook: str, time_limit: float) -> tuple[str, str]:
    """Run nbgrader autograde on one submitted notebook within ``time_limit`` s: (outcome, log)."""
    log_path = course / "logs" / f"{student}-{notebook}.log"
    log_path.parent.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, f"--student={student}",
               f"--notebook={notebook}", "--force"]
    with log_path.open("w") as log:  # a file, not a pipe: a stray kernel cannot keep it open
        process = subprocess.Popen(command, cwd=course, stdout=log, stderr=subprocess.STDOUT,
                                   env=_environment(), start_new_session=True)
        try:
            process.wait(timeout=time_limit)
            outcome = "ok" if process.returncode == 0 else "failed"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # nbgrader; its kernel exits when its parent is gone
            process.wait()
            outcome = "timeout"
    return outcome, log_path.read_text(errors="replace")


def _score(course: Path, student: str, notebook: str) -> float:
    """The points nbgrader's gradebook gives one autograded notebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return float(gradebook.find_submission_notebook(notebook, ASSIGNMENT, student).score)


def grade_one(course: Path, student: str, submitted: Path, maximum: float, time_limit: float) -> Result:
    """Grade one submitted notebook; any failure of the submission becomes a status, never an exception."""
    name = submitted.stem
    if maximum == 0:
        return Result(student, name, 0, 0, "no exercises to grade")
    line = reads_grading_files(submitted)
    if line:
        return Result(student, name, 0, maximum, f"not run: its code refers to the grader's files ({line[:60]})")
    target = course / "submitted" / student / ASSIGNMENT
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(submitted, target / submitted.name)
    outcome, log = _autograde(course, student, name, time_limit)
    if outcome == "timeout":
        return Result(student, name, 0, maximum, f"timed out: did not finish within {time_limit:g} s")
    if outcome == "failed":
        died = re.search(r"DeadKernelError|Kernel died|kernel.*died", log, re.I)
        why = "crashed: the kernel died while running it" if died else "not graded: nbgrader could not run it"
        return Result(student, name, 0, maximum, why)
    return Result(student, name, _score(course, student, name), maximum, "graded")


def grade(submissions: Path, *, time_limit: float = TIME_LIMIT, keep_course: Path | None = None) -> list[Result]:
    """Grade ``submissions/<student>/<notebook>.ipynb`` for every student folder; one Result per notebook.

    Runs in a fresh temporary nbgrader course (deleted afterwards unless ``keep_course`` names a
    folder to copy it to, for nbgrader's feedback), so no JupyterHub and no exchange are needed.
    """
    if not submissions.is_dir():
        raise FileNotFoundError(f"no folder of submissions at {submissions}")
    sources = {notebook.name: notebook for notebook in series_notebooks()}
    submitted = {folder.name: sorted(folder.glob("*.ipynb"))
                 for folder in sorted(path for path in submissions.iterdir() if path.is_dir())}
    for notebook in {path.name for paths in submitted.values() for path in paths} - sources.keys():
        print(f"skipped {notebook}: not a notebook of the series", file=sys.stderr)
    graded = sorted({sources[path.name] for paths in submitted.values() for path in paths
                     if path.name in sources and points_of(sources[path.name])})
    results = []
    with tempfile.TemporaryDirectory(prefix="mnist-grading-") as temporary:
        course = Path(temporary) / "course"
        if graded:  # the gradebook holds only what is graded: generating is the slow part
            make_course(course, graded, cell_timeout=int(time_limit))
        for student, paths in submitted.items():
            for path in paths:
                if path.name in sources:
                    start = time.monotonic()
                    result = grade_one(course, student, path, points_of(sources[path.name]), time_limit)
                    result.seconds = time.monotonic() - start
                    results.append(result)
        if keep_course:
            shutil.copytree(course, keep_course, dirs_exist_ok=True)
    return results


def write_csv(results: list[Result], path: Path) -> None:
    """Write the grade table: student, notebook, points, maximum, status and the seconds grading took."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for result in results:
            writer.writerow([result.student, result.notebook, f"{result.points:g}", f"{result.maximum:g}",
                             result.status, f"{result.seconds:.0f}"])


def main(submissions: Path, output: Path, time_limit: float) -> None:
    """The ``grade`` command: grade, write the CSV, say how long it took."""
    start = time.monotonic()
    results = grade(submissions, time_limit=time_limit)
    write_csv(results, output)
    print(f"graded {len(results)} notebooks in {time.monotonic() - start:.0f} s: {output}")
