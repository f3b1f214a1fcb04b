"""Arabic emails read right to left even where a mail app drops <html dir> (Gmail keeps
no attribute of <html> or <body>); addresses inside them stay left to right; Chinese
emails say zh-Hans. Rendered in Chromium from the HTML part as received over SMTP."""

from __future__ import annotations

import re

import pytest

from ..helpers.journey import send_outbox, sign

pytestmark = pytest.mark.browser


def _html(smtp) -> str:
    return smtp.messages[-1].get_body(("html",)).get_content()


def test_an_arabic_email_starts_at_the_right_even_without_html_dir(
    app, client, smtp, petition, page
):
    sign(client, petition["slug"], "/ar", email="rtl@example.org", name="Ada Lovelace")
    send_outbox(app)
    html = _html(smtp)
    assert '<html lang="ar" dir="rtl">' in html
    assert re.search(r'<a href="[^"]*/ar/petitions/confirm/[^"]*" dir="ltr"', html)
    # What Gmail shows: the same message with <html> stripped of its attributes.
    page.set_viewport_size({"width": 390, "height": 800})
    page.set_content(re.sub(r"<html[^>]*>", "<html>", html))
    edges = page.evaluate(
        """() => {
        const p = document.querySelector("td p");
        const range = document.createRange();
        range.selectNodeContents(p);
        const text = range.getBoundingClientRect(), box = p.getBoundingClientRect();
        return {direction: getComputedStyle(p).direction, gap: box.right - text.right};
        }"""
    )
    assert edges["direction"] == "rtl"
    assert edges["gap"] < 2, "the greeting does not start at the right edge"
    text = smtp.messages[-1].get_body(("plain",)).get_content()
    assert "مرحبًا \u2068Ada Lovelace\u2069،" in text


def test_a_chinese_email_says_simplified(app, client, smtp, petition):
    sign(client, petition["slug"], "/zh", email="zh@example.org", name="李华")
    send_outbox(app)
    html = _html(smtp)
    assert '<html lang="zh-Hans">' in html and 'dir="rtl"' not in html
