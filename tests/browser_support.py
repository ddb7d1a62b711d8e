"""Shared support of the browser tests and the canvas benchmarks: Chromium, drawing, serving, building the site.

Used by tests/test_browser.py (JupyterLab), tests/test_site.py and tests/test_accessibility.py
(the website), and benchmarks/canvas_latency*.py. Not a test file: it holds no tests.

Chromium is Debian's (``apt-get install chromium``; ``CHROMIUM=/path`` picks another build),
driven by the PyPI ``playwright`` package, whose own browser download is never used.
Without them the browser tests skip, except in CI (``CI=true``), where they fail instead,
so CI cannot go green without running them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

PROJECT = Path(__file__).resolve().parent.parent
SITE_DIR = PROJECT / "_build" / "html"
CANVAS_PAGE = "draw-your-own-digit.html"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() == "true"
BUILD_TIMEOUT = 600  # seconds
CANVAS_SIDE = 280  # the canvas' pixels (helpers.widgets.CANVAS_SIZE), without importing the widget here

Strokes = list[list[tuple[float, float]]]


def skip_or_fail(reason: str) -> None:
    """Skip on a machine without the browser; fail in CI, where the browser tests must run."""
    if IN_CI:
        pytest.fail(f"{reason} CI must run the browser tests: install Chromium with `apt-get install -y chromium`.")
    pytest.skip(reason)


def launch_chromium(playwright):
    """Debian's Chromium, headless, through Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, headless, or a skip (a failure in CI) without it."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM}.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("The playwright package is not installed.")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def draw(page, pad, strokes: Strokes) -> None:
    """Draw ``strokes`` (canvas pixel coordinates) on the pad with the mouse."""
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    scale = box["width"] / CANVAS_SIDE
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=2)
        page.mouse.up()


def jittered_strokes(count: int, seed: int = 0) -> list[Strokes]:
    """``count`` drawings as pen strokes: the stored examples moved, scaled and slanted at random."""
    from helpers.widgets import load_example_strokes

    rng = np.random.default_rng(seed)
    examples = list(load_example_strokes().values())
    drawings = []
    for index in range(count):
        scale, slant = rng.uniform(0.6, 1.1), rng.uniform(-0.2, 0.2)
        dx, dy = rng.uniform(-30, 30, size=2)
        drawings.append([[(140 + scale * (x - 140 + slant * (y - 140)) + dx, 140 + scale * (y - 140) + dy)
                          for x, y in stroke] for stroke in examples[index % len(examples)]])
    return drawings


# Runs in the page: draws each drawing with synthetic pointer events, times the last pointerup.
DRAW_AND_TIME = """(drawings) => {
  const widget = document.querySelector(".mnist-canvas-widget");
  const pad = widget.querySelector("canvas.mnist-pad");
  const clear = widget.querySelector("button.mnist-clear");
  const message = widget.querySelector(".mnist-prediction");
  const box = pad.getBoundingClientRect();
  const scale = box.width / pad.width;
  const fire = (type, [x, y]) => pad.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, pointerId: 1, pointerType: "mouse", isPrimary: true,
    button: type === "pointermove" ? -1 : 0, buttons: type === "pointerup" ? 0 : 1,
    clientX: box.left + x * scale, clientY: box.top + y * scale }));
  return drawings.map((strokes) => {
    clear.click();
    let milliseconds = 0;
    for (const stroke of strokes) {
      fire("pointerdown", stroke[0]);
      for (const point of stroke.slice(1)) fire("pointermove", point);
      const start = performance.now();
      fire("pointerup", stroke[stroke.length - 1]);
      milliseconds = performance.now() - start;
    }
    return { milliseconds, message: message.textContent };
  });
}"""


def time_drawings(page, drawings: list[Strokes]) -> list[dict]:
    """Draw each drawing on the page's canvas; return [{"milliseconds", "message"}] per drawing."""
    page.locator(".mnist-canvas-widget").first.wait_for(timeout=30_000)
    return page.evaluate(DRAW_AND_TIME, [[[list(point) for point in stroke] for stroke in strokes]
                                         for strokes in drawings])


def build_site(project: Path = PROJECT) -> Path:
    """Build the website with the documented command (``jupyter-book build --html``); return a private
    copy of _build/html. Test processes build one at a time (a file lock) and each reads its own copy:
    another process' build empties _build/html while it runs."""
    import fcntl
    import tempfile

    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", "--html"]
    (project / "_build").mkdir(exist_ok=True)
    with open(project / "_build" / ".tests-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
        site = project / "_build" / "html"
        if result.returncode != 0 or not (site / CANVAS_PAGE).exists():
            log = (result.stdout + result.stderr)[-3000:]
            raise RuntimeError(f"the site build failed ({' '.join(command)}):\n{log}")
        copy = Path(tempfile.mkdtemp(prefix="mnist-site-")) / "html"
        shutil.copytree(site, copy)
    return copy


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that logs nothing."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class' name
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) from a thread; yield its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def closed_with_a_screenshot_on_failure(page, folder: Path) -> Iterator[None]:
    """Close ``page`` after the block; if the block fails, save a screenshot of it in ``folder`` first."""
    try:
        yield
    except Exception:
        page.screenshot(path=folder / "failure.png", full_page=True)
        print(f"screenshot of the page at the failure: {folder / 'failure.png'}")
        raise
    finally:
        page.close()
