"""How long the canvas takes in a real browser, from the last stroke to the answer on the page.

With the 784-128-10 network running in the page (helpers/mnist.js), lifting the pen
prepares the drawing the MNIST way and runs the network in JavaScript; the budget is
5 ms (median). This script measures it on the website's copy of notebook 07 (no kernel):
it builds the site if needed (``jupyter-book build --html``), serves it on 127.0.0.1,
opens the page in headless Chromium and draws 50 drawings (the stored examples, moved,
scaled and slanted at random). For each it dispatches the pen's events to the canvas and
times the last stroke's ``pointerup``, whose handler reads the pixels, prepares them,
runs the network and writes the prediction, the top three, the 28x28 image, the bars
and the hidden neurons into the page before it returns.

    python benchmarks/canvas_latency_browser.py [--drawings 50] [--rebuild]

It prints the median and the 90th percentile in milliseconds. A measurement, not a test
(tests/test_site.py asserts a generous bound); run it on an otherwise idle machine.
Needs Debian's chromium and the playwright package; shares tests/browser_support.py with the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "tests"))  # the shared browser support: Chromium, serving, drawing
from browser_support import (  # noqa: E402
    CANVAS_PAGE,
    SITE_DIR,
    build_site,
    jittered_strokes,
    launch_chromium,
    serve,
    time_drawings,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drawings", type=int, default=50, help="how many drawings to time (default 50)")
    parser.add_argument("--rebuild", action="store_true", help="build the site even if _build/html exists")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    site = build_site() if arguments.rebuild or not (SITE_DIR / CANVAS_PAGE).exists() else SITE_DIR
    drawings = jittered_strokes(arguments.drawings + 5, seed=1)
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
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
