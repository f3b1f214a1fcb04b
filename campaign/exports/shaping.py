"""A line of text as glyphs: fonts chosen, bidirectional order resolved, shaped by HarfBuzz.

``shape(text)`` returns where each glyph goes on the line (in ems from the
line's left edge) and, for each, the characters it stands for, listed in
*reading* order: a PDF drawn in that order gives the right text to readers
that take characters as they come (pypdf, pdfminer.six), while the glyphs
still land in their visual places, right to left for Arabic and Hebrew.
Readers that follow /ActualText (poppler) get the whole text from the span.

Steps: split the text into runs of one font (:func:`.fonts.itemize`),
resolve the Unicode bidirectional algorithm (fpdf2's implementation of
UAX #9) when the text holds right-to-left letters, cut it into pieces of
one font and one embedding level, lay the pieces out in visual order, and
shape each with HarfBuzz in its direction. HarfBuzz forms the conjuncts
(the reph of अर्जुन, क्ष), the Arabic joining forms and the lam-alef
ligature, and places the marks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import uharfbuzz as hb
from fpdf.bidi import BidiParagraph
from fpdf.enums import TextDirection

from .fonts import BASE, BOLD, FONTS, FontSpec, face_index, itemize, require


@dataclass(frozen=True, slots=True)
class Glyph:
    gid: int
    x: float  # where the glyph is drawn, in ems from the line's left edge
    y: float  # raised by this much, in ems
    text: str  # the characters it stands for; "" for a cluster's further glyphs
    hidden: bool = False  # drawn invisibly, to stand for a letter inside a ligature


@dataclass(frozen=True, slots=True)
class Run:
    font: FontSpec
    glyphs: tuple[Glyph, ...]  # in reading order


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    width: float  # in ems
    runs: tuple[Run, ...]
    # Each glyph stands for its own characters, and read from left to right they give the
    # text: a reader ordering characters by position gets it right without /ActualText.
    plain: bool = False


@cache
def _hb_font(spec: FontSpec) -> tuple[hb.Font, int]:
    path = require(spec)
    face = hb.Face(hb.Blob.from_file_path(path), face_index(path, spec.face))
    return hb.Font(face), face.upem


_RTL = frozenset({"R", "AL"})


@lru_cache(maxsize=16384)
def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in _RTL for c in text)


# A paragraph's base direction: "rtl" or "ltr", or None for its first strong letter's (a
# name, isolated from the text around it like HTML's dir="auto").
_BASE = {"rtl": TextDirection.RTL, "ltr": TextDirection.LTR, None: None}


def _levels(text: str, base: str | None = None) -> tuple[list[int], list[int]]:
    """(embedding level per character, character indices in visual order)."""
    if not has_rtl(text):
        return [0] * len(text), list(range(len(text)))
    paragraph = BidiParagraph(text, base_direction=_BASE[base])
    visual = paragraph.get_reordered_characters()
    levels = [0] * len(text)
    for char in visual:
        levels[char.character_index] = char.embedding_level
    order = [char.character_index for char in visual]
    # Characters the algorithm drops (format controls) are drawn nowhere.
    return levels, order


def _pieces(
    text: str, language: str | None, bold: bool, base: str | None = None
) -> list[tuple[int, int, FontSpec | None, bool]]:
    """(start, end, font, right to left) for each piece, in visual order."""
    font_at: list[FontSpec | None] = [None] * len(text)
    for start, end, index in itemize(text):
        spec = FONTS[index] if index is not None else None
        if spec is BASE and bold:
            spec = BOLD
        font_at[start:end] = [spec] * (end - start)
    levels, order = _levels(text, base)
    pieces: list[tuple[int, int, FontSpec | None, bool]] = []
    for index in order:
        rtl = levels[index] % 2 == 1
        if pieces:
            start, end, font, was_rtl = pieces[-1]
            if font is font_at[index] and was_rtl == rtl:
                if not rtl and index == end:
                    pieces[-1] = (start, end + 1, font, rtl)
                    continue
                if rtl and index == start - 1:
                    pieces[-1] = (index, end, font, rtl)
                    continue
        pieces.append((index, index + 1, font_at[index], rtl))
    return pieces


@lru_cache(maxsize=4096)
def shape(
    text: str, language: str | None = None, bold: bool = False, base: str | None = None
) -> Line:
    """``text`` on one line, in the glyph forms of ``language`` (BCP 47: ja, zh-Hant, ne).

    ``base`` is the paragraph's direction: an Arabic letter's sentences are
    right to left even where they open with a Latin name or a number, so
    "2. أوقفوا" keeps its number at the right; None takes the first letter's.
    """
    clusters: list[tuple[int, FontSpec, list[Glyph]]] = []  # (logical start, font, glyphs)
    pen = 0.0
    for start, end, spec, rtl in _pieces(text, language, bold, base):
        if spec is None:  # no installed font has these characters: nothing to draw
            continue
        font, upem = _hb_font(spec)
        buffer = hb.Buffer()
        buffer.add_str(text[start:end])
        buffer.guess_segment_properties()
        buffer.direction = "rtl" if rtl else "ltr"
        if language:  # the language's glyph forms (locl): Japanese kanji, Nepali letters
            buffer.language = language
        hb.shape(font, buffer, {})
        found: dict[int, list[tuple[int, float, float]]] = {}
        marks: set[tuple[int, float]] = set()  # glyphs that take no room: (gid, x)
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
            x = pen + pos.x_offset / upem
            found.setdefault(info.cluster, []).append((info.codepoint, x, pos.y_offset / upem))
            if pos.x_advance == 0:
                marks.add((info.codepoint, x))
            pen += pos.x_advance / upem
        bounds = sorted(found)
        for cluster, after in zip(bounds, [*bounds[1:], end - start], strict=True):
            chars = text[start + cluster : start + after]
            glyphs = _cluster(spec, chars, found[cluster], marks)
            if rtl:  # the marks read with their letter, each drawn invisibly beside it
                glyphs = _split_ligatures(spec, _fold_marks(glyphs, marks))
            else:
                glyphs = _fold_marks(glyphs, marks)
            clusters.append((start + cluster, spec, glyphs))
    clusters.sort(key=lambda item: item[0])
    runs: list[Run] = []
    for _start, spec, glyphs in clusters:
        if runs and runs[-1].font is spec:
            runs[-1] = Run(spec, runs[-1].glyphs + tuple(glyphs))
        else:
            runs.append(Run(spec, tuple(glyphs)))
    drawn = sorted((g for run in runs for g in run.glyphs), key=lambda g: g.x)
    plain = not has_rtl(text) and "".join(g.text for g in drawn) == text
    plain = plain and all(g.text and not g.hidden for g in drawn)
    return Line(text, pen, tuple(runs), plain)


def _cluster(
    spec: FontSpec,
    chars: str,
    drawn: list[tuple[int, float, float]],
    marks: set[tuple[int, float]] = frozenset(),  # type: ignore[assignment]
) -> list[Glyph]:
    """The glyphs of one cluster, each standing for some of its characters, in reading order.

    A glyph that a character maps to in the font stands for that character
    (the vowel sign of जु); what is left goes to the first other glyph (the
    reph stands for र्). Listed by the position of their characters, the
    glyphs then read र्, ज, ु: the cluster's text, in order, for readers
    that take characters as they come.
    """
    if len(drawn) == 1:
        gid, x, y = drawn[0]
        return [Glyph(gid, x, y, chars)]
    natural = _characters_of(spec)
    free = list(range(len(chars)))
    claimed: list[list[int]] = [[] for _ in drawn]
    for n, (gid, _x, _y) in enumerate(drawn):
        char = natural.get(gid)
        index = next((i for i in free if chars[i] == char), None)
        if index is not None:
            claimed[n].append(index)
            free.remove(index)
    # The characters left go, in order, to the glyphs no character maps to (a ligature
    # of several, a contextual form): one each, the first taking what is over.
    # A glyph that takes room (a letter) comes before a mark: the shadda-kasra mark of قِّ,
    # raised above the line, standing for ق made poppler break the word there.
    unclaimed = sorted(
        (n for n, c in enumerate(claimed) if not c),
        key=lambda n: (drawn[n][0], drawn[n][1]) in marks,
    ) or [0]
    extra = max(len(free) - len(unclaimed), 0)
    for position, n in enumerate(unclaimed):
        take = free[: extra + 1] if position == 0 else free[:1]
        claimed[n] = sorted(claimed[n] + take)
        free = free[len(take) :]
    order = sorted(range(len(drawn)), key=lambda n: claimed[n][0] if claimed[n] else len(chars))
    return [
        Glyph(drawn[n][0], drawn[n][1], drawn[n][2], "".join(chars[i] for i in claimed[n]))
        for n in order
    ]


def _fold_marks(glyphs: list[Glyph], marks: set[tuple[int, float]]) -> list[Glyph]:
    """A mark (a glyph that takes no room: the vowel sign of टे) is read with the letter
    before it, in a left-to-right cluster; the mark's glyph then stands for nothing.

    Drawn as its own character, the mark sits a hair before the next letter
    (-0.044 em for े), and poppler takes a letter that close to the one
    before for text drawn twice: "पटेल" came out as "पटे ल".
    """
    out: list[Glyph] = []
    for glyph in glyphs:
        if out and glyph.text and (glyph.gid, glyph.x) in marks:
            last = out[-1]
            out[-1] = Glyph(last.gid, last.x, last.y, last.text + glyph.text, last.hidden)
            glyph = Glyph(glyph.gid, glyph.x, glyph.y, "")
        out.append(glyph)
    return out


def _split_ligatures(spec: FontSpec, glyphs: list[Glyph]) -> list[Glyph]:
    """A right-to-left ligature (lam-alef) stands for its first letter; each further letter
    is its own invisible glyph just left of it.

    Readers that order characters by position (poppler) reverse right-to-left
    text character by character, so a ligature standing for "لا" came out
    as "ال". Split, each letter has a place: lam on the ligature, alef just
    to its left, where it is written; in the content stream they follow
    each other in reading order.
    """
    out: list[Glyph] = []
    for glyph in glyphs:
        if len(glyph.text) < 2:
            out.append(glyph)
            continue
        gids = _glyphs_of(spec)
        out.append(Glyph(glyph.gid, glyph.x, glyph.y, glyph.text[0]))
        for n, char in enumerate(glyph.text[1:], start=1):
            gid = gids.get(char)
            if gid is None:  # the font cannot stand for it: keep the letters together
                out[-1] = glyph
                break
            out.append(Glyph(gid, glyph.x - 0.01 * n, glyph.y, char, hidden=True))
    return out


@cache
def _glyphs_of(spec: FontSpec) -> dict[str, int]:
    return {char: gid for gid, char in reversed(_characters_of(spec).items())}


@cache
def _characters_of(spec: FontSpec) -> dict[int, str]:
    """Glyph id -> the character the font maps to it (the first, for shared glyphs)."""
    from fontTools.ttLib import TTFont

    path = require(spec)
    font = TTFont(path, fontNumber=face_index(path, spec.face), lazy=True)
    try:
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        mapping: dict[int, str] = {}
        for point, name in sorted(font.getBestCmap().items()):
            mapping.setdefault(order[name], chr(point))
        return mapping
    finally:
        font.close()


def width(text: str, language: str | None = None, bold: bool = False) -> float:
    """How wide ``text`` is on one line, in ems."""
    return shape(text, language, bold).width


def wrap(text: str, measure: float, language: str | None = None, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``measure`` ems (a long word alone).

    Lines break at spaces, and also between Chinese and Japanese characters,
    which set no space between words; never before closing punctuation (a
    full-width comma or stop, a closing bracket) nor after opening punctuation.
    """
    lines: list[str] = []
    current = ""
    for piece, spaced in _breakable(text):
        candidate = f"{current} {piece}" if current and spaced else current + piece
        if current and width(candidate, language, bold) > measure:
            lines.append(current)
            current = piece
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


# Characters a line may not start with, and may not end with (after JIS X 4051's kinsoku).
_NO_START = frozenset("，。、：；？！）」』》〉】”’…·%,.:;?!)]}")  # noqa: RUF001
_NO_END = frozenset("（「『《〈【“‘([{")  # noqa: RUF001


def _wide(char: str) -> bool:
    """A character of a script written without spaces between words (CJK ideographs, kana,
    their punctuation and full-width forms)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _breakable(text: str) -> list[tuple[str, bool]]:
    """``text`` as the pieces a line may break between: (piece, whether a space precedes)."""
    pieces: list[tuple[str, bool]] = []
    for word in text.split():
        start = 0
        for i in range(1, len(word)):
            before, char = word[i - 1], word[i]
            if (_wide(before) or _wide(char)) and char not in _NO_START and before not in _NO_END:
                pieces.append((word[start:i], start == 0))
                start = i
        pieces.append((word[start:], start == 0))
    return pieces
