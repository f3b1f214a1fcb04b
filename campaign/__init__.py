"""campaign: a petition and advocacy service.

The application factory lives here, flaskr-style: configuration comes from
defaults, then the environment, then ``test_config``; each feature is a
blueprint package registered below.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from . import extensions

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create and configure an instance of the application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(_ROOT, "templates"),
        static_folder=os.path.join(_ROOT, "static"),
    )
    app.config.from_mapping(config_module.defaults(app.instance_path))
    app.config.update(config_module.from_environment(os.environ))
    if test_config is not None:
        app.config.update(test_config)
    config_module.check(app.config)
    # Compiled catalogues live beside templates/ in the checkout (see README, "Translations").
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", os.path.join(_ROOT, "translations"))
    _derive_settings(app)

    os.makedirs(app.instance_path, exist_ok=True)

    from .routing import SlugConverter

    app.url_map.converters["slug"] = SlugConverter

    from . import database, i18n, security, templating

    # Engine options first: Flask-SQLAlchemy builds the engine in db.init_app, and
    # options set afterwards (pool_pre_ping, SQLite's timeout) were silently ignored.
    database.init_app(app)
    # Through the module: the subpackage campaign.mail would shadow a bare ``mail`` name.
    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db, directory=os.path.join(_ROOT, "migrations"))
    extensions.csrf.init_app(app)
    extensions.mail.init_app(app)
    extensions.limiter.init_app(app)

    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)

    from .errors import init_app as init_errors

    init_errors(app)

    from . import exports
    from .api.views import bp as api_bp
    from .exports import backoffice, views  # noqa: F401 -- for their routes on exports.bp
    from .exports import cli as exports_cli
    from .mail import cli as mail_cli
    from .mail.views import bp as dev_mailbox_bp
    from .main.views import bp as main_bp
    from .petitions import cli as petitions_cli
    from .petitions.views import bp as petitions_bp
    from .privacy import cli as privacy_cli
    from .sharing.views import bp as sharing_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(petitions_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(sharing_bp)
    if app.config["DEV_MAILBOX"]:
        app.register_blueprint(dev_mailbox_bp)
    mail_cli.init_app(app)
    petitions_cli.init_app(app)
    privacy_cli.init_app(app)

    from .organisers import init_app as init_organisers

    init_organisers(app)
    exports_cli.init_app(app)

    app.wsgi_app = i18n.LanguagePrefixMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, app.config["LANGUAGES"], app.config["BABEL_DEFAULT_LOCALE"]
    )
    if app.config["PUBLIC_RESPONSE_CACHE_SECONDS"]:
        from .microcache import MicroCache

        app.wsgi_app = MicroCache(  # type: ignore[method-assign]
            app.wsgi_app, app.config["PUBLIC_RESPONSE_CACHE_SECONDS"]
        )
    import logging

    from . import logging as structured_logging

    structured_logging.init_app(app)
    app.wsgi_app = structured_logging.RequestLog(  # type: ignore[method-assign]
        app.wsgi_app, logging.getLogger(structured_logging.REQUEST_LOGGER)
    )
    if app.config["PROXY_COUNT"]:
        # Outermost, so every layer inside (the request log's address, the cache's key
        # by scheme and host) sees the client's address and scheme. Trust exactly as
        # many X-Forwarded-* hops as there are proxies we run.
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    return app


def _derive_settings(app: Flask) -> None:
    """Settings that follow from others, computed once."""
    development = app.config["CAMPAIGN_ENV"] == "development"
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(
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


def _normalise_database_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(instance_path: str) -> str:
    import secrets

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
