"""The website is open to every reader: axe-core finds no serious or critical violation, in light and dark.

Builds the site (``jupyter-book build --html``), serves it on 127.0.0.1 and, in headless
Chromium, injects axe-core (installed from npm by ``npm ci``: package.json) into every page
and runs its WCAG 2.0 and 2.1 A and AA rules, with the reader's system set to light and to
dark (``prefers-color-scheme``), and on notebook 07's page again after a digit was drawn and
after one was chosen from the keyboard. Any serious or critical violation fails, named with
its page, rule and elements.

It also takes screenshots of notebook 07's page in light and dark mode (into pytest's
temporary folder) and checks, besides axe's colour-contrast rule, that the two modes really
differ and that figures sit on a light panel in both.

Without Chromium, playwright or axe-core the test skips, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

from pathlib import Path

import browser_support
import pytest
from browser_support import CANVAS_PAGE, PROJECT, build_site, draw, serve, skip_or_fail

from classroom.course import series_notebooks
from helpers.widgets import load_example_strokes

browser = browser_support.browser  # the shared Chromium fixture

AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
  return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")), count: v.nodes.length }));
}"""


@pytest.fixture(scope="module")
def site() -> Path:
    """The built website (its folder)."""
    if not AXE.exists():
        skip_or_fail(f"axe-core is not installed ({AXE} missing): run `npm ci` in the project folder.")
    return build_site(PROJECT)


def pages(site: Path) -> list[str]:
    """Every page of the site, index first."""
    return sorted((path.name for path in site.glob("*.html")), key=lambda name: name != "index.html")


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE, WCAG_TAGS) if v["impact"] in FAILING_IMPACTS]


def report(violations: dict[str, list[dict]]) -> str:
    """The violations per page, one line per rule, for a failure message."""
    return "\n".join(f"{where}: {v['impact']} {v['id']} x{v['count']} ({v['help']}): {v['targets']}"
                     for where, found in violations.items() for v in found)


def open_page(browser, base: str, name: str, scheme: str):
    """A new page showing ``name`` with the reader's system colour scheme set to ``scheme``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page.goto(f"{base}/{name}")
    if name == CANVAS_PAGE:
        page.locator(".mnist-site-canvas[data-ready='true']").wait_for(timeout=30_000)
    return page


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violation_on_any_page(browser, site, scheme):
    found = {}
    with serve(site) as base:
        for name in pages(site):
            page = open_page(browser, base, name, scheme)
            try:
                found[name] = axe_violations(page)
            finally:
                page.close()
    assert len(found) == len(series_notebooks()) + 2, sorted(found)  # the home page, every notebook, the guide
    assert not any(found.values()), "axe-core found:\n" + report(found)


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violation_on_the_canvas_after_drawing_and_choosing(browser, site, scheme):
    with serve(site) as base:
        page = open_page(browser, base, CANVAS_PAGE, scheme)
        try:
            widget = page.locator(".mnist-canvas-widget")
            draw(page, widget.locator("canvas.mnist-pad"), load_example_strokes()["3"])
            page.locator(".mnist-prediction").filter(has_text="Prediction: 3").wait_for(timeout=30_000)
            after_drawing = axe_violations(page)
            widget.locator("select.mnist-example").select_option("5")
            page.locator(".mnist-prediction").filter(has_text="Prediction: 5").wait_for(timeout=30_000)
            after_choosing = axe_violations(page)
        finally:
            page.close()
    assert not after_drawing and not after_choosing, "axe-core found:\n" + report(
        {"after drawing": after_drawing, "after choosing a test digit": after_choosing})


PAGE_COLOURS = """() => {
  const figure = document.querySelector("img.output.figure");
  return { body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color,
           figurePanel: getComputedStyle(figure).backgroundColor };
}"""


def luminance(css_colour: str) -> float:
    """WCAG's relative luminance of an ``rgb(...)``/``rgba(...)`` colour."""
    channels = [float(part) / 255 for part in css_colour[css_colour.index("(") + 1:-1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS colours."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.slow
def test_light_and_dark_screenshots_follow_the_system_and_keep_figures_readable(browser, site, tmp_path):
    colours = {}
    with serve(site) as base:
        for scheme in ("light", "dark"):
            page = open_page(browser, base, CANVAS_PAGE, scheme)
            try:
                page.screenshot(path=tmp_path / f"{scheme}.png")
                colours[scheme] = page.evaluate(PAGE_COLOURS)
                assert not axe_violations(page), f"{scheme} mode"  # contrast is one of axe's rules
            finally:
                page.close()
    print(f"screenshots: {tmp_path / 'light.png'}, {tmp_path / 'dark.png'}")
    assert luminance(colours["light"]["body"]) > 0.8 > 0.05 > luminance(colours["dark"]["body"]), colours
    for scheme, seen in colours.items():
        assert contrast(seen["body"], seen["text"]) >= 7, f"{scheme}: body text contrast {seen}"
        assert luminance(seen["figurePanel"]) > 0.8, f"{scheme}: figures must sit on a light panel, got {seen}"
    assert (tmp_path / "light.png").read_bytes() != (tmp_path / "dark.png").read_bytes()
