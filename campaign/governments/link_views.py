"""The page a delivery's email links to: the government's office downloads its package.

Outside ``/organiser/``: the token in the URL is the credential (see
:mod:`.links`). A good link answers with the ZIP itself, never cached nor
indexed, and the use is recorded; an expired one says so (410) and whom to
ask for a fresh one; a package erased since is gone (410); anything else is
a 404 that shows nothing. Limited per client address like the signers'
links (``CONFIRM_RATE_LIMIT``).
"""

from __future__ import annotations

from flask import render_template, request

from ..extensions import db
from ..models import Petition
from ..security import configured_limit
from ..stored_files import file_response
from . import bp, links
from .deliveries import DeliveryRefused
from .package_files import package_file


def _problem(problem: str, petition: Petition | None, status: int):
    page = render_template(
        "governments/package_link.html",
        problem=problem,
        petition=petition,
        link_days=links.max_age_days(),
    )
    return page, status, {"X-Robots-Tag": "noindex, nofollow"}


def _whole_file_asked() -> bool:
    """A download from the start: a download manager's later ranges are not another use."""
    return request.method == "GET" and (request.range is None or request.range.ranges[0][0] == 0)


@bp.get("/deliveries/<token>", endpoint="delivery_package")
@configured_limit("CONFIRM_RATE_LIMIT")
def delivery_package(token: str):
    """The package of the delivery this link was emailed for, as a ZIP attachment."""
    try:
        link = links.read(token)
    except links.LinkExpired as expired:
        return _problem("expired", expired.petition, 410)
    except links.LinkInvalid:
        return _problem("invalid", None, 404)
    try:
        found = package_file(link.petition, link.delivery.package)
    except DeliveryRefused:
        return _problem("gone", link.petition, 410)
    if _whole_file_asked():
        links.record_download(link.sent)
        db.session.commit()
    response = file_response(
        found.stored,
        mimetype="application/zip",
        download_name=link.delivery.package.zip_name,
        byte_range=request.range,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    # The link is a credential: nothing the file opens may learn it.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
