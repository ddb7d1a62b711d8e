"""Run the series with other seeds, compare each cell with its stored output as pytest does, and
measure how far each number that training decides moves.

Another seed trains as another computer would (TensorFlow promises the same bits only on the same
hardware, thread count and versions), so a run with seeds 1, 2 and 3 shows how much each stored
number may honestly move. Usage, from the project folder with the project's environment active:

    python scripts/measure_seed_spread.py                       # seeds 1 2 3, every notebook: a report
    python scripts/measure_seed_spread.py --write               # ... and store the spreads in the notebooks
    python scripts/measure_seed_spread.py --executed DIR        # reuse DIR/seed-N/<notebook> from an earlier run

It prints, for each seed, every code cell that does not match exactly: "within the rules" (the
tolerances of tests/nbval_tolerance.py), "needs the measured spread" (with the numbers that
moved further), or "FAILS" with the reason (a word, a label or the count of outputs changed:
such a cell must check its lesson instead of printing what a seed picks). With ``--write`` each
``depends-on-training`` cell gets, in its metadata (never seen by a learner), ``spread``: for
each of its numbers, twice the largest move measured over the seeds where that is wider than the
rule, else null. No spread is stored beyond a cap (3 points for an accuracy, 6 in small-sample
cells, 30% for a loss or a count): a number that moves further needs another way of checking. Running
the series once takes about 8 minutes on 2 cores; three seeds, about 25.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from nbval_tolerance import (  # noqa: E402
    SMALL_SAMPLE_TAG,
    SPREAD_KEY,
    TOLERANCE_TAG,
    exact_count,
    following_texts,
    number_kind,
    split_numbers,
    tolerance,
    unit_value,
)

SANITIZE = ROOT / "notebooks" / "nbval_sanitize.cfg"
SKIP = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
        "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg")
IGNORED_TAGS = {"nbval-ignore-output", "nbval-skip"}
MARGIN = 2.0  # the stored spread is twice the largest move seen (at most the cap): three seeds rarely show
MIN_MARGIN = 1.5  # the extremes; a move whose 1.5 times is beyond the cap fails instead
# No spread beyond these: a share or points difference 3 points (6 in small-sample cells) or 30% of its
# distance to the nearer end of its range, whichever is more; a larger decimal or a count 30%. A number
# that moves further needs another kind of check.
SHARE_CAP, SMALL_SAMPLE_SHARE_CAP, RELATIVE_CAP = 0.03, 0.06, 0.30


def sanitizer():
    """The sanitizing function nbval applies, from notebooks/nbval_sanitize.cfg."""
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8"))

    def sanitize(text):
        if not isinstance(text, str):
            return text
        for regex, replacement in patterns:
            text = re.sub(regex, replacement, text)
        return text

    return sanitize


def comparable(outputs: list, sanitize) -> dict[str, list]:
    """An output list flattened the way nbval compares it: output kind -> sanitized values."""
    from nbval.plugin import coalesce_streams, transform_streams_for_comparison

    flat: dict[str, list] = defaultdict(list)
    for output in transform_streams_for_comparison(coalesce_streams([nbformat.from_dict(o) for o in outputs])):
        for key, value in output.items():
            items = value.items() if key == "data" else [(key, value)]
            for name, text in items:
                if key not in SKIP and name not in SKIP:
                    flat[name].append(sanitize(text))
    return dict(flat)


def execute(notebook: Path, seed: int, output: Path, models: Path) -> None:
    """Run ``notebook`` top to bottom with ``MNIST_SEED=seed`` and write the executed copy to ``output``."""
    from nbclient import NotebookClient

    os.environ.update(MNIST_SEED=str(seed), MNIST_MODELS_DIR=str(models), TF_CPP_MIN_LOG_LEVEL="3")
    for variable in ("MPLBACKEND", "COLUMNS", "LINES"):
        os.environ.pop(variable, None)
    executed = nbformat.read(notebook, as_version=4)
    NotebookClient(executed, timeout=1800, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, output)


def moves(stored: str, fresh: str, small_sample: bool) -> list[tuple[float, float, str, str]] | str:
    """(move, rule's tolerance, kind, stored number) for every number, or why the texts cannot be compared."""
    stored_text, stored_numbers = split_numbers(stored)
    fresh_text, fresh_numbers = split_numbers(fresh)
    if stored_text != fresh_text:
        return "the text around the numbers differs"
    found = []
    for a, b, following in zip(stored_numbers, fresh_numbers, following_texts(stored)):
        kind = number_kind(a, following)
        if kind != number_kind(b, following) and "integer" in (kind, number_kind(b, following)):
            return f"{b} is not the same kind of number as the stored {a}"
        if exact_count(a, kind):
            if a != b:
                return f"the small count {a} became {b}"
            found.append((0.0, 0.0, kind, a))
            continue
        move = abs(unit_value(b, kind) - unit_value(a, kind))
        found.append((move, tolerance(a, following, small_sample=small_sample), kind, a))
    return found


def cell_moves(stored_cell, fresh_cell, sanitize) -> dict[str, list] | str | None:
    """None if the cell matches exactly; else its moves per output kind and index, or why it fails."""
    stored, fresh = comparable(stored_cell.outputs, sanitize), comparable(fresh_cell.outputs, sanitize)
    if stored == fresh:
        return None
    if TOLERANCE_TAG not in stored_cell.metadata.get("tags", []):
        return "differs, and the cell is not tagged depends-on-training"
    if stored.keys() != fresh.keys() or any(len(stored[k]) != len(fresh[k]) for k in stored):
        return "outputs differ in kind or count"
    small_sample = SMALL_SAMPLE_TAG in stored_cell.metadata.get("tags", [])
    result = {}
    for key in stored:
        result[key] = []
        for a, b in zip(stored[key], fresh[key]):
            if not (isinstance(a, str) and isinstance(b, str)):
                if a != b:
                    return f"'{key}' outputs differ"
                result[key].append([])
                continue
            found = moves(a, b, small_sample)
            if isinstance(found, str):
                return f"'{key}': {found}"
            result[key].append(found)
    return result


def needed_spread(move: float, rule: float, kind: str, stored: str, small_sample: bool = False) -> float | None:
    """The spread to store for one number (None: the rule is enough); raises if the move is beyond the cap."""
    if move * MARGIN <= rule + 1e-12:
        return None
    size = abs(unit_value(stored, kind))
    if kind in ("share", "points"):
        cap = max(SMALL_SAMPLE_SHARE_CAP if small_sample else SHARE_CAP, RELATIVE_CAP * min(size, 1 - size))
    else:
        cap = RELATIVE_CAP * size
    if move * MIN_MARGIN > cap:
        raise ValueError(f"{stored} moved by {move:.4g}: half again that is beyond the cap of {cap:.4g}")
    value = min(move * MARGIN, cap)
    return float(f"{math.ceil(value * 1e4) / 1e4:.4g}") if kind in ("share", "points") else float(f"{value:.3g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--executed", type=Path, help="a folder with seed-N/<notebook> runs to reuse")
    parser.add_argument("--write", action="store_true", help="store the spreads in the notebooks' cell metadata")
    arguments = parser.parse_args()
    notebooks = arguments.notebooks or sorted((ROOT / "notebooks").glob("0*.ipynb"))
    notebooks.sort(key=lambda path: not path.name.startswith("03"))  # 03 saves the model the others load
    folder = arguments.executed or Path(tempfile.mkdtemp(prefix="mnist-seeds-"))
    sanitize = sanitizer()
    failures = 0
    for notebook in notebooks:
        stored = nbformat.read(notebook, as_version=4)
        widest: dict[int, dict[str, list[list[float | None]]]] = {}
        for seed in arguments.seeds:
            executed_path = folder / f"seed-{seed}" / notebook.name
            if not executed_path.exists():
                start = time.monotonic()
                execute(notebook.resolve(), seed, executed_path, folder / f"seed-{seed}-models")
                print(f"ran {notebook.name} with seed {seed} in {time.monotonic() - start:.0f} s", flush=True)
            fresh = nbformat.read(executed_path, as_version=4)
            code = [(i, a, b) for i, (a, b) in enumerate(zip(stored.cells, fresh.cells)) if a.cell_type == "code"]
            for index, stored_cell, fresh_cell in code:
                if IGNORED_TAGS & set(stored_cell.metadata.get("tags", [])):
                    continue
                found = cell_moves(stored_cell, fresh_cell, sanitize)
                if found is None:
                    continue
                where = f"{notebook.name} cell {index}, seed {seed}"
                if isinstance(found, str):
                    print(f"{where}: FAILS: {found}")
                    failures += 1
                    continue
                over = [(m, r, a) for per_key in found.values() for output in per_key for m, r, _, a in output if m > r]
                print(f"{where}: " + ("within the rules" if not over else "needs the measured spread: " + ", ".join(
                    f"{a} moved {m:.4g} (rule {r:.4g})" for m, r, a in over)))
                cell_widest = widest.setdefault(index, {})
                tags = stored_cell.metadata.get("tags", [])
                for key, outputs in found.items():
                    slots = cell_widest.setdefault(key, [[None] * len(output) for output in outputs])
                    for slot, output in zip(slots, outputs):
                        for position, (move, rule, kind, text) in enumerate(output):
                            try:
                                spread = needed_spread(move, rule, kind, text, SMALL_SAMPLE_TAG in tags)
                            except ValueError as error:
                                print(f"{where}: FAILS: {error}")
                                failures += 1
                                continue
                            if spread is not None and (slot[position] is None or spread > slot[position]):
                                slot[position] = spread
        if arguments.write:
            for index, cell in enumerate(stored.cells):
                spreads = widest.get(index, {})
                if any(value is not None for outputs in spreads.values() for output in outputs for value in output):
                    cell.metadata[SPREAD_KEY] = spreads
                else:
                    cell.metadata.pop(SPREAD_KEY, None)
            nbformat.write(stored, notebook)
    print(f"{failures} cell comparisons fail beyond what a spread can cover; runs kept in {folder}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
