"""The back office's step before an update goes out: who will receive it (by language
and by country, narrowed to some if the organiser wishes), the number typed to confirm,
now or at a later time; and cancelling a scheduled update.

Routes on the back office's blueprint (``organisers.access.bp``); plain HTML
forms, no script (the CSP allows none inline, and none is needed).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from .. import countries
from ..extensions import db
from ..i18n import current_language, language_name
from ..models import Petition, SupporterUpdate, UpdateStatus
from ..organisers.access import EDITOR, actor, bp, role_required
from . import audience, progress, services, translations
from .drafts import UpdateFrozen
from .forms import AudienceForm, ConfirmSendForm


def _update(petition: Petition, update_id: int) -> SupporterUpdate:
    update_ = db.session.get(SupporterUpdate, update_id)
    if update_ is None or update_.petition_id != petition.id:
        abort(404)
    return update_


def _show(petition: Petition, update_: SupporterUpdate):
    return redirect(url_for(".update_show", petition_id=petition.id, update_id=update_.id), 303)


def _audience_form(update_: SupporterUpdate, everyone: audience.Breakdown) -> AudienceForm:
    """The form, its choices being where the call's subscribers are (and what is targeted)."""
    form = AudienceForm()
    language = current_language()
    country_codes = [code for code, _n in everyone.by_country]
    country_codes += [c for c in update_.target_countries or [] if c not in country_codes]
    language_codes = [code for code, _n in everyone.by_language]
    language_codes += [c for c in update_.target_languages or [] if c not in language_codes]
    form.countries.choices = sorted(
        ((code, countries.name(code, language)) for code in country_codes if code),
        key=lambda choice: choice[1],
    )
    form.languages.choices = [(code, language_name(code)) for code in language_codes if code]
    if not form.is_submitted():
        form.countries.data = update_.target_countries or []
        form.languages.data = update_.target_languages or []
    return form


def _page(
    petition: Petition,
    update_: SupporterUpdate,
    form: ConfirmSendForm,
    status: int = 200,
    audience_form: AudienceForm | None = None,
):
    everyone = audience.breakdown(audience.audience(update_.petition_id))
    reach = audience.breakdown(audience.of_update(update_))
    return render_template(
        "organisers/update_send.html",
        petition=petition,
        update=update_,
        everyone=everyone,
        reach=reach,
        in_main_text=_in_main_text(petition, update_, reach),
        audience_form=audience_form or _audience_form(update_, everyone),
        form=form,
        target=audience.target(update_, current_language()),
        country_name=lambda code: countries.name(code, current_language()),
    ), status


def _in_main_text(
    petition: Petition, update_: SupporterUpdate, reach: audience.Breakdown
) -> list[tuple[str, int]]:
    """(language, people) of recipients with no version in their language: they get the
    main text with a line saying so, which the organiser should know before sending."""
    return [
        (code, number)
        for code, number in reach.by_language
        if code != petition.language and translations.translation_of(update_, code) is None
    ]


@bp.route("/calls/<int:petition_id>/updates/<int:update_id>/send", methods=["GET", "POST"])
@role_required(EDITOR)
def update_send(petition_id: int, update_id: int):
    """How many will receive it, and the number typed to send it (now or later)."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    if update_.status != UpdateStatus.DRAFT:
        flash(_("This update is already scheduled or being sent."), "info")
        return _show(petition, update_)
    form = ConfirmSendForm(zone=petition.timezone)
    if not form.validate_on_submit():
        return _page(petition, update_, form, 422 if form.errors else 200)
    reach = audience.count(audience.of_update(update_))
    typed = form.typed_number()
    if reach == 0 or typed != reach:
        form.typed.errors.append(_wrong_number(typed, reach))
        return _page(petition, update_, form, 422)
    outdated = services.start_sending(update_, actor(), reach, form.scheduled_utc)
    if outdated:
        db.session.rollback()  # nothing started: let go of the draft at once
        flash(_outdated_message(outdated), "error")
        return _show(petition, update_)
    if form.scheduled_utc is None:
        services.queue_update_batch(update_, current_app.config["UPDATE_BATCH_SIZE"])
    db.session.commit()
    if form.scheduled_utc is None:
        message = ngettext(
            "Sending has started: %(num)d person will receive the update.",
            "Sending has started: %(num)d people will receive the update.",
            reach,
        )
    else:
        message = _("The update is scheduled. You can cancel it until it starts.")
    flash(message, "success")
    return _show(petition, update_)


def _wrong_number(typed: int | None, reach: int) -> str:
    if reach == 0:
        return _("Nobody would receive this update: there is nothing to send.")
    return ngettext(
        "You typed %(typed)s, but the update would go to %(num)d person. Type %(num)d to send it.",
        "You typed %(typed)s, but the update would go to %(num)d people. Type %(num)d to send it.",
        reach,
        typed=typed,
    )


def _outdated_message(outdated: list[str]) -> str:
    return ngettext(
        "Nothing was sent: the %(languages)s version was written against an earlier "
        "text of the update. Check it and save it again, or delete it, then send.",
        "Nothing was sent: the %(languages)s versions were written against an earlier "
        "text of the update. Check them and save them again, or delete them, then send.",
        len(outdated),
        languages=translations.language_list(outdated, current_language()),
    )


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/audience")
@role_required(EDITOR)
def update_audience(petition_id: int, update_id: int):
    """Send only to some countries and/or languages (none ticked: everyone)."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    if update_.status != UpdateStatus.DRAFT:
        return _show(petition, update_)
    everyone = audience.breakdown(audience.audience(update_.petition_id))
    form = _audience_form(update_, everyone)
    if not form.validate_on_submit():
        confirm = ConfirmSendForm(zone=petition.timezone, formdata=None)
        return _page(petition, update_, confirm, 422, audience_form=form)
    try:
        services.set_audience(update_, form.countries.data, form.languages.data, actor())
    except UpdateFrozen:
        db.session.rollback()
        return _show(petition, update_)
    db.session.commit()
    return redirect(url_for(".update_send", petition_id=petition.id, update_id=update_.id), 303)


@bp.post("/calls/<int:petition_id>/updates/<int:update_id>/cancel")
@role_required(EDITOR)
def update_cancel(petition_id: int, update_id: int):
    """A scheduled update back to a draft, before it starts."""
    petition = db.get_or_404(Petition, petition_id)
    update_ = _update(petition, update_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    if progress.cancel_schedule(update_, actor()):
        db.session.commit()
        flash(_("The scheduled sending is cancelled; the update is a draft again."), "success")
    else:
        db.session.rollback()
        flash(_("Too late to cancel: sending has already started."), "error")
    return _show(petition, update_)
