"""Real-browser tests in JupyterLab + headless Chromium: notebook 07's canvas, and Run All on the learner edition.

Starts its own JupyterLab on 127.0.0.1 (a free port, a random token, empty user settings
and config in a temporary folder), opens a copy of notebook 07, runs every cell through
JupyterLab's own command, then draws digits on the canvas with mouse events and checks
that the page shows the prediction for each; Clear wipes the canvas in between. It also
opens a copy of the learner edition's notebook 01 (learner/, every exercise blank) and does
Run All, as a learner who wrote nothing would: the last cell runs, and each check shows its
"✗ Not yet" sentence instead of stopping the notebook.

Needs Debian's ``chromium`` and the PyPI ``playwright`` package (tests/browser_support.py):
without them the test skips, except in CI (``CI=true``), where it fails instead.

It also takes the README's screenshot of the working canvas: by default into pytest's
temporary folder; to refresh the committed copy, run

    UPDATE_SCREENSHOT=1 pytest tests/test_browser.py

which writes ``docs/canvas.png``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import browser_support
import pytest
from browser_support import closed_with_a_screenshot_on_failure, draw, free_port

from helpers.widgets import load_example_strokes

PROJECT = Path(__file__).resolve().parent.parent
NOTEBOOK = PROJECT / "notebooks" / "07_draw_your_own_digit.ipynb"
LEARNER_NOTEBOOK = PROJECT / "learner" / "01_loading_the_data.ipynb"  # a short one: about 30 s
SCREENSHOT = PROJECT / "docs" / "canvas.png"
# The replay cell of notebook 07 draws this stored example; the test then draws these by mouse.
REPLAYED_DIGIT = "7"
DRAWN_DIGITS = ("2", "4")
# Settings for a clean, quiet, offline JupyterLab: every cell in the DOM (so the canvas
# exists wherever it is on the page), no autosave, no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}
browser = browser_support.browser  # the shared Chromium fixture
SERVER_START_TIMEOUT = 90  # seconds
NOTEBOOK_RUN_TIMEOUT = 600  # seconds: generous, the notebook trains its model if none is saved
PREDICTION_TIMEOUT = 30_000  # milliseconds, Playwright's unit


def wait_for_server(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], str]]:
    """A private JupyterLab serving copies of notebook 07 and of the learner edition's 01.

    Yields a function that gives a notebook's URL (with the token) from its path in the project.
    Its kernels train for a few steps only (classroom.cut, as the grader's do, from an IPython start-up
    file): these tests are about the browser; nbval runs the notebooks' training in full.
    """
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "notebooks"
    root.mkdir()
    for notebook in (NOTEBOOK, LEARNER_NOTEBOOK):  # copies: a run never touches the committed files
        shutil.copy(notebook, root / notebook.name)
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-cut-training.py").write_text("__import__('classroom.cut').cut.cut_training()\n")
    settings = home / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    environment = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"),
                   "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTERLAB_SETTINGS_DIR": str(settings),
                   "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"), "IPYTHONDIR": str(home / "ipython")}
    port, token = free_port(), secrets.token_hex(16)
    log = home / "jupyterlab.log"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
               "--ServerApp.terminals_enabled=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, env=environment, stdout=log_file, stderr=subprocess.STDOUT,
                                   cwd=root)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_server(f"{base}/api/status?token={token}", process, log)
        yield lambda notebook: f"{base}/lab/tree/{notebook.name}?token={token}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# JavaScript run in the page, through JupyterLab's app object (exposed by expose_app_in_browser).
# The notebook's panel, found by its file name: JupyterLab may restore another notebook of the same
# server (an earlier test's) beside it and make that one current.
PANEL = """(name) => Array.from(window.jupyterapp?.shell?.widgets("main") ?? [])
  .find(widget => widget.context?.path?.endsWith(name))"""
NOTEBOOK_READY = f"""(name) => {{
  const panel = ({PANEL})(name);
  if (panel) window.jupyterapp.shell.activateById(panel.id);
  return Boolean(panel?.content?.widgets?.length && panel.sessionContext?.session?.kernel?.status === "idle");
}}"""
NOTEBOOK_STATE = f"""(name) => {{
  const panel = ({PANEL})(name);
  const code = panel.content.widgets.filter(cell => cell.model.type === "code");
  const error = code.flatMap(cell => cell.model.outputs.toJSON()).find(o => o.output_type === "error");
  return {{
    done: code.every(cell => cell.model.executionCount !== null),
    idle: panel.sessionContext.session.kernel.status === "idle",
    error: error ? `${{error.ename}}: ${{error.evalue}}` : null,
  }};
}}"""
RUN_IN_PANEL = f"""([name, command]) => {{
  const panel = ({PANEL})(name);
  window.jupyterapp.shell.activateById(panel.id);
  return window.jupyterapp.commands.execute(command);
}}"""


def run_all_cells(page, notebook: Path = NOTEBOOK) -> float:
    """Clear every output, run all cells via JupyterLab's command, wait until done; return seconds."""
    page.wait_for_function(NOTEBOOK_READY, arg=notebook.name, timeout=SERVER_START_TIMEOUT * 1000)
    page.evaluate(RUN_IN_PANEL, [notebook.name, "notebook:clear-all-cell-outputs"])
    start = time.monotonic()
    page.evaluate(RUN_IN_PANEL, [notebook.name, "notebook:run-all-cells"])
    while time.monotonic() - start < NOTEBOOK_RUN_TIMEOUT:
        state = page.evaluate(NOTEBOOK_STATE, notebook.name)
        assert state["error"] is None, f"a cell of {notebook.name} failed in JupyterLab: {state['error']}"
        if state["done"] and state["idle"]:
            return time.monotonic() - start
        page.wait_for_timeout(500)
    pytest.fail(f"{notebook.name} did not finish within {NOTEBOOK_RUN_TIMEOUT} s in JupyterLab")


@pytest.mark.slow
def test_draw_a_digit_in_jupyterlab(browser, jupyterlab, tmp_path):  # browser first: skip fast
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with closed_with_a_screenshot_on_failure(page, tmp_path):
        page.goto(jupyterlab(NOTEBOOK), timeout=SERVER_START_TIMEOUT * 1000)
        seconds = run_all_cells(page)
        print(f"notebook 07 ran in JupyterLab in {seconds:.0f} s")

        widget = page.locator(".mnist-canvas-widget").first
        expect(widget).to_be_visible(timeout=PREDICTION_TIMEOUT)
        pad = widget.locator("canvas.mnist-pad")
        message = widget.locator(".mnist-prediction")
        # The notebook replayed a stored 7 from Python: the browser shows Python's answer.
        expect(message).to_contain_text(f"Prediction: {REPLAYED_DIGIT} (", timeout=PREDICTION_TIMEOUT)

        strokes = load_example_strokes()
        for number, digit in enumerate(DRAWN_DIGITS):
            widget.locator("button.mnist-clear").click()
            expect(message).to_contain_text("Draw a digit", timeout=PREDICTION_TIMEOUT)
            draw(page, pad, strokes[digit])
            expect(message).to_contain_text(f"Prediction: {digit} (", timeout=PREDICTION_TIMEOUT)
            expect(widget.locator(".mnist-predicted .mnist-bar-label")).to_have_text(digit)
            if number == 0:
                widget.screenshot(path=tmp_path / "canvas.png")
        if os.environ.get("UPDATE_SCREENSHOT") == "1":
            save_screenshot(tmp_path / "canvas.png", SCREENSHOT)


# The learner edition's Run All: every code cell ran (the last one too), none failed, and the page shows
# each blank exercise's "✗ Not yet" sentence as a line of output, not as a traceback.
LAST_CELL = f"""(name) => {{
  const code = ({PANEL})(name).content.widgets.filter(cell => cell.model.type === "code");
  const last = code[code.length - 1];
  return {{ cells: code.length, lastCount: last.model.executionCount,
           counts: code.map(cell => cell.model.executionCount) }};
}}"""


@pytest.mark.slow
def test_run_all_on_a_blank_learner_notebook_reaches_the_last_cell(browser, jupyterlab, tmp_path):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    with closed_with_a_screenshot_on_failure(page, tmp_path):
        page.goto(jupyterlab(LEARNER_NOTEBOOK), timeout=SERVER_START_TIMEOUT * 1000)
        seconds = run_all_cells(page, LEARNER_NOTEBOOK)
        print(f"learner/{LEARNER_NOTEBOOK.name} ran to its last cell in JupyterLab in {seconds:.0f} s")

        state = page.evaluate(LAST_CELL, LEARNER_NOTEBOOK.name)
        assert state["lastCount"] == max(state["counts"]) == state["cells"], state  # run in order, the last last
        not_yet = page.locator(".jp-OutputArea-output").filter(has_text="✗ Not yet.")
        expect(not_yet.first).to_be_visible()
        expect(not_yet.first).to_contain_text("returns nothing yet: replace ... with your code")
        assert not_yet.count() == 3, "each of notebook 01's three blank exercises says ✗ Not yet"
        expect(page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']")
               .filter(has_text="Traceback")).to_have_count(0)

        # The worked answer is out of sight but one click away: a collapsed "Show a solution" after the check.
        folded = page.locator(".jp-RenderedMarkdown details").filter(has_text="Show a solution")
        expect(folded).to_have_count(3)
        answer = folded.first.locator("pre")
        expect(answer).to_be_hidden()
        folded.first.locator("summary").click()
        expect(answer).to_be_visible()
        expect(answer).to_contain_text("return rows * columns")
        page.screenshot(path=tmp_path / "learner-edition.png")


def save_screenshot(source: Path, target: Path) -> None:
    """Store the screenshot as a small palette PNG (the widget has few colours)."""
    from PIL import Image

    target.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=64).save(target, optimize=True)
