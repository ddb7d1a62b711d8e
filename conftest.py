"""Test-wide set-up, loaded by pytest before it starts any notebook kernel.

1. MPLBACKEND and COLUMNS change what notebooks print (figure reprs, Keras' summary width), so
   they are removed here for the kernels nbval starts.
2. The tests own their models: the main process makes a models folder of its own and names it in
   MNIST_MODELS_DIR (which helpers.model reads), so pytest-xdist's workers, every notebook kernel
   and every test use it, and none reads, trains over or deletes the learner's models/. The folder
   is removed when the run ends. When the run includes a notebook that loads the series' network
   (05, 06, 07 or 09), the main process starts training it there (notebook 03's recipe, about 40 s)
   in a process of its own, so that they load it as they do on a learner's machine after 03. The
   workers meanwhile run the files that need no trained network (MODEL_FREE); before any other
   test they wait until it is saved.
3. Every notebook cell is marked slow, and the longest files start first on the three workers.

How notebook outputs are compared (exactly, or within a tolerance where training decides) is the
plugin tests/nbval_tolerance.py, registered in pyproject.toml.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from classroom.course import LOADS_TRAINED_MODEL

for variable in ("MPLBACKEND", "COLUMNS", "LINES"):
    os.environ.pop(variable, None)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if "PYTEST_XDIST_WORKER" not in os.environ:  # the main process; workers inherit its folder
    os.environ["MNIST_MODELS_DIR"] = tempfile.mkdtemp(prefix="mnist-test-models-")


# The notebooks that load the series' trained network (notebook 03 trains it in the open).
LOAD_THE_MODEL = tuple(f"{number}_" for number in LOADS_TRAINED_MODEL)


def runs_notebooks_that_load_the_model(config: pytest.Config) -> bool:
    """True when this run includes a notebook that loads the trained network (and is not ``-m "not slow"``)."""
    if "not slow" in (config.getoption("markexpr", "") or ""):
        return False
    for path in map(str, config.args or config.getini("testpaths")):
        name = path.split("::")[0].rstrip("/").split("/")[-1]
        if name == "notebooks" or (name.endswith(".ipynb") and name.startswith(LOAD_THE_MODEL)):
            return True
    return False


SERIES_MODEL = "MNIST_TESTS_SERIES_MODEL"  # set for the workers while the main process trains the network
READY, FAILED = ".series-model-ready", ".series-model-failed"  # written in the models folder when it ends
TRAINER = pytest.StashKey[subprocess.Popen]()  # the training process, in the main process' config
TRAIN = f"""
import sys, traceback
from pathlib import Path
folder = Path(sys.argv[1])
try:
    from helpers.setup import import_tensorflow_quietly
    import_tensorflow_quietly()
    from helpers.model import load_or_train
    load_or_train()
except BaseException:
    (folder / {FAILED!r}).write_text(traceback.format_exc(), encoding="utf-8")
    raise
(folder / {READY!r}).touch()
"""
# Files whose tests neither load nor train the series' network: the workers run them while it trains.
MODEL_FREE = ("notebooks/01_", "notebooks/02_", "notebooks/03_", "notebooks/04_", "notebooks/08_",
              "tests/test_hub.py", "tests/test_model.py", "tests/test_site.py", "tests/test_accessibility.py",
              "tests/test_exercises_", "tests/test_validation.py", "tests/test_style.py",
              "tests/test_learner_edition.py")
MODEL_WAIT_LIMIT = 900  # seconds; training takes about 40 on a quiet 2-core machine


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """The main process starts training the series' network into the tests' models folder (in a process
    of its own, so that the workers start at once)."""
    if "PYTEST_XDIST_WORKER" in os.environ or not runs_notebooks_that_load_the_model(session.config):
        return
    folder = Path(os.environ["MNIST_MODELS_DIR"])
    log = (folder / "series-model.log").open("w")
    session.config.stash[TRAINER] = subprocess.Popen([sys.executable, "-c", TRAIN, str(folder)], stdout=log,
                                                     stderr=subprocess.STDOUT, cwd=Path(__file__).parent)
    os.environ[SERIES_MODEL] = str(folder)  # the workers, started after this, wait for it


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a test that may load the series' network, wait until the main process has saved it."""
    folder = os.environ.get(SERIES_MODEL)
    if not folder or item.nodeid.startswith(MODEL_FREE):
        return
    deadline = time.monotonic() + MODEL_WAIT_LIMIT
    while not (Path(folder) / READY).exists():
        if (Path(folder) / FAILED).exists():
            pytest.fail("training the series' network failed:\n" + (Path(folder) / FAILED).read_text()[-2000:])
        if time.monotonic() > deadline:
            pytest.fail(f"the series' network was not trained within {MODEL_WAIT_LIMIT} s ({folder}/series-model.log)")
        time.sleep(0.5)


# The files that take longest, longest first: pytest-xdist hands out whole files in collection
# order (``--no-loadscope-reorder``), so starting these first keeps every worker busy to the end.
# The first ones need no trained network (MODEL_FREE): the workers run them while it trains.
LONGEST_FIRST = ["notebooks/08_going_further.ipynb", "tests/test_hub.py", "notebooks/03_training.ipynb",
                 "tests/test_classroom.py", "notebooks/09_faster_and_trustworthy.ipynb", "tests/test_browser.py",
                 "tests/test_site.py", "notebooks/07_draw_your_own_digit.ipynb"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every notebook cell nbval runs is part of a slow test: ``pytest -m "not slow"`` leaves them out.
    The longest files go first (a stable sort: each file keeps its own order)."""
    for item in items:
        if item.nodeid.split("::")[0].endswith(".ipynb"):
            item.add_marker(pytest.mark.slow)

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The main process removes the tests' models folder when the run ends."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        trainer = config.stash.get(TRAINER, None)
        if trainer is not None and trainer.poll() is None:  # the run ended early (a failure, Ctrl-C)
            trainer.kill()
            trainer.wait()
        shutil.rmtree(os.environ["MNIST_MODELS_DIR"], ignore_errors=True)
