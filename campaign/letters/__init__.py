"""The cover letter's content: who writes it, to whom, and what it says, in its language.

What a delivery's letter says, kept apart from how it is drawn (the PDF
engine in ``campaign.exports.letter`` reads it): ``content`` builds a
:class:`~campaign.letters.content.LetterContent` for one call, language and
country; ``settings`` keeps the organisation's letterhead (edited by
administrators), ``cover`` the cover text per call and language (edited by
the call's editors, with a default drawn from the call); ``text`` gives the
call's text as plain blocks without its closing appeal to the public;
``formatting`` the place and date line and countries in the letter's
alphabetical order. ``backoffice`` and ``forms`` are the organisers' pages.
"""

# The letterhead's logo: the largest upload accepted, and the box it is fitted into.
DEFAULTS = {
    "LETTER_LOGO_MAX_BYTES": 2 * 1024 * 1024,
    "LETTER_LOGO_MAX_SIZE": 600,
}
