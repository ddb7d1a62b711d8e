"""The student edition: the series with the learner's parts blanked, built by nbgrader."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from classroom.course import ROOT, make_course, series_notebooks

# What the learner needs besides the notebooks to run them on their own computer (pyproject.toml
# installs helpers and classroom, whose cut recipe Validate uses).
SUPPORT = ["helpers", "classroom", "data", "pyproject.toml", "requirements.txt"]
# nbgrader's Validate (button or command) gives each cell 30 s by default: too little for a slow
# laptop importing TensorFlow. It runs the notebook with training cut to a few steps, as the grader
# does (classroom/cut.py), so it takes a minute, not the notebook's full time; the learner's own
# runs are not cut. Read from the folder JupyterLab or the command starts in.
VALIDATE_CONFIG = """c = get_config()
c.Execute.timeout = 600  # seconds per cell for nbgrader validate
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:",
                             "--IPKernelApp.exec_lines=[\\"__import__('classroom.cut').cut.cut_training()\\"]"]
"""


def build(output: Path, *, keep_exercise_solutions: bool = False, make_zip: bool = False,
          notebooks: list[Path] | None = None) -> Path:
    """Write the student edition to ``output``: ``notebooks/`` (nbgrader's release) and what runs them.

    The coding exercises' solutions become ``...  # your code here``, hidden tests and stored
    outputs go, check cells are locked; the end-of-notebook exercises lose their ``<details>``
    solutions unless ``keep_exercise_solutions`` (for self-study). Returns ``output``, or the
    zip file beside it if ``make_zip``.
    """
    if output.exists() and any(output.iterdir()):
        raise FileExistsError(f"{output} is not empty: choose a new folder for the student edition")
    with tempfile.TemporaryDirectory(prefix="mnist-edition-") as temporary:
        release = make_course(Path(temporary) / "course", notebooks or series_notebooks(),
                              keep_exercise_solutions=keep_exercise_solutions)
        shutil.copytree(release, output / "notebooks", dirs_exist_ok=True)
    for name in SUPPORT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, output / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, output / name)
    for folder in (output, output / "notebooks"):
        (folder / "nbgrader_config.py").write_text(VALIDATE_CONFIG, encoding="utf-8")
    if make_zip:
        return Path(shutil.make_archive(str(output), "zip", output.parent, output.name))
    return output


def main(output: Path, keep_exercise_solutions: bool, make_zip: bool) -> None:
    """The ``student-edition`` command: build it and say where and how long it took."""
    start = time.monotonic()
    written = build(output, keep_exercise_solutions=keep_exercise_solutions, make_zip=make_zip)
    print(f"student edition written to {written} in {time.monotonic() - start:.1f} s")
