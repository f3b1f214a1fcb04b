"""The back office's pages for updates to supporters: write, translate, preview, test, send.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; each states the roles it admits.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..extensions import db
from ..i18n import current_language, language_name
from ..models import Petition, SupporterUpdate, UpdateStatus
from ..organisers.access import EDITOR, actor, bp, role_required
from ..petitions.translations import TranslationStatus, translation_languages
from . import audience, progress, services, translations
from .drafts import UpdateFrozen
from .forms import UpdateForm, UpdateTranslationForm


def _update(petition: Petition, update_id: int) -> SupporterUpdate:
    update_ = db.session.get(SupporterUpdate, update_id)
    if update_ is None or update_.petition_id != petition.id:
        abort(404)
    return update_


@bp.get("/calls/<int:petition_id>/updates")
@role_required(EDITOR)
def updates(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    items = db.session.scalars(
        select(SupporterUpdate)
        .where(SupporterUpdate.petition_id == petition.id)
        .order_by(SupporterUpdate.id.desc())
    ).all()
    return render_template("organisers/updates.html", petition=petition, items=items)


@bp.route("/calls/<int:petition_id>/updates/new", methods=["GET", "POST"])
@role_required(EDITOR)
def update_new(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
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
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    if update_.status != UpdateStatus.DRAFT:
        flash(_("This update is already being sent and cannot change."), "error")
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id))
    form = UpdateForm(obj=update_)
    if form.validate_on_submit():
        try:
            services.save_update(
                update_, petition, form.subject.data, form.body_markdown.data, actor()
            )
        except UpdateFrozen:  # sending started since the form was served
            db.session.rollback()
            return _frozen(petition, update_)
        db.session.commit()
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
    return render_template(
        "organisers/update_form.html", petition=petition, form=form, update=update_
    ), (422 if form.errors else 200)


@bp.get("/calls/<int:petition_id>/updates/<int:update_id>")
@role_required(EDITOR)
def update_show(petition_id: int, update_id: int):
    """The preview, with the test send, the way to send it, and how far sending has got."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    return render_template(
        "organisers/update_show.html",
        petition=petition,
        update=update_,
        figures=progress.figures(update_),
        target=audience.target(update_, current_language()),
        rows=translations.translation_rows(update_, petition),
        statuses=TranslationStatus,
    )


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/test")
@role_required(EDITOR)
def update_test(petition_id: int, update_id: int):
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    languages = services.send_test_update(update_, actor())
    db.session.commit()
    if len(languages) == 1:
        flash(_("A test copy is on its way to %(email)s.", email=actor().email), "success")
    else:
        flash(
            _(
                "A test copy of each version (%(languages)s) is on its way to %(email)s.",
                languages=translations.language_list(languages, current_language()),
                email=actor().email,
            ),
            "success",
        )
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)


# -- an update in other languages --------------------------------------------------------


def _frozen(petition: Petition, update_: SupporterUpdate):
    flash(_("This update is already being sent and cannot change."), "error")
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)


def _changed_meanwhile(form: UpdateTranslationForm, main: str, mine: str) -> bool:
    """Refuse to save over changes made since the form was served: saving marks the
    translation checked against the update's text, so it must be the text the editor saw.
    The form comes back with their text and the current state; saving again goes through."""
    changed = False
    if form.main_digest.data != main:
        form.form_errors.append(
            _(
                "The update's text changed while you were translating. It is shown again "
                "beside your translation: check it, then save again."
            )
        )
        changed = True
    if form.translation_digest.data != mine:
        form.form_errors.append(
            _(
                "Someone else saved this translation while you were editing it (the audit log "
                "shows who). Your text is still in the form: saving again replaces theirs."
            )
        )
        changed = True
    form.main_digest.data, form.translation_digest.data = main, mine
    return changed


@bp.route(
    "/calls/<int:petition_id>/updates/<int:update_id>/translations/<language>",
    methods=["GET", "POST"],
)
@role_required(EDITOR)
def update_translation(petition_id: int, update_id: int, language: str):
    """Write or check the update in one language, beside its own text; read-only once
    sending has started."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    if language not in translation_languages(petition):
        abort(404)
    translation = translations.translation_of(update_, language)
    frozen = update_.status != UpdateStatus.DRAFT
    if frozen and request.method == "POST":
        return _frozen(petition, update_)
    main = translations.main_digest(update_)
    mine = (
        translations.update_digest(translation.subject, translation.body_markdown)
        if translation
        else ""
    )
    form = UpdateTranslationForm(obj=translation)
    if request.method == "GET":
        form.main_digest.data, form.translation_digest.data = main, mine
    status, preview = 200, None
    if form.validate_on_submit():
        if form.preview.data:
            preview = translations.UpdateText(language, form.subject.data, form.body_markdown.data)
        elif _changed_meanwhile(form, main, mine):
            status = 409
        else:
            try:
                translations.save_translation(
                    update_, language, form.subject.data, form.body_markdown.data, actor()
                )
            except UpdateFrozen:
                db.session.rollback()
                return _frozen(petition, update_)
            db.session.commit()
            flash(
                _("The %(language)s version is saved.", language=language_name(language)), "success"
            )
            return redirect(
                url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303
            )
    elif form.errors:
        status = 422
    return render_template(
        "organisers/update_translation_form.html",
        petition=petition,
        update=update_,
        language=language,
        form=form,
        frozen=frozen,
        translation=translation,
        translation_status=translations.translation_status(update_, translation),
        statuses=TranslationStatus,
        changes=translations.changes_since(update_, translation) if translation else None,
        preview=preview,
    ), status


@bp.route(
    "/calls/<int:petition_id>/updates/<int:update_id>/translations/<language>/delete",
    methods=["GET", "POST"],
)
@role_required(EDITOR)
def update_translation_delete(petition_id: int, update_id: int, language: str):
    """Ask, then delete: readers in the language get the update's own text, with the note."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    translation = translations.translation_of(update_, language)
    if translation is None:
        abort(404)
    if update_.status != UpdateStatus.DRAFT:
        return _frozen(petition, update_)
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            translations.delete_translation(update_, translation, actor())
        except UpdateFrozen:
            db.session.rollback()
            return _frozen(petition, update_)
        db.session.commit()
        flash(
            _("The %(language)s version is deleted.", language=language_name(language)), "success"
        )
        return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)
    return render_template(
        "organisers/update_translation_delete.html",
        petition=petition,
        update=update_,
        language=language,
        translation=translation,
        form=form,
    )
