"""Events: organisers announce a panel or a launch about a call; people register.

Public: the list and an event's page with the registration form (``views``),
and the pages reached from a registrant's emails: confirming, their own page
with the online link and the calendar file, cancelling (``links``).
``registrations`` holds every change of a registration's state (register,
confirm, cancel, promote from the waiting list), ``messages`` the emails,
``calendar`` the .ics, ``reminders`` the periodic reminders and the
recording message, ``services`` reading events. Back office: ``backoffice``
(events, their text per language, registrations, export, recording).
``cli``: ``flask events send-reminders`` and ``flask events seed-demo``.

The online link and the registrants are never in a public response: only
emails to people with a place, and their own page behind its signed link,
carry the link.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

DEFAULTS = {
    # Registrations are anonymised this many days after their event has ended: long
    # enough to send the recording and answer questions, short of keeping a list.
    "EVENT_RETENTION_DAYS": 30,
    # Posts of the registration form per client address (as SIGN_RATE_LIMIT).
    "EVENT_REGISTER_RATE_LIMIT": "10 per minute; 60 per hour",
    # How long a registration's confirmation link works.
    "EVENT_CONFIRM_MAX_AGE_DAYS": 30,
}
