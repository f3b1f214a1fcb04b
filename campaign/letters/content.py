"""What a cover letter says, typed and independent of how it is drawn.

:func:`campaign.letters.services.letter_content` fills a :class:`LetterContent`
for one call, language and country; a renderer (the PDF in
``campaign.exports.letter``, a preview page) draws it in this order:

1. ``letterhead``: logo, organisation's name, postal address, contact email,
   website;
2. ``place_date``, then ``addressee.lines``;
3. ``subject`` (the call's title), ``salutation``, ``introduction``, then the
   ``cover`` paragraphs;
4. ``call``: its heading, title and blocks, with ``call.fallback_note`` shown
   before the text when ``call.fallback``;
5. ``totals``, with the countries in ``totals.by_country`` (alphabetical in
   the letter's language);
6. ``first_signatories``: the heading and the people kept together (a heading
   never alone at the foot of a page);
7. ``closing.lines``: the formal closing, who signs, the organisation.

Every string is already in the letter's language; numbers are given as
numbers for the renderer to format (``babel.numbers.format_decimal``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import Block


@dataclass(frozen=True)
class Letterhead:
    """Who writes: the organisation's settings (or, before any are saved, the call's
    organisation and website). ``logo_png`` is a PNG of ``logo_size`` pixels, or None."""

    name: str
    logo_png: bytes | None
    logo_size: tuple[int, int] | None
    address_lines: tuple[str, ...]
    email: str
    website: str
    configured: bool


@dataclass(frozen=True)
class Addressee:
    """To whom: the body the call's target names for the country (``from_target``), with
    its postal address, else the country's government."""

    country: str
    country_name: str
    body: str
    lines: tuple[str, ...]
    from_target: bool


@dataclass(frozen=True)
class CallSection:
    """The call as handed over, in the letter's language when it has that translation.

    ``language`` is the language the text is really in; ``fallback`` says it is not
    the letter's (no translation), and ``fallback_note`` says so in the letter's
    language, to be printed with the text. ``left_out`` holds the sentences of the
    call's closing appeal to the public ("Add your name…"), which a letter omits.
    """

    heading: str
    title: str
    blocks: tuple[Block, ...]
    language: str
    fallback: bool
    fallback_note: str
    left_out: tuple[str, ...]


@dataclass(frozen=True)
class CountryRow:
    code: str
    name: str
    count: int
    addressed: bool  # the country this letter goes to


@dataclass(frozen=True)
class Totals:
    """Counted signatures: from the addressee's country, worldwide, and per country."""

    country: int
    worldwide: int
    countries: int
    by_country: tuple[CountryRow, ...]


@dataclass(frozen=True)
class Person:
    name: str
    title: str


@dataclass(frozen=True)
class FirstSignatories:
    """The call's notable first signatories under their heading; ``people`` is empty
    when the call has none (then nothing is drawn, heading included)."""

    heading: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Closing:
    phrase: str
    signatory: str
    organisation: str

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in (self.phrase, self.signatory, self.organisation) if line)


@dataclass(frozen=True)
class LetterContent:
    language: str
    letterhead: Letterhead
    place_date: str
    addressee: Addressee
    subject: str
    salutation: str
    introduction: str
    cover: tuple[str, ...]
    cover_is_default: bool
    call: CallSection
    totals: Totals
    first_signatories: FirstSignatories
    closing: Closing
