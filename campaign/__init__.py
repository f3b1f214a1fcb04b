"""campaign: a petition and advocacy service.

The application factory lives here, flaskr-style: configuration comes from
defaults, then the environment, then ``test_config``. Each feature is a
package (README, "Packages"); this module is the only one that imports their
views, and it registers them cookiecutter-flask-style, one ``register_*``
step at a time.
"""

from __future__ import annotations

import os
import secrets
from logging import getLogger
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from . import (
    database,
    errors,
    events,
    exports,
    extensions,
    governments,
    i18n,
    identity,
    letters,
    notables,
    organisers,
    petitions,
    publications,
    ratelimits,
    receipts,
    routing,
    security,
    team,
    templating,
    updates,
)
from . import logging as structured_logging
from .api import views as api_views
from .events import backoffice as events_backoffice
from .events import cli as events_cli
from .events import links as events_links
from .events import views as events_views
from .exports import backoffice as exports_backoffice
from .exports import cli as exports_cli
from .exports import views as exports_views
from .governments import answers as governments_answers
from .governments import backoffice as governments_backoffice
from .governments import cli as governments_cli
from .governments import email_backoffice as governments_email_backoffice
from .governments import link_views as governments_link_views
from .governments import news_cli as governments_news_cli
from .governments import news_views as governments_news_views
from .governments import target_bounces as governments_target_bounces
from .governments import views as governments_views
from .letters import backoffice as letters_backoffice
from .mail import cli as mail_cli
from .mail import views as dev_mailbox_views
from .main import views as main_views
from .microcache import MicroCache
from .moderation import backoffice as moderation_backoffice
from .notables import backoffice as notables_backoffice
from .notables import views as notables_views
from .organisers import cli as organisers_cli
from .organisers import views as organisers_views
from .petitions import backoffice as petitions_backoffice
from .petitions import cli as petitions_cli
from .petitions import links as petitions_links
from .petitions import views as petitions_views
from .privacy import backoffice as privacy_backoffice
from .privacy import cli as privacy_cli
from .publications import backoffice as publications_backoffice
from .publications import cli as publications_cli
from .publications import views as publications_views
from .receipts import cli as receipts_cli
from .receipts import views as receipts_views
from .sharing import views as sharing_views
from .team import backoffice as team_backoffice
from .team import views as team_views
from .updates import backoffice as updates_backoffice
from .updates import cli as updates_cli
from .updates import sending_backoffice as updates_sending_backoffice
from .updates import views as updates_views

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Modules that add their pages to a blueprint defined elsewhere as they are imported
# (above): every feature's back office, on the organisers' one blueprint; the call's
# pages and the signer's email links, on the one campaign.petitions defines; and the
# export pages, public and organisers' alike, on the one campaign.exports defines.
PAGES_ON_SHARED_BLUEPRINTS = (
    organisers_views,
    petitions_views,
    petitions_links,
    petitions_backoffice,
    notables_backoffice,
    updates_backoffice,
    updates_sending_backoffice,
    moderation_backoffice,
    privacy_backoffice,
    exports_views,
    exports_backoffice,
    governments_views,
    governments_backoffice,
    governments_answers,
    governments_news_views,
    governments_email_backoffice,
    governments_link_views,
    letters_backoffice,
    team_views,
    team_backoffice,
    publications_views,
    publications_backoffice,
    events_views,
    events_links,
    events_backoffice,
)

PUBLIC_BLUEPRINTS = (
    main_views.bp,
    petitions.bp,
    api_views.bp,
    exports.bp,
    sharing_views.bp,
    governments.bp,
    notables_views.bp,
    updates_views.bp,
    receipts_views.bp,
    publications.bp,
    events.bp,
)

# Settings each feature owns, applied before the environment and the tests'.
FEATURE_DEFAULTS = (
    organisers.DEFAULTS,
    notables.DEFAULTS,
    updates.DEFAULTS,
    governments.DEFAULTS,
    letters.DEFAULTS,
    exports.DEFAULTS,
    team.DEFAULTS,
    receipts.DEFAULTS,
    publications.DEFAULTS,
    events.DEFAULTS,
)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure an instance of the application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(_ROOT, "templates"),
        static_folder=os.path.join(_ROOT, "static"),
    )
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_receivers(app)
    wrap_middleware(app)
    i18n.warn_about_stale_catalogues(app)  # once the log is set up
    return app


def configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(config_module.defaults(app.instance_path))
    for defaults in FEATURE_DEFAULTS:
        app.config.from_mapping(defaults)
    app.config.update(config_module.from_environment(os.environ))
    if test_config is not None:
        app.config.update(test_config)
    config_module.check(app.config)
    # Compiled catalogues live beside templates/ in the checkout (see README, "Translations").
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(_ROOT, "translations"))
    _derive_settings(app)
    os.makedirs(app.instance_path, exist_ok=True)


def register_extensions(app: Flask) -> None:
    app.url_map.converters["slug"] = routing.SlugConverter
    app.url_map.converters["int"] = routing.RowIdConverter
    # Engine options first: Flask-SQLAlchemy builds the engine in db.init_app, and
    # options set afterwards (pool_pre_ping, SQLite's timeout) were silently ignored.
    database.init_app(app)
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=os.path.join(_ROOT, "migrations"))
    extensions.csrf.init_app(app)
    extensions.mail.init_app(app)
    ratelimits.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    identity.init_app(app)
    errors.init_app(app)


def register_blueprints(app: Flask) -> None:
    for blueprint in PUBLIC_BLUEPRINTS:
        app.register_blueprint(blueprint)
    if app.config["DEV_MAILBOX"]:
        app.register_blueprint(dev_mailbox_views.bp)
    # The back office: one blueprint, with every feature's pages on it.
    organisers.init_app(app)
    publications_backoffice.init_app(app)  # its message for a PDF over the limit


def register_commands(app: Flask) -> None:
    for module in (
        mail_cli,
        petitions_cli,
        privacy_cli,
        organisers_cli,
        updates_cli,
        exports_cli,
        governments_cli,
        governments_news_cli,
        receipts_cli,
        publications_cli,
        events_cli,
    ):
        module.init_app(app)


def register_receivers(app: Flask) -> None:
    """Features that hear of events in the shared layers below them (mail's bounces)."""
    governments_target_bounces.init_app(app)


def wrap_middleware(app: Flask) -> None:
    """The WSGI layers around the app, innermost first."""
    app.wsgi_app = i18n.LanguagePrefixMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, app.config["LANGUAGES"], app.config["BABEL_DEFAULT_LOCALE"]
    )
    if app.config["PUBLIC_RESPONSE_CACHE_SECONDS"]:
        app.wsgi_app = MicroCache(  # type: ignore[method-assign]
            app.wsgi_app, app.config["PUBLIC_RESPONSE_CACHE_SECONDS"]
        )
    structured_logging.init_app(app)
    app.wsgi_app = structured_logging.RequestLog(  # type: ignore[method-assign]
        app.wsgi_app, getLogger(structured_logging.REQUEST_LOGGER)
    )
    if app.config["PROXY_COUNT"]:
        # Outermost, so every layer inside (the request log's address, the cache's key
        # by scheme and host) sees the client's address and scheme. Trust exactly as
        # many X-Forwarded-* hops as there are proxies we run.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]


def _derive_settings(app: Flask) -> None:
    """Settings that follow from others, computed once."""
    development = app.config["CAMPAIGN_ENV"] == "development"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = config_module.normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if development or app.config.get("TESTING"):
        app.config["SESSION_COOKIE_SECURE"] = app.config["BASE_URL"].startswith("https:")
        if not app.config.get("SECRET_KEY"):
            # Development only: a key per instance folder, so sessions survive restarts.
            app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    # With no SMTP server on a development machine, mail stays in the outbox and is
    # shown at /dev/mailbox; config.check() refuses this setup in production.
    app.config.setdefault("DEV_MAILBOX", development and not app.config.get("MAIL_SERVER"))
    app.config["BASE_URL"] = app.config["BASE_URL"].rstrip("/")
    # Per-process caches that would hide each change from the next request of a test.
    for setting in ("PUBLIC_RESPONSE_CACHE_SECONDS", "SIGN_CALL_CACHE_SECONDS"):
        if app.config[setting] is None:
            app.config[setting] = 0 if app.config.get("TESTING") else 1


def _instance_secret(instance_path: str) -> str:
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "dev-secret-key")
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(48)
        with open(path, "w") as f:
            f.write(key)
        return key
