"""Petitions: the calls, and a signature's whole life on them.

Public: reading a call and signing (``views``, ``signing``), and the pages a
signer reaches from their emails (``links``): confirming or discarding one
submission, their own signature's page, withdrawing (``lifecycle``), with
``counters.transition`` the one gate for every change of a signature's state
and ``abuse`` what holds a new signature back. Back office: the list of
calls, writing a call (``editing``), its text in other languages
(``translations``) and its dashboard (``dashboard``), in ``backoffice``.
``services`` reads calls for every page.

The public blueprint is defined here, not in a views module, because two
modules add pages to it: ``views`` (the call, signing, the embed) and
``links`` (pages reached from a signer's emails). The application factory
imports both before it registers the blueprint.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("petitions", __name__, url_prefix="/petitions")
