"""Sharing: Open Graph and Twitter cards, language alternates, the share image."""

from __future__ import annotations

import io
import re

from PIL import Image

from campaign.sharing import services as sharing

BASE = "https://sign.example.org"


def _meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html):
        found.setdefault(key, []).append(value)
    return found


def test_petition_page_has_a_share_card_in_its_language(make_app, petition):
    client = make_app(BASE_URL=BASE).test_client()
    html = client.get(f"/fr/petitions/{petition['slug']}").get_data(as_text=True)
    meta = _meta(html)
    url = f"{BASE}/fr/petitions/{petition['slug']}"
    title = "Gouvernements\u00a0: mettez fin aux cyberattaques contre la santé"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta["og:url"] == [url]
    assert meta["og:title"] == meta["twitter:title"] == [title]
    assert meta["og:description"][0].startswith("Hôpitaux, chercheurs en médecine")
    assert meta["og:image"] == meta["twitter:image"] == [f"{url}/share.png"]
    assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["630"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["og:locale"] == ["fr_FR"]
    assert sorted(meta["og:locale:alternate"]) == ["en_GB", "es_ES"]


def test_language_alternates_name_every_language(make_app, petition):
    client = make_app(BASE_URL=BASE).test_client()
    html = client.get(f"/es/petitions/{petition['slug']}").get_data(as_text=True)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    path = f"/petitions/{petition['slug']}"
    assert alternates == {
        "en": BASE + path,
        "fr": f"{BASE}/fr{path}",
        "es": f"{BASE}/es{path}",
        "x-default": BASE + path,
    }
    # A form sent back with errors still names the call's page, not the form's address.
    rejected = client.post(f"/es{path}/sign", data={}).get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/es{path}">' in rejected
    home = client.get("/fr/").get_data(as_text=True)
    assert f'<link rel="alternate" hreflang="es" href="{BASE}/es/">' in home


def test_share_image_is_a_cacheable_png_of_the_title(client, petition):
    path = f"/petitions/{petition['slug']}/share.png"
    english = client.get(path)
    assert english.status_code == 200 and english.mimetype == "image/png"
    image = Image.open(io.BytesIO(english.data))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert english.headers["Cache-Control"].startswith("public, max-age=3600")
    again = client.get(path, headers={"If-None-Match": english.headers["ETag"]})
    assert again.status_code == 304
    french = client.get(f"/fr{path}")
    assert french.status_code == 200 and french.data != english.data
    assert client.get("/petitions/no-such-call/share.png").status_code == 404


def test_share_image_has_no_live_count(app, client, petition):
    """Platforms cache the image for days: a count in it would be stale, so it has none."""
    from campaign.extensions import db
    from campaign.models import Petition

    path = f"/petitions/{petition['slug']}/share.png"
    before = client.get(path).data
    with app.app_context():
        db.session.get(Petition, petition["id"]).signature_count = 12345
        db.session.commit()
    assert client.get(path).data == before


def test_share_image_uses_debian_noto_and_falls_back_to_pillows_font(monkeypatch):
    assert sharing.font_path(bold=True).endswith("NotoSans-Bold.ttf")
    monkeypatch.setattr(sharing, "font_path", lambda bold: None)
    png = sharing.share_image.__wrapped__("A title " * 20, "Org", "Sign the call", "example.org")
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_long_title_is_shortened_to_fit():
    _font, lines, line_height = sharing._fit_title("word " * 200, 1040, 330)
    assert len(lines) * line_height <= 330
    assert lines[-1].endswith("…")
