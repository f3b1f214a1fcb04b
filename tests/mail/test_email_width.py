"""The emails people read on a phone fit a 320-pixel screen, rendered in Chromium as a
mail app would (the HTML part as received over SMTP), in the six languages."""

from __future__ import annotations

import pytest

from ..helpers.browser import email_overflow
from ..helpers.journey import links_in, local_path, press_button, send_outbox, sign

pytestmark = pytest.mark.browser

WIDTHS = (320, 390)


def _html_parts(smtp) -> list[tuple[str, str]]:
    return [(m["Subject"], m.get_body(("html",)).get_content()) for m in smtp.messages]


@pytest.mark.parametrize("prefix", ["", "/fr", "/es", "/ar", "/zh", "/ru"])
def test_signers_emails_fit_a_phone(app, client, smtp, petition, page, prefix):
    # A confirmation email, then the note a confirmed signer gets when they sign again.
    sign(client, petition["slug"], prefix, email="width@example.org", name="Wilhelmina Width")
    send_outbox(app)
    [link] = links_in(smtp.messages[-1])
    press_button(client, local_path(link))
    sign(client, petition["slug"], prefix, email="width@example.org", name="Wilhelmina Width")
    send_outbox(app)
    parts = _html_parts(smtp)
    assert len(parts) == 2
    for subject, html in parts:
        for width in WIDTHS:
            overflow = email_overflow(page, html, width)
            assert overflow <= 0, f"{subject!r} scrolls {overflow}px sideways at {width}px"
