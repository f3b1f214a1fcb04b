"""Issue 21: delivery letters and lists in Arabic, Chinese and Russian, read as a clerk would.

A package for Egypt is built in each language with the ``flask export
delivery`` command, from signers writing in four scripts. The files are
then read with poppler (``pdftotext``, ``pdffonts``, ``pdfinfo``), as the
government's clerk would: the Arabic letter reads in logical order and is
set from the right margin, the Chinese letter is drawn with a CJK font and
wraps inside its margins (Chinese has no spaces to break at), every file
carries its language and is tagged, and dates and numbers are Babel's for
the letter's language.
"""

# The names and sentences are data, written as people write them.

from __future__ import annotations

import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date

from campaign.extensions import db

from . import pdf_inspect as inspect
from .helpers import add_signature, reconcile

SIGNERS = ["محمد البرادعي", "Zoë Ångström", "王秀英", "Фёдор Достоевский", "سلام 2024"]
LANGUAGES = ("en", "ar", "zh", "ru")
# Sentences of each letter, as the catalogues write them.
SALUTATION = {
    "en": "Dear Sir or Madam,",
    "ar": "سيدي/سيدتي،",
    "zh": "尊敬的先生/女士：",
    "ru": "Уважаемые дамы и господа!",
}
CLOSING = {
    "ar": "وتفضلوا بقبول فائق الاحترام،",
    "zh": "顺致崇高敬意。",
    "ru": "С уважением,",
}
# The font the letter's own script is drawn with (its PostScript name starts so).
BODY_FONT = {"ar": "NotoSansArabic", "zh": "NotoSansCJKsc", "ru": "NotoSans-Regular"}
PAGE_WIDTH = 595.28  # A4, in points
MARGIN = 18 * 72 / 25.4  # 18 mm


_BUILT: dict[str, dict[str, bytes]] = {}


@pytest.fixture
def packages(request) -> dict[str, dict[str, bytes]]:
    """Egypt's package in each language, as {language: {file: bytes}} (built once)."""
    if not _BUILT:
        app, runner, petition = map(request.getfixturevalue, ("app", "runner", "petition"))
        tmp_path = request.getfixturevalue("tmp_path")
        with app.app_context():
            for name in SIGNERS:
                add_signature(petition["id"], name, country="EG")
            db.session.commit()
            reconcile(petition["id"])
        for language in LANGUAGES:
            out = tmp_path / language
            result = runner.invoke(
                args=[
                    *("export", "delivery", "call-to-governments"),
                    *("--country", "EG", "--lang", language, "--out", str(out)),
                ]
            )
            assert result.exit_code == 0, result.output
            (path,) = out.glob("*.zip")
            with zipfile.ZipFile(path) as archive:
                _BUILT[language] = {
                    member.split("/")[1]: archive.read(member) for member in archive.namelist()
                }
    return _BUILT


def _text(data: bytes, *args: str) -> str:
    return inspect.pdftotext(data, *args).translate(inspect.BIDI_CONTROLS)


def _half(data: bytes, side: str, page: int = 1) -> str:
    """The text poppler reads in the left or right half of ``page`` (A4, in points)."""
    x = "0" if side == "left" else str(int(PAGE_WIDTH / 2))
    crop = ("-x", x, "-y", "0", "-W", str(int(PAGE_WIDTH / 2)), "-H", "842")
    return _text(data, *crop, "-f", str(page), "-l", str(page))


def _tool(tool: str, tmp_path: Path, name: str, data: bytes) -> str:
    path = inspect.write(tmp_path, name, data)
    return subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_letter_and_list_carry_the_language_are_tagged_and_embed_the_script_font(
    packages, tmp_path, language
):
    for name in ("letter.pdf", "signatures.pdf"):
        data = packages[language][name]
        assert str(inspect.open_pdf(data).Root.Lang) == language, name
        assert "Tagged:          yes" in _tool("pdfinfo", tmp_path, name, data), name
    fonts = _tool("pdffonts", tmp_path, "letter.pdf", packages[language]["letter.pdf"])
    rows = [line.split() for line in fonts.splitlines()[2:]]
    (body,) = [row for row in rows if row[0].split("+")[-1].startswith(BODY_FONT[language])]
    assert body[-5:-2] == ["yes", "yes", "yes"], fonts  # embedded, subset, ToUnicode
    text = _text(packages[language]["letter.pdf"])
    # The letter's sentences come out whole: drawn with glyphs that stand for them, no boxes.
    assert "\ufffd" not in text
    assert SALUTATION[language] in text.splitlines()
    assert CLOSING[language] in text


def test_the_arabic_letter_reads_in_logical_order_from_the_right_margin(packages):
    arabic, english = packages["ar"]["letter.pdf"], packages["en"]["letter.pdf"]
    lines = _text(arabic).splitlines()
    # Extracted in reading order, word by word: not reversed, not in visual order, and a
    # letter with its vowel marks (قِّ) is not split off its word.
    assert "النداء" in lines and "الموقِّعون الأوائل" in lines
    assert "وتفضلوا بقبول فائق الاحترام،" in lines
    # Paragraphs start at the right margin; the date line (at the right in English) and
    # the sender's address are at the left.
    right, left = _half(arabic, "right"), _half(arabic, "left")
    assert SALUTATION["ar"] in right.splitlines() and "سيدي" not in left
    assert "جنيف" in left and "جنيف" not in right
    assert "Chemin des Mines 9" in left and "Chemin" not in right
    english_left, english_right = _half(english, "left"), _half(english, "right")
    assert SALUTATION["en"] in english_left.splitlines() and "Dear" not in english_right
    assert "Chemin des Mines 9" in english_right and "Chemin" not in english_left


def test_the_arabic_list_puts_the_name_column_at_the_right_and_reads_every_name(packages):
    data = packages["ar"]["signatures.pdf"]
    right, left = _half(data, "right"), _half(data, "left")
    assert "الاسم" in right and "محمد البرادعي" in right.splitlines()
    assert "تاريخ التأكيد" in left and "2026-01-01" in left and "الاسم" not in left
    lines = _text(data).splitlines()
    for name in SIGNERS:
        assert name in lines, name


def test_the_chinese_letter_wraps_inside_its_margins(packages):
    data = packages["zh"]["letter.pdf"]
    # Nothing in the margins: poppler reads no text beyond 18 mm from either edge.
    for x in (0, int(PAGE_WIDTH - MARGIN) + 1):
        crop = ("-x", str(x), "-y", "0", "-W", str(int(MARGIN) - 1), "-H", "842")
        assert _text(data, *crop).strip() == "", x
    # The introduction, broken between characters, reads whole once its lines are joined.
    joined = "".join(_text(data).split())
    assert "全球共有5人签署。" in joined


@pytest.mark.parametrize("language", ["ar", "zh", "ru"])
def test_dates_and_numbers_are_babels_for_the_letters_language(packages, language):
    text = _text(packages[language]["letter.pdf"])
    day = format_date(date(2026, 1, 1), "long", locale=language)  # the signatures' day
    if language == "ar":
        # poppler moves the spaces around numbers in right-to-left text (the space after the
        # day's number comes before it): the date is compared without them.
        assert "".join(day.split()) in "".join(text.split())
    else:
        assert day.replace("\u202f", " ") in text.replace("\u202f", " ")
