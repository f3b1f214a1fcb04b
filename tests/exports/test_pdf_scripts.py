"""Issue 16: every script right on paper and in extraction; tagged, accessible, archival PDFs.

A fixture of hard names (Devanagari conjuncts, lam-alef, right-to-left text
with digits, Thai, CJK, Cyrillic, Greek, Latin with diacritics) is delivered
in an all-countries package. Each name must extract exactly as in the CSV
with poppler's pdftotext, and with two pure-Python readers for the scripts
they can read; it must be drawn with exactly the glyphs HarfBuzz picks from
the font file (conjuncts formed, lam-alef joined); and letter.pdf and
signatures.pdf must be tagged (headings, paragraphs, tables with header
cells), carry their language, title, PDF/A-2 identification and output
intent, and embed every font.
"""

# The names are data, written as people write them.

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from campaign.extensions import db

from . import pdf_inspect as inspect
from .helpers import add_signature, reconcile

# name -> home country. Every name is also signed from Switzerland: a Swiss list holds any script.
HARD_NAMES = {
    "अर्जुन": "IN",  # reph: र् above ज
    "क्षत्रिय": "IN",  # क्ष conjunct, त्र
    "स्नेहा पटेल": "IN",  # े: a mark just before the next letter
    "لالا محمد": "EG",  # lam-alef ligatures
    "ليلى الخطيب": "EG",  # a wide letter (alef maksura) inside a lam ligature
    "سلام 2024": "EG",  # right to left, then digits
    "דוד 1948": "IL",
    "สมชาย": "TH",
    "王小明": "CN",
    "山田太郎": "JP",
    "김민준": "KR",
    "Дмитрий": "RU",
    "Αλέξανδρος": "GR",
    "Zoë Ñúñez-Łódź": "CH",
}
# What the pure-Python readers must read exactly too. Both take characters in the order
# the content stream draws them, which is reading order. pdfminer.six joins them into lines
# by distance, so it splits a number off right-to-left text (سلام 2024); pypdf reverses
# right-to-left text, taking it for drawn in visual order (which tagged PDF does not do).
PDFMINER = [
    "لالا محمد",
    "ليلى الخطيب",
    "王小明",
    "山田太郎",
    "김민준",
    "Дмитрий",
    "Αλέξανδρος",
    "Zoë Ñúñez-Łódź",
]
PYPDF = ["王小明", "山田太郎", "김민준", "Дмитрий", "Αλέξανδρος", "Zoë Ñúñez-Łódź"]
# Right to left, then a number.
MIXED = {"سلام 2024", "דוד 1948"}
# Names whose glyphs are compared with HarfBuzz's choice (complex shaping).
SHAPED = ["अर्जुन", "क्षत्रिय", "لالا محمد", "ليلى الخطيب", "สมชาย"]


_BUILT: dict[str, dict[str, dict[str, bytes]]] = {}


@pytest.fixture
def package(request) -> dict[str, dict[str, bytes]]:
    """The all-countries package for the hard names, as {country: {file: bytes}}.

    Built once for the module (its bytes do not depend on the test reading them).
    """
    if "all" not in _BUILT:
        _BUILT["all"] = _build(
            *map(request.getfixturevalue, ("app", "runner", "petition")),
            request.getfixturevalue("tmp_path"),
        )
    return _BUILT["all"]


def _build(app, runner, petition, tmp_path) -> dict[str, dict[str, bytes]]:
    with app.app_context():
        for name, country in HARD_NAMES.items():
            add_signature(petition["id"], name, country=country)
            if country != "CH":
                add_signature(petition["id"], name, country="CH")
        db.session.commit()
        reconcile(petition["id"])
    result = runner.invoke(
        args=["export", "delivery", "call-to-governments", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (path,) = tmp_path.glob("*.zip")
    files: dict[str, dict[str, bytes]] = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            country, name = member.split("/")
            files.setdefault(country, {})[name] = archive.read(member)
    return files


def _csv_names(data: bytes) -> list[str]:
    return [row[0] for row in list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]]


def test_pdftotext_reads_every_name_as_the_csv_has_it(package):
    for country, files in package.items():
        names = _csv_names(files["signatures.csv"])
        text = inspect.pdftotext(files["signatures.pdf"]).translate(inspect.BIDI_CONTROLS)
        lines = text.splitlines()
        for name in names:
            if name in MIXED:
                # On a page of left-to-right text poppler writes a right-to-left name that
                # ends in a number number first ("2024 سلام"): the same on screen, each
                # word intact. Only the order of the two differs from the CSV.
                assert any(sorted(line.split()) == sorted(name.split()) for line in lines), name
            else:
                assert name in lines, (country, name)


def test_pure_python_readers_read_latin_cyrillic_greek_cjk_and_arabic(package):
    pdf = package["CH"]["signatures.pdf"]
    for read, names in ((inspect.pdfminer_text, PDFMINER), (inspect.pypdf_text, PYPDF)):
        text = read(pdf)
        for name in names:
            assert name in text, (read.__name__, name)


def test_names_are_drawn_with_the_glyphs_harfbuzz_picks(package):
    """Conjuncts formed, lam-alef joined: the glyphs drawn for a name are HarfBuzz's."""
    for country in ("CH", "IN", "EG", "TH"):
        pdf = inspect.open_pdf(package[country]["signatures.pdf"])
        drawn = {span.text: span for span in inspect.spans(pdf)}
        for name in [n for n in SHAPED if country == "CH" or HARD_NAMES[n] == country]:
            assert name in drawn, f"{name} is not drawn as one piece of tagged content"
            span = drawn[name]
            (resource,) = {f for f, _code in span.glyphs}  # one font draws the whole name
            font = inspect.embedded_font(pdf.pages[span.page], resource)
            outlines = [font.fingerprint(code) for _f, code in span.glyphs]
            path = inspect.font_path(font.base_font.split("+", 1)[-1])
            # The same glyphs; the order may differ (drawn in reading order for extraction).
            assert sorted(outlines) == sorted(inspect.harfbuzz_outlines(name, path)), name


def test_letter_and_list_are_tagged_with_language_title_and_pdfa(package, tmp_path):
    for name in ("letter.pdf", "signatures.pdf"):
        data = package["CH"][name]
        pdf = inspect.open_pdf(data)
        root = pdf.Root
        assert root.MarkInfo.Marked is True, name
        assert str(root.Lang) == "en", name
        assert root.ViewerPreferences.DisplayDocTitle is True, name
        with pdf.open_metadata() as meta:
            assert meta["dc:title"], name
            assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "U", name
            assert meta["pdfuaid:part"] == "1", name
            title = meta["dc:title"]
        assert str(pdf.docinfo.Title) == title  # the Info dictionary agrees with XMP
        (intent,) = root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3 and profile.read_bytes()[36:40] == b"acsp"
        assert profile.read_bytes()[16:20] == b"RGB "
        for font in inspect.fonts(pdf):
            assert "/ToUnicode" in font, (name, font.BaseFont)
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.BaseFont
        info = subprocess.run(
            ["pdfinfo", inspect.write(tmp_path, name, data)], capture_output=True, text=True
        ).stdout
        assert "Tagged:          yes" in info and f"Title:           {title}" in info, info


def test_the_letter_has_headings_paragraphs_and_a_table_of_countries(package):
    pdf = inspect.open_pdf(package["CH"]["letter.pdf"])
    tree = inspect.structure(pdf)
    kinds = [e.type for e in inspect.elements(tree)]
    assert kinds[:2] == ["StructTreeRoot", "Document"]
    assert kinds.count("H1") == 1 and "H2" in kinds and kinds.count("P") > 5
    tables = [e for e in inspect.elements(tree) if e.type == "Table"]
    assert tables, "the chart of countries is a table too"
    header_cells = [e for e in inspect.elements(tables[-1]) if e.type == "TH"]
    assert header_cells and all(e.attributes.get("Scope") == "/Column" for e in header_cells)


def test_the_list_is_a_real_table_whose_cells_hold_the_names(package):
    files = package["CH"]
    pdf = inspect.open_pdf(files["signatures.pdf"])
    tree = inspect.structure(pdf)
    everything = inspect.elements(tree)
    assert [e.type for e in everything].count("H1") == 1
    (table,) = [e for e in everything if e.type == "Table"]
    rows = [e for e in inspect.elements(table) if e.type == "TR"]
    header, *body = rows
    assert {k.type for k in header.kids} == {"TH"}
    assert all(k.attributes.get("Scope") == "/Column" for k in header.kids)
    names = _csv_names(files["signatures.csv"])
    assert len(body) == len(names)
    # The name cell of each row holds that signer's name, in the CSV's order.
    texts = {(s.page, s.mcid): s for s in inspect.spans(pdf)}
    labels = ["".join(texts[(th.page, m)].text for m in th.kids) for th in header.kids]
    cells = [row.kids[labels.index("Name")] for row in body]
    assert all(c.type == "TD" for c in cells)
    read = ["".join(texts[(c.page, m)].text for m in c.kids) for c in cells]
    # Right-to-left names are drawn in reading order: their glyphs map to the name as typed.
    assert read == names
    # A name in another script than the document's carries its language.
    langs = {texts[(c.page, c.kids[0])].text: texts[(c.page, c.kids[0])].lang for c in cells}
    assert langs["अर्जुन"] == "hi" and langs["لالا محمد"] == "ar" and langs["דוד 1948"] == "he"
    assert langs["สมชาย"] == "th" and langs["김민준"] == "ko" and langs["Дмитрий"] == "ru"
    assert langs["Zoë Ñúñez-Łódź"] is None  # Latin: the document's language


def test_japanese_names_are_japanese_in_the_japanese_package(package):
    pdf = inspect.open_pdf(package["JP"]["signatures.pdf"])
    (span,) = [s for s in inspect.spans(pdf) if s.text == "山田太郎"]
    assert span.lang == "ja"


def test_letter_in_french_says_so(app, runner, petition, tmp_path: Path):
    with app.app_context():
        add_signature(petition["id"], "Zoë Ñúñez-Łódź", country="CH")
        db.session.commit()
        reconcile(petition["id"])
    result = runner.invoke(
        args=[
            "export",
            "delivery",
            "call-to-governments",
            "--country",
            "CH",
            "--lang",
            "fr",
            "--out",
            str(tmp_path),
        ]
    )
    assert result.exit_code == 0, result.output
    (path,) = tmp_path.glob("*.zip")
    with zipfile.ZipFile(path) as archive:
        for name in ("CH/letter.pdf", "CH/signatures.pdf"):
            pdf = inspect.open_pdf(archive.read(name))
            assert str(pdf.Root.Lang) == "fr"
            assert "Suisse" in str(pdf.docinfo.Title) or name == "CH/letter.pdf"
