"""The back office's moderation pages: search signatures, invalidate and undo (one, or
many by a previewed rule), the review queue of suspect signatures, and blocklists.

Routes on the back office's blueprint (``organisers.access.bp``), so their
endpoints are ``organisers.*``; each states the roles it admits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf import FlaskForm

from ..extensions import db
from ..forms import clean_text
from ..ip_addresses import unpack_ip
from ..models import Blocklist, Petition, Signature, utcnow
from ..organisers.access import MODERATOR, actor, bp, role_required, safe_next
from ..pagination import Pagination, list_page
from ..petitions.editing import all_petitions
from ..timezones import to_utc_bound
from . import blocklists, reasons, services
from .forms import KIND_NAMES, BlockForm, RuleForm, SignatureSearchForm


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
        since=to_utc_bound(form.since.data, zone),
        until=to_utc_bound(form.until.data, zone),
    )


def _search_form() -> SignatureSearchForm:
    return SignatureSearchForm(formdata=request.args)


def _back_to(default: str) -> str:
    return safe_next(request.form.get("back")) or default


@bp.get("/calls/<int:petition_id>/signatures")
@role_required(MODERATOR)
def signatures(petition_id: int):
    petition = db.get_or_404(Petition, petition_id)
    form = _search_form()
    valid = form.validate()
    rows, pagination = [], Pagination(1, 50, 0)
    if valid:
        rule = _filter_from(form, petition)
        rows, pagination = list_page(
            lambda page: services.search_signatures(petition, rule, page), 50
        )
    return render_template(
        "organisers/signatures.html",
        petition=petition,
        form=form,
        rows=rows,
        pagination=pagination,
        query=request.args.to_dict(),
        unpack_ip=unpack_ip,
        reason_sentence=reasons.sentence,
        rule_fields=_filter_from(form, petition).rule_fields() if valid else [],
    ), (200 if valid else 422)


@bp.route("/calls/<int:petition_id>/signatures/bulk", methods=["GET", "POST"])
@role_required(MODERATOR)
def signatures_bulk(petition_id: int):
    """Invalidate (or restore) many by a rule: first a preview of how many match."""
    petition = db.get_or_404(Petition, petition_id)
    search = _search_form()
    action = request.args.get("action", "invalidate")
    if action not in services.BULK_ACTIONS:
        abort(400)
    if not search.validate():
        # The search page shows what is wrong with each field; the query goes there as it
        # came (escapes and all), so that it finds the same faults.
        query = quote(request.query_string.decode("latin-1"), safe="=&%+")
        return redirect(f"{url_for('.signatures', petition_id=petition.id)}?{query}", 303)
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
    petition = db.get_or_404(Petition, petition_id)
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
    petition = db.get_or_404(Petition, petition_id)
    rows, pagination = list_page(lambda page: services.suspects(petition, page), 50)
    return render_template(
        "organisers/review.html",
        petition=petition,
        rows=rows,
        pagination=pagination,
        unpack_ip=unpack_ip,
        reason_sentence=reasons.sentence,
    )


def _block_form() -> BlockForm:
    form = BlockForm()
    form.petition_id.choices = [(0, _("Every call"))] + [(p.id, p.title) for p in all_petitions()]
    return form


# After a removal, the entry as it was waits in the session (signed, in the moderator's
# own browser) for a few minutes, so that "Undo" can put back exactly that entry. Kept
# there rather than in the audit log, which holds no personal values (an entry may be
# an email address).
_UNDO_KEY = "blocklist_undo"
UNDO_SECONDS = 600


def _pending_undo() -> blocklists.RemovedBlock | None:
    """The last removal this browser made, while it can still be undone."""
    kept = session.get(_UNDO_KEY)
    if not isinstance(kept, dict):
        return None
    try:
        removed_at = datetime.fromisoformat(kept.get("at", ""))
    except (TypeError, ValueError):
        return None
    if removed_at.tzinfo is None or utcnow() - removed_at > timedelta(seconds=UNDO_SECONDS):
        return None
    return blocklists.RemovedBlock.from_dict(kept.get("entry"))


def _blocklist_page(form: BlockForm, status: int = 200):
    return render_template(
        "organisers/blocklist.html",
        form=form,
        entries=blocklists.blocklist_entries(),
        undo=_pending_undo(),
        kind_names=KIND_NAMES,
    ), status


@bp.get("/blocklist")
@role_required(MODERATOR)
def blocklist():
    return _blocklist_page(_block_form())


@bp.post("/blocklist")
@role_required(MODERATOR)
def blocklist_add():
    form = _block_form()
    if form.validate_on_submit():
        blocklists.add_block(
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
    return _blocklist_page(form, 422)


@bp.route("/blocklist/<int:entry_id>/delete", methods=["GET", "POST"])
@role_required(MODERATOR)
def blocklist_delete(entry_id: int):
    """Ask, then remove; the removal can be undone from the blocklist page."""
    entry = db.session.get(Blocklist, entry_id)
    if entry is None:
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        removed = blocklists.remove_block(entry, actor())
        db.session.commit()
        session[_UNDO_KEY] = {"entry": removed.as_dict(), "at": utcnow().isoformat()}
        flash(_("Removed from the blocklist."), "success")
        return redirect(url_for(".blocklist"), 303)
    return render_template(
        "organisers/blocklist_delete.html",
        entry=entry,
        form=form,
        kind_names=KIND_NAMES,
    )


@bp.post("/blocklist/undo")
@role_required(MODERATOR)
def blocklist_undo():
    """Put back the entry this browser removed last, with its reason and scope."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    removed = _pending_undo()
    session.pop(_UNDO_KEY, None)
    if removed is None:
        flash(_("There is no removal to undo any more. Add the entry again if need be."), "info")
        return redirect(url_for(".blocklist"), 303)
    try:
        blocklists.restore_block(removed, actor())
    except blocklists.UndoRefused as refused:
        flash(
            _("This entry is on the blocklist again already.")
            if refused.reason == "already"
            else _("This entry's call no longer exists, so it cannot be put back."),
            "info",
        )
        return redirect(url_for(".blocklist"), 303)
    db.session.commit()
    flash(_("The entry is back on the blocklist, with its reason and scope."), "success")
    return redirect(url_for(".blocklist"), 303)
