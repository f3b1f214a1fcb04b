"""Governments: whom a call addresses, what was handed to each, and what each answered.

A call addresses governments (``targets``: the body, its contacts, the
letter's languages, a signature threshold). A package built for one is a
draft (``campaign.exports``); a delivery is recorded by an organiser
(``deliveries``), and only recorded deliveries are public. Each government's
answer is recorded against its delivery (``responses``). The public
scoreboard (``views``, ``scoreboard``, ``worldmap``) shows every addressed
government's state; signers who asked hear what their government did
(``news``).

Back office: targets and deliveries (``backoffice``), answers (``answers``).
"""

from __future__ import annotations

from flask import Blueprint

# The public pages: /petitions/<slug>/governments, its JSON and its Atom feed.
bp = Blueprint("governments", __name__)
