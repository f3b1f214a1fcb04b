"""Where each back-office page stands: its name and its parent page, for the breadcrumbs.

Every GET page under ``/organiser`` has a row here (``tests/layout/test_reachable.py``
fails on a page without one), so the layout can show the way back from any page,
``Organisers' area > <call> > Governments > Add a government``, without each template
spelling it out. A parent's URL is built from the current page's own URL arguments
(``petition_id``, ``update_id``, ``language``...) and from the call the page shows
(the export pages name a call by its slug, the others by its id).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.exceptions import HTTPException

from ..i18n import language_name

# A page's name: fixed, or read from what the page shows (the call's title...).
Label = Any | Callable[[Context], str]


def _call_title(context: Context) -> str:
    petition = context.get("petition")
    return petition.title if petition is not None else str(_l("Call"))


def _update_subject(context: Context) -> str:
    update = context.get("update")
    return update.subject if update is not None else str(_l("Update"))


def _account_email(context: Context) -> str:
    account = context.get("account")
    return account.email if account is not None else str(_l("Account"))


def _publication_title(context: Context) -> str:
    return str(context.get("publication_title") or _l("Publication"))


def _event_title(context: Context) -> str:
    event = context.get("event")
    text = context.get("event_text")
    if event is not None and text is not None:
        return text(event).title or event.slug
    return str(_l("Event"))


def _language(context: Context) -> str:
    return language_name(str((request.view_args or {}).get("language", "")))


HOME = "organisers.home"
CALL = "organisers.petition_dashboard"

# endpoint: (its name in the breadcrumbs, the endpoint of its parent page)
PAGES: dict[str, tuple[Label, str | None]] = {
    HOME: (_l("Organisers' area"), None),
    "organisers.accounts": (_l("Accounts"), HOME),
    "organisers.account_invite": (_l("Invite an organiser"), "organisers.accounts"),
    "organisers.account": (_account_email, "organisers.accounts"),
    "organisers.account_disable": (_l("Disable"), "organisers.account"),
    "organisers.two_factor": (_l("Two-step sign-in"), HOME),
    "organisers.my_sessions": (_l("Your sessions"), HOME),
    "organisers.audit_log": (_l("Audit log"), HOME),
    "organisers.blocklist": (_l("Blocklists"), HOME),
    "organisers.blocklist_delete": (_l("Remove an entry"), "organisers.blocklist"),
    "organisers.organisation": (_l("The organisation"), HOME),
    "organisers.privacy": (_l("Privacy requests"), HOME),
    "organisers.events": (_l("Events"), HOME),
    "organisers.event_new": (_l("New event"), "organisers.events"),
    "organisers.event_show": (_event_title, "organisers.events"),
    "organisers.event_edit": (_l("Edit the event"), "organisers.event_show"),
    "organisers.event_text": (_language, "organisers.event_show"),
    "organisers.event_registrations": (_l("Registrations"), "organisers.event_show"),
    "organisers.event_recording": (_l("Message with the recording"), "organisers.event_show"),
    "organisers.petition_new": (_l("New call"), HOME),
    CALL: (_call_title, HOME),
    "organisers.petition_edit": (_l("Edit the call"), CALL),
    "organisers.petition_preview": (_l("Preview"), CALL),
    "organisers.translations": (_l("Translations"), CALL),
    "organisers.translation_edit": (_language, "organisers.translations"),
    "organisers.translation_delete": (_l("Delete"), "organisers.translation_edit"),
    "organisers.notables": (_l("Notable signatories"), CALL),
    "organisers.notable_new": (_l("Add a notable signatory"), "organisers.notables"),
    "organisers.notable_edit": (_l("Edit"), "organisers.notables"),
    "organisers.notable_promote_search": (_l("Promote a signature"), "organisers.notables"),
    "organisers.notable_promote": (_l("Promote"), "organisers.notable_promote_search"),
    "organisers.notable_translations": (_l("In other languages"), "organisers.notables"),
    "organisers.notable_translations_edit": (_language, "organisers.notable_translations"),
    "organisers.updates": (_l("Updates to supporters"), CALL),
    "organisers.update_new": (_l("Write an update"), "organisers.updates"),
    "organisers.update_show": (_update_subject, "organisers.updates"),
    "organisers.update_edit": (_l("Edit"), "organisers.update_show"),
    "organisers.update_send": (_l("Send to supporters"), "organisers.update_show"),
    "organisers.update_translation": (_language, "organisers.update_show"),
    "organisers.update_translation_delete": (_l("Delete"), "organisers.update_translation"),
    "organisers.government_targets": (_l("Governments"), CALL),
    "organisers.government_target_new": (_l("Add a government"), "organisers.government_targets"),
    "organisers.government_target_edit": (_l("Edit"), "organisers.government_targets"),
    "organisers.government_targets_import": (_l("Import"), "organisers.government_targets"),
    "organisers.government_deliveries": (_l("Deliveries"), CALL),
    "organisers.government_delivery_new": (
        _l("Record a delivery"),
        "organisers.government_deliveries",
    ),
    "organisers.government_delivery_email": (
        _l("Deliver by email"),
        "organisers.government_deliveries",
    ),
    "organisers.government_answers": (_l("Governments' answers"), CALL),
    "organisers.government_answer": (_l("Answer"), "organisers.government_answers"),
    "organisers.letter_cover": (_l("Cover letter"), CALL),
    "organisers.personal_data": (_l("Delivery and retention"), CALL),
    "organisers.signatures": (_l("Signatures"), CALL),
    "organisers.signatures_bulk": (_l("Apply a rule"), "organisers.signatures"),
    "organisers.review": (_l("Review queue"), CALL),
    "exports.make_delivery": (_l("Packages and exports"), CALL),
    "organisers.publications": (_l("Publications"), HOME),
    "organisers.publication_new": (_l("New publication"), "organisers.publications"),
    "organisers.publication_edit": (_publication_title, "organisers.publications"),
    "organisers.publication_texts": (_language, "organisers.publication_edit"),
    "exports.delivery_job": (_l("Package"), "exports.make_delivery"),
}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None  # None for the page itself


def _page_endpoint(path: str, endpoint: str | None) -> str | None:
    """The page the request shows: its own endpoint, or, for a form's action that showed
    its page again with errors (``.../personal-data/delivery``), the nearest page above
    it in the URL (``.../personal-data``)."""
    if endpoint in PAGES:
        return endpoint
    adapter = current_app.url_map.bind("localhost")
    while "/" in path.rstrip("/"):
        path = path.rstrip("/").rsplit("/", 1)[0] or "/"
        try:
            found, _args = adapter.match(path, method="GET")
        except HTTPException:
            continue
        if found in PAGES:
            return found
    return None


def _url(endpoint: str, known: Mapping[str, Any]) -> str:
    arguments = next(iter(current_app.url_map.iter_rules(endpoint))).arguments
    return url_for(endpoint, **{name: known[name] for name in arguments if name in known})


def _label(label: Label, context: Context) -> str:
    return label(context) if callable(label) else str(label)


@pass_context
def breadcrumb_trail(context: Context) -> list[Crumb]:
    """From the organisers' area down to the page shown, for ``_macros/breadcrumbs.html``."""
    endpoint = _page_endpoint(request.path, request.endpoint)
    known: dict[str, Any] = dict(request.view_args or {})
    petition = context.get("petition")
    if petition is not None:
        known.setdefault("petition_id", petition.id)
        known.setdefault("slug", petition.slug)
    trail: list[Crumb] = []
    current = endpoint or HOME
    while current is not None:
        label, parent = PAGES[current]
        url = None if current == endpoint else _url(current, known)
        trail.append(Crumb(_label(label, context), url))
        current = parent
    return trail[::-1]
