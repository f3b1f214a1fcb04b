"""The back office's pages for calls: the list of calls, writing and editing a call, its
dashboard, and its text in other languages.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; each states the roles it admits.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from .. import countries
from ..extensions import db
from ..i18n import current_language, language_name
from ..mail import reports as mail_reports
from ..models import Petition
from ..organisers.access import ALL_ROLES, EDITOR, MODERATOR, actor, bp, has_role, role_required
from ..timezones import timezone_names, to_local, to_utc
from . import dashboard, editing, sources
from . import translations as call_translations
from .forms import PetitionForm, SignatureForm, TranslationForm
from .page import render_call_page
from .services import country_counts, text_digest


@bp.get("/")
@role_required(*ALL_ROLES)
def home():
    return render_template("organisers/home.html", petitions=editing.all_petitions())


# -- calls ------------------------------------------------------------------------------


def _petition_values(form: PetitionForm) -> dict[str, Any]:
    """The call's content as the form gives it; dates entered in the call's time zone."""
    values = {field: form[field].data for field in editing.CONTENT_FIELDS}
    # Optional text fields come back as None when left empty; the columns hold "".
    values = {field: "" if value is None else value for field, value in values.items()}
    zone = form.timezone.data
    values["opened_at"] = to_utc(form.opened_at.data, zone)
    values["closes_at"] = to_utc(form.closes_at.data, zone)
    return values


def _check_slug(form: PetitionForm, petition_id: int | None) -> bool:
    problem = editing.slug_problem(form.slug.data, petition_id)
    if problem == "taken":
        form.slug.errors.append(_("Another call already has this address."))
    return problem is None


@bp.route("/calls/new", methods=["GET", "POST"])
@role_required(EDITOR)
def petition_new():
    form = PetitionForm(languages=current_app.config["LANGUAGES"])
    if form.validate_on_submit() and _check_slug(form, None):
        petition = editing.save_petition(None, _petition_values(form), actor(), form.note.data)
        db.session.commit()
        flash(_("The call is saved."), "success")
        return redirect(url_for(".petition_dashboard", petition_id=petition.id), code=303)
    return render_template(
        "organisers/petition_form.html",
        form=form,
        petition=None,
        timezones=timezone_names(),
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/edit", methods=["GET", "POST"])
@role_required(EDITOR)
def petition_edit(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    form = PetitionForm(obj=petition, languages=current_app.config["LANGUAGES"])
    if request.method == "GET":
        form.opened_at.data = to_local(petition.opened_at, petition.timezone)
        form.closes_at.data = to_local(petition.closes_at, petition.timezone)
        form.note.data = ""
    if form.validate_on_submit() and _check_slug(form, petition.id):
        editing.save_petition(petition, _petition_values(form), actor(), form.note.data)
        db.session.commit()
        flash(_("The call is saved."), "success")
        return redirect(url_for(".petition_dashboard", petition_id=petition.id), code=303)
    return render_template(
        "organisers/petition_form.html",
        form=form,
        petition=petition,
        versions=editing.text_versions(petition),
        timezones=timezone_names(),
    ), (422 if form.errors else 200)


@bp.get("/calls/<int:petition_id>")
@role_required(*ALL_ROLES)
def petition_dashboard(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    return render_template(
        "organisers/dashboard.html",
        petition=petition,
        totals=dashboard.totals(petition),
        bars=dashboard.signatures_per_day(petition),
        chart_width=dashboard.CHART_WIDTH,
        chart_height=dashboard.CHART_HEIGHT,
        top_countries=country_counts(petition)[:10],
        ready_to_deliver=dashboard.ready_to_deliver(petition),
        conversion=sources.conversion(petition),
        country_name=lambda code: countries.name(code, current_language()),
        busiest_addresses=dashboard.busiest_addresses(petition) if has_role(MODERATOR) else [],
        busiest_domains=dashboard.busiest_domains(petition) if has_role(MODERATOR) else [],
        mail_failure_count=mail_reports.failure_count(petition.id),
        mail_failures=mail_reports.recent_failures(10, petition_id=petition.id),
        mail_bounce_count=mail_reports.bounce_count(petition.id),
        mail_bounces=mail_reports.recent_bounces(10, petition_id=petition.id),
        mail_suppressed_count=mail_reports.suppressed_count(petition.id),
    )


@bp.get("/calls/<int:petition_id>/preview")
@role_required(*ALL_ROLES)
def petition_preview(petition_id: int):
    """The call's page as the public will see it, in the page's language: a draft too.

    Marked as a preview, with the sign form inert; never stored by a cache and
    never indexed (the back office's own headers, plus X-Robots-Tag).
    """
    petition = db.get_or_404(Petition, petition_id)
    form = SignatureForm(petition_id=petition.id, language=current_language(), formdata=None)
    html, status = render_call_page(petition, form, preview=True)
    response = make_response(html, status)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


# -- the call's text in other languages --------------------------------------------------


def _translatable(petition: Petition, language: str) -> str:
    """``language`` if the call can be translated into it, else 404."""
    if language not in call_translations.translation_languages(petition):
        abort(404)
    return language


@bp.get("/calls/<int:petition_id>/translations")
@role_required(EDITOR)
def translations(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    return render_template(
        "organisers/translations.html",
        petition=petition,
        rows=call_translations.translation_rows(petition),
        # A translation into what is now the main language is never shown; it can go.
        unused=call_translations.translation_of(petition, petition.language),
        statuses=call_translations.TranslationStatus,
    )


def _translation_values(form: TranslationForm) -> dict[str, str]:
    return {
        "title": form.title.data,
        "summary": form.summary.data or "",
        "body_markdown": form.body_markdown.data or "",
        "background_markdown": form.background_markdown.data or "",
        "organisation_blurb": form.organisation_blurb.data or "",
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
    petition = db.get_or_404(Petition, petition_id)
    language = _translatable(petition, language)
    translation = call_translations.translation_of(petition, language)
    main_digest = text_digest(petition)
    translation_digest = text_digest(translation) if translation else ""
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
            call_translations.save_translation(
                petition, language, _translation_values(form), actor()
            )
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
        translation_status=call_translations.translation_status(petition, translation),
        statuses=call_translations.TranslationStatus,
        changes=call_translations.text_changes_since(petition, translation.source_version)
        if translation
        else None,
        preview=preview,
    ), status


@bp.route("/calls/<int:petition_id>/translations/<language>/delete", methods=["GET", "POST"])
@role_required(EDITOR)
def translation_delete(petition_id: int, language: str):
    """Ask, then delete: pages in the language show the main text again."""
    petition = db.get_or_404(Petition, petition_id)
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    translation = call_translations.translation_of(petition, language)
    if translation is None:
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        call_translations.delete_translation(translation, actor())
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
