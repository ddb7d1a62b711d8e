"""How long grading a class takes: N made-up students, each handing in the whole series.

    python benchmarks/grading.py --students 30 --out class-of-30

Builds the student edition, fills it in for each made-up student (each exercise answered right,
left blank or answered wrongly, in a pattern that differs from student to student), grades the
class with ``python -m classroom grade`` (sandboxed, two notebooks at a time) and prints the
total time, the time per student, the median seconds per notebook, the points each student got
against the points their pattern of answers deserves (so it is plain the grading was real), the
CPU seconds grading used (which other people's work does not inflate) and the load average
before and after (on a shared machine the times also count other people's work). The grade
table and the feedback pages stay in ``--out`` to be looked at.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from classroom import edition
from classroom.course import CODE_STUB, exercise_dependencies, series_notebooks, worked_hand_in

WORKED = re.compile(r"[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION[ \t]*", re.S)
WRONG_ANSWER = "return None"


def worked_answers(notebook: Path) -> dict[str, str]:
    """grade_id -> the full edition's answer (dedented) of every solution cell of a notebook."""
    answers = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            lines = WORKED.search("".join(cell["source"])).group(1).splitlines()
            indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
            answers[meta["grade_id"]] = "\n".join(line[indent:] for line in lines)
    return answers


def fill_in(cell_source: str, answer: str) -> str:
    """A student-edition solution cell with ``answer`` in place of its stub, indented like the stub."""
    line = next(line for line in cell_source.splitlines() if CODE_STUB in line)
    indent = line[:len(line) - len(line.lstrip())]
    return cell_source.replace(line, "\n".join(indent + part for part in answer.splitlines()), 1)


def choices(notebook: dict, answers: dict[str, str], student: int) -> dict[str, int]:
    """grade_id -> 0 (answered right), 1 (left blank) or 2 (answered wrongly) for student number ``student``."""
    ids = [cell["metadata"]["nbgrader"]["grade_id"] for cell in notebook["cells"]
           if cell["metadata"].get("nbgrader", {}).get("grade_id") in answers]
    return {grade_id: (student + index) % 3 for index, grade_id in enumerate(ids)}


def deserved(full: Path, answers: dict[str, str], student: int) -> float:
    """The points student number ``student`` deserves in notebook ``full``: those of the checks of the
    exercises answered right (each exercise's check is the graded cell that follows its solution cell)."""
    notebook = json.loads(full.read_text(encoding="utf-8"))
    right = {grade_id for grade_id, choice in choices(notebook, answers, student).items() if choice == 0}
    chained = exercise_dependencies(full)  # 04's step passes only once the four it calls do
    right = {grade_id for grade_id in right if chained.get(grade_id, set()) <= right}
    points, current = 0.0, None
    for cell in notebook["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") in answers:
            current = meta["grade_id"]
        elif meta.get("grade") and current is not None:
            points += meta.get("points", 0) if current in right else 0
            current = None
    return points


def submission(blank: dict, answers: dict[str, str], student: int) -> dict:
    """The student edition as student number ``student`` hands it in: right, blank or wrong, in turn."""
    notebook = json.loads(json.dumps(blank))
    for index, cell in enumerate(cell for cell in notebook["cells"]
                                 if cell["metadata"].get("nbgrader", {}).get("grade_id") in answers):
        choice = (student + index) % 3
        if choice == 0:
            cell["source"] = fill_in("".join(cell["source"]), answers[cell["metadata"]["nbgrader"]["grade_id"]])
        elif choice == 2:
            cell["source"] = fill_in("".join(cell["source"]), WRONG_ANSWER)
    return notebook


def make_class(folder: Path, students: int) -> Path:
    """``folder/submissions/<student>/<notebook>.ipynb`` for ``students`` made-up students, with 08's
    network handed in by those who answered that exercise right."""
    released = edition.build(folder / "student-edition") / "notebooks"
    hand_in = worked_hand_in(folder / "hand-in")
    for full in series_notebooks():
        blank = json.loads((released / full.name).read_text(encoding="utf-8"))
        answers = worked_answers(full)
        for student in range(students):
            target = folder / "submissions" / f"student-{student + 1:02d}" / full.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(submission(blank, answers, student)), encoding="utf-8")
            if choices(blank, answers, student).get("08-my-network") == 0:  # answered right
                for path in hand_in:
                    shutil.copy2(path, target.parent / path.name)
    return folder / "submissions"


def tree_cpu_seconds(root: int, stop: threading.Event, seen: dict[int, float]) -> None:
    """Until ``stop``: every quarter second, the CPU seconds of ``root`` and every process below it, by pid.

    getrusage cannot count the kernels: bubblewrap's sandbox leaves them unwaited for. Each process's
    last quarter second of CPU may be missed, so the figure is a little low.
    """
    tick = os.sysconf("SC_CLK_TCK")
    while not stop.wait(0.25):
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
        for pid, (_, cpu) in parents.items():
            ancestor, depth = pid, 0
            while ancestor != root and ancestor in parents and depth < 50:
                ancestor, depth = parents[ancestor][0], depth + 1
            if ancestor == root:
                seen[pid] = max(seen.get(pid, 0.0), cpu)


def report(table: Path, seconds: float, students: int, cpu: float, load_before: float) -> None:
    """Print the total, per student and per notebook times, each student's points, how the statuses came out.

    On a shared machine the times also count other people's work: the load average says how much;
    the CPU seconds (grading's own processes: nbgrader, the kernels) do not.
    """
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    load = os.getloadavg()
    print(f"{students} students x {len(series_notebooks())} notebooks: {len(rows)} graded in {seconds:.0f} s "
          f"({seconds / 60:.1f} min; {seconds / students:.0f} s per student); CPU {cpu:.0f} s "
          f"({cpu / len(rows):.1f} s per notebook); load average before {load_before:.1f}, now "
          f"{load[0]:.1f} (1 min) {load[1]:.1f} (5 min) {load[2]:.1f} (15 min)")
    for name in sorted({row["notebook"] for row in rows}):
        times = [float(row["seconds"]) for row in rows if row["notebook"] == name]
        print(f"  {name:<36} median {statistics.median(times):5.0f} s, longest {max(times):5.0f} s")
    expected = {}
    for full in series_notebooks():
        answers = worked_answers(full)
        for student in range(students):
            expected[(f"student-{student + 1:02d}", full.stem)] = deserved(full, answers, student)
    print("points per student (got / deserved by the answers given / maximum):")
    for student in sorted({row["student"] for row in rows}):
        mine = [row for row in rows if row["student"] == student]
        got = sum(float(row["points"]) for row in mine)
        should = sum(expected.get((student, row["notebook"]), float("nan")) for row in mine)
        most = sum(float(row["maximum"]) for row in mine)
        each = " ".join(f"{row['notebook'][:2]}:{float(row['points']):g}" for row in mine)
        print(f"  {student}: {got:g} / {should:g} / {most:g}  ({each})")
    wrong = [key for key in expected if (row := next((r for r in rows if (r["student"], r["notebook"]) == key), None))
             and float(row["points"]) != expected[key]]
    print(f"notebooks whose points differ from what the answers deserve: {len(wrong)}"
          + (f" ({', '.join('/'.join(key) for key in wrong[:10])})" if wrong else ""))
    statuses = {row["status"] for row in rows}
    print("statuses:", ", ".join(f"{status} ({sum(row['status'] == status for row in rows)})"
                                 for status in sorted(statuses)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True, help="a new folder for the class and its grades")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    if options.out.exists():
        raise SystemExit(f"{options.out} exists: choose a new folder")
    submissions = make_class(options.out, options.students)
    load_before = os.getloadavg()[0]
    start = time.monotonic()
    grader = subprocess.Popen([sys.executable, "-m", "classroom", "grade", str(submissions), "--out",
                               str(options.out / "grades.csv"), "--workers", str(options.workers)])
    stop, cpu = threading.Event(), {}
    watcher = threading.Thread(target=tree_cpu_seconds, args=(grader.pid, stop, cpu))
    watcher.start()
    grader.wait()
    stop.set()
    watcher.join()
    if grader.returncode:
        raise SystemExit(f"grading failed ({grader.returncode})")
    report(options.out / "grades.csv", time.monotonic() - start, options.students, sum(cpu.values()), load_before)


if __name__ == "__main__":
    main()
