"""How long the canvas takes in a real browser, from the last stroke to the answer on the page.

With the 784-128-10 network running in the page (helpers/mnist.js), lifting the pen
prepares the drawing the MNIST way and runs the network in JavaScript; the budget is
5 ms (median). This script measures it on the website's copy of notebook 06 (no kernel):
it builds the site if needed (``jupyter-book build --html``), serves it on 127.0.0.1,
opens the page in headless Chromium and draws 50 drawings (the stored examples, moved,
scaled and slanted at random). For each it dispatches the pen's events to the canvas and
times the last stroke's ``pointerup``, whose handler reads the pixels, prepares them,
runs the network and writes the prediction, the top three, the 28x28 image, the bars
and the hidden neurons into the page before it returns.

    python benchmarks/canvas_latency_browser.py [--drawings 50] [--rebuild]

It prints the median and the 90th percentile in milliseconds. A measurement, not a test
(tests/test_site.py asserts a generous bound); run it on an otherwise idle machine.
Needs Debian's chromium and the playwright package, like tests/test_browser.py.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SITE_DIR = PROJECT / "_build" / "html"
CANVAS_PAGE = "draw-your-own-digit.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BUILD_TIMEOUT = 600  # seconds

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


def build_site(project: Path = PROJECT) -> Path:
    """Build the website with the documented command; return its folder (_build/html)."""
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", "--html"]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    site = project / "_build" / "html"
    if result.returncode != 0 or not (site / CANVAS_PAGE).exists():
        raise RuntimeError(f"the site build failed ({' '.join(command)}):\n{(result.stdout + result.stderr)[-3000:]}")
    return site


class QuietHandler(http.server.SimpleHTTPRequestHandler):
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


def time_drawings(page, drawings: list) -> list[dict]:
    """Draw each drawing on the page's canvas; return [{"milliseconds", "message"}] per drawing."""
    page.locator(".mnist-canvas-widget").first.wait_for(timeout=30_000)
    return page.evaluate(DRAW_AND_TIME, [[[list(point) for point in stroke] for stroke in strokes]
                                         for strokes in drawings])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drawings", type=int, default=50, help="how many drawings to time (default 50)")
    parser.add_argument("--rebuild", action="store_true", help="build the site even if _build/html exists")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(PROJECT / "benchmarks"))
    from canvas_latency import jittered_strokes

    site = build_site() if arguments.rebuild or not (SITE_DIR / CANVAS_PAGE).exists() else SITE_DIR
    drawings = jittered_strokes(arguments.drawings + 5, seed=1)
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/{CANVAS_PAGE}")
        results = time_drawings(page, drawings)[5:]  # the first five warm the JavaScript engine up
        browser.close()
    times = [result["milliseconds"] for result in results]
    p90 = statistics.quantiles(times, n=10)[-1]
    print(f"{len(times)} drawings in Chromium, last stroke to answer shown: "
          f"median {statistics.median(times):.2f} ms, 90th percentile {p90:.2f} ms")


if __name__ == "__main__":
    main()
