"""The back office's door: its blueprint under ``/organiser/``, roles and the role check.

Every feature's back-office views are routes on :data:`bp` and state the
roles they admit with :func:`role_required`, checked on the server:
anonymous visitors are sent to the sign-in page, other roles get 403, and a
view that forgot to say is refused outright (see
``_every_view_states_its_roles``). Pages here hold personal data and a
session, so they are never cached (the project's default, ``no-store``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from ..extensions import db
from ..models import Organiser, OrganiserRole, OrganiserSession
from . import sessions
from .navigation import breadcrumb_trail

bp = Blueprint("organisers", __name__, url_prefix="/organiser")

ADMIN, EDITOR, MODERATOR = OrganiserRole.ADMIN, OrganiserRole.EDITOR, OrganiserRole.MODERATOR
ALL_ROLES = (ADMIN, EDITOR, MODERATOR)
ROLE_NAMES = {ADMIN: _l("Administrator"), EDITOR: _l("Editor"), MODERATOR: _l("Moderator")}

# Views anyone may reach: the sign-in steps, and the links emailed to set a password
# (an invitation, a forgotten password: campaign/team).
OPEN_ENDPOINTS = frozenset(
    {
        "organisers.sign_in",
        "organisers.sign_in_code",
        "organisers.forgot_password",
        "organisers.reset_password",
        "organisers.accept_invitation",
    }
)


def load_organiser(key: str) -> Organiser | None:
    """Flask-Login's user loader: the cookie carries the key of a sign-in, checked in the
    database on every request, so a session ended on one host is ended on all."""
    row, refusal = sessions.resolve(key)
    if row is None:
        g.session_refusal = refusal
        return None
    if sessions.touch(row):
        # Its own commit, before the view changes anything: the view commits its own.
        db.session.commit()
    g.organiser_session = row
    organiser = row.organiser
    organiser.session_key = key
    return organiser


def current_session() -> OrganiserSession | None:
    """The session row of the signed-in organiser making this request."""
    return g.get("organiser_session") if current_user.is_authenticated else None


def _refusal_message(refusal: sessions.Refusal) -> str:
    config = current_app.config
    if refusal == sessions.Refusal.IDLE:
        return ngettext(
            "You were signed out after %(num)d minute without activity. "
            "Please sign in again to continue.",
            "You were signed out after %(num)d minutes without activity. "
            "Please sign in again to continue.",
            config["SESSION_IDLE_MINUTES"],
        )
    if refusal == sessions.Refusal.TOO_OLD:
        return ngettext(
            "Sessions last at most %(num)d hour, and yours has ended. "
            "Please sign in again to continue.",
            "Sessions last at most %(num)d hours, and yours has ended. "
            "Please sign in again to continue.",
            config["SESSION_MAX_HOURS"],
        )
    return _(
        "Your session has ended: you signed out, or it was ended from another device "
        "or by an administrator. Please sign in again to continue."
    )


def _here() -> str:
    """Where to come back to after signing in: this page, or for a form sent with
    an ended session, the page the form was on."""
    if request.method != "GET" and request.referrer:
        parts = urlsplit(request.referrer)
        if parts.netloc == request.host and parts.path.startswith(request.script_root + "/"):
            return parts.path + ("?" + parts.query if parts.query else "")
    target = request.script_root + request.path
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return target


def unauthorized():
    """Anonymous: to the sign-in page, coming back here afterwards; a session that
    has ended or run out says so there."""
    refusal = g.pop("session_refusal", None)
    if refusal is not None:
        session.pop("_user_id", None)
        flash(_refusal_message(refusal), "info")
    return redirect(url_for("organisers.sign_in", next=_here()))


def role_required(*roles: OrganiserRole) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Admit signed-in organisers with one of ``roles``; administrators may do everything."""
    allowed = frozenset({ADMIN, *roles})

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapper

    return decorator


def accepts_upload(setting: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Let a page take a body up to the file size in config ``setting`` (plus room for
    the form's other fields) rather than ``ORGANISER_MAX_CONTENT_LENGTH``: a report's
    PDF is larger than a portrait. Put it above ``role_required``, under the route."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        view.upload_limit_setting = setting  # type: ignore[attr-defined]
        return view

    return decorator


@bp.before_request
def _every_view_states_its_roles():
    """Fail closed: a view without ``role_required`` is refused, not left open."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.endpoint not in OPEN_ENDPOINTS and not hasattr(view, "allowed_roles"):
        abort(403)


def has_role(*roles: OrganiserRole) -> bool:
    return current_user.is_authenticated and current_user.role in {ADMIN, *roles}


@bp.context_processor
def organiser_context() -> dict[str, Any]:
    """What the back office's templates read; pages on another blueprint pass it themselves."""
    return {
        "current_user": current_user,
        "role_names": ROLE_NAMES,
        "has_role": has_role,
        "roles": OrganiserRole,
        "view_functions": current_app.view_functions,
        "breadcrumb_trail": breadcrumb_trail,
    }


@bp.errorhandler(CSRFError)
def _session_expired(error: CSRFError):
    return render_template("organisers/session_expired.html"), 400


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def actor() -> Organiser:
    """The organiser making this request (for the audit log)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def client_ip() -> str:
    return request.remote_addr or "unknown"
