"""PDFs for delivery packages: fpdf2 with HarfBuzz text shaping and Debian's Noto fonts.

Signers write their names in every script, so one font is never enough:
Noto Sans covers Latin, Greek and Cyrillic; Arabic, Hebrew and Devanagari
have fonts of their own; Chinese, Japanese and Korean come from the Noto
CJK collection. Fonts are found under ``/usr/share/fonts`` (Debian's
``fonts-noto-core`` and ``fonts-noto-cjk``, installed by ``bin/system-deps``)
and added to a document only when one of its names needs them, since
parsing the CJK collection alone takes most of a second.

Speed matters at 100,000 names: fpdf2's ``cell()`` with fallback fonts
costs about a millisecond, its ``text()`` a few microseconds. A name that
one font covers entirely and that reads left to right goes through
``text()`` in that font (still shaped by HarfBuzz, so Devanagari conjuncts
form); right-to-left and mixed-script names go through ``cell()``, which
applies the bidirectional algorithm and the fallback fonts.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from fontTools.ttLib import TTCollection, TTFont
from fpdf import FPDF

FONT_ROOTS = ("/usr/share/fonts",)

BASE = "NotoSans"


@dataclass(frozen=True)
class FontSpec:
    family: str
    filename: str
    bold_filename: str | None = None
    # In a collection (.ttc), the face whose name contains this (the Simplified Chinese one).
    face: str | None = None


# Fallback order: the first font that covers a whole name writes it.
FONTS: tuple[FontSpec, ...] = (
    FontSpec(BASE, "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    FontSpec("NotoSansArabic", "NotoSansArabic-Regular.ttf"),
    FontSpec("NotoSansHebrew", "NotoSansHebrew-Regular.ttf"),
    FontSpec("NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf"),
    FontSpec("NotoSansCJK", "NotoSansCJK-Regular.ttc", face="CJK SC"),
)


class FontMissing(RuntimeError):
    """The Noto fonts are not installed (``bin/system-deps`` installs them)."""


@cache
def _font_files() -> dict[str, str]:
    found: dict[str, str] = {}
    for root in FONT_ROOTS:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                found.setdefault(name, os.path.join(folder, name))
    return found


def font_path(filename: str) -> str | None:
    return _font_files().get(filename)


@cache
def _face_index(path: str, face: str | None) -> int:
    if face is None or not path.endswith(".ttc"):
        return 0
    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        if face in str(font["name"].getDebugName(4)):
            return index
    return 0


@cache
def _coverage(spec: FontSpec) -> frozenset[int]:
    """The code points a font has glyphs for (read once per process)."""
    path = font_path(spec.filename)
    if path is None:
        return frozenset()
    font = TTFont(path, fontNumber=_face_index(path, spec.face), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


_RTL = frozenset({"R", "AL"})


@cache
def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in _RTL


@lru_cache(maxsize=65536)
def _covering(text: str) -> tuple[int | None, bool]:
    """(index in FONTS of the first font covering all of ``text``, whether it has RTL).

    Cached: country names, dates and common names repeat thousands of times.
    """
    if text.isascii():
        return 0, False
    points = {ord(c) for c in text if not c.isspace()}
    rtl = any(_is_rtl(c) for c in text)
    for index, spec in enumerate(FONTS):
        if points <= _coverage(spec):
            return index, rtl
    return None, rtl


class DeliveryPdf(FPDF):
    """An A4 document that writes any signer's name, adding fonts as names need them."""

    def __init__(self, *, title: str, footer_text: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        path = font_path(FONTS[0].filename)
        if path is None:
            raise FontMissing(
                "Noto Sans was not found under /usr/share/fonts: "
                "install fonts-noto-core and fonts-noto-cjk (bin/system-deps)."
            )
        self.footer_text = footer_text
        self._font_key: tuple[str, str, float] | None = None
        self._shaping = True
        self._bold = False
        self._added: set[str] = set()
        self._fallbacks: list[str] = []
        self._add(FONTS[0])
        self.set_text_shaping(True)
        self.set_title(title)
        self.set_creator("campaign")
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 18, 18)
        self.use(BASE, size=10)

    def _add(self, spec: FontSpec) -> bool:
        if spec.family in self._added:
            return True
        path = font_path(spec.filename)
        if path is None:
            return False
        index = _face_index(path, spec.face)
        self.add_font(spec.family, "", path, collection_font_number=index)
        self._added.add(spec.family)
        if spec.family != BASE:
            self._fallbacks.append(spec.family)
            self.set_fallback_fonts(self._fallbacks)
        return True

    def add_page(self, *args, **kwargs) -> None:
        super().add_page(*args, **kwargs)
        self._font_key = None  # fpdf2 restores the font after the footer, behind our back

    def use(self, family: str, style: str = "", size: float = 10) -> None:
        """set_font, skipped when nothing changes (it costs more than writing a name).

        Bold exists for the base font only, loaded on first use: each font costs a
        parse when added and a subset when the document is written.
        """
        key = (family, style, size)
        if key != self._font_key:
            if style == "B" and not self._bold:
                spec = FONTS[0]
                self.add_font(BASE, "B", font_path(spec.bold_filename or spec.filename))
                self._bold = True
            self.set_font(family, style, size=size)
            self._font_key = key

    def shaping(self, on: bool) -> None:
        """HarfBuzz only where a script needs it: Latin, Greek and Cyrillic read fine without."""
        if on != self._shaping:
            self.set_text_shaping(on)
            self._shaping = on

    def needs_shaping(self, text: str) -> bool:
        index, rtl = _covering(text)
        return index != 0 or rtl

    def family_for(self, text: str) -> str | None:
        """The first font covering every character of ``text``, added to the document."""
        index, _rtl = _covering(text)
        if index is None or not self._add(FONTS[index]):
            return None
        return FONTS[index].family

    def prepare_for(self, text: str) -> None:
        """Add every font that some character of ``text`` needs (for ``cell`` fallbacks)."""
        if text.isascii():
            return
        for char in {c for c in text if not c.isspace()}:
            for spec in FONTS:
                if ord(char) in _coverage(spec):
                    self._add(spec)
                    break

    def name_at(self, x: float, baseline: float, width: float, text: str, size: float) -> None:
        """Write one name on one line, whatever its script, starting at ``x``."""
        family = self.family_for(text)
        if family is not None and not _covering(text)[1]:
            self.shaping(family != BASE)
            self.use(family, size=size)
            self.text(x, baseline, text)
            return
        self.prepare_for(text)
        self.shaping(True)
        self.use(BASE, size=size)
        # cell() places text by its top; a line of this size sits 0.35 em above the baseline.
        top = baseline - size * 0.3528 * 0.85
        self.set_xy(x, top)
        self.cell(width, size * 0.3528 * 1.15, text)

    def paragraph(self, text: str, *, size: float = 10.5, bold: bool = False, gap: float = 2):
        """A wrapped paragraph in the base font, falling back per character where needed."""
        self.prepare_for(text)
        self.shaping(self.needs_shaping(text))
        self.use(BASE, "B" if bold else "", size=size)
        self.multi_cell(0, size * 0.3528 * 1.45, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def footer(self) -> None:
        text = f"{self.footer_text}  ·  {self.page_no()}"
        self.prepare_for(text)
        family = self.family_for(text) or BASE
        self.shaping(self.needs_shaping(text))
        self.use(family, size=8)
        self.set_text_color(110)
        self.text(self.l_margin, self.h - 9, text)
        self.set_text_color(0)
