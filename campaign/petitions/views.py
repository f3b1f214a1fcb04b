"""The public call: read it, sign it, here or in a partner's page (the embed).

The call's page is public and cacheable: it touches no session. The sign
form is protected by a stateless signed token and by refusing cross-site
posts. The pages a signer reaches from their emails are in ``links``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import tokens
from ..database import each_statement_commits
from ..extensions import csrf, db, limiter
from ..forms import body_is_unreadable
from ..i18n import current_language, dir_attr, html_lang
from ..models import Petition
from ..security import embeddable, public_cache
from . import bp, editing, lifecycle, partners, services, signing
from .forms import SignatureForm
from .page import render_call_page

# The call's page lists the changes made to its text since it opened.
bp.add_app_template_global(editing.text_history, "petition_text_history")


@bp.app_context_processor
def call_text_helpers() -> dict:
    """``call_text(petition)``: the call's own text in the page's (or email's) language."""

    def text_of(petition: Petition) -> services.CallText:
        return services.call_text(petition, current_language())

    def lang_attr(text: services.CallText | Petition) -> Markup:
        # Text shown in the call's own language on a page in another says so (screen readers).
        if text.language == current_language():
            return Markup("")
        # Its direction too, when it differs (an English call on an Arabic page).
        return Markup(' lang="%s"') % escape(html_lang(text.language)) + dir_attr(
            text.language, current_language()
        )

    return {"call_text": text_of, "lang_attr": lang_attr}


def _petition_or_404(slug: str) -> Petition:
    petition = services.get_public_petition(slug)
    if petition is None:
        abort(404)
    return petition


@bp.get("")
@public_cache
def index():
    """Every published call, open ones first, with their counts."""
    return render_template("petitions/index.html", calls=services.public_calls())


@bp.get("/<slug:slug>")
@public_cache
def show(slug: str):
    petition = _petition_or_404(slug)
    form = SignatureForm(
        petition_id=petition.id,
        language=current_language(),
        formdata=None,
        ref=request.args.get("ref"),  # a link's source, carried by the form (sources)
    )
    return render_call_page(petition, form)


def _is_cross_site() -> bool:
    """A post from another site (a forged form) rather than from our own page."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False  # older browsers and non-browser clients: the form token still applies
    allowed = {_origin_of(request.host_url), _origin_of(current_app.config["BASE_URL"])}
    return origin not in allowed


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The call's page and the embed take signatures through one shared budget per address.
_sign_limit = limiter.shared_limit(lambda: current_app.config["SIGN_RATE_LIMIT"], scope="sign")


@bp.post("/<slug:slug>/sign")
@csrf.exempt  # protected by the stateless form token instead of the session
@_sign_limit
def sign(slug: str):
    return _sign(slug, embed=False)


def _language_links_to_the_form_page(slug: str, embed: bool) -> None:
    """A page drawn for the form's post links to itself in other languages as the page the
    form is on: the form's address takes no GET."""
    page = url_for("petitions.embed" if embed else "petitions.show", slug=slug)
    g.language_switch_path = page.removeprefix(request.script_root)


def _refused(slug: str, embed: bool, form: SignatureForm, status: int):
    """The form again with its errors, the call loaded afresh (relationships and all)."""
    call = _petition_or_404(slug)
    if embed:
        return _render_embed(call, form, status)
    return render_call_page(call, form, status)


def _sign(slug: str, *, embed: bool):
    """Take a signature from the call's page or from the embed (which answers in its layout)."""
    # Each write of a signature is one statement (signing.sign): no BEGIN, no COMMIT.
    each_statement_commits()
    petition = services.petition_to_sign(slug)  # shared and detached: columns only
    if petition is None:
        abort(404)

    _language_links_to_the_form_page(slug, embed)

    def refused(form: SignatureForm, status: int):
        return _refused(slug, embed, form, status)

    if not petition.is_open:
        call = _petition_or_404(slug)
        return render_template(
            "petitions/closed.html", petition=call, embed=embed, partner=_partner(embed)
        ), 409
    unreadable = body_is_unreadable(request)  # before the form parses (and caches) the body
    form = SignatureForm(petition_id=petition.id, language=current_language())
    if unreadable:
        form.form_errors.append(
            _("Part of what you sent could not be read. Please type your details again.")
        )
        return refused(form, 400)
    if _is_cross_site():
        form.form_errors.append(_("This form was sent from another site and was refused."))
        return refused(form, 403)
    if not form.validate():
        return refused(form, 400 if form.form_token.errors else 422)
    public_id = signing.sign(petition, _signature_request(form, embed=embed))
    db.session.commit()
    # Its own fragment, or the browser would carry the form's "#error-summary" along.
    # The slug from the URL, not petition.slug: the commit expired it, and reading
    # it back would cost a query.
    next_step = ".embed_check_email" if embed else ".check_email"
    # The page repeats the address typed: its URL names the submission, signed, never the address.
    submission = tokens.make(tokens.Purpose.CHECK_EMAIL, public_id)
    return redirect(
        url_for(next_step, slug=slug, s=submission, partner=_partner(embed), _anchor="main"),
        code=303,
    )


def _signature_request(form: SignatureForm, *, embed: bool) -> signing.SignatureRequest:
    """What the person submitted, as the form validated it, and where they submitted it."""
    return signing.SignatureRequest(
        name=form.name.data,
        email=form.email.data,
        country=form.country.data,
        public=form.public.data,
        updates=form.updates.data,
        government_news=form.government_news.data,
        language=current_language(),
        consent_text=form.consent_text(),
        ip=request.remote_addr,
        honeypot_filled=bool(form.website.data),
        form_age_seconds=form.token_age,
        ref=form.ref.data,
        # The embed's form posts to /embed/sign?partner=<name>; the call's page names none
        # (its ?partner= only fills in the embed code offered to partners).
        partner=_partner(embed),
    )


# How long the "check your email" page repeats the address typed (its link's lifetime).
CHECK_EMAIL_SECONDS = 3600


def _address_typed() -> str | None:
    """The address the person just typed, named by the page's signed ``s`` parameter."""
    token = request.args.get("s", "")
    try:
        public_id = tokens.read(tokens.Purpose.CHECK_EMAIL, token, CHECK_EMAIL_SECONDS)
    except tokens.TokenInvalid:
        return None
    if not isinstance(public_id, str):
        return None
    return lifecycle.address_of(public_id)


def _render_check_email(slug: str, *, embed: bool):
    """Not cached: it shows the address the person typed, to them alone."""
    petition = _petition_or_404(slug)
    return render_template(
        "petitions/check_email.html",
        petition=petition,
        address=_address_typed(),
        embed=embed,
        partner=_partner(embed),
    )


@bp.get("/<slug:slug>/check-email")
def check_email(slug: str):
    return _render_check_email(slug, embed=False)


# -- the embed: the count and the sign form in a partner's page ------------------------
# The sign form needs no cookie (its token is stateless) and posts to this same
# origin from inside the frame, so the cross-site check passes as on the main page.
# Its pages tell the partner's page their height (static/js/embed-height.js, read by
# static/js/embed-parent.js there), so the frame grows to show the whole form.


def _partner(embed: bool = True) -> str | None:
    """The partner whose page frames the embed (``?partner=``), passed on by its pages."""
    return partners.partner_name(request.args.get("partner")) if embed else None


def _render_embed(petition: Petition, form: SignatureForm, status: int = 200):
    return render_template(
        "petitions/embed.html", petition=petition, form=form, partner=_partner()
    ), status


@bp.get("/<slug:slug>/embed")
@embeddable
@public_cache
def embed(slug: str):
    """A small page for partners' iframes: title, count, progress and the sign form."""
    petition = _petition_or_404(slug)
    form = SignatureForm(
        petition_id=petition.id,
        language=current_language(),
        formdata=None,
        ref=request.args.get("ref"),  # a link's source, carried by the form (sources)
    )
    return _render_embed(petition, form)


@bp.get("/<slug:slug>/embed/compact")
@embeddable
@public_cache
def embed_compact(slug: str):
    """The embed for a narrow column: title, count, progress and a button to the call's page."""
    petition = _petition_or_404(slug)
    return render_template("petitions/embed_compact.html", petition=petition, partner=_partner())


@bp.post("/<slug:slug>/embed/sign")
@embeddable
@csrf.exempt  # protected by the stateless form token instead of the session
@_sign_limit
def embed_sign(slug: str):
    return _sign(slug, embed=True)


@bp.get("/<slug:slug>/embed/check-email")
@embeddable
def embed_check_email(slug: str):
    return _render_check_email(slug, embed=True)
