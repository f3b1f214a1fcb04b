"""The demo's sample report: a small PDF per language that says plainly it is a sample.

Drawn with fpdf2 and Debian's Noto fonts (found as ``campaign.exports.fonts``
finds them), with HarfBuzz shaping so Arabic joins and runs right to left.
The first line of the first page, large, says it is not the real report.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..exports.fonts import BASE, FONTS, face_index, require

# The font for each language's text (Noto Sans covers Latin and Cyrillic).
_SCRIPT_OF = {"ar": "Arab", "zh": "Hani"}


def _font_for(language: str):
    script = _SCRIPT_OF.get(language)
    return next((spec for spec in FONTS if spec.script == script), BASE)


def sample_pdf(language: str, notice: str, title: str, summary: str, date_text: str) -> bytes:
    """A two-part page: the notice, then the title, date and summary as plain text."""
    spec = _font_for(language)
    path = require(spec)
    pdf = FPDF(format="A4")
    pdf.set_lang(language)
    pdf.set_title(f"{title} ({notice})")  # no colon: each language punctuates its own
    pdf.set_creator("campaign demo")
    pdf.add_font(spec.family, "", path, collection_font_number=face_index(path, spec.face))
    pdf.set_text_shaping(True, direction="rtl" if language == "ar" else "ltr")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    align = "R" if language == "ar" else "L"
    pdf.set_font(spec.family, size=26)
    pdf.multi_cell(0, 13, notice, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(spec.family, size=16)
    pdf.multi_cell(0, 8, title, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(spec.family, size=11)
    pdf.multi_cell(0, 6, date_text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for paragraph in summary.replace("*", "").split("\n\n"):
        pdf.multi_cell(0, 6, paragraph, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
    return bytes(pdf.output())
