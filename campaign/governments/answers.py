"""The organisers' pages that record a government's answer to a delivery.

Routes on the back office's blueprint (``organisers.access.bp``), for editors
and administrators: the list of a call's recorded deliveries with their
answers (or how long each has waited), and the form that records an answer
or edits it. Every change is in the audit log (see :mod:`.responses`).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import countries
from ..extensions import db
from ..i18n import current_language
from ..models import Petition
from ..organisers.access import EDITOR, actor, bp, role_required
from . import deliveries, responses
from .answer_forms import AnswerForm
from .scoreboard import STANCE_LABELS, days_since, today_for


@bp.get("/calls/<int:petition_id>/answers")
@role_required(EDITOR)
def government_answers(petition_id: int):
    """Each recorded delivery with its answer, or how many days it has waited."""
    petition = db.get_or_404(Petition, petition_id)
    language = current_language()
    return render_template(
        "governments/organiser_answers.html",
        petition=petition,
        deliveries=deliveries.deliveries_of(petition),
        today=today_for(petition),
        days_since=days_since,
        stance_labels=STANCE_LABELS,
        country_name=lambda code: countries.name(code, language),
    )


@bp.route("/calls/<int:petition_id>/answers/<int:delivery_id>", methods=["GET", "POST"])
@role_required(EDITOR)
def government_answer(petition_id: int, delivery_id: int):
    """Record the answer to a delivery, or edit the one recorded."""
    petition = db.get_or_404(Petition, petition_id)
    delivery = responses.delivery_of(petition, delivery_id)
    if delivery is None:
        abort(404)
    today = today_for(petition)
    form = AnswerForm(delivery=delivery, today=today)
    if form.validate_on_submit():
        try:
            if delivery.response is None:
                responses.record_response(delivery, form.answer(), actor(), today)
                message = _("The answer is recorded and shown on the scoreboard.")
            else:
                responses.edit_response(delivery.response, form.answer(), actor(), today)
                message = _("The answer is saved.")
        except responses.AnswerRefused as refused:
            form.form_errors.append(str(refused))
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".government_answers", petition_id=petition.id), 303)
    language = current_language()
    return render_template(
        "governments/organiser_answer_form.html",
        petition=petition,
        delivery=delivery,
        form=form,
        country_name=countries.name(delivery.country, language),
    ), (422 if form.errors or form.form_errors else 200)
