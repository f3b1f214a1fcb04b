"""Sharing a call: ``/petitions/<slug>/share.png``, the image social sites show with a
shared link; the share links of the thank-you page; the embed code on the call's page.

The links and the code are template globals (``share_links(petition)``,
``embed_code(petition, compact)``, ``embed_partner()``), so the call's pages need not
know how sharing works; the call page's "Share and embed" panel (``share_and_embed``
in templates/_macros/petition.html) shows them.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import Blueprint, Response, abort, current_app, g, request, url_for
from flask_babel import gettext as _

from .. import identity
from ..i18n import current_language, public_url
from ..models import Petition
from ..petitions import partners
from ..petitions import services as petitions
from ..security import public_cache
from . import services

bp = Blueprint("sharing", __name__, url_prefix="/petitions")

# The image changes only when the title does; its ETag tells a cache when that happens.
SHARE_IMAGE_MAX_AGE = 3600


@bp.get("/<slug:slug>/share.png")
@public_cache
def share_image(slug: str) -> Response:
    """The call's share image in the URL's language (``/fr/...`` gives the French title)."""
    petition = petitions.get_public_petition(slug)
    if petition is None:
        abort(404)
    text = petitions.call_text(petition, current_language())
    host = urlsplit(current_app.config["BASE_URL"]).hostname or ""
    who = identity.site_identity()
    png = services.share_image(
        text.title,
        who.name or petition.organisation,
        _("Sign the call"),
        host,
        identity.site_logo_png() if who.logo_sha256 else None,
        current_language(),
    )
    g.public_cache_seconds = SHARE_IMAGE_MAX_AGE
    response = Response(png, mimetype="image/png")
    response.add_etag()
    return response.make_conditional(request)


# Each share link's own address for the call carries its ref (petitions/sources.py), so the
# dashboard tells which way of sharing brings signatures: label, ref, link with {t} the
# text, {u} the call's address and {both} the two, each already quoted.
_SHARE_LINKS = (
    (None, "share-email", "mailto:?subject={t}&body={both}"),
    ("Mastodon", "share-mastodon", "https://mastodonshare.com/?text={both}"),
    ("Bluesky", "share-bluesky", "https://bsky.app/intent/compose?text={both}"),
    ("X", "share-x", "https://x.com/intent/post?text={t}&url={u}"),
    ("Facebook", "share-facebook", "https://www.facebook.com/sharer/sharer.php?u={u}"),
    ("WhatsApp", "share-whatsapp", "https://wa.me/?text={both}"),
    ("LinkedIn", "share-linkedin", "https://www.linkedin.com/sharing/share-offsite/?url={u}"),
)


@bp.app_template_global()
def share_links(petition: Petition) -> list[tuple[str, str]]:
    """Plain links to share the call: no third-party script is loaded."""
    title = petitions.call_text(petition, current_language()).title
    text = _("I signed: %(title)s", title=title)
    links = []
    for label, ref, link in _SHARE_LINKS:
        url = url_for("petitions.show", slug=petition.slug, ref=ref, _external=True)
        quoted = {"t": quote(text, safe=""), "u": quote(url, safe="")}
        quoted["both"] = quote(f"{text} {url}", safe="")
        links.append((label or _("Email"), link.format(**quoted)))
    return links


@bp.app_template_global()
def embed_partner() -> str | None:
    """The partner's name a webmaster typed into the call page's embed box (``?partner=``)."""
    return partners.partner_name(request.args.get("partner"))


@bp.app_template_global()
def embed_code(petition: Petition, compact: bool = False) -> str:
    """The code a partner copies from the call's page: the full form or the compact version.

    The frame carries the partner's name, if one was typed, to every page of the embed.
    """
    title = petitions.call_text(petition, current_language()).title
    endpoint = "petitions.embed_compact" if compact else "petitions.embed"
    # The script has one address in every language (static files have no language).
    script = public_url(
        "static", current_app.config["BABEL_DEFAULT_LOCALE"], filename="js/embed-parent.js"
    )
    return services.embed_code(
        public_url(endpoint, slug=petition.slug, partner=embed_partner()),
        title,
        height=services.COMPACT_EMBED_HEIGHT if compact else services.EMBED_HEIGHT,
        script_url=script,
    )
