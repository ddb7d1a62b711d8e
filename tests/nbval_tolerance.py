"""A pytest plugin: nbval's comparison of notebook outputs, read as a person reads numbers.

nbval compares every stored output with the fresh one exactly (after the sanitizers of
``notebooks/nbval_sanitize.cfg``). A number that comes out of training cannot be exact on every
machine: TensorFlow promises the same bits only on the same hardware, thread count and versions,
and another seed (``MNIST_SEED``) trains as another machine would. So a code cell tagged
``depends-on-training`` (a cell tag, which the learner never sees in the code) that fails the
exact comparison gets a second one. Its outputs must have the same kinds and count, the same
text once every number is taken out (whitespace aside: padding and the wrapping of arrays
change with the width of a number), and each number must lie within its tolerance of the
stored one:

- a **share** (a percentage, or a decimal between -1 and 1: accuracies, confidences, losses,
  probabilities) may move by 10% of its distance to the nearer end of its range, and always by
  0.5 points: "97.74%" may read 97.24-98.24%, a loss of 0.0833 0.0783-0.0883;
- a number followed by **points** is a difference of two percentages in percentage points
  ("+0.44 points"): it gets the sum of its two shares' tolerances, 1 point;
- a larger decimal (a temperature of 1.13) or a **count** (226 mistakes) may move by 10%;
  a count below 10, like a digit's label, must be exact;
- in cells that also carry the tag ``small-sample`` (one digit's thousand test images, a
  confidence band's few hundred answers, or a network trained on only 10,000 images, as the
  original recipe is) a share may always move by 3 points, a points difference by 6;
- where the seeds measured a wider spread for a number, ``spread`` in the cell's metadata
  (written by ``scripts/measure_seed_spread.py`` from runs with seeds 1, 2 and 3) holds twice
  the largest move measured, in the number's own unit (at most 3 points for an accuracy, 6 in
  small-sample cells, 30% for a loss or a count), and the number may move so far.
  Counts below 10 stay exact whatever was measured.

Every other cell, and everything but the numbers of a tagged cell (words, ✓ and ✗, True and
False, the order of lines), is still compared exactly. Registered with ``-p nbval_tolerance``
in pyproject.toml; ``tests/test_validation.py`` pins every rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

TOLERANCE_TAG = "depends-on-training"
SMALL_SAMPLE_TAG = "small-sample"
SPREAD_KEY = "spread"  # cell metadata: the measured tolerance of each number, in order (None: the rule's)
SHARE_FLOOR = 0.005
SMALL_SAMPLE_SHARE_FLOOR = 0.03
RELATIVE = 0.10
EXACT_BELOW = 10  # counts below this (labels, digits, small counts) must match exactly
NUMBER = re.compile(r"(?<![\w.])([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?%?)")
POINTS = re.compile(r"\s*(?:percentage\s+)?points?\b")
WHITESPACE = re.compile(r"\s+")


def number_value(text: str) -> float:
    """The value of a printed number such as '1,438', '97.74%' (0.9774) or '-2.5e-03'."""
    value = float(text.rstrip("%").replace(",", ""))
    return value / 100 if text.endswith("%") else value


def number_kind(text: str, following: str = "") -> str:
    """'points', 'share', 'decimal' or 'integer': which rule a printed number follows.

    ``following`` is the text after the number: "points" there makes it a difference of percentages.
    """
    if POINTS.match(following):
        return "points"
    if text.endswith("%") or (re.search(r"[.eE]", text) and abs(number_value(text)) <= 1):
        return "share"
    return "decimal" if re.search(r"[.eE]", text) else "integer"


def unit_value(text: str, kind: str) -> float:
    """The number in the unit its tolerance is stated in: shares and points as fractions."""
    value = number_value(text)
    return value / 100 if kind == "points" else value


def tolerance(text: str, following: str = "", *, small_sample: bool = False) -> float:
    """How far (in the number's own unit: a share or a points difference as a fraction) it may move."""
    kind = number_kind(text, following)
    floor = SMALL_SAMPLE_SHARE_FLOOR if small_sample else SHARE_FLOOR
    if kind == "points":
        return 2 * floor  # a difference of two shares: the sum of their tolerances
    value = abs(number_value(text))
    if kind == "share":
        return max(floor, RELATIVE * min(value, 1 - value))
    return RELATIVE * value


def exact_count(text: str, kind: str) -> bool:
    """A count below 10 (a label, a digit, a handful of images): never given any room."""
    return kind == "integer" and abs(number_value(text)) < EXACT_BELOW


def within_tolerance(stored: str, fresh: str, following: str = "", *, small_sample: bool = False,
                     measured: float | None = None) -> bool:
    """True if the printed number ``fresh`` is close enough to ``stored`` (``measured``: its seed spread)."""
    stored_kind, fresh_kind = number_kind(stored, following), number_kind(fresh, following)
    if stored_kind != fresh_kind and "integer" in (stored_kind, fresh_kind):
        return False
    if exact_count(stored, stored_kind):
        return stored == fresh
    allowed = max(tolerance(stored, following, small_sample=small_sample), measured or 0.0)
    return abs(unit_value(fresh, stored_kind) - unit_value(stored, stored_kind)) <= allowed + 1e-12


def split_numbers(text: str) -> tuple[list[str], list[str]]:
    """(the text between the numbers with all whitespace removed, the numbers as printed)."""
    parts = NUMBER.split(text)
    return [WHITESPACE.sub("", part) for part in parts[::2]], parts[1::2]


def following_texts(text: str) -> list[str]:
    """The text after each number of ``text`` (up to the next number), to tell "points" apart."""
    return NUMBER.split(text)[2::2]


def tolerance_mismatch(stored: str, fresh: str, *, small_sample: bool = False,
                       measured: Sequence[float | None] = ()) -> str | None:
    """None if ``fresh`` matches ``stored`` up to the tolerances, else a sentence saying where not."""
    stored_text, stored_numbers = split_numbers(stored)
    fresh_text, fresh_numbers = split_numbers(fresh)
    if stored_text != fresh_text:
        return "the text around the numbers differs"
    spreads = list(measured) + [None] * (len(stored_numbers) - len(measured))
    for stored_number, fresh_number, following, spread in zip(stored_numbers, fresh_numbers,
                                                              following_texts(stored), spreads):
        if stored_number != fresh_number and not within_tolerance(
                stored_number, fresh_number, following, small_sample=small_sample, measured=spread):
            kind = number_kind(stored_number, following)
            limit = 0 if exact_count(stored_number, kind) else max(
                tolerance(stored_number, following, small_sample=small_sample), spread or 0.0)
            return f"{fresh_number} is too far from the stored {stored_number} (a {kind} may move by {limit:.4g})"
    return None


def comparable_texts(cell, outputs: list, skip: tuple) -> dict[str, list[str]]:
    """Each output kind (stdout, text/plain, ...) of ``outputs`` -> its sanitized texts, as nbval compares them."""
    from nbval.plugin import transform_streams_for_comparison

    flat: dict[str, list[str]] = {}
    for output in transform_streams_for_comparison(outputs):
        for key, value in output.items():
            items = value.items() if key == "data" else [(key, value)]
            for name, text in items:
                if key not in skip and name not in skip:
                    flat.setdefault(name, []).append(cell.sanitize(text))
    return flat


def measured_spreads(metadata: dict, key: str, index: int) -> list[float | None]:
    """The measured tolerances stored for the ``index``-th ``key`` output of a cell (empty if none)."""
    per_output = metadata.get(SPREAD_KEY, {}).get(key, [])
    return per_output[index] if index < len(per_output) else []


def tolerant_problems(cell, test: list, ref: list, skip: tuple) -> list[str]:
    """What still differs between a tagged cell's stored (``ref``) and fresh (``test``) outputs."""
    metadata = cell.cell.metadata
    small_sample = SMALL_SAMPLE_TAG in metadata.get("tags", [])
    stored, fresh = comparable_texts(cell, ref, skip), comparable_texts(cell, test, skip)
    problems = [f"'{key}': outputs differ in kind or count" for key in stored.keys() | fresh.keys()
                if len(stored.get(key, [])) != len(fresh.get(key, []))]
    for key in sorted(stored.keys() & fresh.keys()):
        for index, (a, b) in enumerate(zip(stored[key], fresh[key])):
            if not (isinstance(a, str) and isinstance(b, str)):
                problems += [f"'{key}': outputs differ"] if a != b else []
            elif problem := tolerance_mismatch(a, b, small_sample=small_sample,
                                               measured=measured_spreads(metadata, key, index)):
                problems.append(f"'{key}': {problem}")
    return problems


def install() -> None:
    """Give nbval's cell comparison the second, tolerant pass described above."""
    from nbval.plugin import IPyNbCell

    exact_comparison = IPyNbCell.compare_outputs
    if getattr(exact_comparison, "tolerant", False):
        return

    def compare_outputs(self: IPyNbCell, test: list, ref: list, skip_compare: tuple | None = None) -> bool:
        if exact_comparison(self, test, ref, skip_compare):
            return True
        if TOLERANCE_TAG not in self.cell.metadata.get("tags", []):
            return False
        problems = tolerant_problems(self, test, ref, skip_compare or self.parent.skip_compare)
        if not problems:
            self.comparison_traceback = []
            return True
        self.comparison_traceback.append(f"\nNot within the tolerances of {TOLERANCE_TAG} cells "
                                         "(tests/nbval_tolerance.py) either: " + "; ".join(problems))
        return False

    compare_outputs.tolerant = True
    IPyNbCell.compare_outputs = compare_outputs


@pytest.hookimpl
def pytest_configure(config: pytest.Config) -> None:
    """Install the tolerant comparison when nbval is in use."""
    if config.pluginmanager.hasplugin("nbval"):
        install()
