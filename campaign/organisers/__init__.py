"""The organisers' back office under ``/organiser/``: its door.

Here live what every back-office page shares: the blueprint, the roles and
the fail-closed role check (``access``), accounts, sign-in with its lockouts
and second factor (``services``, ``views``), and the audit log (``audit``).
Each feature keeps its own back-office pages in its package
(``backoffice.py``), as routes on this one blueprint, so URLs and endpoint
names (``organisers.*``) read the same across the back office.
"""

from __future__ import annotations

from flask import Flask, request

from ..extensions import login_manager
from . import access

# Failed sign-ins per (account, client address): free, then a doubling delay, then a lock.
DEFAULTS = {
    "SIGN_IN_FREE_FAILURES": 5,
    "SIGN_IN_BACKOFF_SECONDS": 1,
    "SIGN_IN_LOCK_FAILURES": 10,
    "SIGN_IN_LOCK_MINUTES": 15,
    # How long the second-factor step of a sign-in stays open.
    "SIGN_IN_CODE_SECONDS": 300,
    "TOTP_ISSUER": "Campaign",
    # A session unused this long, or this old, opens nothing more: its organiser signs in
    # again (organisers/sessions.py).
    "SESSION_IDLE_MINUTES": 120,
    "SESSION_MAX_HOURS": 12,
    # Organisers' pages take larger bodies than the public sign form: a call's text, a portrait.
    "ORGANISER_MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
}


# Room for a form's fields and multipart framing beside the file of a page that takes one.
UPLOAD_FORM_ALLOWANCE = 256 * 1024


def init_app(app: Flask) -> None:
    """Sign-in for the back office, and its blueprint with every feature's pages on it."""
    # Public pages must not touch the session (a CDN caches them): Flask-Login's template
    # variable loads the user on every page, so only the organisers' views offer it
    # (lazily), and its remember-me hook, unused here, reads the session on every response.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    login_manager.user_loader(access.load_organiser)
    login_manager.unauthorized_handler(access.unauthorized)

    def allow_larger_bodies() -> None:
        # Before CSRFProtect reads the form (it runs first among before_request hooks).
        if request.blueprint == access.bp.name:
            limit = app.config["ORGANISER_MAX_CONTENT_LENGTH"]
            request.max_form_memory_size = limit  # the fields other than files
            view = app.view_functions.get(request.endpoint or "")
            setting = getattr(view, "upload_limit_setting", None)
            if setting is not None:  # a page that takes a large file (access.accepts_upload)
                limit = app.config[setting] + UPLOAD_FORM_ALLOWANCE
            request.max_content_length = limit

    app.before_request_funcs.setdefault(None, []).insert(0, allow_larger_bodies)
    app.register_blueprint(access.bp)
