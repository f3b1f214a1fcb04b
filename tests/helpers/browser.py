"""Headless Chromium: where it is, and what a page reports (script errors, axe-core)."""

from __future__ import annotations

import os
import shutil

import pytest

from .app import ROOT


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        pytest.fail("chromium is not installed: bin/system-deps installs Debian's chromium")
    return path


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
