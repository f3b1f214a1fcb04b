"""Sharing: Open Graph and Twitter cards, language alternates, the share image."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw, ImageFont

from campaign.sharing import services as sharing
from campaign.sharing import text

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
    assert sorted(meta["og:locale:alternate"]) == ["ar_AR", "en_GB", "es_ES", "ru_RU", "zh_CN"]


def test_language_alternates_name_every_language(make_app, petition):
    client = make_app(BASE_URL=BASE).test_client()
    html = client.get(f"/es/petitions/{petition['slug']}").get_data(as_text=True)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
    path = f"/petitions/{petition['slug']}"
    assert alternates == {
        "en": BASE + path,
        "fr": f"{BASE}/fr{path}",
        "es": f"{BASE}/es{path}",
        "ar": f"{BASE}/ar{path}",
        # BCP 47 for Simplified Chinese; the URL keeps the catalogue's code.
        "zh-Hans": f"{BASE}/zh{path}",
        "ru": f"{BASE}/ru{path}",
        "x-default": BASE + path,
    }
    # A form sent back with errors still names the call's page, not the form's address.
    rejected = client.post(f"/es{path}/sign", data={}).get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/es{path}">' in rejected
    home = client.get("/fr/").get_data(as_text=True)
    assert f'<link rel="alternate" hreflang="es" href="{BASE}/es/">' in home


def test_chinese_pages_say_zh_hans_and_keep_zh_in_urls(client, petition):
    html = client.get(f"/zh/petitions/{petition['slug']}").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in html
    assert 'lang="zh"' not in html and 'hreflang="zh"' not in html
    assert '<meta property="og:locale" content="zh_CN">' in html
    switcher = html[html.index('aria-label="语言"') :]
    assert '<span aria-current="true" lang="zh-Hans">中文</span>' in switcher
    arabic = client.get(f"/ar/petitions/{petition['slug']}").get_data(as_text=True)
    link = f'href="/zh/petitions/{petition["slug"]}" lang="zh-Hans" hreflang="zh-Hans"'
    assert '<html lang="ar" dir="rtl">' in arabic and link in arabic


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
    assert text.face(None, 76, True).path.endswith("NotoSans-Bold.ttf")
    monkeypatch.setattr(text.fonts, "font_path", lambda filename: None)
    text.face.cache_clear()
    try:
        png = sharing.share_image.__wrapped__("A title " * 20, "Org", "Sign the call", "x.org")
    finally:
        text.face.cache_clear()
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_a_long_title_is_shortened_to_fit():
    _setter, lines, line_height = sharing._fit_title("word " * 200, 1040, 330)
    assert len(lines) * line_height <= 330
    assert lines[-1].endswith("…")


# -- the six languages: shaping, direction, fonts for every script, line breaks ----------

TITLES = {
    "ar": "إلى الحكومات: أوقفوا الهجمات السيبرانية على الرعاية الصحية",
    "zh": "各国政府：停止针对医疗卫生领域的网络攻击",
    "ru": "Правительства: остановите кибератаки на здравоохранение",
}


def test_share_image_in_arabic_chinese_and_russian(client, petition):
    path = f"/petitions/{petition['slug']}/share.png"
    images = {"en": client.get(path).data}
    for language in TITLES:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200 and response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG" and image.size == (1200, 630)
        images[language] = response.data
    assert len(set(images.values())) == 4


def _title_lines(png: bytes) -> list[tuple[int, int]]:
    """The left and right ends of the white ink of each title line (rows 150 to 470)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    bands: list[list[int]] = []
    last_row = -99
    for y in range(150, 470):
        xs = [x for x in range(1200) if image.getpixel((x, y)) == (255, 255, 255)]
        if not xs:
            continue
        if y - last_row > 6:  # a new line (diacritics above a line stay with it)
            bands.append([xs[0], xs[-1]])
        else:
            bands[-1] = [min(bands[-1][0], xs[0]), max(bands[-1][1], xs[-1])]
        last_row = y
    return [(left, right) for left, right in bands]


def test_arabic_title_starts_at_the_right_edge_and_english_at_the_left():
    arabic = sharing.share_image.__wrapped__(TITLES["ar"], "", "وقِّع النداء", "", None, "ar")
    lines = _title_lines(arabic)
    assert len(lines) == 2
    assert all(right >= 1200 - 80 - 6 for _left, right in lines)
    assert lines[-1][0] > 80 + 40  # the shorter last line ends short of the left margin
    english = sharing.share_image.__wrapped__("Governments: stop it " * 3, "", "Sign", "")
    assert all(left <= 80 + 6 for left, _right in _title_lines(english))


def _ink(font, string: str, **options) -> bytes:
    image = Image.new("L", (600, 200))
    ImageDraw.Draw(image).text((50, 40), string, font=font, fill=255, **options)
    return image.tobytes()


def _is_notdef(font, char: str) -> bool:
    """Drawn as the font's box for a missing letter (what U+FFFF, never a letter, gets)."""
    return _ink(font, char) == _ink(font, "\uffff")


def test_every_letter_has_a_glyph_and_arabic_is_shaped():
    for language, title in TITLES.items():
        runs = text.Setter(76, True, language).runs(title)
        for run in runs:
            for char in run.text.replace(" ", ""):
                assert not _is_notdef(run.font, char), (language, char)
    families = {run.font.getname()[0] for run in text.Setter(76, True, "zh").runs(TITLES["zh"])}
    assert families == {"Noto Sans CJK SC"}
    # Joined and right to left: not the letters' isolated forms set left to right.
    (arabic,) = text.Setter(76, True, "ar").runs("الصحية")
    assert arabic.direction == "rtl" and arabic.language == "ar"
    unshaped = ImageFont.truetype(arabic.font.path, 76, layout_engine=ImageFont.Layout.BASIC)
    shaped = _ink(arabic.font, "الصحية", direction="rtl", language="ar")
    assert shaped != _ink(unshaped, "الصحية")


def test_chinese_breaks_between_characters_but_not_before_closing_marks():
    setter = text.Setter(76, True, "zh")
    lines = text.wrap(TITLES["zh"] * 2, setter, 700)
    assert len(lines) > 2 and "".join(lines) == TITLES["zh"] * 2
    assert all(setter.length(line) <= 700 for line in lines)
    assert not any(line[0] in text.NO_LINE_START for line in lines)
    assert text.units("政府：停止「医院」COVID-19 期间") == [
        ("政", False),
        ("府：", False),
        ("停", False),
        ("止", False),
        ("「医", False),
        ("院」", False),
        ("COVID-19", False),
        ("期", True),
        ("间", False),
    ]
