"""A long-lived grading process: ``python -m classroom.worker COURSE``, one per worker of the grader.

Starting ``nbgrader autograde`` for every notebook costs a new Python that imports nbgrader,
nbconvert, SQLAlchemy and their kin (seconds of CPU each time). The grader instead starts one
worker per core; each runs nbgrader's Autograde in its own process for one submission after
another, in its own nbgrader course (its own gradebook), until its input ends.

Every submission still runs in a kernel of its own, ended after it (:mod:`classroom.kernel`).
The kernels of one student's notebooks are forked from that student's zygote
(:mod:`classroom.zygote`: TensorFlow imported once, in the student's sandbox); the next student
gets a new zygote in a new sandbox, so a student's variables, files and imports are gone before
the next student's notebook starts. The worker holds nbgrader and the current zygote, never a kernel.

Protocol (one JSON object a line): the grader writes a task
``{"student", "notebook", "scratch", "runtime"}`` to the worker's standard input (the tasks of one
zygote share ``scratch`` and the folder above ``runtime``); the worker
answers on its standard output ``{"outcome": "ok" | "failed", "log": ...}``. Everything else the
worker, nbgrader or a kernel prints goes to its standard error (the grader's log file). The grader
enforces the time limit: a worker that does not answer in time is killed with its kernel and a
new one takes its place.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from classroom import zygote
from classroom.course import ASSIGNMENT
from classroom.kernel import SANDBOX_VARIABLE, SCRATCH_VARIABLE, ZYGOTE_VARIABLE


class Zygotes:
    """The worker's current zygote: kept while tasks share its folders, replaced when they change."""

    def __init__(self) -> None:
        self.process, self.folders = None, None

    def use(self, scratch: Path, runtime: Path) -> None:
        """Make the kernels of the next task fork from a zygote over these folders (start one if needed)."""
        if self.folders != (scratch, runtime) or self.process is None or self.process.poll() is not None:
            self.stop()
            try:
                self.process, socket = zygote.start(scratch, runtime, os.environ.get(SANDBOX_VARIABLE) != "none")
            except (OSError, RuntimeError) as error:  # grade all the same, each kernel started anew
                print(f"no zygote ({error}): kernels start anew", file=sys.stderr)
                os.environ.pop(ZYGOTE_VARIABLE, None)
                return
            self.folders = (scratch, runtime)
            os.environ[ZYGOTE_VARIABLE] = str(socket)

    def stop(self) -> None:
        if self.process is not None:
            zygote.stop(self.process)
        self.process, self.folders = None, None
        os.environ.pop(ZYGOTE_VARIABLE, None)


def _config(course: Path):
    """The course's nbgrader_config.py, read again for each task (it reads the task's runtime folder)."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()


def autograde(course: Path, student: str, notebook: str, scratch: str, runtime: str) -> dict:
    """nbgrader's Autograde of one submitted notebook, in this process: {"outcome", "log"}."""
    from nbgrader.apps.api import capture_log
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    # Read by the grader's kernel (classroom.kernel), which nbgrader starts with this environment,
    # and by the course's configuration (the kernel's sockets go to the runtime folder).
    os.environ.update({SCRATCH_VARIABLE: scratch, "JUPYTER_RUNTIME_DIR": runtime, "TMPDIR": runtime})
    tempfile.tempdir = runtime  # where jupyter_client writes the connection file (Python caches TMPDIR)
    config = _config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id, coursedir.student_id, coursedir.notebook_id = ASSIGNMENT, student, notebook
    app = Autograde(coursedir=coursedir, config=config)
    app.force, app.create_student = True, True
    result = capture_log(app)
    log = "\n".join(filter(None, [result.get("log"), result.get("error")]))
    return {"outcome": "ok" if result["success"] else "failed", "log": log}


def main(arguments: list[str]) -> None:
    if len(arguments) != 1:
        raise SystemExit("usage: python -m classroom.worker COURSE (tasks as JSON lines on standard input)")
    course = Path(arguments[0]).resolve()
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")  # the answers alone go to standard output
    os.dup2(2, 1)  # what nbgrader and the kernels print goes to standard error
    sys.stdout = sys.stderr
    os.chdir(course)
    zygotes = Zygotes()
    for line in sys.stdin:
        if not line.strip():
            continue
        task = json.loads(line)
        try:
            zygotes.use(Path(task["scratch"]), Path(task["runtime"]).parent)
            answer = autograde(course, task["student"], task["notebook"], task["scratch"], task["runtime"])
        except Exception as error:  # noqa: BLE001 - one submission's failure must not end the worker
            answer = {"outcome": "failed", "log": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    zygotes.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
