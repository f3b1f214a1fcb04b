"""The two-step sign-in page shows the secret as a QR code, drawn on the server."""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote


def test_the_two_step_page_shows_a_qr_code_of_the_otpauth_address(as_role):
    page = as_role("admin").get("/organiser/account/two-step")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    match = re.search(r'<img src="(data:image/svg\+xml[^"]+)" alt="QR code for your', html)
    assert match, "no QR code"
    uri = match.group(1).replace("&amp;", "&")
    svg = (
        unquote(uri.split(",", 1)[1])
        if ";base64" not in uri
        else base64.b64decode(uri.split(",", 1)[1]).decode()
    )
    assert svg.lstrip().startswith("<svg") or "<svg" in svg
    assert "<script" not in svg
    # Beside the secret it encodes, shown as text.
    assert re.search(r"<dd><code>[A-Z2-7]{32}</code></dd>", html)


def test_the_qr_code_encodes_the_address(app):
    """segno's own reader is absent, so decode what it drew: the same matrix as segno
    makes for the URI, module for module."""
    import segno

    from campaign.organisers.services import totp_qr_code

    uri = "otpauth://totp/Campaign:a%40example.org?secret=JBSWY3DPEHPK3PXP&issuer=Campaign"
    drawn = totp_qr_code(uri)
    assert drawn == segno.make(uri, error="m").svg_data_uri(scale=5, border=4)
    assert segno.make(uri, error="m").designator.endswith("-M")
