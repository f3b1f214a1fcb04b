"""The team's journeys as a test client walks them: the pages' CSRF tokens, the links
in the emails the real outbox sends to the real SMTP server."""

from __future__ import annotations

import re

from ..helpers.backoffice import csrf_token
from ..helpers.journey import local_path, send_outbox

NEW_PASSWORD = "a brand new passphrase for the team"
TEAM_LINK = re.compile(r"https?://[^/\s]+(?:/[a-z]{2})?/organiser/(invitation|reset-password)/\S+")


def link_in(message, kind: str) -> str:
    """The local path of the invitation's or reset's link in ``message`` (its text part)."""
    text = message.get_body(("plain",)).get_content()
    found = [m.group(0) for m in TEAM_LINK.finditer(text) if m.group(1) == kind]
    assert len(found) == 1, text
    html = message.get_body(("html",)).get_content()
    assert found[0] in html  # the same link behind the button
    return local_path(found[0])


def delivered(app, smtp, to: str) -> list:
    """Send the outbox; the messages ``to`` received."""
    send_outbox(app)
    return [m for m in smtp.messages if to in m["To"]]


def post_form(client, path: str, page: str | None = None, **fields):
    """Post to ``path`` with the CSRF token of the page the form is on (``path`` itself,
    or ``page`` for a button on another page)."""
    token = csrf_token(client, page or path)
    return client.post(path, data={"csrf_token": token, **fields})


def set_password(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return post_form(
        client, path, password=password, confirm=password if confirm is None else confirm
    )


def invite(client, email: str, role: str = "editor", name: str = ""):
    return post_form(client, "/organiser/accounts/invite", email=email, role=role, name=name)
