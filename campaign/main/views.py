"""The home page, the privacy notice and health checks."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
)
from sqlalchemy import text

from .. import identity, ratelimits
from ..extensions import db
from ..i18n import LANGUAGE_ENVIRON_KEY, root_for
from ..mail.reports import backlog
from ..models import utcnow
from ..petitions import services
from ..publications import services as publications
from ..security import public_cache

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Leads to the featured call. Only the unprefixed home page looks at Accept-Language."""
    if request.environ.get(LANGUAGE_ENVIRON_KEY) == current_app.config["BABEL_DEFAULT_LOCALE"]:
        preferred = request.accept_languages.best_match(current_app.config["LANGUAGES"])
        if preferred and preferred != current_app.config["BABEL_DEFAULT_LOCALE"]:
            response = redirect(root_for(preferred) + "/", code=302)
            response.headers["Vary"] = "Accept-Language"
            return response
    petition = services.featured_petition()
    others = [c for c in services.public_calls() if c.is_open and c != petition] if petition else []
    response = current_app.make_response(
        render_template(
            "main/home.html",
            petition=petition,
            other_open_calls=others,
            publications=publications.public_publications(limit=3),
        )
    )
    response.headers["Vary"] = "Accept-Language"
    return response


@bp.get("/privacy")
@public_cache
def privacy():
    return render_template(
        "main/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"]
    )


@bp.get("/media/organisation/<digest>.png")
@public_cache
def organisation_logo(digest: str):
    """The organisation's logo (header, share cards). The digest in the URL changes with
    the image, so a cached copy is never stale."""
    sha256 = identity.site_identity().logo_sha256 or ""
    png = identity.site_logo_png() if sha256[:16] == digest else None
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.set_etag(sha256)
    return response.make_conditional(request)


@bp.get("/healthz")
def healthz():
    """The process is up (for a load balancer's liveness check)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The database answers; the outbox backlog and its oldest message, and the rate
    limits' store, for monitoring.

    A shared limit store that does not answer makes the status "degraded", still with a
    200: signing goes on (each process counts the limits alone meanwhile, see
    campaign/ratelimits.py), and the store is one for all hosts, so a 503 would take every
    host out of the load balancer at once, for a failure that stops nobody signing.
    """
    try:
        db.session.execute(text("SELECT 1"))
        waiting, oldest = backlog()
    except Exception as error:
        db.session.rollback()
        return jsonify(status="unavailable", error=type(error).__name__), 503
    age = (utcnow() - oldest).total_seconds() if oldest else 0.0
    limits = ratelimits.store_state()
    return jsonify(
        status="degraded" if limits == ratelimits.UNREACHABLE else "ok",
        outbox_waiting=waiting,
        outbox_oldest_seconds=round(age, 1),
        rate_limit_store=limits,
    )
