"""The organisers' back office under ``/organiser/``.

Accounts and roles, the audit log, editing calls, updates to supporters,
notable signatories and moderation. Views check the role on the server
(``views.role_required``); services are plain functions that never commit.
"""

from __future__ import annotations

from flask import Flask, request

# Failed sign-ins per (account, client address): free, then a doubling delay, then a lock.
DEFAULTS = {
    "SIGN_IN_FREE_FAILURES": 5,
    "SIGN_IN_BACKOFF_SECONDS": 1,
    "SIGN_IN_LOCK_FAILURES": 10,
    "SIGN_IN_LOCK_MINUTES": 15,
    # How long the second-factor step of a sign-in stays open.
    "SIGN_IN_CODE_SECONDS": 300,
    "TOTP_ISSUER": "Campaign",
    # Portraits and logos: the largest upload accepted, and the box they are fitted into.
    "PORTRAIT_MAX_BYTES": 2 * 1024 * 1024,
    "PORTRAIT_MAX_SIZE": 400,
    # Organisers' pages take larger bodies than the public sign form: a call's text, a portrait.
    "ORGANISER_MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    # Updates to supporters are queued in batches of this many messages.
    "UPDATE_BATCH_SIZE": 500,
    # How long an unsubscribe link works.
    "UNSUBSCRIBE_MAX_AGE_DAYS": 3 * 365,
}


def init_app(app: Flask) -> None:
    from ..extensions import login_manager

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    from . import cli, public, services, views

    # Public pages must not touch the session (a CDN caches them): Flask-Login's template
    # variable loads the user on every page, so only the organisers' views offer it
    # (lazily), and its remember-me hook, unused here, reads the session on every response.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    login_manager.user_loader(views.load_organiser)
    login_manager.unauthorized_handler(views.unauthorized)

    def allow_larger_bodies() -> None:
        # Before CSRFProtect reads the form (it runs first among before_request hooks).
        if request.blueprint == views.bp.name:
            request.max_content_length = app.config["ORGANISER_MAX_CONTENT_LENGTH"]
            request.max_form_memory_size = app.config["ORGANISER_MAX_CONTENT_LENGTH"]

    app.before_request_funcs.setdefault(None, []).insert(0, allow_larger_bodies)
    app.register_blueprint(views.bp)
    app.register_blueprint(public.bp)
    app.jinja_env.globals["portrait_url"] = public.portrait_path
    app.jinja_env.globals["local_time"] = services.local_time
    app.jinja_env.globals["petition_text_history"] = services.text_history
    cli.init_app(app)
