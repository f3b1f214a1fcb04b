"""Headless Chromium: where it is, and what a page reports (script errors, axe-core)."""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import Error as PlaywrightError

from .app import ROOT


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail("chromium is not installed: bin/system-deps installs Debian's chromium")
    return path


def screenshot(target, path, **options) -> None:
    """Save a screenshot of a page or locator for people to look at; try twice.

    Chromium now and then answers "Unable to capture screenshot" when a busy machine has not
    painted a frame yet. The picture is evidence, not the assertion, so one more try after a
    frame is worth it; a second failure still fails the test.
    """
    try:
        target.screenshot(path=path, **options)
    except PlaywrightError as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        page = getattr(target, "page", target)
        page.wait_for_timeout(250)
        target.screenshot(path=path, **options)


def browser_errors(page) -> list[str]:
    """The list the page's script errors and console errors are collected into, as they come."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# axe-core from the npm registry (package.json; bin/setup installs it with npm ci).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core's violations on the page as it is now, run in the page itself."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


def describe_violations(where: str, violations: list[dict]) -> list[str]:
    """One line per violation, and where it was found, for a failing assertion's message."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {', '.join(map(str, node['target']))}: {summary}")
    return lines


def email_overflow(page, html: str, width: int) -> int:
    """How many pixels an email's HTML part scrolls sideways on a screen ``width`` wide."""
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(html)
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
