"""The public side of receipts: a signer's receipt, the verify page, proofs and the key.

* ``/receipts/<token>``: a signer's receipt as a JSON file, by the signed
  link of their own page (the thank-you page makes one for the browser that
  has just confirmed). Never cached.
* ``/petitions/<slug>/verify``: paste or upload a receipt; for each recorded
  delivery to its government, whether it is included, with the proof.
* ``/petitions/<slug>/deliveries/<id>/proof/<leaf>``: the proof as JSON.
* ``/receipts/signing-key`` (and ``.pem``): the site's public key, at a
  stable address.
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import countries, tokens
from ..extensions import csrf, db
from ..i18n import current_language
from ..models import Delivery, Petition
from ..petitions import services as petition_services
from ..security import public_cache
from . import services, signing, trees
from .forms import VerifyForm
from .leaves import RECEIPT_MAX_BYTES, ReceiptInvalid, read_receipt

bp = Blueprint("receipts", __name__)
_LEAF = re.compile(r"[0-9a-f]{64}")

bp.add_app_template_global(services.receipt_of, "signature_receipt")


@bp.app_template_global()
def receipt_download_url(public_id: str) -> str:
    """The receipt's download link: the signer's own page's token, so it works as long."""
    return url_for("receipts.download", token=tokens.make(tokens.Purpose.SIGNATURE, public_id))


@bp.app_template_global()
def receipt_root(delivery: Delivery) -> str | None:
    """The Merkle root a recorded delivery's package carries (None for older packages)."""
    tree = trees.tree_of(delivery)
    return tree.root_hash if tree is not None else None


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/receipts/<token>")
def download(token: str):
    days = current_app.config["SIGNATURE_LINK_MAX_AGE_DAYS"]
    try:
        public_id = tokens.read(tokens.Purpose.SIGNATURE, token, days * 86400 or None)
    except (tokens.TokenExpired, tokens.TokenInvalid):
        abort(404)
    receipt = services.receipt_of(public_id) if isinstance(public_id, str) else None
    if receipt is None:
        abort(404)
    response = Response(receipt.dumps(current_app.config["BASE_URL"]), mimetype="application/json")
    filename = f"receipt-{receipt.slug}-{receipt.public_id[:8]}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Robots-Tag"] = "noindex"
    return _no_store(response)


def _petition_or_404(slug: str) -> Petition:
    petition = petition_services.get_public_petition(slug)
    if petition is None:
        abort(404)
    return petition


def _submitted_text(form: VerifyForm) -> str | None:
    """The receipt as uploaded (preferred) or pasted; None when it cannot be read as text."""
    upload = form.receipt_file.data
    if upload is not None and getattr(upload, "filename", ""):
        raw = upload.stream.read(RECEIPT_MAX_BYTES + 1)
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return form.receipt.data or ""


_PROBLEMS = {
    "size": lambda: _("This is too long to be a receipt."),
    "json": lambda: _("This is not a receipt: it is not JSON as the site writes it."),
    "format": lambda: _("This is not a receipt from this site."),
    "fields": lambda: _("This receipt is incomplete or altered: a field is missing or malformed."),
    "leaf": lambda: _("This receipt was altered: its leaf hash does not match its own contents."),
}


@bp.route("/petitions/<slug:slug>/verify", methods=["GET", "POST"])
@csrf.exempt
@public_cache
def verify(slug: str):
    """Check a receipt against every recorded delivery to its government."""
    petition = _petition_or_404(slug)
    form = VerifyForm()
    result, problem = None, None
    if request.method == "POST" and form.validate():
        text = _submitted_text(form)
        if text is None:
            problem = _PROBLEMS["json"]()
        elif not text.strip():
            problem = _("Paste your receipt or choose its file.")
        else:
            try:
                result = services.verify(petition, read_receipt(text))
            except ReceiptInvalid as invalid:
                problem = _PROBLEMS[str(invalid)]()
    elif request.method == "POST":
        problem = _("This is too long to be a receipt.")
    status = 400 if problem else 200
    language = current_language()
    page = render_template(
        "receipts/verify.html",
        petition=petition,
        form=form,
        result=result,
        problem=problem,
        country_name=lambda code: countries.name(code, language),
    )
    if request.method == "POST":
        return _no_store(Response(page, status))
    return page


@bp.get("/petitions/<slug:slug>/deliveries/<int:delivery_id>/proof/<leaf>")
@public_cache
def proof(slug: str, delivery_id: int, leaf: str):
    """A leaf's inclusion proof in one delivery, as JSON; 404 when it is not there."""
    petition = _petition_or_404(slug)
    if not _LEAF.fullmatch(leaf):
        return jsonify(error=_("A leaf is 64 lower-case hexadecimal digits.")), 400
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.petition_id != petition.id:
        return jsonify(error=_("No such delivery.")), 404
    tree = trees.tree_of(delivery)
    found = trees.prove(tree, bytes.fromhex(leaf)) if tree is not None else None
    if tree is None or found is None:
        return jsonify(error=_("This leaf is not in this delivery.")), 404
    inclusion = services.Inclusion(delivery, tree, *found)
    response = jsonify(services.proof_json(petition, inclusion, bytes.fromhex(leaf)))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/receipts/signing-key")
@public_cache
def signing_key():
    raw = signing.public_key_raw()
    response = jsonify(
        algorithm="Ed25519",
        public_key=raw.hex(),
        key_id=signing.key_id(raw),
        pem=signing.public_key_pem(),
        signs=_("The Merkle root of each delivery package, with its manifest's SHA-256."),
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/receipts/signing-key.pem")
@public_cache
def signing_key_pem():
    return Response(signing.public_key_pem(), mimetype="application/x-pem-file")
