"""How long each notebook takes a learner: reading, running, the exercises and the waiting, section by section.

    python scripts/lesson_length.py                     # every notebook, with its sections
    python scripts/lesson_length.py notebooks/03*.ipynb
    python scripts/lesson_length.py --write             # ... and state it in each notebook and README

The estimate is a learner's, not a machine's: prose read at 175 words a minute (the middle of the
150-200 an adult reads study text at), 45 seconds to read and run each code cell, 5 minutes for
each "Your turn" exercise, plus the time the notebook's cells computed when its outputs were stored
(``scripts/refresh_notebooks.sh`` writes it into the notebook's metadata as ``run_seconds``).
Each notebook's "Estimated time" must state this figure (``tests/test_project.py`` checks it), and
notebooks/TEACHING.md plans its lessons from the sections' figures.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS_PER_MINUTE = 175
SECONDS_PER_CODE_CELL = 45
MINUTES_PER_EXERCISE = 5
EXERCISE = re.compile(r"\*\*Your turn\b")


@dataclass
class Section:
    """One part of a notebook under a level-2 heading."""
    title: str
    words: int = 0
    code_cells: int = 0
    exercises: int = 0

    @property
    def minutes(self) -> float:
        return (self.words / WORDS_PER_MINUTE + self.code_cells * SECONDS_PER_CODE_CELL / 60
                + self.exercises * MINUTES_PER_EXERCISE)


@dataclass
class Lesson:
    """A notebook's estimate: its sections, plus the seconds its cells computed."""
    name: str
    sections: list[Section] = field(default_factory=list)
    run_seconds: float = 0.0

    @property
    def minutes(self) -> float:
        return sum(section.minutes for section in self.sections) + self.run_seconds / 60


def visible_words(markdown: str) -> int:
    """Words a learner reads: links and HTML tags count as their text only."""
    text = re.sub(r"\]\([^)]*\)", "]", markdown)  # [text](address) -> [text]
    text = re.sub(r"<[^>]+>", " ", text)
    return len(re.findall(r"[\w'’.,%×/-]*\w", text))


def estimate(path: Path) -> Lesson:
    """Read ``path`` (a notebook) and estimate each of its sections and the whole."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    lesson = Lesson(path.stem, [Section("(title)")], notebook["metadata"].get("mnist", {}).get("run_seconds", 0.0))
    for cell in notebook["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code":
            lesson.sections[-1].code_cells += 1
            continue
        for part in re.split(r"^(?=## (?!#))", text, flags=re.MULTILINE):  # a cell may hold several sections
            heading = re.match(r"## (.+)", part)
            if heading:
                lesson.sections.append(Section(heading.group(1).strip()))
            lesson.sections[-1].words += visible_words(part)
            lesson.sections[-1].exercises += len(EXERCISE.findall(part))
    return lesson


STATED = re.compile(r"## Estimated time\s+(?:About )?(\d+) minutes", re.IGNORECASE)


def stated_minutes(path: Path) -> int | None:
    """The minutes a notebook's "Estimated time" states, or None if it states none."""
    first = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
    match = STATED.search(first)
    if not match:
        return None
    return int(match.group(1))


def rounded(minutes: float) -> int:
    """Minutes to the nearest 5, as a lesson's length is stated."""
    return 5 * round(minutes / 5)


def statement(lesson: Lesson) -> str:
    """The "Estimated time" paragraph: the whole, and what it is made of."""
    exercises = sum(section.exercises for section in lesson.sections)
    waiting = max(1, round(lesson.run_seconds / 60))
    reading = rounded(lesson.minutes) - exercises * MINUTES_PER_EXERCISE - waiting  # the parts add up to the whole
    return (f"About {rounded(lesson.minutes)} minutes: about {reading} to read the text and run the cells, "
            f"{MINUTES_PER_EXERCISE} for each of its {exercises} coding exercises, and "
            f"{waiting} waiting while the cells compute (on a 2-core "
            "computer; a slower laptop waits longer).")


def write(path: Path, lesson: Lesson) -> None:
    """State ``lesson``'s time in the notebook's first cell and in README's table of notebooks."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    first = "".join(notebook["cells"][0]["source"])
    paragraph = re.compile(r"(## Estimated time\s+).+?(\n\n|$)", re.DOTALL)  # up to the next blank line
    first = paragraph.sub(lambda match: match.group(1) + statement(lesson) + match.group(2), first, count=1)
    notebook["cells"][0]["source"] = first.splitlines(keepends=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    readme = ROOT / "README.md"
    text = re.sub(rf"(\| {path.name[:2]} \|[^\n]*?\| )\d+ min( \|)", rf"\g<1>{rounded(lesson.minutes)} min\2",
                  readme.read_text(encoding="utf-8"), count=1)
    readme.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--write", action="store_true", help="state each estimate in its notebook and in README")
    arguments = parser.parse_args()
    for path in arguments.notebooks or sorted((ROOT / "notebooks").glob("0*.ipynb")):
        lesson = estimate(path)
        print(f"{lesson.name}: about {lesson.minutes:.0f} minutes (states {stated_minutes(path)}), "
              f"of which {lesson.run_seconds / 60:.1f} computing")
        for section in lesson.sections:
            print(f"    {section.minutes:5.1f} min  {section.title} ({section.words} words, "
                  f"{section.code_cells} code cells, {section.exercises} exercises)")
        if arguments.write:
            write(path, lesson)


if __name__ == "__main__":
    main()
