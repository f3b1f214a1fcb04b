"""Setting the share image's texts in every script: fonts, shaping, direction, line breaks.

Pillow draws with one font at a time and no fallback, so a line is cut into runs
of one font each (``campaign.exports.fonts.itemize``, the delivery PDFs' choice of
Debian's Noto fonts: Noto Sans for Latin and Cyrillic, Noto Sans Arabic, the SC
face of Noto Sans CJK). Each run is shaped by libraqm (HarfBuzz and FriBiDi:
joined Arabic letters, its own direction inside) and the runs are placed in the
paragraph's direction: right to left on an Arabic image, so an English word in an
Arabic title sits where a reader expects it.

Lines break at spaces, and also between any two Chinese characters (Chinese has no
spaces), but never before a closing mark (。，」) nor after an opening one (「《).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageDraw, ImageFont

from ..exports import fonts
from ..i18n import direction, text_direction

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

# The script whose font a page language's own text is drawn with; its runs are tagged with
# the language (HarfBuzz's ``locl``: Simplified Chinese forms, Arabic's own digits' shapes).
_LANGUAGE_SCRIPTS = {"ar": "Arab", "zh": "Hani"}
_RUN_LANGUAGE = {"Arab": "ar", "Hani": "zh-Hans"}

# Marks that must not start a line (closing) or end one (opening), Chinese and Western.
NO_LINE_START = frozenset("、。，．・：；？！）］｝〕〉》」』】〙〗〟’”｠»›…‥,.:;?!)]}%،؛؟")
NO_LINE_END = frozenset("（［｛〔〈《「『【〘〖〝‘“｟«‹([{")


@lru_cache(maxsize=64)
def face(index: int | None, size: int, bold: bool) -> Font:
    """The font ``index`` of ``fonts.FONTS`` at ``size``; Pillow's own when none is installed."""
    spec = fonts.FONTS[index or 0]
    path = fonts.font_path(spec.filename.replace("-Regular", "-Bold")) if bold else None
    path = path or fonts.font_path(spec.filename)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(
        path,
        size,
        index=fonts.face_index(path, spec.face),
        layout_engine=ImageFont.Layout.RAQM,
    )


@dataclass(frozen=True)
class Run:
    text: str
    font: Font
    direction: str
    language: str | None

    def options(self) -> dict:
        """Pillow's keywords for this run; only libraqm knows direction and language."""
        if getattr(self.font, "layout_engine", None) != ImageFont.Layout.RAQM:
            return {}
        return {"direction": self.direction, "language": self.language}

    def length(self, text: str | None = None) -> float:
        return self.font.getlength(self.text if text is None else text, **self.options())


@dataclass(frozen=True)
class Setter:
    """Texts at one size and weight, in the page's ``language``."""

    size: int
    bold: bool
    language: str

    @property
    def direction(self) -> str:
        return direction(self.language)

    def runs(self, text: str) -> list[Run]:
        own_script = _LANGUAGE_SCRIPTS.get(self.language)
        runs = []
        for start, end, index in fonts.itemize(text):
            chunk = text[start:end]
            script = fonts.FONTS[index or 0].script
            language = self.language if script == own_script else _RUN_LANGUAGE.get(script)
            runs.append(
                Run(
                    chunk,
                    face(index, self.size, self.bold),
                    text_direction(chunk) or self.direction,
                    language,
                )
            )
        return runs

    def length(self, text: str) -> float:
        return sum(run.length() for run in self.runs(text))

    def draw(
        self,
        draw: ImageDraw.ImageDraw,
        text: str,
        box: tuple[int, int],
        baseline: int,
        fill: str,
        align: str = "start",
    ) -> None:
        """Draw one line between x = box[0] and box[1], at the start of the paragraph's
        direction (the right edge in Arabic) or its end; runs follow one another in that
        direction, and the spaces between them stay between them."""
        rtl = self.direction == "rtl"
        width = self.length(text)
        at_right = rtl == (align == "start")
        x = box[1] if at_right else box[0]
        if at_right != rtl:  # the line ends at the edge: start where it would
            x = x - width if not rtl else x + width
        step = -1 if rtl else 1
        for run in self.runs(text):
            core = run.text.strip(" ")
            lead = run.length(run.text[: len(run.text) - len(run.text.lstrip(" "))])
            trail = run.length(run.text[len(run.text.rstrip(" ")) :])
            core_width = run.length(core)
            x += step * lead
            left = x - core_width if rtl else x
            if core:
                draw.text(
                    (left, baseline), core, font=run.font, fill=fill, anchor="ls", **run.options()
                )
            x += step * (core_width + trail)


def _breaks_anywhere(char: str) -> bool:
    """Chinese characters and full-width marks: a line may break on either side of them."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def units(text: str) -> list[tuple[str, bool]]:
    """``text`` as the pieces a line is made of, each with whether a space precedes it:
    words, and single Chinese characters with the marks that must stay beside them."""
    pieces: list[tuple[str, bool]] = []
    word, word_space, space = "", False, False

    def flush() -> None:
        nonlocal word
        if word:
            pieces.append((word, word_space))
            word = ""

    # Only ordinary spaces break: a no-break space keeps "Gouvernements :" together.
    for char in text:
        if char == " ":
            flush()
            space = True
        elif _breaks_anywhere(char):
            flush()
            pieces.append((char, space))
            space = False
        else:
            if not word:
                word_space, space = space, False
            word += char
    flush()
    glued: list[tuple[str, bool]] = []
    for piece, spaced in pieces:
        if glued and not spaced and (piece[0] in NO_LINE_START or glued[-1][0][-1] in NO_LINE_END):
            glued[-1] = (glued[-1][0] + piece, glued[-1][1])
        else:
            glued.append((piece, spaced))
    return glued


def wrap(text: str, setter: Setter, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (a piece longer than that stands
    alone); lines are in reading order, the first at the top."""
    lines: list[str] = []
    for piece, spaced in units(text):
        if lines:
            candidate = lines[-1] + (" " if spaced else "") + piece
            if setter.length(candidate) <= width:
                lines[-1] = candidate
                continue
        lines.append(piece)
    return lines


def shorten(line: str) -> str:
    """The last line that fits, marked as cut (no space before the mark in Chinese)."""
    return line + ("…" if line and _breaks_anywhere(line[-1]) else " …")
