"""Publications: reports organisers publish, with a PDF per language.

A publication has a slug, the language it was written in, a publication
date, an optional related call and a cover; its title, summary (Markdown)
and the cover's alt text are written per language, with a PDF per language
(``files`` checks an upload is a PDF, ``services`` stores it in the
database, so every host serves it). ``services.published`` is **the one
definition of what the public sees**: every page, the JSON and the Atom
feed (``feeds``) read through it. Downloads are counted per publication and
language, never per person. Back office: ``backoffice`` (``forms``); the
demo's sample report: ``demo`` and ``sample``.
"""

from __future__ import annotations

from flask import Blueprint

DEFAULTS = {
    # The largest PDF accepted per language (the back office's upload takes a little
    # more, for the form's other fields; anything larger is refused with a message).
    "PUBLICATION_MAX_BYTES": 25 * 1024 * 1024,
    # A cover is re-encoded to fit this box, from an upload no larger than this.
    "PUBLICATION_COVER_MAX_BYTES": 4 * 1024 * 1024,
    "PUBLICATION_COVER_SIZE": 1200,
}

bp = Blueprint("publications", __name__)
