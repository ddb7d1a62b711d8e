"""``python -m classroom learner-edition``, ``student-edition`` and ``grade``: see notebooks/TEACHING.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from classroom import edition, grading, learner


def parse(arguments: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m classroom", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    learning = commands.add_parser("learner-edition",
                                   help="write learner/: the notebooks with blank exercises and folded solutions")
    learning.add_argument("--out", type=Path, default=learner.LEARNER_DIR, help="default: %(default)s")
    learning.add_argument("--check", action="store_true",
                          help="write nothing; fail if the folder is out of date with notebooks/")
    student = commands.add_parser("student-edition", help="write the student edition of the notebooks")
    student.add_argument("--out", type=Path, default=Path("student-edition"), help="a new folder")
    student.add_argument("--keep-solutions", action="store_true",
                         help="keep the end-of-notebook exercises' solutions (for self-study)")
    student.add_argument("--zip", action="store_true", help="also pack the folder into a .zip to hand out")
    grade = commands.add_parser("grade", help="grade a folder of submissions: SUBMISSIONS/<student>/<notebook>")
    grade.add_argument("submissions", type=Path)
    grade.add_argument("--out", type=Path, default=Path("grades.csv"),
                       help="the CSV table to write; the feedback pages go to feedback/ beside it")
    grade.add_argument("--time-limit", type=float, default=grading.TIME_LIMIT,
                       help="seconds each notebook may run (default %(default)s)")
    grade.add_argument("--workers", type=int, default=grading.WORKERS,
                       help="notebooks graded at a time (default %(default)s: one per core of a 2-core laptop)")
    grade.add_argument("--unsafe", action="store_true",
                       help="grade even where no sandbox can be had: submissions then run with your rights")
    return parser.parse_args(arguments)


def main(arguments: list[str] | None = None) -> None:
    options = parse(arguments)
    if options.command == "learner-edition":
        learner.main(options.out, options.check)
    elif options.command == "student-edition":
        edition.main(options.out, options.keep_solutions, options.zip)
    else:
        if options.workers < 1:
            raise SystemExit("--workers must be 1 or more")
        grading.main(options.submissions, options.out, options.time_limit, options.unsafe, options.workers)


if __name__ == "__main__":
    main()
