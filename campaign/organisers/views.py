"""The organisers' area under ``/organiser/``.

Every view states the roles it admits with :func:`role_required`, checked
on the server: anonymous visitors are sent to the sign-in page, other roles
get 403, and a view that forgot to say is refused outright (see
``_every_view_states_its_roles``). Pages here hold personal data and a
session, so they are never cached (the project's default, ``no-store``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from sqlalchemy import select

from .. import countries
from ..extensions import db
from ..forms import clean_text
from ..i18n import current_language, language_name
from ..mail import worker as mail_worker
from ..models import (
    Blocklist,
    NotableSignatory,
    Organiser,
    OrganiserRole,
    Petition,
    Signature,
    SupporterUpdate,
    UpdateStatus,
    utcnow,
)
from ..petitions import services as petition_services
from ..privacy import services as privacy_services
from ..privacy.forms import EraseForm, PersonLookupForm
from ..security import configured_limit
from . import audit, portraits, services
from .forms import (
    BlockForm,
    CodeForm,
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    NotableForm,
    PetitionForm,
    PromoteForm,
    RuleForm,
    SignatureSearchForm,
    SignInForm,
    TranslationForm,
    UpdateForm,
)

bp = Blueprint("organisers", __name__, url_prefix="/organiser")

ADMIN, EDITOR, MODERATOR = OrganiserRole.ADMIN, OrganiserRole.EDITOR, OrganiserRole.MODERATOR
ALL_ROLES = (ADMIN, EDITOR, MODERATOR)
ROLE_NAMES = {ADMIN: _l("Administrator"), EDITOR: _l("Editor"), MODERATOR: _l("Moderator")}

# Views anyone may reach: the sign-in steps.
OPEN_ENDPOINTS = frozenset({"organisers.sign_in", "organisers.sign_in_code"})


# -- access ---------------------------------------------------------------------------


def load_organiser(token: str) -> Organiser | None:
    return services.organiser_by_session_token(token)


def unauthorized():
    """Anonymous: to the sign-in page, coming back here afterwards."""
    target = request.script_root + request.path
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    return redirect(url_for("organisers.sign_in", next=target))


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


@bp.before_request
def _every_view_states_its_roles():
    """Fail closed: a view without ``role_required`` is refused, not left open."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.endpoint not in OPEN_ENDPOINTS and not hasattr(view, "allowed_roles"):
        abort(403)


def has_role(*roles: OrganiserRole) -> bool:
    return current_user.is_authenticated and current_user.role in {ADMIN, *roles}


@bp.context_processor
def _organiser_context() -> dict[str, Any]:
    return {
        "current_user": current_user,
        "role_names": ROLE_NAMES,
        "has_role": has_role,
        "roles": OrganiserRole,
        "view_functions": current_app.view_functions,
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


# -- signing in and out ---------------------------------------------------------------


def _start_session(organiser: Organiser) -> None:
    """A fresh session on sign-in: nothing from before (a planted session id, a stale
    CSRF token) carries over."""
    session.clear()
    login_user(organiser)
    organiser.last_sign_in_at = utcnow()


def _throttled_message(throttled: services.Throttled) -> str:
    if throttled.locked:
        minutes = max(1, (throttled.seconds + 59) // 60)
        return ngettext(
            "Too many failed attempts. Signing in to this account from your network is "
            "locked for %(num)d more minute.",
            "Too many failed attempts. Signing in to this account from your network is "
            "locked for %(num)d more minutes.",
            minutes,
        )
    return ngettext(
        "Too many failed attempts. Please wait %(num)d second and try again.",
        "Too many failed attempts. Please wait %(num)d seconds and try again.",
        throttled.seconds,
    )


# Besides the per-account lockout below, a hard limit per address on sign-in posts.
@bp.route("/sign-in", methods=["GET", "POST"])
@configured_limit("SIGNIN_RATE_LIMIT", methods=["POST"])
def sign_in():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for(".home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        email, ip = form.email.data.strip().lower(), client_ip()
        throttled = services.sign_in_throttled(email, ip)
        if throttled is not None:
            form.form_errors.append(_throttled_message(throttled))
            status = 429
        else:
            organiser = services.authenticate(email, form.password.data)
            if organiser is None:
                services.record_sign_in_failure(email, ip)
                db.session.commit()
                form.form_errors.append(_("The email address or the password is wrong."))
                status = 422
            elif organiser.totp_secret:
                session.clear()
                session["sign_in_code"] = {
                    "token": organiser.session_token,
                    "next": next_url,
                    "started": time.time(),
                }
                return redirect(url_for(".sign_in_code"), code=303)
            else:
                services.clear_sign_in_failures(email, ip)
                _start_session(organiser)
                db.session.commit()
                return redirect(next_url or url_for(".home"), code=303)
    elif form.errors:
        status = 422
    return render_template("organisers/sign_in.html", form=form), status


@bp.route("/sign-in/code", methods=["GET", "POST"])
@configured_limit("SIGNIN_RATE_LIMIT", methods=["POST"])
def sign_in_code():
    """The second step for organisers with two-step sign-in: a code from their app."""
    pending = session.get("sign_in_code")
    organiser = None
    if pending and time.time() - pending["started"] < current_app.config["SIGN_IN_CODE_SECONDS"]:
        organiser = services.organiser_by_session_token(pending["token"])
    if organiser is None:
        session.pop("sign_in_code", None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for(".sign_in"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        ip = client_ip()
        throttled = services.sign_in_throttled(organiser.email, ip)
        if throttled is not None:
            form.form_errors.append(_throttled_message(throttled))
            status = 429
        elif services.verify_totp(organiser, form.code.data):
            services.clear_sign_in_failures(organiser.email, ip)
            _start_session(organiser)
            db.session.commit()
            return redirect(pending.get("next") or url_for(".home"), code=303)
        else:
            services.record_sign_in_failure(organiser.email, ip)
            db.session.commit()
            form.code.errors.append(_("This code is wrong or has already been used."))
            status = 422
    elif form.errors:
        status = 422
    return render_template("organisers/sign_in_code.html", form=form), status


@bp.post("/sign-out")
@role_required(*ALL_ROLES)
def sign_out():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for(".sign_in"), code=303)


# -- home, accounts, the audit log ----------------------------------------------------


@bp.get("/")
@role_required(*ALL_ROLES)
def home():
    return render_template("organisers/home.html", petitions=services.all_petitions())


@bp.get("/accounts")
@role_required(ADMIN)
def accounts():
    organisers = db.session.scalars(select(Organiser).order_by(Organiser.email)).all()
    return render_template("organisers/accounts.html", organisers=organisers)


@bp.route("/account/two-step", methods=["GET", "POST"])
@role_required(ADMIN)
def two_factor():
    """Administrators turn on a second factor: the secret is shown as text (no QR service)."""
    me = actor()
    if me.totp_secret:
        form = DisableTwoFactorForm()
        if form.validate_on_submit():
            if services.verify_totp(me, form.code.data):
                services.disable_totp(me)
                audit.record(me, "disable_two_factor", "organiser", me.id, {"fields": ["totp"]})
                db.session.commit()
                flash(_("Two-step sign-in is off."), "success")
                return redirect(url_for(".two_factor"), code=303)
            form.code.errors.append(_("This code is wrong or has already been used."))
        return render_template("organisers/two_factor.html", form=form, enabled=True), (
            422 if form.errors else 200
        )
    secret = session.get("totp_enrol") or services.new_totp_secret()
    session["totp_enrol"] = secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        if services.enable_totp(me, secret, form.code.data):
            session.pop("totp_enrol", None)
            audit.record(me, "enable_two_factor", "organiser", me.id, {"fields": ["totp"]})
            db.session.commit()
            flash(_("Two-step sign-in is on. You will need a code each time you sign in."))
            return redirect(url_for(".two_factor"), code=303)
        form.code.errors.append(_("This code does not match. Check the time on your phone."))
    return render_template(
        "organisers/two_factor.html",
        form=form,
        enabled=False,
        secret=secret,
        uri=services.totp_uri(me, secret),
    ), (422 if form.errors else 200)


@bp.get("/audit")
@role_required(ADMIN)
def audit_log():
    page = request.args.get("page", 1, type=int) or 1
    entries, total = audit.entries(page)
    return render_template(
        "organisers/audit.html", entries=entries, pagination=Pagination(page, 50, total)
    )


class Pagination:
    """Page numbers for a list of ``total`` items shown ``per_page`` at a time."""

    def __init__(self, page: int, per_page: int, total: int) -> None:
        self.per_page, self.total = per_page, total
        self.pages = max(1, (total + per_page - 1) // per_page)
        self.page = min(max(page, 1), self.pages)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# -- calls ------------------------------------------------------------------------------


def _petition(petition_id: int) -> Petition:
    petition = db.session.get(Petition, petition_id)
    if petition is None:
        abort(404)
    return petition


def _petition_values(form: PetitionForm) -> dict[str, Any]:
    zone = form.timezone.data
    return {
        "slug": form.slug.data,
        "title": form.title.data,
        "summary": form.summary.data or "",
        "body_markdown": form.body_markdown.data,
        "background_markdown": form.background_markdown.data or "",
        "organisation": form.organisation.data or "",
        "organisation_url": form.organisation_url.data or "",
        "organisation_blurb": form.organisation_blurb.data or "",
        "language": form.language.data,
        "state": form.state.data,
        "goal": form.goal.data,
        "timezone": zone,
        "opened_at": services.to_utc(form.opened_at.data, zone),
        "closes_at": services.to_utc(form.closes_at.data, zone),
        "featured": form.featured.data,
    }


def _check_slug(form: PetitionForm, petition_id: int | None) -> bool:
    problem = services.slug_problem(form.slug.data, petition_id)
    if problem == "taken":
        form.slug.errors.append(_("Another call already has this address."))
    return problem is None


@bp.route("/calls/new", methods=["GET", "POST"])
@role_required(EDITOR)
def petition_new():
    form = PetitionForm(languages=current_app.config["LANGUAGES"])
    if form.validate_on_submit() and _check_slug(form, None):
        petition = services.save_petition(None, _petition_values(form), actor(), form.note.data)
        db.session.commit()
        flash(_("The call is saved."), "success")
        return redirect(url_for(".petition_dashboard", petition_id=petition.id), code=303)
    return render_template(
        "organisers/petition_form.html",
        form=form,
        petition=None,
        timezones=services.timezone_names(),
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def petition_edit(petition_id: int):
    petition = _petition(petition_id)
    form = PetitionForm(obj=petition, languages=current_app.config["LANGUAGES"])
    if request.method == "GET":
        form.opened_at.data = services.to_local(petition.opened_at, petition.timezone)
        form.closes_at.data = services.to_local(petition.closes_at, petition.timezone)
        form.note.data = ""
    if form.validate_on_submit() and _check_slug(form, petition.id):
        services.save_petition(petition, _petition_values(form), actor(), form.note.data)
        db.session.commit()
        flash(_("The call is saved."), "success")
        return redirect(url_for(".petition_dashboard", petition_id=petition.id), code=303)
    return render_template(
        "organisers/petition_form.html",
        form=form,
        petition=petition,
        versions=services.text_versions(petition),
        timezones=services.timezone_names(),
    ), (422 if form.errors else 200)


@bp.get("/calls/<int:petition_id>")
@role_required(*ALL_ROLES)
def petition_dashboard(petition_id: int):
    petition = _petition(petition_id)
    return render_template(
        "organisers/dashboard.html",
        petition=petition,
        totals=services.totals(petition),
        bars=services.signatures_per_day(petition),
        chart_width=services.CHART_WIDTH,
        chart_height=services.CHART_HEIGHT,
        top_countries=petition_services.country_counts(petition)[:10],
        country_name=lambda code: countries.name(code, current_language()),
        busiest_addresses=services.busiest_addresses(petition) if has_role(MODERATOR) else [],
        busiest_domains=services.busiest_domains(petition) if has_role(MODERATOR) else [],
        mail_failure_count=mail_worker.failure_count(petition.id),
        mail_failures=mail_worker.recent_failures(10, petition_id=petition.id),
        mail_bounce_count=mail_worker.bounce_count(petition.id),
        mail_bounces=mail_worker.recent_bounces(10, petition_id=petition.id),
        mail_suppressed_count=mail_worker.suppressed_count(petition.id),
    )


# -- the call's text in other languages --------------------------------------------------


def _translatable(petition: Petition, language: str) -> str:
    """``language`` if the call can be translated into it, else 404."""
    if language not in services.translation_languages(petition):
        abort(404)
    return language


@bp.get("/calls/<int:petition_id>/translations")
@role_required(EDITOR)
def translations(petition_id: int):
    petition = _petition(petition_id)
    return render_template(
        "organisers/translations.html",
        petition=petition,
        rows=services.translation_rows(petition),
        # A translation into what is now the main language is never shown; it can go.
        unused=services.translation_of(petition, petition.language),
        statuses=services.TranslationStatus,
    )


def _translation_values(form: TranslationForm) -> dict[str, str]:
    return {
        "title": form.title.data,
        "summary": form.summary.data or "",
        "body_markdown": form.body_markdown.data or "",
        "background_markdown": form.background_markdown.data or "",
    }


def _changed_meanwhile(form: TranslationForm, main_digest: str, translation_digest: str) -> bool:
    """Refuse to save over changes made since the form was served; the form comes back
    with the person's text and the current state, and saving again goes through."""
    changed = False
    if form.main_digest.data != main_digest:
        form.form_errors.append(
            _(
                "The main text changed while you were translating. It is shown again beside "
                "your translation: check it, then save again."
            )
        )
        changed = True
    if form.translation_digest.data != translation_digest:
        form.form_errors.append(
            _(
                "Someone else saved this translation while you were editing it (the audit log "
                "shows who). Your text is still in the form: saving again replaces theirs."
            )
        )
        changed = True
    form.main_digest.data, form.translation_digest.data = main_digest, translation_digest
    return changed


@bp.route("/calls/<int:petition_id>/translations/<language>", methods=["GET", "POST"])
@role_required(EDITOR)
def translation_edit(petition_id: int, language: str):
    """Add or change the call's text in one language, beside its main text."""
    petition = _petition(petition_id)
    language = _translatable(petition, language)
    translation = services.translation_of(petition, language)
    main_digest = petition_services.text_digest(petition)
    translation_digest = petition_services.text_digest(translation) if translation else ""
    form = TranslationForm(obj=translation, main=petition)
    if request.method == "GET":
        form.main_digest.data, form.translation_digest.data = main_digest, translation_digest
    status, preview = 200, None
    if form.validate_on_submit():
        if form.preview.data:
            preview = _translation_values(form)
        elif _changed_meanwhile(form, main_digest, translation_digest):
            status = 409
        else:
            services.save_translation(petition, language, _translation_values(form), actor())
            db.session.commit()
            flash(
                _("The %(language)s translation is saved.", language=language_name(language)),
                "success",
            )
            return redirect(url_for(".translations", petition_id=petition.id), code=303)
    elif form.errors:
        status = 422
    return render_template(
        "organisers/translation_form.html",
        petition=petition,
        language=language,
        form=form,
        translation=translation,
        translation_status=services.translation_status(petition, translation),
        statuses=services.TranslationStatus,
        changes=services.text_changes_since(petition, translation.source_version)
        if translation
        else None,
        preview=preview,
    ), status


@bp.route("/calls/<int:petition_id>/translations/<language>/delete", methods=["GET", "POST"])
@role_required(EDITOR)
def translation_delete(petition_id: int, language: str):
    """Ask, then delete: pages in the language show the main text again."""
    petition = _petition(petition_id)
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    translation = services.translation_of(petition, language)
    if translation is None:
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        services.delete_translation(translation, actor())
        db.session.commit()
        flash(
            _(
                "The %(language)s translation is deleted. The call's page in %(language)s "
                "shows its main text.",
                language=language_name(language),
            ),
            "success",
        )
        return redirect(url_for(".translations", petition_id=petition.id), code=303)
    return render_template(
        "organisers/translation_delete.html",
        petition=petition,
        language=language,
        translation=translation,
        form=form,
    )


# -- updates to supporters -------------------------------------------------------------


def _update(petition: Petition, update_id: int) -> SupporterUpdate:
    update_ = db.session.get(SupporterUpdate, update_id)
    if update_ is None or update_.petition_id != petition.id:
        abort(404)
    return update_


@bp.get("/calls/<int:petition_id>/updates")
@role_required(EDITOR)
def updates(petition_id: int):
    petition = _petition(petition_id)
    items = db.session.scalars(
        select(SupporterUpdate)
        .where(SupporterUpdate.petition_id == petition.id)
        .order_by(SupporterUpdate.id.desc())
    ).all()
    return render_template("organisers/updates.html", petition=petition, items=items)


@bp.route("/calls/<int:petition_id>/updates/new", methods=["GET", "POST"])
@role_required(EDITOR)
def update_new(petition_id: int):
    petition = _petition(petition_id)
    form = UpdateForm()
    if form.validate_on_submit():
        update_ = services.save_update(
            None, petition, form.subject.data, form.body_markdown.data, actor()
        )
        db.session.commit()
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
    return render_template(
        "organisers/update_form.html", petition=petition, form=form, update=None
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/updates/<int:update_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def update_edit(petition_id: int, update_id: int):
    petition = _petition(petition_id)
    update_ = _update(petition, update_id)
    if update_.status != UpdateStatus.DRAFT:
        flash(_("This update is already being sent and cannot change."), "error")
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id))
    form = UpdateForm(obj=update_)
    if form.validate_on_submit():
        services.save_update(update_, petition, form.subject.data, form.body_markdown.data, actor())
        db.session.commit()
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
    return render_template(
        "organisers/update_form.html", petition=petition, form=form, update=update_
    ), (422 if form.errors else 200)


@bp.get("/calls/<int:petition_id>/updates/<int:update_id>")
@role_required(EDITOR)
def update_show(petition_id: int, update_id: int):
    """The preview, with the test send and the real send."""
    petition = _petition(petition_id)
    update_ = _update(petition, update_id)
    return render_template(
        "organisers/update_show.html",
        petition=petition,
        update=update_,
        left=services.recipients_left(update_),
        delivered=services.deliveries(update_),
    )


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/test")
@role_required(EDITOR)
def update_test(petition_id: int, update_id: int):
    petition = _petition(petition_id)
    update_ = _update(petition, update_id)
    services.send_test_update(update_, actor())
    db.session.commit()
    flash(_("A test copy is on its way to %(email)s.", email=actor().email), "success")
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/send")
@role_required(EDITOR)
def update_send(petition_id: int, update_id: int):
    """Start (or continue) sending: one batch per press; ``flask organiser send-updates``
    sends the rest from the server."""
    petition = _petition(petition_id)
    update_ = _update(petition, update_id)
    services.start_sending(update_, actor())
    queued = services.queue_update_batch(update_, current_app.config["UPDATE_BATCH_SIZE"])
    db.session.commit()
    flash(
        ngettext("%(num)d message queued.", "%(num)d messages queued.", queued),
        "success",
    )
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)


# -- notable signatories ---------------------------------------------------------------


def _notable(petition: Petition, notable_id: int) -> NotableSignatory:
    notable = db.session.get(NotableSignatory, notable_id)
    if notable is None or notable.petition_id != petition.id:
        abort(404)
    return notable


def _notable_values(form: NotableForm) -> dict[str, Any]:
    values = {
        "title": form.title.data or "",
        "organisation": form.organisation.data or "",
        "category": form.category.data,
        "url": form.url.data or "",
        "visible": form.visible.data,
        "consent_note": form.consent_note.data,
    }
    if form.name is not None:
        values["name"] = form.name.data
    if form.country is not None:
        values["country"] = form.country.data or ""
    return values


def _uploaded_portrait(form: NotableForm) -> tuple[bool, portraits.Portrait | None]:
    """(acceptable, portrait): a clear form error for a file that cannot be used."""
    upload = form.portrait.data
    if upload is None or not getattr(upload, "filename", ""):
        return True, None
    limit = current_app.config["PORTRAIT_MAX_BYTES"]
    try:
        return True, portraits.process(
            upload.stream.read(limit + 1), limit, current_app.config["PORTRAIT_MAX_SIZE"]
        )
    except portraits.PortraitError as error:
        if error.reason == "too_big":
            form.portrait.errors.append(
                _("This image is too large: please choose one under %(mb)d MB.", mb=limit >> 20)
            )
        else:
            form.portrait.errors.append(
                _("This file is not a JPEG, PNG or WebP image. Please choose a photo or logo.")
            )
        return False, None


def _categories(petition: Petition) -> list[str]:
    return list(dict.fromkeys(n.category for n in services.notables_of(petition)))


@bp.get("/calls/<int:petition_id>/notables")
@role_required(EDITOR)
def notables(petition_id: int):
    petition = _petition(petition_id)
    return render_template(
        "organisers/notables.html", petition=petition, notables=services.notables_of(petition)
    )


def _notable_form_page(
    petition: Petition, form, *, notable: NotableSignatory | None, signature: Signature | None
):
    """The notable form (add, edit or promote), with 422 when it came back with errors."""
    return render_template(
        "organisers/notable_form.html",
        petition=petition,
        form=form,
        notable=notable,
        signature=signature,
        categories=_categories(petition),
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/notables/new", methods=["GET", "POST"])
@role_required(EDITOR)
def notable_new(petition_id: int):
    petition = _petition(petition_id)
    form = NotableForm(language=current_language())
    if form.validate_on_submit():
        acceptable, portrait = _uploaded_portrait(form)
        if acceptable:
            notable = services.add_notable(petition, _notable_values(form), actor())
            if portrait is not None:
                services.set_portrait(notable, portrait, actor())
            db.session.commit()
            flash(_("%(name)s is added.", name=notable.name), "success")
            return redirect(url_for(".notables", petition_id=petition.id), code=303)
    return _notable_form_page(petition, form, notable=None, signature=None)


@bp.route("/calls/<int:petition_id>/notables/<int:notable_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def notable_edit(petition_id: int, notable_id: int):
    petition = _petition(petition_id)
    notable = _notable(petition, notable_id)
    form = NotableForm(obj=notable, language=current_language())
    if notable.signature_id is not None:
        form.name = form.country = None  # they come from the signature
        del form._fields["name"], form._fields["country"]
    if form.validate_on_submit():
        acceptable, portrait = _uploaded_portrait(form)
        if acceptable:
            services.edit_notable(notable, _notable_values(form), actor())
            if portrait is not None:
                services.set_portrait(notable, portrait, actor())
            elif form.remove_portrait.data and notable.portrait_hash:
                services.remove_portrait(notable, actor())
            db.session.commit()
            flash(_("%(name)s is saved.", name=notable.name), "success")
            return redirect(url_for(".notables", petition_id=petition.id), code=303)
    return _notable_form_page(petition, form, notable=notable, signature=None)


@bp.post("/calls/<int:petition_id>/notables/<int:notable_id>/move")
@role_required(EDITOR)
def notable_move(petition_id: int, notable_id: int):
    petition = _petition(petition_id)
    notable = _notable(petition, notable_id)
    services.move_notable(notable, request.form.get("direction") == "up", actor())
    db.session.commit()
    return redirect(url_for(".notables", petition_id=petition.id, _anchor=f"n{notable.id}"), 303)


@bp.post("/calls/<int:petition_id>/notables/categories/move")
@role_required(EDITOR)
def notable_category_move(petition_id: int):
    petition = _petition(petition_id)
    services.move_category(
        petition, request.form.get("category", ""), request.form.get("direction") == "up", actor()
    )
    db.session.commit()
    return redirect(url_for(".notables", petition_id=petition.id), 303)


@bp.post("/calls/<int:petition_id>/notables/<int:notable_id>/visibility")
@role_required(EDITOR)
def notable_visibility(petition_id: int, notable_id: int):
    petition = _petition(petition_id)
    notable = _notable(petition, notable_id)
    services.set_notable_visible(notable, request.form.get("visible") == "1", actor())
    db.session.commit()
    return redirect(url_for(".notables", petition_id=petition.id, _anchor=f"n{notable.id}"), 303)


@bp.post("/calls/<int:petition_id>/notables/<int:notable_id>/delete")
@role_required(EDITOR)
def notable_delete(petition_id: int, notable_id: int):
    petition = _petition(petition_id)
    notable = _notable(petition, notable_id)
    name = notable.name
    services.remove_notable(notable, actor())
    db.session.commit()
    flash(_("%(name)s is removed.", name=name), "success")
    return redirect(url_for(".notables", petition_id=petition.id), 303)


@bp.get("/calls/<int:petition_id>/notables/promote")
@role_required(EDITOR)
def notable_promote_search(petition_id: int):
    """Signers who chose to be shown publicly, to pick one to feature."""
    petition = _petition(petition_id)
    name = (request.args.get("name") or "").strip()[:200]
    page = request.args.get("page", 1, type=int) or 1
    rows, total = services.promotable_signatures(petition, name, page)
    return render_template(
        "organisers/promote_search.html",
        petition=petition,
        name=name,
        signatures=rows,
        pagination=Pagination(page, 25, total),
        country_name=lambda code: countries.name(code, current_language()),
    )


@bp.route("/calls/<int:petition_id>/notables/promote/<int:signature_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def notable_promote(petition_id: int, signature_id: int):
    petition = _petition(petition_id)
    signature = services.promotable_signature(petition, signature_id)
    if signature is None:
        abort(404)
    form = PromoteForm()
    if form.validate_on_submit():
        acceptable, portrait = _uploaded_portrait(form)
        if acceptable:
            values = {**_notable_values(form), "name": signature.name, "country": signature.country}
            notable = services.promote(petition, signature, values, actor())
            if portrait is not None:
                services.set_portrait(notable, portrait, actor())
            db.session.commit()
            flash(_("%(name)s is now a notable signatory.", name=notable.name), "success")
            return redirect(url_for(".notables", petition_id=petition.id), code=303)
    return _notable_form_page(petition, form, notable=None, signature=signature)


# -- moderation ------------------------------------------------------------------------


def _filter_from(form: SignatureSearchForm, petition: Petition) -> services.SignatureFilter:
    zone = petition.timezone
    return services.SignatureFilter(
        name=form.name.data or "",
        email=form.email.data or "",
        domain=form.domain.data or "",
        ip=form.ip.data or "",
        country=(form.country.data or "").upper(),
        status=form.status.data or "",
        validity=form.validity.data or "",
        since=services.to_utc(form.since.data, zone),
        until=services.to_utc(form.until.data, zone),
    )


def _search_form() -> SignatureSearchForm:
    return SignatureSearchForm(formdata=request.args)


def _back_to(default: str) -> str:
    return safe_next(request.form.get("back")) or default


@bp.get("/calls/<int:petition_id>/signatures")
@role_required(MODERATOR)
def signatures(petition_id: int):
    petition = _petition(petition_id)
    form = _search_form()
    page = request.args.get("page", 1, type=int) or 1
    rows, total = [], 0
    valid = form.validate()
    if valid:
        rows, total = services.search_signatures(petition, _filter_from(form, petition), page)
    return render_template(
        "organisers/signatures.html",
        petition=petition,
        form=form,
        rows=rows,
        pagination=Pagination(page, 50, total),
        query=request.args.to_dict(),
        unpack_ip=services.unpack_ip,
        rule_fields=_filter_from(form, petition).rule_fields() if valid else [],
    ), (200 if valid else 422)


@bp.route("/calls/<int:petition_id>/signatures/bulk", methods=["GET", "POST"])
@role_required(MODERATOR)
def signatures_bulk(petition_id: int):
    """Invalidate (or restore) many by a rule: first a preview of how many match."""
    petition = _petition(petition_id)
    search = _search_form()
    action = request.args.get("action", "invalidate")
    if action not in services.BULK_ACTIONS or not search.validate():
        abort(400)
    rule = _filter_from(search, petition)
    if not rule.rule_fields():
        flash(_("A rule needs a name, an email, a domain, an IP range or a time window."), "error")
        return redirect(url_for(".signatures", petition_id=petition.id, **request.args), 303)
    form = RuleForm(action=action)
    if form.validate_on_submit():
        changed = services.apply_rule(
            petition, rule, form.action.data, form.up_to_id.data, actor(), form.reason.data
        )
        db.session.commit()
        message = (
            ngettext("%(num)d signature invalidated.", "%(num)d signatures invalidated.", changed)
            if form.action.data == "invalidate"
            else ngettext("%(num)d signature restored.", "%(num)d signatures restored.", changed)
        )
        flash(message, "success")
        query = {k: v for k, v in request.args.items() if k not in ("action", "page")}
        return redirect(url_for(".signatures", petition_id=petition.id, **query), 303)
    preview = services.preview_rule(petition, rule, action)
    if request.method == "GET":
        form.up_to_id.data = preview.up_to_id
    return render_template(
        "organisers/signatures_bulk.html",
        petition=petition,
        form=form,
        action=action,
        preview=preview,
        rule_fields=rule.rule_fields(),
        query={k: v for k, v in request.args.items() if k != "page"},
    ), (422 if form.errors else 200)


@bp.post(
    "/calls/<int:petition_id>/signatures/<int:signature_id>/"
    "<any(invalidate, restore, release):action>"
)
@role_required(MODERATOR)
def signature_action(petition_id: int, signature_id: int, action: str):
    petition = _petition(petition_id)
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.petition_id != petition.id:
        abort(404)
    back = _back_to(url_for(".signatures", petition_id=petition.id))
    reason = clean_text(request.form.get("reason", ""))[:500]
    if action == "invalidate" and not reason:
        flash(_("Please give a reason for invalidating."), "error")
        return redirect(back, 303)
    if services.moderate(signature, action, actor(), reason):
        db.session.commit()
        flash(
            {
                "invalidate": _("The signature is invalidated."),
                "restore": _("The signature is valid again."),
                "release": _("The signature is released and counts if confirmed."),
            }[action],
            "success",
        )
    else:
        flash(_("Nothing changed: the signature was already in that state."), "info")
    return redirect(back, 303)


@bp.get("/calls/<int:petition_id>/review")
@role_required(MODERATOR)
def review(petition_id: int):
    petition = _petition(petition_id)
    page = request.args.get("page", 1, type=int) or 1
    rows, total = services.suspects(petition, page)
    return render_template(
        "organisers/review.html",
        petition=petition,
        rows=rows,
        pagination=Pagination(page, 50, total),
        unpack_ip=services.unpack_ip,
    )


def _block_form() -> BlockForm:
    form = BlockForm()
    form.petition_id.choices = [(0, _("Every call"))] + [
        (p.id, p.title) for p in services.all_petitions()
    ]
    return form


@bp.get("/blocklist")
@role_required(MODERATOR)
def blocklist():
    return render_template(
        "organisers/blocklist.html", form=_block_form(), entries=services.blocklist_entries()
    )


@bp.post("/blocklist")
@role_required(MODERATOR)
def blocklist_add():
    form = _block_form()
    if form.validate_on_submit():
        services.add_block(
            form.kind.data,
            form.value.data,
            form.petition_id.data or None,
            form.reason.data,
            actor(),
        )
        db.session.commit()
        flash(
            _("Added to the blocklist. New signatures that match are held as suspect."), "success"
        )
        return redirect(url_for(".blocklist"), 303)
    return render_template(
        "organisers/blocklist.html", form=form, entries=services.blocklist_entries()
    ), 422


@bp.post("/blocklist/<int:entry_id>/delete")
@role_required(MODERATOR)
def blocklist_delete(entry_id: int):
    entry = db.session.get(Blocklist, entry_id)
    if entry is None:
        abort(404)
    services.remove_block(entry, actor())
    db.session.commit()
    flash(_("Removed from the blocklist."), "success")
    return redirect(url_for(".blocklist"), 303)


# -- privacy requests (subject access and erasure) ----------------------------------------


def _person_page(form, found=None, erase_form=None, status: int = 200):
    return render_template(
        "organisers/privacy.html",
        form=form,
        found=found,
        erase_form=erase_form or EraseForm(formdata=None, email=form.email.data),
    ), status


@bp.route("/privacy", methods=["GET", "POST"])
@role_required(ADMIN)
def privacy():
    """Find what is held about a person, by the address they signed with."""
    form = PersonLookupForm()
    if form.validate_on_submit():
        return _person_page(form, found=privacy_services.signatures_of(form.email.data))
    return _person_page(form, status=422 if form.errors else 200)


@bp.post("/privacy/export")
@role_required(ADMIN)
def privacy_export():
    """Everything held about a person as JSON; the download is recorded."""
    form = PersonLookupForm()
    if not form.validate_on_submit():
        return _person_page(form, status=422)
    report = privacy_services.subject_access_report(form.email.data)
    ids = [s.id for s in privacy_services.signatures_of(form.email.data)]
    audit.record(
        actor(), "privacy.export", "signature", ",".join(map(str, ids)), {"signature_ids": ids}
    )
    db.session.commit()
    response = current_app.response_class(
        json.dumps(report, indent=2, ensure_ascii=False), mimetype="application/json"
    )
    # The address is not in the file name: downloads end up in logs and folders.
    response.headers["Content-Disposition"] = 'attachment; filename="subject-access.json"'
    return response


@bp.post("/privacy/erase")
@role_required(ADMIN)
def privacy_erase():
    """Erase a person's data on every call, in place (counts are kept); recorded."""
    erase_form = EraseForm()
    lookup = PersonLookupForm(formdata=None, email=erase_form.email.data)
    if not erase_form.validate_on_submit():
        found = privacy_services.signatures_of(erase_form.email.data or "")
        return _person_page(lookup, found=found, erase_form=erase_form, status=422)
    ids = privacy_services.erase_person(erase_form.email.data)
    audit.record(
        actor(),
        "privacy.erase",
        "signature",
        ",".join(map(str, ids)),
        {"signature_ids": ids, "fields": sorted(privacy_services.ERASED_VALUES)},
    )
    db.session.commit()
    flash(
        ngettext(
            "Erased the data of %(num)d signature.",
            "Erased the data of %(num)d signatures.",
            len(ids),
        ),
        "success",
    )
    return redirect(url_for(".privacy"), 303)
