"""Drawing shaped lines in a PDF: each glyph by its id, standing for its own characters.

fpdf2 maps characters to glyphs itself; a shaped line (:mod:`.shaping`)
already has its glyphs, so they are written here directly: each glyph gets
a code in its font's subset whose ToUnicode entry is the characters it
stands for, and runs are shown with TJ, shifted to HarfBuzz's positions.
Kept for :class:`.pdf.DeliveryPdf`, which mixes it in.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import PDFResourceType
from fpdf.fonts import Glyph as FpdfGlyph
from fpdf.fonts import TTFFont

from .fonts import FontSpec, face_index, require
from .shaping import Line, Run

PT = 72 / 25.4  # points per millimetre
HIDDEN_SCALE = 1  # per cent: the horizontal scaling of a ligature's invisible letters


class GlyphWriter(FPDF):
    """The fonts, glyph codes and content-stream operators of shaped lines."""

    _fonts: dict[FontSpec, TTFFont]
    _codes: dict[tuple[FontSpec, int, str], tuple[int, int]]
    _cff_cids: dict[tuple[FontSpec, int], int]
    _on_page: set[tuple[int, int]]
    _bodies: dict[tuple[int, float], tuple[Line, list]]
    _state: tuple[object, object]

    def _font(self, spec: FontSpec) -> TTFFont:
        font = self._fonts.get(spec)
        if font is None:
            path = require(spec)
            self.add_font(spec.family, "", path, collection_font_number=face_index(path, spec.face))
            font = self.fonts[spec.family.lower()]
            # BaseFont is the font's PostScript name, as readers and checkers expect.
            font.name = str(font.ttfont["name"].getDebugName(6))
            if font.is_cff and font.is_cid_keyed:
                font.subset._char_id_per_glyph.clear()  # codes are CIDs: nothing reserved
            self._fonts[spec] = font
        return font

    def _code(self, spec: FontSpec, gid: int, text: str) -> tuple[int, int]:
        """The code that draws glyph ``gid`` standing for ``text``, and its width (1/1000 em)."""
        key = (spec, gid, text)
        found = self._codes.get(key)
        if found is None:
            font = self._font(spec)
            name = font.ttfont.getGlyphName(gid)
            advance = round(font.scale * font.ttfont["hmtx"].metrics[name][0])
            unicode = tuple(ord(c) for c in text)
            if font.is_cff and font.is_cid_keyed:
                cid = int(name[3:]) if name.startswith("cid") else gid
                if (spec, cid) not in self._cff_cids:
                    glyph = FpdfGlyph(gid, unicode, name, advance)
                    font.subset._char_id_per_glyph[glyph] = cid
                    self._cff_cids[(spec, cid)] = cid
                found = (cid, advance)
            else:
                glyph = font.subset.get_glyph(
                    glyph=gid, unicode=unicode, glyph_name=name, glyph_width=advance
                )
                found = (font.subset.pick_glyph(glyph), advance)
            self._codes[key] = found
        return found

    def _use_on_page(self, spec: FontSpec) -> int:
        font = self._font(spec)
        if (self.page, font.i) not in self._on_page:
            self._resource_catalog.add(PDFResourceType.FONT, font.i, self.page)
            self._on_page.add((self.page, font.i))
        return font.i

    def _glyphs(self, line: Line, x: float, baseline: float, size: float) -> str:
        """Content-stream operators drawing ``line`` with its left end at ``x`` (mm)."""
        ops = []
        y = (self.h - baseline) * PT
        font_state, gray = self._state
        for spec, start, body in self._runs(line, size):
            font = (self._use_on_page(spec), size)
            ops.append("BT" if font == font_state else f"BT /F{font[0]} {size:.2f} Tf")
            ops.append(f"1 0 0 1 {x * PT + start:.2f} {y:.2f} Tm\n{body}\nET")
            font_state = font
        self._state = (font_state, gray)
        return "\n".join(ops)

    def _runs(self, line: Line, size: float) -> list[tuple[FontSpec, float, str]]:
        """Each run of ``line``: its font, where it starts (pt from the line's left end) and
        the operators showing its glyphs from there. Kept for lines drawn again (countries,
        dates, headers): this is most of the time spent per name."""
        key = (id(line), size)
        found = self._bodies.get(key)
        if found is not None:
            return found[1]
        runs = [self._run(run, size) for run in line.runs]
        if len(self._bodies) > 4096:
            self._bodies.clear()
        self._bodies[key] = (line, runs)  # the line is kept, so its id is not reused
        return runs

    def _run(self, run: Run, size: float) -> tuple[FontSpec, float, str]:
        start = run.glyphs[0].x * size
        pen = start
        rise = 0.0
        ops: list[str] = []
        shown: list[str] = []  # TJ operands: hex strings of codes, and shifts between them
        for glyph in run.glyphs:
            code, advance = self._code(run.font, glyph.gid, glyph.text)
            target = glyph.x * size
            if glyph.y * size != rise:
                if shown:
                    ops.append(f"[{''.join(shown)}] TJ")
                    shown = []
                rise = glyph.y * size
                ops.append(f"{rise:.2f} Ts")
            shift = (pen - target) * 1000 / size
            if abs(shift) > 0.5:
                shown.append(f"{shift:.0f}")
            if glyph.hidden:
                # Invisible, and squeezed to a sliver (Tz): readers place a letter by its
                # box, and a wide one (alef maksura in ليلى) over its ligature reads as
                # out of order, splitting the name.
                ops.append(
                    f"[{''.join(shown)}] TJ 3 Tr {HIDDEN_SCALE} Tz [<{code:04X}>] TJ 100 Tz 0 Tr"
                )
                shown = []
                pen = target + advance * size / 1000 * HIDDEN_SCALE / 100
                continue
            if shown and shown[-1][-1] == ">":
                shown[-1] = f"{shown[-1][:-1]}{code:04X}>"
            else:
                shown.append(f"<{code:04X}>")
            pen = target + advance * size / 1000
        if shown:
            ops.append(f"[{''.join(shown)}] TJ")
        if rise:
            ops.append("0 Ts")
        return run.font, start, "\n".join(ops)
