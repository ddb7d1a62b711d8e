"""Test-wide set-up, loaded by pytest before it starts any notebook kernel.

1. MPLBACKEND and COLUMNS change what notebooks print (figure reprs, Keras' summary
   width), so they are removed here for the kernels nbval starts.

2. nbval compares every stored output with the fresh one exactly (after the sanitizers of
   ``notebooks/nbval_sanitize.cfg``). A number that comes out of training cannot be exact
   on every machine: TensorFlow promises the same bits only on the same hardware, thread
   count and versions. So a code cell tagged ``depends-on-training`` (a cell tag, which
   the learner never sees in the code) that fails the exact comparison gets a second
   one: its outputs must have the same kinds, the same count and the same text once every
   number is taken out (runs of spaces aside, as number widths change the padding), and
   each number must lie within the tolerance stated below of the stored one. Every
   other cell, and everything but the numbers of a tagged cell (words, ✓ and ✗, True and
   False, the order of lines), is still compared exactly.

3. ``pytest`` runs on two worker processes (pytest-xdist; ``-n auto --maxprocesses 2 --dist
   loadfile`` in pyproject.toml), so one notebook trains while another draws. Each test file
   runs whole on one worker, in its own order. The files that load or save the series' trained
   model, ``models/dense_full.keras``, form one unit that runs on one worker in the usual
   order, so no file reads that model while another replaces it (the grader's 2-epoch runs
   overwrite it for a while). Notebook 03, which trains and saves that model in the open,
   runs first, so that no test has to train it before.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile

import pytest

for variable in ("MPLBACKEND", "COLUMNS", "LINES"):
    os.environ.pop(variable, None)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# The tests' own models folder (helpers.model reads MNIST_MODELS_DIR): made once by the main
# process, inherited by pytest-xdist's workers and every kernel, removed when the run ends.
# No test reads, trains over or deletes the learner's models/.
if "PYTEST_XDIST_WORKER" not in os.environ:
    os.environ["MNIST_MODELS_DIR"] = tempfile.mkdtemp(prefix="mnist-test-models-")

TRAINS_THE_MODEL = "notebooks/03_training.ipynb"  # trains and saves models/dense_full.keras
# Every test file or notebook that loads, trains or saves models/dense_full.keras.
SHARED_MODEL_FILES = {
    TRAINS_THE_MODEL, "notebooks/04_evaluating.ipynb", "notebooks/05_visualising_predictions.ipynb",
    "notebooks/06_draw_your_own_digit.ipynb", "notebooks/08_faster_and_trustworthy.ipynb",
    "tests/test_browser.py", "tests/test_classroom.py", "tests/test_mnist_js.py", "tests/test_preprocess.py",
    "tests/test_widgets.py",
}
TOLERANCE_TAG = "depends-on-training"
# The one statement of how far a number from training may move between machines. A share
# (a percentage, or a decimal between -1 and 1: accuracies, confidences, losses, ECE,
# probabilities, weights) may move by 10% of its distance to the nearer end of its range,
# and always by 0.5 points (0.005): "97.74%" may read 97.24-98.24%, "91.4%" 90.5-92.3%, a
# loss of 0.0833 0.0783-0.0883. A larger decimal (a temperature of 1.13) or a count (226
# mistakes) may move by 10%; a count below 10, like a digit's label, must be exact.
# A share measured on a small sample (one digit's thousand test images, or the few hundred
# answers in a confidence band) varies more from run to run: in cells that also carry the
# tag small-sample, a share may always move by 2 points (0.02).
SHARE_FLOOR = 0.005
SMALL_SAMPLE_TAG = "small-sample"
SMALL_SAMPLE_SHARE_FLOOR = 0.02
RELATIVE = 0.10
NUMBER = re.compile(r"(?<![\w.])([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?%?)")
SPACES = re.compile(r"\s+")


def number_kind(text: str) -> str:
    """'share', 'decimal' or 'integer': which rule of the tolerances a printed number follows."""
    if text.endswith("%") or (re.search(r"[.eE]", text) and abs(number_value(text)) <= 1):
        return "share"
    return "decimal" if re.search(r"[.eE]", text) else "integer"


def number_value(text: str) -> float:
    """The value of a printed number such as '1,438', '97.74%' (0.9774) or '-2.5e-03'."""
    value = float(text.rstrip("%").replace(",", ""))
    return value / 100 if text.endswith("%") else value


def tolerance(text: str, *, small_sample: bool = False) -> float:
    """How far (in the number's own unit: a share as a fraction) a printed number may move."""
    value = abs(number_value(text))
    if number_kind(text) == "share":
        floor = SMALL_SAMPLE_SHARE_FLOOR if small_sample else SHARE_FLOOR
        return max(floor, RELATIVE * min(value, 1 - value))
    return RELATIVE * value


def within_tolerance(stored: str, fresh: str, *, small_sample: bool = False) -> bool:
    """True if the printed number ``fresh`` is close enough to ``stored``."""
    if number_kind(stored) != number_kind(fresh) and "integer" in (number_kind(stored), number_kind(fresh)):
        return False
    return abs(number_value(fresh) - number_value(stored)) <= tolerance(stored, small_sample=small_sample) + 1e-12


def tolerance_mismatch(stored: str, fresh: str, *, small_sample: bool = False) -> str | None:
    """None if ``fresh`` matches ``stored`` up to the tolerances, else a sentence saying where not."""
    stored_parts, fresh_parts = NUMBER.split(stored), NUMBER.split(fresh)
    stored_text = [SPACES.sub(" ", part) for part in stored_parts[::2]]
    fresh_text = [SPACES.sub(" ", part) for part in fresh_parts[::2]]
    if stored_text != fresh_text:
        return "the text around the numbers differs"
    for stored_number, fresh_number in zip(stored_parts[1::2], fresh_parts[1::2]):
        if stored_number != fresh_number and not within_tolerance(stored_number, fresh_number,
                                                                  small_sample=small_sample):
            limit = tolerance(stored_number, small_sample=small_sample)
            return (f"{fresh_number} is too far from the stored {stored_number} (a "
                    f"{number_kind(stored_number)} may move by {limit:.4g})")
    return None


def install_tolerant_comparison() -> None:
    """Give nbval's cell comparison the second, tolerant pass described above."""
    from nbval.plugin import IPyNbCell, transform_streams_for_comparison

    exact_comparison = IPyNbCell.compare_outputs

    def comparable(cell: IPyNbCell, outputs: list, skip: tuple) -> dict[str, list[str]]:
        flat: dict[str, list[str]] = {}
        for output in transform_streams_for_comparison(outputs):
            for key, value in output.items():
                items = value.items() if key == "data" else [(key, value)]
                for name, text in items:
                    if key not in skip and name not in skip:
                        flat.setdefault(name, []).append(cell.sanitize(text))
        return flat

    def compare_outputs(self: IPyNbCell, test: list, ref: list, skip_compare: tuple | None = None) -> bool:
        if exact_comparison(self, test, ref, skip_compare):
            return True
        if TOLERANCE_TAG not in self.cell.metadata.get("tags", []):
            return False
        skip = skip_compare or self.parent.skip_compare
        small_sample = SMALL_SAMPLE_TAG in self.cell.metadata.get("tags", [])
        stored, fresh = comparable(self, ref, skip), comparable(self, test, skip)
        problems = [f"'{key}': outputs differ in kind or count" for key in stored.keys() | fresh.keys()
                    if len(stored.get(key, [])) != len(fresh.get(key, []))]
        for key in stored.keys() & fresh.keys():
            problems += [f"'{key}': {problem}" for a, b in zip(stored[key], fresh[key])
                         if isinstance(a, str) and isinstance(b, str)
                         and (problem := tolerance_mismatch(a, b, small_sample=small_sample))]
            problems += [f"'{key}': outputs differ" for a, b in zip(stored[key], fresh[key])
                         if not (isinstance(a, str) and isinstance(b, str)) and a != b]
        if not problems:
            self.comparison_traceback = []
            return True
        self.comparison_traceback.append(f"\nNot within the tolerances of {TOLERANCE_TAG} cells (conftest.py) "
                                         "either: " + "; ".join(problems))
        return False

    IPyNbCell.compare_outputs = compare_outputs


install_tolerant_comparison()


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook, called once in the main process
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """pytest-xdist's file-by-file scheduling, with SHARED_MODEL_FILES as one unit of work."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SharedModelScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = super()._split_scope(nodeid)
            return "models" if path in SHARED_MODEL_FILES else path

    return SharedModelScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Notebook 03's cells first (in their order): the model it saves is then there for every
    test and notebook that loads it, instead of being trained once more by the first of them."""
    items.sort(key=lambda item: item.nodeid.split("::")[0] != TRAINS_THE_MODEL)  # a stable sort


def pytest_unconfigure(config: pytest.Config) -> None:
    """The main process removes the tests' models folder when the run ends."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        shutil.rmtree(os.environ["MNIST_MODELS_DIR"], ignore_errors=True)
