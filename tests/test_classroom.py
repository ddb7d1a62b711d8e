"""The classroom machinery: graded checks, the student edition (nbgrader's generate_assignment)
and the grader (nbgrader's autograde in a sandbox, with feedback pages), on the real notebooks with
real nbgrader.

Cost: the check tests run in a second; the student edition is generated once for every notebook,
through the command as a scheduled job runs it (about 15 s); the grader runs notebook 01 for seven
made-up students at once (full, untouched, one wrong answer, crashing, gaming the checks, and two
that try four ways out of the sandbox) while, in runs of their own at the same time, it grades one
never-ending submission and two students one after the other in one worker (nothing of the first
is left for the second), then every other notebook once, as a submission with one
exercise left blank, one answered wrongly and the rest answered right, with training cut as the
grader always cuts it (a few minutes in all on two cores). Those are marked slow. The checks of
each exercise, on blank, wrong and copied answers, are tested in tests/test_exercises_NN.py.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from exercise_tools import cells, exercises, nbgrader_meta, source, worked_answer

from classroom import edition, grading
from classroom.course import (
    ASSIGNMENT,
    CODE_STUB,
    HANDED_IN,
    exercise_dependencies,
    points_of,
    series_notebooks,
    worked_hand_in,
)
from helpers.model import default_models_dir
from helpers.selfcheck import NotYet, check_function

NOTEBOOKS = series_notebooks()
MARKERS = re.compile(r"### (BEGIN|END) (SOLUTION|HIDDEN TESTS)")
PILOT = NOTEBOOKS[0]  # 01: graded as full, untouched, one-wrong, crashing, hanging and escaping submissions
GRADE_IDS = {nbgrader_meta(check)["grade_id"] for notebook in NOTEBOOKS for _, check in exercises(notebook).values()}
# Self-checks without points that ask for a trained network's accuracy: under the grader's cut
# recipe (a few training steps) they say "Not yet"; TEACHING.md tells the teacher so.
CUT_CHECKS = {"# Self-check: does the network trained on all the data reach 97.5% on the test set?",
              "# Self-check: the tuned network's test accuracy against the goal"}


# --- graded checks: one plain line, failing on a blank, a wrong answer, a copied value -------------

def pixels(images):
    return images.shape[1] * images.shape[2]


def test_a_right_function_passes_with_praise(capsys):
    check_function(pixels, [((np.zeros((2, 28, 28)),), 784), ((np.zeros((1, 5, 7)),), 35)], praise="well done.")
    assert capsys.readouterr().out == "✓ Correct: well done.\n"


@pytest.mark.parametrize("body, message", [
    (lambda images: ..., "returns nothing yet"),
    (lambda images: None, "returns nothing yet"),
    (lambda images: 784, "returned 784 instead of 35"),
    (lambda images: images.size, "returned 1568 instead of 784"),
])
def test_a_wrong_function_fails_with_one_plain_sentence(body, message):
    with pytest.raises(NotYet, match=message) as failure:
        check_function(body, [((np.zeros((2, 28, 28)),), 784), ((np.zeros((3, 5, 7)),), 35)], praise="")
    rendered = failure.value._render_traceback_()  # what IPython shows instead of a traceback
    assert len(rendered) == 1 and rendered[0].startswith("✗ Not yet.")


def test_a_typical_mistake_gets_its_hint_and_errors_are_told_in_words():
    with pytest.raises(NotYet, match="rows \\+ columns"):
        check_function(lambda images: 56, [((np.zeros((1, 28, 28)),), 784)], praise="",
                       mistakes=[(lambda images: 56, "rows + columns")])
    with pytest.raises(NotYet, match="not written yet"):
        check_function(lambda images: (_ for _ in ()).throw(NotImplementedError), [((1,), 1)], praise="")
    with pytest.raises(NotYet, match="stopped with ZeroDivisionError"):
        check_function(lambda x: 1 / 0, [((1,), 1)], praise="")


def test_arrays_must_match_in_shape_dtype_and_values():
    case = [((np.float32([0.2, 1.0]),), np.uint8([51, 255]))]
    for wrong, message in [(lambda s: s * 255, "float32 numbers instead of uint8"),
                           (lambda s: np.uint8([51]), "shape \\(1,\\) instead of \\(2,\\)"),
                           (lambda s: np.uint8([50, 255]), "gives 50 at position 0 where 51 belongs"),
                           (lambda s: [51, 255], "not a NumPy array")]:
        with pytest.raises(NotYet, match=message):
            check_function(wrong, case, praise="")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_every_notebook_has_three_coding_exercises_each_tested(notebook):
    graded = exercises(notebook)
    assert len(graded) >= 3, f"{notebook.name} has {len(graded)} coding exercises; the series promises 3 or more"
    tests = importlib.import_module(f"test_exercises_{notebook.name[:2]}")
    tested = set(tests.WRONG) | set(getattr(tests, "TESTED_APART", ()))  # 08's hand-in: a test of its own
    assert tested == set(graded), "every exercise's check is tested on wrong and copied answers"


# --- the student edition: nbgrader's generate_assignment on every notebook ---------------------------

def run_classroom(*arguments: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m classroom ...`` as a scheduled job or an IDE runs it: this environment's Python by its
    path, the environment not activated (PATH without its folder), from another folder than the project's."""
    bare = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"), "TF_CPP_MIN_LOG_LEVEL": "3",
            "MNIST_MODELS_DIR": os.environ["MNIST_MODELS_DIR"]}
    return subprocess.run([sys.executable, "-m", "classroom", *arguments], cwd=cwd, env=bare, capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def student_edition(tmp_path_factory) -> Path:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run_classroom("student-edition", "--out", "student", cwd=elsewhere)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "student edition written to student" in result.stdout
    return elsewhere / "student"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def test_student_edition_blanks_solutions_and_keeps_tests_out(student_edition, notebook):
    student = student_edition / "notebooks" / notebook.name
    full_cells, student_cells = cells(notebook), cells(student)
    assert len(student_cells) == len(full_cells)
    for full, given in zip(full_cells, student_cells):
        assert not MARKERS.search(source(given)), "a solution or hidden test reached the student"
        assert given.get("outputs", []) == [], "outputs (and with them the answers) are cleared"
        if nbgrader_meta(full).get("solution"):
            assert CODE_STUB in source(given)
        if nbgrader_meta(full).get("grade"):
            assert given["metadata"]["editable"] is False, "check cells are locked"
        if full["cell_type"] == "markdown":
            assert "<details>" not in source(given), "the exercises' solutions are removed"
    assert (student_edition / "helpers" / "selfcheck.py").exists() and (student_edition / "data").is_dir()
    assert "Execute.timeout" in (student_edition / "notebooks" / "nbgrader_config.py").read_text(), "for Validate"


@pytest.mark.slow
def test_student_edition_can_keep_exercise_solutions_and_refuses_to_overwrite(tmp_path, student_edition):
    kept = edition.build(tmp_path / "self-study", keep_exercise_solutions=True, notebooks=[PILOT], make_zip=True)
    assert kept.suffix == ".zip" and kept.stat().st_size > 0
    text = (tmp_path / "self-study" / "notebooks" / PILOT.name).read_text(encoding="utf-8")
    assert "<details>" in text and "BEGIN SOLUTION" not in text
    with pytest.raises(FileExistsError):
        edition.build(student_edition)


# --- the grader: nbgrader's autograde, offline, sandboxed, on real submissions ------------------------

def with_answer(notebook: dict, grade_id: str, body: str) -> dict:
    for cell in notebook["cells"]:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            cell["source"] = answered(source(cell), body)
            return notebook
    raise KeyError(grade_id)


def with_cell(notebook: dict, grade_id: str, code: str) -> dict:
    """``notebook`` with the whole solution cell ``grade_id`` replaced by ``code`` (not only its answer)."""
    for cell in notebook["cells"]:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            cell["source"] = code
            return notebook
    raise KeyError(grade_id)


# A submission of 01 that games each check a different way: an answer that claims to equal
# everything, a check helper replaced by one that always praises, and a checks module replaced
# by a fake. The visible checks of the last two say "✓"; the hidden tests must still score 0.
GAMING = {
    "01-pixels-per-image": textwrap.dedent("""\
        class Anything:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __bool__(self): return True

        def pixels_per_image(images):
            return Anything()
        """),
    "01-most-common-label": textwrap.dedent("""\
        import helpers.checks.notebook_01 as checks
        import helpers.selfcheck

        checks.check_function = helpers.selfcheck.check_function = lambda *args, **kwargs: print("✓ Correct: fooled")

        def most_common_label(labels):
            return 0
        """),
    "01-to-pixels": textwrap.dedent("""\
        import sys
        import types

        fake = types.ModuleType("helpers.checks.notebook_01")
        fake.check_to_pixels = lambda *args: print("✓ Correct: fooled")
        sys.modules["helpers.checks.notebook_01"] = fake

        def to_pixels(scaled):
            return None
        """),
}


def series_models() -> list[tuple[str, int]]:
    """The tests' models folder (name, mtime) but for 08's hand-in, which 08's own run beside may write."""
    handed_in = {name for names in HANDED_IN.values() for name in names}
    return sorted((path.name, path.stat().st_mtime_ns) for path in default_models_dir().glob("*")
                  if path.name not in handed_in)


def submit(folder: Path, student: str, notebook: dict, name: str = PILOT.name) -> None:
    (folder / student).mkdir(parents=True, exist_ok=True)
    (folder / student / name).write_text(json.dumps(notebook), encoding="utf-8")


def errors_shown(autograded: Path) -> list[tuple[str, str]]:
    """(grade_id or first line, error name) of every error output in a notebook the grader ran."""
    return [(nbgrader_meta(cell).get("grade_id") or source(cell).split("\n")[0], output["ename"])
            for cell in cells(autograded) if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if output["output_type"] == "error"]


def autograded(course: Path, student: str, name: str) -> Path:
    """The notebook nbgrader ran for ``student``, in whichever worker's course graded it."""
    return next(course.glob(f"*/autograded/{student}/{ASSIGNMENT}/{name}.ipynb"))


def check_output(autograded: Path, check_id: str) -> str:
    """Everything a check cell of a notebook the grader ran showed (its sentence, error and traceback)."""
    cell = next(cell for cell in cells(autograded) if nbgrader_meta(cell).get("grade_id") == check_id)
    return json.dumps(cell.get("outputs", []), ensure_ascii=False)


def escapes(secret: Path, home_file: Path, port: int) -> dict[str, dict[str, str]]:
    """Answers to 01's exercises that try to leave the sandbox: student -> exercise -> the function's body.

    One submission tries three escapes, one per exercise (each exercise's check runs its own); reading
    the course's gradebook is a second submission's first exercise."""
    return {
        "escapes": {
            "01-pixels-per-image": f"open({str(home_file)!r}, 'w').write('pwned')\nreturn 784",
            "01-most-common-label": f"return open({str(secret)!r}).read()",
            "01-to-pixels": f"import socket\nreturn socket.create_connection(('127.0.0.1', {port}), timeout=5).recv(1)",
        },
        "reads-tests": {"01-pixels-per-image": "return open('../../../gradebook.db', 'rb').read()"},
    }


# (student, exercise, what its check must say): how each escape failed inside the sandbox.
ESCAPE_FAILURES = [("escapes", "01-pixels-per-image", "Read-only file system"),  # writes into the home folder
                   ("escapes", "01-most-common-label", "FileNotFoundError"),  # reads a file outside the course
                   ("escapes", "01-to-pixels", "ConnectionRefusedError"),  # opens a network socket
                   ("reads-tests", "01-pixels-per-image", "FileNotFoundError")]  # reads the course's gradebook
# Two students one worker grades one after the other: what the first leaves behind (a global
# variable, an environment variable, files in /tmp, its home and its working folder) must not be
# there for the second.
LEAVES = ("global left_behind\nleft_behind = 1\nimport os\nos.environ['LEFT_BEHIND'] = '1'\n"
          "for path in ('/tmp/left', os.path.expanduser('~/left'), 'left'):\n    open(path, 'w').write('x')\n"
          "return images.shape[1] * images.shape[2]")
FINDS = ("import os\nfound = ['left_behind' in globals(), 'LEFT_BEHIND' in os.environ,\n"
         "         *map(os.path.exists, ('/tmp/left', os.path.expanduser('~/left'), 'left'))]\n"
         "return None if any(found) else images.shape[1] * images.shape[2]")


@contextlib.contextmanager
def recording_workers() -> Iterator[tuple[list[Path], dict[str, tuple[Path, int | None]]]]:
    """While it lasts: the course of every worker started, and student -> (course, worker's process id)
    of the worker that graded them (the id it still has after grading them)."""
    starts: list[Path] = []
    graded_by: dict[str, tuple[Path, int | None]] = {}
    start, autograde = grading.Worker._start, grading.Worker.autograde

    def recorded_start(worker: grading.Worker):
        starts.append(worker.course)
        return start(worker)

    def recorded_autograde(worker: grading.Worker, student: str, notebook: str, scratch: Path, runtimes: Path):
        answer = autograde(worker, student, notebook, scratch, runtimes)
        graded_by[student] = (worker.course, worker.process.pid if worker.process else None)
        return answer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grading.Worker, "_start", recorded_start)
        patch.setattr(grading.Worker, "autograde", recorded_autograde)
        yield starts, graded_by


@pytest.fixture(scope="module")
def graded(student_edition, tmp_path_factory) -> dict:
    """Notebook 01 graded for a class (full, untouched, one wrong, crashing, gaming the checks and two that
    try to leave the sandbox), and at the same time, in two runs of their own: a submission that never
    finishes (under a 10 s limit) and two students one worker grades one after the other."""
    blank = json.loads((student_edition / "notebooks" / PILOT.name).read_text(encoding="utf-8"))
    answers = {"01-pixels-per-image": "return images.shape[1] * images.shape[2]",
               "01-most-common-label": "return np.bincount(labels).argmax()",
               "01-to-pixels": "return (scaled * 255).astype('uint8')"}  # the last one is wrong: 2 points
    one_wrong = json.loads(json.dumps(blank))
    for grade_id, body in answers.items():
        with_answer(one_wrong, grade_id, body)
    folder = tmp_path_factory.mktemp("submissions")
    submit(folder, "full", json.loads(PILOT.read_text(encoding="utf-8")))
    submit(folder, "untouched", blank)
    submit(folder, "one-wrong", one_wrong)
    submit(folder, "crashes", with_answer(json.loads(json.dumps(blank)), "01-pixels-per-image", "os._exit(1)"))
    gaming = json.loads(json.dumps(blank))
    for grade_id, code in GAMING.items():
        with_cell(gaming, grade_id, code)
    submit(folder, "games-the-checks", gaming)
    secret = tmp_path_factory.mktemp("outside-the-course") / "secret.txt"
    secret.write_text("TOP-SECRET-4711", encoding="utf-8")
    home_file = Path.home() / f"pwned_by_student_{os.getpid()}.txt"
    listener = socket.create_server(("127.0.0.1", 0))
    for student, bodies in escapes(secret, home_file, listener.getsockname()[1]).items():
        escaping = json.loads(json.dumps(blank))
        for grade_id, body in bodies.items():
            with_answer(escaping, grade_id, body)
        submit(folder, student, escaping)
    hangs, one_worker = tmp_path_factory.mktemp("hanging"), tmp_path_factory.mktemp("one-worker")
    submit(hangs, "never-finishes", with_answer(json.loads(json.dumps(blank)), "01-pixels-per-image",
                                                "import time; time.sleep(3600)"))
    for student, body in (("a-leaves", LEAVES), ("b-finds", FINDS)):
        submit(one_worker, student, with_answer(json.loads(json.dumps(blank)), "01-pixels-per-image", body))
    course, feedback = tmp_path_factory.mktemp("course"), tmp_path_factory.mktemp("feedback")
    models = series_models()
    runs = {"class": lambda: grading.grade(folder, time_limit=300, keep_course=course, feedback=feedback),
            "hanging": lambda: grading.grade(hangs, time_limit=10),
            "one worker": lambda: grading.grade(one_worker, time_limit=300, workers=1)}
    with recording_workers() as (starts, graded_by), ThreadPoolExecutor(len(runs)) as pool:
        started = {name: pool.submit(run) for name, run in runs.items()}
        results = {name: future.result() for name, future in started.items()}
    grading.write_csv(results["class"], folder / "grades.csv")
    listener.setblocking(False)
    with contextlib.suppress(BlockingIOError):
        listener.accept()
        pytest.fail("a submission reached a socket of the grading machine")
    listener.close()
    by_student = {result.student: result for run in results.values() for result in run}
    return {**by_student, "csv": list(csv.DictReader((folder / "grades.csv").open(encoding="utf-8"))),
            "course": course, "feedback": feedback, "secret": secret, "home_file": home_file,
            "starts": starts, "graded_by": graded_by,
            "models": models, "models_after": series_models()}


@pytest.mark.slow
def test_grading_the_full_edition_gives_full_marks(graded):
    maximum = points_of(PILOT)
    assert maximum >= 3
    assert (graded["full"].points, graded["full"].maximum, graded["full"].status) == (maximum, maximum, "graded")


@pytest.mark.slow
def test_the_graded_kernel_draws_no_figure_but_shows_each_by_its_description(graded):
    """Under grading no figure is rendered to a PNG (no one looks at it); each still shows, by its text form."""
    def shown(notebook: Path) -> list[list[dict]]:
        return [[output.get("data", {}) for output in cell.get("outputs", []) if output.get("data")]
                for cell in cells(notebook) if cell["cell_type"] == "code"]

    learner, grader = shown(PILOT), shown(autograded(graded["course"], "full", PILOT.stem))
    drawn = [index for index, outputs in enumerate(learner) if any("image/png" in data for data in outputs)]
    assert len(drawn) >= 3, "the learner's run of 01 shows figures"
    assert not [data for outputs in grader for data in outputs if "image/png" in data], "no PNG under grading"
    assert all(any(set(data) == {"text/plain"} for data in grader[index]) for index in drawn), "each by its text"


@pytest.mark.slow
def test_an_untouched_student_edition_scores_zero(graded):
    assert (graded["untouched"].points, graded["untouched"].status) == (0, "graded")


@pytest.mark.slow
def test_an_untouched_notebook_runs_to_the_end_showing_only_its_failing_checks(graded):
    checks = [nbgrader_meta(check)["grade_id"] for _, check in exercises(PILOT).values()]
    shown = errors_shown(autograded(graded["course"], "untouched", PILOT.stem))
    assert shown == [(grade_id, "NotYet") for grade_id in checks]


@pytest.mark.slow
def test_one_wrong_answer_loses_exactly_that_exercises_points(graded):
    assert graded["one-wrong"].points == points_of(PILOT) - 2
    assert graded["one-wrong"].status == "graded"


@pytest.mark.slow
def test_gaming_the_checks_scores_zero_though_two_visible_checks_were_fooled(graded):
    assert set(GAMING) == {grade_id for grade_id, _ in exercises(PILOT).items()}, "one way of gaming per exercise"
    ran = autograded(graded["course"], "games-the-checks", PILOT.stem)
    fooled = [cell for cell in cells(ran) if cell["cell_type"] == "code"
              and any("✓ Correct: fooled" in "".join(output.get("text", "")) for output in cell.get("outputs", []))]
    assert len(fooled) == 2, "the replaced helper and the fake module did fool the visible checks"
    assert (graded["games-the-checks"].points, graded["games-the-checks"].status) == (0, "graded")


@pytest.mark.slow
def test_crashing_and_hanging_submissions_get_a_clear_result(graded):
    assert graded["crashes"].points == 0 and graded["crashes"].status.startswith("crashed")
    assert graded["never-finishes"].points == 0 and graded["never-finishes"].status.startswith("timed out")
    assert graded["never-finishes"].seconds < 30


@pytest.mark.slow
def test_one_worker_grades_student_after_student_and_nothing_carries_over(graded):
    """One long-lived worker grades both students (nbgrader is started once), yet each notebook runs in a
    kernel and sandbox of its own: what the first leaves behind (a global variable, an environment variable,
    files in /tmp, its home and its working folder) is not there for the second."""
    (course, worker), (course_b, worker_b) = graded["graded_by"]["a-leaves"], graded["graded_by"]["b-finds"]
    assert (course_b, worker_b) == (course, worker) and worker is not None, "one worker process graded both"
    assert graded["starts"].count(course) == 1, "that worker was started once, nbgrader with it"
    assert list(graded["graded_by"]).index("a-leaves") < list(graded["graded_by"]).index("b-finds")
    points = nbgrader_meta(exercises(PILOT)["01-pixels-per-image"][1])["points"]
    assert (graded["a-leaves"].points, graded["a-leaves"].status) == (points, "graded")
    assert (graded["b-finds"].points, graded["b-finds"].status) == (points, "graded"), "nothing carried over"


@pytest.mark.slow
@pytest.mark.parametrize("student, exercise, error", ESCAPE_FAILURES, ids=[
    "writes-home", "reads-outside", "opens-socket", "reads-tests"])
def test_a_submission_cannot_leave_its_sandbox(graded, student, exercise, error):
    """Each escape fails inside the sandbox (its exercise earns nothing and its check says why), nothing
    outside changes, and the other students in the same run are graded as usual."""
    points = points_of(PILOT) - nbgrader_meta(exercises(PILOT)["01-pixels-per-image"][1])["points"]
    assert (graded[student].points, graded[student].status) == (0, "graded")
    ran = autograded(graded["course"], student, PILOT.stem)
    check = nbgrader_meta(exercises(PILOT)[exercise][1])["grade_id"]
    assert error in check_output(ran, check), "the exercise's check says how its escape failed"
    assert "TOP-SECRET-4711" not in ran.read_text(encoding="utf-8") and not graded["home_file"].exists()
    assert graded["secret"].read_text(encoding="utf-8") == "TOP-SECRET-4711"
    assert graded["models_after"] == graded["models"], "the tests' (and the learner's) models are not touched"
    assert graded["full"].points == points_of(PILOT) and points < points_of(PILOT)


def test_without_a_sandbox_the_grader_refuses_unless_told_unsafe(tmp_path, monkeypatch, capsys):
    (tmp_path / "student").mkdir()
    monkeypatch.setattr(grading.sandbox, "bwrap", lambda: None)
    with pytest.raises(grading.NoSandbox, match="--unsafe"):
        grading.grade(tmp_path)
    assert grading.grade(tmp_path, unsafe=True) == []
    assert "WITHOUT a sandbox" in capsys.readouterr().err
    with pytest.raises(FileNotFoundError, match="no folder of submissions"):
        grading.grade(tmp_path / "missing", unsafe=True)


@pytest.mark.slow
def test_the_grade_table_is_a_csv_per_student_and_notebook(graded):
    rows = graded["csv"]
    assert list(rows[0]) == grading.COLUMNS
    students = ("full", "untouched", "one-wrong", "crashes", "games-the-checks", *escapes(Path(), Path(), 0))
    assert {(row["student"], row["notebook"]) for row in rows} == {(student, PILOT.stem) for student in students}


@pytest.mark.slow
def test_every_student_gets_a_feedback_page_with_each_checks_sentence_and_points(graded):
    pages = {page.parent.name: page.read_text(encoding="utf-8")
             for page in graded["feedback"].glob(f"*/{PILOT.stem}.html")}
    assert set(pages) == {row["student"] for row in graded["csv"]}
    one_wrong = pages["one-wrong"]
    assert "✗ Not yet" in one_wrong and "✓ Correct" in one_wrong
    assert re.search(r"Score: 2(\.0)? / 4(\.0)?", one_wrong), "the notebook's points"
    assert len(re.findall(r"Test cell</a> \(Score: \d(\.0)? / \d(\.0)?\)", one_wrong)) == 3, "each check's points"
    assert "BEGIN HIDDEN TESTS" not in one_wrong
    assert "crashed" in pages["crashes"].lower(), "a notebook that could not be marked gets a page saying why"


# --- every other notebook: one submission with a blank, a wrong and right answers ---------------------

def answered(cell_source: str, answer: str) -> str:
    """A student-edition solution cell with ``answer`` in place of its stub, indented like the stub."""
    line = next(line for line in cell_source.splitlines() if CODE_STUB in line)
    indent = line[:len(line) - len(line.lstrip())]
    return cell_source.replace(line, "\n".join(indent + part if part.strip() else part
                                                for part in answer.splitlines()), 1)


def blank_wrong_and_right(full: Path, student: dict) -> tuple[dict, float, list[str]]:
    """The student notebook with exercise 1 left blank, exercise 2 wrong (the first typical mistake
    its test names) and the others answered as the full edition does; the points it deserves and
    the grade_ids of the two checks that must fail. Where a later exercise calls an earlier one's
    function (04's training_step chains the four before it, so it passes only once they do), the
    last exercise is left blank and the one before it wrong instead."""
    pairs = exercises(full)
    first, second, *rest = pairs
    if any(exercise_dependencies(full).values()):
        *rest, second, first = pairs
    wrong = importlib.import_module(f"test_exercises_{full.name[:2]}").WRONG[second][0]
    answers = {second: wrong, **{grade_id: worked_answer(pairs[grade_id][0]) for grade_id in rest}}
    for grade_id, answer in answers.items():
        with_answer(student, grade_id, answer)
    lost = sum(nbgrader_meta(pairs[grade_id][1])["points"] for grade_id in (first, second))
    return student, points_of(full) - lost, [nbgrader_meta(pairs[grade_id][1])["grade_id"]
                                            for grade_id in pairs if grade_id in (first, second)]


@pytest.fixture(scope="module")
def graded_series(student_edition, tmp_path_factory) -> dict[str, tuple]:
    """notebook name -> (grader's result, points deserved, checks that must fail, errors shown)."""
    folder, course = tmp_path_factory.mktemp("series-submissions"), tmp_path_factory.mktemp("series-course")
    expected = {}
    for full in NOTEBOOKS[1:]:
        student = json.loads((student_edition / "notebooks" / full.name).read_text(encoding="utf-8"))
        notebook, points, failing = blank_wrong_and_right(full, student)
        submit(folder, "blank-wrong-right", notebook, full.name)
        expected[full.stem] = (points, failing)
    for path in worked_hand_in(tmp_path_factory.mktemp("hand-in")):  # 08's own network, answered right
        shutil.copy2(path, folder / "blank-wrong-right" / path.name)
    start = time.monotonic()
    results = {result.notebook: result for result in grading.grade(folder, time_limit=600, keep_course=course)}
    print(f"graded notebooks 02-09 in {time.monotonic() - start:.0f} s")
    return {name: (results[name], *expected[name], errors_shown(autograded(course, "blank-wrong-right", name)))
            for name in expected}


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS[1:], ids=[nb.stem for nb in NOTEBOOKS[1:]])
def test_the_grader_scores_blank_wrong_and_right_answers_in_every_notebook(graded_series, notebook):
    result, points, failing, errors = graded_series[notebook.stem]
    assert (result.status, result.maximum) == ("graded", points_of(notebook))
    assert result.points == points, f"{result.points} points instead of {points} ({errors})"
    graded_errors = [error for error in errors if error[0] in GRADE_IDS]
    assert graded_errors == [(grade_id, "NotYet") for grade_id in failing], "only the two failing checks fail"
    assert not [error for error in errors if error[0] not in GRADE_IDS and error[0] not in CUT_CHECKS], (
        "no other cell fails under the cut recipe")


# --- the cut recipe and the graded kernel's environment, in this process -----------------------------

def test_the_cut_recipe_trains_a_few_steps_but_predicts_everything(monkeypatch):
    import timeit

    import keras

    from classroom import cut

    for owner, name in ((keras.Model, "fit"), (keras.Model, "jit_compile"), (timeit.Timer, "timeit"),
                        (timeit.Timer, "repeat")):
        monkeypatch.setattr(owner, name, getattr(owner, name))  # put back after the test
    monkeypatch.setattr(keras.Model, "steps_per_execution", None, raising=False)  # removed after the test
    monkeypatch.setenv(cut.STEPS_VARIABLE, "3")
    cut.cut_training()
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", jit_compile=True)
    assert model.jit_compile is False, "no seconds of XLA compilation under the grader"
    x, y = np.zeros((100, 4), "float32"), np.zeros(100, "int64")
    history = model.fit(x, y, epochs=10, batch_size=10, verbose=0)
    assert (len(history.epoch), int(model.optimizer.iterations)) == (cut.DEFAULT_EPOCHS, cut.DEFAULT_EPOCHS * 3)
    assert model.predict(x, batch_size=10, verbose=0).shape == (100, 2), "predict is not cut"
    assert keras.config.max_steps_per_epoch() is None, "the cap holds only while fit runs"
    assert model.run_eagerly is False, "fit ran eagerly; evaluate and predict run traced"
    given = {"x": x, "y": y, "batch_size": 10, "validation_split": 0.5, "validation_data": (x, y)}
    kept = cut.first_samples(given, 3)
    assert (len(kept["x"]), len(kept["y"]), len(kept["validation_data"][1])) == (60, 60, 30), "what 3 steps use"
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", steps_per_execution=8)
    model.fit(x, y, epochs=1, batch_size=10, verbose=0)
    assert int(model.optimizer.iterations) == 3, "steps_per_execution=8 does not run 8 steps a call"
    runs = []
    times = timeit.repeat(lambda: runs.append(1), number=1000, repeat=5)
    assert (len(times), len(runs)) == (cut.TIMING_REPEATS, cut.TIMING_REPEATS * cut.TIMING_NUMBER)
    monkeypatch.setenv(cut.EPOCHS_VARIABLE, "two")
    with pytest.raises(ValueError, match="whole numbers"):
        cut.limits()


def test_points_rise_from_notebook_to_notebook():
    points = {notebook.name[:2]: points_of(notebook) for notebook in series_notebooks()}
    assert list(points.values()) == sorted(set(points.values())), f"each notebook should be worth more: {points}"


def test_08s_network_handed_in_beside_the_notebook_reaches_the_graded_kernel(tmp_path):
    student, models = tmp_path / "ada", tmp_path / "scratch" / "models"
    student.mkdir()
    models.mkdir(parents=True)
    (models / "my_network.keras").write_text("an earlier student's")  # a scratch folder used before
    notebook = student / "08_going_further.ipynb"
    assert grading.bring_handed_in(notebook, models) == [] and not (models / "my_network.keras").exists()
    for name in ("my_network.keras", "my_network.json"):
        (student / name).write_text(f"ada's {name}")
    copies = grading.bring_handed_in(notebook, models)
    assert sorted(path.name for path in copies) == ["my_network.json", "my_network.keras"]
    assert (models / "my_network.keras").read_text() == "ada's my_network.keras"
    assert grading.bring_handed_in(student / "01_loading_the_data.ipynb", models) == []  # only 08 hands in files


def test_the_graded_kernel_gets_only_its_own_folders(tmp_path, monkeypatch):
    from classroom.kernel import kernel_environment

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not for students")
    environment = kernel_environment(tmp_path)
    assert "AWS_SECRET_ACCESS_KEY" not in environment
    for name in ("HOME", "TMPDIR", "MNIST_MODELS_DIR", "XDG_CACHE_HOME", "MPLCONFIGDIR"):
        assert Path(environment[name]).is_relative_to(tmp_path), name


def test_the_graded_kernel_fails_a_failing_checks_cell(tmp_path, monkeypatch):
    """helpers.selfcheck raises there (only prints in a learner's kernel): nbgrader's variable and ours get through."""
    from classroom.kernel import kernel_environment

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    environment = kernel_environment(tmp_path)
    assert environment["NBGRADER_EXECUTION"] == "autograde" and environment["MNIST_CHECKS_STOP"] == "1"


@pytest.mark.slow
def test_a_students_kernels_fork_from_one_zygote_and_start_clean(tmp_path, monkeypatch):
    """Two kernels of one student, each started by the grader's kernel command: both forked from the
    zygote (TensorFlow already imported, same parent), yet the second finds nothing the first left in
    memory; a kernel whose command is killed goes with it, and the zygote serves the next."""
    from jupyter_client import KernelManager

    from classroom import zygote
    from classroom.kernel import ZYGOTE_VARIABLE

    folder = grading.kernelspec(tmp_path)
    process, path = zygote.start(tmp_path / "scratch", tmp_path / "j", sandboxed=True)
    monkeypatch.setenv("JUPYTER_PATH", str(folder))
    monkeypatch.setenv(ZYGOTE_VARIABLE, str(path))

    def started() -> tuple[KernelManager, object]:
        runtime = Path(tempfile.mkdtemp(prefix="t", dir=tmp_path / "j"))
        manager = KernelManager(kernel_name=grading.KERNEL_NAME, transport="ipc", ip=str(runtime / "kernel"),
                                connection_file=str(runtime / "kernel.json"))
        manager.start_kernel()
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        return manager, client

    def run(code: str) -> str:
        manager, client = started()
        try:
            out: list[str] = []
            client.execute_interactive(code, timeout=60, output_hook=lambda message: out.append(
                message["content"].get("text", "")) if message["msg_type"] == "stream" else None)
            return "".join(out)
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=False)

    try:
        first = run("import os, sys; left_behind = 1; print('tensorflow' in sys.modules, os.getppid())")
        second = run("import os; print('left_behind' in globals(), os.getppid())")
        assert first.split()[0] == "True", "TensorFlow was imported before the notebook's first cell"
        assert second.split()[0] == "False", "nothing of the first kernel is in the second"
        assert first.split()[1] == second.split()[1], "both were forked from the one zygote"
        assert process.poll() is None, "the zygote outlives its kernels"
        manager, client = started()
        client.stop_channels()
        manager.provisioner.process.kill()  # the kernel's command, as nbgrader kills it at the time limit
        manager.provisioner.process.wait()
        assert run("print('served')").strip() == "served", "the zygote killed that kernel and serves the next"
    finally:
        zygote.stop(process)


def test_a_workers_job_is_one_students_notebooks_split_only_to_keep_every_worker_busy():
    tasks = [(student, Path(f"{notebook}.ipynb")) for student in ("ada", "bo") for notebook in ("01", "02", "03")]
    assert sorted(grading.jobs_of(tasks, 2)) == [[0, 1, 2], [3, 4, 5]], "one job a student"
    assert sorted(grading.jobs_of(tasks[:3], 2)) == [[0, 2], [1]], "a class of one is split between two workers"
    assert grading.jobs_of(tasks[:1], 2) == [[0]] and grading.jobs_of([], 2) == []
