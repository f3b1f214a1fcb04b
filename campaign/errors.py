"""Error pages in the site's style, and JSON errors for JSON clients."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .extensions import db


def wants_json() -> bool:
    if request.path.endswith(".json") or request.blueprint == "api":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Bad request"),
            _("The request could not be understood. Please go back and try again."),
        ),
        403: (_("Not allowed"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("There is no page at this address. It may have moved.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than this site accepts.")),
        429: (
            _("Too many requests"),
            _(
                "You have sent too many requests in a short time. "
                "Please wait a minute and try again."
            ),
        ),
        500: (
            _("Something went wrong"),
            _(
                "An error on our side stopped this page. "
                "It has been logged; please try again later."
            ),
        ),
        503: (
            _("Temporarily unavailable"),
            _(
                "The service is busy or being maintained. "
                "Nothing you sent was half-saved; please try again in a moment."
            ),
        ),
    }


def render_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    title, message = _messages().get(code, (error.name, error.description or ""))
    if wants_json():
        response = jsonify(error={"status": code, "title": title, "message": message})
        response.status_code = code
        return response, code
    return render_template("error.html", code=code, title=title, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        response, code = render_error(error)
        if isinstance(response, Response) and error.code == 405 and hasattr(error, "valid_methods"):
            response.headers["Allow"] = ", ".join(error.valid_methods or [])
        return response, code

    @app.errorhandler(OperationalError)
    def handle_database_unavailable(error: OperationalError):
        # The database is down or locked for too long: roll back so nothing is half-written.
        db.session.rollback()
        app.logger.warning("database unavailable: %s", error.orig)
        return render_error(ServiceUnavailable())
