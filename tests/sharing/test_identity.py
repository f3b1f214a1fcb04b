"""The site as the organisation: its name and logo in the header, the share card and the
page metadata (from the settings administrators edit), and a description on every page."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from campaign.sharing import services as sharing

from ..helpers.backoffice import csrf_token
from ..letters.helpers import drop_settings, image_bytes, settings_form

PUBLIC_PAGES = [
    "/",
    "/fr/",
    "/es/",
    "/privacy",
    "/petitions",
    "/fr/petitions",
    "/petitions/call-to-governments",
    "/es/petitions/call-to-governments",
    "/petitions/call-to-governments/signatories",
    "/petitions/call-to-governments/deliveries",
    "/petitions/call-to-governments/governments",
    "/fr/petitions/call-to-governments/governments",
]


def _brand(html: str) -> str:
    return re.search(r'<a class="brand"[^>]*>(.*?)</a>', html, re.DOTALL).group(1)


def _save_logo(as_role) -> None:
    """An admin uploads a logo (blue, 300 by 100) on the organisation page."""
    client = as_role("admin")
    token = csrf_token(client, "/organiser/organisation")
    data = settings_form(token)
    data["logo"] = (io.BytesIO(image_bytes("PNG", size=(300, 100))), "logo.png")
    response = client.post("/organiser/organisation", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]


def test_the_header_and_cards_name_the_organisation(client, petition):
    html = client.get("/fr/petitions/call-to-governments").get_data(as_text=True)
    assert _brand(html) == "CyberPeace Institute"
    assert '<meta property="og:site_name" content="CyberPeace Institute">' in html
    assert "Campaign" not in html


def test_before_any_settings_the_site_calls_itself_campaign(app, client, petition):
    drop_settings(app)
    with app.app_context():
        app.extensions.pop("site_identity", None)
    html = client.get("/petitions").get_data(as_text=True)
    assert _brand(html) == "Campaign"


def test_a_saved_logo_shows_in_the_header_and_on_the_share_card(app, as_role, client, petition):
    _save_logo(as_role)
    html = client.get("/petitions/call-to-governments").get_data(as_text=True)
    (src,) = re.findall(r'<img class="brand-logo" src="([^"]+)" alt="" height="32">', html)
    assert re.fullmatch(r"/media/organisation/[0-9a-f]{16}\.png", src)
    logo = client.get(src)
    assert logo.status_code == 200 and logo.mimetype == "image/png"
    assert Image.open(io.BytesIO(logo.data)).size == (300, 100)
    assert client.get("/media/organisation/0000000000000000.png").status_code == 404

    card = client.get("/petitions/call-to-governments/share.png")
    image = Image.open(io.BytesIO(card.data)).convert("RGB")
    # The logo on its white card, top left; the card's green elsewhere.
    x, y = sharing.MARGIN + 8, sharing.MARGIN - 24 + 8
    logo_pixel = Image.open(io.BytesIO(image_bytes("PNG", size=(300, 100)))).getpixel((5, 5))
    assert image.getpixel((x + 5, y + 5)) == logo_pixel[:3]
    assert image.getpixel((sharing.MARGIN - 40, 40)) == (11, 94, 59)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_describes_itself_once(client, petition, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, path
    found = re.findall(r'<meta name="description" content="([^"]*)">', response.get_data(True))
    assert len(found) == 1 and len(found[0]) > 30, (path, found)
