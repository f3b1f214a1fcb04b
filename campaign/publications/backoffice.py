"""The back office's pages for publications: the list, a new draft, its settings and
cover, its texts and PDF in each language, publishing, and deleting a draft.

Routes on the back office's blueprint (``organisers.access.bp``), so their endpoints
are ``organisers.*``; editors and administrators use them. Download counts per
language are shown here, and nowhere public.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import render_error
from ..extensions import db
from ..forms import uploaded_image
from ..i18n import LANGUAGE_NAMES
from ..models import Petition, Publication, PublicationStatus
from ..notables import portraits
from ..organisers.access import EDITOR, accepts_upload, actor, bp, role_required
from . import files, services
from .forms import (
    DeleteForm,
    NewPublicationForm,
    PublicationForm,
    PublicationTextsForm,
    PublishForm,
)


def _publication(publication_id: int) -> Publication:
    return db.get_or_404(Publication, publication_id)


def _language_or_404(language: str) -> str:
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    return language


def _choices(form: PublicationForm) -> None:
    languages = [(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    calls = [
        (str(call_id), title)
        for call_id, title in db.session.execute(
            select(Petition.id, Petition.title).order_by(Petition.id.desc())
        )
    ]
    form.set_choices(languages, calls)


def _settings(form: PublicationForm) -> dict[str, Any]:
    return {
        "slug": form.slug.data,
        "language": form.language.data,
        "published_on": form.published_on.data,
        "petition_id": int(form.petition_id.data) if form.petition_id.data else None,
    }


def _cover(form: PublicationForm) -> tuple[bool, portraits.Portrait | None]:
    """(acceptable, cover): a clear form error for an image that cannot be used."""
    limit = current_app.config["PUBLICATION_COVER_MAX_BYTES"]
    box = current_app.config["PUBLICATION_COVER_SIZE"]
    return uploaded_image(
        form.cover,
        limit,
        lambda data: portraits.process(data, limit, box),
        portraits.PortraitError,
        _("This file is not a JPEG, PNG or WebP image. Please choose another cover."),
    )


def _valid_settings(form: PublicationForm, publication_id: int | None) -> bool:
    if not form.validate_on_submit():
        return False
    if services.slug_taken(form.slug.data, publication_id):
        form.slug.errors.append(_("Another publication has this address. Please choose another."))
        return False
    return True


@bp.get("/publications")
@role_required(EDITOR)
def publications():
    return render_template("organisers/publications.html", publications=services.all_publications())


@bp.route("/publications/new", methods=["GET", "POST"])
@role_required(EDITOR)
def publication_new():
    form = NewPublicationForm()
    _choices(form)
    if _valid_settings(form, None):
        acceptable, cover = _cover(form)
        if acceptable:
            publication = services.create(
                _settings(form), form.title.data, form.summary_markdown.data or "", actor()
            )
            if cover is not None:
                services.set_cover(publication, cover, actor())
            db.session.commit()
            flash(_("The draft is saved. Add its PDF, then publish it."), "success")
            return redirect(url_for(".publication_edit", publication_id=publication.id), code=303)
    return render_template("organisers/publication_new.html", form=form), (
        422 if form.errors else 200
    )


@bp.route("/publications/<int:publication_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def publication_edit(publication_id: int):
    publication = _publication(publication_id)
    form = PublicationForm(obj=publication)
    _choices(form)
    if form.petition_id.data is None:
        form.petition_id.data = ""
    if _valid_settings(form, publication.id):
        acceptable, cover = _cover(form)
        if acceptable:
            services.edit(publication, _settings(form), actor())
            if cover is not None:
                services.set_cover(publication, cover, actor())
            elif form.remove_cover.data and services.cover_of(publication.id) is not None:
                services.remove_cover(publication, actor())
            db.session.commit()
            flash(_("The publication is saved."), "success")
            return redirect(url_for(".publication_edit", publication_id=publication.id), code=303)
    return _edit_page(publication, form)


def _edit_page(publication: Publication, form: PublicationForm):
    texts = {t.language: t for t in publication.translations}
    downloads = {f.language: f for f in publication.files}
    return render_template(
        "organisers/publication_edit.html",
        publication=publication,
        publication_title=services.texts(publication, publication.language).title,
        form=form,
        texts=texts,
        downloads=downloads,
        total_downloads=sum(f.download_count for f in publication.files),
        cover=services.cover_of(publication.id),
        published=publication.status == PublicationStatus.PUBLISHED,
    ), (422 if form.errors else 200)


def _stored_pdf(form: PublicationTextsForm) -> tuple[bool, Any]:
    """(acceptable, the upload's stream or None): a clear error for a file that is not
    a PDF, is empty or is too large; checked by its content, never its name or type."""
    upload = form.pdf.data
    if upload is None or not getattr(upload, "filename", ""):
        return True, None
    limit = current_app.config["PUBLICATION_MAX_BYTES"]
    try:
        files.checked_size(upload.stream, limit)
    except files.PdfError as error:
        messages = {
            "empty": _("This file is empty. Please choose the PDF again."),
            "too_big": _(
                "This file is too large: please choose a PDF under %(mb)d MB.", mb=limit >> 20
            ),
        }
        form.pdf.errors.append(
            messages.get(error.reason, _("This file is not a PDF. Please choose a PDF file."))
        )
        return False, None
    return True, upload.stream


@bp.route("/publications/<int:publication_id>/languages/<language>", methods=["GET", "POST"])
@accepts_upload("PUBLICATION_MAX_BYTES")
@role_required(EDITOR)
def publication_texts(publication_id: int, language: str):
    publication = _publication(publication_id)
    language = _language_or_404(language)
    row = next((t for t in publication.translations if t.language == language), None)
    form = PublicationTextsForm(obj=row)
    if form.validate_on_submit():
        acceptable, pdf = _stored_pdf(form)
        if acceptable:
            values = {
                "title": form.title.data,
                "summary_markdown": form.summary_markdown.data or "",
                "cover_alt": form.cover_alt.data or "",
            }
            services.save_texts(publication, language, values, actor())
            if pdf is not None:
                services.set_file(publication, language, pdf, actor())
            db.session.commit()
            flash(
                _("The %(language)s version is saved.", language=LANGUAGE_NAMES[language]),
                "success",
            )
            return redirect(url_for(".publication_edit", publication_id=publication.id), code=303)
    return render_template(
        "organisers/publication_texts.html",
        publication=publication,
        publication_title=services.texts(publication, publication.language).title,
        language=language,
        form=form,
        download=services.file_in(publication, language),
        max_mb=current_app.config["PUBLICATION_MAX_BYTES"] >> 20,
    ), (422 if form.errors else 200)


@bp.post("/publications/<int:publication_id>/publish")
@role_required(EDITOR)
def publication_publish(publication_id: int):
    publication = _publication(publication_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_published(publication, form.publish.data == "1", actor())
    except services.NotReady:
        flash(_("Add a PDF in at least one language before publishing."), "error")
    else:
        db.session.commit()
        if publication.status == PublicationStatus.PUBLISHED:
            flash(_("The publication is published."), "success")
        else:
            flash(_("The publication is a draft again: the public no longer sees it."), "success")
    return redirect(url_for(".publication_edit", publication_id=publication.id), code=303)


@bp.post("/publications/<int:publication_id>/delete")
@role_required(EDITOR)
def publication_delete(publication_id: int):
    publication = _publication(publication_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    if publication.status == PublicationStatus.PUBLISHED:
        flash(_("Take the publication back to a draft before deleting it."), "error")
        return redirect(url_for(".publication_edit", publication_id=publication.id), code=303)
    services.delete_publication(publication, actor())
    db.session.commit()
    flash(_("The draft and its files are deleted."), "success")
    return redirect(url_for(".publications"), code=303)


def _too_large(error: RequestEntityTooLarge):
    """A PDF over the limit is refused before its form can be read: say so, with the
    limit, rather than the generic page (which every other oversized body still gets)."""
    if request.endpoint != "organisers.publication_texts":
        return render_error(error)
    limit = current_app.config["PUBLICATION_MAX_BYTES"] >> 20
    message = _(
        "This file is too large: please go back and choose a PDF under %(mb)d MB.", mb=limit
    )
    return render_template("error.html", code=413, title=_("Too large"), message=message), 413


def init_app(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, _too_large)
