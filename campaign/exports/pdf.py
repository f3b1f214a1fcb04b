"""PDFs for delivery packages: tagged, archival, and right in every script.

fpdf2 writes the file (pages, fonts embedded as subsets, compression); the
text is laid out here: each line is shaped by HarfBuzz (:mod:`.shaping`),
drawn glyph by glyph in reading order, and wrapped in a marked-content
sequence that belongs to a structure element (:mod:`.tagging`) and
carries the line's text as ``/ActualText`` and, for another script than
the document's, its ``/Lang``. Rules, bars and page footers are marked as
artifacts. Files are PDF/A-2u and aim at PDF/UA-1 (:mod:`.pdf_archive`).

Why fpdf2 and not WeasyPrint (HTML through Pango and HarfBuzz, with PDF/UA
and PDF/A variants): a list of 10,000 names took WeasyPrint 70 34 s and
908 MB, so 100,000 would take minutes and gigabytes, against a budget of
60 s and 500 MB. Through this module fpdf2 writes 100,000, tagged, in about
15 s of CPU and 333 MB.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import fpdf
from fpdf.fonts import TTFFont
from fpdf.prefs import ViewerPreferences

from ..i18n import direction
from .fonts import BASE, FontSpec, language_for, script_of
from .pdf_archive import PACKED, ArchivalOutput, FileBuffer, add_srgb_intent, xmp
from .pdf_glyphs import PT, GlyphWriter
from .shaping import Line, has_rtl, shape, width, wrap
from .tagging import Element, StructureTree, text_string

# A table header cell's attributes: it heads its column.
COLUMN_HEADER = " /A <</O /Table /Scope /Column>>"


class DeliveryPdf(GlyphWriter):
    """An A4 document whose every line of text is shaped, placed and tagged."""

    def __init__(
        self,
        *,
        title: str,
        language: str,
        footer_text: str = "",
        created: datetime | None = None,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.language = language
        # Right to left (Arabic): every position on the page is measured from the right
        # edge, alignments swap, and paragraphs are set right to left (see :meth:`_place`).
        self.direction = direction(language)
        self.footer_text = footer_text
        self.tree = StructureTree(self)
        self.struct_builder = self.tree
        self._fonts: dict[FontSpec, TTFFont] = {}
        self._codes: dict[tuple[FontSpec, int, str], tuple[int, int]] = {}
        self._cff_cids: dict[tuple[FontSpec, int], int] = {}
        self._on_page: set[tuple[int, int]] = set()
        self._bodies: dict[tuple[int, float], tuple[Line, list]] = {}
        # Graphics state already set on the page (the text's font and size, its grey).
        self._state: tuple[object, object] = (None, None)
        self.set_auto_page_break(False)
        self.set_margins(18, 18, 18)
        self._describe(title, created or datetime.now(UTC))
        self._font(BASE)

    def _describe(self, title: str, created: datetime) -> None:
        """Title, language, dates and PDF/A identification, alike in Info and XMP."""
        created = created.astimezone(UTC).replace(microsecond=0)
        producer = f"fpdf2 {fpdf.__version__}"
        self.set_title(title)
        self.set_lang(self.language)
        self.set_creator("campaign")
        self.set_producer(producer)
        self.set_creation_date(created)
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.set_xmp_metadata(
            xmp(
                title=title,
                language=self.language,
                creator="campaign",
                producer=producer,
                created=created,
            )
        )
        add_srgb_intent(self)
        self._set_min_pdf_version("1.7")

    def add_page(self, *args, **kwargs) -> None:
        super().add_page(*args, **kwargs)
        self._state = (None, None)  # a page starts with the default graphics state
        self._pack(self.page - 1)

    def _pack(self, page: int) -> None:
        """Compress a finished page's content now: 2,000 pages held raw cost 40 MB."""
        if page < 1:
            return
        content = self.pages[page].contents
        self.pages[page].contents = bytearray(PACKED + zlib.compress(content))

    def output(self, name: str = "") -> bytearray | None:  # type: ignore[override]
        """Write the document to the file ``name`` as it is serialized, or return its bytes."""
        if self.page == 0:
            self.add_page()
        self._render_footer()
        self._pack(self.page)
        self.compress = False  # every page is compressed already; fonts compress themselves
        if not name:
            return super().output(output_producer_class=ArchivalOutput)
        with open(name, "wb") as file:
            ArchivalOutput(self, file).bufferize()
        return None

    def _default_file_id(self, buffer: bytearray | FileBuffer) -> str:
        if isinstance(buffer, FileBuffer):
            return buffer.file_id(self.creation_date)
        return super()._default_file_id(buffer)

    # -- tagged text --------------------------------------------------------------------

    def element(self, kind: str, parent: Element | None = None, attributes: str = "") -> Element:
        """A structure element (H1, P, Table, TR, TH, TD, L, LI, LBody...) under ``parent``."""
        return self.tree.element(kind, parent, attributes)

    def text_at(
        self,
        element: Element,
        x: float,
        baseline: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "L",
        width_mm: float = 0,
        country: str | None = None,
        gray: int = 0,
        base: str | None = None,
        mirror: bool | None = None,
    ) -> float:
        """Draw one line of ``text`` as content of ``element``; return its width in mm.

        ``align`` "R" ends it at ``x + width_mm``. ``country`` helps name the
        language of a signer's name in another script (Han from Japan: ja).
        ``base`` is the line's direction ("rtl", "ltr"; None: its first
        letter's, as for a name); ``mirror`` places it from the right edge
        (default: when the document is right to left).
        """
        if not text:
            return 0.0
        language = language_for(script_of(text), country)
        mcid = self.tree.mark(element)
        # The line's text for readers that follow /ActualText (poppler reads it from a Span
        # only). Not for right-to-left text: poppler takes its characters for drawn left to
        # right and reverses them; the glyphs, drawn in reading order, say it right.
        line = shape(text, language, bold, base)
        span = "" if line.plain or has_rtl(text) else f" /ActualText {text_string(text)}"
        if language and language != self.language:
            span += f" /Lang {text_string(language)}"
        inner, close = (f" /Span <<{span}>> BDC", " EMC") if span else ("", "")
        self._out(f"/{element.kind} <</MCID {mcid}>> BDC{inner}")
        drawn = self.draw(
            x,
            baseline,
            text,
            size,
            bold=bold,
            align=align,
            width_mm=width_mm,
            language=language,
            gray=gray,
            base=base,
            mirror=mirror,
        )
        self._out(f"EMC{close}")
        return drawn

    def draw(
        self,
        x: float,
        baseline: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "L",
        width_mm: float = 0,
        language: str | None = None,
        gray: int = 0,
        base: str | None = None,
        mirror: bool | None = None,
    ) -> float:
        """Draw one line of ``text``, untagged (inside :meth:`artifact` or :meth:`text_at`)."""
        line = shape(text, language, bold, base)
        line_mm = line.width * size / PT
        x, align = self._place(x, width_mm, align, mirror)
        if align == "R":
            x += width_mm - line_mm
        # Text is black (or grey) whatever colour the last shape was filled with.
        font, current = self._state
        color = "" if current == gray else f"{gray / 255:.3f} g\n"
        self._state = (font, gray)
        self._out(f"{color}{self._glyphs(line, x, baseline, size)}")
        return line_mm

    def _place(
        self, x: float, width_mm: float, align: str, mirror: bool | None
    ) -> tuple[float, str]:
        """Where a line's box starts and how it aligns in it, on the page.

        Callers measure from the start of the line, the left edge in English:
        in a right-to-left document the box is mirrored about the page's
        middle and its alignment swaps, so a letter is laid out once for both
        (the date line at the left in Arabic, the addressee at the right).
        """
        if not (self.direction == "rtl" if mirror is None else mirror):
            return x, align
        return self.w - x - width_mm, "L" if align == "R" else "R"

    def start(self, x: float, width_mm: float = 0) -> float:
        """The page's x of a box measured from the start edge (mirrored right to left)."""
        return self.w - x - width_mm if self.direction == "rtl" else x

    def bar(self, x: float, y: float, w: float, h: float, rgb: tuple[int, int, int]) -> None:
        """A filled rectangle, as an artifact (the figures beside it are the content);
        ``x`` measured from the start edge."""
        x = self.start(x, w)
        r, g, b = (c / 255 for c in rgb)
        self._state = (self._state[0], None)  # the fill colour is the bar's now
        with self.artifact():
            self._out(
                f"{r:.3f} {g:.3f} {b:.3f} rg {x * PT:.2f} {(self.h - y) * PT:.2f}"
                f" {w * PT:.2f} {-h * PT:.2f} re f"
            )

    def measure(self, text: str, size: float, *, bold: bool = False) -> float:
        """Width of ``text`` on one line, in mm."""
        return width(text, language_for(script_of(text), None), bold) * size / PT

    def paragraph(
        self,
        text: str,
        *,
        size: float = 10.5,
        bold: bool = False,
        gap: float = 2,
        kind: str = "P",
        parent: Element | None = None,
        attributes: str = "",
        indent: float = 0,
        gray: int = 0,
        direction: str | None = None,
    ) -> Element:
        """A paragraph wrapped to the text width, continuing on a new page when needed.

        ``attributes`` are the element's extra entries (a ``/Lang`` for text in
        another language than the document's); ``indent`` (mm) indents every
        line after the first, under the text that follows a list's marker.
        ``direction`` is the paragraph's ("rtl", "ltr"; default the document's):
        it sets the lines' base direction and the edge they start from.
        """
        direction = direction or self.direction
        element = self.element(kind, parent, attributes)
        leading = size / PT * 1.45
        x = self.l_margin
        for i, line in enumerate(self._wrapped(text, size, bold, indent)):
            if self.y + leading > self.h - 18:
                self.add_page()
            at = x + (indent if i else 0)
            self.text_at(
                element,
                at,
                self.y + leading * 0.75,
                line,
                size,
                bold=bold,
                gray=gray,
                base=direction,
                mirror=direction == "rtl",
            )
            self.y += leading
        self.y += gap
        return element

    def _wrapped(self, text: str, size: float, bold: bool, indent: float = 0) -> list[str]:
        measure = (self.w - self.l_margin - self.r_margin - indent) * PT / size
        return wrap(text, measure, language_for(script_of(text), None), bold)

    def lines_needed(self, text: str, size: float, *, bold: bool = False) -> int:
        """How many lines :meth:`paragraph` takes for ``text``."""
        return len(self._wrapped(text, size, bold))

    def keep_together(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.y + height > self.h - 18:
            self.add_page()

    def heading(
        self,
        text: str,
        level: int = 1,
        *,
        size: float = 12,
        gap: float = 2,
        attributes: str = "",
        direction: str | None = None,
    ) -> Element:
        """A heading (H1, H2...) in bold; it starts a new page rather than end one."""
        self.keep_together(size / PT * 4)
        return self.paragraph(
            text,
            size=size,
            bold=True,
            gap=gap,
            kind=f"H{level}",
            attributes=attributes,
            direction=direction,
        )

    # -- what is not content ------------------------------------------------------------

    def paragraph_at(self, x: float, baseline: float, text: str, size: float) -> Element:
        """A one-line paragraph at a given place."""
        element = self.element("P")
        self.text_at(element, x, baseline, text, size)
        return element

    @contextmanager
    def artifact(self, kind: str = "") -> Iterator[None]:
        """Draw what readers should skip: rules, bars, running headers (``kind``: their type)."""
        self._out(f"/Artifact <</Type {kind}>> BDC" if kind else "/Artifact BMC")
        yield
        self._out("EMC")

    def footer(self) -> None:
        with self.artifact("/Pagination /Subtype /Footer"):
            self.draw(
                self.l_margin, self.h - 9, f"{self.footer_text}  ·  {self.page_no()}", 8, gray=110
            )
