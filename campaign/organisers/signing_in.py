"""The last steps of every way into the back office: a session started, or the second
factor awaited. Used by the sign-in form and by the pages where a password is set
from an emailed link (campaign/team), so none of them can skip the second factor."""

from __future__ import annotations

import time

from flask import request, session
from flask_login import login_user

from ..models import Organiser, utcnow
from . import sessions


def start_session(organiser: Organiser) -> None:
    """A fresh session on sign-in: nothing from before (a planted session id, a stale
    CSRF token) carries over, and a new row the server can end (sessions.py)."""
    session.clear()
    organiser.session_key = sessions.start(organiser, request.headers.get("User-Agent", ""))
    login_user(organiser)
    organiser.last_sign_in_at = utcnow()


def await_code(organiser: Organiser, next_url: str | None) -> None:
    """The password is proven; the code from the organiser's app comes next
    (``organisers.sign_in_code``), for as long as ``SIGN_IN_CODE_SECONDS``."""
    session.clear()
    session["sign_in_code"] = {
        "token": organiser.session_token,
        "next": next_url,
        "started": time.time(),
    }
