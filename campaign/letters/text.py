"""A call's text as a letter gives it: plain blocks, without its appeal to the public.

A call is written for the people who sign it, and often ends by asking them
to (the demo's "Add your name, and help us carry this message…"). A letter
to a government hands the call over; it must not close by asking a head of
government to add their name. :func:`is_appeal` recognises such sentences
(asking the reader to add their name, sign, join or share) in the site's
languages, and :func:`without_closing_appeal` drops them from the end of the
call. The phrases are listed per language below; a language added to the
site adds its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

# Sentences that ask the reader to sign, join or share, by language. Every list is
# checked whatever the text's language (a French letter may give the English call),
# so each phrase must be unambiguous in all of them.
APPEAL_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (
        r"add your (?:name|signature|voice)",
        r"(?:please )?sign (?:this|the|our|now|up|today|here)\b",
        r"join (?:the|this|our) (?:call|campaign|petition|movement)",
        r"join us",
        r"share (?:this|the) (?:call|petition|page)",
    ),
    "fr": (
        r"ajoute(?:z)? (?:votre|ton) (?:nom|signature|voix)",
        r"signez",
        r"rejoigne(?:z)?",
        r"rejoins",
        r"partagez",
    ),
    "es": (
        r"añad(?:a|e) (?:su|tu) (?:nombre|firma|voz)",
        r"firm(?:e|a) (?:este|esta|el|la|ahora|aquí|hoy|ya)\b",
        r"súm(?:ese|ate)",
        r"ún(?:ase|ete)",
        r"compart(?:a|e) (?:este|esta|el|la)\b",
    ),
    # Arabic with or without its short vowels and shadda (U+064B-U+0652).
    "ar": (
        r"أضف(?:وا)? (?:اسم|توقيع|صوت)",
        r"انضم[\u064b-\u0652]*(?:وا)? إلى",
        r"وق[\u064b-\u0652]*ع[\u064b-\u0652]*(?:وا)? (?:على )?(?:هذا |ال)نداء",
        r"شار[\u064b-\u0652]*ك[\u064b-\u0652]*(?:وا)? (?:هذا |ال)(?:نداء|صفحة)",
    ),
    "zh": (r"请(?:您)?签(?:名|署)", r"请(?:您)?加入", r"请(?:您)?分享"),
    "ru": (
        r"постав(?:ьте|ь) (?:свою |вашу )?подпись",
        r"подпиш(?:ите|и)(?:сь|тесь)?\b",
        r"присоедин(?:яйтесь|итесь|яйся|ись)",
        r"подел(?:итесь|ись)",
    ),
}
_APPEAL = re.compile(
    r"(?<!\w)(?:" + "|".join(p for ps in APPEAL_PHRASES.values() for p in ps) + r")",
    re.IGNORECASE,
)
# A sentence ends at ., ! or ? (or an ellipsis), possibly followed by closing quotes or
# brackets (straight, curly and guillemets, which French sets off with a no-break space).
# Arabic asks with U+061F; Chinese ends a sentence with a full-width stop (U+3002, U+FF01,
# U+FF1F) and no space after.
_ENDS = "[.!?\u2026\u061f]"
_CJK_ENDS = "[\u3002\uff01\uff1f]"
_CLOSERS = "(?:[\u00a0\u202f]?[" + re.escape("\"')]\u201d\u2019\u00bb\u300d\u300f\uff09") + "])*"
_SENTENCE = re.compile(f"\\S.*?(?:{_ENDS}{_CLOSERS}(?=\\s|$)|{_CJK_ENDS}{_CLOSERS}|$)", re.DOTALL)
FULL_SENTENCE = re.compile(f"(?:{_ENDS}|{_CJK_ENDS}){_CLOSERS}$")


@dataclass(frozen=True)
class Block:
    """A paragraph of plain text: ``kind`` is "paragraph", "heading" or "item" (of a list,
    with its ``marker``: "1." or "•")."""

    kind: str
    text: str
    marker: str = ""


def sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text.strip())


def is_appeal(sentence: str) -> bool:
    """Whether ``sentence`` asks its reader to add their name, sign, join or share."""
    return bool(_APPEAL.search(sentence))


def without_appeals(text: str) -> tuple[str, list[str]]:
    """``text`` without its sentences that are appeals, and those sentences."""
    kept, dropped = [], []
    for sentence in sentences(text):
        (dropped if is_appeal(sentence) else kept).append(sentence)
    # Chinese sets no space between sentences.
    return "".join(
        a + ("" if re.search(f"{_CJK_ENDS}{_CLOSERS}$", a) else " ") for a in kept
    ).rstrip(), dropped


def without_closing_appeal(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The call's blocks without the appeal it closes with, and the sentences left out.

    The appeal's sentences are dropped from the last block; when nothing of
    that block is left, it goes, and the block before is looked at the same
    way. An appeal in the middle of the text is left alone: it is part of
    what people signed.
    """
    kept = list(blocks)
    dropped: list[str] = []
    while kept:
        last = kept[-1]
        text, appeals = without_appeals(last.text)
        if not appeals:
            break
        dropped = appeals + dropped
        if text:
            kept[-1] = Block(last.kind, text, last.marker)
            break
        kept.pop()
    return kept, dropped


_parser = MarkdownIt("commonmark")


def plain_blocks(markdown: str) -> list[Block]:
    """Markdown as plain blocks: emphasis and links reduced to their text, lists numbered."""
    blocks: list[Block] = []
    counters: list[int | None] = []  # per open list: the next number, None for bullets
    marker: str | None = None  # the marker of a list item whose first block is still to come
    heading = False
    for token in _parser.parse(markdown or ""):
        if token.type == "ordered_list_open":
            counters.append(int(token.attrGet("start") or 1))
        elif token.type == "bullet_list_open":
            counters.append(None)
        elif token.type in ("ordered_list_close", "bullet_list_close"):
            counters.pop()
        elif token.type == "list_item_open":
            marker = "•" if counters[-1] is None else f"{counters[-1]}."
            if counters[-1] is not None:
                counters[-1] += 1
        elif token.type in ("heading_open", "heading_close"):
            heading = token.type == "heading_open"
        elif token.type in ("inline", "code_block", "fence"):
            text = _inline_text(token) if token.type == "inline" else token.content.strip()
            if heading:
                blocks.append(Block("heading", text))
            elif marker is not None:
                blocks.append(Block("item", text, marker))
                marker = None
            else:
                blocks.append(Block("item" if counters else "paragraph", text))
    return [b for b in blocks if b.text]


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
    return re.sub(r"[ \t]+", " ", "".join(parts)).strip()
