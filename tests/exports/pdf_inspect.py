"""Reading delivery PDFs as a checker would: text three ways, glyphs drawn, structure, metadata.

Nothing here knows how the PDFs are made. Text comes out through poppler's
``pdftotext`` and two pure-Python readers (pypdf, pdfminer.six); the glyphs
a name is drawn with are read from the content stream and the embedded
font, to be compared with what HarfBuzz picks from the font file itself;
structure, language and metadata are read with pikepdf.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pikepdf
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

# Directional formatting characters (RLE, LRE, PDF...): pdftotext wraps right-to-left text in
# them so that it displays right; they are invisible, and not part of the name.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def pdftotext(data: bytes, *args: str) -> str:
    assert shutil.which("pdftotext"), "pdftotext missing: bin/system-deps installs poppler-utils"
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, "-", "-"],
        input=data,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def pypdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


# -- what is drawn ------------------------------------------------------------------------


@dataclass
class Span:
    """Tagged content (a marked-content sequence with an MCID): its text and what draws it.

    The text is the /ActualText of the content or of a Span inside it, else
    what the glyphs map to through their fonts' ToUnicode, in drawing order.
    """

    mcid: int
    page: int
    actual_text: str | None = None
    lang: str | None = None
    glyphs: list[tuple[str, int]] = field(default_factory=list)  # drawn: (font resource, code)
    mapped: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.actual_text if self.actual_text is not None else "".join(self.mapped)


def _decode(value: object) -> str | None:
    return str(value) if value is not None else None


@cache
def _to_unicode_of(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries, for two-byte codes."""
    text = data.decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[int(code, 16)] = bytes.fromhex(target).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(target, 16)
            for n, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + n)
    return mapping


def _font_maps(page: pikepdf.Page) -> dict[str, dict[int, str]]:
    maps = {}
    for name, resource in page.Resources.get("/Font", {}).items():
        cmap = resource.get("/ToUnicode")
        maps[str(name)] = _to_unicode_of(cmap.read_bytes()) if cmap is not None else {}
    return maps


def spans(pdf: pikepdf.Pdf) -> list[Span]:
    """Every piece of tagged content on every page (artifacts left out), with its
    /ActualText and /Lang (its own or a Span's inside it) and the codes it shows."""
    found: list[Span] = []
    for number, page in enumerate(pdf.pages):
        maps = _font_maps(page)
        stack: list[Span | None] = []  # the tagged content each open sequence belongs to
        font = ""
        invisible = False  # text render mode 3: stands for text, draws nothing
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" else None
                if isinstance(props, pikepdf.Name):
                    props = page.Resources.Properties[props]
                current = stack[-1] if stack else None
                if str(operands[0]) == "/Artifact":
                    current = None
                elif props is not None and "/MCID" in props:
                    current = Span(int(props.MCID), number)
                    found.append(current)
                if current is not None and props is not None:
                    if "/ActualText" in props:
                        current.actual_text = _decode(props.ActualText)
                    if "/Lang" in props:
                        current.lang = _decode(props.Lang)
                stack.append(current)
            elif op == "EMC":
                stack.pop()
            elif op == "Tf":
                font = str(operands[0])
            elif op == "Tr":
                invisible = int(operands[0]) == 3
            elif op in ("Tj", "TJ") and stack and stack[-1] is not None:
                span = stack[-1]
                for item in operands[0] if op == "TJ" else [operands[0]]:
                    if isinstance(item, pikepdf.String):
                        raw = bytes(item)
                        codes = [
                            int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                        ]
                        if not invisible:
                            span.glyphs += [(font, code) for code in codes]
                        span.mapped += [maps.get(font, {}).get(code, "") for code in codes]
    return found


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str
    ttfont: TTFont
    cid_to_gid: bytes | None  # None: Identity

    def glyph_name(self, code: int) -> str:
        gid = code
        if self.cid_to_gid is not None:
            gid = int.from_bytes(self.cid_to_gid[2 * code : 2 * code + 2], "big")
        return self.ttfont.getGlyphOrder()[gid]

    def fingerprint(self, code: int) -> tuple:
        return outline(self.ttfont, self.glyph_name(code))


def embedded_font(page: pikepdf.Page, resource: str) -> EmbeddedFont:
    font = page.Resources.Font[resource]
    descendant = font.DescendantFonts[0]
    descriptor = descendant.FontDescriptor
    program = descriptor.get("/FontFile2")
    assert program is not None, f"{font.BaseFont}: only TrueType outlines are compared"
    cid_map = descendant.get("/CIDToGIDMap")
    cid_to_gid = (
        None if cid_map is None or isinstance(cid_map, pikepdf.Name) else cid_map.read_bytes()
    )
    return EmbeddedFont(str(font.BaseFont), TTFont(io.BytesIO(program.read_bytes())), cid_to_gid)


def outline(ttfont: TTFont, glyph_name: str) -> tuple:
    """A glyph as its drawn outline (components resolved) and its advance width."""
    glyphs = ttfont.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[glyph_name].draw(pen)
    return (ttfont["hmtx"][glyph_name][0], tuple(pen.value))


@cache
def system_font(postscript_name: str) -> TTFont:
    """The installed font with this PostScript name (the embedded one's subset prefix gone)."""
    listing = subprocess.run(
        ["fc-list", f":postscriptname={postscript_name}", "file"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    paths = [line.split(":")[0] for line in listing.splitlines() if line.strip()]
    assert paths, f"no installed font is called {postscript_name}"
    return TTFont(paths[0])


def harfbuzz_outlines(text: str, path: str) -> list[tuple]:
    """The outlines HarfBuzz draws ``text`` with, from the font file at ``path``."""
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob.from_file_path(path)))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    ttfont = TTFont(path)
    order = ttfont.getGlyphOrder()
    return [outline(ttfont, order[info.codepoint]) for info in buffer.glyph_infos]


def font_path(postscript_name: str) -> str:
    return system_font(postscript_name).reader.file.name


# -- structure and metadata --------------------------------------------------------------


@dataclass
class Element:
    type: str
    attributes: dict[str, object]
    kids: list[Element | int]
    page: int | None
    lang: str | None


def structure(pdf: pikepdf.Pdf) -> Element:
    """The structure tree as plain objects: type, /A attributes, kids (elements or MCIDs)."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}

    def walk(node: pikepdf.Dictionary, page: int | None) -> Element:
        if "/Pg" in node:
            page = pages[node.Pg.objgen]
        kids = node.get("/K")
        if kids is None:
            kids = []
        elif not isinstance(kids, pikepdf.Array):
            kids = [kids]
        out: list[Element | int] = []
        for kid in kids:
            if isinstance(kid, int):
                out.append(int(kid))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                out.append(int(kid.MCID))
            else:
                out.append(walk(kid, page))
        attributes = {}
        if "/A" in node:
            a = node.A
            for owner in a if isinstance(a, pikepdf.Array) else [a]:
                attributes.update({str(k)[1:]: str(v) for k, v in owner.items()})
        return Element(
            str(node.get("/S", "/StructTreeRoot"))[1:],
            attributes,
            out,
            page,
            _decode(node.get("/Lang")),
        )

    return walk(pdf.Root.StructTreeRoot, None)


def elements(root: Element) -> list[Element]:
    out = []
    stack = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed([k for k in node.kids if isinstance(k, Element)]))
    return out


def fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = {}
    for page in pdf.pages:
        for _name, font in page.Resources.get("/Font", {}).items():
            found[font.objgen] = font
    return list(found.values())


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.Pdf.open(io.BytesIO(data))


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path
