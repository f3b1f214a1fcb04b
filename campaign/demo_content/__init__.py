"""Demo campaign content for the ``flask seed-demo`` command.

This package is plain data and imports nothing from the application. It
reproduces, as a demonstration campaign, the CyberPeace Institute's Call to
Governments of 26 May 2020, which asked the world's governments to stop
cyberattacks on healthcare. The page text is written for this project; the
facts (dates, demands, first signatories and their titles) follow the public
record of the original call.

Exports:

* ``CALL`` -- the campaign itself (texts, organisation, dates, goal).
* ``CATEGORIES`` -- signatory categories, in display order.
* ``NOTABLE_SIGNATORIES`` -- the first prominent signatories, ordered by
  category and then by their position in the original list.
* ``TRANSLATIONS`` -- the call's own text in the five languages beside English.
* ``NOTABLE_TRANSLATIONS``, ``CATEGORY_TRANSLATIONS`` -- the first signatories'
  titles and their categories in those languages, keyed by the English.
* ``GOVERNMENT_TARGETS`` -- a few of the governments the call addresses
  (contacts at example.org: the demo writes to nobody). The demo has no
  recorded delivery and no answer: those are organisers' records of real events.
* ``ORGANISATION`` -- the letterhead of the demo's cover letters (the
  organisation's settings; contact at example.org, no logo, nobody named as
  signing: the demo puts no letter in a real person's name).
* ``PUBLICATION``, ``PUBLICATION_TEXTS``, ``PUBLICATION_SAMPLE_NOTICE`` -- the report that
  followed the call, as a demo publication whose PDFs are generated samples.
* ``EVENT_SLUG``, ``EVENT_ONLINE_URL``, ``EVENT_TEXT`` -- the panel discussion launching it.
"""

from .call import CALL, CATEGORIES, GOVERNMENT_TARGETS, NOTABLE_SIGNATORIES, ORGANISATION
from .call_translations import TRANSLATIONS
from .notable_translations import CATEGORY_TRANSLATIONS, NOTABLE_TRANSLATIONS
from .report import (
    EVENT_ONLINE_URL,
    EVENT_SLUG,
    EVENT_TEXT,
    PUBLICATION,
    PUBLICATION_SAMPLE_NOTICE,
    PUBLICATION_TEXTS,
)

__all__ = [
    "CALL",
    "CATEGORIES",
    "CATEGORY_TRANSLATIONS",
    "EVENT_ONLINE_URL",
    "EVENT_SLUG",
    "EVENT_TEXT",
    "GOVERNMENT_TARGETS",
    "NOTABLE_SIGNATORIES",
    "NOTABLE_TRANSLATIONS",
    "ORGANISATION",
    "PUBLICATION",
    "PUBLICATION_SAMPLE_NOTICE",
    "PUBLICATION_TEXTS",
    "TRANSLATIONS",
]
