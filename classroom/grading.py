"""Grade a folder of submitted notebooks with nbgrader's autograde, offline, into a CSV table and feedback pages.

Each notebook runs in the grader's kernel (:mod:`classroom.kernel`): in its student's sandbox
(:mod:`classroom.sandbox`), forked from that student's zygote (:mod:`classroom.zygote`), with
training cut to a few steps (:mod:`classroom.cut`) and a trained network the grader brings in its
own models folder. Two notebooks are graded at a time, each by a long-lived worker
(:mod:`classroom.worker`: nbgrader started once, not once a notebook) in its own copy of the
nbgrader course (so no two processes write one gradebook).
"""

from __future__ import annotations

import contextlib
import csv
import html
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from classroom import cut, sandbox
from classroom.course import (
    ASSIGNMENT,
    HANDED_IN,
    LOADS_TRAINED_MODEL,
    _environment,
    make_course,
    nbgrader,
    points_of,
    series_notebooks,
    write_config,
)
from classroom.kernel import SANDBOX_VARIABLE

TIME_LIMIT = 600  # seconds per notebook: with training cut, the longest takes well under a minute
WORKERS = 2  # notebooks graded at a time (one per core of a 2-core laptop)
KERNEL_NAME = "mnist-grading"
COLUMNS = ["student", "notebook", "points", "maximum", "status", "seconds"]
FEEDBACK_TIMEOUT = 600  # seconds for nbgrader generate_feedback over one course copy


class NoSandbox(RuntimeError):
    """Grading cannot be sandboxed here, and the teacher did not choose to grade without one."""


@dataclass
class Result:
    """One row of the grade table."""

    student: str
    notebook: str
    points: float
    maximum: float
    status: str
    seconds: float = 0.0


@dataclass
class Setting:
    """What every graded notebook of one grading run shares."""

    folder: Path  # the run's temporary folder
    sandboxed: bool
    time_limit: float
    model: Path | None  # the trained dense_full.keras the grader brings, or None


def kernelspec(folder: Path) -> Path:
    """Write the grader's kernelspec under ``folder``/kernels (a JUPYTER_PATH entry); return ``folder``."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "classroom.kernel", "-f", "{connection_file}"],
        "display_name": "MNIST grader (sandboxed, training cut)", "language": "python",
        "interrupt_mode": "message",
    }), encoding="utf-8")
    return folder


def bring_trained_model(folder: Path) -> Path:
    """The series' trained network for the graded kernels: the tests' or learner's one if it is valid
    (only read), else trained once now with the full recipe (about half a minute), in ``folder``."""
    from helpers.model import FULL_MODEL_NAME, default_models_dir

    folder.mkdir(parents=True, exist_ok=True)
    existing = default_models_dir() / f"{FULL_MODEL_NAME}.keras"
    if existing.exists():
        shutil.copy2(existing, folder / existing.name)
    environment = dict(_environment(), MNIST_MODELS_DIR=str(folder))
    code = "from helpers.model import load_or_train; load_or_train()"  # validates it, or trains it
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                            timeout=1800, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"could not train the series' network for grading:\n{result.stderr[-2000:]}")
    return folder / f"{FULL_MODEL_NAME}.keras"


class Worker:
    """One long-lived grading process (:mod:`classroom.worker`) over one nbgrader course.

    It grades submission after submission without starting nbgrader again; each submission still
    gets a kernel of its own in a sandbox of its own. A worker that overruns the time limit is
    killed with its kernel, and the next task starts a new one.
    """

    def __init__(self, course: Path, setting: Setting):
        self.course, self.setting = course, setting
        self.process: subprocess.Popen | None = None
        self.pending = b""

    def _start(self) -> subprocess.Popen:
        environment = dict(_environment(), JUPYTER_PATH=str(self.setting.folder),
                           **{SANDBOX_VARIABLE: "bwrap" if self.setting.sandboxed else "none"})
        environment.setdefault(cut.EPOCHS_VARIABLE, str(cut.DEFAULT_EPOCHS))
        environment.setdefault(cut.STEPS_VARIABLE, str(cut.DEFAULT_STEPS))
        (self.course / "logs").mkdir(exist_ok=True)
        with (self.course / "logs" / "worker.log").open("a") as log:  # a file: a stray kernel cannot hold it
            self.pending = b""
            return subprocess.Popen([sys.executable, "-m", "classroom.worker", str(self.course)], cwd=self.course,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=environment,
                                    start_new_session=True)

    def _answer(self, deadline: float) -> dict | None:
        """The worker's next answer, or None if it did not come by ``deadline`` (or the worker ended)."""
        assert self.process and self.process.stdout
        descriptor = self.process.stdout.fileno()
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([descriptor], [], [], remaining)[0]:
                return None
            chunk = os.read(descriptor, 65536)
            if not chunk:  # the worker ended
                return {"outcome": "failed", "log": "the grading worker ended unexpectedly"}
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def autograde(self, student: str, notebook: str, scratch: Path, runtimes: Path) -> tuple[str, str]:
        """Autograde one submitted notebook within the time limit: (outcome, log).

        Notebooks graded with the same ``scratch`` and ``runtimes`` folders (one student's) get their
        kernels from one zygote (:mod:`classroom.zygote`); ``runtimes`` gets a folder for each kernel.
        """
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        runtimes.mkdir(parents=True, exist_ok=True)
        runtime = Path(tempfile.mkdtemp(prefix="t", dir=runtimes))  # short: Unix socket paths are short
        task = {"student": student, "notebook": notebook, "scratch": str(scratch), "runtime": str(runtime)}
        deadline = time.monotonic() + self.setting.time_limit
        try:
            assert self.process.stdin
            self.process.stdin.write((json.dumps(task) + "\n").encode())
            self.process.stdin.flush()
            answer = self._answer(deadline)
        except (BrokenPipeError, OSError) as error:
            answer = {"outcome": "failed", "log": f"the grading worker could not be reached ({error})"}
        if answer is None:
            self.stop(kill=True)  # nbgrader; its kernel dies with it (PR_SET_PDEATHSIG, bwrap --die-with-parent)
            answer = {"outcome": "timeout", "log": ""}
        elif self.process.poll() is not None:
            self.process = None
        shutil.rmtree(runtime, ignore_errors=True)
        log_path = self.course / "logs" / f"{student}-{notebook}.log"
        log_path.write_text(answer["log"], encoding="utf-8")
        return answer["outcome"], answer["log"]

    def stop(self, kill: bool = False) -> None:
        """End the worker: at once (``kill``), or when it has read all its tasks."""
        if self.process is None:
            return
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        else:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        self.process = None


def _score(course: Path, student: str, notebook: str) -> float:
    """The points nbgrader's gradebook gives one autograded notebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return float(gradebook.find_submission_notebook(notebook, ASSIGNMENT, student).score)


def grade_one(worker: Worker, student: str, submitted: Path, maximum: float, scratch: Path,
              runtimes: Path) -> Result:
    """Grade one submitted notebook; any failure of the submission becomes a status, never an exception."""
    name = submitted.stem
    if maximum == 0:
        return Result(student, name, 0, 0, "no exercises to grade")
    course, setting = worker.course, worker.setting
    target = course / "submitted" / student / ASSIGNMENT
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(submitted, target / submitted.name)
    (scratch / "models").mkdir(parents=True, exist_ok=True)
    if setting.model and name[:2] in LOADS_TRAINED_MODEL:
        shutil.copy2(setting.model, scratch / "models" / setting.model.name)
    bring_handed_in(submitted, scratch / "models")
    outcome, log = worker.autograde(student, name, scratch, runtimes)
    if outcome == "timeout":
        return Result(student, name, 0, maximum, f"timed out: did not finish within {setting.time_limit:g} s")
    if outcome == "failed":
        died = re.search(r"DeadKernelError|Kernel died|kernel.*died", log, re.I)
        why = "crashed: the kernel died while running it" if died else "not graded: nbgrader could not run it"
        return Result(student, name, 0, maximum, why)
    return Result(student, name, _score(course, student, name), maximum, "graded")


def bring_handed_in(submitted: Path, models: Path) -> list[Path]:
    """Copy the files handed in beside ``submitted`` for its checks (:data:`HANDED_IN`) into the graded
    kernel's ``models`` folder, replacing any earlier copy; the ones missing stay missing (a check
    then says so). Returns the copies."""
    copies = []
    for file_name in HANDED_IN.get(submitted.stem[:2], ()):
        (models / file_name).unlink(missing_ok=True)
        if (submitted.parent / file_name).is_file():
            copies.append(Path(shutil.copy2(submitted.parent / file_name, models / file_name)))
    return copies


def collect(submissions: Path) -> list[tuple[str, Path]]:
    """(student, notebook) for every series notebook in ``submissions/<student>/``; others are reported."""
    if not submissions.is_dir():
        raise FileNotFoundError(f"no folder of submissions at {submissions}")
    names = {notebook.name for notebook in series_notebooks()}
    tasks = []
    for folder in sorted(path for path in submissions.iterdir() if path.is_dir()):
        for path in sorted(folder.glob("*.ipynb")):
            if path.name in names:
                tasks.append((folder.name, path))
            else:
                print(f"skipped {folder.name}/{path.name}: not a notebook of the series", file=sys.stderr)
    return tasks


def check_sandbox(unsafe: bool) -> bool:
    """Whether submissions run sandboxed; raises NoSandbox where none can be had and ``unsafe`` is not given."""
    reason = sandbox.unavailable()
    if reason is None:
        return True
    if not unsafe:
        raise NoSandbox(f"Cannot grade in a sandbox: {reason}. Submissions would run with your rights, able to "
                        "read and change your files. Install bubblewrap (notebooks/TEACHING.md), or grade "
                        "anyway with --unsafe on a computer or account that holds nothing of value.")
    print(f"Warning: grading WITHOUT a sandbox ({reason}), as --unsafe asks.", file=sys.stderr)
    return False


def grade(submissions: Path, *, time_limit: float = TIME_LIMIT, keep_course: Path | None = None,
          feedback: Path | None = None, unsafe: bool = False, workers: int = WORKERS) -> list[Result]:
    """Grade ``submissions/<student>/<notebook>.ipynb`` for every student folder; one Result per notebook.

    Runs in fresh temporary nbgrader courses (one per worker; deleted afterwards unless
    ``keep_course`` names a folder to copy them to, as ``keep_course/<worker>``), so no JupyterHub
    and no exchange are needed. ``feedback`` names a folder for one HTML page per student and notebook.
    """
    tasks = collect(submissions)
    sandboxed = check_sandbox(unsafe)
    sources = {notebook.name: notebook for notebook in series_notebooks()}
    graded = sorted({sources[path.name] for _, path in tasks if points_of(sources[path.name])})
    with tempfile.TemporaryDirectory(prefix="mnist-grading-") as temporary, ThreadPoolExecutor(1) as helper:
        folder = kernelspec(Path(temporary))
        needs_model = any(path.name[:2] in LOADS_TRAINED_MODEL for _, path in tasks)
        # the network is loaded (or trained) while nbgrader generates the course: both take a while
        model = helper.submit(bring_trained_model, folder / "trained") if needs_model else None
        courses = _courses(folder, graded, workers, time_limit)
        setting = Setting(folder, sandboxed, time_limit, model.result() if model else None)
        results = _run(tasks, courses, setting, sources)
        if feedback:  # each course's pages at the same time: nbconvert uses one core
            start = time.monotonic()
            marked = [result for result in results if result.status == "graded"]
            with ThreadPoolExecutor(len(courses)) as pool:
                list(pool.map(lambda course: write_feedback(course, feedback, marked), courses))
            print(f"feedback pages written in {time.monotonic() - start:.0f} s", file=sys.stderr)
        for index, course in enumerate(courses):
            if keep_course:
                shutil.copytree(course, keep_course / str(index), dirs_exist_ok=True)
    if feedback:
        write_status_pages(feedback, results)
    return results


def _courses(folder: Path, graded: list[Path], workers: int, time_limit: float) -> list[Path]:
    """One nbgrader course per worker, all with the graded notebooks' gradebook (generated once, then copied)."""
    first = folder / "course-0"
    if graded:  # the gradebook holds only what is graded: generating is the slow part
        make_course(first, graded, cell_timeout=int(time_limit))
    else:
        first.mkdir()
    write_config(first, cell_timeout=int(time_limit), kernel=KERNEL_NAME)
    courses = [first]
    for index in range(1, workers):
        copy = folder / f"course-{index}"
        shutil.copytree(first, copy)
        write_config(copy, cell_timeout=int(time_limit), kernel=KERNEL_NAME)
        courses.append(copy)
    return courses


def jobs_of(tasks: list[tuple[str, Path]], workers: int) -> list[list[int]]:
    """The tasks' indices grouped by student (one zygote each); a student's split in two while the
    workers outnumber the groups, so that a class of one still keeps every worker busy."""
    by_student: dict[str, list[int]] = {}
    for index, (student, _) in enumerate(tasks):
        by_student.setdefault(student, []).append(index)
    jobs = list(by_student.values())
    while len(jobs) < workers and max(map(len, jobs), default=0) > 1:
        longest = max(jobs, key=len)
        jobs.remove(longest)
        jobs += [longest[::2], longest[1::2]]
    return jobs


def _run(tasks: list[tuple[str, Path]], courses: list[Path], setting: Setting,
         sources: dict[str, Path]) -> list[Result]:
    """Grade every task, one long-lived worker per course, one student's notebooks after one another
    on one worker (their kernels forked from one zygote); results in the tasks' order."""
    free: queue.Queue[Worker] = queue.Queue()
    workers = [Worker(course, setting) for course in courses]
    for worker in workers:
        free.put(worker)
    jobs = jobs_of(tasks, len(workers))

    def work(job: int) -> list[tuple[int, Result]]:
        worker, done = free.get(), []
        scratch, runtimes = setting.folder / "scratch" / str(job), setting.folder / f"j{job}"
        try:
            for index in jobs[job]:
                student, path = tasks[index]
                start = time.monotonic()
                result = grade_one(worker, student, path, points_of(sources[path.name]), scratch, runtimes)
                result.seconds = time.monotonic() - start
                done.append((index, result))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.rmtree(runtimes, ignore_errors=True)
            free.put(worker)
        return done

    # The largest jobs first, so that no long one is left for the end alone.
    order = sorted(range(len(jobs)), key=lambda job: len(jobs[job]), reverse=True)
    try:
        with ThreadPoolExecutor(max_workers=len(courses)) as pool:
            done = dict(pair for pairs in pool.map(work, order) for pair in pairs)
    finally:
        for worker in workers:
            worker.stop()
    return [done[index] for index in range(len(tasks))]


def feedback_page(folder: Path, student: str, notebook: str) -> Path:
    """Where the feedback page of one student's notebook goes: ``folder/<student>/<notebook>.html``."""
    return folder / student / f"{notebook}.html"


def write_feedback(course: Path, folder: Path, graded: list[Result]) -> None:
    """nbgrader's feedback pages of the notebooks graded in ``course``, copied into ``folder``."""
    if not (course / "autograded").is_dir():
        return
    result = nbgrader(course, "generate_feedback", ASSIGNMENT, "--force", timeout=FEEDBACK_TIMEOUT)
    if result.returncode != 0:
        print(f"nbgrader generate_feedback reported a problem:\n{result.stderr[-1500:]}", file=sys.stderr)
    for row in graded:
        page = course / "feedback" / row.student / ASSIGNMENT / f"{row.notebook}.html"
        if page.exists():
            feedback_page(folder, row.student, row.notebook).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(page, feedback_page(folder, row.student, row.notebook))


STATUS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{notebook}: {student}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 2em auto">
<h1>{notebook}</h1><p>Student: {student}</p><p><strong>{points} of {maximum} points.</strong></p>
<p>{status}.</p><p>The notebook could not be run to the end, so its checks were not marked. Open it in a
fresh kernel, run every cell (Kernel, Restart Kernel and Run All Cells) and fix what stops it.</p>
</body></html>
"""


def write_status_pages(folder: Path, results: list[Result]) -> None:
    """A short page for each notebook nbgrader could not mark (crashed, timed out), saying why."""
    for row in results:
        page = feedback_page(folder, row.student, row.notebook)
        if row.maximum and not page.exists():
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(STATUS_PAGE.format(**{key: html.escape(str(value)) for key, value in {
                "notebook": row.notebook, "student": row.student, "points": f"{row.points:g}",
                "maximum": f"{row.maximum:g}", "status": row.status.capitalize()}.items()}), encoding="utf-8")


def write_csv(results: list[Result], path: Path) -> None:
    """Write the grade table: student, notebook, points, maximum, status and the seconds grading took."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for result in results:
            writer.writerow([result.student, result.notebook, f"{result.points:g}", f"{result.maximum:g}",
                             result.status, f"{result.seconds:.0f}"])


def main(submissions: Path, output: Path, time_limit: float, unsafe: bool = False, workers: int = WORKERS) -> None:
    """The ``grade`` command: grade, write the CSV and the feedback pages beside it, say how long it took."""
    start = time.monotonic()
    feedback = output.parent / "feedback"
    try:
        results = grade(submissions, time_limit=time_limit, feedback=feedback, unsafe=unsafe, workers=workers)
    except (NoSandbox, FileNotFoundError) as error:
        raise SystemExit(str(error)) from None
    write_csv(results, output)
    print(f"graded {len(results)} notebooks in {time.monotonic() - start:.0f} s: {output}, feedback in {feedback}/")
