"""The cover letter as its recipient reads it: pdftotext page by page, the structure tree.

The letter is drawn from :func:`campaign.letters.services.letter_content`:
the call in the letter's language (or, visibly, its main text), the
letterhead and addressee, never the call's "Add your name" line, the first
signatories on one page with their heading, the closing in one piece, and
the countries in the letter's alphabetical order.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from campaign.exports.delivery_options import CountryStats
from campaign.exports.letter import cover_letter
from campaign.extensions import db
from campaign.letters.cover import save_cover_text
from campaign.models import SETTINGS_ID, OrganisationSettings, Petition

from ..letters.helpers import NOON, drop_translation
from . import pdf_inspect as inspect
from .helpers import add_signature, reconcile
from .pdf_inspect import pdftotext

COUNTRIES = ("CH", "DE", "EG", "US", "JP", "IN")


@pytest.fixture
def signed(app, petition):
    """Signatures from six countries, so the annex has something to order."""
    with app.app_context():
        for i, code in enumerate(COUNTRIES):
            for n in range(i + 1):
                add_signature(petition["id"], f"Signer {code} {n}", country=code)
        db.session.commit()
        reconcile(petition["id"])
    return petition


def _package(runner, tmp_path: Path, *args: str) -> zipfile.ZipFile:
    out = tmp_path / "-".join(args or ("all",))
    command = ["export", "delivery", "call-to-governments", "--out", str(out), *args]
    result = runner.invoke(args=command)
    assert result.exit_code == 0, result.output
    (path,) = out.glob("*.zip")
    return zipfile.ZipFile(path)


def _pages(data: bytes) -> list[str]:
    return [" ".join(page.split()) for page in pdftotext(data).split("\f")]


def test_a_french_letter_gives_the_call_in_french_without_its_appeal(runner, signed, tmp_path):
    package = _package(runner, tmp_path, "--country", "CH", "--lang", "fr")
    letter = package.read("CH/letter.pdf")
    text = " ".join(_pages(letter))
    assert "Madame, Monsieur," in text and "Nous vous prions d’agréer" in text
    assert "« Gouvernements : mettez fin aux cyberattaques contre la santé »" in text
    assert "Réaffirmez les règles." in text
    assert "Reaffirm the rules" not in text and "Governments: stop" not in text
    # The call's closing appeal to the public is not addressed to a government.
    assert "La santé doit rester hors d’atteinte." in text
    assert "Ajoutez votre nom" not in text and "Add your name" not in text
    # Letterhead, addressee, date in the letter's own convention.
    assert "CyberPeace Institute" in text.split("Madame, Monsieur,")[0]
    assert "Genève, le " in text and "Federal Department of Foreign Affairs" in text
    listing = _pages(package.read("CH/signatures.pdf"))
    assert "Gouvernements : mettez fin aux cyberattaques contre la santé · " in listing[0]
    pdf = inspect.open_pdf(letter)
    assert str(pdf.Root.Lang) == "fr"
    title = str(pdf.docinfo.Title).replace("\u00a0", " ")
    assert title == "Gouvernements : mettez fin aux cyberattaques contre la santé"


def test_without_a_translation_the_letter_says_so_and_marks_the_text_english(
    app, runner, signed, tmp_path
):
    drop_translation(app, signed["id"], "es")
    letter = _package(runner, tmp_path, "--country", "CH", "--lang", "es").read("CH/letter.pdf")
    text = " ".join(_pages(letter))
    assert "Señoras y señores:" in text
    assert "no se ha traducido al español" in text.lower(), text
    assert "Reaffirm the rules." in text and "Add your name" not in text
    pdf = inspect.open_pdf(letter)
    tree = inspect.elements(inspect.structure(pdf))
    english = [e for e in tree if e.lang == "en"]
    assert [e.type for e in english].count("H1") == 1  # the subject: the English title
    assert any(e.type == "P" for e in english) and any(e.type == "L" for e in english)


@pytest.mark.parametrize(
    "language, order",
    [
        ("en", ["Egypt", "Germany", "India", "Japan", "Switzerland", "United States"]),
        ("fr", ["Allemagne", "Égypte", "États-Unis", "Inde", "Japon", "Suisse"]),
    ],
)
def test_the_annex_lists_countries_alphabetically_in_the_letters_language(
    runner, signed, tmp_path, language, order
):
    letter = _package(runner, tmp_path, "--country", "JP", "--lang", language)
    *_, annex = [page for page in _pages(letter.read("JP/letter.pdf")) if page.strip()]
    found = sorted((annex.index(name), name) for name in order)
    assert [name for _at, name in found] == order, annex


def _letter_pages(app, petition_id: int, cover: str) -> list[str]:
    """The Swiss letter's pages when the cover text is ``cover``."""
    with app.app_context():
        call = db.session.get(Petition, petition_id)
        save_cover_text(call, "en", cover, None)
        stats = {"CH": CountryStats(3, NOON, NOON), "FR": CountryStats(2, NOON, NOON)}
        pdf = cover_letter(call, "CH", "en", stats, stats["CH"], True, NOON)
        db.session.rollback()
        return _pages(bytes(pdf.output()))


def test_first_signatories_stay_with_their_heading_and_the_closing_stays_whole(app, petition):
    """Covers of growing length push the list down the page; it never splits."""
    sentence = "We write to you about a matter of public health and of international law. "
    for paragraphs in range(0, 14):
        cover = "\n\n".join([sentence * 3] * paragraphs) or " "
        pages = _letter_pages(app, petition["id"], cover)
        (with_heading,) = [p for p in pages if "First signatories" in p]
        after = with_heading.split("First signatories", 1)[1]
        assert "Desmond Tutu" in after and "Stéphane Duguin" in after, paragraphs
        (closing,) = [p for p in pages if "Yours faithfully," in p]
        assert "CyberPeace Institute" in closing.split("Yours faithfully,", 1)[1], paragraphs


def test_the_letterhead_logo_is_drawn_as_an_artifact(app, petition):
    with app.app_context():
        settings = db.session.get(OrganisationSettings, SETTINGS_ID)
        buffer = io.BytesIO()
        Image.new("RGB", (300, 100), (200, 30, 30)).save(buffer, "PNG")
        settings.logo_png, settings.logo_width, settings.logo_height = buffer.getvalue(), 300, 100
        db.session.commit()
    with app.app_context():
        call = db.session.get(Petition, petition["id"])
        stats = {"CH": CountryStats(3, NOON, NOON)}
        data = bytes(cover_letter(call, "CH", "en", stats, stats["CH"], True, NOON).output())
    assert _pages(data)[0].startswith("CyberPeace Institute")
    pdf = inspect.open_pdf(data)
    page = pdf.pages[0]
    (image,) = page.get_images().values()
    assert (int(image.Width), int(image.Height)) == (300, 100)
    # Decoration for readers: the name beside it is the content.
    stream = page.Contents.read_bytes().decode("latin-1")
    before = stream[: stream.index(" Do")]
    assert before.rindex("/Artifact") > before.rfind("EMC")
