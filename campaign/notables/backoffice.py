"""The back office's pages for notable signatories: add, edit, order, hide, remove,
promote a public signer, and translate their titles and categories.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; each states the roles it admits.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import countries
from ..extensions import db
from ..forms import uploaded_image
from ..i18n import current_language, language_name
from ..models import NotableSignatory, Petition, Signature
from ..organisers.access import EDITOR, actor, bp, role_required
from ..pagination import Pagination, list_page
from . import portraits, services, translations
from .forms import (
    NotableForm,
    NotableTranslationsForm,
    PromoteForm,
    PromoteSearchForm,
    category_field_name,
    notable_translations_form,
)


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
    limit = current_app.config["PORTRAIT_MAX_BYTES"]
    size = current_app.config["PORTRAIT_MAX_SIZE"]
    return uploaded_image(
        form.portrait,
        limit,
        lambda data: portraits.process(data, limit, size),
        portraits.PortraitError,
        _("This file is not a JPEG, PNG or WebP image. Please choose a photo or logo."),
    )


def _country_name(code: str) -> str:
    """A country's name in the page's language (Babel's territory names), not its code."""
    return countries.name(code, current_language())


def _categories(petition: Petition) -> list[str]:
    return list(dict.fromkeys(n.category for n in services.notables_of(petition)))


@bp.get("/calls/<int:petition_id>/notables")
@role_required(EDITOR)
def notables(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
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
        country_name=_country_name,
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/notables/new", methods=["GET", "POST"])
@role_required(EDITOR)
def notable_new(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
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
    petition = db.get_or_404(Petition, petition_id)
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
    petition = db.get_or_404(Petition, petition_id)
    notable = _notable(petition, notable_id)
    services.move_notable(notable, request.form.get("direction") == "up", actor())
    db.session.commit()
    return redirect(url_for(".notables", petition_id=petition.id, _anchor=f"n{notable.id}"), 303)


@bp.post("/calls/<int:petition_id>/notables/categories/move")
@role_required(EDITOR)
def notable_category_move(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    services.move_category(
        petition, request.form.get("category", ""), request.form.get("direction") == "up", actor()
    )
    db.session.commit()
    return redirect(url_for(".notables", petition_id=petition.id), 303)


@bp.post("/calls/<int:petition_id>/notables/<int:notable_id>/visibility")
@role_required(EDITOR)
def notable_visibility(petition_id: int, notable_id: int):
    petition = db.get_or_404(Petition, petition_id)
    notable = _notable(petition, notable_id)
    services.set_notable_visible(notable, request.form.get("visible") == "1", actor())
    db.session.commit()
    return redirect(url_for(".notables", petition_id=petition.id, _anchor=f"n{notable.id}"), 303)


@bp.post("/calls/<int:petition_id>/notables/<int:notable_id>/delete")
@role_required(EDITOR)
def notable_delete(petition_id: int, notable_id: int):
    petition = db.get_or_404(Petition, petition_id)
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
    petition = db.get_or_404(Petition, petition_id)
    form = PromoteSearchForm(formdata=request.args)
    if not form.validate():
        rows, pagination = [], Pagination(1, 25, 0)
    else:
        name = form.name.data or ""
        rows, pagination = list_page(
            lambda page: services.promotable_signatures(petition, name, page), 25
        )
    return render_template(
        "organisers/promote_search.html",
        petition=petition,
        form=form,
        signatures=rows,
        pagination=pagination,
        country_name=_country_name,
    ), (422 if form.errors else 200)


@bp.route("/calls/<int:petition_id>/notables/promote/<int:signature_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def notable_promote(petition_id: int, signature_id: int):
    petition = db.get_or_404(Petition, petition_id)
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


# -- titles and categories in other languages -------------------------------------------


@bp.get("/calls/<int:petition_id>/notables/translations")
@role_required(EDITOR)
def notable_translations(petition_id: int):
    """Each language's state: titles translated, out of date, missing; categories named."""
    petition = db.get_or_404(Petition, petition_id)
    return render_template(
        "organisers/notable_translations.html",
        petition=petition,
        summary=translations.summary(petition),
    )


def _changed_meanwhile(form: NotableTranslationsForm, source: str, stored: str) -> bool:
    """Refuse to save over changes made since the page was served: the page comes back
    with what the person typed and the current titles, and saving again goes through."""
    changed = False
    if form.source_digest.data != source:
        form.form_errors.append(
            _(
                "The notables' titles or categories changed while you were translating. The "
                "page now shows them as they are: check your translations, then save again."
            )
        )
        changed = True
    if form.translations_digest.data != stored:
        form.form_errors.append(
            _(
                "Someone else saved translations in this language while you were editing "
                "(the audit log shows who). Your text is still in the form: saving again "
                "replaces theirs."
            )
        )
        changed = True
    form.source_digest.data, form.translations_digest.data = source, stored
    return changed


def _entered(form: NotableTranslationsForm, titles: list, categories: list) -> tuple[dict, dict]:
    """(title inputs by notable id, names by category) as the form gives them."""
    entered_titles = {}
    for row in titles:
        confirm = form._fields.get(f"confirm_{row.notable.id}")
        text = form[f"title_{row.notable.id}"].data or ""
        entered_titles[row.notable.id] = translations.TitleInput(
            text, bool(confirm is not None and confirm.data)
        )
    names = {row.category: form[category_field_name(row.category)].data or "" for row in categories}
    return entered_titles, names


@bp.route("/calls/<int:petition_id>/notables/translations/<language>", methods=["GET", "POST"])
@role_required(EDITOR)
def notable_translations_edit(petition_id: int, language: str):
    """Every title and category of the call in one language, beside the original."""
    petition = db.get_or_404(Petition, petition_id)
    if language not in translations.translation_languages(petition):
        abort(404)
    titles = translations.title_rows(petition, language)
    categories = translations.category_rows(petition, language)
    source = translations.source_digest(titles, categories)
    stored = translations.translations_digest(titles, categories)
    form = notable_translations_form(titles, categories)
    if request.method == "GET":
        form.source_digest.data, form.translations_digest.data = source, stored
    status = 200
    if form.validate_on_submit():
        if _changed_meanwhile(form, source, stored):
            status = 409
        else:
            entered_titles, names = _entered(form, titles, categories)
            translations.save_translations(petition, language, entered_titles, names, actor())
            db.session.commit()
            flash(
                _(
                    "The titles in %(language)s are saved.",
                    language=language_name(language),
                ),
                "success",
            )
            return redirect(url_for(".notable_translations", petition_id=petition.id), code=303)
    elif form.errors:
        status = 422
    return render_template(
        "organisers/notable_translations_form.html",
        petition=petition,
        language=language,
        form=form,
        titles=titles,
        categories=categories,
        category_field_name=category_field_name,
        statuses=translations.TitleStatus,
    ), status
