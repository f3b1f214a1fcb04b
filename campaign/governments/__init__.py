"""Governments: whom a call addresses, what was handed to each, and what each answered.

A call addresses governments (``targets``: the body, its contacts, the
letter's languages, a signature threshold). A package built for one is a
draft (``campaign.exports``); a delivery is recorded by an organiser
(``deliveries``), and only recorded deliveries are public. Each government's
answer is recorded against its delivery (``responses``). The public
scoreboard (``views``, ``scoreboard``, ``worldmap``) shows every addressed
government's state; signers who asked hear what their government did
(``news``).

A package can also be delivered by email from the site (``email_delivery``):
each of the government's addresses gets a message with a signed link of
its own (``links``, served by ``link_views``), and a hard bounce of one of
those messages is recorded on the target (``target_bounces``).

Back office: targets and deliveries (``backoffice``), delivering by email
(``email_backoffice``), answers (``answers``).
"""

from __future__ import annotations

from flask import Blueprint

DEFAULTS = {
    # How long the link in a delivery's email lets its government download the package
    # (0: as long as the package is kept). An organiser can send a fresh one.
    "DELIVERY_LINK_MAX_AGE_DAYS": 30,
}

# The public pages: /petitions/<slug>/governments, its JSON and its Atom feed.
bp = Blueprint("governments", __name__)
