"""How long grading a class takes: N made-up students, each handing in the whole series.

    python benchmarks/grading.py --students 30 --out class-of-30

Builds the student edition, fills it in for each made-up student (each exercise answered right,
left blank or answered wrongly, in a pattern that differs from student to student), grades the
class with ``python -m classroom grade`` (sandboxed, two notebooks at a time) and prints the
total time, the time per student, the median seconds per notebook and the load average (on a
shared machine the times also count other people's work). The grade table and the
feedback pages stay in ``--out`` to be looked at.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from classroom import edition
from classroom.course import CODE_STUB, series_notebooks

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
    """``folder/submissions/<student>/<notebook>.ipynb`` for ``students`` made-up students."""
    released = edition.build(folder / "student-edition") / "notebooks"
    for full in series_notebooks():
        blank = json.loads((released / full.name).read_text(encoding="utf-8"))
        answers = worked_answers(full)
        for student in range(students):
            target = folder / "submissions" / f"student-{student + 1:02d}" / full.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(submission(blank, answers, student)), encoding="utf-8")
    return folder / "submissions"


def report(table: Path, seconds: float, students: int) -> None:
    """Print the total, per student and per notebook times, and how the statuses came out.

    On a shared machine the times also count other people's work: the load average says how much.
    """
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    print(f"{students} students x {len(series_notebooks())} notebooks: {len(rows)} graded in {seconds:.0f} s "
          f"({seconds / 60:.1f} min; {seconds / students:.0f} s per student); load average now "
          f"{os.getloadavg()[0]:.1f}")
    for name in sorted({row["notebook"] for row in rows}):
        times = [float(row["seconds"]) for row in rows if row["notebook"] == name]
        print(f"  {name:<36} median {statistics.median(times):5.0f} s, longest {max(times):5.0f} s")
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
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "classroom", "grade", str(submissions), "--out",
                    str(options.out / "grades.csv"), "--workers", str(options.workers)], check=True)
    report(options.out / "grades.csv", time.monotonic() - start, options.students)


if __name__ == "__main__":
    main()
