"""The back office's pages for letters: the organisation's settings (administrators) and
each call's cover texts (its editors).

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; each states the roles it admits.
"""

from __future__ import annotations

import base64
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import identity
from ..extensions import db
from ..forms import uploaded_image
from ..i18n import language_name
from ..models import OrganisationSettings, Petition, utcnow
from ..organisers.access import ADMIN, EDITOR, actor, bp, role_required
from . import cover, settings
from .formatting import place_and_date
from .forms import CoverTextForm, OrganisationForm

# -- the organisation's settings ------------------------------------------------------


def _place_languages() -> list[str]:
    """The languages the place can be named in besides the main field (the site's default)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return [code for code in current_app.config["LANGUAGES"] if code != default]


def _uploaded_logo(form: OrganisationForm) -> tuple[bool, settings.Logo | None]:
    """(acceptable, logo): a clear form error for a file that cannot be used."""
    limit = current_app.config["LETTER_LOGO_MAX_BYTES"]
    size = current_app.config["LETTER_LOGO_MAX_SIZE"]
    return uploaded_image(
        form.logo,
        limit,
        lambda data: settings.process_logo(data, limit, size),
        settings.LogoError,
        _("This file is not a JPEG, PNG or WebP image. Please choose a logo file."),
    )


def _settings_values(form: OrganisationForm) -> dict[str, Any]:
    values = {field: form[field].data or "" for field in settings.FIELDS if field != "place_names"}
    return {**values, "place_names": form.place_names()}


def _preview(current: OrganisationSettings | None) -> dict[str, Any]:
    """The letterhead as saved, and its place and date line in every language."""
    today = utcnow().date()
    logo = current.logo_png if current is not None else None
    return {
        "logo_uri": "data:image/png;base64," + base64.b64encode(logo).decode() if logo else None,
        "address_lines": settings.address_lines(current),
        "date_lines": [
            (code, place_and_date(settings.place_in(current, code), today, code))
            for code in current_app.config["LANGUAGES"]
        ],
    }


@bp.route("/organisation", methods=["GET", "POST"])
@role_required(ADMIN)
def organisation():
    """The organisation's letterhead, place and signatory, with a preview of the letterhead."""
    current = settings.organisation_settings()
    languages = _place_languages()
    names = current.place_names if current is not None else {}
    form = OrganisationForm.for_languages(
        languages, obj=current, **{f"place_{code}": names.get(code, "") for code in languages}
    )
    if form.validate_on_submit():
        acceptable, logo = _uploaded_logo(form)
        if acceptable:
            settings.save_settings(
                _settings_values(form), actor(), logo=logo, remove_logo=form.remove_logo.data
            )
            db.session.commit()
            identity.forget()  # the header and share cards show the new name at once
            flash(_("The organisation's settings are saved."), "success")
            return redirect(url_for(".organisation"), code=303)
    return render_template(
        "organisers/organisation.html",
        form=form,
        current=current,
        place_languages=languages,
        **_preview(current),
    ), (422 if form.errors else 200)


# -- a call's cover texts -------------------------------------------------------------


def _posted_language(languages: list[str]) -> str | None:
    """The language whose form was sent (each form's fields carry its prefix)."""
    return next((code for code in languages if f"{code}-text" in request.form), None)


@bp.route("/calls/<int:petition_id>/letter", methods=["GET", "POST"])
@role_required(EDITOR)
def letter_cover(petition_id: int):
    """The call's cover text in each language, with the default a language gets without."""
    petition = db.get_or_404(Petition, petition_id)
    languages = list(current_app.config["LANGUAGES"])
    rows = cover.cover_overview(petition, languages)
    posted = _posted_language(languages) if request.method == "POST" else None
    if request.method == "POST" and posted is None:
        abort(400)
    forms = {
        row.language: CoverTextForm(prefix=row.language)
        if row.language == posted
        else CoverTextForm(
            prefix=row.language, formdata=None, text=row.written.text if row.written else ""
        )
        for row in rows
    }
    for code, form in forms.items():
        form.text.label.text = _("Cover text in %(language)s", language=language_name(code))
    if posted is not None:
        form = forms[posted]
        if form.validate_on_submit():
            cover.save_cover_text(petition, posted, form.text.data or "", actor())
            db.session.commit()
            flash(
                _("The cover text in %(language)s is saved.", language=language_name(posted)),
                "success",
            )
            return redirect(
                url_for(".letter_cover", petition_id=petition.id, _anchor=f"cover-{posted}"), 303
            )
    return render_template(
        "organisers/letter_cover.html",
        petition=petition,
        rows=rows,
        forms=forms,
    ), (422 if posted is not None else 200)
