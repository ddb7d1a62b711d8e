"""Notebook hygiene and teaching structure: what nbval alone would let through.

nbval passes a code cell that has no stored output, and a ``%magic`` usage error, without
checking anything; these tests fail on those, and check every notebook has the parts a
classroom needs (objectives, time, prerequisites, self-checks, summary, glossary,
exercises with hidden solutions, discussion questions) and the same Colab set-up.
"""

import json
import re
import textwrap
from pathlib import Path

import pytest
from exercise_tools import USES_YOUR_FUNCTIONS_TAG

from helpers.setup import REPOSITORY

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("0*.ipynb"))
TF_LOG_LINE = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d|absl::InitializeLog|oneDNN custom operations|cuda",
                         re.M)
PYTHON_WARNING = re.compile(r"\b\w*Warning: ")  # what warnings.warn prints: "...py:74: UserWarning: ..."
MAX_CODE_LINES = 15
MAX_LINE_CHARACTERS = 100  # what JupyterLab shows of a line at 1280 px with the file browser open
IGNORE_TAG = "nbval-ignore-output"  # nbval shows the output but does not compare it
TOLERANCE_TAG = "depends-on-training"  # numbers compared within tests/nbval_tolerance.py's tolerances
SMALL_SAMPLE_TAG = "small-sample"  # with TOLERANCE_TAG: shares measured on a few hundred images
# hide-input: folded on the website; uses-your-functions: runs functions the learner wrote (04)
KNOWN_TAGS = {IGNORE_TAG, TOLERANCE_TAG, SMALL_SAMPLE_TAG, USES_YOUR_FUNCTIONS_TAG, "hide-input"}
REQUIRED_HEADINGS = ["Learning objectives", "Estimated time", "Prerequisites", "Summary", "Glossary",
                     "Exercises", "Discussion"]


def cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def code_cells(notebook: Path) -> list[dict]:
    return [cell for cell in cells(notebook) if cell["cell_type"] == "code"]


def markdown(notebook: Path) -> str:
    return "\n".join(source(cell) for cell in cells(notebook) if cell["cell_type"] == "markdown")


def stream_text(cell: dict, name: str) -> str:
    return "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                   if o["output_type"] == "stream" and o.get("name") == name)


def test_the_series_has_its_notebooks():
    assert [nb.name[:2] for nb in NOTEBOOKS] == [f"{n:02d}" for n in range(1, len(NOTEBOOKS) + 1)]
    assert len(NOTEBOOKS) >= 1


@pytest.fixture(params=NOTEBOOKS, ids=[nb.stem for nb in NOTEBOOKS])
def notebook(request) -> Path:
    return request.param


def test_execution_counts_run_one_to_n(notebook):
    counts = [cell["execution_count"] for cell in code_cells(notebook)]
    assert counts == list(range(1, len(counts) + 1)), "refresh with scripts/refresh_notebooks.sh"


def folded(cell: dict) -> bool:
    """The Colab fetching cell, folded away: it prints nothing outside Colab, and the set-up cell follows it."""
    return cell["metadata"].get("jupyter", {}).get("source_hidden", False)


def test_every_code_cell_has_stored_output(notebook):
    empty = [source(cell)[:60] for cell in code_cells(notebook) if not cell["outputs"] and not folded(cell)]
    assert not empty, f"nbval checks nothing in these cells; make each show a result: {empty}"


def test_no_errors_usage_errors_or_tensorflow_logs_stored(notebook):
    for cell in code_cells(notebook):
        assert not [o for o in cell["outputs"] if o["output_type"] == "error"], source(cell)[:80]
        everything = stream_text(cell, "stdout") + stream_text(cell, "stderr")
        assert "UsageError" not in everything, source(cell)[:80]
        assert not TF_LOG_LINE.search(stream_text(cell, "stderr")), source(cell)[:80]
        warning = PYTHON_WARNING.search(stream_text(cell, "stderr"))
        assert not warning, f"a warning a learner would see: {source(cell)[:80]}"


def test_prose_before_every_code_cell_and_cells_short(notebook):
    all_cells = cells(notebook)
    for previous, cell in zip(all_cells, all_cells[1:]):
        if cell["cell_type"] == "code":
            assert previous["cell_type"] == "markdown" or folded(previous), f"no prose before: {source(cell)[:80]}"
            lines = [line for line in source(cell).splitlines() if line.strip()]
            assert len(lines) <= MAX_CODE_LINES, f"cell too long ({len(lines)} lines): {source(cell)[:80]}"


def test_code_lines_fit_on_a_laptop_screen(notebook):
    """Every line of code a reader meets: the code cells (worked answers and hidden tests too, which a
    teacher reads) and the ```python blocks of the written solutions; a longer line is cut off at the
    right edge of JupyterLab or scrolls sideways on the website."""
    for cell in cells(notebook):
        if cell["cell_type"] == "code":
            blocks = [source(cell)]
        else:
            blocks = [textwrap.dedent(block) for block in re.findall(r"```python\n(.*?)```", source(cell), re.S)]
        for block in blocks:
            long_lines = [line for line in block.splitlines() if len(line) > MAX_LINE_CHARACTERS]
            assert not long_lines, f"lines over {MAX_LINE_CHARACTERS} characters (wrap them): {long_lines}"


def tags(cell: dict) -> list[str]:
    return cell["metadata"].get("tags", [])


def test_test_tool_markers_live_in_tags_not_in_the_code(notebook):
    for cell in code_cells(notebook):
        assert "NBVAL" not in source(cell), f"use the cell tag {IGNORE_TAG}, not a comment: {source(cell)[:60]}"
        assert set(tags(cell)) <= KNOWN_TAGS, f"unknown tag (a typo checks nothing): {tags(cell)}"
        assert not (IGNORE_TAG in tags(cell) and TOLERANCE_TAG in tags(cell)), source(cell)[:60]
        assert SMALL_SAMPLE_TAG not in tags(cell) or TOLERANCE_TAG in tags(cell), source(cell)[:60]


def test_no_bare_true_or_false_under_a_cell(notebook):
    for cell in code_cells(notebook):
        results = ["".join(o["data"].get("text/plain", "")) for o in cell["outputs"]
                   if o["output_type"] == "execute_result"]
        assert not set(results) & {"True", "False"}, f"say what was compared, in words: {source(cell)[-80:]}"


def test_ignored_outputs_are_followed_by_a_checked_cell(notebook):
    code = code_cells(notebook)
    for index, cell in enumerate(code):
        if IGNORE_TAG in tags(cell):
            assert index + 1 < len(code), "an ignored cell cannot be the last code cell"
            follower = code[index + 1]
            assert IGNORE_TAG not in tags(follower) and follower["outputs"], (
                f"after the ignored cell {source(cell)[:60]!r} comes no checked summary")


def test_teaching_structure(notebook):
    text = markdown(notebook)
    headings = re.findall(r"^#+\s*(.+)$", text, re.M)
    for required in REQUIRED_HEADINGS:
        assert any(required.lower() in heading.lower() for heading in headings), f"no '{required}' heading"
    objectives = text.split("Learning objectives", 1)[1].split("\n#", 1)[0]
    assert 3 <= len(re.findall(r"^\s*[-*\d]", objectives, re.M)) <= 5, "3 to 5 learning objectives"
    exercises = text.split("Exercises", 1)[1]
    assert exercises.count("<details>") >= 3 and exercises.count("</details>") >= 3, "3 solutions in <details>"


def test_at_least_two_passing_self_checks(notebook):
    checks = [cell for cell in code_cells(notebook) if source(cell).lstrip().startswith("# Self-check")]
    assert len(checks) >= 2
    for cell in checks:
        assert "✗ Not yet" not in stream_text(cell, "stdout"), "stored self-checks must pass"
        results = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
        assert not results, f"a self-check shows its message only, no stray value: {source(cell)[:60]}"


def test_colab_badge_and_setup_cells_name_the_one_repository(notebook):
    first = source(cells(notebook)[0])
    badge = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/{notebook.name}"
    assert badge in first, "the first cell carries this notebook's Colab badge"
    assert "![" not in first, "a text link, not a badge image fetched from the web: the notebook stays offline"
    fetch, setup = code_cells(notebook)[:2]
    assert f'REPOSITORY = "{REPOSITORY}"' in source(fetch)
    assert "pip install" not in source(fetch), "Colab's TensorFlow and numpy must not be reinstalled"
    assert source(setup) == "from helpers.setup import setup_notebook\n\nsetup_notebook()", \
        "the first code a learner reads is two short lines"


def test_colab_fetching_is_folded_away_in_jupyterlab_colab_and_the_website(notebook):
    fetch = code_cells(notebook)[0]
    assert fetch["metadata"]["jupyter"]["source_hidden"] is True  # JupyterLab and Notebook 7
    assert fetch["metadata"]["cellView"] == "form" and source(fetch).startswith("#@title ")  # Colab
    assert "hide-input" in fetch["metadata"]["tags"]  # the website
    assert not fetch["outputs"], "outside Colab the fetching cell prints nothing"


def test_every_notebook_uses_the_same_setup_cells():
    setups = {nb.name: tuple(source(cell) for cell in code_cells(nb)[:2]) for nb in NOTEBOOKS}
    assert len(set(setups.values())) == 1, setups


# Coding exercises (nbgrader cells): a solution cell holds the worked answer between nbgrader's
# markers, and the next code cell is its graded check, a self-check with points; markers appear
# nowhere else, so the full edition shows few of them.
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
NBGRADER_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task", "points"}


def nbgrader(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def test_coding_exercises_are_well_formed_nbgrader_cells(notebook):
    code = code_cells(notebook)
    grade_ids = [nbgrader(cell)["grade_id"] for cell in code if nbgrader(cell)]
    assert len(grade_ids) == len(set(grade_ids)), "grade_id must be unique in a notebook"
    assert all(grade_id.startswith(notebook.name[:2] + "-") for grade_id in grade_ids), grade_ids
    for index, cell in enumerate(code):
        meta, text = nbgrader(cell), source(cell)
        assert set(meta) <= NBGRADER_KEYS and meta.get("schema_version", 3) == 3, meta
        solution = meta.get("solution", False)
        assert all((marker in text) == solution for marker in SOLUTION_MARKERS), (
            f"solution markers belong in (and only in) cells marked as solutions: {text[:60]}")
        assert meta.get("grade") or not any(marker in text for marker in HIDDEN_MARKERS), "hidden tests: checks only"
        assert not (solution and meta.get("grade")), "a check is a separate cell after the solution"
        if solution:
            check = nbgrader(code[index + 1]) if index + 1 < len(code) else {}
            assert check.get("grade") and check.get("locked"), f"no graded check after {text[:60]}"
        if meta.get("grade"):
            assert meta.get("points", 0) > 0 and meta["locked"], meta
            assert text.startswith("# Self-check"), "a graded check is a self-check a learner can run"


def test_markers_are_explained_where_the_exercises_start():
    explained = [nb.name for nb in NOTEBOOKS if "`###` mark" in markdown(nb)]
    first = next((nb.name for nb in NOTEBOOKS if any(nbgrader(cell) for cell in code_cells(nb))), None)
    assert first is None or first in explained, "the first notebook with exercises explains the markers"


def test_no_self_check_arrives_with_its_answer_typed_in(notebook):
    for cell in code_cells(notebook):
        if not nbgrader(cell).get("solution"):
            assert not re.search(r"#\s*(your answer|try your own)", source(cell), re.I), (
                f"a pre-answered self-check: make it a coding exercise with a graded check: {source(cell)[:60]}")


# Structure a screen reader navigates by: headings (one title, no skipped levels) and link texts
# that say where they go (WCAG 1.3.1, 2.4.4, 2.4.6).
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
VAGUE_LINK_TEXTS = {"here", "click here", "this", "this link", "link", "more", "read more", "this page", "there"}
BARE_URL = re.compile(r"(?<![(<\"'=])\bhttps?://[^\s)>\]]+")


def prose(cell: dict) -> str:
    """A markdown cell's text without its fenced code blocks (their '#' lines are comments, not headings)."""
    return FENCE.sub("", source(cell))


def heading_problems(markdown_sources: list[str]) -> list[str]:
    """What is wrong with the headings of a notebook's markdown cells: not one H1 at the top, or a skipped level."""
    levels = [(len(hashes), text) for text_of_cell in markdown_sources
              for hashes, text in HEADING.findall(FENCE.sub("", text_of_cell))]
    first = HEADING.search(FENCE.sub("", markdown_sources[0])) if markdown_sources else None
    problems = []
    if [text for level, text in levels if level == 1] != ([first.group(2)] if first and len(first.group(1)) == 1
                                                          else [None]):
        problems.append("not exactly one H1, the notebook's title, at the top")
    problems += [f"heading level skipped before {'#' * level} {text}"
                 for (previous, _), (level, text) in zip(levels, levels[1:]) if level > previous + 1]
    return problems


def link_problems(markdown_source: str) -> list[str]:
    """Links whose text does not say where they go, images without alternative text, bare addresses."""
    text, problems = FENCE.sub("", markdown_source), []
    for label, url in LINK.findall(text):
        words = re.sub(r"[`*_!]|\[.*?\]\(.*?\)", "", label).strip().lower()
        if not words and not IMAGE.search(label):
            problems.append(f"a link without text: {url}")
        elif words in VAGUE_LINK_TEXTS:
            problems.append(f"link text {label!r} does not say where it goes ({url})")
        elif words.startswith(("http://", "https://", "www.")):
            problems.append(f"a bare address as link text: {label}")
    problems += [f"an image without alternative text: {url}" for alt, url in IMAGE.findall(text) if not alt.strip()]
    problems += [f"a bare address in the text: {url}" for url in BARE_URL.findall(LINK.sub("", IMAGE.sub("", text)))]
    return problems


def test_one_title_and_no_skipped_heading_levels(notebook):
    assert not heading_problems([source(cell) for cell in cells(notebook) if cell["cell_type"] == "markdown"])


def test_link_texts_say_where_they_go(notebook):
    problems = [problem for cell in cells(notebook) if cell["cell_type"] == "markdown"
                for problem in link_problems(source(cell))]
    assert not problems, problems


def test_the_structure_checks_catch_what_they_look_for():
    assert heading_problems(["# Title\n## A\n### B", "## C\n```\n# a comment\n```"]) == []
    assert heading_problems(["# Title\n### Skipped"]) == ["heading level skipped before ### Skipped"]
    assert heading_problems(["# Title", "# Another"]) == ["not exactly one H1, the notebook's title, at the top"]
    assert heading_problems(["## No title"]) == ["not exactly one H1, the notebook's title, at the top"]
    assert link_problems("See [the data's README](data/README.md).") == []
    assert len(link_problems("Click [here](https://example.org) or [this](a.md).")) == 2
    assert link_problems("At https://example.org/x.") == ["a bare address in the text: https://example.org/x."]
    assert link_problems("[https://example.org](https://example.org)") == [
        "a bare address as link text: https://example.org"]
    assert link_problems("![](figure.png)") == ["an image without alternative text: figure.png"]


def test_figure_outputs_carry_their_description(notebook):
    for cell in code_cells(notebook):
        for output in cell["outputs"]:
            data = output.get("data", {})
            if "image/png" in data:
                text = "".join(data.get("text/plain", ""))
                assert text and not text.startswith("<Figure"), (
                    f"a figure without a text alternative (refresh the notebook): {source(cell)[:60]}")


# A stated training time must hold for the run stored on the page: (notebook, the prose cell that
# states it, the cell that trains). The prose says "N to M seconds", "up to two [minutes]" or "one to
# two minutes"; the stored log says each epoch's seconds ("- 6s -") or "in 74 s".
STATED_TIMES = [("03_training", "cell-007", "cell-008"), ("03_training", "cell-017", "cell-018"),
                ("08_going_further", "10a86c10", "56504ba3")]
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def stated_limit_seconds(prose: str) -> float:
    """The longest time a sentence allows: "10 to 40 seconds" -> 40, "up to two on a busy one" -> 120."""
    text = " ".join(prose.split())
    ranges = re.findall(r"(\w+) to (\w+) (seconds|minutes)", text)
    ups = re.findall(r"up to (\w+)", text)
    limits = [float(NUMBER_WORDS.get(high, high)) * (60 if unit == "minutes" else 1) for _, high, unit in ranges]
    limits += [60.0 * NUMBER_WORDS[word] for word in ups if word in NUMBER_WORDS]
    assert limits, f"no stated time found in: {text[:120]}"
    return max(limits)


def stored_seconds(cell: dict) -> float:
    """The seconds a training cell's stored output reports: its epochs added up, or its "in N s"."""
    text = stream_text(cell, "stdout")
    epochs = re.findall(r" - (?:(\d+)m )?(\d+)s - ", text)
    if epochs:
        return sum(60 * int(minutes or 0) + int(seconds) for minutes, seconds in epochs)
    return float(re.search(r"in (\d+) s\b", text).group(1))


def test_stated_limit_seconds_reads_the_phrases_the_notebooks_use():
    assert stated_limit_seconds("This takes 10 to 40 seconds, depending on the computer") == 40
    assert stated_limit_seconds("in under a minute on a quiet\n2-core laptop (up to two on a busy one).") == 120
    assert stated_limit_seconds("Training takes one to two minutes on a quiet 2-core laptop") == 120
    assert stored_seconds({"outputs": [{"output_type": "stream", "name": "stdout",
                                        "text": "563/563 - 8s - 14ms/step\n563/563 - 1m 2s - 9ms/step\n"}]}) == 70


@pytest.mark.parametrize("name, prose_id, training_id", STATED_TIMES)
def test_a_stated_training_time_holds_for_the_stored_run(name, prose_id, training_id):
    by_id = {cell.get("id"): cell for cell in cells(NOTEBOOK_DIR / f"{name}.ipynb")}
    limit, took = stated_limit_seconds(source(by_id[prose_id])), stored_seconds(by_id[training_id])
    assert took <= limit, f"{name}: the page says at most {limit:.0f} s, its stored run took {took:.0f} s"


def lesson_length():
    """scripts/lesson_length.py, imported (scripts/ is not a package)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("lesson_length", ROOT / "scripts" / "lesson_length.py")
    module = sys.modules["lesson_length"] = importlib.util.module_from_spec(spec)  # dataclasses look it up there
    spec.loader.exec_module(module)
    return module


def test_each_notebook_states_the_time_it_takes_and_readme_agrees(notebook):
    lengths = lesson_length()
    stated, estimate = lengths.stated_minutes(notebook), lengths.estimate(notebook).minutes
    assert stated is not None, "the first cell states the estimated time in minutes"
    assert abs(stated - estimate) <= 5, f"states {stated} minutes; reading, running and exercises take {estimate:.0f}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| {notebook.name[:2]} |"))
    assert f"| {stated} min |" in row, f"README's table gives another time for {notebook.name}"
